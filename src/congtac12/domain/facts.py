"""The facts the rules read: cadres with their service period and leave, visits, reports. Plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LeaveFacts:
    """A period of leave (nghỉ), first to last day inclusive, with its reason."""

    id: int
    start: date
    end: date
    reason: str  # one of vocab.LEAVE_REASONS


@dataclass(frozen=True)
class CadreFacts:
    code: str
    name: str
    department: str
    subject: bool = True
    joined: date | None = None  # first day of service; None: before any window
    left: date | None = None  # last day of service; None: still serving
    leave: tuple[LeaveFacts, ...] = ()


@dataclass(frozen=True)
class VisitFacts:
    id: int
    cadre: str  # the cadre's code
    start: date
    end: date
    kind: str
    level: str | None = None  # the visited unit's level (vocab.LEVELS)


@dataclass(frozen=True)
class ReportFacts:
    visit_id: int
    reported_on: date
