"""The states the rules give: a cadre's, a report's, a reminder's; why a cadre is exempt and why a day does not count."""

from __future__ import annotations

NOT_SUBJECT = "not_subject"
MET = "met"
NOT_MET = "not_met"
BEHIND = "behind"
ON_TRACK = "on_track"
EXEMPT = "exempt"
STATES = (MET, ON_TRACK, BEHIND, NOT_MET, EXEMPT, NOT_SUBJECT)

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

ON_TIME = "on_time"
LATE = "late"
PENDING = "pending"
OVERDUE = "overdue"
REPORT_STATES = (ON_TIME, LATE, PENDING, OVERDUE)
DUE_SOON = "due_soon"  # a reminder's state: pending, the trip over, due within a few days
REMINDER_STATES = (OVERDUE, DUE_SOON)

# A plan's (đăng ký) states. The first four are recorded; ``done`` and ``missed`` are
# decided as of a date from the record (``domain.plans.plan_state``), never stored.
PLAN_DRAFT = "draft"  # nháp
PLAN_SUBMITTED = "submitted"  # đã gửi
PLAN_APPROVED = "approved"  # đã duyệt
PLAN_RETURNED = "returned"  # trả lại
PLAN_DONE = "done"  # đã thực hiện: a recorded visit fulfils it
PLAN_MISSED = "missed"  # bỏ lỡ: approved, its last day and the report window passed without a visit
PLAN_RECORDED_STATES = (PLAN_DRAFT, PLAN_SUBMITTED, PLAN_APPROVED, PLAN_RETURNED)
PLAN_STATES = (*PLAN_RECORDED_STATES, PLAN_DONE, PLAN_MISSED)
# What ``remind`` tells a cadre of a plan: an approved trip that starts soon, or a missed one.
PLAN_STARTS_SOON = "starts_soon"
PLAN_REMINDER_STATES = (PLAN_MISSED, PLAN_STARTS_SOON)
