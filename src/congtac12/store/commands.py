"""Writes: validate, then write, inside the caller's one transaction.

Every function checks everything before it adds anything, so a refused
command leaves the database as it was (the session rolls back in any case).
Each names its change for the audit trail (``audit.describe``); the rows it
writes are recorded with their before and after by ``audit`` at commit.
Adding and editing share one validation per record (``_cadre_fields``,
``_visit_fields``), so an edit accepts exactly what an add accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, select

from congtac12.dates import show
from congtac12.domain.vocab import LEAVE_REASONS
from congtac12.errors import Conflict, InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.store import audit, models, queries, rights

# The writes of cadres and units, and of visits and reports, live beside this module; their names
# are importable from here too (``commands.add_visit``), the one door callers use.
from congtac12.store.cadre_writes import (
    CLEAR,
    add_cadre,
    add_unit,
    check_cadre,
    check_service,
    check_unit,
    delete_cadre,
    edit_cadre,
    restore_cadre,
)
from congtac12.store.guards import (
    admin_only,
    cadre_label,
    deactivated,
    is_postgres,
    may_change,
)
from congtac12.store.limits import SETTING_MAX
from congtac12.store.models import Cadre, Leave, ReminderSent, Setting
from congtac12.store.visit_writes import (
    MAX_VISIT_DAYS,
    VisitFields,
    add_report,
    add_visit,
    check_report,
    check_visit,
    delete_visit,
    edit_visit,
    get_visit,
    report_target,
    restore_visit,
)
from congtac12.text import excerpt

__all__ = [
    "CLEAR",
    "MAX_VISIT_DAYS",
    "SETTING_MAX",
    "VisitFields",
    "add_cadre",
    "add_leave",
    "add_report",
    "add_unit",
    "add_visit",
    "check_cadre",
    "check_report",
    "check_service",
    "check_unit",
    "check_visit",
    "deactivated",
    "delete_cadre",
    "delete_leave",
    "delete_visit",
    "edit_cadre",
    "edit_visit",
    "get_visit",
    "record_reminders",
    "reminder_scope",
    "report_target",
    "restore_cadre",
    "restore_visit",
    "set_setting",
    "unset_setting",
]


# --- leave, settings, reminders ----------------------------------------------


def add_leave(s: Session, *, cadre: str, start: date, end: date, reason: str) -> tuple[Leave, Cadre]:
    """Record a cadre's leave; overlapping leave is allowed (its days count once)."""
    if reason not in LEAVE_REASONS:
        raise InvalidInput(
            _("unknown leave reason {reason!r}; accepted: {accepted}").format(
                reason=excerpt(reason), accepted=", ".join(LEAVE_REASONS)
            )
        )
    if end < start:
        raise InvalidInput(
            _("--to {end} is before --from {start}; the last day must be on or after the first").format(
                end=show(end), start=show(start)
            )
        )
    the_cadre = queries.find_cadre(s, cadre)
    may_change(s, the_cadre, _("the new leave"))
    same = s.exec(
        select(Leave).where(
            Leave.cadre_id == the_cadre.id,
            Leave.start == start,
            Leave.end == end,
            Leave.reason == reason,
        )
    ).first()
    if same is not None:
        raise Conflict(
            _("leave {id} already records {code} on {reason} leave from {start} to {end}").format(
                id=same.id,
                code=the_cadre.code,
                reason=reason,
                start=show(start),
                end=show(end),
            )
        )
    leave = Leave(cadre_id=the_cadre.id, start=start, end=end, reason=reason)
    audit.describe(
        s,
        "leave.add",
        _("added {reason} leave of {cadre}, {start} to {end}").format(
            reason=reason, cadre=cadre_label(the_cadre), start=show(start), end=show(end)
        ),
    )
    s.add(leave)
    s.flush()
    return leave, the_cadre


def delete_leave(s: Session, *, leave_id: int) -> tuple[Leave, Cadre]:
    leave = s.get(Leave, leave_id) if models.is_row_id(leave_id) else None
    if leave is None:
        raise NotFound(_("no leave {id}; see 'congtac12 leave list' for the ids").format(id=leave_id))
    cadre = s.get_one(Cadre, leave.cadre_id)
    may_change(s, cadre, _("leave {id}").format(id=leave.id))
    audit.describe(s, "leave.delete", _("deleted leave {id} of {cadre}").format(id=leave.id, cadre=cadre_label(cadre)))
    audit.delete_row(s, leave)
    s.flush()
    return leave, cadre


def set_setting(s: Session, *, key: str, value: str) -> None:
    """Store a database-level setting; the caller has validated the value."""
    if len(value) > SETTING_MAX:
        raise InvalidInput(
            _("the value of {key} is {n} characters; accepted: at most {max}").format(
                key=key, n=len(value), max=SETTING_MAX
            )
        )
    admin_only(s, _("settings"))
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
        s.add(row)
    s.flush()


def unset_setting(s: Session, *, key: str) -> bool:
    """Remove a setting; False when it was not set."""
    admin_only(s, _("settings"))
    row = s.get(Setting, key)
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True


def reminder_scope(s: Session, *, digest: bool) -> str | None:
    """Whose reminders this run sends: None for all (SQLite, or an administrator), else one cadre's code."""
    if not is_postgres(s):
        return None
    return rights.reminder_scope(s, digest=digest)


def record_reminders(
    s: Session,
    *,
    sent: Iterable[tuple[int, str]],
    on: date,
    channel: str,
    recipient: str,
    plans: Iterable[tuple[int, str]] = (),
) -> None:
    """Record reminders the SMTP server accepted: (visit id, state) and (plan id, state) pairs sent to one recipient."""
    for visit_id, state in sent:
        s.add(ReminderSent(visit_id=visit_id, state=state, sent_on=on, channel=channel, recipient=recipient))
    for plan_id, state in plans:
        s.add(ReminderSent(plan_id=plan_id, state=state, sent_on=on, channel=channel, recipient=recipient))
    s.flush()
