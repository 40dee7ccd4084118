"""``/plans`` on the web face: the registered trips as ``plan list`` sees them, approve and return
through forms (CSRF, the reason required, nothing written on a refusal), ``/api/plans`` byte for byte."""

from __future__ import annotations

import json

import pytest
from conftest import dump_database, invoke
from support import succeeded as ok
from web_support import HOSTILE, csrf_of

from congtac12.web.app import create_app


def build_plans(cli) -> None:  # noqa: ANN001
    ok(cli("init"))
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức"))
    ok(cli("plan", "add", "--cadre", "C01", "--unit", "Ba Đình", "--from", "20/11/2020", "--to", "21/11/2020",
           "--kind", "chuyen-de", "--topic", HOSTILE))  # fmt: skip
    ok(cli("plan", "add", "--cadre", "C01", "--unit", "Đống Đa", "--month", "12/2020", "--days", "3",
           "--kind", "sinh-hoat"))  # fmt: skip
    ok(cli("plan", "add", "--cadre", "C01", "--unit", "Hoàn Kiếm", "--from", "25/11/2020", "--kind", "kiem-tra"))
    ok(cli("plan", "submit", "1", "2"))


@pytest.fixture
def client(built, db):
    from starlette.testclient import TestClient

    built(build_plans)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        yield c


def state_of(plan_id: int) -> tuple[str, str | None]:
    found = json.loads(ok(invoke("plan", "list", "--as-of", "13/11/2020", "--json")).stdout)["plans"]
    plan = next(p for p in found if p["id"] == plan_id)
    return plan["state"], plan["reason"]


def test_the_plans_page_lists_them_with_their_states(client) -> None:
    page = client.get("/plans?as_of=13/11/2020").text
    assert '<tr id="plan-1" data-state="submitted">' in page and '<tr id="plan-3" data-state="draft">' in page
    assert "3 ngày trong 12/2020" in page or "3 ngày" in page
    assert 'id="approve-1"' in page and 'id="approve-3"' not in page  # only a submitted plan is decided
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert client.get("/plans?as_of=13/11/2020&state=da duyet").status_code == 200
    assert client.get("/plans?as_of=13/11/2020&state=nowhere").status_code == 400
    assert client.get("/plans?month=13/2020").status_code == 400


def test_approve_and_return_through_the_forms(client, db) -> None:
    t = csrf_of(client.get("/plans?as_of=13/11/2020").text)
    before = dump_database(db)
    assert client.post("/plans/1/approve", data={"back": "/plans"}).status_code == 403  # no CSRF token
    r = client.post("/plans/2/return", data={"csrf": t, "reason": "  "})
    assert r.status_code == 400 and "lý do đang trống" in r.text
    assert client.post("/plans/3/approve", data={"csrf": t}).status_code in (400, 409)  # a draft: not submitted
    assert client.post("/plans/99/approve", data={"csrf": t}).status_code == 404
    assert client.post("/plans/x/approve", data={"csrf": t}).status_code == 404
    assert client.get("/plans/1/approve").status_code == 405
    assert dump_database(db) == before
    r = client.post("/plans/1/approve", data={"csrf": t, "back": "/plans?as_of=2020-11-13"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/plans?as_of=2020-11-13"
    assert state_of(1) == ("approved", None)
    r = client.post("/plans/2/return", data={"csrf": t, "reason": "Trùng lịch Đại hội", "back": "//evil.example"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/plans"
    assert state_of(2) == ("returned", "Trùng lịch Đại hội")


def test_api_plans_is_plan_list_json(client) -> None:
    for lang in ("vi", "en"):
        r = client.get(f"/api/plans?as_of=2020-11-13&lang={lang}")
        assert (
            r.content == ok(invoke("--lang", lang, "plan", "list", "--as-of", "2020-11-13", "--json")).stdout.encode()
        )
