"""``db check``: SQLite's own checks, then the domain's, as a list of problems.

A problem is something the commands never write, so each one means the file
was damaged or written by something other than congtac12: SQLite's integrity
and foreign-key checks; a live report of a deleted visit; a visit of an unknown
cadre or unit; a trip that ends before it starts or is longer than
``commands.MAX_VISIT_DAYS`` (366 days, the limit add-visit and edit-visit
enforce); leave that ends before it starts; a service period that ends before
it begins; a kind or level that is not ours; and every rule of
``store/constraints.py`` (which the schema keeps since schema 4): cadre codes
and unit names unique after folding, their keys being their folds, every date
in the years 1900 to 2999, a report not dated before its trip ended, no visit
recorded for a cadre after the cadre was deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from congtac12.domain.vocab import KINDS, LEVELS
from congtac12.i18n import _
from congtac12.store import constraints
from congtac12.store.visit_writes import MAX_VISIT_DAYS


@dataclass(frozen=True)
class Problem:
    check: str  # a slug: integrity, foreign-key, report-of-deleted-visit, …
    detail: str


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.exec_driver_sql(sql)]


def check(conn: Connection) -> CheckReport:
    report = CheckReport()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite and not _file_checks(conn, report):
        return report  # the rest would read damaged pages
    _record_checks(conn, report, sqlite=sqlite)
    return report


def _file_checks(conn: Connection, report: CheckReport) -> bool:
    """SQLite's own checks of the file (PostgreSQL keeps its pages and foreign keys itself);
    False when the file is too damaged to read on."""
    add = report.problems.append
    try:
        integrity = _rows(conn, "PRAGMA integrity_check")
    except DBAPIError as exc:  # so damaged that SQLite stops reading
        add(Problem("integrity", _("SQLite cannot read the file: {reason}").format(reason=exc.orig)))
        return False
    for (message,) in integrity:
        if message != "ok":
            add(Problem("integrity", message))
    if report.problems:
        return False
    for table, rowid, parent, _fkid in _rows(conn, "PRAGMA foreign_key_check"):
        add(
            Problem(
                "foreign-key",
                _("{table} row {rowid} refers to a missing {parent}").format(table=table, rowid=rowid, parent=parent),
            )
        )
    return True


def _record_checks(conn: Connection, report: CheckReport, *, sqlite: bool) -> None:
    """The record's own rules, in SQL that both backends run."""
    add = report.problems.append
    for vid, rid in _rows(
        conn,
        """
            SELECT v.id, r.id FROM report r JOIN visit v ON v.id = r.visit_id
            WHERE r.deleted_at IS NULL AND v.deleted_at IS NOT NULL""",
    ):
        add(
            Problem(
                "report-of-deleted-visit",
                _("report {rid} of visit {vid} is live, its visit deleted").format(rid=rid, vid=vid),
            )
        )
    for vid, cid in _rows(
        conn,
        """
            SELECT v.id, v.cadre_id FROM visit v LEFT JOIN cadre c ON c.id = v.cadre_id
            WHERE c.id IS NULL""",
    ):
        add(
            Problem(
                "visit-of-unknown-cadre",
                _("visit {vid} is of cadre id {cid}, which does not exist").format(vid=vid, cid=cid),
            )
        )
    for vid, uid in _rows(
        conn,
        """
            SELECT v.id, v.unit_id FROM visit v LEFT JOIN unit u ON u.id = v.unit_id
            WHERE u.id IS NULL""",
    ):
        add(
            Problem(
                "visit-of-unknown-unit",
                _("visit {vid} is at unit id {uid}, which does not exist").format(vid=vid, uid=uid),
            )
        )
    for v in constraints.visits_of_deactivated(conn):
        add(Problem(v.check, v.detail))
    # Days of a trip, first and last included: dates are text on SQLite, dates on PostgreSQL.
    days_sql = 'CAST(julianday("end") - julianday(start) AS INTEGER) + 1' if sqlite else '("end" - start) + 1'
    for vid, start, end, days in _rows(
        conn,
        f"""
            SELECT id, start, "end", {days_sql} FROM visit
            WHERE {days_sql} < 1 OR {days_sql} > {int(MAX_VISIT_DAYS)}""",
    ):  # noqa: S608
        if days < 1:
            detail = _("visit {vid} ends on {end}, before it starts on {start}")
        else:
            detail = _("visit {vid} lasts {days} days ({start} to {end}); the limit is {max}")
        add(Problem("trip-length", detail.format(vid=vid, start=start, end=end, days=days, max=MAX_VISIT_DAYS)))
    # The rules the schema keeps (store/constraints.py): a row breaking one was
    # written before they existed, or around them.
    for v in constraints.reports_before_trips(conn):
        add(Problem(v.check, v.detail))
    for lid, start, end in _rows(conn, 'SELECT id, start, "end" FROM leave WHERE "end" < start'):
        add(
            Problem(
                "leave-length",
                _("leave {lid} ends on {end}, before it starts on {start}").format(lid=lid, start=start, end=end),
            )
        )
    for _cid, code, joined, left in _rows(conn, 'SELECT id, code, joined, "left" FROM cadre WHERE "left" < joined'):
        add(
            Problem(
                "service-period",
                _("cadre {code} left on {left}, before joining on {joined}").format(
                    code=code, joined=joined, left=left
                ),
            )
        )
    for vid, kind in _rows(conn, "SELECT id, kind FROM visit"):
        if kind not in KINDS:
            add(
                Problem(
                    "unknown-kind",
                    _("visit {vid} has kind {kind!r}; known: {known}").format(
                        vid=vid, kind=kind, known=", ".join(KINDS)
                    ),
                )
            )
    for uid, level in _rows(conn, "SELECT id, level FROM unit"):
        if level not in LEVELS:
            add(
                Problem(
                    "unknown-level",
                    _("unit {uid} has level {level!r}; known: {known}").format(
                        uid=uid, level=level, known=", ".join(LEVELS)
                    ),
                )
            )
    rules = constraints.duplicates(conn) + constraints.stale_keys(conn) + constraints.dates_out_of_range(conn)
    for v in rules:
        add(Problem(v.check, v.detail))
    for table in ("cadre", "unit", "visit", "report", "change"):
        report.counts[f"{table}s"] = int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())  # noqa: S608
