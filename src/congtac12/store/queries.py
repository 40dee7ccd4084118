"""Reads: find records by what users type, and hand the rules plain facts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeVarTuple

import sqlalchemy as sa
from sqlmodel import Session, col, or_, select

from congtac12.collation import name_key, sort_key
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.store.models import Cadre, Leave, ReminderSent, Report, Setting, Unit, Visit
from congtac12.store.register_rows import LeaveRow
from congtac12.store.rows import VisitRow
from congtac12.text import match_one

if TYPE_CHECKING:
    from sqlalchemy import Result, Select

    from congtac12.domain.summary import UnitFacts


Ts = TypeVarTuple("Ts")


def cadres(s: Session, *, deactivated: bool = False) -> list[Cadre]:
    """Active cadres by department, then by given name (Vietnamese alphabetical order, ``collation``);
    with ``deactivated``, those deleted with 'cadre delete' too."""
    stmt = select(Cadre).order_by(col(Cadre.department), col(Cadre.code))
    if not deactivated:
        stmt = stmt.where(col(Cadre.deactivated_at).is_(None))
    return sorted(s.exec(stmt), key=lambda c: (sort_key(c.department), name_key(c.name), c.code))


def units(s: Session) -> list[Unit]:
    """Units by level, then by name in Vietnamese alphabetical order (``collation``)."""
    return sorted(s.exec(select(Unit)), key=lambda u: (u.level, sort_key(u.name)))


def find_cadre(s: Session, query: str) -> Cadre:
    """A cadre by code or name, ignoring case and diacritics; deactivated ones too."""
    # Matched on plain (id, code, name) rows, in the order of cadres(); only the
    # one found is loaded as a model: a thousand models cost more than the match.
    rows = s.exec(
        select(col(Cadre.id), col(Cadre.code), col(Cadre.name)).order_by(col(Cadre.department), col(Cadre.code))
    )
    found = match_one(
        query,
        rows.all(),
        keys=lambda c: (c[1], c[2]),  # (id, code, name)
        label=lambda c: f"{c[1]} {c[2]}",
        what="cadre",
    )
    return s.get_one(Cadre, found[0])


def find_unit(s: Session, query: str) -> Unit:
    """A unit by name, or by its place name alone ("ba dinh" -> "Quận đoàn Ba Đình")."""
    return match_one(
        query,
        list(s.exec(select(Unit).order_by(col(Unit.name)))),
        keys=lambda u: (u.name,),
        label=lambda u: u.name,
        what="unit",
    )


def _tuples(s: Session, stmt: Select[*Ts]) -> Result[*Ts]:
    """The rows of a select of columns, run through Core on the session's connection.

    The ORM's execute builds each row again through its loading machinery, which
    a select of plain columns does not need: reading a year's 17,000 visits took
    a sixth longer that way. Pending changes are flushed first, as the ORM's
    execute does.
    """
    if s.autoflush:
        s.flush()
    return s.connection().execute(stmt)


def visit_rows(
    s: Session,
    *,
    cadre_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    visit_id: int | None = None,
    deleted: bool = False,
    unreported_by: date | None = None,
) -> list[VisitRow]:
    """Visits with their cadre, unit and report date; those touching [start, end] if given.

    Deleted visits are left out, and so are the visits of deactivated cadres
    unless ``cadre_id`` names one; ``deleted`` lists only the deleted visits;
    ``unreported_by`` only those with no report dated on or before that day.
    """
    stmt = (
        sa.select(
            col(Visit.id),
            col(Cadre.code),
            col(Cadre.name),
            col(Unit.name),
            col(Visit.start),
            col(Visit.end),
            col(Visit.kind),
            col(Visit.topic),
            col(Visit.order_no),
            col(Report.reported_on),
            col(Cadre.email),
        )
        .join(Cadre, col(Cadre.id) == col(Visit.cadre_id))
        .join(Unit, col(Unit.id) == col(Visit.unit_id))
        # A deleted visit's report is deleted with it: shown in the list of deleted visits.
        .outerjoin(
            Report,
            (col(Report.visit_id) == col(Visit.id))
            & (col(Report.deleted_at).is_not(None) if deleted else col(Report.deleted_at).is_(None)),
        )
        .order_by(col(Visit.start), col(Visit.end), col(Visit.id))
    )
    stmt = stmt.where(col(Visit.deleted_at).is_not(None) if deleted else col(Visit.deleted_at).is_(None))
    if visit_id is not None:
        stmt = stmt.where(col(Visit.id) == visit_id)
    if cadre_id is not None:
        stmt = stmt.where(col(Visit.cadre_id) == cadre_id)
    else:
        stmt = stmt.where(col(Cadre.deactivated_at).is_(None))
    if start is not None:
        stmt = stmt.where(col(Visit.end) >= start)
    if end is not None:
        stmt = stmt.where(col(Visit.start) <= end)
    if unreported_by is not None:
        stmt = stmt.where(or_(col(Report.reported_on).is_(None), col(Report.reported_on) > unreported_by))
    return [VisitRow(*row) for row in _tuples(s, stmt)]


def overlapping_visits(
    s: Session, *, cadre_id: int, start: date, end: date, but: int | None = None
) -> list[tuple[int, date, date]]:
    """(id, first day, last day) of the cadre's visits sharing a day with [start, end], but ``but``."""
    stmt = (
        select(col(Visit.id), col(Visit.start), col(Visit.end))
        .where(
            col(Visit.cadre_id) == cadre_id,
            col(Visit.end) >= start,
            col(Visit.start) <= end,
            col(Visit.deleted_at).is_(None),
        )
        .order_by(col(Visit.start), col(Visit.id))
    )
    if but is not None:
        stmt = stmt.where(col(Visit.id) != but)
    return [(vid, first, last) for vid, first, last in _tuples(s, stmt)]


