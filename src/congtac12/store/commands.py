"""Writes: validate, then write, inside the caller's one transaction.

Every function checks everything before it adds anything, so a refused
command leaves the database as it was (the session rolls back in any case).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlmodel import Session, func, select

from congtac12.errors import CongtacError, Conflict, InvalidInput, NotFound
from congtac12.store import models, queries
from congtac12.store.models import Cadre, Report, Unit, Visit
from congtac12.text import clean_field, fold, nfc
from congtac12.vocab import KINDS, LEVELS

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_VISIT_DAYS = 366


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
    subject: bool = True,
) -> Cadre:
    code, name, department, email = check_cadre(
        code=code, name=name, department=department, email=email
    )
    clash = s.exec(select(Cadre).where(func.lower(Cadre.code) == code.lower())).first()
    if clash is not None:
        raise Conflict(f"cadre code {code!r} is already taken by {clash.code} {clash.name}")
    cadre = Cadre(code=code, name=name, department=department, email=email, subject=subject)
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
    visit = s.get(Visit, visit_id)
    if visit is None:
        raise NotFound(f"no visit {visit_id}; see 'congtac12 visits' for the ids")
    text = check_report(on=on, visit_end=visit.end, text=text)
    existing = s.exec(select(Report).where(Report.visit_id == visit_id)).first()
    if existing is not None and not replace:
        raise Conflict(
            f"visit {visit_id} already has a report dated {existing.reported_on.isoformat()}; "
            "use --replace to replace it"
        )
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
