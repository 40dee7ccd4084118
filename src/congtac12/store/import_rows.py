"""Reading the rows of an import (a part of ``importer.Import``): which table each file or sheet is,
and each row's cells typed by its columns, every bad cell an error of its own.

A file is matched to a table by its name or, failing that, its headers
(``exchange.spec``); its rows are typed as the table's check reads them, and
each is let go once typed. The common cell, a non-blank text, takes a fast
path: a text column takes it trimmed, a typed column what ``parse_cell``
gave for the same text before; anything else goes through ``parse_cell``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from congtac12.errors import CongtacError, InvalidInput
from congtac12.exchange import spec
from congtac12.exchange.files import Formula, SourceTable
from congtac12.i18n import _
from congtac12.store.import_checks import ImportParts, Row

if TYPE_CHECKING:
    from datetime import date

    from congtac12.store.importer import Progress


class Typing(NamedTuple):
    """How one column of a source's rows is typed: its column, key and cell's position, the values
    ``parse_cell`` gave for texts before (None: a text column, taken trimmed), whether an empty
    cell is the column's default, and whether it is a yes/no column."""

    column: spec.Column
    key: str
    position: int | None
    fast: dict[Any, Any] | None
    optional: bool
    yes_no: bool


class Plan(NamedTuple):
    """How a source's rows are typed: column by column, the yes/no columns written as ticks, and
    each column's typing by its key."""

    columns: list[Typing]
    blank_is_no: set[str]
    of: dict[str, Typing]


class _Reading(ImportParts, Protocol):
    """What the reading of rows uses of ``importer.Import``, the one class that mixes it in."""

    today: date
    progress: Progress
    ignored: list[str]
    refused_tables: set[str]
    _parsed: dict[tuple[Any, ...], Any]
    _fast: dict[str, dict[Any, Any]]

    def _refused(self, row: Row) -> None: ...

    def _ticked_columns(self, source: SourceTable, match: spec.HeaderMatch) -> set[str]: ...

    def _plan(self, source: SourceTable, match: spec.HeaderMatch) -> Plan: ...

    def _typed(
        self, source: SourceTable, match: spec.HeaderMatch, plan: Plan, number: int, cells: Sequence[Any]
    ) -> Row | None: ...

    def _parse(self, column: spec.Column, raw: Any) -> Any: ...


