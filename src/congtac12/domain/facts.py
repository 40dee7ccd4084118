"""The facts the rules read: cadres with their service period and leave, visits, reports. Plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple


class LeaveFacts(NamedTuple):
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


class VisitFacts(NamedTuple):
    """A visit (chuyến công tác). A named tuple rather than a frozen dataclass, as plain and as
    immutable: a window of a year holds thousands, and a tuple is made several times faster."""

    id: int
    cadre: str  # the cadre's code
    start: date
    end: date
    kind: str
    level: str | None = None  # the visited unit's level (vocab.LEVELS)


class ReportFacts(NamedTuple):
    """A visit's report (báo cáo) and the day it is dated; a named tuple, as ``VisitFacts``."""

    visit_id: int
    reported_on: date


class PlanFacts(NamedTuple):
    """A registered trip (đăng ký): one cadre's intended visit to one unit.

    A dated plan covers ``start``..``end``; a month plan (``days`` set) intends
    ``days`` days somewhere in the month ``start``..``end`` (its first to last day).
    ``fulfilled_on`` is the first day of the live visit linked to it (None: none).
    """

    id: int
    cadre: str  # the cadre's code
    unit: str
    level: str | None  # the unit's level (vocab.LEVELS)
    start: date
    end: date
    kind: str
    state: str  # as recorded: one of states.PLAN_RECORDED_STATES
    days: int | None = None  # a month plan's days; None for a dated plan
    topic: str | None = None
    fulfilled_on: date | None = None
    visit_id: int | None = None
