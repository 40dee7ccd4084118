"""Nothing changes for the user: every read command prints, byte for byte, what it printed when
it read through the ORM.

Each command is run twice in-process on the same database: as it is (plain SQL, ``store.read``)
and with every function of ``store.read`` replaced by its twin in ``store.queries`` on an ORM
session (what the commands read before the SQL path); exit code, stdout and stderr must be equal.
The databases: the demo; the demo with service periods, leave, an exempt and a deactivated cadre,
deleted visits and a stored default policy; and the benchmark's synthetic database (SQLite).
Also the one-line errors: a missing database, an older schema (upgraded first, with the same
notice) and a newer one (refused).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import invoke
from support import new_pg_database, refused_as_missing, refused_as_newer, synthetic_database, upgraded_first

from congtac12.store.location import PgUrl

pytestmark = pytest.mark.both_backends
AS_OF = ("--as-of", "13/11/2020")

READS: list[tuple[str, ...]] = [
    ("status", *AS_OF),
    ("status", *AS_OF, "--json"),
    ("status", *AS_OF, "--year", "2019", "--json"),
    ("status", *AS_OF, "--policy", "quang-tri-2020"),
    ("status", "--as-of", "20/02/2021", "--json"),
    ("status", "--cadre", "nguyen", *AS_OF),
    ("status", "--cadre", "nobody at all", *AS_OF),
    ("remind", *AS_OF, "--json"),
    ("remind", *AS_OF, "--ahead", "30"),
    ("remind", "--as-of", "10/01/2021", "--json"),
    ("reports", *AS_OF),
    ("reports", *AS_OF, "--state", "overdue", "--json"),
    ("visits",),
    ("visits", "--json", "--from", "01/09/2020", "--to", "31/10/2020"),
    ("visits", "--deleted", "--json"),
    ("summary", "--month", "2020-10", *AS_OF),
    ("summary", "--month", "2020-10", *AS_OF, "--json"),
    ("summary", "--year", "2020", *AS_OF),
    ("summary", "--month", "2020-01"),
    ("cadre", "list"),
    ("cadre", "list", "--all", "--json"),
    ("unit", "list"),
    ("unit", "list", "--json"),
    ("leave", "list"),
    ("leave", "list", "--json"),
]
PER_CADRE: list[tuple[str, ...]] = [
    ("status", "--cadre", "{c}", *AS_OF),
    ("status", "--cadre", "{c}", *AS_OF, "--json"),
    ("status", "--cadre", "{c}", *AS_OF, "--explain"),
    ("reports", "--cadre", "{c}", *AS_OF, "--json"),
    ("reports", "--cadre", "{c}", *AS_OF),
    ("visits", "--cadre", "{c}"),
    ("visits", "--cadre", "{c}", "--json"),
    ("calendar", "--cadre", "{c}"),
    ("calendar", "--cadre", "{c}", "--year", "2020"),
    ("leave", "list", "--cadre", "{c}", "--json"),
]


@pytest.fixture
def orm_reads(monkeypatch: pytest.MonkeyPatch):
    """``orm_reads()``: from now on the read path reads through the ORM (``store.queries``)."""

    def install() -> None:
        from congtac12.store import commands, plans, queries
        from congtac12.store.engine import session
        from congtac12.store.read import cadres, connect, facts, rights, settings, units, visits
        from congtac12.store.read import plans as read_plans

        def reading(target, *, notify=None):  # noqa: ANN001, ANN202
            return session(target, notify=notify, create=False)

        def visit_units(s, *, first, last):  # noqa: ANN001, ANN202 - the units of the window's visits, as before
            return queries.visit_units(s, (v.id for v in queries.facts(s, first=first, last=last)[1]))

        def window_facts(s, *, first, last, cadre_id=None, outside=()):  # noqa: ANN001, ANN202 - status's one pass
            found = queries.facts(s, first=first, last=last, cadre_id=cadre_id)
            return (*found, [queries.visits_between(s, first=a, last=b, cadre_id=cadre_id) for a, b in outside])

        for module, name, twin in [
            (connect, "reading", reading),
            (cadres, "find_cadre", queries.find_cadre),
            (cadres, "cadre_facts", queries.cadre_facts),
            (cadres, "leave_rows", queries.leave_rows),
            (cadres, "cadre_rows", queries.cadres),
            (facts, "facts", queries.facts),
            (facts, "visits_between", queries.visits_between),
            (facts, "window_facts", window_facts),
            (facts, "visit_units", visit_units),
            (settings, "setting", queries.setting),
            (settings, "reminders_sent", queries.reminders_sent),
            (units, "unit_facts", queries.unit_facts),
            (units, "unit_rows", queries.units),
            (visits, "visit_rows", queries.visit_rows),
            (read_plans, "plan_facts", plans.plan_facts),
            (read_plans, "plans_to_remind", plans.plans_to_remind),
            (rights, "reminder_scope", commands.reminder_scope),
        ]:
            monkeypatch.setattr(module, name, twin)

    return install


def outputs(reads: list[tuple[str, ...]], langs: tuple[str, ...] = ("en", "vi")) -> list[tuple]:
    found = []
    for lang in langs:
        for args in reads:
            run = invoke("--lang", lang, *args)
            assert run.crash is None, run
            found.append((lang, args, run.code, run.stdout, run.stderr))
    return found


def reads_for(cadres: list[str]) -> list[tuple[str, ...]]:
    return READS + [tuple(a.replace("{c}", c) for a in args) for c in cadres for args in PER_CADRE]


def same_outputs(orm_reads, cadres: list[str], langs: tuple[str, ...] = ("en", "vi")) -> list[tuple]:
    reads = reads_for(cadres)
    sql = outputs(reads, langs)
    orm_reads()
    orm = outputs(reads, langs)
    assert [o[:3] for o in sql] == [o[:3] for o in orm]
    for a, b in zip(sql, orm, strict=True):
        assert a == b
    return sql


def populate_demo(target: Path | PgUrl) -> None:
    from congtac12 import demo
    from congtac12.store.engine import session

    with session(target, write=True) as s:
        demo.populate(s)


def enrich() -> None:
    """Service periods, leave, an exempt and a deactivated cadre, deleted visits, a default policy."""
    for args in (
        ("leave", "add", "--cadre", "C02", "--from", "01/05/2020", "--to", "31/07/2020", "--reason", "thai-san"),
        ("leave", "add", "--cadre", "C03", "--from", "10/10/2020", "--to", "20/10/2020", "--reason", "om-dau"),
        ("leave", "add", "--cadre", "C03", "--from", "01/02/2020", "--to", "15/02/2020", "--reason", "hoc-tap"),
        ("cadre", "edit", "C04", "--joined", "01/06/2020"),
        ("cadre", "edit", "C05", "--left", "30/09/2020"),
        ("cadre", "edit", "C06", "--not-subject"),
        ("delete-visit", "1"),
        ("delete-visit", "45"),
        ("cadre", "delete", "C07"),
        ("config", "set", "policy", "ha-noi-2020"),
    ):
        run = invoke(*args)
        assert run.code == 0, run


def test_the_demo_prints_the_same_through_sql_and_orm(cli, db, orm_reads) -> None:
    populate_demo(db)
    found = same_outputs(orm_reads, ["C01", "C02"])
    assert sum(1 for f in found if f[2] == 0) > len(found) * 3 // 4  # answers, not only errors
    assert any('"state": "met"' in f[3] for f in found)


def test_a_record_with_service_leave_and_deletions_prints_the_same(cli, db, orm_reads) -> None:
    populate_demo(db)
    enrich()
    # English alone here: the demo above compares both languages.
    found = same_outputs(orm_reads, ["C02", "C03", "C04", "C05", "C06", "C07"], ("en",))
    assert any("thai-san" in f[3] for f in found) and any("Đào" in f[3] for f in found)


@pytest.mark.sqlite_only
def test_the_synthetic_database_prints_the_same(cli, db: Path, orm_reads) -> None:
    visits, synth = synthetic_database(db, 30)
    assert visits == 3_000
    same_outputs(orm_reads, [synth.cadre_code(7)], ("en",))


def test_a_missing_database_is_refused_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orm_reads) -> None:
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("CONGTAC12_DB", str(missing))
    reads = [r for r in READS if r[0] in ("status", "remind", "reports", "visits", "summary", "cadre")]
    sql = outputs(reads)
    refused_as_missing(missing, [o[2:] for o in sql])
    orm_reads()
    assert outputs(reads) == sql
    assert not missing.exists()


@pytest.mark.sqlite_only
def test_an_older_schema_is_upgraded_first_and_a_newer_refused(cli, db: Path) -> None:
    from congtac12.store import migrate
    from congtac12.store.sqlite_file import SCHEMA_VERSION

    assert SCHEMA_VERSION == migrate.head_version()  # the read path's constant is Alembic's head
    run = upgraded_first(cli, db, "status", *AS_OF, "--json")
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()
    again = cli("status", *AS_OF, "--json")
    assert (again.code, again.stdout, again.stderr) == (0, run.stdout, "")
    refused_as_newer(
        db, cli, [("status",), ("remind", "--json"), ("visits",), ("summary", "--month", "2020-10"), ("leave", "list")]
    )


def test_a_newer_postgresql_schema_is_refused(pg, monkeypatch: pytest.MonkeyPatch, request) -> None:  # noqa: ANN001
    target = new_pg_database(pg, monkeypatch, request)
    refused_as_newer(target, invoke, [("status",), ("remind", "--json"), ("cadre", "list")])
