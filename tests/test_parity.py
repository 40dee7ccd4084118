"""Parity: the same record gives the same answers on SQLite and on PostgreSQL.

Two scenarios, each run on a new SQLite file and on a new PostgreSQL database:
the demo's 34 cadres (written through one session, as ``congtac12 demo``
does) and random trips written through the commands (Hypothesis). Every
reading command's JSON must be identical, byte for byte, on both; so must the
history, but for who made each change (the OS user on SQLite, the login on
PostgreSQL) and when.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congtac12.store.location import PgUrl

READS = [
    ("status", "--json", "--as-of", "13/11/2020"),
    ("status", "--json", "--as-of", "31/12/2020"),
    ("status", "--json", "--as-of", "30/06/2020", "--policy", "quang-tri-2020"),
    ("status", "--json", "--cadre", "C01", "--as-of", "13/11/2020"),
    ("remind", "--json", "--as-of", "13/11/2020", "--ahead", "5"),
    ("reports", "--json", "--as-of", "13/11/2020"),
    ("visits", "--json"),
    ("visits", "--json", "--deleted"),
    ("cadre", "list", "--json"),
    ("unit", "list", "--json"),
    ("leave", "list", "--json"),
    ("summary", "--json", "--month", "2020-10"),
    ("summary", "--json", "--year", "2020"),
    ("plan", "list", "--json", "--as-of", "13/11/2020"),
]


def answers(target: Path | PgUrl, reads=READS) -> dict[str, object]:
    """Every read's exit code and output, on one database."""
    out: dict[str, object] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONGTAC12_DB", str(target) if isinstance(target, Path) else target.url)
        mp.setenv("COLUMNS", "200")
        for args in reads:
            run = invoke(*args)
            assert run.crash is None, run
            out[" ".join(args)] = (run.code, run.stdout, run.stderr)
        history = invoke("history", "--json")
        assert history.code == 0, history
        out["history"] = [untimed(h) for h in json.loads(history.stdout)]
    return out


def untimed(change: dict) -> dict:
    """A change of the history without who made it and when (nor the rows' own time stamps)."""

    def row(r: dict | None) -> dict | None:
        return None if r is None else {k: v for k, v in r.items() if not k.endswith("_at")}

    items = [{**i, "before": row(i["before"]), "after": row(i["after"])} for i in change["items"]]
    return {**{k: v for k, v in change.items() if k not in ("who", "at")}, "items": items}


