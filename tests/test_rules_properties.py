"""Properties of the counting rules, checked with hypothesis.

The reference for "which days count" is written here by brute force: expand
every visit into the set of its calendar days and keep those inside the
window and on or before the as-of date.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from congtac12.domain.counting import (
    availability,
    count_visit,
    counted_days,
    counted_span,
    evaluate,
    merged_length,
    split_span,
)
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.domain.owed import owed_reports
from congtac12.domain.states import REPORT_STATES
from congtac12.domain.vocab import KINDS, LEAVE_REASONS, LEVELS
from congtac12.policies import load_policy

POLICY = load_policy()
WINDOW_DAYS = 306  # 1 March..31 December 2020: 31+30+31+30+31+31+30+31+30+31
CODES = ("A", "B")
CADRES = [CadreFacts(code, f"Cadre {code}", "Ban") for code in CODES]

# Dates a little beyond the window on both sides, so its edges are exercised.
FIRST = date(2020, 2, 1)
LAST = date(2021, 1, 31)
dates = st.dates(min_value=FIRST, max_value=LAST)
kinds = st.sampled_from(sorted(KINDS))

SETTINGS = settings(max_examples=200, deadline=None)


@st.composite
def trips(draw):
    """(cadre, start, end, kind) with end >= start, up to 45 days long."""
    start = draw(dates)
    length = draw(st.integers(min_value=1, max_value=45))
    return (draw(st.sampled_from(CODES)), start, start + timedelta(days=length - 1), draw(kinds))


def as_visits(raw):
    return [VisitFacts(i, cadre, start, end, kind) for i, (cadre, start, end, kind) in enumerate(raw, 1)]


@st.composite
def reports_for(draw, visits):
    """For some visits, a report dated from the trip's last day to 20 days after."""
    out = []
    for v in visits:
        if draw(st.booleans()):
            out.append(ReportFacts(v.id, v.end + timedelta(days=draw(st.integers(0, 20)))))
    return out


trip_lists = st.lists(trips(), max_size=12)


def days_of(start: date, end: date) -> set[date]:
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


def counted_set(visits, as_of) -> set[date]:
    """Brute force: every covered day inside the window and not after as_of."""
    out: set[date] = set()
    for v in visits:
        out |= {d for d in days_of(v.start, v.end) if POLICY.window_start <= d <= POLICY.window_end and d <= as_of}
    return out


def by_code(evaluation):
    return {c.code: c for c in evaluation.cadres}


def counts(c):
    """Every count of one cadre: total, per kind, per report state."""
    reports = {s: getattr(c.reports, s) for s in REPORT_STATES}
    return c.days, dict(c.days_by_kind), reports


# --- merged_length and counted_days against brute force -------------------------


@SETTINGS
@given(st.lists(st.tuples(dates, st.integers(0, 60)), max_size=15))
def test_merged_length_equals_brute_force(raw):
    intervals = [(start, start + timedelta(days=n)) for start, n in raw]
    covered: set[date] = set()
    for start, end in intervals:
        covered |= days_of(start, end)
    assert merged_length(intervals) == len(covered)


@SETTINGS
@given(trips(), dates)
def test_counted_days_equals_brute_force(trip, as_of):
    (v,) = as_visits([trip])
    assert counted_days(v, POLICY, as_of) == len(counted_set([v], as_of))


@SETTINGS
@given(trip_lists, dates)
def test_totals_and_kinds_equal_brute_force(raw, as_of):
    visits = as_visits(raw)
    result = by_code(evaluate(POLICY, CADRES, visits, [], as_of))
    for code in CODES:
        mine = [v for v in visits if v.cadre == code]
        assert result[code].days == len(counted_set(mine, as_of))
        for kind in KINDS:
            of_kind = [v for v in mine if v.kind == kind]
            assert result[code].days_by_kind[kind] == len(counted_set(of_kind, as_of))


# --- invariances -----------------------------------------------------------------


@SETTINGS
@given(st.data(), trip_lists, dates)
def test_order_of_visits_changes_nothing(data, raw, as_of):
    visits = as_visits(raw)
    reports = data.draw(reports_for(visits))
    shuffled = data.draw(st.permutations(visits))
    shuffled_reports = data.draw(st.permutations(reports))
    assert evaluate(POLICY, CADRES, shuffled, shuffled_reports, as_of) == evaluate(
        POLICY, CADRES, visits, reports, as_of
    )


