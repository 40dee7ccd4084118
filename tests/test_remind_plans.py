"""`congtac12 remind` and plans (đăng ký): an approved trip that starts within --ahead days, a
missed one (its last day and the report window passed with no visit), and the plans awaiting
approval. Counted by hand: the Hanoi window is 10 days (a plan is missed on its last day + 11).

The pure rule (``domain.plans.plan_reminder``) on a table of cases around both boundaries, then
the command on both backends: the terminal, --json, Vietnamese.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli_core import BTC, VP, add_cadre, add_visit, js, ok

from congtac12.domain.facts import PlanFacts
from congtac12.domain.plans import plan_reminder, plan_reminders, plan_state

D = date


FIRST, LAST = D(2020, 11, 16), D(2020, 11, 17)


def plan(state: str = "approved", start: date = FIRST, end: date = LAST, **kw) -> PlanFacts:
    return PlanFacts(
        kw.pop("id", 1), kw.pop("cadre", "C01"), "Ba Đình", "quan-huyen", start, end, "sinh-hoat", state, **kw
    )


# (plan, as of, ahead) -> (state, days) or None; a trip 16/11-17/11/2020 unless said.
CASES = [
    (plan(), D(2020, 11, 12), 3, None),  # starts in 4 > 3
    (plan(), D(2020, 11, 13), 3, ("starts_soon", 3)),  # 16 - 13
    (plan(), D(2020, 11, 13), 2, None),
    (plan(), D(2020, 11, 15), 3, ("starts_soon", 1)),
    (plan(), D(2020, 11, 16), 0, ("starts_soon", 0)),  # starts today
    (plan(), D(2020, 11, 17), 3, None),  # under way
    (plan(), D(2020, 11, 18), 3, None),  # over, the visit may still be recorded
    (plan(), D(2020, 11, 27), 3, None),  # 17 + 10: the window's last day
    (plan(), D(2020, 11, 28), 3, ("missed", 11)),  # 28 - 17
    (plan(), D(2020, 12, 31), 3, ("missed", 44)),  # 13 left in November + 31
    (plan("submitted"), D(2020, 11, 14), 3, None),  # not approved: no trip to remind of
    (plan("draft"), D(2020, 12, 31), 3, None),  # never a commitment: never missed
    (plan("returned"), D(2020, 12, 31), 3, None),
    # a visit that began on 17/11, recorded whenever: done, neither reminder
    (plan(fulfilled_on=D(2020, 11, 17), visit_id=9), D(2020, 11, 28), 3, None),
    # a visit recorded late that began after the trip's days but by the as-of date: done too
    (plan(fulfilled_on=D(2020, 11, 25), visit_id=9), D(2020, 12, 1), 3, None),
    # a linked visit that begins after the as-of date does not fulfil it yet
    (plan(fulfilled_on=D(2020, 11, 29), visit_id=9), D(2020, 11, 28), 3, ("missed", 11)),
    # a month plan: from the 1st of its month
    (plan(start=D(2020, 12, 1), end=D(2020, 12, 31), days=3), D(2020, 11, 27), 3, None),  # 4 days
    (plan(start=D(2020, 12, 1), end=D(2020, 12, 31), days=3), D(2020, 11, 28), 3, ("starts_soon", 3)),
    (plan(start=D(2020, 12, 1), end=D(2020, 12, 31), days=3), D(2020, 12, 2), 3, None),  # its month under way
    (plan(start=D(2020, 12, 1), end=D(2020, 12, 31), days=3), D(2021, 1, 11), 3, ("missed", 11)),
]


@pytest.mark.parametrize(("p", "as_of", "ahead", "expected"), CASES)
def test_plan_reminder_cases(p: PlanFacts, as_of: date, ahead: int, expected) -> None:
    found = plan_reminder(p, as_of, ahead, 10)
    assert (None if found is None else (found.state, found.days)) == expected


def test_another_report_window_moves_the_missed_day() -> None:
    assert plan_reminder(plan(), D(2020, 11, 22), 3, 5) is None  # 17 + 5 = 22: the window's last day
    found = plan_reminder(plan(), D(2020, 11, 22), 3, 4)
    assert found is not None and (found.state, found.days) == ("missed", 5)


def test_the_order_is_by_cadre_missed_first_then_first_day() -> None:
    plans = [
        plan(id=1, cadre="C02"),
        plan(id=2, cadre="C01", start=D(2020, 11, 15), end=D(2020, 11, 15)),
        plan(id=3, cadre="C01", start=D(2020, 10, 1), end=D(2020, 10, 2)),
        plan(id=4, cadre="C01"),
    ]
    found = plan_reminders(plans, D(2020, 11, 13), 3, lambda p: 10)
    assert [(m.plan_id, m.state, m.days) for m in found] == [
        (3, "missed", 42),  # 2/10 -> 2/11 = 31, + 11
        (2, "starts_soon", 2),
        (4, "starts_soon", 3),
        (1, "starts_soon", 3),
    ]


# --- the command ------------------------------------------------------------------


def build_plans(cli) -> None:
    """Three cadres and seven plans (ids in order), one visit:

    1  C01 Ba Đình   16/11-17/11  approved                 as of 13/11 ahead 3: starts in 3
    2  C02 Gia Lâm   01/10-02/10  approved, no visit       missed since 13/10; as of 13/11: 42 days after
    3  C02 Sơn Tây   05/10        approved, visit 05/10    done (the visit recorded a month late)
    4  C03 Đông Anh  3 days in 12/2020, approved           as of 28/11 ahead 3: starts in 3 (1/12)
    5  C01 Ba Vì     20/11        submitted                awaiting approval
    6  C03 Hà Đông   14/11        draft                    nothing
    7  C01 Sóc Sơn   15/11        returned                 nothing
    """
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC, "--email", "an.nv@example.vn")
    add_cadre(cli, "C02", "Đặng Thị Đào", VP, "--email", "dao.dt@example.vn")
    add_cadre(cli, "C03", "Lê Văn Kế", VP)
    for args in (
        ("C01", "Ba Đình", "--from", "16/11/2020", "--to", "17/11/2020", "--kind", "sinh-hoat"),
        ("C02", "Gia Lâm", "--from", "01/10/2020", "--to", "02/10/2020", "--kind", "phoi-hop"),
        ("C02", "Sơn Tây", "--from", "05/10/2020", "--kind", "kiem-tra"),
        ("C03", "Đông Anh", "--month", "12/2020", "--days", "3", "--kind", "chuyen-de"),
        ("C01", "Ba Vì", "--from", "20/11/2020", "--kind", "kiem-tra"),
        ("C03", "Hà Đông", "--from", "14/11/2020", "--kind", "phoi-hop"),
        ("C01", "Sóc Sơn", "--from", "15/11/2020", "--kind", "phoi-hop"),
    ):
        ok(cli("plan", "add", "--cadre", args[0], "--unit", args[1], *args[2:]))
    ok(cli("plan", "submit", "1", "2", "3", "4", "5", "7"))
    ok(cli("plan", "approve", "1", "2", "3", "4", "--by", "Văn phòng"))
    ok(cli("plan", "return", "7", "--reason", "Trùng lịch"))
    add_visit(cli, "C02", "Sơn Tây", "05/10/2020", "05/10/2020", "kiem-tra")  # linked to plan 3


@pytest.fixture
def planned(built):
    return built(build_plans)


def reminded(cli, as_of: str, ahead: int = 3) -> list[tuple[int, str, int]]:
    doc = js(cli("remind", "--as-of", as_of, "--ahead", str(ahead), "--json"))
    return [(r["plan_id"], r["state"], r["days"]) for r in doc["plans"]["reminders"]]


# as of, ahead -> the plans reminded of, counted by hand from build_plans' table
COMMAND_CASES = [
    ("12/10/2020", 3, []),  # plan 2: 02/10 + 10 is today, not missed yet
    ("13/10/2020", 3, [(2, "missed", 11)]),
    ("12/11/2020", 3, [(2, "missed", 41)]),  # plan 1 starts in 4
    ("13/11/2020", 3, [(1, "starts_soon", 3), (2, "missed", 42)]),
    ("16/11/2020", 0, [(1, "starts_soon", 0), (2, "missed", 45)]),
    ("17/11/2020", 3, [(2, "missed", 46)]),  # plan 1 under way
    ("27/11/2020", 3, [(2, "missed", 56)]),  # plan 1: 17/11 + 10, not missed yet; plan 4 in 4 days
    ("28/11/2020", 3, [(1, "missed", 11), (2, "missed", 57), (4, "starts_soon", 3)]),
]


@pytest.mark.both_backends
@pytest.mark.parametrize(("as_of", "ahead", "expected"), COMMAND_CASES)
def test_remind_plan_cases(planned, as_of, ahead, expected) -> None:
    assert sorted(reminded(planned, as_of, ahead)) == expected


EXPECTED_TEXT = (
    # the visit of plan 3 (05/10, due 15/10) has no report: the reports come first, as ever
    "Result reports owed as of 2020-11-13: 1 overdue, 0 due within 3 days.\n"
    "\n"
    "C02 Đặng Thị Đào <dao.dt@example.vn>\n"
    "  visit 1: Thị đoàn Sơn Tây, ended 2020-10-05; report due 2020-10-15: overdue by 29 days\n"
    "\n"
    "Planned trips as of 2020-11-13: 1 missed, 1 starting within 3 days.\n"
    "\n"
    "C01 Nguyễn Văn An <an.nv@example.vn>\n"
    "  plan 1: Quận đoàn Ba Đình, 2020-11-16 – 2020-11-17 (Meetings): starts in 3 days\n"
    "\n"
    "C02 Đặng Thị Đào <dao.dt@example.vn>\n"
    "  plan 2: Huyện đoàn Gia Lâm, 2020-10-01 – 2020-10-02 (Co-organising): missed: no visit recorded, last day 42 days ago\n"
    "\n"
    "Plans awaiting approval: 1.\n"
    "  plan 5: C01 Nguyễn Văn An (Ban Tổ chức – Kiểm tra) at Huyện đoàn Ba Vì, 2020-11-20 (Inspection)\n"
)


@pytest.mark.both_backends
def test_the_terminal_lists_plans_by_cadre_then_those_awaiting_approval(planned) -> None:
    assert ok(planned("remind", "--as-of", "13/11/2020")) == EXPECTED_TEXT


@pytest.mark.both_backends
def test_in_vietnamese(planned) -> None:
    out = ok(planned("--lang", "vi", "remind", "--as-of", "13/11/2020"))
    assert out.splitlines()[5] == "Chuyến đi đã đăng ký tính đến 13/11/2020: 1 bỏ lỡ, 1 sắp bắt đầu trong 3 ngày."
    assert "  đăng ký 1: Quận đoàn Ba Đình, 16/11/2020 – 17/11/2020 (Sinh hoạt): bắt đầu sau 3 ngày" in out
    assert "bỏ lỡ: chưa ghi chuyến đi nào, ngày cuối đã qua 42 ngày" in out
    assert "Đăng ký chờ duyệt: 1." in out


@pytest.mark.both_backends
def test_json(planned) -> None:
    doc = js(planned("remind", "--as-of", "28/11/2020", "--json"))
    assert [(i["visit_id"], i["state"], i["days"]) for i in doc["items"]] == [(1, "overdue", 44)]  # 15/10 -> 28/11
    assert doc["plans"] == {
        "reminders": [
            {
                "plan_id": 1,
                "cadre": "C01",
                "name": "Nguyễn Văn An",
                "email": "an.nv@example.vn",
                "department": BTC,
                "unit": "Quận đoàn Ba Đình",
                "start": "2020-11-16",
                "end": "2020-11-17",
                "month": None,
                "planned_days": 2,
                "kind": "sinh-hoat",
                "state": "missed",
                "days": 11,
            },
            {
                "plan_id": 2,
                "cadre": "C02",
                "name": "Đặng Thị Đào",
                "email": "dao.dt@example.vn",
                "department": VP,
                "unit": "Huyện đoàn Gia Lâm",
                "start": "2020-10-01",
                "end": "2020-10-02",
                "month": None,
                "planned_days": 2,
                "kind": "phoi-hop",
                "state": "missed",
                "days": 57,
            },
            {
                "plan_id": 4,
                "cadre": "C03",
                "name": "Lê Văn Kế",
                "email": None,
                "department": VP,
                "unit": "Huyện đoàn Đông Anh",
                "start": "2020-12-01",
                "end": "2020-12-31",
                "month": "2020-12",
                "planned_days": 3,
                "kind": "chuyen-de",
                "state": "starts_soon",
                "days": 3,
            },
        ],
        "awaiting_approval": [
            {
                "plan_id": 5,
                "cadre": "C01",
                "name": "Nguyễn Văn An",
                "email": "an.nv@example.vn",
                "department": BTC,
                "unit": "Huyện đoàn Ba Vì",
                "start": "2020-11-20",
                "end": "2020-11-20",
                "month": None,
                "planned_days": 1,
                "kind": "kiem-tra",
            }
        ],
    }


@pytest.mark.both_backends
def test_approving_clears_the_awaiting_list_and_a_late_visit_clears_a_missed_plan(planned) -> None:
    ok(planned("plan", "approve", "5"))
    # the visit of plan 2, recorded on 13/11 for its days in October: it fulfils it (linked), so
    # the missed plan is done; its report is owed now, as for any visit
    add_visit(planned, "C02", "Gia Lâm", "01/10/2020", "02/10/2020", "phoi-hop")
    doc = js(planned("remind", "--as-of", "13/11/2020", "--json"))
    assert [(r["plan_id"], r["state"]) for r in doc["plans"]["reminders"]] == [(1, "starts_soon")]
    assert doc["plans"]["awaiting_approval"] == []
    assert [(i["visit_id"], i["state"]) for i in doc["items"]] == [(2, "overdue"), (1, "overdue")]


# --- properties ----------------------------------------------------------------------------


@st.composite
def plans_and_days(draw):  # noqa: ANN001, ANN201
    start = draw(st.dates(D(2020, 1, 1), D(2020, 12, 31)))
    end = start + timedelta(days=draw(st.integers(0, 20)))
    state = draw(st.sampled_from(["draft", "submitted", "approved", "returned"]))
    done = draw(st.none() | st.dates(D(2019, 12, 1), D(2021, 2, 1)))
    p = PlanFacts(1, "C01", "Ba Đình", None, start, end, "sinh-hoat", state, None, None, done, 9 if done else None)
    as_of = draw(st.dates(D(2019, 12, 1), D(2021, 2, 1)))
    return p, as_of, draw(st.integers(0, 30)), draw(st.integers(0, 30))


@given(plans_and_days())
def test_plan_reminders_follow_the_plan_state(case) -> None:
    """Missed exactly when the plan's state is missed; starting soon only for an approved plan, its
    first day 0..ahead days away; a larger --ahead never reminds of less."""
    p, as_of, ahead, window = case
    found = plan_reminder(p, as_of, ahead, window)
    state = plan_state(p, as_of, window)
    assert (found is not None and found.state == "missed") == (state == "missed")
    if found is not None and found.state == "missed":
        assert found.days == (as_of - p.end).days > window
    if found is not None and found.state == "starts_soon":
        assert state == "approved" and 0 <= (p.start - as_of).days == found.days <= ahead
    wider = plan_reminder(p, as_of, ahead + 1, window)
    assert found is None or wider == found


@pytest.mark.both_backends
def test_the_orm_twin_reads_the_same_plans(planned, db) -> None:
    """``store.plans.plans_to_remind`` (the ORM's connection) and ``store.read.plans.plans_to_remind``
    (the driver alone) read the same plans and people (tests/test_read_outputs swaps one for the other)."""
    from congtac12.store import plans
    from congtac12.store.engine import session
    from congtac12.store.read import plans as read_plans
    from congtac12.store.read.connect import reading

    with reading(db) as r:
        by_sql = read_plans.plans_to_remind(r, first=D(2020, 10, 2))
    with session(db, create=False) as s:
        by_orm = plans.plans_to_remind(s, first=D(2020, 10, 2))
    assert by_sql == by_orm and [p.facts.id for p in by_sql] == [2, 3, 6, 7, 1, 5, 4]  # by first day; 2 ends 02/10
    found = {p.facts.id: p for p in by_sql}
    assert found[3].facts.fulfilled_on == D(2020, 10, 5) and found[4].facts.days == 3