@pytest.fixture
def pg_target(pg, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """``pg_target()``: a new, empty PostgreSQL database, dropped after the test."""
    monkeypatch.setenv("PGPASSWORD", pg.password)

    def make() -> PgUrl:
        name = pg.new_database()
        request.addfinalizer(lambda: pg.drop_database(name))
        return PgUrl(pg.url_of(name))

    return make


def test_the_demo_answers_alike_on_both_backends(tmp_path: Path, pg_target) -> None:
    from congtac12 import demo
    from congtac12.store.engine import session

    sqlite, postgres = tmp_path / "demo.db", pg_target()
    for target in (sqlite, postgres):
        with session(target, write=True) as s:
            demo.populate(s)
    on_sqlite, on_postgres = answers(sqlite), answers(postgres)
    assert on_sqlite == on_postgres
    # Not a comparison of two empty answers: the demo's figures are there.
    status = json.loads(on_sqlite["status --json --as-of 13/11/2020"][1])
    assert len(status["cadres"]) == 34
    assert {c["state"] for c in status["cadres"]} >= {"met", "on_track", "behind"}


UNITS = ["Ba Đình", "Sơn Tây", "Gia Lâm", "Đông Anh"]
KINDS = ["chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat"]
trips = st.lists(
    st.tuples(
        st.sampled_from(["C01", "C02", "Trần Thị Bình"]),  # a code, or a name with diacritics
        st.sampled_from(UNITS),
        st.integers(min_value=0, max_value=330),  # first day, from 1 Feb 2020
        st.integers(min_value=0, max_value=3),  # days after the first
        st.sampled_from(KINDS),
        st.one_of(st.none(), st.integers(min_value=0, max_value=20)),  # report: days after the end
    ),
    max_size=8,
)


# Plans (đăng ký): cadre, unit, first day, days after it, kind, how far it goes.
plans = st.lists(
    st.tuples(
        st.sampled_from(["C01", "C02"]),
        st.sampled_from(UNITS),
        st.integers(min_value=0, max_value=330),
        st.integers(min_value=-1, max_value=3),  # -1: a last day before the first (refused alike)
        st.sampled_from(KINDS),
        st.sampled_from(["draft", "submit", "approve", "return", "approve twice"]),
    ),
    max_size=5,
)


def write_plans(scenario: list[tuple]) -> list[tuple[int, str]]:
    """Register plans through the commands, before any visit (so that visits link to them)."""
    first = date(2020, 2, 1)
    results = []
    for n, (cadre, unit, start, extra, kind, how) in enumerate(scenario, start=1):
        begin = first + timedelta(days=start)
        end = begin + timedelta(days=extra)
        day = "%d/%m/%Y"
        run = invoke(
            "plan",
            "add",
            "--cadre",
            cadre,
            "--unit",
            unit,
            "--from",
            begin.strftime(day),
            "--to",
            end.strftime(day),
            "--kind",
            kind,
        )
        results.append((run.code, run.stderr))
        # --by: who decides by default is the OS user on SQLite and the login on PostgreSQL, as in the history
        approve = ("approve", "--by", "Văn phòng")
        steps = {"draft": [], "submit": [("submit",)], "approve": [("submit",), approve]}
        steps["return"] = [("submit",), ("return", "--reason", "Trùng lịch", "--by", "Văn phòng")]
        steps["approve twice"] = [("submit",), approve, approve]
        for step in steps[how]:
            run = invoke("plan", step[0], str(n), *step[1:])
            results.append((run.code, run.stderr))
    return results


def write(
    target: Path | PgUrl, scenario: list[tuple], deletes: list[int], planned: list[tuple] = ()
) -> list[tuple[int, str]]:
    """Write the scenario through the commands; returns every command's exit code and error line."""
    first = date(2020, 2, 1)
    results = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONGTAC12_DB", str(target) if isinstance(target, Path) else target.url)
        for args in (
            ("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"),
            ("cadre", "add", "--code", "C02", "--name", "Trần Thị Bình", "--dept", "Ban Tuyên giáo"),
        ):
            results.append((invoke(*args).code, ""))
        results += write_plans(list(planned))
        for n, (cadre, unit, start, extra, kind, report) in enumerate(scenario, start=1):
            begin = first + timedelta(days=start)
            end = begin + timedelta(days=extra)
            run = invoke(
                "add-visit",
                "--cadre",
                cadre,
                "--unit",
                unit,
                "--from",
                begin.strftime("%d/%m/%Y"),
                "--to",
                end.strftime("%d/%m/%Y"),
                "--kind",
                kind,
            )
            results.append((run.code, run.stderr))
            if run.code == 0 and report is not None:
                on = end + timedelta(days=report)
                run = invoke("report", str(n), "--on", on.strftime("%d/%m/%Y"), "--text", f"Báo cáo {n}")
                results.append((run.code, run.stderr))
        for visit in deletes:
            run = invoke("delete-visit", str(visit))
            results.append((run.code, run.stderr))
    return results


RANDOM_READS = [
    ("status", "--json", "--as-of", "13/11/2020"),
    ("remind", "--json", "--as-of", "13/11/2020", "--ahead", "5"),
    ("reports", "--json", "--as-of", "13/11/2020"),
    ("visits", "--json"),
    ("visits", "--json", "--deleted"),
    ("plan", "list", "--json", "--as-of", "13/11/2020"),
    ("status", "--json", "--as-of", "01/06/2020"),
]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scenario=trips,
    deletes=st.lists(st.integers(min_value=1, max_value=9), max_size=2, unique=True),
    planned=plans,
)
def test_random_trips_answer_alike_on_both_backends(tmp_path_factory, pg_target, scenario, deletes, planned) -> None:
    sqlite, postgres = tmp_path_factory.mktemp("parity") / "p.db", pg_target()
    # The same commands succeed and fail alike (an identical trip twice is refused on both)...
    assert write(sqlite, scenario, deletes, planned) == write(postgres, scenario, deletes, planned)
    # ...and leave records that answer alike.
    assert answers(sqlite, RANDOM_READS) == answers(postgres, RANDOM_READS)
