"""Writes: validate, then write, inside the caller's one transaction.

Every function checks everything before it adds anything, so a refused
command leaves the database as it was (the session rolls back in any case).
Each names its change for the audit trail (``audit.describe``); the rows it
writes are recorded with their before and after by ``audit`` at commit.
Adding and editing share one validation per record (``_cadre_fields``,
``_visit_fields``), so an edit accepts exactly what an add accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, func, select

from congtac12.dates import show, show_period
from congtac12.domain.vocab import KINDS, LEAVE_REASONS, LEVELS, kind_name
from congtac12.errors import Conflict, CongtacError, InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.store import audit, models, queries
from congtac12.store.models import Cadre, Leave, ReminderSent, Report, Setting, Unit, Visit
from congtac12.text import clean_field, excerpt, fold, nfc, printable_text

CLEAR = "none"  # edit_cadre(joined=CLEAR): remove the first (or last) day of service
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_VISIT_DAYS = 366  # a trip of more than a year is a typing error (db check flags it too)


# --- cadres ------------------------------------------------------------------


def _cadre_code(code: str) -> str:
    code = code.strip()
    if not _CODE.fullmatch(code) or len(code) > models.CODE_MAX:
        raise InvalidInput(
            _(
                "cadre code {code!r} is not valid; accepted: 1 to {max} letters, "
                "digits, '.', '_' or '-', starting with a letter or digit"
            ).format(code=excerpt(code), max=models.CODE_MAX)
        )
    return code


def _email(email: str | None) -> str | None:
    """An address, or None; an empty string clears it (in an edit)."""
    if email is None or not email.strip():
        return None
    email = email.strip()
    if not _EMAIL.fullmatch(email) or len(email) > models.EMAIL_MAX or not email.isprintable():
        raise InvalidInput(
            _("email {email!r} is not valid; accepted: an address like an.nv@example.vn").format(email=excerpt(email))
        )
    return email


def _cadre_label(c: Cadre) -> str:
    return f"{c.code} {c.name}"


def check_service(joined: date | None, left: date | None) -> None:
    """A service period's last day must not come before its first."""
    if joined is not None and left is not None and left < joined:
        raise InvalidInput(
            _(
                "--left {left} is before --joined {joined}; the last day of service must be on or after the first"
            ).format(left=show(left), joined=show(joined)),
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


def _postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def _may_change(s: Session, cadre: Cadre, record: str) -> None:
    """Organisation mode: refuse a write on another cadre's record (no query on SQLite)."""
    if _postgres(s):
        from congtac12.store import org

        org.check_record(s, cadre, record)


def _admin_only(s: Session, what: str) -> None:
    """Organisation mode: cadres, units and settings are the administrators' (no query on SQLite)."""
    if _postgres(s):
        from congtac12.store import org

        org.check_admin(s, what)


def check_cadre(*, code: str, name: str, department: str, email: str | None) -> tuple[str, str, str, str | None]:
    """A cadre's fields, normalised, or InvalidInput tagged with the field at fault."""
    with _field("code"):
        code = _cadre_code(code)
    with _field("name"):
        name = clean_field(name, what="name", max_len=models.NAME_MAX)
    with _field("department"):
        department = clean_field(department, what="department", max_len=models.DEPARTMENT_MAX)
    if email is not None:
        with _field("email"):
            email = _email(email)
            if email is None:
                raise InvalidInput(_("email is empty; accepted: an address like an.nv@example.vn"))
    return code, name, department, email


def add_cadre(
    s: Session,
    *,
    code: str,
    name: str,
    department: str,
    email: str | None = None,
    subject: bool = True,
    joined: date | None = None,
    left: date | None = None,
) -> Cadre:
    code, name, department, email = check_cadre(code=code, name=name, department=department, email=email)
    check_service(joined, left)
    _admin_only(s, _("cadres"))
    clash = s.exec(select(Cadre).where(func.lower(Cadre.code) == code.lower())).first()
    if clash is not None:
        note = (
            ""
            if clash.deactivated_at is None
            else _(" (deactivated; bring it back with 'congtac12 cadre restore {code}')").format(code=clash.code)
        )
        raise Conflict(
            _("cadre code {code!r} is already taken by {cadre}{note}").format(
                code=code, cadre=_cadre_label(clash), note=note
            )
        )
    cadre = Cadre(
        code=code,
        name=name,
        department=department,
        email=email,
        subject=subject,
        joined=joined,
        left=left,
    )
    audit.describe(s, "cadre.add", _("added cadre {cadre}").format(cadre=_cadre_label(cadre)))
    s.add(cadre)
    s.flush()
    return cadre


def edit_cadre(
    s: Session,
    *,
    cadre: str,
    name: str | None = None,
    department: str | None = None,
    email: str | None = None,
    subject: bool | None = None,
    joined: date | str | None = None,
    left: date | str | None = None,
) -> tuple[Cadre, dict[str, tuple[object, object]]]:
    """Change a cadre's fields; returns the cadre and {field: (old, new)} of what changed.

    ``email=""`` removes the address; ``joined=CLEAR``/``left=CLEAR`` the day of service.
    """
    the_cadre = queries.find_cadre(s, cadre)
    _admin_only(s, _("cadres"))
    new: dict[str, object] = {}
    if name is not None:
        new["name"] = clean_field(name, what="name", max_len=models.NAME_MAX)
    if department is not None:
        new["department"] = clean_field(department, what="department", max_len=models.DEPARTMENT_MAX)
    if email is not None:
        new["email"] = _email(email)
    if subject is not None:
        new["subject"] = subject
    if joined is not None:
        new["joined"] = None if joined == CLEAR else joined
    if left is not None:
        new["left"] = None if left == CLEAR else left
    if not new:
        raise InvalidInput(
            _("nothing to change; give --name, --dept, --email, --subject/--not-subject, --joined or --left")
        )
    check_service(new.get("joined", the_cadre.joined), new.get("left", the_cadre.left))
    _refuse_deactivated(the_cadre, _("edit"))
    changes = {k: (getattr(the_cadre, k), v) for k, v in new.items() if getattr(the_cadre, k) != v}
    audit.describe(s, "cadre.edit", _("edited cadre {cadre}").format(cadre=_cadre_label(the_cadre)))
    for key, (_old, value) in changes.items():
        setattr(the_cadre, key, value)
    s.add(the_cadre)
    s.flush()
    return the_cadre, changes


def deactivated(code: str, name: str, doing: str) -> Conflict:
    """The refusal of a write on a deactivated cadre's record (add-visit, import, restore-visit)."""
    return Conflict(
        _("cadre {cadre} is deactivated; cannot {doing} (bring it back with 'congtac12 cadre restore {code}')").format(
            cadre=f"{code} {name}", doing=doing, code=code
        )
    )


def _refuse_deactivated(cadre: Cadre, doing: str) -> None:
    if cadre.deactivated_at is not None:
        raise deactivated(cadre.code, cadre.name, doing)


def delete_cadre(s: Session, *, cadre: str) -> tuple[Cadre, int]:
    """Deactivate a cadre (never erased: the visits stay recorded); returns it and its live visits."""
    the_cadre = queries.find_cadre(s, cadre)
    _admin_only(s, _("cadres"))
    if the_cadre.deactivated_at is not None:
        raise Conflict(_("cadre {cadre} is already deactivated").format(cadre=_cadre_label(the_cadre)))
    audit.describe(s, "cadre.delete", _("deactivated cadre {cadre}").format(cadre=_cadre_label(the_cadre)))
    the_cadre.deactivated_at = models._now()
    s.add(the_cadre)
    s.flush()
    visits = s.exec(
        select(func.count()).select_from(Visit).where(Visit.cadre_id == the_cadre.id, Visit.deleted_at == None)  # noqa: E711
    ).one()
    return the_cadre, visits


def restore_cadre(s: Session, *, cadre: str) -> Cadre:
    the_cadre = queries.find_cadre(s, cadre)
    _admin_only(s, _("cadres"))
    if the_cadre.deactivated_at is None:
        raise Conflict(_("cadre {cadre} is active; nothing to restore").format(cadre=_cadre_label(the_cadre)))
    audit.describe(s, "cadre.restore", _("restored cadre {cadre}").format(cadre=_cadre_label(the_cadre)))
    the_cadre.deactivated_at = None
    s.add(the_cadre)
    s.flush()
    return the_cadre


# --- units -------------------------------------------------------------------


def check_unit(*, name: str, level: str) -> str:
    """A unit's name, normalised, after checking it and the level."""
    with _field("name"):
        name = clean_field(name, what="unit name", max_len=models.UNIT_NAME_MAX)
    if level not in LEVELS:
        raise InvalidInput(
            _("unknown level {level!r}; accepted: {accepted}").format(level=excerpt(level), accepted=", ".join(LEVELS)),
            field="level",
        )
    return name


def add_unit(s: Session, *, name: str, level: str, parent: str | None = None) -> Unit:
    name = check_unit(name=name, level=level)
    _admin_only(s, _("units"))
    parent_unit = queries.find_unit(s, parent) if parent is not None else None
    folded = fold(name)
    for existing in queries.units(s):
        if fold(existing.name) == folded:
            raise Conflict(_("unit {name!r} already exists").format(name=existing.name))
    unit = Unit(name=name, level=level, parent_id=parent_unit.id if parent_unit else None)
    audit.describe(s, "unit.add", _("added unit {name}").format(name=name))
    s.add(unit)
    s.flush()
    return unit


def check_visit(
    *,
    start: date,
    end: date,
    kind: str,
    topic: str | None,
    order_no: str | None,
    labels: tuple[str, str] = ("--from", "--to"),
) -> tuple[str | None, str | None]:
    """A visit's topic and order number, normalised, after checking every field.

    ``labels`` name the first and last day as the user gave them (options or columns).
    """
    if kind not in KINDS:
        raise InvalidInput(
            _("unknown kind {kind!r}; accepted: {accepted}").format(kind=excerpt(kind), accepted=", ".join(KINDS)),
            field="kind",
        )
    if end < start:
        raise InvalidInput(
            _("{last_label} {end} is before {first_label} {start}; the last day must be on or after the first").format(
                last_label=labels[1], end=show(end), first_label=labels[0], start=show(start)
            ),
            field="end",
        )
    if (end - start).days + 1 > MAX_VISIT_DAYS:
        raise InvalidInput(
            _("a visit of {days} days is too long; accepted: at most {max}").format(
                days=(end - start).days + 1, max=MAX_VISIT_DAYS
            ),
            field="end",
        )
    if topic is not None:
        with _field("topic"):
            topic = clean_field(topic, what="topic", max_len=models.TOPIC_MAX, required=False) or None
    if order_no is not None:
        with _field("order_no"):
            order_no = clean_field(order_no, what="order number", max_len=models.ORDER_MAX, required=False) or None
    return topic, order_no


# --- visits ------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFields:
    """A visit's validated fields, as add-visit and edit-visit accept them."""

    cadre: Cadre
    unit: Unit
    start: date
    end: date
    kind: str
    topic: str | None
    order_no: str | None


def _visit_fields(
    s: Session,
    *,
    cadre: str | Cadre,
    unit: str | Unit,
    start: date,
    end: date,
    kind: str,
    topic: str | None,
    order_no: str | None,
    visit_id: int | None = None,
) -> VisitFields:
    """Check a visit as add-visit does; ``visit_id``: the visit being edited (not its own duplicate)."""
    topic, order_no = check_visit(start=start, end=end, kind=kind, topic=topic, order_no=order_no)
    the_cadre = queries.find_cadre(s, cadre) if isinstance(cadre, str) else cadre
    if visit_id is None:  # an edit checked its visit's cadre already
        _may_change(s, the_cadre, _("the new visit"))
    the_unit = queries.find_unit(s, unit) if isinstance(unit, str) else unit
    _refuse_deactivated(the_cadre, _("record visits"))
    same = s.exec(
        select(Visit).where(
            Visit.cadre_id == the_cadre.id,
            Visit.unit_id == the_unit.id,
            Visit.start == start,
            Visit.end == end,
            Visit.kind == kind,
            Visit.id != visit_id,
        )
    ).first()
    if same is not None:
        note = (
            ""
            if same.deleted_at is None
            else _(" (deleted; bring it back with 'congtac12 restore-visit {id}')").format(id=same.id)
        )
        raise Conflict(
            _("visit {id}{note} already records {code} at {unit} from {start} to {end} ({kind})").format(
                id=same.id,
                note=note,
                code=the_cadre.code,
                unit=the_unit.name,
                start=show(start),
                end=show(end),
                kind=kind,
            )
        )
    return VisitFields(the_cadre, the_unit, start, end, kind, topic, order_no)


def _visit_label(v: Visit, cadre: Cadre, unit: Unit) -> str:
    return _("visit {id}: {code} at {unit}, {when} ({kind})").format(
        id=v.id, code=cadre.code, unit=unit.name, when=show_period(v.start, v.end), kind=kind_name(v.kind)
    )


def add_visit(
    s: Session,
    *,
    cadre: str,
    unit: str,
    start: date,
    end: date,
    kind: str,
    topic: str | None = None,
    order_no: str | None = None,
) -> tuple[Visit, Cadre, Unit]:
    f = _visit_fields(s, cadre=cadre, unit=unit, start=start, end=end, kind=kind, topic=topic, order_no=order_no)
    visit = Visit(
        cadre_id=f.cadre.id,
        unit_id=f.unit.id,
        start=f.start,
        end=f.end,
        kind=f.kind,
        topic=f.topic,
        order_no=f.order_no,
    )
    s.add(visit)
    s.flush()
    audit.describe(s, "visit.add", _("added {visit}").format(visit=_visit_label(visit, f.cadre, f.unit)))
    return visit, f.cadre, f.unit


def get_visit(s: Session, visit_id: int) -> Visit:
    visit = s.get(Visit, visit_id) if models.is_row_id(visit_id) else None
    if visit is None:
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
    return visit


def _may_change_visit(s: Session, visit: Visit) -> None:
    if _postgres(s):
        _may_change(s, s.get(Cadre, visit.cadre_id), _("visit {id}").format(id=visit.id))


def _live_visit(s: Session, visit_id: int, doing: str) -> Visit:
    visit = get_visit(s, visit_id)
    _may_change_visit(s, visit)
    if visit.deleted_at is not None:
        raise Conflict(
            _("visit {id} is deleted; cannot {doing} (bring it back with 'congtac12 restore-visit {id}')").format(
                id=visit_id, doing=doing
            )
        )
    return visit


def edit_visit(
    s: Session,
    *,
    visit_id: int,
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    topic: str | None = None,
    order_no: str | None = None,
) -> tuple[Visit, Cadre, Unit, dict[str, tuple[object, object]]]:
    """Change a visit's fields under add-visit's rules; returns it, its cadre and unit, and what changed.

    ``topic=""``/``order_no=""`` remove them.
    """
    if all(v is None for v in (unit, start, end, kind, topic, order_no)):
        raise InvalidInput(_("nothing to change; give --unit, --from, --to, --kind, --topic or --order"))
    visit = _live_visit(s, visit_id, _("edit it"))
    f = _visit_fields(
        s,
        cadre=s.get(Cadre, visit.cadre_id),
        unit=unit if unit is not None else s.get(Unit, visit.unit_id),
        start=start or visit.start,
        end=end or visit.end,
        kind=kind or visit.kind,
        topic=topic if topic is not None else visit.topic,
        order_no=order_no if order_no is not None else visit.order_no,
        visit_id=visit.id,
    )
    report = _report_of(s, visit.id)
    if report is not None and report.reported_on < f.end:
        raise Conflict(
            _(
                "visit {id}'s report is dated {on}, before the new last day {end}; a report is written after the trip"
            ).format(id=visit.id, on=show(report.reported_on), end=show(f.end))
        )
    new = {
        "unit_id": f.unit.id,
        "start": f.start,
        "end": f.end,
        "kind": f.kind,
        "topic": f.topic,
        "order_no": f.order_no,
    }
    changes = {k: (getattr(visit, k), v) for k, v in new.items() if getattr(visit, k) != v}
    audit.describe(
        s, "visit.edit", _("edited {visit}").format(visit=_visit_label(visit, f.cadre, s.get(Unit, visit.unit_id)))
    )
    for key, (_old, value) in changes.items():
        setattr(visit, key, value)
    s.add(visit)
    s.flush()
    return visit, f.cadre, f.unit, changes


def _report_of(s: Session, visit_id: int) -> Report | None:
    return s.exec(select(Report).where(Report.visit_id == visit_id)).first()


def delete_visit(s: Session, *, visit_id: int) -> tuple[Visit, Report | None]:
    """Soft-delete a visit and its report: hidden from counts and lists, kept for restore-visit."""
    visit = _live_visit(s, visit_id, _("delete it again"))
    return _set_deleted(s, visit, models._now(), "visit.delete", _("deleted {visit}"))


def restore_visit(s: Session, *, visit_id: int) -> tuple[Visit, Report | None]:
    """Bring back a deleted visit with its report."""
    visit = get_visit(s, visit_id)
    _may_change_visit(s, visit)
    if visit.deleted_at is None:
        raise Conflict(_("visit {id} is not deleted; nothing to restore").format(id=visit_id))
    _refuse_deactivated(s.get(Cadre, visit.cadre_id), _("restore its visits"))
    return _set_deleted(s, visit, None, "visit.restore", _("restored {visit}"))


def _set_deleted(s: Session, visit: Visit, when: object, action: str, summary: str) -> tuple[Visit, Report | None]:
    """Mark a visit and its report deleted at ``when`` (None: restored), as one change."""
    label = _visit_label(visit, s.get(Cadre, visit.cadre_id), s.get(Unit, visit.unit_id))
    audit.describe(s, action, summary.format(visit=label))
    report = _report_of(s, visit.id)
    for row in (visit, report):  # one statement each, in this order (the history lists them so)
        if row is not None:
            row.deleted_at = when
            s.add(row)
            s.flush()
    return visit, report


# --- reports -----------------------------------------------------------------


def report_target(s: Session, *, visit_id: int, on: date, replace: bool = False) -> tuple[Visit, Report | None]:
    """Refuse a report that could not be recorded; returns (visit, its existing report)."""
    visit = _live_visit(s, visit_id, _("record its report"))
    check_report(on=on, visit_end=visit.end, text="")
    existing = _report_of(s, visit_id)
    if existing is not None and not replace:
        raise Conflict(
            _("visit {id} already has a report dated {on}; use --replace to replace it").format(
                id=visit_id, on=show(existing.reported_on)
            )
        )
    return visit, existing


def check_report(*, on: date, visit_end: date, text: str) -> str:
    """A report's text, normalised, after checking it and its date against the trip's last day."""
    if on < visit_end:
        raise Conflict(
            _("report date {on} is before the visit's last day {end}; a report is written after the trip").format(
                on=show(on), end=show(visit_end)
            ),
            field="reported_on",
        )
    with _field("text"):
        text = printable_text(text, what=_("report text"))
    # Line ends as LF: a CR would not survive a spreadsheet (XML turns it into LF).
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > models.REPORT_MAX:
        raise InvalidInput(
            _("report text is {length} characters; accepted: at most {max}").format(
                length=len(text), max=models.REPORT_MAX
            ),
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
        audit.describe(
            s,
            "report.replace",
            _("replaced the report of visit {id}, now dated {on}").format(id=visit_id, on=show(on)),
        )
        existing.reported_on = on
        existing.text = text
        s.add(existing)
        s.flush()
        return existing, visit, True
    audit.describe(s, "report.add", _("recorded the report of visit {id}, dated {on}").format(id=visit_id, on=show(on)))
    report = Report(visit_id=visit_id, reported_on=on, text=text)
    s.add(report)
    s.flush()
    return report, visit, False


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
    _may_change(s, the_cadre, _("the new leave"))
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
            reason=reason, cadre=_cadre_label(the_cadre), start=show(start), end=show(end)
        ),
    )
    s.add(leave)
    s.flush()
    return leave, the_cadre


