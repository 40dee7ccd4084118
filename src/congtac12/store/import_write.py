"""Writing a checked import (``importer.Import``): the new rows in bulk, as one change in the history.

Parents first: settings, units, cadres, leave, visits, reports. A deactivated cadre,
a deleted visit and its report are written as 'cadre delete' and 'delete-visit'
leave them (``deactivated_at``, ``deleted_at``: the import's time), so that the
record comes back in the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import func as sa_func
from sqlalchemy import select
from sqlmodel import col

from congtac12.i18n import _
from congtac12.store import audit, commands, import_audit, models
from congtac12.store.audit import database_writes_history
from congtac12.store.models import Cadre, Leave, Plan, Report, Unit, Visit, table_of

if TYPE_CHECKING:
    from congtac12.store.importer import Import

CHUNK = 5_000  # rows per executemany: progress moves, memory stays flat
# What an import adds below the ORM, parents first, as the audit trail names the tables.
_AUDITED: tuple[tuple[str, type[Any]], ...] = (
    ("unit", Unit),
    ("cadre", Cadre),
    ("leave", Leave),
    ("visit", Visit),
    ("report", Report),
    ("plan", Plan),
)


def write(job: Import) -> None:
    s = job.s
    if s.get_bind().dialect.name == "postgresql":
        _check_rights(job)
    conn = s.connection()
    now = models.now_utc()
    # The rows go in below the ORM, which the audit trail does not see: the database appends
    # them to the change (``import_audit``), so that the import is one change in 'history'
    # (and can be undone).
    audit.describe(
        s,
        "import",
        _("imported {counts}").format(
            counts=", ".join(
                _("{n:,} {table}").format(n=c.added, table=name) for name, c in job.counts.items() if c.added
            )
        ),
    )
    last_ids = {model: conn.execute(select(sa_func.max(model.id))).scalar() or 0 for _e, model in _AUDITED}
    total = sum(
        len(new)
        for new in (
            job.new_units,
            job.new_cadres,
            job.new_leave,
            job.new_visits,
            job.new_reports,
            job.new_settings,
            job.new_plans,
        )
    )
    job.progress.start(_("Writing"), total)
    for key, value in job.new_settings.items():
        commands.set_setting(s, key=key, value=value)  # through the ORM: audited as 'config set' is
        job.progress.advance()
    conn = s.connection()
    unit_ids = {key: ref.id for key, ref in job.units.items()}
    for key, unit in job.new_units.items():
        parent_id = unit_ids[unit.parent.key] if unit.parent is not None else None
        result = conn.execute(
            table_of(Unit).insert(),
            {"name": unit.name, "level": unit.level, "parent_id": parent_id, "created_at": now},
        )
        inserted = result.inserted_primary_key
        assert inserted is not None  # a one-row insert into a table with a primary key: always its key
        unit_ids[key] = inserted[0]
        job.progress.advance()
    cadre_ids = {key: ref.id for key, ref in job.cadres.items()}
    if job.new_cadres:
        conn.execute(
            table_of(Cadre).insert(),
            [
                {
                    "code": c["code"],
                    "name": c["name"],
                    "department": c["department"],
                    "email": c["email"],
                    "subject": c["subject"],
                    "joined": c["joined"],
                    "left": c["left"],
                    "created_at": now,
                    "deactivated_at": None if c["active"] else now,
                }
                for c in job.new_cadres.values()
            ],
        )
        job.progress.advance(len(job.new_cadres))
        for cid, code in conn.execute(select(col(Cadre.id), col(Cadre.code))):
            cadre_ids[code.lower()] = cid
    _insert_rows(
        job,
        conn,
        Leave,
        ("cadre_id", "start", "end", "reason", "created_at"),
        ((cadre_ids[k[0]], k[1], k[2], k[3], now) for k in job.new_leave),
    )
    first_visit = last_ids[Visit] + 1
    _insert_visits(job, conn, cadre_ids, unit_ids, now)
    if job.new_reports:
        _insert_reports(job, conn, cadre_ids, unit_ids, now, first_visit)
    job.new_visits.clear()  # written, and their ids known: let them go
    if job.new_plans:
        _insert_plans(job, conn, cadre_ids, unit_ids, now)
    if not database_writes_history(s):
        added = [(entity, model, last_ids[model]) for entity, model in _AUDITED]
        audit.add_bulk_items(s, import_audit.items_writer(conn.dialect.name, added))


def _insert_visits(job: Import, conn: Any, cadre_ids: dict[str, Any], unit_ids: dict[str, Any], now: datetime) -> None:
    """The new visits, in the order of ``job.new_visits`` (a deleted one as 'delete-visit' leaves it)."""
    day = _Converted(conn, Visit, "start")
    stamp = _Converted(conn, Visit, "created_at")[now]
    rows = (
        (cadre_ids[cadre], unit_ids[unit], day[start], day[end], kind, topic, order_no, stamp, stamp if gone else None)
        for (cadre, unit, start, end, kind), (topic, order_no, gone) in job.new_visits.items()
    )
    columns = ("cadre_id", "unit_id", "start", "end", "kind", "topic", "order_no", "created_at", "deleted_at")
    _execute_chunks(job, conn, _insert_sql(conn, Visit, columns), rows)


def _insert_reports(
    job: Import, conn: Any, cadre_ids: dict[str, Any], unit_ids: dict[str, Any], now: datetime, first_visit: int
) -> None:
    """The new reports, each joined to its visit's id: a recorded visit's is known; a new visit's is
    its place among the new ones after the first new id, when the database gave the new visits
    exactly those ids (always on SQLite, where one writer appends them), else read back by key."""
    known = _number_new_visits(job, conn, first_visit)
    visit_of = None if known else _visit_ids(conn, cadre_ids, unit_ids)
    ids = job.new_visits  # when known: each new visit's id and whether it is deleted
    recorded = job.visits
    day = _Converted(conn, Report, "reported_on")
    stamp = _Converted(conn, Report, "created_at")[now]

    def rows() -> Iterator[tuple[Any, ...]]:
        for k, (on, text) in job.new_reports.items():
            found = recorded.get(k)
            if found is not None:
                vid, deleted = found[0], found[3]
            elif known:
                vid, deleted = ids[k]  # type: ignore[misc]
            else:
                assert visit_of is not None
                vid, deleted = visit_of(k)
            # deleted with its visit, as 'delete-visit' leaves it
            yield (vid, day[on], text, stamp, stamp if deleted else None)

    columns = ("visit_id", "reported_on", "text", "created_at", "deleted_at")
    _execute_chunks(job, conn, _insert_sql(conn, Report, columns), rows())


def _number_new_visits(job: Import, conn: Any, first: int) -> bool:
    """When the new visits hold exactly the ids ``first`` … ``first + n - 1`` (so in the order they
    were given), each new visit's values become its id and whether it is deleted; else False."""
    n = len(job.new_visits)
    low, high, count = conn.exec_driver_sql(
        f"SELECT min(id), max(id), count(*) FROM visit WHERE id >= {int(first)}"
    ).one()
    if n == 0 or (low, high, count) != (first, first + n - 1, n):
        return False
    new = job.new_visits
    for i, (k, v) in enumerate(new.items()):
        new[k] = (first + i, v[2])  # type: ignore[assignment]
    return True


