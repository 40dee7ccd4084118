"""Plans (đăng ký) against the record: a plan's state as of a date, and whether record + plan
reach every minimum. Pure: plain facts in, plain results out; no database, no clock.

The rules (the project's reading of DOMAIN.md, "Registration and plans"):

* a plan is recorded as draft → submitted → approved or returned (with a
  reason); a returned plan may be submitted again;
* an approved plan is ``done`` as of a date when a live visit linked to it has
  begun by that date (its first day on or before the as-of date);
* an approved plan is ``missed`` when, as of a date, it is not done and its
  last day plus the policy's report window (``report_due_days``, 10 in Hanoi)
  has passed: a visit recorded a few days late still fulfils it. Drafts,
  submitted and returned plans never become missed (they were never a
  commitment): they keep their state;
* the days *planned ahead* of an approved plan not done as of a date are its
  days after the as-of date inside the policy's window. A month plan's days
  are ``min(days, days of its month after the as-of date inside the window)``;
  dated plans that share days count those days once (toward the total, toward
  each kind and each level), month plans add their days (their dates are not
  known, so no overlap can be seen);
* record + plan reach a minimum (the total, a kind, a level) when its recorded
  count plus the planned days of the same total, kind or level reach its
  required figure; the plan is short by ``max(total short, sum of the kinds
  short, sum of the levels short)``, the same measure as ``days_needed``. The
  service period and leave are not applied to planned days (a plan inside
  leave is the cadre's to withdraw); exempt and non-subject cadres have no
  plan check;
* ``remind`` tells a cadre of an approved plan (not done, not missed) whose
  first day is on the as-of date or at most ``ahead`` days after it (a month
  plan: the first of its month), "starts in N day(s)"; and of a ``missed``
  plan, N days after its last day. A trip already under way, or over but still
  inside the report window, is reminded of by neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from congtac12.domain.facts import PlanFacts
from congtac12.domain.policy import Policy
from congtac12.domain.results import CadreEvaluation, Check, Evaluation
from congtac12.domain.states import (
    EXEMPT,
    NOT_SUBJECT,
    PLAN_APPROVED,
    PLAN_DONE,
    PLAN_MISSED,
    PLAN_MISSED_REMINDER,
    PLAN_STARTS_SOON,
)

_DAY = timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    import calendar  # here: only plan commands and the import of plans ask, not status

    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def is_month_plan(plan: PlanFacts) -> bool:
    return plan.days is not None


def plan_state(plan: PlanFacts, as_of: date, report_due_days: int) -> str:
    """The plan's state as of a date: its recorded state, or ``done`` / ``missed`` for an approved plan."""
    if plan.state != PLAN_APPROVED:
        return plan.state
    if plan.fulfilled_on is not None and plan.fulfilled_on <= as_of:
        return PLAN_DONE
    if as_of > plan.end + timedelta(days=report_due_days):
        return PLAN_MISSED
    return PLAN_APPROVED


def is_ahead(plan: PlanFacts, as_of: date, report_due_days: int) -> bool:
    """Approved, not done, not missed, with a day after ``as_of``: a coming trip."""
    return plan_state(plan, as_of, report_due_days) == PLAN_APPROVED and plan.end > as_of


def _ahead_span(plan: PlanFacts, policy: Policy, as_of: date) -> tuple[date, date] | None:
    lo = max(plan.start, as_of + _DAY, policy.window_start)
    hi = min(plan.end, policy.window_end)
    return (lo, hi) if lo <= hi else None


def planned_days(plan: PlanFacts, policy: Policy, as_of: date) -> int:
    """The days a plan intends after ``as_of`` inside the window (0 unless it is a coming trip)."""
    if not is_ahead(plan, as_of, policy.report_due_days):
        return 0
    span = _ahead_span(plan, policy, as_of)
    if span is None:
        return 0
    length = (span[1] - span[0]).days + 1
    return min(plan.days, length) if plan.days is not None else length


def _days_of(spans: Iterable[tuple[date, date]]) -> set[date]:
    out: set[date] = set()
    for lo, hi in spans:
        d = lo
        while d <= hi:
            out.add(d)
            d += _DAY
    return out


@dataclass(frozen=True)
class PlannedDays:
    """A cadre's days planned ahead: in all, by kind and by level (overlaps of dated plans once)."""

    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    plans: tuple[int, ...] = ()  # the ids of the coming plans counted


def planned(plans: Sequence[PlanFacts], policy: Policy, as_of: date) -> PlannedDays:
    """One cadre's planned days ahead (the plans given are that cadre's)."""
    coming = [p for p in plans if planned_days(p, policy, as_of) > 0]
    if not coming:  # most cadres: nothing planned ahead
        return PlannedDays()
    dated = [p for p in coming if not is_month_plan(p)]
    rough = [p for p in coming if is_month_plan(p)]

    def count(selected: list[PlanFacts], rough_selected: list[PlanFacts]) -> int:
        spans = [s for p in selected if (s := _ahead_span(p, policy, as_of)) is not None]
        return len(_days_of(spans)) + sum(planned_days(p, policy, as_of) for p in rough_selected)

    by_kind: dict[str, int] = {}
    by_level: dict[str, int] = {}
    groups: dict[tuple[str, str | None], list[PlanFacts]] = defaultdict(list)
    for p in coming:
        groups[("kind", p.kind)].append(p)
        groups[("level", p.level)].append(p)
    for (what, slug), group in groups.items():
        if slug is None:
            continue
        n = count([p for p in group if not is_month_plan(p)], [p for p in group if is_month_plan(p)])
        (by_kind if what == "kind" else by_level)[slug] = n
    return PlannedDays(
        count(dated, rough), dict(sorted(by_kind.items())), dict(sorted(by_level.items())), tuple(p.id for p in coming)
    )


