"""Reads: find records by what users type, and hand the rules plain facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from congtac12.rules import CadreFacts, ReportFacts, VisitFacts
from congtac12.store.models import Cadre, Report, Unit, Visit
from congtac12.text import match_one


def cadres(s: Session) -> list[Cadre]:
    return list(s.exec(select(Cadre).order_by(Cadre.department, Cadre.code)))


def units(s: Session) -> list[Unit]:
    return list(s.exec(select(Unit).order_by(Unit.level, Unit.name)))


def find_cadre(s: Session, query: str) -> Cadre:
    """A cadre by code or name, ignoring case and diacritics."""
    # Matched on plain (id, code, name) rows, in the order of cadres(); only the
    # one found is loaded as a model: a thousand models cost more than the match.
    rows = s.exec(select(Cadre.id, Cadre.code, Cadre.name).order_by(Cadre.department, Cadre.code))
    found = match_one(
        query,
        rows.all(),
        keys=lambda c: (c.code, c.name),
        label=lambda c: f"{c.code} {c.name}",
        what="cadre",
    )
    return s.get_one(Cadre, found.id)


def find_unit(s: Session, query: str) -> Unit:
    """A unit by name, or by its place name alone ("ba dinh" -> "Quận đoàn Ba Đình")."""
    return match_one(
        query,
        list(s.exec(select(Unit).order_by(Unit.name))),
        keys=lambda u: (u.name,),
        label=lambda u: u.name,
        what="unit",
    )


@dataclass(frozen=True)
class VisitRow:
    id: int
    cadre_code: str
    cadre_name: str
    unit: str
    start: date
    end: date
    kind: str
    topic: str | None
    order_no: str | None
    reported_on: date | None


def visit_rows(
    s: Session, *, cadre_id: int | None = None, start: date | None = None, end: date | None = None
) -> list[VisitRow]:
    """Visits with their cadre, unit and report date; those touching [start, end] if given."""
    stmt = (
        select(
            Visit.id, Cadre.code, Cadre.name, Unit.name, Visit.start, Visit.end, Visit.kind,
            Visit.topic, Visit.order_no, Report.reported_on,
        )
        .join(Cadre, Cadre.id == Visit.cadre_id)
        .join(Unit, Unit.id == Visit.unit_id)
        .outerjoin(Report, Report.visit_id == Visit.id)
        .order_by(Visit.start, Visit.end, Visit.id)
    )
    if cadre_id is not None:
        stmt = stmt.where(Visit.cadre_id == cadre_id)
    if start is not None:
        stmt = stmt.where(col(Visit.end) >= start)
    if end is not None:
        stmt = stmt.where(col(Visit.start) <= end)
    return [VisitRow(*row) for row in s.exec(stmt)]


def facts(
    s: Session, *, first: date, last: date, cadre_id: int | None = None
) -> tuple[list[CadreFacts], list[VisitFacts], list[ReportFacts]]:
    """Cadres, and the visits touching [first, last] with their reports, as plain facts."""
    cadre_stmt = select(Cadre.id, Cadre.code, Cadre.name, Cadre.department, Cadre.subject)
    visit_stmt = (
        select(Visit.id, Visit.cadre_id, Visit.start, Visit.end, Visit.kind, Report.reported_on)
        .outerjoin(Report, Report.visit_id == Visit.id)
        .where(col(Visit.end) >= first, col(Visit.start) <= last)
    )
    if cadre_id is not None:
        cadre_stmt = cadre_stmt.where(Cadre.id == cadre_id)
        visit_stmt = visit_stmt.where(Visit.cadre_id == cadre_id)
    code_of: dict[int, str] = {}
    cadre_facts = []
    for cid, code, name, dept, subject in s.exec(cadre_stmt.order_by(Cadre.department, Cadre.code)):
        code_of[cid] = code
        cadre_facts.append(CadreFacts(code, name, dept, bool(subject)))
    visit_facts, report_facts = [], []
    for vid, cid, start, end, kind, reported_on in s.exec(visit_stmt):
        visit_facts.append(VisitFacts(vid, code_of[cid], start, end, kind))
        if reported_on is not None:
            report_facts.append(ReportFacts(vid, reported_on))
    return cadre_facts, visit_facts, report_facts
