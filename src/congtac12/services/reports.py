"""Result reports (báo cáo kết quả): record one, read one, with its on-time/late verdict decided once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from congtac12.domain.owed import Verdict, verdict
from congtac12.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.domain.policy import Policy
    from congtac12.domain.results import OwedReport
    from congtac12.store.location import PgUrl
    from congtac12.store.read.connect import Reader
    from congtac12.store.rows import VisitRow

Notify = Callable[[str], None]


@dataclass(frozen=True)
class RecordedReport:
    visit_id: int
    replaced: bool  # an earlier report of the visit was replaced
    verdict: Verdict | None  # None: the visit counts no day, so no report was owed (nor judged)
    policy: Policy | None = None  # the policy of the visit's year
    outside: tuple[int, date, date] | None = None  # (id, first, last day) when outside its window: 0 days
    reported_on: date | None = None  # the report's date


@dataclass(frozen=True)
class VisitReport:
    """A visit with its recorded report."""

    visit: VisitRow
    text: str
    reported_on: date
    verdict: Verdict | None  # None: the visit counts no day, so no report is owed (nor judged)


@dataclass(frozen=True)
class ReportDraft:
    """What an editor opens on to write a visit's report: the visit, its due day, any text recorded."""

    visit: VisitRow
    due: date | None  # None: the visit counts no day, so no report is owed
    existing: str | None


def record_report(
    target: Path | PgUrl, *, visit_id: int, on: date, text: str, replace: bool, notify: Notify | None = None
) -> RecordedReport:
    """Record (or, with ``replace``, replace) the report of a visit, dated ``on``."""
    from congtac12.services.policy import default_policy
    from congtac12.store import commands
    from congtac12.store.engine import session

    with session(target, write=True, notify=notify) as s:
        rep, visit, replaced = commands.add_report(s, visit_id=visit_id, on=on, text=text, replace=replace)
        policy = default_policy(s, visit.start)
        owes = owes_report(s, visit.id)
    outside = visit.end < policy.window_start or visit.start > policy.window_end
    return RecordedReport(
        visit.id,
        replaced,
        verdict(policy, visit.end, rep.reported_on) if owes else None,
        policy,
        (visit.id, visit.start, visit.end) if outside else None,
        rep.reported_on,
    )


def report_draft(
    target: Path | PgUrl, *, visit_id: int, on: date, replace: bool, notify: Notify | None = None
) -> ReportDraft:
    """Refuse first what could not be recorded anyway; else the visit, its due day and any report."""
    from congtac12.services.policy import default_policy
    from congtac12.store import commands, queries
    from congtac12.store.engine import session

    with session(target, notify=notify) as s:
        _visit, existing = commands.report_target(s, visit_id=visit_id, on=on, replace=replace)
        row = queries.visit_rows(s, visit_id=visit_id)[0]
        policy = default_policy(s, row.start)
        owes = owes_report(s, visit_id)
    return ReportDraft(row, policy.report_due(row.end) if owes else None, existing.text if existing else None)


def visit_report(target: Path | PgUrl, visit_id: int, *, notify: Notify | None = None) -> VisitReport:
    """A visit's recorded report; NotFound when there is no such visit or no report yet. Plain SQL
    (``store.read``), no ORM: ``report show`` and ``/api/visits/{id}/report`` only read."""
    from congtac12.dates import show
    from congtac12.errors import NotFound
    from congtac12.services.policy import default_policy
    from congtac12.store.read.connect import reading
    from congtac12.store.read.reports import report_of
    from congtac12.store.read.visits import visit_rows

    with reading(target, notify=notify) as r:
        rows = visit_rows(r, visit_id=visit_id)
        if not rows:
            raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
        rep = report_of(r, visit_id)
        policy = default_policy(r, rows[0].start)
        owes = visit_owes_report(r, visit_id)
    row = rows[0]
    if rep is None and not owes:
        raise NotFound(
            _("visit {id} has no report, and owes none: it counts no day (see 'congtac12 visits')").format(id=visit_id)
        )
    if rep is None:
        raise NotFound(
            _("visit {id} has no report yet (due {due}); write it with 'congtac12 report {id}'").format(
                id=visit_id, due=show(policy.report_due(row.end))
            )
        )
    text, reported_on = rep
    return VisitReport(row, text, reported_on, verdict(policy, row.end, reported_on) if owes else None)


