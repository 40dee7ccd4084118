"""A policy (the 1+2 requirement of one province and year): its minimums, pro-rating and exemptions."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import NamedTuple

from congtac12.domain.states import HALF_UP
from congtac12.domain.vocab import LEAVE_REASONS


def minimum_share(share: Fraction | None, days: int | None, min_days: int | None) -> Fraction | None:
    """The share of the required days a minimum stands for: ``days ÷ min_days`` for days."""
    if share is not None:
        return share
    if days is None or not min_days:
        return None
    return Fraction(days, min_days)


def minimum_required(share: Fraction | None, days: int | None, required_days: int, min_days: int | None) -> int:
    """``ceil(share × required days)``; a minimum in days is the share ``days ÷ min_days``.

    Without pro-rating (required == min_days) a minimum in days is those days.
    """
    if share is None:
        if days is None or not min_days:
            return days or 0
        share_of, whole = days, min_days  # the share Fraction(days, min_days)
    elif type(share) is Fraction:
        share_of, whole = share.numerator, share.denominator
    else:
        return math.ceil(share * required_days)
    if whole < 0:
        share_of, whole = -share_of, -whole
    # math.ceil(Fraction(share_of, whole) * required_days), without making two Fractions per minimum
    return -(-share_of * required_days // whole)


class ContentMinimum(NamedTuple):
    """At least ``share`` of the required days (or ``days`` days) of one kind."""

    kind: str
    share: Fraction | None = None
    days: int | None = None

    def required(self, required_days: int, min_days: int | None = None) -> int:
        return minimum_required(self.share, self.days, required_days, min_days)


class LevelMinimum(NamedTuple):
    """At least ``share`` of the required days (or ``days`` days) at one unit level."""

    level: str
    share: Fraction | None = None
    days: int | None = None

    def required(self, required_days: int, min_days: int | None = None) -> int:
        return minimum_required(self.share, self.days, required_days, min_days)


class ProRating(NamedTuple):
    """How the requirement shrinks for a cadre who is not available all window (a named tuple,
    as the minimums are: read-only, and quicker to make at start than a frozen dataclass)."""

    enabled: bool = True
    rounding: str = HALF_UP  # one of ROUNDINGS
    leave_reasons: tuple[str, ...] = tuple(LEAVE_REASONS)  # leave that is deducted


class Exemption(NamedTuple):
    """Exempt (miễn) when leave of these reasons inside the window reaches ``min_leave_days``."""

    reasons: tuple[str, ...]
    min_leave_days: int


class PolicyTexts(NamedTuple):
    """A policy's title, source and assumptions in one language (a ``[vi]`` or ``[en]`` table of
    its file); what a table leaves out is the file's top-level text."""

    language: str
    title: str | None = None
    source: str | None = None
    assumptions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    source: str
    window_start: date
    window_end: date
    min_days: int
    report_due_days: int
    content_minimums: tuple[ContentMinimum, ...] = ()
    level_minimums: tuple[LevelMinimum, ...] = ()
    pro_rating: ProRating = ProRating()
    exemptions: tuple[Exemption, ...] = ()
    assumptions: tuple[str, ...] = ()  # what the source does not say and the file assumes
    series: str | None = None  # presets of one plan over several years ("ha-noi")
    repeat_through: int | None = None  # the window repeats yearly through this year
    # ``remind`` owes nothing for trips of a window that ended more than this many days before
    remind_days_after_window: int = 60
    texts: tuple[PolicyTexts, ...] = ()  # title, source and assumptions by language

    def in_language(self, language: str) -> PolicyTexts:
        """The title, source and assumptions to show in ``language``: its table, else the top-level texts."""
        own = next((t for t in self.texts if t.language == language), PolicyTexts(language))
        return PolicyTexts(
            language,
            own.title or self.title,
            own.source or self.source,
            own.assumptions if own.assumptions is not None else self.assumptions,
        )

    def reminds_on(self, as_of: date) -> bool:
        """Whether ``remind`` still reminds of this window's trips on ``as_of``."""
        return (as_of - self.window_end).days <= self.remind_days_after_window

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days + 1

    @property
    def year(self) -> int:
        """The year a policy is for: its window's first day's year."""
        return self.window_start.year

    @property
    def years(self) -> tuple[int, int]:
        """The first and last year the policy applies in."""
        return self.year, self.repeat_through or self.year

    def covers(self, year: int) -> bool:
        first, last = self.years
        return first <= year <= last

    def in_year(self, year: int) -> Policy:
        """The policy for one of its years: the window moved by whole years."""
        if not self.covers(year):
            raise ValueError(f"policy {self.id} does not apply in {year}")
        shift = year - self.year
        if shift == 0:
            return self
        return replace(
            self,
            window_start=self.window_start.replace(year=self.window_start.year + shift),
            window_end=self.window_end.replace(year=self.window_end.year + shift),
        )

    def report_due(self, last_day: date) -> date:
        # A trip ending near the end of the calendar (a row written around the program) is due on its last day.
        try:
            return last_day + timedelta(days=self.report_due_days)
        except OverflowError:
            return date.max
