"""Writing a checked import (``importer.Import``): the new rows in bulk, as one change in the history.

On the command's DB-API connection (``store.write``), with no ORM: the rows go in by ``executemany``,
CHUNK at a time, and the history records them as one change (``write.history``: the rows' items by
``INSERT … SELECT``; the database's own triggers on PostgreSQL).

Parents first: settings, units, cadres, leave, visits, reports, plans. A deactivated cadre,
a deleted visit and its report are written as 'cadre delete' and 'delete-visit'
leave them (``deactivated_at``, ``deleted_at``: the import's time), so that the
record comes back in the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, count, islice
from typing import TYPE_CHECKING, Any

from congtac12.errors import InvalidInput
from congtac12.i18n import _
from congtac12.store.limits import SETTING_MAX
from congtac12.store.rows import now_utc
from congtac12.store.write import history
from congtac12.text import fold

if TYPE_CHECKING:
    from congtac12.store.importer import Import
    from congtac12.store.write.connect import Writer

CHUNK = 5_000  # rows per executemany: progress moves, memory stays flat
# SQLite: rows per INSERT statement. 100 rows a statement took visits + reports of 100,000 visits
# from 1.21–1.26 s (executemany of one row) to 0.71–0.78 s with every trigger (benchmarks/schema_costs.py);
# 500 gained nothing more. 100 × 9 columns stays under SQLite's oldest limit of 999 parameters.
ROWS_PER_INSERT = 100
# What an import adds in bulk, parents first, as the audit trail names the tables.
_AUDITED = ("unit", "cadre", "leave", "visit", "report", "plan")


def write(job: Import) -> None:
    db = job.db
    if db.postgres:
        _check_rights(job)
    now = now_utc()
    summary = _("imported {counts}").format(
        counts=", ".join(_("{n:,} {table}").format(n=c.added, table=name) for name, c in job.counts.items() if c.added)
    )
    last_ids = {entity: db.one(f'SELECT max(id) FROM "{entity}"')[0] or 0 for entity in _AUDITED}
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
    items = _write_settings(job)
    stamp = db.to_moment(now)
    unit_ids = {key: ref.id for key, ref in job.units.items()}
    for key, unit in job.new_units.items():
        parent_id = unit_ids[unit.parent.key] if unit.parent is not None else None
        (unit_ids[key],) = db.one(
            "INSERT INTO unit (name, name_key, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (unit.name, fold(unit.name), unit.level, parent_id, stamp),
        )
        job.progress.advance()
    cadre_ids = {key: ref.id for key, ref in job.cadres.items()}
    if job.new_cadres:
        to_day = db.to_day
        db.executemany(
            'INSERT INTO cadre (code, code_key, name, department, email, subject, joined, "left", created_at, '
            "deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c["code"],
                    fold(c["code"]),
                    c["name"],
                    c["department"],
                    c["email"],
                    c["subject"],
                    to_day(c["joined"]),
                    to_day(c["left"]),
                    stamp,
                    None if c["active"] else stamp,
                )
                for c in job.new_cadres.values()
            ],
        )
        job.progress.advance(len(job.new_cadres))
        for cid, code in db.rows("SELECT id, code FROM cadre"):
            cadre_ids[code.lower()] = cid
    day = _Converted(db.to_day)
    _execute_chunks(
        job,
        'INSERT INTO leave (cadre_id, start, "end", reason, created_at) VALUES (?, ?, ?, ?, ?)',
        ((cadre_ids[k[0]], day[k[1]], day[k[2]], k[3], stamp) for k in job.new_leave),
    )
    first_visit = last_ids["visit"] + 1
    _insert_visits(job, cadre_ids, unit_ids, stamp)
    if job.new_reports:
        _insert_reports(job, cadre_ids, unit_ids, stamp, first_visit)
    job.new_visits.clear()  # written, and their ids known: let them go
    if job.new_plans:
        _insert_plans(job, cadre_ids, unit_ids, stamp)
    history.record(
        db, action="import", summary=summary, items=items, added=[(entity, last_ids[entity]) for entity in _AUDITED]
    )


def _write_settings(job: Import) -> list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]]:
    """The new settings, as ``commands.set_setting`` writes them (its checks; organisation mode's
    right was checked before), and their items in the history, as the session's audit notes them."""
    db = job.db
    items: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    for key, value in job.new_settings.items():
        if len(value) > SETTING_MAX:
            raise InvalidInput(
                _("the value of {key} is {n} characters; accepted: at most {max}").format(
                    key=key, n=len(value), max=SETTING_MAX
                )
            )
        found = db.rows("SELECT key, value FROM setting WHERE key = ?", (key,))
        if found:
            db.execute("UPDATE setting SET value = ? WHERE key = ?", (value, key))
            before: dict[str, Any] | None = {"key": found[0][0], "value": found[0][1]}
        else:
            db.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (key, value))
            before = None
        items.append(("setting", key, before, {"key": key, "value": value}))
        job.progress.advance()
    return items


