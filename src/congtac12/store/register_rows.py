"""The rows of ``cadre list``, ``leave list`` and ``unit list`` (as ``store.rows``: plain values
that the ORM's reads and the SQL reads both return), and a unit found by what a user typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class LeaveRow:
    id: int
    cadre_code: str
    cadre_name: str
    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class CadreRow:
    """A cadre as ``cadre list`` shows it."""

    id: int
    code: str
    name: str
    department: str
    email: str | None
    subject: bool
    joined: date | None
    left: date | None
    deactivated_at: datetime | None


@dataclass(frozen=True)
class UnitRow:
    """A unit as ``unit list`` shows it."""

    id: int
    name: str
    level: str
    parent_id: int | None


@dataclass(frozen=True)
class UnitRef:
    """A unit found by what a user typed: its id and name."""

    id: int
    name: str
