"""Tables of cases for the counting rules (DOMAIN.md, "How the rules count").

Every expected value below is worked out by hand, with the arithmetic in a
comment; none is computed by calling the code under test. The Hanoi 2020
preset is the policy: window 1/3/2020-31/12/2020 (306 days: 31+30+31+30+31+31
+30+31+30+31), 60 days, chuyen-de >= ceil(20% x 60) = 12, sinh-hoat >=
ceil(40% x 60) = 24, report due 10 days after the last day of a trip.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from fractions import Fraction

import pytest

from congtac12.domain.counting import counted_days, evaluate, merged_length
from congtac12.domain.facts import CadreFacts, ReportFacts, VisitFacts
from congtac12.domain.owed import report_state
from congtac12.domain.policy import ContentMinimum, Policy
from congtac12.domain.results import ReportCounts
from congtac12.domain.states import BEHIND, LATE, MET, NOT_MET, NOT_SUBJECT, ON_TIME, ON_TRACK, OVERDUE, PENDING
from congtac12.policies import load_policy

POLICY = load_policy()


def D(text: str) -> date:
    """A date from ISO text (the test's own notation, not the parser under test)."""
    return date.fromisoformat(text)


def visit(vid: int, start: str, end: str, kind: str = "phoi-hop", cadre: str = "A") -> VisitFacts:
    return VisitFacts(id=vid, cadre=cadre, start=D(start), end=D(end), kind=kind)


CADRE_A = CadreFacts(code="A", name="Nguyễn Văn An", department="Ban Tổ chức")


def evaluate_one(visits, as_of, reports=(), *, subject=True, policy=POLICY):
    cadre = dataclasses.replace(CADRE_A, subject=subject)
    result = evaluate(policy, [cadre], visits, reports, D(as_of))
    assert len(result.cadres) == 1
    return result.cadres[0]


def on_time_reports(visits):
    """A report dated on the last day of each trip (always on time)."""
    return [ReportFacts(v.id, v.end) for v in visits]


# --- the policy itself --------------------------------------------------------


def test_hanoi_policy_numbers_used_by_these_tables():
    assert POLICY.window_start == date(2020, 3, 1)
    assert POLICY.window_end == date(2020, 12, 31)
    # 31 (Mar) + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 (Dec) = 306
    assert POLICY.window_days == 306
    assert POLICY.min_days == 60
    assert POLICY.report_due_days == 10


# --- one visit: which of its days count ----------------------------------------

COUNTED_DAYS = [
    # (start, end, as_of, expected, why)
    (
        "2020-02-27",
        "2020-03-03",
        "2020-12-31",
        3,
        "DOMAIN example: 27, 28, 29 Feb (leap year) outside; 1, 2, 3 Mar = 3",
    ),
    ("2020-02-28", "2020-02-29", "2020-12-31", 0, "28-29 Feb: both before the window"),
    ("2020-02-29", "2020-03-01", "2020-12-31", 1, "29 Feb out, 1 Mar in = 1"),
    ("2020-03-01", "2020-03-01", "2020-12-31", 1, "first window day alone = 1"),
    ("2020-03-01", "2020-03-01", "2020-03-01", 1, "as_of on the only day: counts = 1"),
    ("2020-03-01", "2020-03-01", "2020-02-29", 0, "as_of the day before: nothing yet"),
    ("2020-02-01", "2020-03-31", "2020-12-31", 31, "Feb out (29 days); March 1..31 = 31"),
    ("2020-12-31", "2020-12-31", "2020-12-31", 1, "last window day alone = 1"),
    ("2020-12-31", "2021-01-01", "2021-01-31", 1, "31 Dec in, 1 Jan 2021 out = 1"),
    ("2021-01-01", "2021-01-05", "2021-01-31", 0, "wholly after the window = 0"),
    ("2020-12-25", "2021-01-05", "2021-01-10", 7, "25..31 Dec = 31-25+1 = 7"),
    ("2020-01-01", "2020-12-31", "2020-12-31", 306, "whole year: only the window's 306"),
    ("2019-12-01", "2021-02-01", "2021-06-01", 306, "longer than the window: 306"),
    ("2020-03-10", "2020-03-20", "2020-03-15", 6, "crosses as_of: 10..15 = 15-10+1 = 6"),
    ("2020-03-10", "2020-03-20", "2020-03-10", 1, "as_of on the first day: 1"),
    ("2020-03-10", "2020-03-20", "2020-03-09", 0, "as_of the day before it starts: 0"),
    ("2020-03-10", "2020-03-20", "2020-03-20", 11, "as_of on the last day: 20-10+1 = 11"),
    ("2020-04-28", "2020-05-02", "2020-12-31", 5, "28, 29, 30 Apr + 1, 2 May = 5"),
    ("2020-03-05", "2020-03-04", "2020-12-31", 0, "end before start: no day"),
]


@pytest.mark.parametrize("start, end, as_of, expected, why", COUNTED_DAYS, ids=[c[-1] for c in COUNTED_DAYS])
def test_counted_days(start, end, as_of, expected, why):
    v = visit(1, start, end)
    assert counted_days(v, POLICY, D(as_of)) == expected
    # evaluate() agrees for a single visit: total and its kind
    ev = evaluate_one([v], as_of)
    assert ev.days == expected
    assert ev.days_by_kind["phoi-hop"] == expected
    assert ev.days_by_kind["chuyen-de"] == 0


# --- merged_length: days covered by a union of inclusive intervals -------------

MERGED = [
    # (intervals, expected, why)
    ([], 0, "nothing"),
    ([("2020-03-01", "2020-03-01")], 1, "one day"),
    ([("2020-03-02", "2020-03-06")], 5, "2..6 = 5"),
    ([("2020-03-02", "2020-03-06"), ("2020-03-10", "2020-03-12")], 8, "5 + 3 disjoint"),
    ([("2020-03-02", "2020-03-06"), ("2020-03-05", "2020-03-08")], 7, "union 2..8 = 7, not 5+4"),
    ([("2020-03-02", "2020-03-04"), ("2020-03-05", "2020-03-06")], 5, "adjacent 2..4 + 5..6 = 5"),
    ([("2020-03-01", "2020-03-31"), ("2020-03-10", "2020-03-12")], 31, "nested: 31"),
    ([("2020-03-10", "2020-03-12"), ("2020-03-01", "2020-03-31")], 31, "nested, other order"),
    ([("2020-03-05", "2020-03-05")] * 3, 1, "the same day thrice = 1"),
    (
        [("2020-02-27", "2020-03-02"), ("2020-02-29", "2020-03-01")],
        5,
        "27 Feb..2 Mar in a leap year: 27, 28, 29, 1, 2 = 5",
    ),
    (
        [("2020-03-20", "2020-03-25"), ("2020-03-01", "2020-03-03"), ("2020-03-02", "2020-03-10")],
        16,
        "1..10 = 10, 20..25 = 6, total 16",
    ),
]


@pytest.mark.parametrize("intervals, expected, why", MERGED, ids=[c[-1] for c in MERGED])
def test_merged_length(intervals, expected, why):
    assert merged_length([(D(a), D(b)) for a, b in intervals]) == expected


# --- several visits: the total and each kind ------------------------------------

OVERLAPS = [
    # (visits as (start, end, kind[, cadre]), as_of, total, {kind: days}, why)
    (
        [("2020-03-02", "2020-03-06", "phoi-hop"), ("2020-03-10", "2020-03-12", "phoi-hop")],
        "2020-12-31",
        8,
        {"phoi-hop": 8},
        "disjoint, same kind: 5 + 3 = 8",
    ),
    (
        [("2020-03-02", "2020-03-06", "phoi-hop"), ("2020-03-05", "2020-03-08", "phoi-hop")],
        "2020-12-31",
        7,
        {"phoi-hop": 7},
        "overlap same kind: 2..8 = 7 (not 5 + 4 = 9)",
    ),
    (
        [("2020-03-02", "2020-03-06", "chuyen-de"), ("2020-03-05", "2020-03-08", "sinh-hoat")],
        "2020-12-31",
        7,
        {"chuyen-de": 5, "sinh-hoat": 4},
        "overlap two kinds: total 2..8 = 7 once; chuyen-de 2..6 = 5; sinh-hoat 5..8 = 4",
    ),
    (
        [("2020-03-02", "2020-03-02", "chuyen-de"), ("2020-03-02", "2020-03-02", "sinh-hoat")],
        "2020-12-31",
        1,
        {"chuyen-de": 1, "sinh-hoat": 1},
        "one day, two kinds: 1 total, 1 each",
    ),
    (
        [("2020-03-02", "2020-03-02", "kiem-tra"), ("2020-03-02", "2020-03-02", "kiem-tra")],
        "2020-12-31",
        1,
        {"kiem-tra": 1},
        "the same day twice, same kind: 1",
    ),
    (
        [("2020-03-01", "2020-03-31", "phoi-hop"), ("2020-03-10", "2020-03-12", "kiem-tra")],
        "2020-12-31",
        31,
        {"phoi-hop": 31, "kiem-tra": 3},
        "nested: total 31; kiem-tra 10..12 = 3",
    ),
    (
        [("2020-03-02", "2020-03-04", "phoi-hop"), ("2020-03-05", "2020-03-06", "phoi-hop")],
        "2020-12-31",
        5,
        {"phoi-hop": 5},
        "adjacent: 3 + 2 = 5",
    ),
    (
        [("2020-02-27", "2020-03-03", "chuyen-de"), ("2020-03-01", "2020-03-05", "chuyen-de")],
        "2020-12-31",
        5,
        {"chuyen-de": 5},
        "across the window start: 1..5 Mar = 5",
    ),
    (
        [("2020-03-02", "2020-03-06", "phoi-hop"), ("2020-03-04", "2020-03-20", "sinh-hoat")],
        "2020-03-05",
        4,
        {"phoi-hop": 4, "sinh-hoat": 2},
        "as_of 5 Mar cuts both: total 2..5 = 4; phoi-hop 2..5 = 4; sinh-hoat 4..5 = 2",
    ),
    (
        [("2020-03-02", "2020-03-06", "phoi-hop"), ("2020-03-02", "2020-03-20", "phoi-hop", "B")],
        "2020-12-31",
        5,
        {"phoi-hop": 5},
        "another cadre's visit does not count for A: 5",
    ),
    (
        [("2020-12-30", "2021-01-03", "sinh-hoat"), ("2020-12-31", "2021-01-02", "chuyen-de")],
        "2021-01-31",
        2,
        {"sinh-hoat": 2, "chuyen-de": 1},
        "across the window end: total 30, 31 Dec = 2; sinh-hoat 2; chuyen-de 31 Dec = 1",
    ),
]


@pytest.mark.parametrize("visits, as_of, total, by_kind, why", OVERLAPS, ids=[c[-1] for c in OVERLAPS])
def test_overlapping_visits(visits, as_of, total, by_kind, why):
    facts = [visit(i, *v) for i, v in enumerate(visits, 1)]
    ev = evaluate_one(facts, as_of)
    assert ev.days == total
    expected_kinds = {"chuyen-de": 0, "phoi-hop": 0, "kiem-tra": 0, "sinh-hoat": 0} | by_kind
    assert ev.days_by_kind == expected_kinds


# --- content minimums -----------------------------------------------------------

MINIMUMS = [
    # (share, required days, expected minimum, arithmetic)
    (Fraction(1, 5), 60, 12, "20% x 60 = 12 exactly"),
    (Fraction(2, 5), 60, 24, "40% x 60 = 24 exactly"),
    (Fraction(1, 5), 61, 13, "20% x 61 = 12.2 -> ceil 13"),
    (Fraction(2, 5), 59, 24, "40% x 59 = 23.6 -> ceil 24"),
    (Fraction(1, 7), 60, 9, "60/7 = 8.57 -> ceil 9"),
    (Fraction(1, 3), 30, 10, "30/3 = 10 exactly"),
    (Fraction(0), 60, 0, "0% -> 0"),
    (Fraction(1), 60, 60, "100% -> 60"),
]


@pytest.mark.parametrize("share, days, expected, why", MINIMUMS, ids=[c[-1] for c in MINIMUMS])
def test_content_minimum_is_ceil_of_share(share, days, expected, why):
    assert ContentMinimum("chuyen-de", share=share).required(days) == expected


def test_content_minimum_in_days():
    assert ContentMinimum("kiem-tra", days=5).required(60) == 5


def test_hanoi_content_minimums():
    # ceil(20% x 60) = 12 thematic; ceil(40% x 60) = 24 meetings
    assert {m.kind: m.required(POLICY.min_days) for m in POLICY.content_minimums} == {
        "chuyen-de": 12,
        "sinh-hoat": 24,
    }


CONTENT_CHECKS = [
    # (kind, number of days from 1/3, met?, shortfall, arithmetic)
    ("chuyen-de", 12, True, 0, "1..12 Mar = 12 >= 12"),
    ("chuyen-de", 11, False, 1, "1..11 Mar = 11; 12 - 11 = 1"),
    ("chuyen-de", 0, False, 12, "none: 12 - 0 = 12"),
    ("sinh-hoat", 24, True, 0, "1..24 Mar = 24 >= 24"),
    ("sinh-hoat", 23, False, 1, "1..23 Mar = 23; 24 - 23 = 1"),
    ("sinh-hoat", 31, True, 0, "31 >= 24"),
]


@pytest.mark.parametrize("kind, ndays, met, shortfall, why", CONTENT_CHECKS, ids=[c[-1] for c in CONTENT_CHECKS])
def test_content_checks(kind, ndays, met, shortfall, why):
    visits = [visit(1, "2020-03-01", f"2020-03-{ndays:02d}", kind)] if ndays else []
    ev = evaluate_one(visits, "2020-04-30", on_time_reports(visits))
    check = {c.rule: c for c in ev.checks}[f"kind:{kind}"]
    assert check.required == (12 if kind == "chuyen-de" else 24)
    assert check.actual == ndays
    assert check.met is met
    assert check.shortfall == shortfall


# --- reports: due = last day + 10 -----------------------------------------------

REPORT_STATE = [
    # (due, reported_on or None, as_of, expected, why)
    ("2020-03-16", "2020-03-16", "2020-03-31", ON_TIME, "dated on the due day"),
    ("2020-03-16", "2020-03-06", "2020-03-31", ON_TIME, "dated well before the due day"),
    ("2020-03-16", "2020-03-17", "2020-03-31", LATE, "dated the day after the due day"),
    ("2020-03-16", None, "2020-03-06", PENDING, "none yet, well before due"),
    ("2020-03-16", None, "2020-03-16", PENDING, "none, as_of = due day: still pending"),
    ("2020-03-16", None, "2020-03-17", OVERDUE, "none, the day after due: overdue"),
    ("2020-03-16", "2020-03-15", "2020-03-14", PENDING, "report after as_of is unseen: pending"),
    ("2020-03-16", "2020-03-20", "2020-03-18", OVERDUE, "report after as_of unseen: overdue"),
    ("2020-03-16", "2020-03-17", "2020-03-16", PENDING, "late report not yet written: pending"),
    ("2020-03-16", "2020-03-17", "2020-03-17", LATE, "late report seen on its own day"),
    ("2020-03-16", "2020-03-16", "2020-03-16", ON_TIME, "on-time report seen on the due day"),
]


@pytest.mark.parametrize("due, reported_on, as_of, expected, why", REPORT_STATE, ids=[c[-1] for c in REPORT_STATE])
def test_report_state(due, reported_on, as_of, expected, why):
    assert report_state(D(due), D(reported_on) if reported_on else None, D(as_of)) == expected


REPORT_DUE = [
    # (last day, due = last day + 10)
    ("2020-03-06", "2020-03-16"),  # 6 + 10 = 16
    ("2020-03-25", "2020-04-04"),  # 25 + 10 = 35 = 31 March + 4
    ("2020-02-25", "2020-03-06"),  # 25 + 10 = 35 = 29 Feb (leap) + 6
    ("2020-12-25", "2021-01-04"),  # 25 + 10 = 35 = 31 Dec + 4, next year
    ("2020-12-31", "2021-01-10"),  # 31 + 10 = 41 = 31 Dec + 10
]


@pytest.mark.parametrize("last, due", REPORT_DUE)
def test_report_due_date(last, due):
    assert POLICY.report_due(D(last)) == D(due)


EVALUATED_REPORTS = [
    # (visit start, end, report date or None, as_of, ReportCounts, why)
    (
        "2020-03-02",
        "2020-03-06",
        "2020-03-16",
        "2020-03-31",
        ReportCounts(on_time=1),
        "due 6 + 10 = 16 Mar; dated 16 Mar: on time",
    ),
    ("2020-03-02", "2020-03-06", "2020-03-17", "2020-03-31", ReportCounts(late=1), "due 16 Mar; dated 17 Mar: late"),
    ("2020-03-02", "2020-03-06", None, "2020-03-16", ReportCounts(pending=1), "due 16 Mar; none as of 16 Mar: pending"),
    ("2020-03-02", "2020-03-06", None, "2020-03-17", ReportCounts(overdue=1), "due 16 Mar; none as of 17 Mar: overdue"),
    (
        "2020-03-02",
        "2020-03-06",
        "2020-04-01",
        "2020-03-20",
        ReportCounts(overdue=1),
        "report dated after as_of is unseen: overdue on 20 Mar",
    ),
    (
        "2020-03-10",
        "2020-03-20",
        None,
        "2020-03-25",
        ReportCounts(pending=1),
        "trip 10-20 Mar, due 30 Mar from its last day: pending on 25 Mar",
    ),
    (
        "2020-03-10",
        "2020-03-20",
        None,
        "2020-03-15",
        ReportCounts(pending=1),
        "trip crossing as_of: under way, pending",
    ),
    (
        "2020-02-20",
        "2020-03-02",
        "2020-03-12",
        "2020-03-31",
        ReportCounts(on_time=1),
        "trip from Feb into March: due 2 + 10 = 12 Mar; dated 12 Mar: on time",
    ),
    ("2020-02-20", "2020-03-02", "2020-03-13", "2020-03-31", ReportCounts(late=1), "due 12 Mar; dated 13 Mar: late"),
    (
        "2020-12-25",
        "2020-12-31",
        None,
        "2021-01-10",
        ReportCounts(pending=1),
        "due 31 Dec + 10 = 10 Jan 2021: pending that day",
    ),
    ("2020-12-25", "2020-12-31", None, "2021-01-11", ReportCounts(overdue=1), "due 10 Jan 2021: overdue on 11 Jan"),
    (
        "2020-12-25",
        "2021-01-05",
        None,
        "2021-01-15",
        ReportCounts(pending=1),
        "trip across the window end: due from its real last day, 5 + 10 = 15 Jan, not 31 Dec + 10",
    ),
    (
        "2020-12-25",
        "2021-01-05",
        "2021-01-15",
        "2021-01-31",
        ReportCounts(on_time=1),
        "trip across the window end, report dated 15 Jan: on time",
    ),
    (
        "2020-12-25",
        "2021-01-05",
        None,
        "2021-01-16",
        ReportCounts(overdue=1),
        "trip across the window end, none on 16 Jan: overdue",
    ),
    (
        "2020-02-10",
        "2020-02-20",
        None,
        "2020-03-31",
        ReportCounts(),
        "a trip wholly before the window counts no day and owes no report",
    ),
    ("2020-04-01", "2020-04-05", None, "2020-03-31", ReportCounts(), "a trip wholly after as_of is not yet seen"),
]


@pytest.mark.parametrize(
    "start, end, reported_on, as_of, counts, why",
    EVALUATED_REPORTS,
    ids=[c[-1] for c in EVALUATED_REPORTS],
)
def test_reports_in_evaluation(start, end, reported_on, as_of, counts, why):
    v = visit(7, start, end)
    reports = [ReportFacts(7, D(reported_on))] if reported_on else []
    ev = evaluate_one([v], as_of, reports)
    assert ev.reports == counts
    check = {c.rule: c for c in ev.checks}["reports"]
    bad = counts.late + counts.overdue
    assert check.actual == bad
    assert check.met is (bad == 0)
    assert check.shortfall == bad


def test_report_of_another_visit_does_not_count():
    ev = evaluate_one([visit(1, "2020-03-02", "2020-03-06")], "2020-03-31", [ReportFacts(2, D("2020-03-05"))])
    # visit 1 has no report; due 16 Mar < 31 Mar: overdue
    assert ev.reports == ReportCounts(overdue=1)


# --- elapsed days, days left, the pace line --------------------------------------

ELAPSED = [
    # (as_of, elapsed, days_left, expected_days = floor(60 x elapsed / 306))
    ("2020-02-28", 0, 306, 0),  # before the window: 28 Feb - 1 Mar = -2 days, +1 = -1 -> 0
    ("2020-02-29", 0, 306, 0),  # the leap day: -1 + 1 = 0; days_left 306 (31 Dec - 29 Feb)
    ("2020-03-01", 1, 305, 0),  # 60 x 1 / 306 = 0.19 -> 0
    ("2020-03-05", 5, 301, 0),  # 300 / 306 -> 0
    ("2020-03-06", 6, 300, 1),  # 360 / 306 = 1.18 -> 1
    ("2020-04-30", 61, 245, 11),  # 31 + 30 = 61; 306 - 61 = 245; 3660 / 306 = 11.96 -> 11
    ("2020-06-30", 122, 184, 23),  # 31+30+31+30 = 122; 306-122 = 184; 7320/306 = 23.9 -> 23
    ("2020-12-30", 305, 1, 59),  # 18300 / 306 = 59.8 -> 59
    ("2020-12-31", 306, 0, 60),  # 18360 / 306 = 60
    ("2021-01-01", 306, 0, 60),  # after the window: clamped to 306 and 0
    ("2019-06-01", 0, 306, 0),  # long before: clamped to 0 and 306
]


@pytest.mark.parametrize("as_of, elapsed, days_left, expected_days", ELAPSED)
def test_elapsed_and_days_left(as_of, elapsed, days_left, expected_days):
    ev = evaluate_one([], as_of)
    assert (ev.elapsed_days, ev.days_left, ev.expected_days) == (elapsed, days_left, expected_days)


# --- states and pace: whole scenarios --------------------------------------------

# A: 12 chuyen-de (1..12 Mar) + 24 sinh-hoat (13..31 Mar = 19, 1..5 Apr = 5) + 24 phoi-hop
#    (6..29 Apr = 24) = 60 days, every check met.
MET_60 = [
    ("2020-03-01", "2020-03-12", "chuyen-de"),
    ("2020-03-13", "2020-04-05", "sinh-hoat"),
    ("2020-04-06", "2020-04-29", "phoi-hop"),
]
# B: 61 chuyen-de days (1 Mar..30 Apr = 31 + 30), no sinh-hoat.
NO_MEETINGS_61 = [("2020-03-01", "2020-04-30", "chuyen-de")]
# C: 60 phoi-hop days (1 Mar..29 Apr = 31 + 29), neither content kind.
ONLY_PHOI_HOP_60 = [("2020-03-01", "2020-04-29", "phoi-hop")]

S = dict  # a scenario's expected figures

SCENARIOS = [
    # (visits, report dates by visit index (None = on the last day, "-" = no report), as_of,
    #  expected figures, why)
    (
        MET_60,
        {},
        "2020-04-30",
        S(state=MET, days=60, needed=0, pace=Fraction(0), elapsed=61, left=245, expected=11),
        "met before the window ends: 60 days, 12 chuyen-de, 24 sinh-hoat, reports on time",
    ),
    (
        MET_60,
        {},
        "2020-12-31",
        S(state=MET, days=60, needed=0, pace=Fraction(0), elapsed=306, left=0, expected=60),
        "met at the window end; nothing needed so pace 0 even with no day left",
    ),
    (
        MET_60,
        {},
        "2021-01-15",
        S(state=MET, days=60, needed=0, pace=Fraction(0), elapsed=306, left=0, expected=60),
        "met after the window",
    ),
    (
        MET_60,
        {0: "2020-03-23"},
        "2020-04-30",
        S(state=BEHIND, days=60, needed=0, pace=Fraction(0), elapsed=61, left=245, expected=11),
        "all days, but the chuyen-de report is late (due 12 + 10 = 22 Mar, dated 23): behind",
    ),
    (
        MET_60,
        {0: "2020-03-23"},
        "2020-12-31",
        S(state=NOT_MET, days=60, needed=0, pace=Fraction(0), elapsed=306, left=0, expected=60),
        "the same late report at the window end: not met",
    ),
    (
        MET_60,
        {2: "-"},
        "2020-05-09",
        S(state=MET, days=60, needed=0, pace=Fraction(0), elapsed=70, left=236, expected=13),
        "last report missing but due 29 Apr + 10 = 9 May, pending: still met; "
        "elapsed 61 + 9 = 70, left 306 - 70 = 236, 4200 / 306 = 13.7 -> 13",
    ),
    (
        MET_60,
        {2: "-"},
        "2020-05-10",
        S(state=BEHIND, days=60, needed=0, pace=Fraction(0), elapsed=71, left=235, expected=13),
        "the same report overdue on 10 May: behind; 4260 / 306 = 13.9 -> 13",
    ),
    (
        NO_MEETINGS_61,
        {},
        "2020-12-31",
        S(state=NOT_MET, days=61, needed=24, pace=None, elapsed=306, left=0, expected=60),
        "61 days but 0 of 24 sinh-hoat at 31 Dec: not met; needed max(0, 24) = 24, no day left",
    ),
    (
        NO_MEETINGS_61,
        {},
        "2021-02-01",
        S(state=NOT_MET, days=61, needed=24, pace=None, elapsed=306, left=0, expected=60),
        "after the window: not met",
    ),
    (
        NO_MEETINGS_61,
        {},
        "2020-12-30",
        S(state=NOT_MET, days=61, needed=24, pace=None, elapsed=305, left=1, expected=59),
        "one day before the end: 61 >= 59, but sinh-hoat needs 24 more with 1 available day left: "
        "not met from that day (was on track at a pace of 24 x 7 / 1 = 168); no pace",
    ),
    (
        ONLY_PHOI_HOP_60,
        {},
        "2020-04-30",
        S(state=ON_TRACK, days=60, needed=36, pace=Fraction(36, 35), elapsed=61, left=245, expected=11),
        "60 days, no content: needed max(0, 12 + 24) = 36; pace 36 x 7 / 245 = 252/245 = 36/35",
    ),
    (
        [("2020-03-01", "2020-03-10", "phoi-hop")],
        {},
        "2020-04-30",
        S(state=BEHIND, days=10, needed=50, pace=Fraction(10, 7), elapsed=61, left=245, expected=11),
        "10 days < floor(60 x 61 / 306) = 11: behind; needed max(60 - 10, 12 + 24) = 50; pace 350 / 245 = 10/7",
    ),
    (
        [("2020-03-01", "2020-03-11", "phoi-hop")],
        {},
        "2020-04-30",
        S(state=ON_TRACK, days=11, needed=49, pace=Fraction(7, 5), elapsed=61, left=245, expected=11),
        "11 days = the pace line 11: on track; needed max(49, 36) = 49; 343 / 245 = 7/5",
    ),
    (
        [("2020-03-01", "2020-03-05", "phoi-hop")],
        {0: "2020-03-16"},
        "2020-03-20",
        S(state=BEHIND, days=5, needed=55, pace=Fraction(385, 286), elapsed=20, left=286, expected=3),
        "5 days >= floor(1200 / 306) = 3 but the report is late (due 15, dated 16): behind; "
        "left 306 - 20 = 286; pace 55 x 7 / 286 = 385/286",
    ),
    (
        [("2020-03-01", "2020-03-05", "phoi-hop")],
        {0: "-"},
        "2020-03-15",
        S(state=ON_TRACK, days=5, needed=55, pace=Fraction(385, 291), elapsed=15, left=291, expected=2),
        "no report, due 5 + 10 = 15 Mar, pending on the 15th: on track; 900 / 306 -> 2",
    ),
    (
        [("2020-03-01", "2020-03-05", "phoi-hop")],
        {0: "-"},
        "2020-03-16",
        S(state=BEHIND, days=5, needed=55, pace=Fraction(385, 290), elapsed=16, left=290, expected=3),
        "no report on the 16th: overdue, behind; 960 / 306 -> 3",
    ),
    (
        [],
        {},
        "2020-02-15",
        S(state=ON_TRACK, days=0, needed=60, pace=Fraction(70, 51), elapsed=0, left=306, expected=0),
        "before the window: 0 >= 0, on track; pace 60 x 7 / 306 = 420/306 = 70/51",
    ),
    (
        [],
        {},
        "2020-03-06",
        S(state=BEHIND, days=0, needed=60, pace=Fraction(7, 5), elapsed=6, left=300, expected=1),
        "nothing by 6 Mar: 0 < floor(360 / 306) = 1, behind; 420 / 300 = 7/5",
    ),
    (
        [],
        {},
        "2020-12-31",
        S(state=NOT_MET, days=0, needed=60, pace=None, elapsed=306, left=0, expected=60),
        "nothing at all by the end: not met, no day left: pace None",
    ),
    (
        [("2020-03-01", "2020-03-31", "phoi-hop")],
        {},
        "2020-03-20",
        S(state=ON_TRACK, days=20, needed=40, pace=Fraction(140, 143), elapsed=20, left=286, expected=3),
        "trip crossing as_of: 1..20 = 20 days so far; needed max(40, 36) = 40; "
        "280 / 286 = 140/143; report due 10 Apr, pending",
    ),
]


@pytest.mark.parametrize("visits, reported, as_of, want, why", SCENARIOS, ids=[c[-1][:70] for c in SCENARIOS])
def test_states_and_pace(visits, reported, as_of, want, why):
    facts = [visit(i, *v) for i, v in enumerate(visits)]
    reports = []
    for i, v in enumerate(facts):
        on = reported.get(i)
        if on == "-":
            continue
        reports.append(ReportFacts(v.id, D(on) if on else v.end))
    ev = evaluate_one(facts, as_of, reports)
    got = S(
        state=ev.state,
        days=ev.days,
        needed=ev.days_needed,
        pace=ev.pace_per_week,
        elapsed=ev.elapsed_days,
        left=ev.days_left,
        expected=ev.expected_days,
    )
    assert got == want
    if want["pace"] is not None:
        assert isinstance(ev.pace_per_week, Fraction)
    assert ev.subject is True
    assert ev.required_days == 60


def test_checks_of_a_cadre_with_content_short():
    # ONLY_PHOI_HOP_60 as of 30/4: 60 of 60 days, 0 of 12 chuyen-de, 0 of 24 sinh-hoat,
    # one report on time.
    facts = [visit(0, *ONLY_PHOI_HOP_60[0])]
    ev = evaluate_one(facts, "2020-04-30", on_time_reports(facts))
    assert [(c.rule, c.required, c.actual, c.met, c.shortfall) for c in ev.checks] == [
        ("min_days", 60, 60, True, 0),
        ("kind:chuyen-de", 12, 0, False, 12),
        ("kind:sinh-hoat", 24, 0, False, 24),
        ("reports", 0, 0, True, 0),
    ]
    assert [c.rule for c in ev.missing] == ["kind:chuyen-de", "kind:sinh-hoat"]


def test_days_short_dominates_content_short():
    # 20 sinh-hoat days (1..20 Mar) as of 31 Mar: min short 60 - 20 = 40; content short
    # chuyen-de 12 + sinh-hoat (24 - 20 = 4) = 16; needed = max(40, 16) = 40.
    # days_left 306 - 31 = 275; pace 280 / 275 = 56/55.
    facts = [visit(0, "2020-03-01", "2020-03-20", "sinh-hoat")]
    ev = evaluate_one(facts, "2020-03-31", on_time_reports(facts))
    assert ev.days_needed == 40
    assert ev.days_left == 275
    assert ev.pace_per_week == Fraction(56, 55)


def test_content_short_dominates_days_short():
    # 55 phoi-hop days (1 Mar..24 Apr = 31 + 24) as of 30 Apr: min short 5; content short
    # 12 + 24 = 36; needed = max(5, 36) = 36.
    facts = [visit(0, "2020-03-01", "2020-04-24", "phoi-hop")]
    ev = evaluate_one(facts, "2020-04-30", on_time_reports(facts))
    assert ev.days == 55
    assert ev.days_needed == 36


def test_not_subject():
    # a cadre who is not subject: days still counted (2..6 Mar = 5), nothing required
    facts = [visit(0, "2020-03-02", "2020-03-06")]
    ev = evaluate_one(facts, "2020-12-31", subject=False)
    assert ev.state == NOT_SUBJECT
    assert ev.subject is False
    assert ev.days == 5
    assert ev.required_days == 0
    assert ev.checks == ()
    assert ev.missing == ()
    assert ev.days_needed == 0
    assert ev.expected_days == 0


def test_evaluate_orders_cadres_by_department_then_given_name_and_separates_their_visits():
    cadres = [
        CadreFacts("B", "Trần Thị Bình", "Văn phòng"),
        CadreFacts("A", "Nguyễn Văn An", "Ban Tổ chức"),
        CadreFacts("C", "Lê Văn Cường", "Ban Tổ chức"),
    ]
    visits = [
        visit(1, "2020-03-02", "2020-03-06", cadre="A"),  # 5
        visit(2, "2020-03-02", "2020-03-03", cadre="B"),  # 2
        visit(3, "2020-03-05", "2020-03-10", cadre="B"),  # 5..10 = 6; B total 2 + 6 = 8
    ]
    result = evaluate(POLICY, cadres, visits, [], D("2020-03-31"))
    assert result.as_of == D("2020-03-31")
    assert result.policy == POLICY
    # Vietnamese alphabetical order (issue 18): Ban Tổ chức (An, then Cường) before Văn phòng (Bình)
    assert [(c.code, c.days) for c in result.cadres] == [("A", 5), ("C", 0), ("B", 8)]
    # no reports; A's due 16 Mar, B's due 13 and 20 Mar: all overdue on 31 Mar
    assert [c.reports.overdue for c in result.cadres] == [1, 0, 2]


def test_a_policy_with_other_numbers():
    # Đà Nẵng-like: 30 days in the calendar year 2018, report in 5 days, 10 kiem-tra days.
    policy = Policy(
        id="test",
        title="test",
        source="test",
        window_start=date(2018, 1, 1),
        window_end=date(2018, 12, 31),
        min_days=30,
        report_due_days=5,
        content_minimums=(ContentMinimum("kiem-tra", days=10),),
    )
    # 2018 is not a leap year: window 365 days
    assert policy.window_days == 365
    facts = [
        visit(1, "2018-02-27", "2018-03-02", "kiem-tra"),  # 27, 28 Feb, 1, 2 Mar = 4
        visit(2, "2018-03-10", "2018-03-14", "phoi-hop"),  # 5; due 19 Mar, reported 20: late
    ]
    reports = [ReportFacts(1, D("2018-03-07")), ReportFacts(2, D("2018-03-20"))]
    ev = evaluate_one(facts, "2018-03-31", reports, policy=policy)
    assert ev.days == 9  # 4 + 5
    assert ev.days_by_kind["kiem-tra"] == 4
    assert ev.reports == ReportCounts(on_time=1, late=1)  # 1 due 2 + 5 = 7 Mar: on time
    # elapsed 31 + 28 + 31 = 90; expected floor(30 x 90 / 365) = floor(7.39) = 7
    assert ev.elapsed_days == 90
    assert ev.expected_days == 7
    assert ev.days_left == 275  # 365 - 90
    # needed max(30 - 9, 10 - 4) = 21; pace 147 / 275
    assert ev.days_needed == 21
    assert ev.pace_per_week == Fraction(147, 275)
    assert ev.state == BEHIND  # late report
