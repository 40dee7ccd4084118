"""Pro-rating, unit-level minimums, exemptions and uncounted visit days (pure rules).

Every expected value is worked out by hand in the comment beside it. The
windows used:

* Hanoi 2020 (ha-noi-2020): 1/3-31/12/2020 = 31+30+31+30+31+31+30+31+30+31
  = 306 days, 60 days, chuyen-de 20%, sinh-hoat 40%.
* Bà Rịa-Vũng Tàu in 2020 (ba-ria-vung-tau): 1/1-31/12/2020 = 366 days (leap
  year), 60 days: 30 chi-doan, 20 co-so, 10 huyen; exempt at 180 days of
  hoc-tap/om-dau/thai-san leave.

Required days = round half up (60 × available ÷ window days).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congtac12.domain.counting import availability, counted_span, evaluate, round_days, visit_days
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.domain.policy import Policy, ProRating
from congtac12.domain.results import UncountedDays
from congtac12.domain.states import (
    AFTER_LEFT,
    BEFORE_JOINED,
    BEHIND,
    EXEMPT,
    EXEMPT_LEAVE,
    EXEMPT_NOT_AVAILABLE,
    MET,
    NOT_MET,
    ON_LEAVE,
    ON_TRACK,
)
from congtac12.policies import load_policy

pytestmark = pytest.mark.both_backends

HANOI = load_policy("ha-noi-2020")
BRVT = load_policy("ba-ria-vung-tau").in_year(2020)


def D(text: str) -> date:
    return date.fromisoformat(text)


def cadre(joined=None, left=None, leave=(), code="A") -> CadreFacts:
    return CadreFacts(
        code,
        "Nguyễn Văn An",
        "Ban Tổ chức",
        joined=D(joined) if joined else None,
        left=D(left) if left else None,
        leave=tuple(LeaveFacts(i, D(a), D(b), r) for i, (a, b, r) in enumerate(leave, 1)),
    )


def one(policy, c, visits=(), as_of="2020-12-31", reports=None):
    """Evaluate one cadre; reports default to one on each visit's last day (on time)."""
    if reports is None:
        reports = [ReportFacts(v.id, v.end) for v in visits]
    return evaluate(policy, [c], visits, reports, D(as_of)).cadres[0]


def visit(vid, start, end, kind="phoi-hop", level=None) -> VisitFacts:
    return VisitFacts(vid, "A", D(start), D(end), kind, level)


# --- rounding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, half_up, up, down",
    [
        (Fraction(61, 2), 31, 31, 30),  # 30.5: halves go up (Python's round() would give 30)
        (Fraction(59, 2), 30, 30, 29),  # 29.5
        (Fraction(1, 2), 1, 1, 0),
        (Fraction(11040, 306), 36, 37, 36),  # 36.078
        (Fraction(7320, 306), 24, 24, 23),  # 23.92
        (Fraction(30), 30, 30, 30),
        (Fraction(0), 0, 0, 0),
    ],
)
def test_round_days(value, half_up, up, down):
    assert (round_days(value), round_days(value, "up"), round_days(value, "down")) == (half_up, up, down)


# --- the pro-rating table (Hanoi 2020: 60 days, 306 window days) --------------------------

