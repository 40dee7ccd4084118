"""Figures for the monthly briefing (giao ban) and the year-end summary, and the
data behind the pictures (a cadre's months against the pace line, a calendar).

Pure, like ``domain.counting``: plain facts in, plain results out; no database, no clock,
no printing. Days are the days the rules count (``domain.counting.count_visit``: inside
the policy's window, on or before the as-of date, in the cadre's service
period and not on leave, a day once however many visits cover it), and then
only those inside the period asked for; so the months of the window add up
to the days of ``status``.

Coverage: a visit to a base union (co-so) or a branch (chi-doan) counts for
the district-level union (huyen) above it, found by following the units'
parents; a unit with no district-level union above it counts for itself (or
its top-most parent). A union's days are cadre-days: the days each cadre spent
at it or under it, added up over cadres.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import NamedTuple

from congtac12.collation import sort_key
from congtac12.domain.counting import available_days_in, count_visit, evaluate
from congtac12.domain.days import merged_length
from congtac12.domain.facts import CadreFacts, ReportFacts, VisitFacts
from congtac12.domain.policy import Policy
from congtac12.domain.results import Evaluation
from congtac12.domain.standing import pace_line
from congtac12.domain.states import REPORT_STATES, STATES
from congtac12.domain.vocab import KINDS

DISTRICT_LEVEL = "huyen"


class UnitFacts(NamedTuple):
    id: int
    name: str
    level: str
    parent_id: int | None = None


class DepartmentFigures(NamedTuple):
    department: str  # "" for the total of all departments
    cadres: int
    subject: int
    days: int  # days at the base in the period, added up over cadres
    days_by_kind: dict[str, int]
    days_so_far: int  # days in the window up to as-of, added up over cadres
    states: dict[str, int]  # cadres per state, every one of STATES: they add up to ``cadres``
    reports: dict[str, int]  # visits per report state, as of as-of


class UnionCoverage(NamedTuple):
    union: str
    level: str
    days: int  # cadre-days in the period
    cadres: int
    visits: int


class Summary(NamedTuple):
    """A period's figures (a named tuple, as the rules' results: no dataclass to build at every start)."""

    first: date  # the period asked for, inside the window
    last: date
    evaluation: Evaluation
    departments: tuple[DepartmentFigures, ...]
    total: DepartmentFigures
    coverage: tuple[UnionCoverage, ...]  # visited unions, most days first
    unvisited: tuple[str, ...]  # district-level unions without a day in the period
    district_unions: int  # how many district-level unions there are
    trips: int  # visits with at least one counted day in the period


def period_pieces(
    visit: VisitFacts, cadre: CadreFacts | None, policy: Policy, first: date, last: date, as_of: date
) -> list[tuple[date, date]]:
    """The parts of a visit whose days count for its cadre (``count_visit``), cut to [first, last]."""
    counted = count_visit(visit, cadre, policy, as_of)
    if counted is None:
        return []
    return [(max(a, first), min(b, last)) for a, b in counted.pieces if a <= last and b >= first]


def district_of(units: Sequence[UnitFacts]) -> dict[int, int]:
    """Each unit's district-level union (or top-most parent, when none is district level)."""
    by_id = {u.id: u for u in units}
    result: dict[int, int] = {}
    for unit in units:
        current, seen = unit, {unit.id}
        while current.level != DISTRICT_LEVEL and current.parent_id in by_id:
            current = by_id[current.parent_id]
            if current.id in seen:  # a loop of parents: stop where it closes
                break
            seen.add(current.id)
        result[unit.id] = current.id
    return result


def summarize(
    policy: Policy,
    cadres: Sequence[CadreFacts],
    visits: Sequence[VisitFacts],
    reports: Iterable[ReportFacts],
    units: Sequence[UnitFacts],
    visit_units: Mapping[int, int],
    *,
    first: date,
    last: date,
    as_of: date,
) -> Summary:
    """Per department and for all: the period's days, days so far, states, reports; and coverage."""
    ev = evaluate(policy, cadres, visits, reports, as_of)
    first, last = max(first, policy.window_start), min(last, policy.window_end)

    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    kind_spans: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    union_spans: dict[tuple[int, str], list[tuple[date, date]]] = defaultdict(list)
    union_visits: dict[int, int] = defaultdict(int)
    district = district_of(units)
    by_code = {c.code: c for c in cadres}
    trips = 0
    for visit in visits:
        if visit.end < first or visit.start > last:
            continue  # its counted pieces lie within it: none of them in the period
        pieces = period_pieces(visit, by_code.get(visit.cadre), policy, first, last, as_of)
        if not pieces:
            continue
        trips += 1
        spans[visit.cadre].extend(pieces)
        kind_spans[(visit.cadre, visit.kind)].extend(pieces)
        unit_id = visit_units.get(visit.id)
        if unit_id is not None:
            union = district.get(unit_id, unit_id)
            union_spans[(union, visit.cadre)].extend(pieces)
            union_visits[union] += 1

    by_department: dict[str, list[CadreFacts]] = {}
    for cadre in cadres:
        by_department.setdefault(cadre.department, []).append(cadre)
    states = {c.code: c for c in ev.cadres}

    # Each cadre's days in the period (a day once), and by kind: merged once, added up per department.
    period_days = {code: merged_length(code_spans) for code, code_spans in spans.items()}
    kind_days = {key: merged_length(key_spans) for key, key_spans in kind_spans.items()}

    def figures(name: str, members: Sequence[CadreFacts]) -> DepartmentFigures:
        codes = [c.code for c in members]
        evaluated = [states[code] for code in codes]
        in_state = Counter(c.state for c in evaluated)
        return DepartmentFigures(
            department=name,
            cadres=len(members),
            subject=sum(1 for c in members if c.subject),
            days=sum(period_days.get(code, 0) for code in codes),
            days_by_kind={k: sum(kind_days.get((code, k), 0) for code in codes) for k in KINDS},
            days_so_far=sum(c.days for c in evaluated),
            states={s: in_state[s] for s in STATES},
            reports={r: sum(getattr(c.reports, r) for c in evaluated) for r in REPORT_STATES},
        )

    departments = tuple(
        figures(name, members) for name, members in sorted(by_department.items(), key=lambda kv: sort_key(kv[0]))
    )
    total = figures("", cadres)

    names = {u.id: u for u in units}
    per_union: dict[int, tuple[int, int]] = {}
    for (union, _code), union_cadre_spans in union_spans.items():
        days, count = per_union.get(union, (0, 0))
        per_union[union] = (days + merged_length(union_cadre_spans), count + 1)
    coverage = tuple(
        sorted(
            (
                UnionCoverage(names[u].name, names[u].level, d, n, union_visits[u])
                for u, (d, n) in per_union.items()
                if u in names
            ),
            key=lambda c: (-c.days, sort_key(c.union)),
        )
    )
    districts = [u for u in units if u.level == DISTRICT_LEVEL]
    unvisited = tuple(sorted((u.name for u in districts if u.id not in per_union), key=sort_key))
    return Summary(first, last, ev, departments, total, coverage, unvisited, len(districts), trips)


