"""A visit and a plan name their cadre and unit the same way (``store.guards.trip_cadre_and_unit``):
the same refusals, in the same words and the same order, on SQLite and, with a cadre's login, on
PostgreSQL; nothing is written."""

from __future__ import annotations

import pytest
from conftest import dump_database
from pg_server import PgServer
from support import succeeded as ok
from test_org import Org, build, org_copy, org_template, refused

DAYS = ("--from", "02/03/2020", "--to", "03/03/2020", "--kind", "sinh-hoat")


def _both(run, cadre: str, unit: str) -> tuple[str, str]:
    """The one error line of add-visit and of plan add for the same trip."""
    lines = []
    for command in (("add-visit",), ("plan", "add")):
        r = run(*command, "--cadre", cadre, "--unit", unit, *DAYS)
        assert r.code == 1 and r.crash is None and r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, r
        lines.append(r.stderr.strip())
    return lines[0], lines[1]


def _record(cli) -> None:  # noqa: ANN001 - conftest's Cli
    ok(cli("init"))
    for code, name in (("C01", "Nguyễn Văn An"), ("C02", "Đặng Thị Hương")):
        ok(cli("cadre", "add", "--code", code, "--name", name, "--dept", "Ban Tổ chức", "--joined", "01/01/2020"))
    ok(cli("cadre", "delete", "C02"))


@pytest.mark.parametrize(
    ("cadre", "unit", "visit_says", "plan_says"),
    [
        ("C09", "Ba Đình", "no cadre matches 'C09'", "no cadre matches 'C09'"),
        ("Lê Văn Tám", "Ba Đình", "no cadre matches 'Lê Văn Tám'", "no cadre matches 'Lê Văn Tám'"),
        ("C01", "Quận đoàn Đâu Đó", "no unit matches 'Quận đoàn Đâu Đó'", "no unit matches 'Quận đoàn Đâu Đó'"),
        ("C09", "Quận đoàn Đâu Đó", "no cadre matches 'C09'", "no cadre matches 'C09'"),  # the cadre first
        ("C02", "Quận đoàn Đâu Đó", "no unit matches", "no unit matches"),  # the unit before deactivation
        (
            "dang thi huong",
            "Ba Đình",
            "cadre C02 Đặng Thị Hương is deactivated; cannot record visits",
            "cadre C02 Đặng Thị Hương is deactivated; cannot register trips",
        ),
    ],
)
def test_a_visit_and_a_plan_refuse_the_same_cadre_and_unit(
    built, db, cadre, unit, visit_says, plan_says, monkeypatch
) -> None:
    monkeypatch.setenv("CONGTAC12_LANG", "en")
    cli = built(_record)
    before = dump_database(db)
    visit_line, plan_line = _both(cli, cadre, unit)
    assert visit_says in visit_line and plan_says in plan_line
    assert visit_line.replace("record visits", "register trips") == plan_line
    assert dump_database(db) == before


# --- organisation mode: a cadre's login ------------------------------------------------------------


@pytest.fixture(scope="module")
def template(pg: PgServer):
    yield from org_template(pg, build)


@pytest.fixture
def org(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    return org_copy(pg, template, monkeypatch, request)


def test_a_cadre_login_naming_another_cadre_is_refused_for_that_first(org: Org) -> None:
    """AN (C01's login) names C02 at a unit that is not recorded: both say it is C02's record,
    before looking the unit up (a plan used to look the unit up first and say only that)."""
    before = org.dump()
    for command, record in ((("add-visit",), "the new visit"), (("plan", "add"), "the new plan")):
        run = org.run("an", *command, "--cadre", "C02", "--unit", "Quận đoàn Đâu Đó", *DAYS)
        refused(run, f"{record} is C02's", "only C01's records")
        run = org.run("an", *command, "--cadre", "C01", "--unit", "Quận đoàn Đâu Đó", *DAYS)
        refused(run, "no unit matches 'Quận đoàn Đâu Đó'")
    assert org.dump() == before
