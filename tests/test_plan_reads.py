"""The plan listings in plain SQL (``store.read.plans.plan_rows``, read by ``plan list``, ``calendar
--unit``, ``/plans`` and ``/api/plans``) give what the ORM gave: on random plans (dated and month
plans, every recorded state, some fulfilled by a visit, some by a deleted one), on SQLite and on
PostgreSQL. The ORM twins below are ``services.plans.list_plans``/``unit_plans`` as they read before
(a session, ``queries.find_cadre``/``find_unit`` and ``store.plans.plan_rows``); nothing in the
product calls them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_read_sql import KINDS, blank, day, record_st, write  # noqa: F401 (blank: a fixture)

pytestmark = pytest.mark.both_backends

month_plan_st = st.fixed_dictionaries(
    {
        "cadre": st.integers(min_value=0, max_value=5),
        "unit": st.integers(min_value=0, max_value=40),
        "month": st.integers(min_value=0, max_value=25),  # months after 11/2019
        "days": st.integers(min_value=1, max_value=28),
        "kind": st.sampled_from(KINDS),
        "state": st.sampled_from(("draft", "submitted", "approved", "returned")),
        "topic": st.one_of(st.none(), st.just("Sinh hoạt chuyên đề")),
    }
)
plans_record_st = st.tuples(record_st, st.lists(month_plan_st, max_size=4))
AS_OF = [date(2020, 3, 1), date(2020, 11, 13), date(2021, 6, 30)]
LISTINGS: list[dict[str, Any]] = [
    {},
    {"cadre": "C00"},
    {"cadre": "c01", "state": "approved"},
    {"unit": "Ba Đình"},
    {"unit": "gia lam", "month": "11/2020"},
    {"dept": "ban to chuc"},
    {"dept": "văn phòng", "quarter": "2/2020"},
    {"month": "03/2020", "state": "đã duyệt"},
    {"quarter": "4/2020", "state": "missed"},
    {"state": "done"},
    {"cadre": "nguyen van"},  # two cadres answer: the same refusal both ways
    {"unit": "Nơi Không Có"},
]


def write_month_plans(target: Any, plans: list[dict]) -> None:
    from congtac12.store import queries
    from congtac12.store.engine import session
    from congtac12.store.models import Plan

    with session(target, write=True) as s:
        cadres, units = queries.cadres(s, deactivated=True), queries.units(s)
        for p in plans:
            y, m = divmod(10 + p["month"], 12)  # month 0: 11/2019
            first = date(2019 + y, m + 1, 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            decided = p["state"] in ("approved", "returned")
            s.add(
                Plan(
                    cadre_id=cadres[p["cadre"] % len(cadres)].id,
                    unit_id=units[p["unit"] % len(units)].id,
                    start=first,
                    end=last,
                    days=p["days"],
                    kind=p["kind"],
                    topic=p["topic"],
                    state=p["state"],
                    decided_by="Văn phòng" if decided else None,
                    reason="Trùng lịch" if p["state"] == "returned" else None,
                )
            )


def orm_list_plans(target: Any, *, as_of: date, **asked: Any) -> Any:
    """``services.plans.list_plans`` as it read through the ORM."""
    from congtac12.collation import sort_key
    from congtac12.domain.plans import plan_state
    from congtac12.errors import InvalidInput
    from congtac12.i18n import _
    from congtac12.services.plans import Listing, _dept_matches, parse_month, parse_quarter, parse_state, report_windows
    from congtac12.store import plans, queries
    from congtac12.store.engine import session

    month, quarter, state = asked.get("month"), asked.get("quarter"), asked.get("state")
    if month is not None and quarter is not None:
        raise InvalidInput(_("give --month or --quarter, not both"))
    first, last = parse_month(month) if month else parse_quarter(quarter) if quarter else (None, None)
    wanted = parse_state(state) if state is not None else None
    with session(target) as s:
        cadre_id = queries.find_cadre(s, asked["cadre"]).id if asked.get("cadre") is not None else None
        unit_id = queries.find_unit(s, asked["unit"]).id if asked.get("unit") is not None else None
        rows = plans.plan_rows(s, cadre_id=cadre_id, unit_id=unit_id, first=first, last=last)
        if asked.get("dept") is not None:
            rows = [r for r in rows if _dept_matches(asked["dept"], r.department)]
        windows = report_windows(s, {r.facts.end.year for r in rows})
    found = [(r, plan_state(r.facts, as_of, windows[r.facts.end.year])) for r in rows]
    if wanted is not None:
        found = [(r, st) for r, st in found if st == wanted]
    found.sort(key=lambda x: (x[0].facts.start, sort_key(x[0].department), sort_key(x[0].cadre_name), x[0].id))
    return Listing(as_of, found, first, last)


def orm_unit_plans(target: Any, *, unit: str, first: date, last: date, as_of: date) -> Any:
    """``services.plans.unit_plans`` as it read through the ORM."""
    from congtac12.domain.states import PLAN_DRAFT, PLAN_RETURNED
    from congtac12.services.plans import Listing
    from congtac12.store import queries
    from congtac12.store.engine import session

    with session(target) as s:
        name = queries.find_unit(s, unit).name
    listing = orm_list_plans(target, as_of=as_of, unit=name)
    rows = [
        (r, st)
        for r, st in listing.rows
        if st not in (PLAN_DRAFT, PLAN_RETURNED) and r.facts.start <= last and r.facts.end >= first
    ]
    return Listing(as_of, rows, first, last), name


def in_utc(listing: Any) -> Any:
    """A listing with its moments in UTC: the ORM hands them back as stored (SQLite: without an
    offset), the SQL read in UTC (``Reader.moment``); no output shows them."""
    from congtac12.store.rows import utc

    def moved(row: Any) -> Any:
        return replace(row, decided_at=row.decided_at and utc(row.decided_at), created_at=utc(row.created_at))

    return replace(listing, rows=[(moved(r), st) for r, st in listing.rows])


def outcome(read: Any) -> Any:
    """What a read returned, or the error's class and message."""
    from congtac12.errors import CongtacError

    try:
        return read()
    except CongtacError as exc:
        return (type(exc).__name__, exc.message)