# --- pictures -----------------------------------------------------------------


def days_with_kinds(
    visits: Iterable[VisitFacts], *, first: date | None = None, last: date | None = None
) -> dict[date, tuple[str, ...]]:
    """Every day covered by a visit (within [first, last] if given), with its kinds in KINDS order."""
    kinds: dict[date, set[str]] = defaultdict(set)
    for visit in visits:
        start = max(visit.start, first) if first else visit.start
        end = min(visit.end, last) if last else visit.end
        day = start
        while day <= end:
            kinds[day].add(visit.kind)
            day += timedelta(days=1)
    order = list(KINDS)
    return {d: tuple(sorted(ks, key=order.index)) for d, ks in sorted(kinds.items())}


def counted_days_with_kinds(
    policy: Policy,
    cadre: CadreFacts | None,
    visits: Iterable[VisitFacts],
    as_of: date,
    *,
    first: date | None = None,
    last: date | None = None,
) -> dict[date, tuple[str, ...]]:
    """The days that count for the cadre (``count_visit``), with their kinds, as ``days_with_kinds``."""
    return days_with_kinds(
        (
            VisitFacts(v.id, v.cadre, a, b, v.kind)
            for v in visits
            if (counted := count_visit(v, cadre, policy, as_of)) is not None
            for a, b in counted.pieces
        ),
        first=first,
        last=last,
    )


class MonthBar(NamedTuple):
    first: date  # the month's first day inside the window
    last: date  # its last day inside the window and on or before as-of
    days: int
    days_by_kind: dict[str, int]  # a day of two kinds counts for both
    segments: tuple[tuple[str, int], ...]  # the bar: each day once, under its first kind
    pace: Fraction  # the month's share of the required days: required × its available days / available days
    cumulative: int  # days from the window's start through ``last``
    expected: int  # the pace line at ``last``, as ``domain.standing.pace_line`` draws it for status


def month_bars(ev: Evaluation, cadre: CadreFacts, visits: Iterable[VisitFacts]) -> list[MonthBar]:
    """One cadre's counted days, month by month through the evaluation's as-of, against its pace line.

    The days are those ``status`` counts for the cadre, and the pace line is the
    cadre's own: its required days spread over its available days.
    """
    policy, as_of = ev.policy, ev.as_of
    c = next(e for e in ev.cadres if e.code == cadre.code)
    required = c.required_days
    available = c.availability.available_days if c.availability is not None else policy.window_days
    last_counted = min(policy.window_end, as_of)
    if last_counted < policy.window_start:
        return []
    counted = counted_days_with_kinds(policy, cadre, visits, as_of)
    bars = []
    cumulative = 0
    month_start = policy.window_start
    while month_start <= last_counted:
        next_month = (month_start.replace(day=1) + timedelta(days=32)).replace(day=1)
        month_end = min(next_month - timedelta(days=1), policy.window_end)
        cut = min(month_end, last_counted)
        days = [d for d in counted if month_start <= d <= cut]
        by_kind = {k: sum(1 for d in days if k in counted[d]) for k in KINDS}
        firsts = [counted[d][0] for d in days]
        segments = tuple((k, firsts.count(k)) for k in KINDS if firsts.count(k))
        cumulative += len(days)
        in_month = available_days_in(policy, cadre, month_start, month_end)
        elapsed = available_days_in(policy, cadre, policy.window_start, cut)
        bars.append(
            MonthBar(
                month_start,
                cut,
                len(days),
                by_kind,
                segments,
                Fraction(required * in_month, available) if available else Fraction(0),
                cumulative,
                pace_line(required, elapsed, available),
            )
        )
        month_start = next_month
    return bars
