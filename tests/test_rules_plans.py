"""Tables of cases for plans (đăng ký): a plan's state as of a date, its days planned ahead, and
record + plan against the minimums (``domain.plans``).

Every expected value is worked out by hand, the arithmetic in a comment. The
policy is the Hanoi 2020 preset: window 1/3/2020-31/12/2020, 60 days,
chuyen-de >= 12, sinh-hoat >= 24, report window 10 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congtac12.domain.counting import evaluate
from congtac12.domain.facts import CadreFacts, PlanFacts, VisitFacts
from congtac12.domain.plans import outlook, plan_state, planned, planned_days
from congtac12.domain.states import (
    PLAN_APPROVED,
    PLAN_DONE,
    PLAN_DRAFT,
    PLAN_MISSED,
    PLAN_RETURNED,
    PLAN_SUBMITTED,
)
from congtac12.policies import load_policy

POLICY = load_policy("ha-noi-2020")
CADRE = CadreFacts(code="A", name="Nguyễn Văn An", department="Ban Tổ chức")


def D(text: str) -> date:
    return date.fromisoformat(text)


def plan(
    pid: int,
    start: str,
    end: str,
    *,
    state: str = PLAN_APPROVED,
    kind: str = "phoi-hop",
    days: int | None = None,
    fulfilled: str | None = None,
    level: str = "huyen",
) -> PlanFacts:
    return PlanFacts(
        id=pid,
        cadre="A",
        unit="Quận đoàn Ba Đình",
        level=level,
        start=D(start),
        end=D(end),
        kind=kind,
        state=state,
        days=days,
        fulfilled_on=D(fulfilled) if fulfilled else None,
    )


# (plan, as of, state, why)
STATES = [
    (plan(1, "2020-11-10", "2020-11-12", state=PLAN_DRAFT), "2021-06-01", PLAN_DRAFT, "a draft never becomes missed"),
    (plan(2, "2020-11-10", "2020-11-12", state=PLAN_SUBMITTED), "2020-12-30", PLAN_SUBMITTED, "not a commitment yet"),
    (plan(3, "2020-11-10", "2020-11-12", state=PLAN_RETURNED), "2020-12-30", PLAN_RETURNED, "returned stays returned"),
    (plan(4, "2020-11-10", "2020-11-12"), "2020-11-01", PLAN_APPROVED, "before its days"),
    (plan(5, "2020-11-10", "2020-11-12"), "2020-11-22", PLAN_APPROVED, "12/11 + 10 = 22/11: still in the window"),
    (plan(6, "2020-11-10", "2020-11-12"), "2020-11-23", PLAN_MISSED, "23/11 > 22/11 and no visit"),
    (plan(7, "2020-11-10", "2020-11-12", fulfilled="2020-11-11"), "2020-11-11", PLAN_DONE, "the visit began today"),
    (plan(8, "2020-11-10", "2020-11-12", fulfilled="2020-11-11"), "2020-11-10", PLAN_APPROVED, "its visit is after"),
    (plan(9, "2020-11-10", "2020-11-12", fulfilled="2020-11-20"), "2020-11-30", PLAN_DONE, "recorded 8 days late"),
    (
        plan(10, "2020-04-01", "2020-04-30", days=3),
        "2020-05-10",
        PLAN_APPROVED,
        "a month plan: 30/4 + 10 = 10/5",
    ),
    (plan(11, "2020-04-01", "2020-04-30", days=3), "2020-05-11", PLAN_MISSED, "11/5 > 10/5"),
]


@pytest.mark.parametrize(("p", "as_of", "expected", "why"), STATES, ids=[s[3] for s in STATES])
def test_a_plans_state_as_of_a_date(p: PlanFacts, as_of: str, expected: str, why: str) -> None:
    assert plan_state(p, D(as_of), POLICY.report_due_days) == expected


# (plan, as of, days planned ahead, why)
AHEAD = [
    (plan(1, "2020-11-10", "2020-11-12"), "2020-11-01", 3, "10, 11, 12 November"),
    (plan(2, "2020-11-10", "2020-11-12"), "2020-11-10", 2, "11 and 12: the 10th is today, not ahead"),
    (plan(3, "2020-11-10", "2020-11-12"), "2020-11-12", 0, "no day after the as-of date"),
    (plan(4, "2020-11-10", "2020-11-12", state=PLAN_SUBMITTED), "2020-11-01", 0, "not approved"),
    (plan(5, "2020-11-10", "2020-11-12", fulfilled="2020-10-30"), "2020-11-01", 0, "done already"),
    (plan(6, "2020-12-30", "2021-01-02"), "2020-11-01", 2, "30 and 31 December: the window ends"),
    (plan(7, "2020-02-27", "2020-03-03"), "2020-02-01", 3, "1, 2, 3 March: the window starts"),
    (plan(8, "2020-04-01", "2020-04-30", days=3), "2020-03-01", 3, "3 days in April, all ahead"),
    (plan(9, "2020-04-01", "2020-04-30", days=3), "2020-04-28", 2, "only 29 and 30 April are left: min(3, 2)"),
]


@pytest.mark.parametrize(("p", "as_of", "expected", "why"), AHEAD, ids=[a[3] for a in AHEAD])
def test_days_planned_ahead(p: PlanFacts, as_of: str, expected: int, why: str) -> None:
    assert planned_days(p, POLICY, D(as_of)) == expected


def test_dated_plans_that_share_days_count_them_once_and_month_plans_add_theirs() -> None:
    plans = [
        plan(1, "2020-11-10", "2020-11-12", kind="sinh-hoat"),  # 10, 11, 12
        plan(2, "2020-11-12", "2020-11-13", kind="chuyen-de"),  # 12, 13: the 12th is shared
        plan(3, "2020-12-01", "2020-12-31", days=4, kind="chuyen-de", level="co-so"),  # 4 days in December
    ]
    got = planned(plans, POLICY, D("2020-11-01"))
    # total: {10, 11, 12, 13} = 4, + 4 (month) = 8
    assert got.total == 8
    # by kind: sinh-hoat 3; chuyen-de {12, 13} + 4 = 6 (each kind counts the shared day)
    assert got.by_kind == {"chuyen-de": 6, "sinh-hoat": 3}
    # by level: huyen {10..13} = 4; co-so 4
    assert got.by_level == {"co-so": 4, "huyen": 4}
    assert got.plans == (1, 2, 3)


def visits_of(days: int, kind: str, first: str = "2020-03-02") -> list[VisitFacts]:
    """``days`` one-day visits of one kind, a day apart from ``first`` on."""
    start = D(first)
    return [VisitFacts(i, "A", start + timedelta(days=2 * i), start + timedelta(days=2 * i), kind) for i in range(days)]


# (recorded: [(days, kind)], plans, short days, why) as of 1/10/2020 (92 days left)
OUTLOOKS = [
    (
        [(24, "sinh-hoat"), (12, "chuyen-de"), (14, "phoi-hop")],
        [plan(1, "2020-11-01", "2020-11-10")],
        0,
        "50 recorded + 10 planned = 60; kinds met by the record: kế hoạch đủ",
    ),
    (
        [(24, "sinh-hoat"), (12, "chuyen-de"), (14, "phoi-hop")],
        [plan(1, "2020-11-01", "2020-11-07")],
        3,
        "50 + 7 = 57 of 60: 3 short",
    ),
    (
        [(20, "sinh-hoat"), (12, "chuyen-de"), (18, "phoi-hop")],
        [plan(1, "2020-11-01", "2020-11-10", kind="phoi-hop")],
        4,
        "60 days, but sinh-hoat 20 + 0 of 24: the kinds are 4 short",
    ),
    (
        [(20, "sinh-hoat"), (12, "chuyen-de"), (18, "phoi-hop")],
        [
            plan(1, "2020-11-01", "2020-11-10", kind="phoi-hop"),
            plan(2, "2020-12-01", "2020-12-31", days=4, kind="sinh-hoat"),
        ],
        0,
        "sinh-hoat 20 + 4 (month plan) = 24; total 50 + 10 + 4 = 64",
    ),
    (
        [(24, "sinh-hoat"), (12, "chuyen-de"), (14, "phoi-hop")],
        [plan(1, "2020-11-01", "2020-11-10", state=PLAN_SUBMITTED)],
        10,
        "a submitted plan is not counted: 50 of 60",
    ),
    (
        [(24, "sinh-hoat"), (12, "chuyen-de"), (14, "phoi-hop")],
        [plan(1, "2020-11-01", "2020-11-10"), plan(2, "2020-11-05", "2020-11-14")],
        0,
        "1..14 November once: 14 planned, 64",
    ),
]


@pytest.mark.parametrize(("recorded", "plans", "short", "why"), OUTLOOKS, ids=[o[3] for o in OUTLOOKS])
def test_record_and_plan_against_every_minimum(recorded, plans, short: int, why: str) -> None:
    visits: list[VisitFacts] = []
    first = D("2020-03-02")
    for days, kind in recorded:
        made = visits_of(days, kind, first.isoformat())
        visits += [VisitFacts(len(visits) + i, "A", v.start, v.end, v.kind) for i, v in enumerate(made)]
        first = made[-1].start + timedelta(days=2)
    assert first <= D("2020-10-01"), "the record fits before the as-of date"
    as_of = D("2020-10-01")
    ev = evaluate(POLICY, [CADRE], visits, [], as_of)
    o = outlook(ev.cadres[0], plans, POLICY, as_of)
    assert o is not None
    assert o.recorded == sum(d for d, _k in recorded)
    assert o.short_days == short
    assert o.enough is (short == 0)


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(0, 20), st.sampled_from(["phoi-hop", "sinh-hoat", "chuyen-de"])),
        max_size=8,
    ),
    st.integers(0, 305),
)
def test_planned_days_never_exceed_the_days_left_nor_their_sum(spans, offset: int) -> None:
    """Dated plans: the total is at most the window's days after the as-of date and at most the
    sum of each plan's days ahead; each kind at most the total."""
    as_of = POLICY.window_start + timedelta(days=offset)
    plans = [
        plan(
            i,
            (POLICY.window_start + timedelta(days=a)).isoformat(),
            (POLICY.window_start + timedelta(days=a + n)).isoformat(),
            kind=k,
        )
        for i, (a, n, k) in enumerate(spans)
    ]
    got = planned(plans, POLICY, as_of)
    left = max(0, (POLICY.window_end - as_of).days)
    assert got.total <= left
    assert got.total <= sum(planned_days(p, POLICY, as_of) for p in plans)
    assert all(n <= got.total for n in got.by_kind.values())
    assert sum(got.by_kind.values()) >= got.total


