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
    LEVELS) from its pieces (first day, last day, kind, level): a day covered twice once in
    each figure (``merged_length``). Pieces that share no day (most cadres' all) are added up."""
    pieces.sort(key=_start_of)
    total, by_kind, by_level = no_days()
    last = date.min
    for a, b, kind, level in pieces:
        if a <= last or b < a:  # two pieces share a day (or one is empty): each figure merged on its own
            return _merged_days(pieces)
        last = b
        n = (b - a).days + 1
        total += n
        if kind in by_kind:
            by_kind[kind] += n
        if level in by_level:
            by_level[level] += n
    return total, by_kind, by_level


def _merged_days(pieces: list[tuple[date, date, str, str | None]]) -> tuple[int, dict[str, int], dict[str, int]]:
    total = merged_length((a, b) for a, b, _k, _l in pieces)
    by_kind = {k: merged_length((a, b) for a, b, kind, _l in pieces if kind == k) for k in KINDS}
    by_level = {k: merged_length((a, b) for a, b, _k, level in pieces if level == k) for k in LEVELS}
    return total, by_kind, by_level