PRORATING = [
    # (joined, left, leave, available, required, why)
    (None, None, (), 306, 60, "no service limits, no leave: the policy's 60"),
    ("2020-07-01", None, (), 184, 36, "joins 1 July: Jul..Dec = 31+31+30+31+30+31 = 184; 60 × 184 / 306 = 36.08 -> 36"),
    ("2020-01-15", None, (), 306, 60, "joined before the window: the whole window"),
    ("2020-03-01", None, (), 306, 60, "joined on the window's first day"),
    ("2020-03-02", None, (), 305, 60, "joined on its second day: 60 × 305 / 306 = 59.8 -> 60"),
    (None, "2020-06-30", (), 122, 24, "leaves 30 June: Mar..Jun = 31+30+31+30 = 122; 7320 / 306 = 23.92 -> 24"),
    ("2020-05-01", "2020-10-31", (), 184, 36, "May..Oct = 31+30+31+31+30+31 = 184 -> 36"),
    (None, "2020-12-31", (), 306, 60, "leaves on the window's last day"),
    (
        None,
        None,
        [("2020-04-01", "2020-04-30", "om-dau")],
        276,
        54,
        "30 days of sick leave: 306 - 30 = 276; 16560 / 306 = 54.12 -> 54",
    ),
    (
        None,
        None,
        [("2020-04-01", "2020-04-30", "om-dau"), ("2020-04-20", "2020-05-10", "khac")],
        266,
        52,
        "overlapping leave counted once: 1 Apr..10 May = 30 + 10 = 40; 306 - 40 = 266; 15960 / 306 = 52.16 -> 52",
    ),
    (
        None,
        None,
        [("2020-06-01", "2020-06-30", "thai-san"), ("2020-06-01", "2020-06-30", "om-dau")],
        276,
        54,
        "the same 30 days recorded twice: once",
    ),
    (
        None,
        None,
        [("2020-06-10", "2020-06-20", "om-dau"), ("2020-06-01", "2020-06-30", "khac")],
        276,
        54,
        "leave inside other leave: the outer 30 days",
    ),
    (
        None,
        None,
        [("2020-02-01", "2020-03-10", "hoc-tap")],
        296,
        58,
        "leave crossing the window's start: 1..10 Mar = 10; 17760 / 306 = 58.04 -> 58",
    ),
    (
        None,
        None,
        [("2020-12-22", "2021-01-31", "hoc-tap")],
        296,
        58,
        "leave crossing the window's end: 22..31 Dec = 10 -> 58",
    ),
    (
        None,
        None,
        [("2020-01-01", "2020-02-29", "om-dau")],
        306,
        60,
        "leave entirely before the window: nothing deducted",
    ),
    (
        "2020-07-01",
        None,
        [("2020-06-01", "2020-07-31", "om-dau")],
        153,
        30,
        "leave crossing the joining day: only 1..31 Jul = 31 is in service; 184 - 31 = 153; "
        "60 × 153 / 306 = 30 exactly",
    ),
    (
        None,
        None,
        [("2020-09-01", "2021-02-28", "thai-san")],
        184,
        36,
        "six months' maternity leave from 1 Sep: Sep..Dec = 30+31+30+31 = 122 in the window; 306 - 122 = 184 -> 36",
    ),
    (
        "2020-07-01",
        "2020-09-30",
        [("2020-08-01", "2020-08-10", "om-dau")],
        82,
        16,
        "Jul..Sep = 31+31+30 = 92, minus 10 = 82; 4920 / 306 = 16.08 -> 16",
    ),
]


@pytest.mark.parametrize(
    "joined, left, leave, available, required, why", PRORATING, ids=[c[-1][:60] for c in PRORATING]
)
def test_prorating_table(joined, left, leave, available, required, why):
    a = availability(HANOI, cadre(joined, left, leave))
    assert (a.available_days, a.required_days) == (available, required)
    assert a.exact_required == Fraction(60 * available, 306)
    assert a.exempt is None
    ev = one(HANOI, cadre(joined, left, leave))
    assert ev.required_days == required
    assert ev.checks[0].required == required


@pytest.mark.parametrize(
    "joined, left, leave, why",
    [
        ("2021-01-05", None, (), "joins after the window"),
        (None, "2020-02-20", (), "left before the window"),
        (None, None, [("2020-02-01", "2021-01-31", "khac")], "on leave the whole window"),
        ("2020-07-01", None, [("2020-07-01", "2020-12-31", "hoc-tap")], "on leave from joining"),
    ],
)
def test_no_available_day_is_exempt(joined, left, leave, why):
    ev = one(HANOI, cadre(joined, left, leave))
    assert ev.availability.available_days == 0
    assert (ev.state, ev.exempt, ev.required_days, ev.checks) == (EXEMPT, EXEMPT_NOT_AVAILABLE, 0, ())


def test_content_minimums_follow_the_prorated_figure():
    # joined 1 July: 36 days; chuyen-de ceil(20% × 36) = ceil(7.2) = 8; sinh-hoat ceil(14.4) = 15
    ev = one(HANOI, cadre("2020-07-01"))
    assert [(c.rule, c.required) for c in ev.checks] == [
        ("min_days", 36),
        ("kind:chuyen-de", 8),
        ("kind:sinh-hoat", 15),
        ("reports", 0),
    ]
    # left 30 June: 24 days; ceil(4.8) = 5; ceil(9.6) = 10
    ev = one(HANOI, cadre(None, "2020-06-30"))
    assert [c.required for c in ev.checks] == [24, 5, 10, 0]


# --- rounding at exactly .5 ----------------------------------------------------------------

