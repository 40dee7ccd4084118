"""One cadre's standing against the policy (``counting.evaluate`` gives each cadre's figures):
the check of each minimum, the pace line and the pace, the state.

Every output reads it through the ``Evaluation`` that ``evaluate`` makes; nothing else decides
a cadre's state.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from congtac12.domain.facts import CadreFacts
from congtac12.domain.policy import ContentMinimum, LevelMinimum, Policy
from congtac12.domain.results import Availability, CadreEvaluation, Check, ReportCounts, UncountedDays
from congtac12.domain.states import BEHIND, EXEMPT, MET, NOT_MET, NOT_SUBJECT, ON_TRACK

_new_tuple = tuple.__new__
_NO_PACE = Fraction(0)  # the pace of a cadre who needs no more days (a Fraction is immutable: one for all)


def pace_line(required: int, elapsed: int, available: int) -> int:
    """The days expected by a day: floor(required × available days elapsed ÷ available days)."""
    return required * elapsed // available if available else 0


def evaluate_cadre(
    policy: Policy,
    cadre: CadreFacts,
    days: int,
    by_kind: dict[str, int],
    by_level: dict[str, int],
    counts: ReportCounts,
    uncounted: tuple[UncountedDays, ...],
    avail: Availability,
    elapsed: int,
    *,
    memo: dict[tuple[Any, ...], Any] | None = None,
) -> CadreEvaluation:
    """One cadre's evaluation. ``memo`` keeps, for the evaluation of many cadres, the figures that
    depend on a few numbers alone (each minimum's days for a requirement, a pace): made once each."""
    if memo is None:
        memo = {}
    days_left = avail.available_days - elapsed
    if not cadre.subject or avail.exempt:
        # tuple.__new__ with every field in order (CadreEvaluation's own): once per cadre
        return _new_tuple(
            CadreEvaluation,
            (
                cadre.code,
                cadre.name,
                cadre.department,
                cadre.subject,
                NOT_SUBJECT if not cadre.subject else EXEMPT,
                0,
                days,
                by_kind,
                (),
                counts,
                elapsed,
                days_left,
                0,
                0,
                None,
                by_level,
                avail,
                uncounted,
                (),
            ),
        )
    required = avail.required_days
    expected = pace_line(required, elapsed, avail.available_days)
    # The checks, and as they are made: what is still missing of each (``Check.shortfall``), the
    # content and level days short (``days_short``), and the minimums in days still short by more
    # than the days left (unreachable: one day can count for two kinds, so only one minimum's own
    # shortfall beyond the available days left proves it impossible).
    short = 0 if days >= required else required - days
    checks = [Check("min_days", required, days, days >= required)]
    unreachable_checks = [checks[0]] if short > days_left else []
    met = short == 0
    minimum_checks = (checks, unreachable_checks, required, policy.min_days, days_left, memo)
    kind_short = _check_minimums(
        "kind", ((m, by_kind.get(m.kind, 0)) for m in policy.content_minimums), *minimum_checks
    )
    level_short = _check_minimums(
        "level", ((m, by_level.get(m.level, 0)) for m in policy.level_minimums), *minimum_checks
    )
    met = met and kind_short == 0 and level_short == 0
    bad_reports = counts.late + counts.overdue
    checks.append(Check("reports", 0, bad_reports, bad_reports == 0))
    met = met and bad_reports == 0

    needed = max(short, kind_short, level_short)
    unreachable = tuple(unreachable_checks)
    if needed == 0:
        pace: Fraction | None = _NO_PACE
    elif days_left == 0 or unreachable:
        pace = None  # no pace can make it
    else:
        pace = memo.get(("pace", needed, days_left))
        if pace is None:
            pace = memo["pace", needed, days_left] = Fraction(needed * 7, days_left)

    if met:  # every check met
        state = MET
    elif days_left == 0 or unreachable:
        state = NOT_MET  # what is missing can no longer be done in the available days left
    elif bad_reports or days < expected:
        state = BEHIND
    else:
        state = ON_TRACK
    return _new_tuple(
        CadreEvaluation,
        (
            cadre.code,
            cadre.name,
            cadre.department,
            True,
            state,
            required,
            days,
            by_kind,
            tuple(checks),
            counts,
            elapsed,
            days_left,
            expected,
            needed,
            pace,
            by_level,
            avail,
            uncounted,
            unreachable,
        ),
    )


def _check_minimums(
    prefix: str,
    minimums: Iterable[tuple[ContentMinimum | LevelMinimum, int]],
    checks: list[Check],
    unreachable_checks: list[Check],
    required: int,
    min_days: int | None,
    days_left: int,
    memo: dict[tuple[Any, ...], Any],
) -> int:
    """Append a check ("kind:…" or "level:…") for each minimum and the days it has, and to
    ``unreachable_checks`` each whose shortfall is beyond the days left; the days short in all."""
    short = 0
    for i, (minimum, have) in enumerate(minimums):
        known = memo.get((prefix, i, required))  # the policy's i-th minimum for this requirement
        if known is None:
            known = memo[prefix, i, required] = (f"{prefix}:{minimum[0]}", minimum.required(required, min_days))
        rule, need = known  # minimum[0]: its kind or level
        check = Check(rule, need, have, have >= need)
        checks.append(check)
        missing = 0 if have >= need else need - have
        short += missing
        if missing > days_left:
            unreachable_checks.append(check)
    return short