def visits_between(s: Session, *, first: date, last: date, cadre_id: int | None = None) -> list[tuple[int, date, date]]:
    """(id, first day, last day) of the visits lying wholly within [first, last], oldest first;
    deleted visits and deactivated cadres' visits left out (unless ``cadre_id`` names one)."""
    stmt = (
        select(col(Visit.id), col(Visit.start), col(Visit.end))
        .join(Cadre, col(Cadre.id) == col(Visit.cadre_id))
        .where(col(Visit.start) >= first, col(Visit.end) <= last, col(Visit.deleted_at).is_(None))
        .order_by(col(Visit.start), col(Visit.id))
    )
    if cadre_id is not None:
        stmt = stmt.where(col(Visit.cadre_id) == cadre_id)
    else:
        stmt = stmt.where(col(Cadre.deactivated_at).is_(None))
    return [(vid, first, last) for vid, first, last in _tuples(s, stmt)]


def cadre_facts(s: Session, *, cadre_id: int | None = None) -> tuple[list[CadreFacts], dict[int, str]]:
    """Cadres (active ones, or the one ``cadre_id`` names) with their service period and all
    their recorded leave, by department; and each one's code by id.

    Leave is a fact known ahead: every recorded leave counts, whenever it falls
    (the as-of date limits only visit days and reports).
    """
    cadre_stmt = sa.select(
        col(Cadre.id),
        col(Cadre.code),
        col(Cadre.name),
        col(Cadre.department),
        col(Cadre.subject),
        col(Cadre.joined),
        col(Cadre.left),
    )
    leave_stmt = sa.select(
        col(Leave.id), col(Leave.cadre_id), col(Leave.start), col(Leave.end), col(Leave.reason)
    ).order_by(col(Leave.start), col(Leave.end), col(Leave.id))
    if cadre_id is not None:
        cadre_stmt = cadre_stmt.where(col(Cadre.id) == cadre_id)
        leave_stmt = leave_stmt.where(col(Leave.cadre_id) == cadre_id)
    else:
        cadre_stmt = cadre_stmt.where(col(Cadre.deactivated_at).is_(None))
    leave_of: dict[int, list[LeaveFacts]] = {}
    for lid, cid, start, end, reason in _tuples(s, leave_stmt):
        leave_of.setdefault(cid, []).append(LeaveFacts(lid, start, end, reason))
    code_of: dict[int, str] = {}
    found = []
    for cid, code, name, dept, subject, joined, left in _tuples(
        s, cadre_stmt.order_by(col(Cadre.department), col(Cadre.code))
    ):
        code_of[cid] = code
        found.append(CadreFacts(code, name, dept, bool(subject), joined, left, tuple(leave_of.get(cid, ()))))
    return found, code_of


