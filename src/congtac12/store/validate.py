"""The checks of a record's fields, with no ORM: what ``cadre add``, ``unit add``, ``add-visit``,
``report`` and an import (on a DB-API connection) accept. ``commands`` (and ``cadre_writes``,
``visit_writes``, ``guards``) import them from here, so each rule is written once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from congtac12.dates import show
from congtac12.domain.vocab import KINDS, LEVELS
from congtac12.errors import Conflict, CongtacError, InvalidInput
from congtac12.i18n import _
from congtac12.store import limits
from congtac12.store.limits import MAX_VISIT_DAYS
from congtac12.text import clean_field, excerpt, nfc, printable_text

__all__ = [
    "MAX_VISIT_DAYS",
    "check_cadre",
    "check_email",
    "check_report",
    "check_service",
    "check_unit",
    "check_visit",
    "deactivated",
    "tagged",
]


@contextmanager
def tagged(name: str) -> Iterator[None]:
    """Tag an error raised inside with the field it concerns (for import's column names)."""
    try:
        yield
    except CongtacError as exc:
        if exc.field is None:
            exc.field = name
        raise


def deactivated(code: str, name: str, doing: str) -> Conflict:
    """The refusal of a write on a deactivated cadre's record (add-visit, import, restore-visit)."""
    return Conflict(
        _("cadre {cadre} is deactivated; cannot {doing} (bring it back with 'congtac12 cadre restore {code}')").format(
            cadre=f"{code} {name}", doing=doing, code=code
        )
    )


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _cadre_code(code: str) -> str:
    code = code.strip()
    if not _CODE.fullmatch(code) or len(code) > limits.CODE_MAX:
        raise InvalidInput(
            _(
                "cadre code {code!r} is not valid; accepted: 1 to {max} letters, "
                "digits, '.', '_' or '-', starting with a letter or digit"
            ).format(code=excerpt(code), max=limits.CODE_MAX)
        )
    return code


def check_email(email: str | None) -> str | None:
    """An address, or None; an empty string clears it (in an edit)."""
    if email is None or not email.strip():
        return None
    email = email.strip()
    if not _EMAIL.fullmatch(email) or len(email) > limits.EMAIL_MAX or not email.isprintable():
        raise InvalidInput(
            _("email {email!r} is not valid; accepted: an address like an.nv@example.vn").format(email=excerpt(email))
        )
    return email


def check_service(joined: date | None, left: date | None) -> None:
    """A service period's last day must not come before its first."""
    if joined is not None and left is not None and left < joined:
        raise InvalidInput(
            _(
                "--left {left} is before --joined {joined}; the last day of service must be on or after the first"
            ).format(left=show(left), joined=show(joined)),
            field="left",
        )


def check_cadre(*, code: str, name: str, department: str, email: str | None) -> tuple[str, str, str, str | None]:
    """A cadre's fields, normalised, or InvalidInput tagged with the field at fault."""
    with tagged("code"):
        code = _cadre_code(code)
    with tagged("name"):
        name = clean_field(name, what="name", max_len=limits.NAME_MAX)
    with tagged("department"):
        department = clean_field(department, what="department", max_len=limits.DEPARTMENT_MAX)
    if email is not None:
        with tagged("email"):
            email = check_email(email)
            if email is None:
                raise InvalidInput(_("email is empty; accepted: an address like an.nv@example.vn"))
    return code, name, department, email


def check_unit(*, name: str, level: str) -> str:
    """A unit's name, normalised, after checking it and the level."""
    with tagged("name"):
        name = clean_field(name, what="unit name", max_len=limits.UNIT_NAME_MAX)
    if level not in LEVELS:
        raise InvalidInput(
            _("unknown level {level!r}; accepted: {accepted}").format(level=excerpt(level), accepted=", ".join(LEVELS)),
            field="level",
        )
    return name


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
        with tagged("topic"):
            topic = clean_field(topic, what="topic", max_len=limits.TOPIC_MAX, required=False) or None
    if order_no is not None:
        with tagged("order_no"):
            order_no = clean_field(order_no, what="order number", max_len=limits.ORDER_MAX, required=False) or None
    return topic, order_no


def check_report(*, on: date, visit_end: date, text: str) -> str:
    """A report's text, normalised, after checking it and its date against the trip's last day."""
    if on < visit_end:
        raise Conflict(
            _("report date {on} is before the visit's last day {end}; a report is written after the trip").format(
                on=show(on), end=show(visit_end)
            ),
            field="reported_on",
        )
    with tagged("text"):
        text = printable_text(text, what=_("report text"))
    # Line ends as LF: a CR would not survive a spreadsheet (XML turns it into LF).
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limits.REPORT_MAX:
        raise InvalidInput(
            _("report text is {length} characters; accepted: at most {max}").format(
                length=len(text), max=limits.REPORT_MAX
            ),
            field="text",
        )
    return text
