"""The 1+2 rules, evaluated: plain facts in, plain results out.

Pure: no database, no clock (the "as of" date is an argument), no printing.
The counting rules are those of DOMAIN.md, "How the rules count":

* a visit counts each of its calendar days inside the policy's window and on
  or before the as-of date;
* a day covered by several visits counts once toward the total, and once
  toward each kind recorded on it;
* a content minimum given as a share is ``ceil(share × required days)``;
* a report is due on ``last day + report_due_days``; dated on or before that
  day it is on time, after it late; without one the visit is pending through
  the due day and overdue from the day after.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from congtac12.vocab import KINDS

NOT_SUBJECT = "not_subject"
MET = "met"
NOT_MET = "not_met"
BEHIND = "behind"
ON_TRACK = "on_track"
STATES = (MET, ON_TRACK, BEHIND, NOT_MET, NOT_SUBJECT)

ON_TIME = "on_time"
LATE = "late"
PENDING = "pending"
OVERDUE = "overdue"
REPORT_STATES = (ON_TIME, LATE, PENDING, OVERDUE)


# --- the policy -------------------------------------------------------------


@dataclass(frozen=True)
class ContentMinimum:
    """At least ``share`` of the required days (or ``days`` days) of one kind."""

    kind: str
    share: Fraction | None = None
    days: int | None = None

    def required(self, required_days: int) -> int:
        if self.share is not None:
            return math.ceil(self.share * required_days)
        return self.days or 0


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    source: str
    window_start: date
    window_end: date
    min_days: int
    report_due_days: int
    content_minimums: tuple[ContentMinimum, ...] = ()

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days + 1

    def report_due(self, last_day: date) -> date:
        return last_day + timedelta(days=self.report_due_days)


# --- facts ------------------------------------------------------------------


@dataclass(frozen=True)
class CadreFacts:
    code: str
    name: str
    department: str
    subject: bool = True


@dataclass(frozen=True)
class VisitFacts:
    id: int
    cadre: str  # the cadre's code
    start: date
    end: date
    kind: str


@dataclass(frozen=True)
class ReportFacts:
    visit_id: int
    reported_on: date


# --- results ----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    rule: str  # "min_days", "kind:<slug>" or "reports"
    required: int
    actual: int
    met: bool

    @property
    def shortfall(self) -> int:
        """Days still missing (0 when met; for "reports", the late and overdue count)."""
        if self.met:
            return 0
        return self.actual if self.rule == "reports" else self.required - self.actual


@dataclass(frozen=True)
class ReportCounts:
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class CadreEvaluation:
    code: str
    name: str
    department: str
    subject: bool
    state: str
    required_days: int
    days: int
    days_by_kind: dict[str, int]
    checks: tuple[Check, ...]
    reports: ReportCounts
    elapsed_days: int  # window days from its first day through as_of (0..window)
    days_left: int  # window days after as_of
    expected_days: int  # floor(required × elapsed / window): the pace line today
    days_needed: int  # max(days short, sum of content days short)
    pace_per_week: Fraction | None  # days_needed / days_left × 7; None if no day is left

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    policy: Policy
    cadres: tuple[CadreEvaluation, ...] = field(default_factory=tuple)


# --- counting ---------------------------------------------------------------


def report_state(due: date, reported_on: date | None, as_of: date) -> str:
    """The state of one visit's report as of a date (a report after as_of is unseen)."""
    if reported_on is not None and reported_on <= as_of:
        return ON_TIME if reported_on <= due else LATE
    return PENDING if as_of <= due else OVERDUE


_ONE_DAY = timedelta(days=1)


def merged_length(intervals: Iterable[tuple[date, date]]) -> int:
    """Days covered by the union of inclusive date intervals (empty ones count nothing)."""
    total = 0
    cur_start: date | None = None
    cur_end: date | None = None
    for start, end in sorted(intervals):
        if end < start:
            continue
        if cur_end is not None and start <= cur_end + _ONE_DAY:
            if end > cur_end:
                cur_end = end
            continue
        if cur_end is not None:
            total += (cur_end - cur_start).days + 1
        cur_start, cur_end = start, end
    if cur_end is not None:
        total += (cur_end - cur_start).days + 1
    return total


