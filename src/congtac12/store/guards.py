"""What every write checks first: the field an error concerns, organisation mode's rights (said
before the database refuses), and a deactivated cadre's records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from congtac12.errors import Conflict, CongtacError
from congtac12.i18n import _
from congtac12.store import rights
from congtac12.store.models import Cadre


def cadre_label(c: Cadre) -> str:
    return f"{c.code} {c.name}"


@contextmanager
def tagged(name: str) -> Iterator[None]:
    """Tag an error raised inside with the field it concerns (for import's column names)."""
    try:
        yield
    except CongtacError as exc:
        if exc.field is None:
            exc.field = name
        raise


def is_postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def may_change(s: Session, cadre: Cadre, record: str) -> None:
    """Organisation mode: refuse a write on another cadre's record (no query on SQLite)."""
    if is_postgres(s):
        rights.check_record(s, cadre, record)


def admin_only(s: Session, what: str) -> None:
    """Organisation mode: cadres, units and settings are the administrators' (no query on SQLite)."""
    if is_postgres(s):
        rights.check_admin(s, what)


def deactivated(code: str, name: str, doing: str) -> Conflict:
    """The refusal of a write on a deactivated cadre's record (add-visit, import, restore-visit)."""
    return Conflict(
        _("cadre {cadre} is deactivated; cannot {doing} (bring it back with 'congtac12 cadre restore {code}')").format(
            cadre=f"{code} {name}", doing=doing, code=code
        )
    )


def refuse_deactivated(cadre: Cadre, doing: str) -> None:
    if cadre.deactivated_at is not None:
        raise deactivated(cadre.code, cadre.name, doing)
