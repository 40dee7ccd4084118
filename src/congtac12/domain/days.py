"""Counted days as people read them: the days a set of spans covers, a day covered twice once.

``merged_length`` is the one count of days of overlapping spans; ``day_figures`` gives a
cadre's days in all, by kind and by level from its counted pieces (``counting.evaluate``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from congtac12.domain.vocab import KINDS, LEVELS

_ONE_DAY = timedelta(days=1)


def merged_length(intervals: Iterable[tuple[date, date]]) -> int:
    """Days covered by the union of inclusive date intervals (empty ones count nothing)."""
    total = 0
    cur_start = date.min  # meaningful once cur_end is set
    cur_end: date | None = None
    for start, end in sorted(intervals):
        if end < start:
            continue
        if cur_end is not None and start <= cur_end + _ONE_DAY:
            if end > cur_end:
                cur_end = end
            continue
        if cur_end is not None:
            total += (cur_end - cur_start).days + 1
        cur_start, cur_end = start, end
    if cur_end is not None:
        total += (cur_end - cur_start).days + 1
    return total


def no_days() -> tuple[int, dict[str, int], dict[str, int]]:
    return 0, dict.fromkeys(KINDS, 0), dict.fromkeys(LEVELS, 0)


def _start_of(piece: tuple[date, date, str, str | None]) -> date:
    return piece[0]


def day_figures(pieces: list[tuple[date, date, str, str | None]]) -> tuple[int, dict[str, int], dict[str, int]]:
    """A cadre's counted days in all, by kind (every one of KINDS) and by level (every one of
    LEVELS) from its pieces (first day, last day, kind, level), a day covered twice once in
    each figure: what ``merged_length`` gives of each figure's pieces, in one pass over them
    sorted by their first day (a piece adds the days after the figure's latest last day)."""
    pieces.sort(key=_start_of)
    total, by_kind, by_level = no_days()
    last: date | None = None
    kind_last: dict[str, date] = {}
    level_last: dict[str, date] = {}
    for a, b, kind, level in pieces:
        if b < a:
            continue  # an empty piece counts nothing (as in merged_length)
        whole = (b - a).days + 1  # what it adds to a figure it does not overlap (the common case)
        if last is None or a > last:
            total += whole
            last = b
        elif b > last:
            total += (b - last).days
            last = b
        if kind in by_kind:
            seen = kind_last.get(kind)
            if seen is None or a > seen:
                by_kind[kind] += whole
                kind_last[kind] = b
            elif b > seen:
                by_kind[kind] += (b - seen).days
                kind_last[kind] = b
        if level is not None and level in by_level:
            seen = level_last.get(level)
            if seen is None or a > seen:
                by_level[level] += whole
                level_last[level] = b
            elif b > seen:
                by_level[level] += (b - seen).days
                level_last[level] = b
    return total, by_kind, by_level