@SETTINGS
@given(st.data(), trip_lists, dates)
def test_splitting_a_trip_changes_no_count(data, raw, as_of):
    raw = raw + [data.draw(trips())]
    index = data.draw(st.integers(0, len(raw) - 1))
    cadre, start, end, kind = raw[index]
    if start == end:
        end = start + timedelta(days=1)
    # first part start..cut-1, second part cut..end; both non-empty and adjacent
    cut = start + timedelta(days=data.draw(st.integers(1, (end - start).days)))
    whole = raw[:index] + [(cadre, start, end, kind)] + raw[index + 1 :]
    split = raw[:index] + [(cadre, start, cut - timedelta(days=1), kind), (cadre, cut, end, kind)] + raw[index + 1 :]
    before = by_code(evaluate(POLICY, CADRES, as_visits(whole), [], as_of))
    after = by_code(evaluate(POLICY, CADRES, as_visits(split), [], as_of))
    for code in CODES:
        b, a = before[code], after[code]
        assert (a.days, a.days_by_kind) == (b.days, b.days_by_kind)
        day_checks = [c for c in b.checks if c.rule != "reports"]
        assert [c for c in a.checks if c.rule != "reports"] == day_checks
        assert (a.days_needed, a.expected_days) == (b.days_needed, b.expected_days)


# --- bounds --------------------------------------------------------------------------


@SETTINGS
@given(st.data(), trip_lists, dates)
def test_bounds(data, raw, as_of):
    visits = as_visits(raw)
    reports = data.draw(reports_for(visits))
    result = by_code(evaluate(POLICY, CADRES, visits, reports, as_of))
    for code in CODES:
        c = result[code]
        mine = [v for v in visits if v.cadre == code]
        assert 0 <= c.days <= WINDOW_DAYS
        assert c.days <= sum(counted_days(v, POLICY, as_of) for v in mine)
        for kind in KINDS:
            assert 0 <= c.days_by_kind[kind] <= c.days
        # every counted day has at least one kind
        assert c.days <= sum(c.days_by_kind.values())
        # nothing counts after as_of: at most the window days elapsed
        assert c.days <= c.elapsed_days
        assert 0 <= c.elapsed_days <= WINDOW_DAYS and 0 <= c.days_left <= WINDOW_DAYS
        assert c.elapsed_days + c.days_left <= WINDOW_DAYS
        # one report state per visit that counts at least one day
        owed = sum(1 for v in mine if counted_days(v, POLICY, as_of) > 0)
        assert sum(getattr(c.reports, s) for s in REPORT_STATES) == owed


@SETTINGS
@given(st.data(), trip_lists, trips(), dates)
def test_adding_a_visit_never_lowers_a_count(data, raw, extra, as_of):
    visits = as_visits(raw)
    reports = data.draw(reports_for(visits))
    more = visits + [VisitFacts(len(visits) + 1, *extra)]
    before = by_code(evaluate(POLICY, CADRES, visits, reports, as_of))
    after = by_code(evaluate(POLICY, CADRES, more, reports, as_of))
    for code in CODES:
        b_days, b_kinds, b_reports = counts(before[code])
        a_days, a_kinds, a_reports = counts(after[code])
        assert a_days >= b_days
        assert all(a_kinds[k] >= b_kinds[k] for k in KINDS)
        assert all(a_reports[s] >= b_reports[s] for s in REPORT_STATES)
        for b_check, a_check in zip(before[code].checks, after[code].checks, strict=True):
            if b_check.rule != "reports":
                assert a_check.actual >= b_check.actual
                assert a_check.met >= b_check.met
        assert after[code].days_needed <= before[code].days_needed


@SETTINGS
@given(trip_lists, dates, dates)
def test_a_later_as_of_never_lowers_the_days(raw, d1, d2):
    early, late = sorted((d1, d2))
    visits = as_visits(raw)
    before = by_code(evaluate(POLICY, CADRES, visits, [], early))
    after = by_code(evaluate(POLICY, CADRES, visits, [], late))
    for code in CODES:
        assert after[code].days >= before[code].days
        assert all(after[code].days_by_kind[k] >= before[code].days_by_kind[k] for k in KINDS)


# --- evaluate's shortcuts against the general rules --------------------------------


@st.composite
def services(draw):
    """(joined, left, leave) of a cadre: often none of them, the common case."""
    joined, left = draw(st.none() | dates), draw(st.none() | dates)
    if joined is not None and left is not None and left < joined:
        joined, left = left, joined
    spells = draw(st.lists(st.tuples(dates, st.integers(0, 40), st.sampled_from(sorted(LEAVE_REASONS))), max_size=3))
    leave = tuple(
        LeaveFacts(i, start, start + timedelta(days=n), reason) for i, (start, n, reason) in enumerate(spells, 1)
    )
    return joined, left, leave