# A window of 120 days (1 Sep..29 Dec 2020: 30 + 31 + 30 + 29) and 60 days: required = available / 2.
HALF = Policy(
    id="half",
    title="half",
    source="test",
    window_start=D("2020-09-01"),
    window_end=D("2020-12-29"),
    min_days=60,
    report_due_days=10,
)


@pytest.mark.parametrize(
    "joined, available, half_up, up, down",
    [
        ("2020-10-30", 61, 31, 31, 30),  # 30 Oct..29 Dec = 2 + 30 + 29 = 61: 30.5
        ("2020-10-31", 60, 30, 30, 30),  # 1 + 30 + 29 = 60: 30 exactly
        ("2020-11-01", 59, 30, 30, 29),  # 30 + 29 = 59: 29.5
    ],
)
def test_rounding_at_a_half(joined, available, half_up, up, down):
    assert HALF.window_days == 120
    got = []
    for rounding in ("half-up", "up", "down"):
        policy = dataclasses.replace(HALF, pro_rating=ProRating(rounding=rounding))
        a = availability(policy, cadre(joined))
        assert a.available_days == available
        got.append(a.required_days)
    assert got == [half_up, up, down]


def test_pro_rating_off_keeps_the_minimum():
    policy = dataclasses.replace(HANOI, pro_rating=ProRating(enabled=False))
    # joined 1 July: 184 available days but still 60 required, 12 and 24 of content
    ev = one(policy, cadre("2020-07-01"))
    assert [c.required for c in ev.checks] == [60, 12, 24, 0]


def test_only_listed_leave_reasons_are_deducted():
    policy = dataclasses.replace(HANOI, pro_rating=ProRating(leave_reasons=("thai-san",)))
    # 30 days om-dau (not deducted) + 30 days thai-san (deducted): 306 - 30 = 276 -> 54
    a = availability(
        policy, cadre(leave=[("2020-04-01", "2020-04-30", "om-dau"), ("2020-06-01", "2020-06-30", "thai-san")])
    )
    assert (a.leave_days, a.deducted_days, a.available_days, a.required_days) == (60, 30, 276, 54)


# --- unit-level minimums (Bà Rịa-Vũng Tàu in 2020) ------------------------------------------


def test_brvt_window_in_2020_is_the_leap_year():
    assert (BRVT.window_start, BRVT.window_end, BRVT.window_days) == (D("2020-01-01"), D("2020-12-31"), 366)


def test_level_minimums_met_and_days_counted_once_across_levels():
    visits = [
        visit(1, "2020-01-01", "2020-01-30", level="chi-doan"),  # 30
        visit(2, "2020-02-01", "2020-02-20", level="co-so"),  # 20
        visit(3, "2020-03-01", "2020-03-10", level="huyen"),  # 10
        # 1..5 Mar again, at a base union: 5 more co-so days, no more total days
        visit(4, "2020-03-01", "2020-03-05", level="co-so"),
    ]
    ev = one(BRVT, cadre(), visits)
    assert ev.days == 60  # 30 + 20 + 10; 1..5 Mar once
    assert ev.days_by_level == {"huyen": 10, "co-so": 25, "chi-doan": 30}
    assert [(c.rule, c.required, c.actual, c.met) for c in ev.checks] == [
        ("min_days", 60, 60, True),
        ("level:chi-doan", 30, 30, True),
        ("level:co-so", 20, 25, True),
        ("level:huyen", 10, 10, True),
        ("reports", 0, 0, True),
    ]
    assert ev.state == MET


def test_level_short_though_days_are_enough():
    # 60 days all at chi-doan level: total met, co-so 0/20 and huyen 0/10 short.
    # as of 30 June (not the end): needed = max(0, 20 + 10) = 30
    visits = [visit(1, "2020-01-01", "2020-02-29", level="chi-doan")]  # 31 + 29 = 60
    ev = one(BRVT, cadre(), visits, as_of="2020-06-30")
    assert ev.days == 60
    assert [c.rule for c in ev.missing] == ["level:co-so", "level:huyen"]
    assert ev.days_needed == 30
    # left: 1 Jul..31 Dec = 184; pace 30 × 7 / 184 = 210/184 = 105/92
    assert (ev.days_left, ev.pace_per_week) == (184, Fraction(105, 92))
    assert ev.state == ON_TRACK  # 60 >= floor(60 × 182 / 366) = 29
    assert one(BRVT, cadre(), visits).state == NOT_MET