def _visit_ids(
    conn: Any, cadre_ids: dict[str, Any], unit_ids: dict[str, Any]
) -> Callable[[tuple[Any, ...]], tuple[int, bool]]:
    """Each visit's id (and whether it is deleted) by its natural key, as the checks name it."""
    to_db = _to_db(conn, Visit, ("start", "end"))
    q = conn.dialect.identifier_preparer.quote
    visit_ids = {
        (cid, uid, start, end, kind): (vid, deleted_at is not None)
        for vid, cid, uid, start, end, kind, deleted_at in conn.exec_driver_sql(
            "SELECT id, cadre_id, unit_id, start, {end}, kind, deleted_at FROM visit".format(end=q("end"))
        )
    }
    date = to_db["start"]

    def visit_of(k: tuple[Any, ...]) -> tuple[int, bool]:
        return visit_ids[(cadre_ids[k[0]], unit_ids[k[1]], date(k[2]), date(k[3]), k[4])]

    return visit_of


def _insert_plans(job: Import, conn: Any, cadre_ids: dict[str, Any], unit_ids: dict[str, Any], now: datetime) -> None:
    """The new plans in their recorded state, each linked to its visit's id by the visit's natural key."""
    visit_of = _visit_ids(conn, cadre_ids, unit_ids)
    columns: tuple[str, ...] = ("cadre_id", "unit_id", "start", "end", "kind", "days", "topic", "state", "reason")
    columns += ("decided_by", "decided_at", "visit_id", "created_at")
    _insert_rows(
        job,
        conn,
        Plan,
        columns,
        (
            (cadre_ids[k[0]], unit_ids[k[1]], *k[2:], *p[:6], visit_of(p[6])[0] if p[6] is not None else None, now)
            for k, p in job.new_plans.items()
        ),
    )