def _insert_visits(job: Import, cadre_ids: dict[str, Any], unit_ids: dict[str, Any], stamp: Any) -> None:
    """The new visits, in the order of ``job.new_visits`` (a deleted one as 'delete-visit' leaves it)."""
    day = _Converted(job.db.to_day)
    rows = (
        (cadre_ids[cadre], unit_ids[unit], day[start], day[end], kind, topic, order_no, stamp, stamp if gone else None)
        for (cadre, unit, start, end, kind), (topic, order_no, gone) in job.new_visits.items()
    )
    _execute_chunks(
        job,
        'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, topic, order_no, created_at, deleted_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _insert_reports(
    job: Import, cadre_ids: dict[str, Any], unit_ids: dict[str, Any], stamp: Any, first_visit: int
) -> None:
    """The new reports, each joined to its visit's id: a recorded visit's is known; a new visit's is
    its place among the new ones after the first new id, when the database gave the new visits
    exactly those ids (always on SQLite, where one writer appends them), else read back by key."""
    ids = _number_new_visits(job, first_visit)  # each new visit's id, when known
    visit_of = None if ids is not None else _visit_ids(job.db, cadre_ids, unit_ids)
    new, recorded = job.new_visits, job.visits
    day = _Converted(job.db.to_day)

    def rows() -> Iterator[tuple[Any, ...]]:
        for k, (on, text) in job.new_reports.items():
            found = recorded.get(k)
            if found is not None:
                vid, deleted = found[0], found[3]
            elif ids is not None:
                vid, deleted = ids[k], new[k][2]
            else:
                assert visit_of is not None
                vid, deleted = visit_of(k)
            # deleted with its visit, as 'delete-visit' leaves it
            yield (vid, day[on], text, stamp, stamp if deleted else None)

    _execute_chunks(
        job, "INSERT INTO report (visit_id, reported_on, text, created_at, deleted_at) VALUES (?, ?, ?, ?, ?)", rows()
    )


def _number_new_visits(job: Import, first: int) -> dict[tuple[Any, ...], int] | None:
    """When the new visits hold exactly the ids ``first`` … ``first + n - 1`` (so in the order they
    were given), each new visit's id by its key; else None."""
    n = len(job.new_visits)
    low, high, written = job.db.one("SELECT min(id), max(id), count(*) FROM visit WHERE id >= ?", (int(first),))
    if n == 0 or (low, high, written) != (first, first + n - 1, n):
        return None
    return dict(zip(job.new_visits, count(first)))


def _visit_ids(
    db: Writer, cadre_ids: dict[str, Any], unit_ids: dict[str, Any]
) -> Callable[[tuple[Any, ...]], tuple[int, bool]]:
    """Each visit's id (and whether it is deleted) by its natural key, as the checks name it."""
    visit_ids = {
        (cid, uid, start, end, kind): (vid, deleted_at is not None)
        for vid, cid, uid, start, end, kind, deleted_at in db.each(
            'SELECT id, cadre_id, unit_id, start, "end", kind, deleted_at FROM visit'
        )
    }
    date = _Converted(db.to_day)

    def visit_of(k: tuple[Any, ...]) -> tuple[int, bool]:
        return visit_ids[(cadre_ids[k[0]], unit_ids[k[1]], date[k[2]], date[k[3]], k[4])]

    return visit_of