@pytest.mark.parametrize(
    "joined, leave, required, chi_doan, co_so, huyen",
    [
        (None, (), 60, 30, 20, 10),
        # joined 1 July: 184 of 366; 11040 / 366 = 30.16 -> 30; ceil(30/60 × 30) = 15,
        # ceil(20/60 × 30) = 10, ceil(10/60 × 30) = 5
        ("2020-07-01", (), 30, 15, 10, 5),
        # 120 days sick (1 Jan..29 Apr = 31+29+31+29): 246; 14760 / 366 = 40.33 -> 40;
        # ceil(20) = 20, ceil(13.33) = 14, ceil(6.67) = 7
        (None, [("2020-01-01", "2020-04-29", "om-dau")], 40, 20, 14, 7),
    ],
)
def test_level_minimums_are_prorated(joined, leave, required, chi_doan, co_so, huyen):
    ev = one(BRVT, cadre(joined, leave=leave))
    assert [c.required for c in ev.checks] == [required, chi_doan, co_so, huyen, 0]


def test_a_visit_without_a_level_counts_toward_no_level():
    ev = one(BRVT, cadre(), [visit(1, "2020-01-01", "2020-01-05")])
    assert ev.days == 5
    assert ev.days_by_level == {"huyen": 0, "co-so": 0, "chi-doan": 0}


# --- exemption (Bà Rịa-Vũng Tàu: 180 days of hoc-tap, om-dau or thai-san leave) -------------

EXEMPTIONS = [
    # (leave, exempt?, exemption days, why)
    (
        [("2020-01-01", "2020-06-28", "thai-san")],
        True,
        180,
        "Jan..May = 31+29+31+30+31 = 152, + 28 = 180: at the threshold, exempt",
    ),
    ([("2020-01-01", "2020-06-27", "thai-san")], False, 179, "one day less: 179, not exempt"),
    (
        [("2020-01-01", "2020-04-09", "hoc-tap"), ("2020-04-10", "2020-06-28", "om-dau")],
        True,
        180,
        "reasons add up: 31+29+31+9 = 100 study + 21+31+28 = 80 sick = 180",
    ),
    (
        [("2020-01-01", "2020-06-28", "thai-san"), ("2020-06-01", "2020-06-28", "om-dau")],
        True,
        180,
        "overlap counted once: still 180",
    ),
    ([("2020-01-01", "2020-07-18", "khac")], False, 0, "200 days of other leave: not a listed reason"),
    (
        [("2019-09-01", "2020-06-30", "thai-san")],
        True,
        182,
        "leave from 2019: only its days in the 2020 window count, 1 Jan..30 Jun = 182",
    ),
    (
        [("2020-09-01", "2021-02-28", "thai-san")],
        False,
        122,
        "six months from 1 Sep: 122 days in the 2020 window, pro-rated instead",
    ),
]


@pytest.mark.parametrize("leave, exempt, days, why", EXEMPTIONS, ids=[c[-1][:60] for c in EXEMPTIONS])
def test_exemption_threshold(leave, exempt, days, why):
    ev = one(BRVT, cadre(leave=leave))
    assert ev.availability.exemption_days == (days,)
    if exempt:
        assert (ev.state, ev.exempt, ev.required_days, ev.checks) == (EXEMPT, EXEMPT_LEAVE, 0, ())
    else:
        assert ev.exempt is None
        assert ev.state != EXEMPT


def test_just_below_the_threshold_is_prorated():
    # 179 days: available 366 - 179 = 187; 60 × 187 / 366 = 11220 / 366 = 30.66 -> 31
    ev = one(BRVT, cadre(leave=[("2020-01-01", "2020-06-27", "thai-san")]))
    assert ev.required_days == 31


def test_exempt_cadre_still_has_its_days_counted():
    # exempt by 180 days' leave; a visit 1..10 Oct (after the leave) counts 10 days
    ev = one(
        BRVT,
        cadre(leave=[("2020-01-01", "2020-06-28", "thai-san")]),
        [visit(1, "2020-10-01", "2020-10-10", level="co-so")],
    )
    assert (ev.state, ev.days, ev.days_by_level["co-so"]) == (EXEMPT, 10, 10)


# --- visit days that do not count ---------------------------------------------------------