@SETTINGS
@given(st.lists(services(), min_size=len(CODES), max_size=len(CODES)), trip_lists, dates, st.data())
def test_evaluate_agrees_with_split_span_owed_reports_and_availability(kept, raw, as_of, data):
    # evaluate counts a visit whole when nothing of it falls outside the service
    # period or on leave, and shares one availability among cadres with the same
    # service period and leave: the same results as the general rules, cadre by cadre.
    cadres = [
        CadreFacts(code, f"Cadre {code}", "Ban", True, *service) for code, service in zip(CODES, kept, strict=False)
    ]
    visits = as_visits(raw)
    reports = data.draw(reports_for(visits))
    result = by_code(evaluate(POLICY, cadres, visits, reports, as_of))
    for cadre in cadres:
        mine = [v for v in visits if v.cadre == cadre.code]
        pieces, lost, owing = [], [], []
        for v in mine:
            span = counted_span(v, POLICY, as_of)
            if span is not None:
                counted, not_counted = split_span(v.id, span, cadre)
                pieces += counted
                lost += not_counted
                owing += [v] if counted else []
        states = [o.state for o in owed_reports(POLICY, [], owing, reports, as_of)]
        # owed_reports decides by itself which visits owe: the same ones, in the same states
        assert [o.state for o in owed_reports(POLICY, [cadre], mine, reports, as_of)] == states
        got = result[cadre.code]
        assert got.days == merged_length(pieces)
        assert got.uncounted == tuple(sorted(lost, key=lambda u: (u.start, u.visit_id)))
        assert {s: getattr(got.reports, s) for s in REPORT_STATES} == {s: states.count(s) for s in REPORT_STATES}
        assert got.availability == availability(POLICY, cadre)
        assert evaluate(POLICY, [cadre], mine, reports, as_of).cadres == (got,)


@SETTINGS
@given(st.lists(services(), min_size=len(CODES), max_size=len(CODES)), trip_lists, dates)
def test_evaluate_counts_each_visit_as_count_visit_does(kept, raw, as_of):
    # evaluate takes count_visit's steps with each cadre's whole_within looked up once: the
    # days each visit counts (``Evaluation.counted``) are count_visit's, visit by visit, and a
    # visit of a cadre that is not among the cadres counts whole, as count_visit(…, None, …)
    cadres = [
        CadreFacts(code, f"Cadre {code}", "Ban", True, *service) for code, service in zip(CODES, kept, strict=False)
    ]
    visits = as_visits(raw)
    for among in (cadres, cadres[:1]):
        cadre_of = {c.code: c for c in among}
        expected = {}
        for v in visits:
            counted = count_visit(v, cadre_of.get(v.cadre), POLICY, as_of)
            if counted is not None and counted.pieces:
                expected[v.id] = counted.days
        assert evaluate(POLICY, among, visits, [], as_of).counted == expected


# --- day_figures (one pass) and minimum_required (integer ceiling) against their definitions ---


@SETTINGS
@given(
    st.lists(
        st.tuples(
            dates,
            st.integers(-2, 45),  # a negative length: an empty piece, which counts nothing
            kinds,
            st.sampled_from([None, *sorted(LEVELS)]),
        ),
        max_size=15,
    )
)
def test_day_figures_equal_each_figure_counted_by_brute_force(raw):
    from congtac12.domain.days import day_figures

    pieces = [(start, start + timedelta(days=n), kind, level) for start, n, kind, level in raw]

    def covered(selected) -> int:
        days: set[date] = set()
        for start, end, _kind, _level in selected:
            days |= days_of(start, end) if end >= start else set()
        return len(days)

    total, by_kind, by_level = day_figures(list(pieces))
    assert total == covered(pieces) == merged_length((a, b) for a, b, _k, _l in pieces)
    assert by_kind == {k: covered([p for p in pieces if p[2] == k]) for k in KINDS}
    assert by_level == {lv: covered([p for p in pieces if p[3] == lv]) for lv in LEVELS}


@SETTINGS
@given(
    st.one_of(st.none(), st.fractions(min_value=0, max_value=1)),
    st.one_of(st.none(), st.integers(0, 400)),
    st.integers(0, 400),
    st.one_of(st.none(), st.integers(0, 400)),
)
def test_minimum_required_is_the_ceiling_of_the_share_of_the_required_days(share, days, required, min_days):
    import math
    from fractions import Fraction

    from congtac12.domain.policy import minimum_required

    if share is not None:
        expected = math.ceil(share * required)
    elif days is None or not min_days:
        expected = days or 0
    else:
        expected = math.ceil(Fraction(days, min_days) * required)
    assert minimum_required(share, days, required, min_days) == expected