@given(
    st.integers(0, 300),
    st.integers(0, 20),
    st.one_of(st.none(), st.integers(0, 40)),
    st.integers(0, 400),
    st.integers(0, 60),
)
def test_done_and_missed_once_decided_stay_decided(start: int, length: int, fulfilled, day: int, later: int) -> None:
    """As the as-of date moves on, an approved plan goes approved → done or approved → missed, never back."""
    first = POLICY.window_start + timedelta(days=start)
    p = plan(
        1,
        first.isoformat(),
        (first + timedelta(days=length)).isoformat(),
        fulfilled=None if fulfilled is None else (first + timedelta(days=fulfilled)).isoformat(),
    )
    as_of = POLICY.window_start + timedelta(days=day)
    now, then = (plan_state(p, d, POLICY.report_due_days) for d in (as_of, as_of + timedelta(days=later)))
    if now in (PLAN_DONE, PLAN_MISSED) and not (now == PLAN_MISSED and fulfilled is not None):
        assert then == now
    assert now in (PLAN_APPROVED, PLAN_DONE, PLAN_MISSED)
    if fulfilled is None:
        assert now != PLAN_DONE
        # missed exactly from the day after last day + report window
        assert (now == PLAN_MISSED) == (as_of > p.end + timedelta(days=POLICY.report_due_days))