class RowReading:
    """The reading of rows of ``importer.Import`` (which holds the state it uses)."""

    def _match(self: _Reading, source: SourceTable) -> spec.HeaderMatch | None:
        name = source.sheet if source.sheet is not None else source.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        table = spec.table_named(name)
        match: spec.HeaderMatch | None
        if table is not None:
            match = spec.match_headers(table, source.headers)
        else:
            match = spec.guess_table(source.headers)
            if match is None:
                if source.kind == "xlsx" or source.kind == "csv" and len(source.rows) == 0:
                    self.ignored.append(_("{where} (no table of congtac12)").format(where=source.where()))
                    return None
                self.fail(
                    InvalidInput(
                        _(
                            "{where}: cannot tell which table this is; name the file cadres.csv, units.csv, visits.csv or reports.csv, or give the headers of one (see 'congtac12 export')"
                        ).format(where=source.where())
                    ),
                    source=source,
                )
                return None
        if match.missing:
            self.refused_tables.add(match.table.name)
            for column in match.missing:
                names = ", ".join(repr(n) for n in (column.header, column.key, *column.aliases))
                self.fail(
                    InvalidInput(
                        _("{where}: no column for {header!r} ({key}); accepted headers: {names}").format(
                            where=source.where(), header=column.header, key=column.key, names=names
                        )
                    ),
                    source=source,
                )
            return None
        self.ignored.extend(
            _("{where}, column {header!r}").format(where=source.where(), header=h) for h in match.ignored
        )
        return match

    def _rows(self: _Reading, source: SourceTable, match: spec.HeaderMatch) -> Iterable[Row]:
        """The source's rows typed (each refused cell an error of its own), the rows with none yielded."""
        plan = self._plan(source, match)
        done = 0  # rows read, told to the progress bar a thousand at a time
        # The source's rows are handed over: each is let go once typed, so that a large file is
        # not held twice (as cells and as what is new).
        rows, source.rows = source.rows, []
        for i in range(len(rows)):
            number, cells = rows[i]
            rows[i] = None  # type: ignore[call-overload]
            row = self._typed(source, match, plan, number, cells)
            done += 1
            if done % 1000 == 0:
                self.progress.advance(1000)
            if row is not None:
                yield row
        self.progress.advance(done % 1000)

    def _plan(self: _Reading, source: SourceTable, match: spec.HeaderMatch) -> Plan:
        """How each column of a source's rows is typed (``_typed``), worked out once per source."""
        blank_is_no = self._ticked_columns(source, match)
        # The common cell, a non-blank text, is typed without the call: a text column takes it trimmed,
        # a typed one what parse_cell gave for the same text before (``fast``) in any column of its
        # type, of any table (what parse_cell accepts, and gives, depends on the type alone; only its
        # refusals name the column, and they are not kept there). Anything else: parse_cell.
        # An empty cell of an optional column (not a tick column) is its default; a JSON true or
        # false in a yes/no column is itself (``spec.parse_cell``'s own answers, without the call).
        columns = [
            Typing(
                column,
                column.key,
                match.positions.get(column.key),
                None if column.type == spec.TEXT else self._fast.setdefault(column.type, {}),
                not column.required and column.key not in blank_is_no,
                column.type == spec.BOOL,
            )
            for column in match.table.columns
        ]
        return Plan(columns, blank_is_no, {c.key: c for c in columns})

    def _typed(
        self: _Reading, source: SourceTable, match: spec.HeaderMatch, plan: Plan, number: int, cells: Sequence[Any]
    ) -> Row | None:
        """One row's cells typed as ``plan`` says; None (each bad cell an error, the row refused) when
        a cell is refused."""
        blank_is_no = plan.blank_is_no
        values: dict[str, Any] = {}
        ok = True
        length = len(cells)
        for column, key, position, fast, optional, yes_no in plan.columns:
            raw = cells[position] if position is not None and position < length else None
            if type(raw) is str:
                if fast is None:
                    text = raw.strip()
                    if text:
                        values[key] = text
                        continue
                else:
                    found = fast.get(raw)
                    if found is not None:
                        values[key] = found
                        continue
            elif raw is None:
                if optional:
                    values[key] = column.default
                    continue
            elif yes_no and type(raw) is bool:
                values[key] = raw
                continue
            try:
                if isinstance(raw, Formula):
                    raise InvalidInput(
                        _(
                            "the cell holds a formula ({formula}); accepted: a value (copy the column and paste it as values)"
                        ).format(formula=raw.text)
                    )
                if column.key in blank_is_no and (raw is None or str(raw).strip() == ""):
                    values[column.key] = False
                    continue
                values[column.key] = self._parse(column, raw)
                if (
                    fast is not None
                    and type(raw) is str
                    and values[key] is not None
                    and key not in blank_is_no
                    and raw.strip()  # a blank cell is its column's default, which another column's may not be
                ):
                    fast[raw] = values[key]
            except CongtacError as exc:
                self.fail(
                    exc.located(source.where(number, position)),
                    source=source,
                    number=number,
                    position=position,
                    value=raw,
                )
                ok = False
                continue
            if values[column.key] is None and column.required:
                self.fail(
                    InvalidInput(
                        _("{where}: the cell is empty; accepted: {accepted}").format(
                            where=source.where(number, position), accepted=column.accepted()
                        )
                    ),
                    source=source,
                    number=number,
                    position=position,
                )
                ok = False
        row = Row(source, number, values, match.positions, match.table, cells)
        if ok:
            return row
        self._refused(row)
        return None

    @staticmethod
    def _ticked_columns(source: SourceTable, match: spec.HeaderMatch) -> set[str]:
        """Yes/no columns written as a tick: 'x' for yes and nothing for no, as clerks mark a list."""
        ticked = set()
        for column in match.table.columns:
            position = match.positions.get(column.key)
            if column.type != spec.BOOL or position is None:
                continue
            if _all_ticks(cells[position] if position < len(cells) else None for _n, cells in source.rows):
                ticked.add(column.key)
        return ticked

    def _parse(self: _Reading, column: spec.Column, raw: Any) -> Any:
        """parse_cell, once per distinct value of a typed column (dates and kinds repeat a lot)."""
        if column.type == spec.TEXT or isinstance(raw, Formula):
            return spec.parse_cell(column, raw, today=self.today)
        memo = (column.key, type(raw), raw)
        found = self._parsed.get(memo)
        if found is None:
            try:
                found = spec.parse_cell(column, raw, today=self.today)
            except CongtacError as exc:
                found = exc
            self._parsed[memo] = found
        if isinstance(found, CongtacError):
            raise type(found)(found.message)
        return found


def _all_ticks(cells: Iterable[Any]) -> bool:
    """Is every non-blank cell an 'x' (and one at least)? Stops at the first that is not: a JSON
    true or false, or a written yes or no, is answered by its first row."""
    marked = False
    for cell in cells:
        if cell is None:
            continue
        mark = str(cell).strip()
        if not mark:
            continue
        if mark.lower() != "x":
            return False
        marked = True
    return marked