def _insert_plans(job: Import, cadre_ids: dict[str, Any], unit_ids: dict[str, Any], stamp: Any) -> None:
    """The new plans in their recorded state, each linked to its visit's id by the visit's natural key."""
    db = job.db
    visit_of = _visit_ids(db, cadre_ids, unit_ids)
    day, moment = _Converted(db.to_day), db.to_moment
    rows = (
        (
            cadre_ids[k[0]],
            unit_ids[k[1]],
            day[k[2]],
            day[k[3]],
            k[4],
            *p[:5],
            moment(p[5]),
            visit_of(p[6])[0] if p[6] is not None else None,
            stamp,
        )
        for k, p in job.new_plans.items()
    )
    _execute_chunks(
        job,
        'INSERT INTO plan (cadre_id, unit_id, start, "end", kind, days, topic, state, reason, decided_by, '
        "decided_at, visit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _check_rights(job: Import) -> None:
    """Organisation mode: refuse, before the database does, rows this login may not add
    (``rights.check_admin`` and ``check_record``'s rules, on the driver's connection)."""
    from congtac12.store.read.rights import refuse_admin, refuse_record, rights_with

    db = job.db
    r = rights_with(lambda sql: db.rows(sql)[0])
    if job.new_units:
        refuse_admin(r, _("units"))
    if job.new_cadres:
        refuse_admin(r, _("cadres"))
    if job.new_settings:
        refuse_admin(r, _("settings"))
    if any(p[2] in ("approved", "returned") for p in job.new_plans.values()):
        refuse_admin(r, _("plan approvals"))
    owners = {k[0] for k in job.new_visits} | {k[0] for k in job.new_reports} | {k[0] for k in job.new_leave}
    owners |= {k[0] for k in job.new_plans}
    for key in sorted(owners):
        ref = job.cadres.get(key)
        if ref is not None and ref.id is not None:  # job.cadres: the recorded ones, with their ids
            code, name = ref.names
            refuse_record(r, ref.id, code, name, _("an imported visit or report"))


class _Converted(dict[Any, Any]):
    """A column's values as the driver is given them (a date as ISO text on SQLite), each distinct
    value converted once: ``converted[value]``."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__()
        self.process = process

    def __missing__(self, value: Any) -> Any:
        found = self[value] = None if value is None else self.process(value)
        return found


def _execute_chunks(job: Import, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """``sql`` (one ``INSERT … VALUES (?, …)``) run over ``rows``, CHUNK at a time (the progress moves).

    On SQLite the rows go in ROWS_PER_INSERT to a statement (``INSERT … VALUES (…), (…), …``, the
    same triggers firing for each row, the ids given in the rows' order); on PostgreSQL by the
    driver's executemany. The rows were checked (``importer``), and the database still checks its
    own rules (constraints, triggers, row-level security on PostgreSQL).
    """
    db = job.db
    head, _values, one = sql.partition("VALUES ")
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        if db.postgres:
            db.executemany(sql, chunk)
        else:
            whole = len(chunk) - len(chunk) % ROWS_PER_INSERT
            if whole:
                grouped = f"{head}VALUES {', '.join([one] * ROWS_PER_INSERT)}"
                db.executemany(
                    grouped,
                    (
                        tuple(chain.from_iterable(chunk[i : i + ROWS_PER_INSERT]))
                        for i in range(0, whole, ROWS_PER_INSERT)
                    ),
                )
            if whole < len(chunk):
                rest = chunk[whole:]
                db.execute(f"{head}VALUES {', '.join([one] * len(rest))}", tuple(chain.from_iterable(rest)))
        job.progress.advance(len(chunk))
