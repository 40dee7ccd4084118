"""What every write checks first: the field an error concerns, organisation mode's rights (said
before the database refuses), a deactivated cadre's records, and the cadre and unit of a trip."""

from __future__ import annotations

from sqlmodel import Session

from congtac12.store import queries, rights
from congtac12.store.models import Cadre, Unit
from congtac12.store.validate import deactivated as deactivated  # defined where no ORM is loaded
from congtac12.store.validate import tagged as tagged


def cadre_label(c: Cadre) -> str:
    return f"{c.code} {c.name}"


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


def refuse_deactivated(cadre: Cadre, doing: str) -> None:
    if cadre.deactivated_at is not None:
        raise deactivated(cadre.code, cadre.name, doing)


def trip_cadre_and_unit(
    s: Session, cadre: str | Cadre, unit: str | Unit, *, new: str | None, doing: str
) -> tuple[Cadre, Unit]:
    """The cadre and the unit a trip names (a visit or a plan; a code or a name as typed, or the rows
    an edit already holds), after the checks every such write makes, in this order: the cadre is
    found; organisation mode's right to write that cadre's record (``new``: the record, "the new
    visit"; None for an edit, which checked its own record); the unit is found; a deactivated cadre
    is refused (``doing``: "record visits")."""
    the_cadre = queries.find_cadre(s, cadre) if isinstance(cadre, str) else cadre
    if new is not None:
        may_change(s, the_cadre, new)
    the_unit = queries.find_unit(s, unit) if isinstance(unit, str) else unit
    refuse_deactivated(the_cadre, doing)
    return the_cadre, the_unit
