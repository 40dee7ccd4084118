"""Organisation mode's rights on a real PostgreSQL server: ``org init``, ``org grant``,
and a cadre login refused on another cadre's records — by the command, and by the
database itself when the command is bypassed.

The scenario: the owner sets up the database and ties three logins (AN to C01,
BINH to C02, ADM an administrator); AN and BINH then record their own trips.
The database is built once per test session (``org_template``: every module of this
scenario shares it) and copied for each test (CREATE DATABASE … TEMPLATE); the logins are
cluster-wide, named uniquely for this run.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
from collections.abc import Callable, Iterator

import psycopg
import pytest
from conftest import Run, invoke
from pg_server import PgServer
from support import succeeded as ok

PASSWORD = "mật-khẩu-thử"  # the logins' password: libpq takes it from the URL here
_n = itertools.count(1)


def _login(role: str) -> str:
    return f"{role}_{os.getpid()}_{next(_n)}"


class Org:
    """One copy of the scenario's database, and a way to run commands as each login."""

    def __init__(self, pg: PgServer, name: str, logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.pg, self.name, self.logins, self.mp = pg, name, dict(logins), monkeypatch
        monkeypatch.setenv("COLUMNS", "200")
        monkeypatch.delenv("PGPASSWORD", raising=False)

    def url(self, who: str) -> str:
        if who == "owner":
            return self.pg.url_of(self.name, password=self.pg.password)
        return self.pg.url_of(self.name, login=self.logins[who], password=PASSWORD)

    def run(self, who: str, *args: str) -> Run:
        self.mp.setenv("CONGTAC12_DB", self.url(who))
        return invoke(*args)

    def dump(self) -> str | None:
        return self.pg.dump(self.name)

    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        return self.pg.execute(query, database=self.name, params=params)


def refused(run: Run, *parts: str) -> str:
    assert run.code != 0 and run.crash is None, run
    line = run.stderr.strip()
    assert line.startswith("Error: ") and "\n" not in line, run
    for part in parts:
        assert part in line, run
    return line


def build(org: Org) -> None:
    ok(org.run("owner", "org", "init"))
    ok(
        org.run(
            "owner",
            "cadre",
            "add",
            "--code",
            "C01",
            "--name",
            "Nguyễn Văn An",
            "--dept",
            "Ban Tổ chức",
            "--email",
            "an.nv@example.vn",
        )
    )
    ok(
        org.run(
            "owner",
            "cadre",
            "add",
            "--code",
            "C02",
            "--name",
            "Trần Thị Bình",
            "--dept",
            "Ban Tổ chức",
            "--email",
            "binh.tt@example.vn",
        )
    )
    ok(org.run("owner", "org", "grant", "--cadre", "C01", "--login", org.logins["an"]))
    ok(org.run("owner", "org", "grant", "--cadre", "Tran Thi Binh", "--login", org.logins["binh"]))
    ok(org.run("owner", "org", "grant", "--admin", "--login", org.logins["adm"]))
    visit = ("--kind", "chuyen-de", "--topic", "Khảo sát")
    ok(
        org.run(
            "an",
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "02/03/2020",
            "--to",
            "03/03/2020",
            *visit,
        )
    )  # visit 1
    ok(
        org.run(
            "binh",
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "Hoàn Kiếm",
            "--from",
            "04/03/2020",
            "--to",
            "04/03/2020",
            *visit,
        )
    )  # visit 2
    ok(org.run("binh", "report", "2", "--on", "10/03/2020", "--text", "Đã khảo sát"))
    ok(
        org.run(
            "binh",
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "Hoàn Kiếm",
            "--from",
            "05/03/2020",
            "--to",
            "05/03/2020",
            *visit,
        )
    )  # visit 3, deleted
    ok(org.run("binh", "delete-visit", "3"))
    ok(
        org.run(
            "binh",
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "Đống Đa",
            "--from",
            "06/03/2020",
            "--to",
            "06/03/2020",
            *visit,
        )
    )  # visit 4, no report yet
    ok(
        org.run(
            "binh", "leave", "add", "--cadre", "C02", "--from", "01/06/2020", "--to", "05/06/2020", "--reason", "khac"
        )
    )  # leave 1: the latest change is BINH's


# Each build's template: (database, logins), made on first use and kept for the whole test session.
_TEMPLATES: dict[Callable[[Org], None], tuple[str, dict[str, str]]] = {}


def org_template(pg: PgServer, build_with: Callable[[Org], None]) -> Iterator[tuple[str, dict[str, str]]]:
    """A database built by ``build_with`` with three logins (an, binh, adm), to copy per test: built once
    per test session and build, for every module that asks for it (test_org's ``build`` serves four);
    dropped with its logins when the session's Python ends."""
    if build_with not in _TEMPLATES:
        logins = {role: _login(role) for role in ("an", "binh", "adm")}
        for login in logins.values():
            pg.create_login(login, PASSWORD)
        name = pg.new_database()
        atexit.register(_drop_template, pg, name, logins)  # registered first: dropped even if the build fails
        with pytest.MonkeyPatch.context() as mp:
            build_with(Org(pg, name, logins, mp))
        _TEMPLATES[build_with] = (name, logins)
    yield _TEMPLATES[build_with]


def _drop_template(pg: PgServer, name: str, logins: dict[str, str]) -> None:
    pg.drop_database(name)
    for login in logins.values():
        pg.execute(f'DROP ROLE IF EXISTS "{login}"')


def org_copy(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    """A test's own copy of the module's template database."""
    name, logins = template
    copy = pg.new_database(template=name)
    request.addfinalizer(lambda: pg.drop_database(copy))
    return Org(pg, copy, logins, monkeypatch)


@pytest.fixture(scope="module")
def template(pg: PgServer):
    yield from org_template(pg, build)


@pytest.fixture
def org(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    return org_copy(pg, template, monkeypatch, request)


# --- setting up ---------------------------------------------------------------


def test_org_init_twice_changes_nothing(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    name = pg.new_database()
    try:
        org = Org(pg, name, {}, monkeypatch)
        out = ok(org.run("owner", "org", "init"))
        assert "congtac12_admin" in out.stdout and "congtac12_cadre" in out.stdout
        policies = org.rows(
            "SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies ORDER BY 1, 2"
        )
        grants = org.rows(
            "SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee IN ('congtac12_admin', 'congtac12_cadre') ORDER BY 1, 2, 3"
        )
        rows = org.dump()
        ok(org.run("owner", "org", "init"))
        assert (
            org.rows("SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies ORDER BY 1, 2")
            == policies
        )
        assert (
            org.rows(
                "SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee IN ('congtac12_admin', 'congtac12_cadre') ORDER BY 1, 2, 3"
            )
            == grants
        )
        assert org.dump() == rows
        assert {t for t, *_ in policies} == {"visit", "report", "leave", "plan", "reminder_sent"}
        assert len(policies) == 3 * 5 + 4  # admin all, cadre read, cadre insert; cadre update on its own rows
        assert org.rows("SELECT relname FROM pg_class WHERE relrowsecurity ORDER BY 1") == [
            ("leave",),
            ("plan",),
            ("reminder_sent",),
            ("report",),
            ("visit",),
        ]
        # The cadre role inserts its own rows and reminders; table-wide, it may not update, delete or
        # truncate anything (LOCK TABLE would take any mode); cadres, units, settings are the admin's.
        cadre_writes = {(t, p) for t, g, p in grants if g == "congtac12_cadre" and p != "SELECT"}
        assert cadre_writes == {(t, "INSERT") for t in ("visit", "report", "leave", "plan", "reminder_sent")}
        column_updates = org.rows(
            "SELECT table_name, column_name FROM information_schema.column_privileges "
            "WHERE grantee = 'congtac12_cadre' AND privilege_type = 'UPDATE' ORDER BY 1, 2"
        )
        assert {t for t, _c in column_updates} == {"visit", "report", "leave", "plan"}
        assert ("visit", "topic") in column_updates and ("visit", "id") not in column_updates
        assert ("cadre", "congtac12_admin", "UPDATE") in {tuple(g) for g in grants}
        # The history: written by the database's triggers alone, no login inserts, updates or deletes.
        for table in ("change", "change_item", "congtac12_change_tx", "org_login", "alembic_version"):
            assert {p for t, _g, p in grants if t == table} == {"SELECT"}, table
        # one per audited table: cadre, unit, visit, report, setting, leave, plan
        assert org.rows("SELECT count(*) FROM pg_trigger WHERE tgname = 'congtac12_audit' AND NOT tgisinternal") == [
            (7,)
        ]
        # Every function of ours has a fixed search_path, the temporary schema last.
        configs = org.rows("SELECT proname, proconfig::text FROM pg_proc WHERE proname LIKE 'congtac12%%' ORDER BY 1")
        assert {p for p, _c in configs} >= {
            "congtac12_audit",
            "congtac12_delete_own",
            "congtac12_describe",
            "congtac12_login_cadre",
            "congtac12_plan_rights",
            "congtac12_plan_visit",
        }
        assert all(c == '{"search_path=pg_catalog, public, pg_temp"}' for _p, c in configs), configs
    finally:
        pg.drop_database(name)


def test_org_list_and_the_scenario_as_recorded(org: Org) -> None:
    out = json.loads(ok(org.run("owner", "org", "list", "--json")).stdout)
    assert sorted((r["login"], r["cadre"], r["admin"]) for r in out) == sorted(
        [(org.logins["an"], "C01", False), (org.logins["binh"], "C02", False), (org.logins["adm"], None, True)]
    )
    assert org.rows("SELECT id, cadre_id FROM visit ORDER BY id") == [(1, 1), (2, 2), (3, 2), (4, 2)]


def test_grant_refusals(org: Org, pg: PgServer) -> None:
    before = org.dump()
    refused(org.run("owner", "org", "grant", "--login", org.logins["an"]), "--cadre", "--admin")
    refused(org.run("owner", "org", "grant", "--cadre", "C09", "--login", org.logins["an"]), "C09")
    refused(org.run("owner", "org", "grant", "--cadre", "C01", "--login", "x y"), "login 'x y' is not valid")
    refused(org.run("owner", "org", "grant", "--cadre", "C01", "--login", "congtac12_admin"), "not valid")
    refused(org.run("owner", "org", "grant", "--cadre", "C01", "--login", pg.user), "bypasses row-level security")
    # Only the owner sets rights: an administrator's login is not the owner.
    refused(
        org.run("adm", "org", "grant", "--cadre", "C01", "--login", org.logins["binh"]),
        "owner",
        org.logins["adm"],
        "nothing was written",
    )
    refused(org.run("an", "org", "init"), "owner", org.logins["an"])
    assert org.dump() == before


def test_grant_before_init_is_refused(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    name = pg.new_database()
    try:
        org = Org(pg, name, {}, monkeypatch)
        ok(org.run("owner", "cadre", "add", "--code", "C01", "--name", "An", "--dept", "BTC"))
        refused(org.run("owner", "org", "grant", "--cadre", "C01", "--login", _login("x")), "org init")
        refused(org.run("owner", "org", "list"), "org init")
    finally:
        pg.drop_database(name)


def test_org_commands_need_postgresql(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "congtac12.db"
    monkeypatch.setenv("CONGTAC12_DB", str(path))
    for args in (("org", "grant", "--cadre", "C01", "--login", "an_nv"), ("org", "init"), ("org", "list")):
        line = refused(invoke(*args), "organisation mode needs PostgreSQL", str(path))
        assert "postgresql://" in line
    assert not path.exists()


def test_org_commands_are_in_the_help_in_both_languages(tmp_path) -> None:
    # Real processes: the language is chosen once per process, at start.
    import subprocess
    import sys

    def helptext(*args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "CONGTAC12_LANG")}
        env["CONGTAC12_DB"] = str(tmp_path / "none.db")
        done = subprocess.run(
            [sys.executable, "-m", "congtac12", *args, "--help"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "org" in helptext("--lang", "en")
    en = helptext("--lang", "en", "org")
    assert all(c in en for c in ("init", "grant", "list")) and "Organisation mode (PostgreSQL)" in en
    vi = helptext("--lang", "vi", "org")
    assert "Chế độ tổ chức (PostgreSQL)" in vi and "Organisation mode" not in vi
    assert "Gắn một tài khoản PostgreSQL với một cán bộ" in helptext("--lang", "vi", "org", "grant")
    assert not (tmp_path / "none.db").exists()


# --- each cadre on its own ------------------------------------------------------


def test_each_cadre_records_its_own_work(org: Org) -> None:
    ok(
        org.run(
            "an",
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Tây Hồ",
            "--from",
            "12/03/2020",
            "--to",
            "12/03/2020",
            "--kind",
            "kiem-tra",
        )
    )  # visit 5
    ok(org.run("an", "report", "1", "--on", "09/03/2020", "--text", "Báo cáo kết quả"))
    ok(org.run("binh", "report", "4", "--on", "11/03/2020", "--text", "Báo cáo"))
    ok(org.run("an", "edit-visit", "5", "--topic", "Kiểm tra"))
    ok(org.run("binh", "restore-visit", "3"))
    assert org.rows("SELECT id, cadre_id, topic FROM visit ORDER BY id")[-1] == (5, 1, "Kiểm tra")
    for who in ("an", "binh"):
        status = json.loads(ok(org.run(who, "status", "--json", "--as-of", "31/03/2020")).stdout)
        assert status == json.loads(ok(org.run("owner", "status", "--json", "--as-of", "31/03/2020")).stdout)
        remind = json.loads(ok(org.run(who, "remind", "--json", "--as-of", "20/03/2020")).stdout)
        assert remind == json.loads(ok(org.run("owner", "remind", "--json", "--as-of", "20/03/2020")).stdout)
    # The history names the login that made each change.
    history = json.loads(ok(org.run("an", "history", "--json")).stdout)
    by_action = [(h["who"], h["action"]) for h in history]
    assert by_action[:5] == [
        (org.logins["binh"], "visit.restore"),
        (org.logins["an"], "visit.edit"),
        (org.logins["binh"], "report.add"),
        (org.logins["an"], "report.add"),
        (org.logins["an"], "visit.add"),
    ]
    assert by_action[-1] == (org.pg.user, "cadre.add")


def test_a_cadre_sends_reminders(org: Org, smtp_server, monkeypatch: pytest.MonkeyPatch) -> None:
    server = smtp_server()
    monkeypatch.setenv("CONGTAC12_SMTP_URL", server.url())
    monkeypatch.setenv("CONGTAC12_MAIL_FROM", "btc@thanhdoan.example")
    # A cadre's own run mails its own reminder only, and may not send (so not silence) the digest.
    ok(org.run("an", "remind", "--email", "--as-of", "25/03/2020"))
    assert sorted(m.rcpt_tos[0] for m in server.received) == ["an.nv@example.vn"]
    assert org.rows("SELECT channel, recipient FROM reminder_sent") == [("cadre", "an.nv@example.vn")]
    before = org.dump()
    refused(
        org.run("an", "remind", "--email", "--as-of", "25/03/2020", "--summary-to", "btc@thanhdoan.example"),
        "the department's digest is sent by an administrator login",
        org.logins["an"],
    )
    assert org.dump() == before and len(server.received) == 1
    # The administrator's run: BINH's reminder (AN's went today) and the digest of both.
    ok(org.run("adm", "remind", "--email", "--as-of", "25/03/2020", "--summary-to", "btc@thanhdoan.example"))
    assert sorted(m.rcpt_tos[0] for m in server.received) == [
        "an.nv@example.vn",
        "binh.tt@example.vn",
        "btc@thanhdoan.example",
    ]
    assert org.rows("SELECT count(*) FROM reminder_sent") == [(4,)]


# --- refused on the other's records ---------------------------------------------

# Each as AN (cadre C01), on C02's records: (command, what the message names).
OTHERS = [
    (
        (
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "Ba Đình",
            "--from",
            "20/03/2020",
            "--to",
            "20/03/2020",
            "--kind",
            "chuyen-de",
        ),
        "the new visit is C02's (Trần Thị Bình)",
    ),
    (("edit-visit", "2", "--topic", "Sửa"), "visit 2 is C02's (Trần Thị Bình)"),
    (("report", "2", "--on", "21/03/2020", "--replace", "--text", "Thay"), "visit 2 is C02's"),
    (("delete-visit", "2"), "visit 2 is C02's"),
    (("restore-visit", "3"), "visit 3 is C02's"),
    (("report", "4", "--on", "20/03/2020", "--text", "Báo cáo hộ"), "visit 4 is C02's"),
    (("undo",), "leave 1 (in change #"),
    (
        ("leave", "add", "--cadre", "C02", "--from", "01/07/2020", "--to", "02/07/2020", "--reason", "khac"),
        "the new leave is C02's",
    ),
    (("leave", "delete", "1"), "leave 1 is C02's"),
    (
        ("cadre", "add", "--code", "C03", "--name", "Lê Văn Cường", "--dept", "Ban Tổ chức"),
        "cadres may be changed only by an administrator login",
    ),
    (("cadre", "edit", "C02", "--email", "khac@example.vn"), "cadres may be changed only by an administrator"),
    (("cadre", "delete", "C02"), "cadres may be changed only by an administrator"),
    (
        ("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so"),
        "units may be changed only by an administrator login",
    ),
    (("config", "set", "lang", "vi"), "settings may be changed only by an administrator login"),
]


def test_a_cadre_is_refused_on_the_others_records(org: Org) -> None:
    an = org.logins["an"]
    for args, what in OTHERS:
        before = org.dump()
        line = refused(org.run("an", *args), what, f"login {an}", "nothing was written")
        assert "C01" in line, line  # what this login may change
        assert org.dump() == before, args
    # The other way round too, and an undo of a change of AN's own records by BINH.
    ok(org.run("an", "edit-visit", "1", "--topic", "Của An"))
    before = org.dump()
    refused(org.run("binh", "undo"), "visit 1 (in change #", "is C01's (Nguyễn Văn An)", org.logins["binh"])
    refused(org.run("binh", "edit-visit", "1", "--topic", "x"), "visit 1 is C01's")
    assert org.dump() == before


def test_an_import_of_the_others_visits_is_refused(org: Org, tmp_path) -> None:
    import csv

    def csv_file(name: str, rows: list[list[str]]) -> str:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
        return str(path)

    header = ["cadre", "unit", "start", "end", "kind", "topic", "order_no"]
    mine = ["C01", "Tây Hồ", "2020-04-01", "2020-04-01", "kiem-tra", "", ""]
    theirs = ["C02", "Tây Hồ", "2020-04-02", "2020-04-02", "kiem-tra", "", ""]
    before = org.dump()
    refused(
        org.run("an", "import", csv_file("visits.csv", [header, mine, theirs])),
        "an imported visit or report is C02's (Trần Thị Bình)",
        org.logins["an"],
        "nothing was written",
    )
    refused(
        org.run("an", "import", csv_file("cadres.csv", [["code", "name", "department"], ["C07", "Lê Cường", "BTC"]])),
        "cadres may be changed only by an administrator login",
    )
    assert org.dump() == before
    ok(org.run("an", "import", csv_file("own.csv", [header, mine])))
    assert org.rows("SELECT cadre_id FROM visit WHERE start = '2020-04-01'") == [(1,)]
    assert org.rows("SELECT who, action FROM change ORDER BY id DESC LIMIT 1") == [(org.logins["an"], "import")]


def test_the_admin_may_do_all_of_it(org: Org) -> None:
    adm = org.logins["adm"]
    [(last,)] = org.rows("SELECT max(id) FROM change")
    for args, _what in OTHERS:
        ok(org.run("adm", *args))
    assert org.rows("SELECT count(*) FROM visit WHERE cadre_id = 2") == [(4,)]
    assert org.rows("SELECT code FROM cadre ORDER BY code") == [("C01",), ("C02",), ("C03",)]
    assert org.rows("SELECT value FROM setting WHERE key = 'lang'") == [("vi",)]
    whos = {who for (who,) in org.rows("SELECT who FROM change WHERE id > %s", (last,))}
    assert whos == {adm}


def test_a_login_tied_to_no_cadre_may_change_nothing(org: Org, pg: PgServer) -> None:
    stray = _login("stray")
    pg.create_login(stray, PASSWORD)
    try:
        pg.execute(f'GRANT congtac12_cadre TO "{stray}"')
        org.logins["stray"] = stray
        before = org.dump()
        ok(org.run("stray", "status", "--as-of", "31/03/2020"))
        refused(
            org.run("stray", "edit-visit", "1", "--topic", "x"), f"login {stray} is not tied to a cadre", "org grant"
        )
        refused(org.run("stray", "unit", "add", "--name", "X", "--level", "co-so"), "not tied to a cadre")
        assert org.dump() == before
    finally:
        pg.execute(f'DROP ROLE IF EXISTS "{stray}"')


# --- the database itself is the guard -----------------------------------------------


def test_the_database_refuses_a_cadre_that_bypasses_the_command(org: Org) -> None:
    before = org.dump()
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        # Reads: every cadre's records.
        assert con.execute("SELECT count(*) FROM visit").fetchone() == (4,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            con.execute(
                'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, created_at) '
                "VALUES (2, 1, '2020-03-20', '2020-03-20', 'chuyen-de', now())"
            )
        assert con.execute("UPDATE visit SET topic = 'x' WHERE id = 2").rowcount == 0
        assert con.execute("UPDATE report SET text = 'x' WHERE visit_id = 2").rowcount == 0
        # No DELETE grant at all (deletes go through congtac12_delete_own, for its own rows only).
        for statement in ("DELETE FROM visit WHERE id = 2", "DELETE FROM leave WHERE cadre_id = 2"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                con.execute(statement)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="leave 1 is not this login's cadre's"):
            con.execute("SELECT congtac12_delete_own('leave', 1)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            con.execute(
                "INSERT INTO report (visit_id, reported_on, text, created_at) VALUES (4, '2020-03-20', 'x', now())"
            )
        # Its own visit cannot be handed to another cadre (WITH CHECK).
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            con.execute("UPDATE visit SET cadre_id = 2 WHERE id = 1")
        for statement in (
            "INSERT INTO unit (name, level, created_at) VALUES ('X', 'co-so', now())",
            "UPDATE cadre SET name = 'x' WHERE id = 2",
            "INSERT INTO setting (key, value) VALUES ('lang', 'vi')",
            "UPDATE change SET who = 'someone'",
            "DELETE FROM change_item",
            "DELETE FROM org_login",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                con.execute(statement)
    assert org.dump() == before
    # The history cannot be forged: no login writes it, the database's triggers do.
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        [(theirs,)] = con.execute("SELECT max(id) FROM change WHERE who = %s", (org.logins["binh"],))
        for statement, params in (
            ("INSERT INTO change (at, who, action, summary) VALUES (now(), 'somebody_else', 'x', 'x')", ()),
            (
                "INSERT INTO change_item (change_id, entity, entity_key, after) VALUES (%s, 'visit', '2', '{}')",
                (theirs,),
            ),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                con.execute(statement, params)
    assert org.dump() == before
    # Its own: allowed.
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        assert con.execute("UPDATE visit SET topic = 'Riêng' WHERE id = 1").rowcount == 1


# --- owners and roles -----------------------------------------------------------


def test_an_owner_who_is_not_a_superuser(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual setup: the database belongs to a login with CREATEROLE, not to a superuser."""
    owner, an, binh = _login("owner"), _login("an"), _login("binh")
    pg.create_login(owner, PASSWORD)
    pg.execute(f'ALTER ROLE "{owner}" CREATEROLE')
    name = f"ct12_{os.getpid()}_owned_{next(_n)}"
    pg.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    try:
        org = Org(pg, name, {"boss": owner, "an": an, "binh": binh}, monkeypatch)
        ok(org.run("boss", "org", "init"))
        for code, who in (("C01", "Nguyễn Văn An"), ("C02", "Trần Thị Bình")):
            ok(org.run("boss", "cadre", "add", "--code", code, "--name", who, "--dept", "Ban Tổ chức"))
        made = ok(org.run("boss", "org", "grant", "--cadre", "C01", "--login", an))
        assert f"\\password {an}" in made.stdout  # a new login: no password yet
        ok(org.run("boss", "org", "grant", "--cadre", "C02", "--login", binh))
        for login in (an, binh):
            pg.create_login(login, PASSWORD)  # what \password does
        visit = ("--unit", "Ba Đình", "--from", "02/03/2020", "--to", "02/03/2020", "--kind", "chuyen-de")
        ok(org.run("an", "add-visit", "--cadre", "C01", *visit))
        before = org.dump()
        refused(org.run("binh", "add-visit", "--cadre", "C01", *visit), "the new visit is C01's", binh)
        refused(org.run("binh", "delete-visit", "1"), "visit 1 is C01's", binh)
        with psycopg.connect(org.url("binh"), autocommit=True) as con:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                con.execute("DELETE FROM visit WHERE id = 1")
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="visit 1 is not this login's cadre's"):
                con.execute("SELECT congtac12_delete_own('visit', 1)")
        assert org.dump() == before
        assert org.rows("SELECT who, action FROM change ORDER BY id DESC LIMIT 1") == [(an, "visit.add")]
    finally:
        pg.drop_database(name)
        for login in (an, binh, owner):
            pg.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_two_sessions_making_the_same_role_at_once(pg: PgServer) -> None:
    """Roles are cluster-wide: two databases set up at the same moment must not fail on each other."""
    import threading

    from sqlalchemy import create_engine

    from congtac12.store import org as rights
    from congtac12.store.location import PgUrl

    role = _login("race")
    engine = create_engine(PgUrl(pg.url).sqlalchemy_url)
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            with engine.connect() as b, b.begin():
                outcome["made"] = rights._ensure_role(b, role, login=False)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = exc

    try:
        with engine.connect() as a:
            with a.begin():
                assert rights._ensure_role(a, role, login=False)
                thread = threading.Thread(target=second)
                thread.start()
                thread.join(1.0)  # the second CREATE ROLE waits for this transaction
                assert thread.is_alive()
            thread.join(30)
        assert outcome == {"made": False}
    finally:
        pg.execute(f'DROP ROLE IF EXISTS "{role}"')
        engine.dispose()
