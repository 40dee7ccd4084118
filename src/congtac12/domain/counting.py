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

People who are not there all year (docs/policies.md, "Pro-rating"):

* a cadre's *available days* are the window's days inside their service
  period (joined..left) minus their leave days (overlapping leave once);
* the required days are ``min_days × available ÷ window days``, rounded to the
  nearest day (halves up) unless the policy says otherwise; content and level
  minimums follow from that figure by the same ceil-of-share rule;
* a visit's days outside the service period or on leave do not count and are
  listed, with the reason, in ``CadreEvaluation.uncounted``;
* a policy may exempt a cadre whose leave of listed reasons reaches a number
  of days; a cadre with no available day at all is exempt too;
* the pace line and the pace use the cadre's own available days.

One truth: ``count_visit`` alone decides which days of a visit count for its
cadre and whether the visit owes a report (its counted span, counted whole
within ``whole_within``, else cut by ``split_span``); ``evaluate`` (which takes
those same steps with each cadre's ``whole_within`` looked up once),
``domain.owed`` (the reports listing and the reminders), ``domain.summary``
(briefings, the month chart, the calendar) and add-visit's message all read it. What a cadre owes
(``availability``) is decided by facts alone (service period, recorded leave,
whenever they fall), never by the as-of date, which limits only what has
happened: visit days and reports.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from congtac12.collation import name_key, sort_key
from congtac12.domain.days import day_figures, merged_length, no_days
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.domain.policy import Policy
from congtac12.domain.results import (
    Availability,
    Evaluation,
    ReportCounts,
    UncountedDays,
)
from congtac12.domain.standing import evaluate_cadre
from congtac12.domain.states import (
    AFTER_LEFT,
    BEFORE_JOINED,
    EXEMPT_LEAVE,
    EXEMPT_NOT_AVAILABLE,
    HALF_UP,
    LATE,
    ON_LEAVE,
    ON_TIME,
    OVERDUE,
    PENDING,
    REPORT_STATES,
)


def report_state(due: date, reported_on: date | None, as_of: date) -> str:
    """The state of one visit's report as of a date (a report after as_of is unseen)."""
    if reported_on is not None and reported_on <= as_of:
        return ON_TIME if reported_on <= due else LATE
    return PENDING if as_of <= due else OVERDUE


def counted_span(visit: VisitFacts, policy: Policy, as_of: date) -> tuple[date, date] | None:
    """The part of a visit that counts: inside the window and on or before as_of."""
    start = max(visit.start, policy.window_start)
    end = min(visit.end, policy.window_end, as_of)
    return (start, end) if start <= end else None


def counted_days(visit: VisitFacts, policy: Policy, as_of: date) -> int:
    span = counted_span(visit, policy, as_of)
    return (span[1] - span[0]).days + 1 if span else 0


ONE_DAY = timedelta(days=1)


def round_days(value: Fraction, rounding: str = HALF_UP) -> int:
    """A pro-rated figure as whole days: nearest (halves up), up or down."""
    if rounding == "up":
        return math.ceil(value)
    if rounding == "down":
        return math.floor(value)
    return math.floor(value + Fraction(1, 2))


def _clip(start: date, end: date, first: date, last: date) -> tuple[date, date] | None:
    lo, hi = max(start, first), min(end, last)
    return (lo, hi) if lo <= hi else None


def _service_part(policy: Policy, cadre: CadreFacts) -> tuple[date, date] | None:
    """The window's days inside the cadre's service period."""
    return _clip(
        cadre.joined or policy.window_start,
        cadre.left or policy.window_end,
        policy.window_start,
        policy.window_end,
    )


def _available_in(
    first: date, last: date, service: tuple[date, date] | None, deducted: Sequence[tuple[date, date]]
) -> int:
    """Available days in [first, last]: inside the service part, not on deducted leave."""
    if service is None:
        return 0
    part = _clip(first, last, *service)
    if part is None:
        return 0
    away = merged_length(c for d in deducted if (c := _clip(*d, *part)) is not None)
    return (part[1] - part[0]).days + 1 - away


def availability(policy: Policy, cadre: CadreFacts) -> Availability:
    """The cadre's available days in the window, the pro-rated requirement and any exemption.

    Leave is taken as recorded over the whole window (planned leave included),
    so the requirement does not change with the as-of date.
    """
    service = _service_part(policy, cadre)
    leave = tuple(
        sorted(
            (lv for lv in cadre.leave if service and _clip(lv.start, lv.end, *service)),
            key=lambda lv: (lv.start, lv.end, lv.id),
        )
    )
    clipped = [(c, lv.reason) for lv in leave if service and (c := _clip(lv.start, lv.end, *service))]
    service_days = (service[1] - service[0]).days + 1 if service else 0
    leave_days = merged_length(span for span, _ in clipped)
    deducted = merged_length(span for span, r in clipped if r in policy.pro_rating.leave_reasons)
    available = service_days - deducted
    exemption_days = tuple(
        merged_length(span for span, r in clipped if r in rule.reasons) for rule in policy.exemptions
    )
    exact = Fraction(policy.min_days * available, policy.window_days)
    if policy.pro_rating.enabled:
        required = round_days(exact, policy.pro_rating.rounding)
    else:
        required = policy.min_days
    exempt = None
    if any(days >= rule.min_leave_days for days, rule in zip(exemption_days, policy.exemptions, strict=False)):
        exempt = EXEMPT_LEAVE
    elif available == 0:
        exempt = EXEMPT_NOT_AVAILABLE
    return Availability(
        window_days=policy.window_days,
        joined=cadre.joined,
        left=cadre.left,
        service_start=service[0] if service else None,
        service_end=service[1] if service else None,
        service_days=service_days,
        leave=leave,
        leave_each=tuple((span[1] - span[0]).days + 1 for span, _r in clipped),
        leave_days=leave_days,
        deducted_days=deducted,
        available_days=available,
        exemption_days=exemption_days,
        exact_required=exact,
        required_days=required,
        exempt=exempt,
    )


def split_span(
    visit_id: int, span: tuple[date, date], cadre: CadreFacts | None
) -> tuple[list[tuple[date, date]], list[UncountedDays]]:
    """A visit's counted span split into the parts that count and the days that do not.

    Days before the cadre joined, after they left, or on leave (any reason) do
    not count. A day on two overlapping leaves is listed once, under the one
    that starts first.
    """
    if cadre is None:
        return [span], []
    start, end = span
    lost: list[UncountedDays] = []
    if cadre.joined is not None and start < cadre.joined:
        lost.append(UncountedDays(visit_id, start, min(end, cadre.joined - ONE_DAY), BEFORE_JOINED))
        start = cadre.joined
    if cadre.left is not None and end > cadre.left:
        cut = max(start, cadre.left + ONE_DAY)
        if cut <= end:
            lost.append(UncountedDays(visit_id, cut, end, AFTER_LEFT))
        end = cadre.left
    if start > end:
        return [], lost
    pieces = [(start, end)]
    for leave in sorted(cadre.leave, key=lambda lv: (lv.start, lv.end, lv.id)):
        kept = []
        for a, b in pieces:
            on = _clip(a, b, leave.start, leave.end)
            if on is None:
                kept.append((a, b))
                continue
            lost.append(UncountedDays(visit_id, on[0], on[1], ON_LEAVE, leave.id, leave.reason))
            if a < on[0]:
                kept.append((a, on[0] - ONE_DAY))
            if on[1] < b:
                kept.append((on[1] + ONE_DAY, b))
        pieces = kept
    return pieces, sorted(lost, key=lambda u: u.start)


class VisitCount(NamedTuple):
    """What one visit counts for its cadre as of a date: the one decision every output reads.

    ``pieces`` are the parts whose days count (inside the window, on or before
    the as-of date, inside the service period, not on leave); ``uncounted`` the
    days of it that do not count, with the reason. A visit owes a report
    exactly when a day of it counts.
    """

    pieces: list[tuple[date, date]]
    uncounted: Sequence[UncountedDays]

    @property
    def days(self) -> int:
        return sum((b - a).days + 1 for a, b in self.pieces)

    @property
    def owes_report(self) -> bool:
        return bool(self.pieces)


def count_visit(visit: VisitFacts, cadre: CadreFacts | None, policy: Policy, as_of: date) -> VisitCount | None:
    """The days of one visit that count for its cadre as of a date; None when no day of it
    is inside the window on or before as_of (then nothing of it is even seen).

    The same as ``split_span`` of the ``counted_span``, with a shortcut for the
    common case: a visit inside its cadre's service period, without leave,
    counts whole.
    """
    first, last = policy.window_start, policy.window_end
    if as_of < last:
        last = as_of
    start, end = visit.start, visit.end
    if start < first:
        start = first
    if end > last:
        end = last
    if start > end:
        return None
    whole = whole_within(cadre)
    if whole is not None and whole[0] <= start and end <= whole[1]:
        # tuple.__new__ rather than VisitCount(...): a third of the cost, once per visit of a year
        return _new_tuple(VisitCount, ([(start, end)], _NOTHING))
    return _new_tuple(VisitCount, split_span(visit.id, (start, end), cadre))


_new_tuple = tuple.__new__
_NOTHING: tuple[UncountedDays, ...] = ()
_ALWAYS = (date.min, date.max)


def whole_within(cadre: CadreFacts | None) -> tuple[date, date] | None:
    """The days a counted span of the cadre's visit must lie within to count whole (``count_visit``'s
    shortcut): their service period; None when they have leave (then ``split_span`` decides)."""
    if cadre is None:
        return _ALWAYS
    if cadre.leave:
        return None
    return (cadre.joined or date.min, cadre.left or date.max)


def visit_days(
    visit: VisitFacts, cadre: CadreFacts | None, policy: Policy, as_of: date
) -> tuple[int, list[UncountedDays]]:
    """Days one visit counts for its cadre, and the days of it that do not count."""
    counted = count_visit(visit, cadre, policy, as_of)
    if counted is None:
        return 0, []
    return counted.days, list(counted.uncounted)


def evaluate(
    policy: Policy,
    cadres: Sequence[CadreFacts],
    visits: Iterable[VisitFacts],
    reports: Iterable[ReportFacts],
    as_of: date,
) -> Evaluation:
    """Evaluate every cadre against the policy as of a date.

    Each visit is counted by ``count_visit``'s steps (the decision ``owed_reports``,
    the summaries and the pictures read too; a property test compares the two visit
    by visit); cadres with the same service period and leave (most have none) share
    one ``availability``, and cadres with the same requirement their minimums' days.
    """
    by_code = {c.code: c for c in cadres}
    # each cadre's counted pieces as (first day, last day, kind, level): the days, by kind and by level
    pieces_of: dict[str, list[tuple[date, date, str, str | None]]] = defaultdict(list)
    report_states: dict[str, list[str]] = defaultdict(list)
    uncounted: dict[str, list[UncountedDays]] = defaultdict(list)
    reported = dict(reports)  # a ReportFacts is the pair (visit_id, reported_on)
    counted_days: dict[int, int] = {}  # the days each visit counts (visits, --json counted_days)
    due_after = timedelta(days=policy.report_due_days)  # policy.report_due, once for all visits
    cadre_of, reported_on = by_code.get, reported.get
    # count_visit's steps, its cadre's part looked up once per cadre rather than once per visit:
    # the counted span (the window up to as_of), counted whole when it lies within whole_within
    first, last = policy.window_start, min(policy.window_end, as_of)
    whole_of = {c.code: whole_within(c) for c in cadres}.get
    for visit in visits:
        vid, code, start, end, kind, level = visit  # a VisitFacts is a named tuple: one unpacking
        a = start if start > first else first
        b = end if end < last else last
        if a > b:
            continue  # nothing of it in the window up to as_of: no days, no report owed
        whole = whole_of(code, _ALWAYS)  # a visit of a cadre not among ``cadres``: as count_visit(…, None, …)
        if whole is not None and whole[0] <= a and b <= whole[1]:
            counted_days[vid] = (b - a).days + 1
            pieces_of[code].append((a, b, kind, level))
        else:
            pieces, lost = split_span(vid, (a, b), cadre_of(code))
            if lost:
                uncounted[code].extend(lost)
            if not pieces:
                continue  # none of its days count: no report owed either
            counted_days[vid] = sum((b - a).days + 1 for a, b in pieces)
            pieces_of[code].extend((a, b, kind, level) for a, b in pieces)
        # a visit with a counted day owes a report: its state by report_state, as owed_report gives it
        # (report_state does not see a report dated after as_of)
        report_states[code].append(report_state(end + due_after, reported_on(vid), as_of))

    known: dict[tuple[date | None, date | None, tuple[LeaveFacts, ...]], tuple[Availability, int]] = {}
    figures: dict[tuple[Any, ...], Any] = {}  # what depends on a few numbers alone, made once per evaluation
    results = []
    for cadre in cadres:
        code = cadre.code
        days, by_kind, by_level = day_figures(pieces_of[code]) if code in pieces_of else no_days()
        states = report_states.get(code, [])
        counts = _new_tuple(ReportCounts, map(states.count, REPORT_STATES))  # its fields are REPORT_STATES
        not_counted = tuple(sorted(uncounted[code], key=lambda u: (u.start, u.visit_id))) if code in uncounted else ()
        # availability depends on the service period and leave alone
        key = (cadre.joined, cadre.left, cadre.leave)
        if key not in known:
            known[key] = _availability_as_of(policy, cadre, as_of)
        results.append(
            evaluate_cadre(policy, cadre, days, by_kind, by_level, counts, not_counted, *known[key], memo=figures)
        )
    # In the order a person reads them (Vietnamese alphabetical order, the same in every language):
    # departments, then cadres by given name within one; every output (table, JSON, sheet) follows it.
    results.sort(key=lambda c: (sort_key(c.department), name_key(c.name), c.code))
    return Evaluation(as_of=as_of, policy=policy, cadres=tuple(results), counted=counted_days)


def available_days_in(policy: Policy, cadre: CadreFacts, first: date, last: date) -> int:
    """The cadre's available days in [first, last] of the window: in service, not on deducted leave."""
    service = _service_part(policy, cadre)
    deducted = [(lv.start, lv.end) for lv in cadre.leave if lv.reason in policy.pro_rating.leave_reasons]
    return _available_in(max(first, policy.window_start), min(last, policy.window_end), service, deducted)


def _availability_as_of(policy: Policy, cadre: CadreFacts, as_of: date) -> tuple[Availability, int]:
    """The cadre's availability, and how many of the available days have passed by as_of."""
    return availability(policy, cadre), available_days_in(policy, cadre, policy.window_start, as_of)
