"""Export every table, and import files all or nothing, in the caller's one transaction.

Export reads each table of ``exchange.spec.TABLES`` as rows of typed values,
ordered by natural keys (never by database ids), so that the same records give
the same file whatever database holds them.

Import checks every row of every table before it writes anything, with the
validators of ``store.commands`` (so a row is accepted exactly when the
matching ``cadre add``, ``unit add``, ``add-visit`` or ``report`` would be),
then writes the new rows in bulk. Names are resolved once per distinct text
(a cadre by code or name, a unit by name or place name, as on the command
line), against the database and the rows of the same import. A row whose
natural key is already recorded with the same values is counted as already
there and skipped, so importing a file twice adds nothing the second time; the
same key with other values is refused (an import never changes what is
recorded). The first error is raised with the file, sheet, row and column.

Adding a table: a ``spec.Table``, an ``_export_<name>`` function and a
``_check_<name>``/``_write_<name>`` pair in ``_Import``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy import func as sa_func
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from congtac12.domain.vocab import KINDS, LEVELS
from congtac12.errors import Conflict, CongtacError, InvalidInput, NotFound
from congtac12.exchange import spec
from congtac12.exchange.files import Formula, Sheet, SourceTable
from congtac12.i18n import _
from congtac12.store import audit, commands, models
from congtac12.store.models import Cadre, Report, Unit, Visit
from congtac12.text import fold, match_one

CHUNK = 5_000  # rows per executemany: progress moves, memory stays flat
# What an import adds, parents first, as the audit trail names the tables.
_AUDITED: tuple[tuple[str, type], ...] = (("unit", Unit), ("cadre", Cadre), ("visit", Visit), ("report", Report))

# --- export -------------------------------------------------------------------


def _export_units(s: Session) -> list[tuple]:
    parent = aliased(Unit)
    rows = s.execute(select(Unit.name, Unit.level, parent.name).outerjoin(parent, parent.id == Unit.parent_id)).all()
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted((tuple(r) for r in rows), key=lambda r: (order.get(r[1], len(order)), r[0]))


def _export_cadres(s: Session) -> list[tuple]:
    stmt = select(Cadre.code, Cadre.name, Cadre.department, Cadre.email, Cadre.subject)
    return [(c, n, d, e, bool(sub)) for c, n, d, e, sub in s.execute(stmt.order_by(Cadre.code))]


def _visit_key_columns() -> tuple:
    return (Cadre.code, Unit.name, Visit.start, Visit.end, Visit.kind)


def _visit_order() -> tuple:
    return (Cadre.code, Visit.start, Visit.end, Unit.name, Visit.kind)


def _export_visits(s: Session) -> list[tuple]:
    stmt = (
        select(*_visit_key_columns(), Visit.topic, Visit.order_no)
        .join(Cadre, Cadre.id == Visit.cadre_id)
        .join(Unit, Unit.id == Visit.unit_id)
        .where(Visit.deleted_at.is_(None))  # the live record: deleted visits stay in the database
        .order_by(*_visit_order())
    )
    return [tuple(r) for r in s.execute(stmt)]


def _export_reports(s: Session) -> list[tuple]:
    stmt = (
        select(*_visit_key_columns(), Report.reported_on, Report.text)
        .join(Visit, Visit.id == Report.visit_id)
        .join(Cadre, Cadre.id == Visit.cadre_id)
        .join(Unit, Unit.id == Visit.unit_id)
        .where(Report.deleted_at.is_(None))
        .order_by(*_visit_order())
    )
    return [tuple(r) for r in s.execute(stmt)]


_EXPORTERS: dict[str, Callable[[Session], list[tuple]]] = {
    "units": _export_units,
    "cadres": _export_cadres,
    "visits": _export_visits,
    "reports": _export_reports,
}


def export_sheets(s: Session, *, spreadsheet: bool = False) -> list[Sheet]:
    """Every table as a Sheet. ``spreadsheet``: kinds and levels by their Vietnamese names."""
    sheets = []
    for table in spec.TABLES:
        rows = _EXPORTERS[table.name](s)
        if spreadsheet:
            rows = [tuple(_spreadsheet_value(c, v) for c, v in zip(table.columns, r, strict=False)) for r in rows]
        sheets.append(Sheet(table.name, table.sheet, table.columns, rows))
    return sheets


def _spreadsheet_value(column: spec.Column, value: Any) -> Any:
    if column.type == spec.KIND:
        return KINDS.get(value, value)
    if column.type == spec.LEVEL:
        return LEVELS.get(value, value)
    return value


# --- import -------------------------------------------------------------------


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


@dataclass
class _Row:
    """One row of a file, typed, with where each of its values came from."""

    source: SourceTable
    number: int
    values: dict[str, Any]
    positions: dict[str, int]
    table: spec.Table

    def where(self, key: str | None = None) -> str:
        column = self.positions.get(key) if key is not None else None
        return self.source.where(self.number, column)

    def label(self, key: str) -> str:
        """The column's header as the file spells it (for messages)."""
        position = self.positions.get(key)
        if position is None:
            return self.table.column(key).header
        return str(self.source.headers[position])


