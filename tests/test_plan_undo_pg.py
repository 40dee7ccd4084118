"""Undoing and deleting a cadre's own plans, on a real PostgreSQL server with the cadre's login.

Undo: a draft comes back out; a plan imported as submitted (đã gửi) awaits the decision and is not
the cadre's to delete (the database refuses it), so the command says so in one line, and an
administrator's undo takes it back.

Delete (schema 8): a cadre's own plan that is no longer a draft is refused by the database with
its state (only a draft plan can be deleted), not as another cadre's; after the upgrade of a
schema-7 database by revision 0008 alone, and through the command, when the office sends the
plan while the command deletes it. The other refusals of a raw connection are test_plans_pg's
ATTACKS.

The scenario is test_plans_pg's (AN is C01's login, BINH C02's, ADM an administrator; plans: 1 AN's
draft, 2 AN's submitted, 3 BINH's submitted, 4 AN's approved).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg
import pytest
from pg_server import PgServer
from test_org import Org, ok, org_copy, org_template, refused
from test_plans_pg import _plans_file, build_plans

DENIED = psycopg.errors.InsufficientPrivilege
NOT_DRAFT = "plan {id} is in state {state}; only a draft plan can be deleted"

# The function as schema 7 had it (congtac12 at main 7c25bb7): the database that 0008 upgrades.
SCHEMA_7_DELETE_OWN = (
    "CREATE OR REPLACE FUNCTION public.congtac12_delete_own(p_table text, p_id bigint) RETURNS void "
    "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$ "
    "DECLARE me integer := public.congtac12_login_cadre(); n integer; "
    "BEGIN "
    "  IF p_table = 'visit' THEN DELETE FROM public.visit t WHERE t.id = p_id AND t.cadre_id = me; "
    "  ELSIF p_table = 'leave' THEN DELETE FROM public.leave t WHERE t.id = p_id AND t.cadre_id = me; "
    "  ELSIF p_table = 'plan' THEN "
    "    DELETE FROM public.plan t WHERE t.id = p_id AND t.cadre_id = me AND t.state = 'draft'; "
    "  ELSIF p_table = 'report' THEN DELETE FROM public.report t USING public.visit v "
    "    WHERE t.id = p_id AND v.id = t.visit_id AND v.cadre_id = me; "
    "  ELSE "
    "    RAISE EXCEPTION 'permission denied: a cadre login deletes no % row', p_table USING ERRCODE = '42501'; "
    "  END IF; "
    "  GET DIAGNOSTICS n = ROW_COUNT; "
    "  IF n = 0 THEN "
    "    RAISE EXCEPTION 'permission denied: % % is not this login''s cadre''s', p_table, p_id "
    "      USING ERRCODE = '42501'; "
    "  END IF; "
    "END $$"
)


@pytest.fixture(scope="module")
def template(pg: PgServer):
    yield from org_template(pg, build_plans)


@pytest.fixture
def org(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    return org_copy(pg, template, monkeypatch, request)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("cannot undo change #", "delete plan 5", "added as submitted", "only its own draft plans",
                "an administrator login must undo this change", "nothing was changed")),
        ("vi", ("không thể hoàn tác thay đổi #", "xóa kế hoạch 5", "trạng thái đã gửi", "kế hoạch nháp",
                "tài khoản quản trị viên hoàn tác")),
    ],
)  # fmt: skip
def test_a_cadre_cannot_undo_its_import_of_a_submitted_plan(org: Org, tmp_path, monkeypatch, lang, words) -> None:
    ok(org.run("an", "import", _plans_file(tmp_path, "submitted", topic="Khảo sát đoàn viên")))
    assert org.rows("SELECT id, state, topic FROM plan WHERE id > 4") == [(5, "submitted", "Khảo sát đoàn viên")]
    (change,) = org.rows("SELECT id FROM change WHERE action = 'import'")
    before = org.dump()
    monkeypatch.setenv("CONGTAC12_LANG", lang)
    run = org.run("an", "undo")
    line = refused(run, *words) if lang == "en" else run.stderr.strip()
    assert run.code == 1 and run.crash is None and line.startswith(("Error: ", "Lỗi: ")) and "\n" not in line
    assert all(w in line for w in words), line
    assert f"#{change[0]}" in line and "not this login's cadre's" not in line  # the database's misleading words
    assert org.dump() == before
    # The rule is the database's: AN's own connection cannot delete it either.
    with psycopg.connect(org.url("an"), autocommit=True) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute("SELECT congtac12_delete_own('plan', 5)")
    assert org.dump() == before
    ok(org.run("adm", "undo"))  # the administrator takes the import back, whole
    assert org.rows("SELECT count(*) FROM plan WHERE id > 4") == [(0,)]


def test_a_cadre_still_undoes_its_import_of_a_draft(org: Org, tmp_path) -> None:
    ok(org.run("an", "import", _plans_file(tmp_path, "draft")))
    ok(org.run("an", "undo"))
    assert org.rows("SELECT count(*) FROM plan WHERE id > 4") == [(0,)]


# --- delete (schema 8) ----------------------------------------------------------------


def delete_own(org: Org, who: str, plan: int) -> str:
    """What the database says to ``who``'s own connection deleting ``plan`` (it must refuse)."""
    with psycopg.connect(org.url(who), autocommit=True) as con, pytest.raises(DENIED) as caught:
        con.execute("SELECT congtac12_delete_own('plan', %s)", (plan,))
    return str(caught.value)


