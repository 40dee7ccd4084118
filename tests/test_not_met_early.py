"""Tables of cases for the rule of issue 17: a minimum that can no longer be met is not met from that day.

A minimum counted in days (the total, one kind, one level), each on its own,
whose days still needed exceed the cadre's available days left after the
as-of date makes the state ``not_met``; the reports check keeps its rule.
Every value is counted by hand (the arithmetic is in the "why").

Hanoi 2020: window 1/3-31/12/2020 (306 days), 60 days, chuyên đề ceil(20% × 60)
= 12, sinh hoạt ceil(40% × 60) = 24. Days left after D = 31/12 - D (days).
Bà Rịa–Vũng Tàu 2020: 1/1-31/12/2020 (366 days), 60 days, chi đoàn 30, cơ sở
20, huyện 10 (days, by the unit's level).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congtac12.domain.counting import evaluate
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.domain.states import BEHIND, NOT_MET, ON_TRACK
from congtac12.policies import load_policy

HANOI = load_policy("ha-noi-2020")
BRVT = load_policy("ba-ria-vung-tau").in_year(2020)
A = CadreFacts(code="A", name="Nguyễn Văn An", department="Ban Tổ chức")


def D(text: str) -> date:
    return date.fromisoformat(text)


def evaluate_a(policy, trips, as_of, cadre=A):
    visits = [VisitFacts(i, "A", D(a), D(b), kind, level) for i, (a, b, kind, level) in enumerate(trips)]
    reports = [ReportFacts(v.id, v.end) for v in visits]  # every report on time
    return evaluate(policy, [cadre], visits, reports, D(as_of)).cadres[0]


CASES = [
    # (policy, trips, as_of, state, unreachable rules, days_left, why)
    (
        HANOI,
        [],
        "2020-11-01",
        BEHIND,
        [],
        60,
        "nothing yet; 1 Nov: left 29 (2-30 Nov) + 31 = 60 = 60 short, not more: still possible; "
        "behind, 0 < floor(60 x 246 / 306) = 48",
    ),
    (
        HANOI,
        [],
        "2020-11-02",
        NOT_MET,
        ["min_days"],
        59,
        "the next day: left 28 + 31 = 59 < 60 short: not met from 2 Nov; chuyen-de 12 and sinh-hoat 24 each fit in 59",
    ),
    (
        HANOI,
        [("2020-03-01", "2020-03-12", "chuyen-de", None)],
        "2020-11-21",
        NOT_MET,
        ["min_days"],
        40,
        "12 chuyen-de days (met); 21 Nov: left 9 + 31 = 40 < 48 short; sinh-hoat 24 <= 40 fits on its own",
    ),
    (
        HANOI,
        [("2020-03-01", "2020-04-24", "phoi-hop", None)],
        "2020-12-07",
        ON_TRACK,
        [],
        24,
        "55 phoi-hop days (31 + 24); 7 Dec: left 24 = sinh-hoat 24 short: still possible; "
        "55 >= floor(60 x 282 / 306) = 55: on track",
    ),
    (
        HANOI,
        [("2020-03-01", "2020-04-24", "phoi-hop", None)],
        "2020-12-08",
        NOT_MET,
        ["kind:sinh-hoat"],
        23,
        "the next day: left 23 < sinh-hoat 24 short (total 5 and chuyen-de 12 fit): not met, "
        "though 55 >= the pace line floor(60 x 283 / 306) = 55",
    ),
    (
        HANOI,
        [("2020-03-01", "2020-04-29", "phoi-hop", None)],
        "2020-12-01",
        ON_TRACK,
        [],
        30,
        "60 phoi-hop days; 1 Dec: chuyen-de 12 + sinh-hoat 24 = 36 > 30 left, but each fits in 30 on its own "
        "(one day can count for two kinds): not proven impossible; 60 >= floor(60 x 276 / 306) = 54",
    ),
    (
        BRVT,
        [("2020-01-01", "2020-03-01", "phoi-hop", "co-so")],
        "2020-12-10",
        NOT_MET,
        ["level:chi-doan"],
        21,
        "61 co-so days (31 + 29 + 1): total 60 and co-so 20 met; 10 Dec: left 21 < chi-doan 30 short; "
        "huyen 10 short fits",
    ),
]


@pytest.mark.parametrize("policy, trips, as_of, state, rules, left, why", CASES, ids=[c[-1][:60] for c in CASES])
def test_not_met_as_soon_as_a_minimum_cannot_fit(policy, trips, as_of, state, rules, left, why) -> None:
    c = evaluate_a(policy, trips, as_of)
    assert (c.state, [k.rule for k in c.unreachable], c.days_left) == (state, rules, left)
    if rules:
        assert c.pace_per_week is None  # no impossible pace
        for k in c.unreachable:
            assert k.shortfall > c.days_left


def test_leave_shortens_what_is_left() -> None:
    # Maternity leave 1/11/2020-28/2/2021: available 1/3-31/10 = 31+30+31+30+31+31+30+31 = 245 days;
    # required round(60 x 245 / 306 = 48.04) = 48; 20 phoi-hop days (1-20 Mar): 28 short.
    # 3 Oct: elapsed 214 (Mar-Sep) + 3 = 217, left 245 - 217 = 28 = 28 short: possible;
    #   behind, 20 < floor(48 x 217 / 245) = 42.
    # 4 Oct: left 27 < 28: not met from that day (chuyen-de ceil(9.6) = 10 and sinh-hoat ceil(19.2) = 20 fit).
    on_leave = CadreFacts(
        code="A",
        name="Nguyễn Văn An",
        department="Ban Tổ chức",
        leave=(LeaveFacts(1, D("2020-11-01"), D("2021-02-28"), "thai-san"),),
    )
    trips = [("2020-03-01", "2020-03-20", "phoi-hop", None)]
    before = evaluate_a(HANOI, trips, "2020-10-03", on_leave)
    assert (before.required_days, before.days_left, before.expected_days, before.state) == (48, 28, 42, BEHIND)
    after = evaluate_a(HANOI, trips, "2020-10-04", on_leave)
    assert (after.days_left, after.state, [k.rule for k in after.unreachable]) == (27, NOT_MET, ["min_days"])


# --- the rule as a property: "unreachable" is exactly "even every day left would not do" ------------

KINDS = ("chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat")
days_2020 = st.dates(min_value=date(2020, 2, 1), max_value=date(2021, 1, 31))


@st.composite
def trips(draw):
    out = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(days_2020)
        end = start + timedelta(days=draw(st.integers(0, 40)))
        out.append((start.isoformat(), end.isoformat(), draw(st.sampled_from(KINDS)), None))
    return out


@settings(max_examples=150, deadline=None)
@given(raw=trips(), as_of=st.dates(min_value=date(2020, 3, 1), max_value=date(2020, 12, 30)))
def test_unreachable_is_exactly_what_every_day_left_cannot_make_up(raw, as_of):
    """A minimum is unreachable iff filling every day after as_of (to the window's end) with a
    trip of its own kind still leaves it short; and then the state is not_met."""
    now = evaluate_a(HANOI, raw, as_of.isoformat())
    unreachable = {k.rule for k in now.unreachable}
    assert (now.state == NOT_MET) >= bool(unreachable)
    rest = ((as_of + timedelta(days=1)).isoformat(), HANOI.window_end.isoformat())
    for check in now.checks:
        if check.rule == "reports" or check.met:
            continue
        kind = check.rule.removeprefix("kind:") if check.rule.startswith("kind:") else "phoi-hop"
        best = evaluate_a(HANOI, [*raw, (*rest, kind, None)], HANOI.window_end.isoformat())
        after = next(k for k in best.checks if k.rule == check.rule)
        assert after.met == (check.rule not in unreachable), (check, now.days_left)