@dataclass(frozen=True)
class _Ref:
    """A cadre or unit that a row may name: recorded (id) or new in this import (row)."""

    key: str
    names: tuple[str, ...]
    label: str
    id: int | None = None
    row: _Row | None = None


@dataclass
class _NewUnit:
    row: _Row
    name: str
    level: str
    parent: _Ref | None = None


def import_tables(
    s: Session,
    sources: Sequence[SourceTable],
    *,
    today: date,
    progress: Progress | None = None,
    write: bool = True,
) -> ImportResult:
    """Check every row of ``sources``, then (``write``) add the new ones; raise the first error."""
    job = _Import(s, today, progress or _NoProgress())
    job.check(sources)
    if write and job.has_new():
        job.write()
    return ImportResult(job.counts, job.ignored, written=write)


class _Import:
    def __init__(self, s: Session, today: date, progress: Progress) -> None:
        self.s = s
        self.today = today
        self.progress = progress
        self.errors: list[tuple[tuple[int, int, int], CongtacError]] = []
        self._order: dict[int, int] = {}  # id(source) -> its place in reading order
        self.ignored: list[str] = []
        self.counts = {t.name: TableCount() for t in spec.TABLES}
        self._cache: dict[tuple[str, str], _Ref | CongtacError] = {}
        self._parsed: dict[tuple, Any] = {}
        self._exact: dict[str, dict[str, list[_Ref]]] = {}
        self.new_units: dict[str, _NewUnit] = {}
        self.new_cadres: dict[str, dict[str, Any]] = {}
        self.new_visits: dict[tuple, dict[str, Any]] = {}
        self.new_reports: dict[tuple, dict[str, Any]] = {}
        self.seen: dict[str, dict[Any, _Row]] = {t.name: {} for t in spec.TABLES}

    # -- errors ---------------------------------------------------------------

    def fail(
        self,
        exc: CongtacError,
        row: _Row | None = None,
        key: str | None = None,
        *,
        source: SourceTable | None = None,
        number: int = 0,
        position: int | None = None,
    ) -> None:
        """Keep an error; the one raised is the first in reading order (file, row, column)."""
        if row is not None:
            source, number = row.source, row.number
            position = row.positions.get(key or exc.field) if (key or exc.field) else None
            exc = exc.located(row.where(key or exc.field))
        order = self._order.get(id(source), -1) if source is not None else -1
        self.errors.append(((order, number, -1 if position is None else position), exc))

    def raise_first(self) -> None:
        if not self.errors:
            return
        first = min(self.errors, key=lambda e: e[0])[1]
        more = len(self.errors) - 1
        if more:
            first = type(first)(
                _("{message} (and {n} more error(s); nothing was imported)").format(message=first.message, n=more)
            )
        else:
            first = type(first)(_("{message} (nothing was imported)").format(message=first.message))
        raise first

    # -- reading rows ---------------------------------------------------------

    def check(self, sources: Sequence[SourceTable]) -> None:
        by_table: dict[str, list[_Row]] = {t.name: [] for t in spec.TABLES}
        total = sum(len(src.rows) for src in sources)
        self.progress.start(_("Checking"), total)
        self._order = {id(src): i for i, src in enumerate(sources)}
        for source in sources:
            match = self._match(source)
            if match is None:
                continue
            by_table[match.table.name].extend(self._rows(source, match))
        self._load()
        self._check_units(by_table["units"])
        self._check_cadres(by_table["cadres"])
        self._check_visits(by_table["visits"])
        self._check_reports(by_table["reports"])
        self.raise_first()

    def _match(self, source: SourceTable) -> spec.HeaderMatch | None:
        name = source.sheet if source.sheet is not None else source.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        table = spec.table_named(name)
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
            column = match.missing[0]
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

    def _rows(self, source: SourceTable, match: spec.HeaderMatch) -> Iterable[_Row]:
        table = match.table
        done = 0  # rows read, told to the progress bar a thousand at a time
        for number, cells in source.rows:
            values: dict[str, Any] = {}
            ok = True
            for column in table.columns:
                position = match.positions.get(column.key)
                raw = cells[position] if position is not None and position < len(cells) else None
                try:
                    if isinstance(raw, Formula):
                        raise InvalidInput(
                            _(
                                "the cell holds a formula ({formula}); accepted: a value (copy the column and paste it as values)"
                            ).format(formula=raw.text)
                        )
                    values[column.key] = self._parse(column, raw)
                except CongtacError as exc:
                    self.fail(
                        exc.located(source.where(number, position)), source=source, number=number, position=position
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
            done += 1
            if done % 1000 == 0:
                self.progress.advance(1000)
            if ok:
                yield _Row(source, number, values, match.positions, table)
        self.progress.advance(done % 1000)

    def _parse(self, column: spec.Column, raw: Any) -> Any:
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

    # -- what is recorded -----------------------------------------------------

    def _load(self) -> None:
        s = self.s
        self.units: dict[str, _Ref] = {}
        self.unit_rows: dict[int, tuple[str, str, int | None]] = {}
        for uid, name, level, parent_id in s.execute(select(Unit.id, Unit.name, Unit.level, Unit.parent_id)):
            self.units[fold(name)] = _Ref(fold(name), (name,), name, id=uid)
            self.unit_rows[uid] = (name, level, parent_id)
        self.unit_key_of = {ref.id: key for key, ref in self.units.items()}
        self.cadres: dict[str, _Ref] = {}
        self.cadre_rows: dict[str, tuple] = {}
        for cid, code, name, dept, email, subject in s.execute(
            select(Cadre.id, Cadre.code, Cadre.name, Cadre.department, Cadre.email, Cadre.subject)
        ):
            key = code.lower()
            self.cadres[key] = _Ref(key, (code, name), f"{code} {name}", id=cid)
            self.cadre_rows[key] = (name, dept, email, bool(subject))
        self.cadre_key_of = {ref.id: key for key, ref in self.cadres.items()}
        self.visits: dict[tuple, tuple[int, str | None, str | None]] = {}
        visit_key_of: dict[int, tuple] = {}
        for vid, cid, uid, start, end, kind, topic, order_no in s.execute(
            select(
                Visit.id, Visit.cadre_id, Visit.unit_id, Visit.start, Visit.end, Visit.kind, Visit.topic, Visit.order_no
            )
        ):
            key = (self.cadre_key_of[cid], self.unit_key_of[uid], start, end, kind)
            self.visits[key] = (vid, topic, order_no)
            visit_key_of[vid] = key
        self.reports: dict[tuple, tuple[date, str]] = {}
        for vid, on, text in s.execute(select(Report.visit_id, Report.reported_on, Report.text)):
            self.reports[visit_key_of[vid]] = (on, text)

    # -- resolving names ------------------------------------------------------

    def _resolve(self, what: str, query: str, refs: Callable[[], list[_Ref]]) -> _Ref:
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

    def _unit_refs(self) -> list[_Ref]:
        if not hasattr(self, "_all_units"):
            new = [_Ref(k, (u.name,), u.name, row=u.row) for k, u in self.new_units.items()]
            self._all_units = sorted([*self.units.values(), *new], key=lambda r: r.label)
        return self._all_units

    def _cadre_refs(self) -> list[_Ref]:
        if not hasattr(self, "_all_cadres"):
            new = [
                _Ref(k, (c["code"], c["name"]), f"{c['code']} {c['name']}", row=c["row"])
                for k, c in self.new_cadres.items()
            ]
            self._all_cadres = sorted([*self.cadres.values(), *new], key=lambda r: r.label)
        return self._all_cadres

    def _same(
        self,
        table: str,
        key: Any,
        row: _Row,
        fields: Sequence[str],
        values: tuple,
        recorded: tuple | None,
        first: tuple | None,
    ) -> bool:
        """True when the row adds nothing: recorded already, or repeating an earlier row.

        The same key with other values is an error at the first column that differs.
        """
        against = recorded if recorded is not None else first
        if against is None:
            self.seen[table][key] = row
            return False
        for name, mine, theirs in zip(fields, values, against, strict=False):
            if mine == theirs:
                continue
            if recorded is not None:
                message = _(
                    "already recorded with {field} {theirs!r}; this row has {mine!r}; an import never changes what is recorded (correct the file, or leave the row out)"
                ).format(field=row.label(name), theirs=theirs, mine=mine)
            else:
                message = _("repeats {earlier} with {field} {theirs!r}; this row has {mine!r}").format(
                    earlier=self.seen[table][key].where(), field=row.label(name), theirs=theirs, mine=mine
                )
            self.fail(Conflict(message), row, name)
            return True
        if recorded is not None:
            self.counts[table].present += 1
        else:
            self.counts[table].repeated += 1
        return True

    # -- units ----------------------------------------------------------------

    def _check_units(self, rows: list[_Row]) -> None:
        checked: list[tuple[_Row, str, str, str | None]] = []
        for row in rows:
            v = row.values
            try:
                name = commands.check_unit(name=v["name"], level=v["level"])
            except CongtacError as exc:
                self.fail(exc, row)
                continue
            key = fold(name)
            if key not in self.units and key not in self.new_units:
                self.new_units[key] = _NewUnit(row, name, v["level"])
            checked.append((row, key, v["level"], v["parent"]))
        # Parents are resolved once every unit of the file is known: a parent may come later.
        first: dict[str, tuple] = {}
        for row, key, level, parent_text in checked:
            parent: _Ref | None = None
            if parent_text is not None:
                try:
                    parent = self._resolve("unit", parent_text, self._unit_refs)
                except CongtacError as exc:
                    self.fail(exc, row, "parent")
                    continue
                if parent.key == key:
                    self.fail(InvalidInput(_("a unit cannot be its own parent")), row, "parent")
                    continue
            values = (level, parent.label if parent else None)
            recorded = None
            if key in self.units:
                _name, rec_level, rec_parent = self.unit_rows[self.units[key].id]
                recorded = (rec_level, self.unit_rows[rec_parent][0] if rec_parent else None)
            if not self._same("units", key, row, ("level", "parent"), values, recorded, first.get(key)):
                self.new_units[key].parent = parent
                first[key] = values
        self._order_new_units()

    def _order_new_units(self) -> None:
        """New units, parents first; a loop of parents among them is an error."""
        ordered: dict[str, _NewUnit] = {}
        visiting: set[str] = set()

        def visit(key: str, unit: _NewUnit) -> bool:
            if key in ordered:
                return True
            if key in visiting:
                self.fail(
                    InvalidInput(_("the parents of units {name!r} form a loop").format(name=unit.name)),
                    unit.row,
                    "parent",
                )
                return False
            visiting.add(key)
            parent = unit.parent
            if parent is not None and parent.id is None and parent.key in self.new_units:
                if not visit(parent.key, self.new_units[parent.key]):
                    return False
            visiting.discard(key)
            ordered[key] = unit
            return True

        for key, unit in list(self.new_units.items()):
            visit(key, unit)
        self.new_units = ordered
        self.counts["units"].added = len(ordered)

    # -- cadres ---------------------------------------------------------------

    def _check_cadres(self, rows: list[_Row]) -> None:
        fields = ("name", "department", "email", "subject")
        for row in rows:
            v = row.values
            try:
                code, name, dept, email = commands.check_cadre(
                    code=v["code"], name=v["name"], department=v["department"], email=v["email"]
                )
            except CongtacError as exc:
                self.fail(exc, row)
                continue
            key = code.lower()
            values = (name, dept, email, bool(v["subject"]))
            first = self.new_cadres.get(key)
            first_values = tuple(first[f] for f in fields) if first else None
            if self._same("cadres", key, row, fields, values, self.cadre_rows.get(key), first_values):
                continue
            self.new_cadres[key] = {"row": row, "code": code, **dict(zip(fields, values, strict=False))}
            self.counts["cadres"].added += 1

    # -- visits and reports ---------------------------------------------------

    def _visit_key(self, row: _Row) -> tuple | None:
        v = row.values
        end = v["end"] if v["end"] is not None else v["start"]
        try:
            cadre = self._resolve("cadre", v["cadre"], self._cadre_refs)
        except CongtacError as exc:
            self.fail(exc, row, "cadre")
            return None
        try:
            unit = self._resolve("unit", v["unit"], self._unit_refs)
        except CongtacError as exc:
            self.fail(exc, row, "unit")
            return None
        return (cadre.key, unit.key, v["start"], end, v["kind"])

    def _check_visits(self, rows: list[_Row]) -> None:
        fields = ("topic", "order_no")
        for row in rows:
            v = row.values
            end = v["end"] if v["end"] is not None else v["start"]
            try:
                topic, order_no = commands.check_visit(
                    start=v["start"],
                    end=end,
                    kind=v["kind"],
                    topic=v["topic"],
                    order_no=v["order_no"],
                    labels=(row.label("start"), row.label("end")),
                )
            except CongtacError as exc:
                self.fail(exc, row)
                continue
            key = self._visit_key(row)
            if key is None:
                continue
            recorded = self.visits.get(key)
            first = self.new_visits.get(key)
            if self._same(
                "visits",
                key,
                row,
                fields,
                (topic, order_no),
                recorded[1:] if recorded else None,
                (first["topic"], first["order_no"]) if first else None,
            ):
                continue
            self.new_visits[key] = {"topic": topic, "order_no": order_no}
            self.counts["visits"].added += 1

    def _check_reports(self, rows: list[_Row]) -> None:
        fields = ("reported_on", "text")
        for row in rows:
            v = row.values
            key = self._visit_key(row)
            if key is None:
                continue
            if key not in self.visits and key not in self.new_visits:
                self.fail(
                    NotFound(
                        _(
                            "no visit of {cadre} to {unit} from {start} to {end} ({kind}) is recorded or imported; a report needs its visit"
                        ).format(
                            cadre=v["cadre"],
                            unit=v["unit"],
                            start=key[2].isoformat(),
                            end=key[3].isoformat(),
                            kind=key[4],
                        )
                    ),
                    row,
                )
                continue
            try:
                text = commands.check_report(on=v["reported_on"], visit_end=key[3], text=v["text"] or "")
            except CongtacError as exc:
                self.fail(exc, row)
                continue
            first = self.new_reports.get(key)
            if self._same(
                "reports",
                key,
                row,
                fields,
                (v["reported_on"], text),
                self.reports.get(key),
                (first["reported_on"], first["text"]) if first else None,
            ):
                continue
            self.new_reports[key] = {"reported_on": v["reported_on"], "text": text}
            self.counts["reports"].added += 1

    # -- writing --------------------------------------------------------------

    def has_new(self) -> bool:
        return bool(self.new_units or self.new_cadres or self.new_visits or self.new_reports)

    def write(self) -> None:
        if self.s.get_bind().dialect.name == "postgresql":
            self._check_rights()
        conn = self.s.connection()
        now = models._now()
        # The rows go in with Core inserts, which the audit trail does not see:
        # note them here, so that the import is one change in 'history' (and can be undone).
        audit.describe(
            self.s,
            "import",
            _("imported {counts}").format(
                counts=", ".join(
                    _("{n:,} {table}").format(n=c.added, table=name) for name, c in self.counts.items() if c.added
                )
            ),
        )
        last_ids = {model: conn.execute(select(sa_func.max(model.id))).scalar() or 0 for _e, model in _AUDITED}
        total = len(self.new_units) + len(self.new_cadres) + len(self.new_visits) + len(self.new_reports)
        self.progress.start(_("Writing"), total)
        unit_ids = {key: ref.id for key, ref in self.units.items()}
        for key, unit in self.new_units.items():
            parent_id = unit_ids[unit.parent.key] if unit.parent is not None else None
            result = conn.execute(
                Unit.__table__.insert(),
                {"name": unit.name, "level": unit.level, "parent_id": parent_id, "created_at": now},
            )
            unit_ids[key] = result.inserted_primary_key[0]
            self.progress.advance()
        cadre_ids = {key: ref.id for key, ref in self.cadres.items()}
        if self.new_cadres:
            conn.execute(
                Cadre.__table__.insert(),
                [
                    {
                        "code": c["code"],
                        "name": c["name"],
                        "department": c["department"],
                        "email": c["email"],
                        "subject": c["subject"],
                        "created_at": now,
                    }
                    for c in self.new_cadres.values()
                ],
            )
            self.progress.advance(len(self.new_cadres))
            for cid, code in conn.execute(select(Cadre.id, Cadre.code)):
                cadre_ids[code.lower()] = cid
        rows = [
            {
                "cadre_id": cadre_ids[k[0]],
                "unit_id": unit_ids[k[1]],
                "start": k[2],
                "end": k[3],
                "kind": k[4],
                "topic": v["topic"],
                "order_no": v["order_no"],
                "created_at": now,
            }
            for k, v in self.new_visits.items()
        ]
        self._insert_many(conn, Visit.__table__, rows)
        if self.new_reports:
            cadre_key = {cid: k for k, cid in cadre_ids.items()}
            unit_key = {uid: k for k, uid in unit_ids.items()}
            visit_ids = {
                (cadre_key[cid], unit_key[uid], start, end, kind): vid
                for vid, cid, uid, start, end, kind in conn.execute(
                    select(Visit.id, Visit.cadre_id, Visit.unit_id, Visit.start, Visit.end, Visit.kind)
                )
            }
            reports = [
                {"visit_id": visit_ids[k], "reported_on": r["reported_on"], "text": r["text"], "created_at": now}
                for k, r in self.new_reports.items()
            ]
            self._insert_many(conn, Report.__table__, reports)
        self._note_inserted(conn, last_ids)

    def _check_rights(self) -> None:
        """Organisation mode: refuse, before the database does, rows this login may not add."""
        from congtac12.store import org

        if self.new_units:
            org.check_admin(self.s, _("units"))
        if self.new_cadres:
            org.check_admin(self.s, _("cadres"))
        for key in sorted({k[0] for k in self.new_visits} | {k[0] for k in self.new_reports}):
            ref = self.cadres.get(key)
            if ref is not None:
                org.check_record(self.s, self.s.get_one(Cadre, ref.id), _("an imported visit or report"))

    def _note_inserted(self, conn: Any, last_ids: dict[type, int]) -> None:
        """Give the audit trail every row this import added (those above the ids there were)."""
        for entity, model in _AUDITED:
            table = model.__table__
            for row in conn.execute(select(table).where(table.c.id > last_ids[model]).order_by(table.c.id)):
                audit.note_inserted(self.s, entity, dict(row._mapping))

    def _insert_many(self, conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), CHUNK):
            chunk = rows[i : i + CHUNK]
            conn.execute(table.insert(), chunk)
            self.progress.advance(len(chunk))
