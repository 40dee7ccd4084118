"""The plain rows of an import's visits and reports, checked in one step from their cells.

A large import is mostly visits and reports, and most of their rows are plain: every
cell a text seen before in its column (a cadre's code and a unit's name already
resolved, a day and a kind already typed) or empty where the column allows it, a topic,
an order number and a report's text that the validators would return unchanged
(``import_lean``), and a natural key that is new, or already there with the same
values. For such a row the general path — the row typed into a ``Row``
(``import_rows._typed``) and checked (``import_checks._check_visit``,
``_check_report``) — would keep exactly the values read here from the cells, with no
error: so they are kept at once, with the same counts, the same "first seen" and the
same progress. Every other row goes the general path, which gives every error, every
normalisation and every knock-on rule, in reading order. Only what the general path
learnt (``_found``, the columns' ``fast`` values) makes a row plain, so the first row
of each cadre, unit, day or kind is always checked the long way.

tests/test_import_fast.py checks on random files, valid and invalid, that an import
with this path and one without it give the same result and the same errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol

from congtac12.store.import_lean import plain_report, plain_visit

if TYPE_CHECKING:
    from collections.abc import Mapping, Set
    from datetime import date

    from congtac12.exchange import spec
    from congtac12.exchange.files import SourceTable
    from congtac12.store.import_checks import Ref, Row
    from congtac12.store.import_rows import Plan
    from congtac12.store.importer import Progress, TableCount

    Found = Sequence[tuple[SourceTable, spec.HeaderMatch]]  # a table's sources, as they were matched

    class _Fast(Protocol):
        """What the plain rows' path uses of ``importer.Import``, the one class that mixes it in."""

        progress: Progress
        plain_rows: bool
        _found: dict[str, dict[str, Ref]]
        seen: dict[str, dict[Any, tuple[SourceTable, int]]]

        @property
        def visits(self) -> Mapping[tuple[Any, ...], tuple[int, str | None, str | None, bool]]: ...
        @property
        def reports(self) -> Mapping[tuple[Any, ...], tuple[date, str]]: ...
        @property
        def deactivated(self) -> Set[str]: ...
        @property
        def counts(self) -> dict[str, TableCount]: ...
        @property
        def new_visits(self) -> dict[tuple[Any, ...], tuple[str | None, str | None, bool]]: ...
        @property
        def new_reports(self) -> dict[tuple[Any, ...], tuple[Any, str]]: ...

        def _plan(self, source: SourceTable, match: spec.HeaderMatch) -> Plan: ...
        def _typed(
            self, source: SourceTable, match: spec.HeaderMatch, plan: Plan, number: int, cells: Sequence[Any]
        ) -> Row | None: ...
        def _check_visit(self, row: Row) -> None: ...
        def _plain_visit(self, source: SourceTable, plan: Plan) -> Callable[[int, Sequence[Any]], bool]: ...
        def _plain_report(self, source: SourceTable, plan: Plan) -> Callable[[int, Sequence[Any]], bool]: ...
        def _check_report(self, row: Row) -> None: ...
        def _each_row(
            self,
            source: SourceTable,
            match: spec.HeaderMatch,
            plan: Plan,
            plain: Callable[[int, Sequence[Any]], bool],
            check: Callable[[Row], None],
        ) -> None: ...


_STEP = 1000  # rows told to the progress bar at a time, as ``import_rows._rows`` tells them
_VISIT = ("cadre", "unit", "start", "end", "kind", "topic", "order_no", "deleted")
_REPORT = ("cadre", "unit", "start", "end", "kind", "reported_on", "text")


