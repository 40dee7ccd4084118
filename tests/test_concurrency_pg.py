"""Concurrency on PostgreSQL (issue 9, part 5): eight processes, each on its own login,
add 50 visits each at once; ``remind`` and ``status`` run during the writing see
one consistent state each time.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import invoke
from pg_server import PgServer

from congtac12.store.location import PgUrl

HELPERS = Path(__file__).parent / "helpers"
WRITERS, VISITS = 8, 50
FIRST_DAY = date(2020, 3, 1)  # add_visits.py: one one-day visit a day from here
_logins = itertools.count(1)


def grant_logins(pg: PgServer, database: str, count: int) -> list[tuple[str, str]]:
    """``count`` new logins, writer i's tied to cadre W<i> by ``congtac12 org init`` and
    ``org grant`` (row-level security: each may write only its own cadre's visits):
    (login, password) pairs."""
    owner = env_for(pg.url_of(database), pg.password)
    logins = []
    for _ in range(count):
        login = f"ct12_writer_{os.getpid()}_{next(_logins)}"  # unique on the shared server
        password = f"pw-{login}"
        pg.create_login(login, password)
        logins.append((login, password))
    run = subprocess.run(
        [sys.executable, "-m", "congtac12", "org", "init"], env=owner, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # The grants in this process, as the owner: the same command, without a start-up of Python each.
    with pytest.MonkeyPatch.context() as mp:
        for var in ("CONGTAC12_DB", "PGPASSWORD"):
            mp.setenv(var, owner[var])
        for w, (login, _pw) in enumerate(logins):
            done = invoke("org", "grant", "--cadre", f"W{w}", "--login", login)
            assert done.code == 0 and done.crash is None, str(done)
    return logins


def drop_logins(pg: PgServer, database: str, logins: list[tuple[str, str]]) -> None:
    """The logins, after the database that holds their rights."""
    pg.drop_database(database)
    for login, _pw in logins:
        pg.execute(f'DROP ROLE IF EXISTS "{login}"')


def env_for(url: str, password: str) -> dict[str, str]:
    """The environment of a cadre's machine: the database URL without password, PGPASSWORD."""
    env = {k: v for k, v in os.environ.items() if k not in ("CONGTAC12_TEST_PG", "PGPASSWORD")}
    return {**env, "CONGTAC12_DB": url, "PGPASSWORD": password, "COLUMNS": "200"}


def congtac12(env: dict[str, str], *args: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "congtac12", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0 and run.stderr == "", run.stdout + run.stderr
    return json.loads(run.stdout)


def days_of(count: int) -> list[str]:
    return [(FIRST_DAY + timedelta(days=i)).isoformat() for i in range(count)]


def consistent_remind(doc: dict) -> dict[str, int]:
    """Each writer's visits listed by one ``remind`` run are its first N, with none missing
    in between (a writer adds them in day order, one command each): per cadre, N."""
    ends: dict[str, list[str]] = {}
    for item in doc["items"]:
        ends.setdefault(item["cadre"], []).append(item["end"])
    assert len({item["visit_id"] for item in doc["items"]}) == len(doc["items"])
    seen = {}
    for cadre, listed in ends.items():
        assert sorted(listed) == days_of(len(listed)), (cadre, listed)
        seen[cadre] = len(listed)
    return seen


def consistent_status(doc: dict) -> dict[str, int]:
    """In one ``status`` run, each writer's days agree with its reports (one overdue report
    per one-day visit) and with its days by kind: per cadre, the days."""
    seen = {}
    for cadre in doc["cadres"]:
        if not cadre["code"].startswith("W"):
            continue
        reports = cadre["reports"]
        assert cadre["days"] == reports["overdue"] == cadre["days_by_kind"]["phoi-hop"], cadre
        assert sum(cadre["days_by_kind"].values()) == cadre["days"] <= VISITS
        assert reports["on_time"] == reports["late"] == reports["pending"] == 0
        seen[cadre["code"]] = cadre["days"]
    return seen


def line(proc: subprocess.Popen, expected: str, timeout: float = 300) -> None:
    """Read the writer's output until ``expected`` (its handshake); fail if it ends first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = proc.stdout.readline()
        if got.strip() == expected:
            return
        if not got and proc.poll() is not None:
            raise AssertionError(f"writer ended ({proc.returncode}) before {expected!r}: {proc.stderr.read()}")
    raise AssertionError(f"no {expected!r} within {timeout} s")


def go(proc: subprocess.Popen) -> None:
    proc.stdin.write("go\n")
    proc.stdin.flush()


def test_eight_logins_write_at_once_and_readers_see_consistent_states(
    pg: PgServer, request: pytest.FixtureRequest
) -> None:
    from congtac12.store import commands
    from congtac12.store.engine import session

    database = pg.new_database()
    request.addfinalizer(lambda: pg.drop_database(database))
    admin = PgUrl(pg.url_of(database, password=pg.password))
    with session(admin, write=True) as s:  # the schema, and the writers' cadres
        for w in range(WRITERS):
            commands.add_cadre(s, code=f"W{w}", name=f"Cán bộ W{w}", department="Văn phòng")
    logins = grant_logins(pg, database, WRITERS)
    request.addfinalizer(lambda: drop_logins(pg, database, logins))

    began = time.time()
    writers = [
        subprocess.Popen(
            [sys.executable, str(HELPERS / "add_visits.py"), str(w), str(VISITS), "stdin", "--pause-half"],
            env=env_for(pg.url_of(database, login=login), password),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w, (login, password) in enumerate(logins)
    ]
    reader = env_for(pg.url_of(database), pg.password)  # the organisation department
    # A handshake, not a clock: each writer says ready once imported, all go at once, and each
    # waits again halfway, so that one read surely runs while every writer is still running.
    for w in writers:
        line(w, "ready")
    start_at = time.time()
    for w in writers:
        go(w)
    reads: list[tuple[dict[str, int], dict[str, int]]] = []
    during = 0
    for w in writers:
        line(w, "half")
    remind = consistent_remind(congtac12(reader, "remind", "--as-of", "31/12/2020", "--json"))
    status = consistent_status(congtac12(reader, "status", "--as-of", "31/12/2020", "--json"))
    reads.append((remind, status))
    during += all(w.poll() is None for w in writers)
    for w in writers:
        go(w)
    while any(w.poll() is None for w in writers):
        remind = consistent_remind(congtac12(reader, "remind", "--as-of", "31/12/2020", "--json"))
        status = consistent_status(congtac12(reader, "status", "--as-of", "31/12/2020", "--json"))
        reads.append((remind, status))
        during += any(w.poll() is None for w in writers)
    outputs = []
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
        outputs.append(out)
    took = time.time() - start_at
    lasts = [o.strip().splitlines()[-1].split() for o in outputs]
    print(
        f"PostgreSQL, 8 logins x 50 add-visit at once: {took:.1f} s in all (from the common start, "
        f"{start_at - began:.1f} s of imports before); writer wall times {[float(x[3]) for x in lasts]} s; "
        f"{len(reads)} remind+status pairs, {during} while writers wrote"
    )
    # Every writer: 50 recorded, none refused.
    assert [tuple(last[:3]) for last in lasts] == [("done", str(VISITS), "0")] * WRITERS, outputs
    assert during >= 1
    # A later read never sees less than an earlier one; status (run after remind) never less than it.
    for (remind, status), (later_remind, _later) in itertools.pairwise(reads + [(None, None)]):
        for cadre, n in remind.items():
            assert status.get(cadre, 0) >= n
            if later_remind is not None:
                assert later_remind.get(cadre, 0) >= n

    final = consistent_remind(congtac12(reader, "remind", "--as-of", "31/12/2020", "--json"))
    assert final == {f"W{w}": VISITS for w in range(WRITERS)}
    assert consistent_status(congtac12(reader, "status", "--as-of", "31/12/2020", "--json")) == final
    rows = pg.execute("SELECT count(*) FROM visit", database=database)
    assert rows == [(WRITERS * VISITS,)]
    # The history names each visit's login: writer W<i> wrote as login i, 50 times.
    by_login = Counter(
        dict(pg.execute("SELECT who, count(*) FROM change WHERE action = 'visit.add' GROUP BY who", database=database))
    )
    assert by_login == Counter({login: VISITS for login, _pw in logins})
    check = congtac12(reader, "db", "check", "--json")
    assert check["ok"] is True, check