def test_uncounted_days_with_reasons():
    c = cadre("2020-07-01", "2020-11-30", [("2020-09-01", "2020-09-10", "om-dau")])
    visits = [
        visit(1, "2020-06-28", "2020-07-03"),  # 28..30 Jun before joining (3); 1..3 Jul count (3)
        visit(2, "2020-09-08", "2020-09-12"),  # 8..10 Sep on leave (3); 11, 12 count (2)
        visit(3, "2020-11-29", "2020-12-02"),  # 29, 30 Nov count (2); 1, 2 Dec after leaving (2)
        visit(4, "2020-09-02", "2020-09-04"),  # all on leave (3): counts nothing, no report owed
        visit(5, "2020-02-27", "2020-03-02"),  # 27..29 Feb outside the window (not flagged);
        # 1, 2 Mar before joining (2)
    ]
    ev = one(HANOI, c, visits, reports=[])
    assert ev.days == 3 + 2 + 2
    assert ev.uncounted == (
        UncountedDays(5, D("2020-03-01"), D("2020-03-02"), BEFORE_JOINED),
        UncountedDays(1, D("2020-06-28"), D("2020-06-30"), BEFORE_JOINED),
        UncountedDays(4, D("2020-09-02"), D("2020-09-04"), ON_LEAVE, 1, "om-dau"),
        UncountedDays(2, D("2020-09-08"), D("2020-09-10"), ON_LEAVE, 1, "om-dau"),
        UncountedDays(3, D("2020-12-01"), D("2020-12-02"), AFTER_LEFT),
    )
    assert [u.days for u in ev.uncounted] == [2, 3, 3, 3, 2]
    # reports are owed for visits 1, 2 and 3 only (4 and 5 count no day): all overdue by 31 Dec
    assert ev.reports.overdue == 3


def test_uncounted_days_respect_as_of():
    # as of 9 Sep, the visit 8..12 Sep has 8, 9 Sep seen, both on leave
    c = cadre(leave=[("2020-09-01", "2020-09-10", "om-dau")])
    ev = one(HANOI, c, [visit(1, "2020-09-08", "2020-09-12")], as_of="2020-09-09")
    assert ev.uncounted == (UncountedDays(1, D("2020-09-08"), D("2020-09-09"), ON_LEAVE, 1, "om-dau"),)
    assert ev.days == 0


def test_a_day_on_two_leaves_is_listed_once():
    c = cadre(leave=[("2020-09-01", "2020-09-10", "om-dau"), ("2020-09-05", "2020-09-20", "khac")])
    n, lost = visit_days(visit(1, "2020-09-08", "2020-09-22"), c, HANOI, D("2020-12-31"))
    # 8..10 Sep under leave 1 (starts first), 11..20 under leave 2, 21, 22 count
    assert n == 2
    assert [(u.start.day, u.end.day, u.leave_id) for u in lost] == [(8, 10, 1), (11, 20, 2)]


def test_visit_days_of_a_cadre_without_limits_are_the_window_days():
    n, lost = visit_days(visit(1, "2020-02-27", "2020-03-03"), cadre(), HANOI, D("2020-12-31"))
    assert (n, lost) == (3, [])  # 1..3 March


# --- pace and state on the cadre's own available days ---------------------------------------


def test_pace_uses_available_days():
    # Joined 1 Jul, sick 1..10 Sep: available 184 - 10 = 174; required 60 × 174 / 306
    # = 10440 / 306 = 34.12 -> 34; chuyen-de ceil(6.8) = 7, sinh-hoat ceil(13.6) = 14.
    c = cadre("2020-07-01", None, [("2020-09-01", "2020-09-10", "om-dau")])
    visits = [
        visit(1, "2020-06-28", "2020-07-03", "chuyen-de"),  # counts 1..3 Jul: 3
        visit(2, "2020-09-08", "2020-09-12", "sinh-hoat"),  # counts 11, 12 Sep: 2
    ]
    ev = one(HANOI, c, visits, as_of="2020-10-31")
    assert ev.required_days == 34
    # elapsed: 1 Jul..31 Oct = 31+31+30+31 = 123, minus 10 days of leave = 113; left 174 - 113 = 61
    assert (ev.elapsed_days, ev.days_left) == (113, 61)
    # pace line floor(34 × 113 / 174) = floor(3842 / 174) = floor(22.08) = 22
    assert ev.expected_days == 22
    assert ev.days == 5
    assert ev.state == BEHIND
    # needed max(34 - 5, (7 - 3) + (14 - 2)) = max(29, 16) = 29; pace 29 × 7 / 61 = 203/61
    assert (ev.days_needed, ev.pace_per_week) == (29, Fraction(203, 61))