class PlainRows:
    """The reading of the visits' and reports' tables of ``importer.Import`` (which holds the state)."""

    plain_rows = True  # False: every row the general path (the tests' reference)

    def _check_visits(self: _Fast, found: Found) -> None:
        for source, match in found:
            plan = self._plan(source, match)
            self._each_row(source, match, plan, self._plain_visit(source, plan), self._check_visit)

    def _check_reports(self: _Fast, found: Found) -> None:
        for source, match in found:
            plan = self._plan(source, match)
            self._each_row(source, match, plan, self._plain_report(source, plan), self._check_report)

    def _each_row(
        self: _Fast,
        source: SourceTable,
        match: spec.HeaderMatch,
        plan: Plan,
        plain: Callable[[int, Sequence[Any]], bool],
        check: Callable[[Row], None],
    ) -> None:
        """Each row of ``source``, plain (kept by ``plain``) or typed and checked (``check``), in order.

        The source's rows are handed over: each thousand is let go once checked, so that a large
        file is not held twice (as cells and as what is new).
        """
        rows, source.rows = source.rows, []
        if not self.plain_rows:
            plain = _never
        for first in range(0, len(rows), _STEP):  # a thousand rows at a time, as the progress bar is told
            some = rows[first : first + _STEP]
            rows[first : first + _STEP] = [None] * len(some)  # type: ignore[list-item]
            for number, cells in some:
                if not plain(number, cells):
                    row = self._typed(source, match, plan, number, cells)
                    if row is not None:
                        check(row)
            if len(some) == _STEP:
                self.progress.advance(_STEP)
        self.progress.advance(len(rows) % _STEP)

    def _plain_visit(self: _Fast, source: SourceTable, plan: Plan) -> Callable[[int, Sequence[Any]], bool]:
        """A visit row kept at once when plain (True); False: the general path checks it."""
        cells_of, width = _cells(plan, _VISIT)
        cadres, units = self._found["cadre"], self._found["unit"]
        starts, ends, kinds, marks = (_memo(plan, k) for k in ("start", "end", "kind", "deleted"))
        unmarked = bool(plan.of["deleted"].column.default) if plan.of["deleted"].optional else None
        visits, new_visits, deactivated = self.visits, self.new_visits, self.deactivated
        seen, count = self.seen["visits"], self.counts["visits"]

        def plain(number: int, cells: Sequence[Any]) -> bool:
            if len(cells) < width:
                return False
            c, u, s, e, k, topic, order_no, d = cells_of(cells)
            try:  # a JSON list or object is no key of these: the general path refuses it
                cadre, unit, start, kind = cadres.get(c), units.get(u), starts.get(s), kinds.get(k)
                end = start if e is None else ends.get(e)
                deleted = d if type(d) is bool else unmarked if d is None else marks.get(d)
            except TypeError:
                return False
            if (
                cadre is None
                or unit is None
                or start is None
                or end is None
                or kind is None
                or deleted is None
                or not (topic is None or type(topic) is str)
                or not (order_no is None or type(order_no) is str)
                or not plain_visit(start, end, kind, topic, order_no)
            ):
                return False
            key = (cadre.key, unit.key, start, end, kind)
            values = (topic, order_no, deleted)
            recorded = visits.get(key)
            if recorded is not None:
                if recorded[1:] != values:
                    return False
                count.present += 1
                return True
            if key[0] in deactivated:
                return False
            first = new_visits.get(key)
            if first is not None:
                if first != values:
                    return False
                count.repeated += 1
                return True
            seen[key] = (source, number)
            new_visits[key] = values
            count.added += 1
            return True

        return plain

    def _plain_report(self: _Fast, source: SourceTable, plan: Plan) -> Callable[[int, Sequence[Any]], bool]:
        """A report row kept at once when plain (True); False: the general path checks it."""
        cells_of, width = _cells(plan, _REPORT)
        cadres, units = self._found["cadre"], self._found["unit"]
        starts, ends, kinds, days = (_memo(plan, k) for k in ("start", "end", "kind", "reported_on"))
        visits, new_visits, reports, new_reports = self.visits, self.new_visits, self.reports, self.new_reports
        seen, count = self.seen["reports"], self.counts["reports"]

        def plain(number: int, cells: Sequence[Any]) -> bool:
            if len(cells) < width:
                return False
            c, u, s, e, k, r, text = cells_of(cells)
            try:  # a JSON list or object is no key of these: the general path refuses it
                cadre, unit, start, kind, on = cadres.get(c), units.get(u), starts.get(s), kinds.get(k), days.get(r)
                end = start if e is None else ends.get(e)
            except TypeError:
                return False
            if text is None:
                text = ""
            if (
                cadre is None
                or unit is None
                or start is None
                or end is None
                or kind is None
                or on is None
                or type(text) is not str
            ):
                return False
            key = (cadre.key, unit.key, start, end, kind)
            if (key not in visits and key not in new_visits) or not plain_report(on, end, text):
                return False
            values = (on, text)
            recorded = reports.get(key)
            first = new_reports.get(key)
            if recorded is None and first is None:
                seen[key] = (source, number)
                new_reports[key] = values
                count.added += 1
                return True
            if (recorded if recorded is not None else first) != values:
                return False
            if recorded is not None:
                count.present += 1
            else:
                count.repeated += 1
            return True

        return plain


def _cells(plan: Plan, keys: Sequence[str]) -> tuple[Callable[[Sequence[Any]], tuple[Any, ...]], int]:
    """The cells of ``keys`` from a row, in that order (None for a column the file does not have),
    and how many cells a row needs for it."""
    positions = [plan.of[key].position for key in keys]
    present = [p for p in positions if p is not None]
    width = max(present) + 1
    if len(present) == len(positions):
        return itemgetter(*present), width

    def cells_of(cells: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(None if p is None else cells[p] for p in positions)

    return cells_of, width


def _memo(plan: Plan, key: str) -> dict[Any, Any]:
    """What ``parse_cell`` gave for each text of a typed column before (filled by ``_typed``)."""
    memo = plan.of[key].fast
    assert memo is not None  # a typed column (a day, a kind, a yes/no) has one
    return memo


def _never(number: int, cells: Sequence[Any]) -> bool:
    return False
