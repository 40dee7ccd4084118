"""Result reports (báo cáo kết quả) as of a date: when each is due, where it stands, what to remind of."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from congtac12.domain.counting import count_visit, report_state
from congtac12.domain.facts import CadreFacts, ReportFacts, VisitFacts
from congtac12.domain.policy import Policy
from congtac12.domain.results import OwedReport, Reminder
from congtac12.domain.states import DUE_SOON, LATE, ON_TIME, OVERDUE, PENDING


def owed_report(policy: Policy, visit: VisitFacts, reported_on: date | None, as_of: date) -> OwedReport:
    """The report of a visit that owes one (``VisitCount.owes_report``), as of a date.

    A report dated after as_of is not seen.
    """
    due = policy.report_due(visit.end)
    on = reported_on if reported_on is not None and reported_on <= as_of else None
    state = report_state(due, on, as_of)
    days_late = days_left = None
    if state == LATE and on is not None:  # late: a report is dated
        days_late = (on - due).days
    elif state == OVERDUE:
        days_late = (as_of - due).days
    elif state == PENDING:
        days_left = (due - as_of).days
    return OwedReport(visit.id, visit.cadre, visit.end, due, on, state, days_late, days_left)


def owed_reports(
    policy: Policy,
    cadres: Iterable[CadreFacts],
    visits: Iterable[VisitFacts],
    reports: Iterable[ReportFacts],
    as_of: date,
) -> list[OwedReport]:
    """The report of every visit that owes one as of a date, in the order of ``visits``.

    A visit owes a report when a day of it counts for its cadre
    (``count_visit``): inside the window, on or before as_of, in the service
    period and not on leave, exactly as ``evaluate`` counts it. A visit whose
    cadre is not among ``cadres`` counts whole.
    """
    by_code = {c.code: c for c in cadres}
    reported = {r.visit_id: r.reported_on for r in reports}
    owed = []
    for visit in visits:
        counted = count_visit(visit, by_code.get(visit.cadre), policy, as_of)
        if counted is None or not counted.owes_report:
            continue
        owed.append(owed_report(policy, visit, reported.get(visit.id), as_of))
    return owed


_LISTING_ORDER: dict[str, int] = {OVERDUE: 0, PENDING: 1, LATE: 2, ON_TIME: 3}


def by_urgency(owed: Iterable[OwedReport]) -> list[OwedReport]:
    """Overdue first (the oldest due day first), then pending, late and on time."""
    return sorted(owed, key=lambda r: (_LISTING_ORDER[r.state], r.due, r.visit_id))


def reminders(owed: Iterable[OwedReport], as_of: date, ahead: int) -> list[Reminder]:
    """Reports to remind of as of a date, by cadre, overdue first, oldest due day first.

    Overdue: no report, the due day has passed. Due soon: no report, the trip
    is over (a report cannot be written before its last day) and the due day
    is at most ``ahead`` days away (0: due today).
    """
    found = []
    for r in owed:
        if r.state == OVERDUE:
            found.append(Reminder(r.visit_id, r.cadre, r.end, r.due, OVERDUE, r.days_late or 0))
        elif r.state == PENDING and r.end <= as_of and r.days_left is not None and r.days_left <= ahead:
            found.append(Reminder(r.visit_id, r.cadre, r.end, r.due, DUE_SOON, r.days_left))
    return sorted(found, key=lambda m: (m.cadre, m.state != OVERDUE, m.due, m.visit_id))


@dataclass(frozen=True)
class Verdict:
    """A recorded report against its due day: on time, or late by ``days_late`` days."""

    due: date
    reported_on: date
    state: str  # on_time or late
    days_late: int  # 0 when on time

    @property
    def on_time(self) -> bool:
        return self.state == ON_TIME


def verdict(policy: Policy, last_day: date, reported_on: date) -> Verdict:
    """The one place that judges a recorded report: due ``last day + report_due_days``."""
    due = policy.report_due(last_day)
    state = report_state(due, reported_on, reported_on)
    return Verdict(due, reported_on, state, max(0, (reported_on - due).days))