def _check_rights(job: Import) -> None:
    """Organisation mode: refuse, before the database does, rows this login may not add."""
    from congtac12.store import org

    s = job.s
    if job.new_units:
        org.check_admin(s, _("units"))
    if job.new_cadres:
        org.check_admin(s, _("cadres"))
    if job.new_settings:
        org.check_admin(s, _("settings"))
    if any(p[2] in ("approved", "returned") for p in job.new_plans.values()):
        org.check_admin(s, _("plan approvals"))
    owners = {k[0] for k in job.new_visits} | {k[0] for k in job.new_reports} | {k[0] for k in job.new_leave}
    owners |= {k[0] for k in job.new_plans}
    for key in sorted(owners):
        ref = job.cadres.get(key)
        if ref is not None:
            org.check_record(s, s.get_one(Cadre, ref.id), _("an imported visit or report"))


def _to_db(conn: Any, model: type, columns: Sequence[str]) -> dict[str, Callable[[Any], Any]]:
    """Each column's value as the driver is given it, the ORM's own conversion (a date as text on
    SQLite), computed once per distinct value: dates and stamps repeat a great deal."""
    out: dict[str, Callable[[Any], Any]] = {}
    for name in columns:
        kind = table_of(model).c[name].type
        process = kind.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if process is None:
            out[name] = _same
            continue
        memo: dict[Any, Any] = {}

        def convert(value: Any, process: Callable[[Any], Any] = process, memo: dict[Any, Any] = memo) -> Any:
            if value is None:
                return None
            found = memo.get(value)
            if found is None:
                found = memo[value] = process(value)
            return found

        out[name] = convert
    return out


def _same(value: Any) -> Any:
    return value


class _Converted(dict[Any, Any]):
    """A column's values as the driver is given them (the ORM's own conversion: a date as text on
    SQLite), each distinct value converted once: ``converted[value]``."""

    def __init__(self, conn: Any, model: type, column: str) -> None:
        super().__init__()
        kind = table_of(model).c[column].type
        self.process = kind.dialect_impl(conn.dialect).bind_processor(conn.dialect) or _same

    def __missing__(self, value: Any) -> Any:
        found = self[value] = None if value is None else self.process(value)
        return found


def _insert_sql(conn: Any, model: type, columns: Sequence[str]) -> str:
    dialect = conn.dialect
    q = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    return "INSERT INTO {table} ({columns}) VALUES ({marks})".format(
        table=q(table_of(model).name), columns=", ".join(q(c) for c in columns), marks=", ".join([mark] * len(columns))
    )


def _execute_chunks(job: Import, conn: Any, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """``sql`` run with the driver's executemany over ``rows``, CHUNK at a time (the progress moves)."""
    rows = iter(rows)
    while True:
        chunk = list(islice(rows, CHUNK))
        if not chunk:
            return
        conn.exec_driver_sql(sql, chunk)
        job.progress.advance(len(chunk))


def _insert_rows(job: Import, conn: Any, model: type, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """``rows`` (values in the order of ``columns``) inserted with the driver's executemany, CHUNK at a time.

    Below the ORM and SQLAlchemy's per-row processing: the rows were checked
    (``importer``), and the database still checks its own rules (constraints,
    triggers, row-level security on PostgreSQL).
    """
    to_db = _to_db(conn, model, [c for c in columns if not c.endswith("_id") and c not in _PLAIN])
    positions = [(i, to_db[c]) for i, c in enumerate(columns) if c in to_db and to_db[c] is not _same]

    def converted() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            if positions:
                values = list(row)
                for i, convert in positions:
                    values[i] = convert(values[i])
                row = tuple(values)
            yield row

    _execute_chunks(job, conn, _insert_sql(conn, model, columns), converted())


_PLAIN = frozenset(
    {"kind", "topic", "order_no", "text", "reason", "days", "state", "decided_by"}
)  # text columns: given as they are
