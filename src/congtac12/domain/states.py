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