def test_revision_8_makes_a_schema_7_database_say_why(org: Org) -> None:
    """Revision 0008 alone (not the set-up that follows every upgrade) replaces the function, keeping
    the cadres' right to call it and giving none to PUBLIC."""
    from congtac12.store import migrate
    from congtac12.store.location import PgUrl
    from congtac12.store.postgres import make_engine

    with psycopg.connect(org.url("owner"), autocommit=True) as con:
        con.execute(SCHEMA_7_DELETE_OWN)  # no parameters: psycopg sends the % as it is
        con.execute("UPDATE alembic_version SET version_num = '0007'")
    assert "plan 2 is not this login's cadre's" in delete_own(org, "an", 2)  # schema 7's misleading words
    before = org.dump()
    engine = make_engine(PgUrl(org.url("owner")), write=True)
    with engine.begin() as conn:
        migrate.upgrade(conn, from_version=7, to="0008")
    engine.dispose()
    assert org.rows("SELECT version_num FROM alembic_version") == [("0008",)]
    assert NOT_DRAFT.format(id=2, state="submitted") in delete_own(org, "an", 2)
    assert NOT_DRAFT.format(id=4, state="approved") in delete_own(org, "an", 4)
    assert "plan 3 is not this login's cadre's" in delete_own(org, "an", 3)  # BINH's: its state is not told
    (acl,) = org.rows("SELECT proacl::text FROM pg_proc WHERE proname = 'congtac12_delete_own'")[0]
    grants = acl.strip("{}").split(",")
    assert not [g for g in grants if g.startswith("=")], acl  # PUBLIC ("=X/owner") may not call it
    assert [g for g in grants if g.startswith("congtac12_cadre=X/")], acl  # the cadres' role still may
    # Nothing but the function and the version changed, and a draft still goes.
    assert org.dump().replace("0008", "0007") == before
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        con.execute("SELECT congtac12_delete_own('plan', 1)")
    assert org.rows("SELECT id FROM plan ORDER BY id") == [(2,), (3,), (4,)]


def test_the_command_that_loses_the_race_says_why_in_one_line(org: Org) -> None:
    """AN's ``plan delete 1`` reads a draft, then waits on the row the administrator is sending to the
    office; once that is committed, the database refuses the delete and the command says why."""
    env = {**os.environ, "CONGTAC12_DB": org.url("an"), "COLUMNS": "200", "CONGTAC12_LANG": "en"}
    with psycopg.connect(org.url("adm")) as adm:
        adm.execute("UPDATE plan SET state = 'submitted' WHERE id = 1")  # not committed yet
        proc = subprocess.Popen(
            [sys.executable, "-m", "congtac12", "plan", "delete", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND wait_event_type = 'Lock'"
        deadline = time.monotonic() + 30
        while org.rows(waiting, (org.logins["an"],)) != [(1,)]:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        adm.commit()
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out) == (1, ""), (out, err)
    assert err == (
        "Error: the database refused this (permission denied: "
        + NOT_DRAFT.format(id=1, state="submitted")
        + "); nothing was written\n"
    )
    assert org.rows("SELECT id, state FROM plan ORDER BY id") == [
        (1, "submitted"),
        (2, "submitted"),
        (3, "submitted"),
        (4, "approved"),
    ]
