"""What the rules give back: checks, report counts, availability, owed reports, reminders, evaluations.

Named tuples rather than frozen dataclasses, as plain and as immutable, with the same fields,
equality and repr: a dataclass costs a compiled function per method at every start of the
program, and a status of 1,000 cadres makes several thousand of them (a ``Check`` per
minimum). ``Evaluation``, one per status, stays a dataclass."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import NamedTuple

from congtac12.domain.facts import LeaveFacts
from congtac12.domain.policy import Policy


class Check(NamedTuple):
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


def days_short(checks: Iterable[Check], prefix: str) -> int:
    """The days still missing of the checks whose rule starts with ``prefix`` ("kind:", "level:")."""
    return sum(c.shortfall for c in checks if c.rule.startswith(prefix))


class ReportCounts(NamedTuple):
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0


class UncountedDays(NamedTuple):
    """Days of a visit that do not count: outside the service period or on leave."""

    visit_id: int
    start: date
    end: date
    reason: str  # one of UNCOUNTED_REASONS
    leave_id: int | None = None
    leave_reason: str | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Availability(NamedTuple):
    """The cadre's own part of the window, and the requirement pro-rated to it."""

    window_days: int
    joined: date | None  # the cadre's service period, as recorded
    left: date | None
    service_start: date | None  # the window's part inside the service period (None: empty)
    service_end: date | None
    service_days: int
    leave: tuple[LeaveFacts, ...]  # the cadre's leave touching that part
    leave_each: tuple[int, ...]  # the days of each of those inside that part (overlaps not removed)
    leave_days: int  # leave days inside it, overlaps once (every reason)
    deducted_days: int  # those of the reasons the policy deducts
    available_days: int  # service_days - deducted_days
    exemption_days: tuple[int, ...]  # per policy exemption: leave days of its reasons
    exact_required: Fraction  # min_days × available ÷ window days, before rounding
    required_days: int  # after rounding (min_days when pro-rating is off)
    exempt: str | None  # EXEMPT_LEAVE, EXEMPT_NOT_AVAILABLE or None

    @property
    def full(self) -> bool:
        """Available every day of the window: nothing is pro-rated."""
        return self.available_days == self.window_days


class OwedReport(NamedTuple):
    """One visit's result report as of a date: when it is due and where it stands."""

    visit_id: int
    cadre: str  # the cadre's code
    end: date  # the trip's last day
    due: date
    reported_on: date | None  # None when no report is dated on or before as_of
    state: str  # on_time, late, pending or overdue
    days_late: int | None  # late: report date - due; overdue: as_of - due; else None
    days_left: int | None  # pending: due - as_of (0 on the due day); else None


class Reminder(NamedTuple):
    """A report to remind a cadre of: overdue, or due within the reminder horizon."""

    visit_id: int
    cadre: str
    end: date
    due: date
    state: str  # "overdue" or "due_soon"
    days: int  # overdue: days past the due day; due_soon: days left until it


class CadreEvaluation(NamedTuple):
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
    elapsed_days: int  # available days from the window's first day through as_of
    days_left: int  # available days after as_of
    expected_days: int  # floor(required × elapsed / available): the pace line today
    days_needed: int  # max(days short, sum of content days short, sum of level days short)
    pace_per_week: Fraction | None  # days_needed / days_left × 7; None if no day is left
    days_by_level: dict[str, int]
    availability: Availability | None = None
    uncounted: tuple[UncountedDays, ...] = ()
    # the minimums counted in days (the total, a kind, a level) still short by more
    # than days_left: they can no longer be met, and the state is not_met from that day
    unreachable: tuple[Check, ...] = ()

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)

    @property
    def content_days_short(self) -> int:
        """The content minimums' days still missing, summed over kinds."""
        return days_short(self.checks, "kind:")

    @property
    def level_days_short(self) -> int:
        """The level minimums' days still missing, summed over levels."""
        return days_short(self.checks, "level:")

    @property
    def exempt(self) -> str | None:
        return self.availability.exempt if self.availability is not None else None


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    policy: Policy
    cadres: tuple[CadreEvaluation, ...] = field(default_factory=tuple)
    # visit id -> the days it counts (inside the window, by as_of, in service, not on
    # leave; a day it shares with another visit counted here too); absent: none
    counted: dict[int, int] = field(default_factory=dict)