def visit_owes_report(r: Reader, visit_id: int) -> bool:
    """``owes_report`` read in plain SQL (``store.read``): the same facts, the same count."""
    from congtac12.domain.counting import count_visit
    from congtac12.services.policy import default_policy
    from congtac12.store.read.cadres import cadre_facts
    from congtac12.store.read.reports import visit_facts_of

    found = visit_facts_of(r, visit_id)
    if found is None:
        return False
    cadre_id, facts = found
    policy = default_policy(r, facts.start)
    cadres, _codes = cadre_facts(r, cadre_id=cadre_id)
    counted = count_visit(facts, cadres[0], policy, policy.window_end)
    return counted is not None and counted.owes_report


def owes_report(s: Session, visit_id: int) -> bool:
    """Whether a live visit owes a result report: a day of it counts for its cadre in its policy's
    window (``VisitCount.owes_report``, as ``visits``, ``status``, ``reports`` and ``remind`` read it).
    A visit wholly outside its cadre's service, on leave, or outside the window owes none."""
    from congtac12.services.visits import counted_visit
    from congtac12.store.models import Cadre, Unit, Visit

    visit = s.get_one(Visit, visit_id)
    _policy, counted = counted_visit(s, visit, s.get_one(Cadre, visit.cadre_id), s.get_one(Unit, visit.unit_id))
    return counted.owes_report


@dataclass(frozen=True)
class OwedReports:
    """Each visit's result report as of a day, the most urgent first (``reports``)."""

    as_of: date
    owed: list[OwedReport]
    rows: dict[int, VisitRow]  # visit id -> the visit as listed
    cadre: tuple[str, str] | None  # (code, name) of the one cadre asked for


def owed_reports_of(
    target: Path | PgUrl,
    *,
    as_of: date,
    cadre: str | None = None,
    state: str | None = None,
    policy_name: str | None = None,
    year: int | None = None,
    notify: Notify | None = None,
) -> OwedReports:
    """The visits that owe a report (a day that counts, as in status) and where each report stands."""
    from congtac12.domain.facts import ReportFacts, VisitFacts
    from congtac12.domain.owed import by_urgency, owed_reports
    from congtac12.domain.states import REPORT_STATES
    from congtac12.errors import InvalidInput
    from congtac12.services.policy import resolve
    from congtac12.store.read.cadres import cadre_facts, find_cadre
    from congtac12.store.read.connect import reading
    from congtac12.store.read.visits import visit_rows

    if state is not None and state not in REPORT_STATES:
        raise InvalidInput(
            _("unknown state {state!r}; accepted: {accepted}").format(state=state, accepted=", ".join(REPORT_STATES))
        )
    with reading(target, notify=notify) as s:  # plain SQL (store.read), no ORM; a missing file is refused
        rules_of = resolve(s, policy_name, year, day=as_of)
        the_cadre = find_cadre(s, cadre) if cadre is not None else None
        rows = visit_rows(
            s,
            cadre_id=the_cadre.id if the_cadre else None,
            start=rules_of.window_start,
            end=min(as_of, rules_of.window_end),
        )
        cadres, _codes = cadre_facts(s, cadre_id=the_cadre.id if the_cadre else None)
    visits = [VisitFacts(r.id, r.cadre_code, r.start, r.end, r.kind) for r in rows]
    reports = [ReportFacts(r.id, r.reported_on) for r in rows if r.reported_on is not None]
    owed = by_urgency(owed_reports(rules_of, cadres, visits, reports, as_of))
    if state is not None:
        owed = [r for r in owed if r.state == state]
    return OwedReports(as_of, owed, {r.id: r for r in rows}, (the_cadre.code, the_cadre.name) if the_cadre else None)