def test_before_joining_nothing_is_expected_yet():
    # joined 1 Jul, as of 15 Jun: elapsed available 0, expected 0, on track; left 184
    ev = one(HANOI, cadre("2020-07-01"), as_of="2020-06-15")
    assert (ev.elapsed_days, ev.days_left, ev.expected_days, ev.state) == (0, 184, 0, ON_TRACK)
    # pace 36 × 7 / 184 = 252/184 = 63/46
    assert ev.pace_per_week == Fraction(63, 46)


def test_not_met_once_no_available_day_is_left():
    # left 30 June with 10 days: from 1 Jul nothing can be added -> not met before 31 Dec
    visits = [visit(1, "2020-03-01", "2020-03-10")]
    c = cadre(None, "2020-06-30")
    assert one(HANOI, c, visits, as_of="2020-06-29").state == BEHIND  # 10 < floor(24 × 121/122) = 23
    ev = one(HANOI, c, visits, as_of="2020-07-01")
    assert (ev.state, ev.days_left, ev.pace_per_week) == (NOT_MET, 0, None)


def test_maternity_leave_to_the_end_ends_the_year_early():
    # on leave from 1 Sep to after the window: no available day after 31 Aug
    c = cadre(leave=[("2020-09-01", "2021-02-28", "thai-san")])
    ev = one(HANOI, c, [], as_of="2020-09-15")
    assert (ev.required_days, ev.days_left, ev.state) == (36, 0, NOT_MET)


# --- properties against a brute-force count of days -------------------------------------------

days_around_2020 = st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 2, 28))


def all_days(start: date, end: date) -> set[date]:
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


@st.composite
def cadres_with_limits(draw):
    joined = draw(st.none() | days_around_2020)
    left = draw(st.none() | days_around_2020)
    if joined and left and left < joined:
        joined, left = left, joined
    leave = []
    for i in range(draw(st.integers(0, 4))):
        start = draw(days_around_2020)
        end = start + timedelta(days=draw(st.integers(0, 120)))
        leave.append(LeaveFacts(i + 1, start, end, draw(st.sampled_from(["thai-san", "om-dau", "khac"]))))
    return CadreFacts("A", "A", "Ban", joined=joined, left=left, leave=tuple(leave))


def in_service(c: CadreFacts, policy) -> set[date]:
    return {
        d
        for d in all_days(policy.window_start, policy.window_end)
        if (c.joined is None or d >= c.joined) and (c.left is None or d <= c.left)
    }


def on_leave(c: CadreFacts) -> set[date]:
    return set().union(*(all_days(lv.start, lv.end) for lv in c.leave))


@settings(max_examples=200, deadline=None)
@given(cadres_with_limits())
def test_available_days_by_brute_force(c):
    service = in_service(c, HANOI)
    available = service - on_leave(c)
    a = availability(HANOI, c)
    assert a.service_days == len(service)
    assert a.available_days == len(available)
    # required = nearest whole number to 60 × A / 306, halves up: |required - exact| <= 1/2
    exact = Fraction(60 * len(available), 306)
    assert abs(a.required_days - exact) <= Fraction(1, 2)
    assert a.required_days - exact != Fraction(-1, 2)  # a half goes up, never down


@settings(max_examples=200, deadline=None)
@given(cadres_with_limits(), days_around_2020, st.integers(0, 40), days_around_2020)
def test_visit_days_split_into_counted_and_uncounted(c, start, length, as_of):
    v = VisitFacts(1, "A", start, start + timedelta(days=length), "phoi-hop")
    n, lost = visit_days(v, c, HANOI, as_of)
    span = counted_span(v, HANOI, as_of)
    seen = all_days(*span) if span else set()
    counted = seen & in_service(c, HANOI) - on_leave(c)
    assert n == len(counted)
    lost_days = [d for u in lost for d in all_days(u.start, u.end)]
    assert len(lost_days) == len(set(lost_days))  # no day listed twice
    assert set(lost_days) == seen - counted
    for u in lost:
        if u.reason == ON_LEAVE:
            assert all_days(u.start, u.end) <= on_leave(c)
        elif u.reason == BEFORE_JOINED:
            assert u.end < c.joined
        else:
            assert u.start > c.left


@settings(max_examples=100, deadline=None)
@given(cadres_with_limits(), days_around_2020)
def test_elapsed_and_left_add_up_to_available(c, as_of):
    ev = one(HANOI, c, [], as_of=as_of.isoformat())
    assert ev.elapsed_days + ev.days_left == ev.availability.available_days
    elapsed = {d for d in in_service(c, HANOI) - on_leave(c) if d <= as_of}
    assert ev.elapsed_days == len(elapsed)