def facts(
    s: Session, *, first: date, last: date, cadre_id: int | None = None
) -> tuple[list[CadreFacts], list[VisitFacts], list[ReportFacts]]:
    """Cadres with their service period and all their recorded leave (``cadre_facts``), and
    the visits touching [first, last] with their unit's level and their reports, as plain facts.

    Deleted visits (and their reports) never count. Deactivated cadres are left
    out, with their visits, unless ``cadre_id`` names one.
    """
    # The cadre and the unit's level are looked up here, not joined: the cadres
    # are read anyway, the units are few, and SQLite's lookups per visit are not.
    visit_stmt = (
        sa.select(
            col(Visit.id),
            col(Visit.cadre_id),
            col(Visit.start),
            col(Visit.end),
            col(Visit.kind),
            col(Visit.unit_id),
            col(Report.reported_on),
        )
        .outerjoin(Report, (col(Report.visit_id) == col(Visit.id)) & col(Report.deleted_at).is_(None))
        .where(col(Visit.end) >= first, col(Visit.start) <= last, col(Visit.deleted_at).is_(None))
    )
    if cadre_id is not None:
        visit_stmt = visit_stmt.where(col(Visit.cadre_id) == cadre_id)
    found, code_of = cadre_facts(s, cadre_id=cadre_id)
    # Not dict(result): a result has .keys(), so dict() would take it for a mapping.
    level_of = {uid: level for uid, level in _tuples(s, select(col(Unit.id), col(Unit.level)))}  # noqa: C416
    visit_facts, report_facts = [], []
    for vid, cid, start, end, kind, unit_id, reported_on in _tuples(s, visit_stmt):
        if cid not in code_of:
            continue  # a deactivated cadre's visit
        visit_facts.append(VisitFacts(vid, code_of[cid], start, end, kind, level_of[unit_id]))
        if reported_on is not None:
            report_facts.append(ReportFacts(vid, reported_on))
    return found, visit_facts, report_facts


def leave_rows(s: Session, *, cadre_id: int | None = None) -> list[LeaveRow]:
    """Leave with its cadre, oldest first."""
    stmt = (
        sa.select(col(Leave.id), col(Cadre.code), col(Cadre.name), col(Leave.start), col(Leave.end), col(Leave.reason))
        .join(Cadre, col(Cadre.id) == col(Leave.cadre_id))
        .order_by(col(Leave.start), col(Leave.end), col(Leave.id))
    )
    if cadre_id is not None:
        stmt = stmt.where(col(Leave.cadre_id) == cadre_id)
    return [LeaveRow(*row) for row in _tuples(s, stmt)]


def setting(s: Session, key: str) -> str | None:
    """A database-level setting (``config set``), or None when it is not set."""
    row = s.get(Setting, key)
    return row.value if row is not None else None


def settings(s: Session) -> dict[str, str]:
    return {row.key: row.value for row in s.exec(select(Setting).order_by(col(Setting.key)))}


def report_of(s: Session, visit_id: int) -> Report | None:
    """The visit's stored report, if it has one (a deleted visit's report is deleted too)."""
    return s.exec(select(Report).where(col(Report.visit_id) == visit_id, col(Report.deleted_at).is_(None))).first()


def reminders_sent(s: Session, *, on: date) -> set[tuple[int, str, str, str]]:
    """(visit id, state, channel, recipient) of every reminder accepted for the day ``on``."""
    stmt = select(
        col(ReminderSent.visit_id), col(ReminderSent.state), col(ReminderSent.channel), col(ReminderSent.recipient)
    ).where(col(ReminderSent.sent_on) == on, col(ReminderSent.visit_id).is_not(None))
    return {(visit_id, state, channel, to) for visit_id, state, channel, to in s.exec(stmt) if visit_id is not None}


def plan_reminders_sent(s: Session, *, on: date) -> set[tuple[int, str, str, str]]:
    """(plan id, state, channel, recipient) of every plan reminder accepted for the day ``on``."""
    stmt = select(
        col(ReminderSent.plan_id), col(ReminderSent.state), col(ReminderSent.channel), col(ReminderSent.recipient)
    ).where(col(ReminderSent.sent_on) == on, col(ReminderSent.plan_id).is_not(None))
    return {(plan_id, state, channel, to) for plan_id, state, channel, to in s.exec(stmt) if plan_id is not None}


def unit_facts(s: Session) -> list[UnitFacts]:
    """Every unit with its level and parent, for coverage by district-level union."""
    from congtac12.domain.summary import UnitFacts

    return [
        UnitFacts(*row) for row in s.exec(select(col(Unit.id), col(Unit.name), col(Unit.level), col(Unit.parent_id)))
    ]


def visit_units(s: Session, visit_ids: Iterable[int]) -> dict[int, int]:
    """The unit of each of these visits (those that ``facts`` returned)."""
    wanted = set(visit_ids)
    return {vid: uid for vid, uid in s.exec(select(col(Visit.id), col(Visit.unit_id))) if vid in wanted}
