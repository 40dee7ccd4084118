"""The states the rules give: a cadre's, a report's, a reminder's; why a cadre is exempt and why a day does not count."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """A cadre's state in a window. A member is its slug (``State.MET == "met"``): what the
    database, JSON and the label table (``render.labels``) use."""

    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_MET = "not_met"
    EXEMPT = "exempt"
    NOT_SUBJECT = "not_subject"


class ReportState(StrEnum):
    """A visit's result report: given on time or late, or still owed (pending, overdue)."""

    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    OVERDUE = "overdue"


class ReminderState(StrEnum):
    """Why a reminder is sent: the report is overdue, or due within a few days."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


class PlanState(StrEnum):
    """A plan's (đăng ký) states. The first four are recorded; ``done`` and ``missed`` are
    decided as of a date from the record (``domain.plans.plan_state``), never stored."""

    DRAFT = "draft"  # nháp
    SUBMITTED = "submitted"  # đã gửi
    APPROVED = "approved"  # đã duyệt
    RETURNED = "returned"  # trả lại
    DONE = "done"  # đã thực hiện: a recorded visit fulfils it
    MISSED = "missed"  # bỏ lỡ: approved, its last day and the report window passed without a visit


class PlanReminderState(StrEnum):
    """What ``remind`` tells a cadre of a plan: a missed trip, or an approved one that starts soon."""

    MISSED = "missed"
    STARTS_SOON = "starts_soon"


# The members by their old names, in the order every table shows them.
MET, ON_TRACK, BEHIND, NOT_MET, EXEMPT, NOT_SUBJECT = State
STATES = tuple(State)

# Why a cadre is exempt (miễn).
EXEMPT_LEAVE = "leave"  # leave of the listed reasons reached the policy's threshold
EXEMPT_NOT_AVAILABLE = "not_available"  # no available day in the window

# Why a visit's day does not count.
BEFORE_JOINED = "before_joined"
AFTER_LEFT = "after_left"
ON_LEAVE = "on_leave"
UNCOUNTED_REASONS = (BEFORE_JOINED, AFTER_LEFT, ON_LEAVE)

# How the pro-rated required days are rounded.
HALF_UP = "half-up"
ROUNDINGS = (HALF_UP, "up", "down")

ON_TIME, LATE, PENDING, OVERDUE = ReportState
REPORT_STATES = tuple(ReportState)
DUE_SOON = ReminderState.DUE_SOON  # a reminder's state: pending, the trip over, due within a few days
REMINDER_STATES = tuple(ReminderState)

PLAN_DRAFT, PLAN_SUBMITTED, PLAN_APPROVED, PLAN_RETURNED, PLAN_DONE, PLAN_MISSED = PlanState
PLAN_RECORDED_STATES = (PLAN_DRAFT, PLAN_SUBMITTED, PLAN_APPROVED, PLAN_RETURNED)
PLAN_STATES = tuple(PlanState)
PLAN_MISSED_REMINDER, PLAN_STARTS_SOON = PlanReminderState
PLAN_REMINDER_STATES = tuple(PlanReminderState)