def same_listings(target: Any) -> int:
    """Every listing and unit view equals its ORM twin (rows, states, order, JSON); how many plans were listed."""
    from congtac12.render.plans import plans_dict
    from congtac12.services.plans import list_plans, unit_plans

    listed = 0
    for as_of in AS_OF:
        for asked in LISTINGS:
            sql = outcome(lambda: list_plans(target, as_of=as_of, **asked))  # noqa: B023
            orm = outcome(lambda: orm_list_plans(target, as_of=as_of, **asked))  # noqa: B023
            if isinstance(sql, tuple):
                assert sql == orm, asked
                continue
            assert in_utc(sql) == in_utc(orm), asked
            assert plans_dict(sql) == plans_dict(orm)
            listed += len(sql.rows)
        for unit in ("Ba Đình", "Đoàn xã Đông Dư", "Nơi Không Có"):
            args = {"unit": unit, "first": date(2020, 1, 1), "last": date(2020, 12, 31), "as_of": as_of}
            sql, orm = outcome(lambda: unit_plans(target, **args)), outcome(lambda: orm_unit_plans(target, **args))  # noqa: B023
            if isinstance(sql[0], str):  # refused: the same error
                assert sql == orm, unit
            else:
                assert (in_utc(sql[0]), sql[1]) == (in_utc(orm[0]), orm[1]), unit
                listed += len(sql[0].rows)
    return listed


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=plans_record_st)
def test_the_sql_plan_listings_are_the_orms(blank, record: tuple[dict, list[dict]]) -> None:  # noqa: F811
    target = blank()
    write(target, record[0])
    write_month_plans(target, record[1])
    same_listings(target)


