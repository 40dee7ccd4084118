"""The plan listings read in plain SQL in organisation mode: each login (a cadre's, the administrator's,
the owner's) lists through ``plan list`` and ``calendar --unit`` what the ORM listed for that same
login (row-level security lets a cadre read every plan and write only its own), with the scenario
of tests/test_plans_pg.py (plans in the states draft, submitted and approved, of two cadres).
"""

from __future__ import annotations

import json
from datetime import date

from test_org import Org, ok
from test_plan_reads import in_utc, orm_list_plans, orm_unit_plans
from test_plans_pg import org, template  # noqa: F401 (fixtures)

from congtac12.store.location import PgUrl

WHO = ("an", "binh", "adm", "owner")


def test_every_login_lists_what_the_orm_listed_for_it(org: Org) -> None:  # noqa: F811
    from congtac12.render.plans import plans_dict
    from congtac12.services.plans import list_plans, unit_plans

    as_of = date(2020, 11, 13)
    for who in WHO:
        target = PgUrl(org.url(who))
        for asked in ({}, {"cadre": "C02"}, {"unit": "ba dinh", "month": "11/2020"}, {"state": "submitted"}):
            sql, orm = list_plans(target, as_of=as_of, **asked), orm_list_plans(target, as_of=as_of, **asked)
            assert in_utc(sql) == in_utc(orm), (who, asked)
        sql, orm = (
            f(target, unit="Ba Đình", first=date(2020, 1, 1), last=date(2020, 12, 31), as_of=as_of)
            for f in (unit_plans, orm_unit_plans)
        )
        assert (in_utc(sql[0]), sql[1]) == (in_utc(orm[0]), orm[1]), who
        # and through the command, as that login: every plan, in its state as of the day
        listed = json.loads(ok(org.run(who, "plan", "list", "--json", "--as-of", "13/11/2020")).stdout)
        assert listed == plans_dict(list_plans(target, as_of=as_of))
        assert [(p["id"], p["state"]) for p in listed["plans"]] == [
            (1, "draft"),
            (3, "submitted"),
            (4, "approved"),
            (2, "submitted"),
        ]
        run = ok(org.run(who, "calendar", "--unit", "Ba Đình", "--year", "2020"))
        assert "C02 Trần Thị Bình" in run.stdout and "C01 Nguyễn Văn An" not in run.stdout  # C01's plan there: a draft