def delete_leave(s: Session, *, leave_id: int) -> tuple[Leave, Cadre]:
    leave = s.get(Leave, leave_id) if models.is_row_id(leave_id) else None
    if leave is None:
        raise NotFound(_("no leave {id}; see 'congtac12 leave list' for the ids").format(id=leave_id))
    cadre = s.get(Cadre, leave.cadre_id)
    _may_change(s, cadre, _("leave {id}").format(id=leave.id))
    audit.describe(s, "leave.delete", _("deleted leave {id} of {cadre}").format(id=leave.id, cadre=_cadre_label(cadre)))
    audit.delete_row(s, leave)
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
    _admin_only(s, _("settings"))
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
        s.add(row)
    s.flush()


def unset_setting(s: Session, *, key: str) -> bool:
    """Remove a setting; False when it was not set."""
    _admin_only(s, _("settings"))
    row = s.get(Setting, key)
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True


def reminder_scope(s: Session, *, digest: bool) -> str | None:
    """Whose reminders this run sends: None for all (SQLite, or an administrator), else one cadre's code."""
    if not _postgres(s):
        return None
    from congtac12.store import org

    return org.reminder_scope(s, digest=digest)


def record_reminders(s: Session, *, sent: Iterable[tuple[int, str]], on: date, channel: str, recipient: str) -> None:
    """Record reminders the SMTP server accepted: (visit id, state) pairs sent to one recipient."""
    for visit_id, state in sent:
        s.add(ReminderSent(visit_id=visit_id, state=state, sent_on=on, channel=channel, recipient=recipient))
    s.flush()
