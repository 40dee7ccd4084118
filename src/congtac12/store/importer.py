"""Checking an import: every row of every table, every independent error, nothing written.

Every row is checked with the validators of ``store.commands`` (so a row is
accepted exactly when the matching ``cadre add``, ``unit add``, ``leave add``,
``add-visit``, ``report`` or ``config set`` would be). Names are resolved once
per distinct text (a cadre by code or name, a unit by name or place name, as on
the command line), against the database and the rows of the same import. A row
whose natural key is already recorded with the same values is counted as
already there and skipped, so importing a file twice adds nothing the second
time; the same key with other values is refused (an import never changes what
is recorded).

Errors: every independent error is kept with its file, sheet, row, column and
value, and all of them are raised at once (``ManyErrors``, the first
``SHOWN`` listed). A knock-on error is not one of its own: a visit that names
a cadre whose row was refused, a report whose visit row was refused, a unit
whose parent row was refused are left out, since fixing the first row fixes
them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from congtac12.errors import Conflict, CongtacError, ManyErrors
from congtac12.exchange import spec
from congtac12.exchange.files import Formula, SourceTable
from congtac12.i18n import _
from congtac12.store.import_checks import NewUnit, Ref, Row, TableChecks
from congtac12.store.import_plans import PlanChecks
from congtac12.store.import_rows import RowReading
from congtac12.text import fold, match_one, shown_value

if TYPE_CHECKING:
    from congtac12.store.write.connect import Writer

SHOWN = 50  # errors listed; the rest are counted


class Progress(Protocol):
    def start(self, what: str, total: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...


class _NoProgress:
    def start(self, what: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass
class TableCount:
    added: int = 0
    present: int = 0  # already recorded with the same values
    repeated: int = 0  # repeating an earlier row of the same import


@dataclass
class ImportResult:
    counts: dict[str, TableCount]
    ignored: list[str] = field(default_factory=list)  # sheets and columns that name nothing
    written: bool = True

    @property
    def rows(self) -> int:
        return sum(c.added + c.present + c.repeated for c in self.counts.values())

    @property
    def added(self) -> int:
        return sum(c.added for c in self.counts.values())


@dataclass(frozen=True)
class _Problem:
    order: tuple[int, int, int]
    error: CongtacError
    detail: dict[str, Any]


SHOWN_CHARS = 200  # of a cell's value in an error's data (a 10 MB cell is not echoed back)


def _data_value(value: Any) -> Any:
    """A cell's value as data (the "value" of an error in ``import --json``): JSON's own types kept."""
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        return value[:SHOWN_CHARS] + "…"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Formula):
        return value.text
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class _Shown(str):
    """A value in a message's ``{x!r}``, as ``text.shown_value`` shows it (a date unquoted, a text quoted
    and cut short), never a Python repr."""

    def __repr__(self) -> str:
        return str(self)


def _shown(value: Any) -> _Shown:
    return _Shown(shown_value(value))


def check_import(
    db: Writer, sources: Sequence[SourceTable], *, today: date, progress: Progress | None = None
) -> Import:
    """Every row of ``sources`` checked against the record; ManyErrors when any is refused.

    The rows are consumed: each source's ``rows`` is empty afterwards (a large file is not held twice).
    """
    job = Import(db, today, progress or _NoProgress())
    job.check(sources)
    return job


class Import(TableChecks, PlanChecks, RowReading):
    """One import being checked: the rows read, what is recorded, what is new, what was refused."""

    def __init__(self, db: Writer, today: date, progress: Progress) -> None:
        self.db = db  # the DB-API connection (``store.write``), inside the command's one transaction
        self.today = today
        self.progress = progress
        self.problems: list[_Problem] = []
        self._order: dict[int, int] = {}  # id(source) -> its place in reading order
        self.ignored: list[str] = []
        self.counts = {t.name: TableCount() for t in spec.TABLES}
        self._cache: dict[tuple[str, str], Ref | CongtacError] = {}
        self._found: dict[str, dict[str, Ref]] = {"cadre": {}, "unit": {}}
        self._parsed: dict[tuple[Any, ...], Any] = {}
        self._fast: dict[str, dict[Any, Any]] = {}  # column type -> what parse_cell gave each text of it
        self._exact: dict[str, dict[str, list[Ref]]] = {}
        self.new_settings: dict[str, str] = {}
        self.new_units: dict[str, NewUnit] = {}
        self.new_cadres: dict[str, dict[str, Any]] = {}
        self.new_leave: dict[tuple[Any, ...], Row] = {}
        self.new_visits: dict[tuple[Any, ...], tuple[str | None, str | None, bool]] = {}  # topic, order_no, deleted
        self.new_reports: dict[tuple[Any, ...], tuple[Any, str]] = {}  # reported_on, text
        self.new_plans: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.seen: dict[str, dict[Any, tuple[SourceTable, int]]] = {t.name: {} for t in spec.TABLES}
        # What was refused, so that what depends on it is not refused again (knock-on errors).
        self.refused_tables: set[str] = set()
        self.refused_names: dict[str, set[str]] = {"cadre": set(), "unit": set()}
        self.refused_visit_rows: list[Row] = []
        self._refused_visits: list[tuple[Any, ...]] | None = None

    # -- errors ---------------------------------------------------------------

    def fail(
        self,
        exc: CongtacError,
        row: Row | None = None,
        key: str | None = None,
        *,
        source: SourceTable | None = None,
        number: int = 0,
        position: int | None = None,
        value: Any = None,
    ) -> None:
        """Keep an error, with where it was found; they are raised together, in reading order."""
        column_key = key or exc.field
        if row is not None:
            source, number = row.source, row.number
            position = row.positions.get(column_key) if column_key else None
            value = row.raw(column_key) if column_key else None
            exc = exc.located(row.where(column_key))
            self._refused(row)
        if isinstance(value, str) and len(value.strip()) > 80 and value.strip() in exc.message:
            # a cell of megabytes is named by its start and length, not echoed back whole
            long = value.strip()
            cut = long[:80] + _("… ({n:,} characters)").format(n=len(long))
            exc = type(exc)(exc.message.replace(long, cut), field=exc.field)
        order = self._order.get(id(source), -1) if source is not None else -1
        detail = {
            "file": source.file if source is not None else None,
            "sheet": source.sheet if source is not None else None,
            "row": number or None,
            "column": str(source.headers[position]) if source is not None and position is not None else None,
            "value": _data_value(value),
            "message": exc.message,
        }
        self.problems.append(_Problem((order, number, -1 if position is None else position), exc, detail))

    def raise_all(self) -> None:
        if not self.problems:
            return
        problems = sorted(self.problems, key=lambda p: p.order)
        errors = [p.error for p in problems]
        if len(errors) == 1:
            only = errors[0]
            errors = [type(only)(_("{message} (nothing was imported)").format(message=only.message))]
            summary = errors[0].message
            shown = 0
        else:
            more = len(errors) - SHOWN
            summary = (
                _("{n} errors, {more} more not shown; nothing was imported").format(n=len(errors), more=more)
                if more > 0
                else _("{n} errors; nothing was imported").format(n=len(errors))
            )
            shown = SHOWN
        raise ManyErrors(errors, [p.detail for p in problems], summary=summary, shown=shown)

    def _refused(self, row: Row) -> None:
        """Remember a refused row by what later rows may name it by."""
        table = row.table.name
        if table in ("cadres", "units"):
            entity = "cadre" if table == "cadres" else "unit"
            for key in ("code", "name"):
                text = row.raw(key)
                if text not in (None, "") and not isinstance(text, Formula):
                    self.refused_names[entity].add(" ".join(fold(str(text)).split()))
        elif table == "visits":
            self.refused_visit_rows.append(row)  # its key is worked out when a report asks (names known then)

    def refused_visits(self) -> list[tuple[Any, ...]]:
        """What each refused visit row says of its natural key (None where it cannot tell)."""
        if self._refused_visits is None:
            keys = ("cadre", "unit", "start", "end", "kind")
            self._refused_visits = [tuple(self._key_part(r, k) for k in keys) for r in self.refused_visit_rows]
        return self._refused_visits

    def _key_part(self, row: Row, key: str) -> Any:
        """What a refused visit row says of one part of its natural key (None: cannot tell)."""
        value = row.values.get(key)
        if value is None:
            return None
        if key in ("cadre", "unit"):
            try:
                return self._resolve(key, value, self._cadre_refs if key == "cadre" else self._unit_refs).key
            except CongtacError:
                return None
        return value

    def _knock_on(self, what: str, query: Any) -> bool:
        """Does ``query`` name a cadre or unit whose row (or whole table) was refused?"""
        if ("cadres" if what == "cadre" else "units") in self.refused_tables:
            return True
        text = " ".join(fold(str(query)).split())
        # The whole name or code, or its place name ("ba dinh" for "Quận đoàn Ba Đình"): a short
        # refused name ("an") must not hide another row's own error ("Nguyễn Văn Tuấn").
        return any(
            text == name or name.endswith(" " + text) or name.startswith(text + " ")
            for name in self.refused_names[what]
        )

    # -- reading rows ---------------------------------------------------------

    def check(self, sources: Sequence[SourceTable]) -> None:
        by_table: dict[str, list[tuple[SourceTable, spec.HeaderMatch]]] = {t.name: [] for t in spec.TABLES}
        total = sum(len(src.rows) for src in sources)
        self.progress.start(_("Checking"), total)
        self._order = {id(src): i for i, src in enumerate(sources)}
        for source in sources:
            match = self._match(source)
            if match is not None:
                by_table[match.table.name].append((source, match))
        self._load()
        self._load_plans()
        # Each table's rows are typed as its check reads them, parents' tables first: a row
        # is held only while it is checked (what is new keeps its values, not the row).
        self._check_settings(list(self._table_rows(by_table["settings"])))
        self._check_units(list(self._table_rows(by_table["units"])))
        self._check_cadres(self._table_rows(by_table["cadres"]))
        self._check_leave(self._table_rows(by_table["leave"]))
        self._check_visits(by_table["visits"])  # their plain rows checked from the cells (import_fast)
        self._check_reports(by_table["reports"])
        self._check_plans(self._table_rows(by_table["plans"]))
        self.seen.clear()  # where each row was first seen: only the checks' messages need it
        self.raise_all()

    def _table_rows(self, found: list[tuple[SourceTable, spec.HeaderMatch]]) -> Iterator[Row]:
        for source, match in found:
            yield from self._rows(source, match)

    # -- what is recorded -----------------------------------------------------

    def _load(self) -> None:
        """What is recorded, with plain SQL, in the types the checks compare with (dates as dates)."""
        db = self.db
        day, maybe_day = db.day, db.maybe_day
        self.settings = dict(db.rows("SELECT key, value FROM setting"))
        self.units: dict[str, Ref] = {}
        self.unit_rows: dict[int, tuple[str, str, int | None]] = {}
        for uid, name, level, parent_id in db.rows("SELECT id, name, level, parent_id FROM unit"):
            self.units[fold(name)] = Ref(fold(name), (name,), name, id=uid)
            self.unit_rows[uid] = (name, level, parent_id)
        self.unit_key_of = {ref.id: key for key, ref in self.units.items()}
        self.cadres: dict[str, Ref] = {}
        self.cadre_rows: dict[str, tuple[Any, ...]] = {}
        self.deactivated: set[str] = set()  # keys of deactivated cadres: no new visit may be imported for them
        for cid, code, name, dept, email, subject, joined, left, gone in db.rows(
            'SELECT id, code, name, department, email, subject, joined, "left", deactivated_at FROM cadre'
        ):
            key = code.lower()
            if gone is not None:
                self.deactivated.add(key)
            self.cadres[key] = Ref(key, (code, name), f"{code} {name}", id=cid)
            self.cadre_rows[key] = (name, dept, email, bool(subject), maybe_day(joined), maybe_day(left), gone is None)
        self.cadre_key_of = {ref.id: key for key, ref in self.cadres.items()}
        self.leave = {
            (self.cadre_key_of[cid], day(start), day(end), reason)
            for cid, start, end, reason in db.rows('SELECT cadre_id, start, "end", reason FROM leave')
        }
        self.visits: dict[tuple[Any, ...], tuple[int, str | None, str | None, bool]] = {}
        visit_key_of: dict[int, tuple[Any, ...]] = {}
        for vid, cid, uid, start, end, kind, topic, order_no, deleted_at in db.each(
            'SELECT id, cadre_id, unit_id, start, "end", kind, topic, order_no, deleted_at FROM visit'
        ):
            key = (self.cadre_key_of[cid], self.unit_key_of[uid], day(start), day(end), kind)
            self.visits[key] = (vid, topic, order_no, deleted_at is not None)
            visit_key_of[vid] = key
        self.reports: dict[tuple[Any, ...], tuple[date, str]] = {}
        for vid, on, text in db.each("SELECT visit_id, reported_on, text FROM report"):
            self.reports[visit_key_of[vid]] = (day(on), text)

    # -- resolving names ------------------------------------------------------

    def _resolve(self, what: str, query: str, refs: Callable[[], list[Ref]]) -> Ref:
        """match_one's answer, computed once per distinct text.

        An index of folded names answers the common case (one exact match) in
        constant time; anything else goes to match_one, for the same partial
        matches, ambiguities and suggestions as on the command line.
        """
        cached = self._cache.get((what, query))
        if cached is None:
            exact = self._exact.get(what)
            if exact is None:
                exact = self._exact[what] = {}
                for ref in refs():
                    for name in {fold(n) for n in ref.names}:
                        exact.setdefault(name, []).append(ref)
            found = exact.get(fold(query), [])
            if len(found) == 1:
                cached = found[0]
            else:
                try:
                    cached = match_one(query, refs(), keys=lambda r: r.names, label=lambda r: r.label, what=what)
                except CongtacError as exc:
                    cached = exc
            self._cache[(what, query)] = cached
        if isinstance(cached, CongtacError):
            raise type(cached)(cached.message)
        return cached

    def _unit_refs(self) -> list[Ref]:
        if not hasattr(self, "_all_units"):
            new = [Ref(k, (u.name,), u.name, row=u.row) for k, u in self.new_units.items()]
            self._all_units = sorted([*self.units.values(), *new], key=lambda r: r.label)
        return self._all_units

    def _cadre_refs(self) -> list[Ref]:
        if not hasattr(self, "_all_cadres"):
            new = [
                Ref(k, (c["code"], c["name"]), f"{c['code']} {c['name']}", row=c["row"])
                for k, c in self.new_cadres.items()
            ]
            self._all_cadres = sorted([*self.cadres.values(), *new], key=lambda r: r.label)
        return self._all_cadres

    def _find(self, what: str, row: Row, key: str) -> Ref | None:
        """The cadre or unit a row names; None (and an error, unless a knock-on) when there is none."""
        query = row.values[key]
        found = self._found[what].get(query)  # the common case: a name already resolved
        if found is not None:
            return found
        try:
            found = self._resolve(what, query, self._cadre_refs if what == "cadre" else self._unit_refs)
            self._found[what][query] = found
            return found
        except CongtacError as exc:
            if not self._knock_on(what, query):
                self.fail(exc, row, key)
            return None

    def same(
        self,
        table: str,
        key: Any,
        row: Row,
        fields: Sequence[str],
        values: tuple[Any, ...],
        recorded: tuple[Any, ...] | None,
        first: tuple[Any, ...] | None,
    ) -> bool:
        """True when the row adds nothing: recorded already, or repeating an earlier row.

        The same key with other values is an error at the first column that differs.
        """
        against = recorded if recorded is not None else first
        if against is None:
            self.seen[table][key] = (row.source, row.number)  # where, for a later row's message
            return False
        for name, mine, theirs in zip(fields, values, against, strict=False):
            if mine == theirs:
                continue
            if recorded is not None and name not in row.positions:
                continue  # the file has no such column (an older format): it says nothing of this field
            if recorded is not None:
                message = _(
                    "already recorded with {field} {theirs!r}; this row has {mine!r}; an import never changes what is recorded (correct the file, or leave the row out)"
                ).format(field=row.label(name), theirs=_shown(theirs), mine=_shown(mine))
            else:
                message = _("repeats {earlier} with {field} {theirs!r}; this row has {mine!r}").format(
                    earlier=self._where_seen(table, key),
                    field=row.label(name),
                    theirs=_shown(theirs),
                    mine=_shown(mine),
                )
            self.fail(Conflict(message), row, name)
            return True
        if recorded is not None:
            self.counts[table].present += 1
        else:
            self.counts[table].repeated += 1
        return True

    def _where_seen(self, table: str, key: Any) -> str:
        source, number = self.seen[table][key]
        return source.where(number)

    def has_new(self) -> bool:
        return bool(
            self.new_settings
            or self.new_units
            or self.new_cadres
            or self.new_leave
            or self.new_visits
            or self.new_reports
            or self.new_plans
        )
