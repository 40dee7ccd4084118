"""Writes: validate, then write, inside the caller's one transaction.

Every function checks everything before it adds anything, so a refused
command leaves the database as it was (the session rolls back in any case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlmodel import Session, func, select

from congtac12.errors import CongtacError, Conflict, InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.store import models, queries
from congtac12.store.models import Cadre, Leave, ReminderSent, Report, Setting, Unit, Visit
from congtac12.text import clean_field, fold, nfc
from congtac12.vocab import KINDS, LEAVE_REASONS, LEVELS

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_VISIT_DAYS = 366


def check_service(joined: date | None, left: date | None) -> None:
    """A service period's last day must not come before its first."""
    if joined is not None and left is not None and left < joined:
        raise InvalidInput(
            _("--left {left} is before --joined {joined}; the last day of service must be on or "
              "after the first").format(left=left.isoformat(), joined=joined.isoformat()),
            field="left",
        )


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Tag an error raised inside with the field it concerns (for import's column names)."""
    try:
        yield
    except CongtacError as exc:
        if exc.field is None:
            exc.field = name
        raise


def check_cadre(
    *, code: str, name: str, department: str, email: str | None
) -> tuple[str, str, str, str | None]:
    """A cadre's fields, normalised, or InvalidInput tagged with the field at fault."""
    code = code.strip()
    if not _CODE.fullmatch(code) or len(code) > models.CODE_MAX:
        raise InvalidInput(
            f"cadre code {code!r} is not valid; accepted: 1 to {models.CODE_MAX} letters, "
            "digits, '.', '_' or '-', starting with a letter or digit",
            field="code",
        )
    with _field("name"):
        name = clean_field(name, what="name", max_len=models.NAME_MAX)
    with _field("department"):
        department = clean_field(department, what="department", max_len=models.DEPARTMENT_MAX)
    if email is not None:
        email = email.strip()
        if not _EMAIL.fullmatch(email) or len(email) > models.EMAIL_MAX:
            raise InvalidInput(
                f"email {email!r} is not valid; accepted: an address like an.nv@example.vn",
                field="email",
            )
    return code, name, department, email


def add_cadre(
    s: Session, *, code: str, name: str, department: str, email: str | None = None,
    subject: bool = True, joined: date | None = None, left: date | None = None,
) -> Cadre:
    code, name, department, email = check_cadre(
        code=code, name=name, department=department, email=email
    )
    check_service(joined, left)
    clash = s.exec(select(Cadre).where(func.lower(Cadre.code) == code.lower())).first()
    if clash is not None:
        raise Conflict(f"cadre code {code!r} is already taken by {clash.code} {clash.name}")
    cadre = Cadre(
        code=code, name=name, department=department, email=email, subject=subject,
        joined=joined, left=left,
    )
    s.add(cadre)
    s.flush()
    return cadre


def check_unit(*, name: str, level: str) -> str:
    """A unit's name, normalised, after checking it and the level."""
    with _field("name"):
        name = clean_field(name, what="unit name", max_len=models.UNIT_NAME_MAX)
    if level not in LEVELS:
        raise InvalidInput(f"unknown level {level!r}; accepted: {', '.join(LEVELS)}", field="level")
    return name


def add_unit(s: Session, *, name: str, level: str, parent: str | None = None) -> Unit:
    name = check_unit(name=name, level=level)
    parent_unit = queries.find_unit(s, parent) if parent is not None else None
    folded = fold(name)
    for existing in queries.units(s):
        if fold(existing.name) == folded:
            raise Conflict(f"unit {existing.name!r} already exists")
    unit = Unit(name=name, level=level, parent_id=parent_unit.id if parent_unit else None)
    s.add(unit)
    s.flush()
    return unit


def check_visit(
    *, start: date, end: date, kind: str, topic: str | None, order_no: str | None,
    labels: tuple[str, str] = ("--from", "--to"),
) -> tuple[str | None, str | None]:
    """A visit's topic and order number, normalised, after checking every field.

    ``labels`` name the first and last day as the user gave them (options or columns).
    """
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; accepted: {', '.join(KINDS)}", field="kind")
    if end < start:
        raise InvalidInput(
            f"{labels[1]} {end.isoformat()} is before {labels[0]} {start.isoformat()}; "
            "the last day must be on or after the first",
            field="end",
        )
    if (end - start).days + 1 > MAX_VISIT_DAYS:
        raise InvalidInput(
            f"a visit of {(end - start).days + 1} days is too long; accepted: at most {MAX_VISIT_DAYS}",
            field="end",
        )
    if topic is not None:
        with _field("topic"):
            topic = clean_field(topic, what="topic", max_len=models.TOPIC_MAX, required=False) or None
    if order_no is not None:
        with _field("order_no"):
            order_no = clean_field(
                order_no, what="order number", max_len=models.ORDER_MAX, required=False
            ) or None
    return topic, order_no


def add_visit(
    s: Session, *, cadre: str, unit: str, start: date, end: date, kind: str,
    topic: str | None = None, order_no: str | None = None,
) -> tuple[Visit, Cadre, Unit]:
    topic, order_no = check_visit(start=start, end=end, kind=kind, topic=topic, order_no=order_no)
    the_cadre = queries.find_cadre(s, cadre)
    the_unit = queries.find_unit(s, unit)
    same = s.exec(
        select(Visit).where(
            Visit.cadre_id == the_cadre.id, Visit.unit_id == the_unit.id, Visit.start == start,
            Visit.end == end, Visit.kind == kind,
        )
    ).first()
    if same is not None:
        raise Conflict(
            f"visit {same.id} already records {the_cadre.code} at {the_unit.name} "
            f"from {start.isoformat()} to {end.isoformat()} ({kind})"
        )
    visit = Visit(
        cadre_id=the_cadre.id, unit_id=the_unit.id, start=start, end=end, kind=kind,
        topic=topic, order_no=order_no,
    )
    s.add(visit)
    s.flush()
    return visit, the_cadre, the_unit


def report_target(
    s: Session, *, visit_id: int, on: date, replace: bool = False
) -> tuple[Visit, Report | None]:
    """Refuse a report that could not be recorded; returns (visit, its existing report)."""
    visit = s.get(Visit, visit_id)
    if visit is None:
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
    check_report(on=on, visit_end=visit.end, text="")
    existing = s.exec(select(Report).where(Report.visit_id == visit_id)).first()
    if existing is not None and not replace:
        raise Conflict(
            _("visit {id} already has a report dated {on}; use --replace to replace it")
            .format(id=visit_id, on=existing.reported_on.isoformat())
        )
    return visit, existing


def check_report(*, on: date, visit_end: date, text: str) -> str:
    """A report's text, normalised, after checking it and its date against the trip's last day."""
    if on < visit_end:
        raise Conflict(
            f"report date {on.isoformat()} is before the visit's last day {visit_end.isoformat()}; "
            "a report is written after the trip",
            field="reported_on",
        )
    if "\x00" in text:
        raise InvalidInput("report text contains NUL characters; accepted: plain text", field="text")
    # Line ends as LF: a CR would not survive a spreadsheet (XML turns it into LF).
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > models.REPORT_MAX:
        raise InvalidInput(
            f"report text is {len(text)} characters; accepted: at most {models.REPORT_MAX}",
            field="text",
        )
    return text


def add_report(
    s: Session, *, visit_id: int, on: date, text: str = "", replace: bool = False
) -> tuple[Report, Visit, bool]:
    """Record a visit's report; returns (report, visit, replaced?)."""
    visit, existing = report_target(s, visit_id=visit_id, on=on, replace=replace)
    text = check_report(on=on, visit_end=visit.end, text=text)
    if existing is not None:
        existing.reported_on = on
        existing.text = text
        s.add(existing)
        s.flush()
        return existing, visit, True
    report = Report(visit_id=visit_id, reported_on=on, text=text)
    s.add(report)
    s.flush()
    return report, visit, False


def add_leave(s: Session, *, cadre: str, start: date, end: date, reason: str) -> tuple[Leave, Cadre]:
    """Record a cadre's leave; overlapping leave is allowed (its days count once)."""
    if reason not in LEAVE_REASONS:
        raise InvalidInput(
            _("unknown leave reason {reason!r}; accepted: {accepted}").format(
                reason=reason, accepted=", ".join(LEAVE_REASONS)
            )
        )
    if end < start:
        raise InvalidInput(
            _("--to {end} is before --from {start}; the last day must be on or after the first").format(
                end=end.isoformat(), start=start.isoformat()
            )
        )
    the_cadre = queries.find_cadre(s, cadre)
    same = s.exec(
        select(Leave).where(
            Leave.cadre_id == the_cadre.id, Leave.start == start, Leave.end == end,
            Leave.reason == reason,
        )
    ).first()
    if same is not None:
        raise Conflict(
            _("leave {id} already records {code} on {reason} leave from {start} to {end}").format(
                id=same.id, code=the_cadre.code, reason=reason, start=start.isoformat(),
                end=end.isoformat(),
            )
        )
    leave = Leave(cadre_id=the_cadre.id, start=start, end=end, reason=reason)
    s.add(leave)
    s.flush()
    return leave, the_cadre


def delete_leave(s: Session, *, leave_id: int) -> tuple[Leave, Cadre]:
    leave = s.get(Leave, leave_id)
    if leave is None:
        raise NotFound(_("no leave {id}; see 'congtac12 leave list' for the ids").format(id=leave_id))
    cadre = s.get(Cadre, leave.cadre_id)
    s.delete(leave)
    s.flush()
    return leave, cadre


SETTING_MAX = 256


def set_setting(s: Session, *, key: str, value: str) -> None:
    """Store a database-level setting; the caller has validated the value."""
    if len(value) > SETTING_MAX:
        raise InvalidInput(
            _("the value of {key} is {n} characters; accepted: at most {max}").format(
                key=key, n=len(value), max=SETTING_MAX
            )
        )
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
        s.add(row)
    s.flush()


def unset_setting(s: Session, *, key: str) -> bool:
    """Remove a setting; False when it was not set."""
    row = s.get(Setting, key)
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True


def record_reminders(
    s: Session, *, sent: Iterable[tuple[int, str]], on: date, channel: str, recipient: str
) -> None:
    """Record reminders the SMTP server accepted: (visit id, state) pairs sent to one recipient."""
    for visit_id, state in sent:
        s.add(ReminderSent(visit_id=visit_id, state=state, sent_on=on, channel=channel,
                           recipient=recipient))
    s.flush()
