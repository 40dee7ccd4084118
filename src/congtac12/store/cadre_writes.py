"""Writes of cadres and units: validate, then write, inside the caller's one transaction.

Adding and editing a cadre share one validation (``check_cadre``), so an edit accepts exactly what
an add accepts. Each names its change for the audit trail (``audit.describe``).
"""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlmodel import Session, func, select

from congtac12.errors import Conflict, InvalidInput
from congtac12.i18n import _
from congtac12.store import audit, models, queries
from congtac12.store.guards import (
    admin_only,
    cadre_label,
    refuse_deactivated,
)
from congtac12.store.models import Cadre, Unit, Visit
from congtac12.store.validate import check_cadre as check_cadre  # defined where no ORM is loaded
from congtac12.store.validate import check_email
from congtac12.store.validate import check_service as check_service
from congtac12.store.validate import check_unit as check_unit
from congtac12.text import clean_field, fold

CLEAR = "none"  # edit_cadre(joined=CLEAR): remove the first (or last) day of service


# --- cadres ------------------------------------------------------------------


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
    admin_only(s, _("cadres"))
    clash = s.exec(select(Cadre).where(func.lower(Cadre.code) == code.lower())).first()
    if clash is not None:
        note = (
            ""
            if clash.deactivated_at is None
            else _(" (deactivated; bring it back with 'congtac12 cadre restore {code}')").format(code=clash.code)
        )
        raise Conflict(
            _("cadre code {code!r} is already taken by {cadre}{note}").format(
                code=code, cadre=cadre_label(clash), note=note
            )
        )
    cadre = Cadre(  # type: ignore[call-arg]  # code_key: the column's default computes it
        code=code,
        name=name,
        department=department,
        email=email,
        subject=subject,
        joined=joined,
        left=left,
    )
    audit.describe(s, "cadre.add", _("added cadre {cadre}").format(cadre=cadre_label(cadre)))
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
    admin_only(s, _("cadres"))
    new: dict[str, object] = {}
    if name is not None:
        new["name"] = clean_field(name, what="name", max_len=models.NAME_MAX)
    if department is not None:
        new["department"] = clean_field(department, what="department", max_len=models.DEPARTMENT_MAX)
    if email is not None:
        new["email"] = check_email(email)
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
    # new holds the checked fields: a day or None for joined and left.
    check_service(
        cast("date | None", new.get("joined", the_cadre.joined)), cast("date | None", new.get("left", the_cadre.left))
    )
    refuse_deactivated(the_cadre, _("edit"))
    changes = {k: (getattr(the_cadre, k), v) for k, v in new.items() if getattr(the_cadre, k) != v}
    audit.describe(s, "cadre.edit", _("edited cadre {cadre}").format(cadre=cadre_label(the_cadre)))
    for key, (_old, value) in changes.items():
        setattr(the_cadre, key, value)
    s.add(the_cadre)
    s.flush()
    return the_cadre, changes


def delete_cadre(s: Session, *, cadre: str) -> tuple[Cadre, int]:
    """Deactivate a cadre (never erased: the visits stay recorded); returns it and its live visits."""
    the_cadre = queries.find_cadre(s, cadre)
    admin_only(s, _("cadres"))
    if the_cadre.deactivated_at is not None:
        raise Conflict(_("cadre {cadre} is already deactivated").format(cadre=cadre_label(the_cadre)))
    audit.describe(s, "cadre.delete", _("deactivated cadre {cadre}").format(cadre=cadre_label(the_cadre)))
    the_cadre.deactivated_at = models.now_utc()
    s.add(the_cadre)
    s.flush()
    visits = s.exec(
        select(func.count()).select_from(Visit).where(Visit.cadre_id == the_cadre.id, Visit.deleted_at == None)  # noqa: E711
    ).one()
    return the_cadre, visits


def restore_cadre(s: Session, *, cadre: str) -> Cadre:
    the_cadre = queries.find_cadre(s, cadre)
    admin_only(s, _("cadres"))
    if the_cadre.deactivated_at is None:
        raise Conflict(_("cadre {cadre} is active; nothing to restore").format(cadre=cadre_label(the_cadre)))
    audit.describe(s, "cadre.restore", _("restored cadre {cadre}").format(cadre=cadre_label(the_cadre)))
    the_cadre.deactivated_at = None
    s.add(the_cadre)
    s.flush()
    return the_cadre


# --- units -------------------------------------------------------------------


def add_unit(s: Session, *, name: str, level: str, parent: str | None = None) -> Unit:
    name = check_unit(name=name, level=level)
    admin_only(s, _("units"))
    parent_unit = queries.find_unit(s, parent) if parent is not None else None
    folded = fold(name)
    for existing in queries.units(s):
        if fold(existing.name) == folded:
            raise Conflict(_("unit {name!r} already exists").format(name=existing.name))
    unit = Unit(  # type: ignore[call-arg]  # name_key: the column's default computes it
        name=name, level=level, parent_id=parent_unit.id if parent_unit else None
    )
    audit.describe(s, "unit.add", _("added unit {name}").format(name=name))
    s.add(unit)
    s.flush()
    return unit