def counted_span(visit: VisitFacts, policy: Policy, as_of: date) -> tuple[date, date] | None:
    """The part of a visit that counts: inside the window and on or before as_of."""
    start = max(visit.start, policy.window_start)
    end = min(visit.end, policy.window_end, as_of)
    return (start, end) if start <= end else None


def counted_days(visit: VisitFacts, policy: Policy, as_of: date) -> int:
    span = counted_span(visit, policy, as_of)
    return (span[1] - span[0]).days + 1 if span else 0


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def evaluate(
    policy: Policy,
    cadres: Sequence[CadreFacts],
    visits: Iterable[VisitFacts],
    reports: Iterable[ReportFacts],
    as_of: date,
) -> Evaluation:
    """Evaluate every cadre against the policy as of a date."""
    reported = {r.visit_id: r.reported_on for r in reports}
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    kind_spans: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    report_states: dict[str, list[str]] = defaultdict(list)
    for visit in visits:
        span = counted_span(visit, policy, as_of)
        if span is None:
            continue  # nothing of it in the window up to as_of: no days, no report owed
        spans[visit.cadre].append(span)
        kind_spans[(visit.cadre, visit.kind)].append(span)
        due = policy.report_due(visit.end)
        report_states[visit.cadre].append(report_state(due, reported.get(visit.id), as_of))

    window_days = policy.window_days
    elapsed = _clamp((as_of - policy.window_start).days + 1, 0, window_days)
    days_left = _clamp((policy.window_end - as_of).days, 0, window_days)
    results = []
    for cadre in cadres:
        days = merged_length(spans.get(cadre.code, ()))
        by_kind = {k: merged_length(kind_spans.get((cadre.code, k), ())) for k in KINDS}
        states = report_states.get(cadre.code, [])
        counts = ReportCounts(**{s: states.count(s) for s in REPORT_STATES})
        results.append(
            _evaluate_cadre(policy, cadre, days, by_kind, counts, as_of, elapsed, days_left)
        )
    return Evaluation(as_of=as_of, policy=policy, cadres=tuple(results))


def _evaluate_cadre(
    policy: Policy,
    cadre: CadreFacts,
    days: int,
    by_kind: dict[str, int],
    counts: ReportCounts,
    as_of: date,
    elapsed: int,
    days_left: int,
) -> CadreEvaluation:
    required = policy.min_days
    expected = required * elapsed // policy.window_days
    if not cadre.subject:
        return CadreEvaluation(
            cadre.code, cadre.name, cadre.department, False, NOT_SUBJECT, 0, days, by_kind,
            (), counts, elapsed, days_left, 0, 0, None,
        )
    checks = [Check("min_days", required, days, days >= required)]
    for minimum in policy.content_minimums:
        need = minimum.required(required)
        have = by_kind.get(minimum.kind, 0)
        checks.append(Check(f"kind:{minimum.kind}", need, have, have >= need))
    bad_reports = counts.late + counts.overdue
    checks.append(Check("reports", 0, bad_reports, bad_reports == 0))

    content_short = sum(c.shortfall for c in checks if c.rule.startswith("kind:"))
    needed = max(checks[0].shortfall, content_short)
    if needed == 0:
        pace: Fraction | None = Fraction(0)
    elif days_left == 0:
        pace = None
    else:
        pace = Fraction(needed * 7, days_left)

    if all(c.met for c in checks):
        state = MET
    elif as_of >= policy.window_end:
        state = NOT_MET
    elif bad_reports or days < expected:
        state = BEHIND
    else:
        state = ON_TRACK
    return CadreEvaluation(
        cadre.code, cadre.name, cadre.department, True, state, required, days, by_kind,
        tuple(checks), counts, elapsed, days_left, expected, needed, pace,
    )