class PlanCheck(NamedTuple):
    """One minimum against record + plan."""

    rule: str  # as ``Check.rule``: "min_days", "kind:<slug>", "level:<slug>"
    required: int
    recorded: int
    planned: int

    @property
    def short(self) -> int:
        return max(0, self.required - self.recorded - self.planned)

    @property
    def met(self) -> bool:
        return self.short == 0


class PlanOutlook(NamedTuple):
    """A cadre's record and plan together as of a date (kế hoạch đủ / còn thiếu N ngày)."""

    code: str
    recorded: int  # days recorded (counted) by the as-of date
    planned: PlannedDays
    checks: tuple[PlanCheck, ...]

    @property
    def short_days(self) -> int:
        """max(total short, sum of the kinds short, sum of the levels short)."""

        total = kinds = levels = 0  # the checks' short days whose rule starts with min_days, kind:, level:
        for c in self.checks:
            rule = c.rule
            if rule.startswith("min_days"):
                total += c.short
            elif rule.startswith("kind:"):
                kinds += c.short
            elif rule.startswith("level:"):
                levels += c.short
        return max(total, kinds, levels)

    @property
    def enough(self) -> bool:
        return self.short_days == 0


def _planned_for(check: Check, days: PlannedDays) -> int:
    if check.rule == "min_days":
        return days.total
    what, _sep, slug = check.rule.partition(":")
    if what == "kind":
        return days.by_kind.get(slug, 0)
    if what == "level":
        return days.by_level.get(slug, 0)
    return 0


def outlook(ce: CadreEvaluation, plans: Sequence[PlanFacts], policy: Policy, as_of: date) -> PlanOutlook | None:
    """A cadre's record + plan; None when the cadre owes nothing (exempt, not subject)."""
    if ce.state in (EXEMPT, NOT_SUBJECT):
        return None
    days = planned([p for p in plans if p.cadre == ce.code], policy, as_of)
    checks = tuple(
        PlanCheck(c.rule, c.required, c.actual, _planned_for(c, days))
        for c in ce.checks
        if c.rule == "min_days" or c.rule.startswith(("kind:", "level:"))
    )
    return PlanOutlook(ce.code, ce.days, days, checks)


def outlooks(ev: Evaluation, plans: Sequence[PlanFacts]) -> dict[str, PlanOutlook]:
    """Every cadre's record + plan, by code (those with a plan check)."""
    out = {}
    of_cadre: dict[str, list[PlanFacts]] = defaultdict(list)  # each cadre's plans, found once
    for p in plans:
        of_cadre[p.cadre].append(p)
    for ce in ev.cadres:
        found = outlook(ce, of_cadre.get(ce.code, []), ev.policy, ev.as_of)
        if found is not None:
            out[ce.code] = found
    return out


def overlaps(plan: PlanFacts, start: date, end: date) -> bool:
    """Whether a trip from ``start`` to ``end`` shares a day with the plan's days (a month plan: its month)."""
    return plan.start <= end and start <= plan.end


class PlanReminder(NamedTuple):
    """A plan to remind its cadre of: ``starts_soon`` (``days`` until its first day, 0: today) or
    ``missed`` (``days`` since its last day)."""

    plan_id: int
    cadre: str
    state: str  # states.PLAN_REMINDER_STATES
    days: int


def plan_reminder(plan: PlanFacts, as_of: date, ahead: int, report_due_days: int) -> PlanReminder | None:
    """What ``remind`` says of one plan as of a date (None: nothing)."""
    state = plan_state(plan, as_of, report_due_days)
    if state == PLAN_MISSED:
        return PlanReminder(plan.id, plan.cadre, PLAN_MISSED_REMINDER, (as_of - plan.end).days)
    if state == PLAN_APPROVED and as_of <= plan.start and (plan.start - as_of).days <= ahead:
        return PlanReminder(plan.id, plan.cadre, PLAN_STARTS_SOON, (plan.start - as_of).days)
    return None


def plan_reminders(
    plans: Iterable[PlanFacts], as_of: date, ahead: int, report_due_days: Callable[[PlanFacts], int]
) -> list[PlanReminder]:
    """The plans to remind of as of a date, by cadre, missed first, then by first day and id;
    ``report_due_days`` gives each plan's report window (its year's policy)."""
    found = []
    by_id = {}
    for p in plans:
        rem = plan_reminder(p, as_of, ahead, report_due_days(p))
        if rem is not None:
            found.append(rem)
            by_id[p.id] = p
    return sorted(found, key=lambda m: (m.cadre, m.state != PLAN_MISSED_REMINDER, by_id[m.plan_id].start, m.plan_id))
