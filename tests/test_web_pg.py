"""The web face in organisation mode (PostgreSQL): logging in, rights, the lock-out, the history.

A real server with two cadre logins and an administrator (as tests/test_org.py makes them):
PostgreSQL checks each password; each request runs as the login that logged in, so row-level
security and the history see that login, exactly as for the command line.
"""

from __future__ import annotations

import itertools
import json
import os
import re

import pytest
from conftest import invoke
from pg_server import PgServer
from support import succeeded as ok
from web_support import csrf_of

from congtac12.store.location import PgUrl

PASSWORD = "mật-khẩu-web"
_n = itertools.count(1)


def _login(role: str) -> str:
    return f"web{role}_{os.getpid()}_{next(_n)}"


@pytest.fixture(scope="module")
def record(pg: PgServer):
    logins = {role: _login(role) for role in ("an", "binh", "adm")}
    for login in logins.values():
        pg.create_login(login, PASSWORD)
    name = pg.new_database()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONGTAC12_DB", pg.url_of(name, password=pg.password))
        ok(invoke("org", "init"))
        ok(invoke("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức"))
        ok(invoke("cadre", "add", "--code", "C02", "--name", "Trần Thị Bình", "--dept", "Ban Tổ chức"))
        ok(invoke("org", "grant", "--cadre", "C01", "--login", logins["an"]))
        ok(invoke("org", "grant", "--cadre", "C02", "--login", logins["binh"]))
        ok(invoke("org", "grant", "--admin", "--login", logins["adm"]))
        ok(invoke("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "02/03/2020", "--kind", "chuyen-de"))
        ok(invoke("add-visit", "--cadre", "C02", "--unit", "Hoàn Kiếm", "--from", "04/03/2020", "--kind", "sinh-hoat"))
        ok(invoke("plan", "add", "--cadre", "C02", "--unit", "Ba Đình", "--from", "20/11/2020", "--kind", "chuyen-de"))
        ok(invoke("plan", "submit", "1"))
    yield name, logins
    pg.drop_database(name)
    for login in logins.values():
        pg.execute(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def site(pg: PgServer, record, monkeypatch: pytest.MonkeyPatch):
    """A copy of the record, the app over it (the server's URL names no password), and the logins."""

    from congtac12.web.app import create_app

    name, logins = record
    copy = pg.new_database(template=name)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    app = create_app(PgUrl(pg.url_of(copy)))
    yield app, copy, logins
    pg.drop_database(copy)


def client_of(app):
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1")


def log_in(c, login: str, password: str = PASSWORD):
    page = c.get("/login")
    return c.post("/login", data={"csrf": csrf_of(page.text), "login": login, "password": password, "next": "/"},
                  follow_redirects=False)  # fmt: skip


def test_every_page_needs_a_login(site) -> None:
    app, _copy, _logins = site
    with client_of(app) as c:
        r = c.get("/?as_of=2020-11-13", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        r = c.get("/api/status?as_of=2020-11-13")
        assert r.status_code == 401 and "error" in json.loads(r.text)
        assert c.get("/login").status_code == 200


def test_postgresql_checks_the_password_and_nothing_of_it_is_kept(site) -> None:
    app, _copy, logins = site
    with client_of(app) as c:
        r = log_in(c, logins["an"], "wrong")
        assert r.status_code == 403 and "mật khẩu không đúng" in r.text
        r = log_in(c, logins["an"], "")
        assert r.status_code == 400
        r = log_in(c, "no_such_login_x", "x")
        assert r.status_code == 403
        r = log_in(c, logins["an"])
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"]
        assert PASSWORD not in cookie and "mật" not in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        page = c.get("/?as_of=2020-11-13")
        assert page.status_code == 200 and logins["an"] in page.text


def test_a_lockout_after_repeated_failures(site) -> None:
    app, _copy, logins = site
    with client_of(app) as c:
        for _ in range(5):
            assert log_in(c, logins["binh"], "sai").status_code == 403
        r = log_in(c, logins["binh"])  # the right password, but locked out: PostgreSQL is not asked
        assert r.status_code == 429 and "thử lại sau 15 phút" in r.text
        assert log_in(c, logins["an"]).status_code == 303  # another login is not locked out


def test_a_cadre_records_its_own_visit_under_its_name_and_is_refused_on_the_other(site, pg: PgServer) -> None:
    app, copy, logins = site
    with client_of(app) as c:
        assert log_in(c, logins["an"]).status_code == 303
        t = csrf_of(c.get("/visits/new").text)
        r = c.post("/visits/new", data={"csrf": t, "cadre": "C01", "unit": "Đống Đa", "from": "10/11/2020",
                                         "kind": "kiem-tra"}, follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, r.text[:500]
        who = pg.execute("SELECT who, action FROM change ORDER BY id DESC LIMIT 1", database=copy)
        assert who == [(logins["an"], "visit.add")]
        before = pg.dump(copy)
        assert c.get("/visits/2/edit").status_code == 403
        assert c.get("/visits/2/report").status_code == 403
        r = c.post("/visits/2/edit", data={"csrf": t, "unit": "Ba Đình", "from": "04/03/2020", "kind": "chuyen-de"})
        assert r.status_code == 403 and "C02" in r.text
        r = c.post("/visits/2/report", data={"csrf": t, "on": "05/03/2020", "text": "x"})
        assert r.status_code == 403
        r = c.post("/visits/new", data={"csrf": t, "cadre": "C02", "unit": "Ba Đình", "from": "11/11/2020",
                                         "kind": "chuyen-de"})  # fmt: skip
        assert r.status_code == 403 and re.search(r'id="error-form"', r.text)
        assert pg.dump(copy) == before
        # Its own visit's report, and the page shows the state it changed.
        r = c.post("/visits/1/report", data={"csrf": t, "on": "05/03/2020", "text": "Đã khảo sát"},
                   follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        status = json.loads(c.get("/api/status?as_of=2020-11-13&cadre=C01").text)
        assert status["cadres"][0]["reports"]["on_time"] == 1


def test_the_administrator_may_change_every_record(site, pg: PgServer) -> None:
    app, copy, logins = site
    with client_of(app) as c:
        assert log_in(c, logins["adm"]).status_code == 303
        t = csrf_of(c.get("/visits/2/edit").text)
        r = c.post("/visits/2/edit", data={"csrf": t, "unit": "Hoàn Kiếm", "from": "04/03/2020", "to": "05/03/2020",
                                            "kind": "sinh-hoat", "topic": "", "order": ""}, follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        assert pg.execute("SELECT who FROM change ORDER BY id DESC LIMIT 1", database=copy) == [(logins["adm"],)]


def test_logging_out_ends_the_session(site) -> None:
    app, _copy, logins = site
    with client_of(app) as c:
        assert log_in(c, logins["an"]).status_code == 303
        cookie = c.cookies.get("ct12_session")
        t = csrf_of(c.get("/visits/new").text)
        assert c.post("/logout", data={"csrf": t}, follow_redirects=False).status_code == 303
    with client_of(app) as other:  # the old cookie, replayed, is worth nothing
        other.cookies.set("ct12_session", cookie)
        assert other.get("/?as_of=2020-11-13", follow_redirects=False).status_code == 303


def test_only_the_administrator_approves_a_plan(site, pg: PgServer) -> None:
    app, copy, logins = site
    with client_of(app) as c:
        assert log_in(c, logins["an"]).status_code == 303
        page = c.get("/plans?as_of=2020-11-13").text
        assert '<tr id="plan-1" data-state="submitted">' in page and 'id="approve-1"' not in page
        before = pg.dump(copy)
        r = c.post("/plans/1/approve", data={"csrf": csrf_of(page)})
        assert r.status_code == 403, r.text[:300]
        assert pg.dump(copy) == before
    with client_of(app) as c:
        assert log_in(c, logins["adm"]).status_code == 303
        page = c.get("/plans?as_of=2020-11-13").text
        r = c.post("/plans/1/approve", data={"csrf": csrf_of(page)}, follow_redirects=False)
        assert r.status_code == 303
        assert pg.execute("SELECT state, decided_by FROM plan WHERE id = 1", database=copy) == [
            ("approved", logins["adm"])
        ]


def test_a_cadre_registers_sends_and_deletes_only_its_own_plans(site, pg: PgServer) -> None:
    """AN (C01) registers its trip through /plans/new, under its own login in the history, sends
    one and deletes a draft; it cannot register one for C02, send or delete C02's, or approve."""
    app, copy, logins = site
    with client_of(app) as c:
        assert log_in(c, logins["an"]).status_code == 303
        page = c.get("/plans/new").text
        assert '<option value="C01" selected>' in page
        t = csrf_of(page)
        trip = {"csrf": t, "unit": "Đống Đa", "from": "01/12/2020", "to": "02/12/2020", "kind": "kiem-tra"}
        r = c.post("/plans/new", data={**trip, "cadre": "C01"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/plans?added=2#plan-2"
        r = c.post("/plans/new", data={"csrf": t, "cadre": "C01", "unit": "Ba Đình", "by": "month", "month": "01/2021",
                                        "days": "2", "kind": "sinh-hoat"}, follow_redirects=False)  # fmt: skip
        assert r.status_code == 303  # plan 3
        assert pg.execute("SELECT who, action FROM change ORDER BY id DESC LIMIT 1", database=copy) == [
            (logins["an"], "plan.add")
        ]
        page = c.get("/plans?as_of=2020-11-13").text
        assert 'id="submit-2"' in page and 'id="submit-1"' not in page and 'id="approve-2"' not in page
        before = pg.dump(copy)
        r = c.post("/plans/new", data={**trip, "cadre": "C02"})
        assert r.status_code == 403 and re.search(r'id="error-form"', r.text) and "C02" in r.text
        assert c.post("/plans/1/delete", data={"csrf": t}).status_code == 403  # C02's
        assert c.post("/plans/1/submit", data={"csrf": t}).status_code == 403
        assert c.post("/plans/2/approve", data={"csrf": t}).status_code == 403
        assert pg.dump(copy) == before
        assert c.post("/plans/2/submit", data={"csrf": t}, follow_redirects=False).status_code == 303
        assert c.post("/plans/3/delete", data={"csrf": t}, follow_redirects=False).status_code == 303
    assert pg.execute("SELECT id, cadre_id, state FROM plan ORDER BY id", database=copy) == [
        (1, 2, "submitted"),
        (2, 1, "submitted"),
    ]