def test_the_comparison_sees_plans_and_a_difference(blank) -> None:  # noqa: F811
    # Not two empty answers: plans in every state are listed alike, and a plan changed behind the
    # SQL read's back (its unit's name in the listing) is caught.
    from congtac12.services.plans import list_plans
    from congtac12.store import plans
    from congtac12.store.engine import session

    target = blank()
    cadre = {"name": "Nguyễn Văn An", "department": "Văn phòng", "email": None, "subject": True, "joined": None,
             "served": None, "deactivated": False, "leave": []}  # fmt: skip
    trips = [{"cadre": 0, "unit": 0, "start": 380, "length": 1, "kind": "kiem-tra", "report": None,
              "deleted": False, "reminded": False}]  # fmt: skip
    dated = [{"cadre": 0, "unit": u, "start": 380, "length": 2, "kind": "phoi-hop", "state": s, "link": True}
             for u, s in enumerate(("approved", "draft", "submitted", "returned", "approved"))]  # fmt: skip
    month = {"cadre": 0, "unit": 7, "month": 12, "days": 3, "kind": "sinh-hoat", "state": "approved", "topic": None}
    write(target, {"cadres": [cadre], "visits": trips, "plans": dated, "policy": None})
    write_month_plans(target, [month])
    assert same_listings(target) > 20
    listing = list_plans(target, as_of=date(2021, 6, 30))
    assert {st for _r, st in listing.rows} == {"done", "draft", "submitted", "returned", "missed"}
    assert any(r.facts.days == 3 for r, _st in listing.rows)

    # a plan changed after the ORM's listing: the SQL listing differs from it
    before = orm_list_plans(target, as_of=date(2021, 6, 30))
    assert in_utc(listing) == in_utc(before)
    with session(target, write=True) as s:
        plan = plans.get_plan(s, listing.rows[0][0].id)
        plan.topic = "Đổi chủ đề"
        s.add(plan)
    assert in_utc(list_plans(target, as_of=date(2021, 6, 30))) != in_utc(before)


def orm_visit_report(target: Any, visit_id: int) -> Any:
    """``services.reports.visit_report`` as it read through the ORM."""
    from congtac12.dates import show
    from congtac12.domain.owed import verdict
    from congtac12.errors import NotFound
    from congtac12.i18n import _
    from congtac12.services.policy import default_policy
    from congtac12.services.reports import VisitReport, owes_report
    from congtac12.store import queries
    from congtac12.store.engine import session

    with session(target) as s:
        rows = queries.visit_rows(s, visit_id=visit_id)
        if not rows:
            raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
        rep = queries.report_of(s, visit_id)
        policy = default_policy(s, rows[0].start)
        owes = owes_report(s, visit_id)
    row = rows[0]
    if rep is None and not owes:
        raise NotFound(
            _("visit {id} has no report, and owes none: it counts no day (see 'congtac12 visits')").format(id=visit_id)
        )
    if rep is None:
        raise NotFound(
            _("visit {id} has no report yet (due {due}); write it with 'congtac12 report {id}'").format(
                id=visit_id, due=show(policy.report_due(row.end))
            )
        )
    return VisitReport(row, rep.text, rep.reported_on, verdict(policy, row.end, rep.reported_on) if owes else None)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=record_st)
def test_a_visits_report_in_sql_is_the_orms(blank, record: dict) -> None:  # noqa: F811
    # report show and /api/visits/{id}/report: the visit, its report, its verdict, or the same refusal
    # (no visit, a deleted one, no report yet, none owed: outside the window, service or on leave)
    from congtac12.services.reports import visit_report

    target = blank()
    write(target, record)
    for vid in range(len(record["visits"]) + 2):
        assert outcome(lambda: visit_report(target, vid)) == outcome(lambda: orm_visit_report(target, vid)), vid  # noqa: B023
