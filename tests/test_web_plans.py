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


# --- a cadre registers, sends and deletes its plans ----------------------------------------


def plan_form(client, **fields: str):
    t = csrf_of(client.get("/plans/new").text)
    data = {"csrf": t, "cadre": "C01", "unit": "Cầu Giấy", "kind": "phoi-hop", **fields}
    return client.post("/plans/new", data=data, follow_redirects=False)


def test_the_form_registers_a_dated_plan_and_a_month_plan(client, db) -> None:
    page = client.get("/plans/new")
    assert page.status_code == 200 and 'name="month"' in page.text and 'id="by-days" value="days" checked' in page.text
    before = dump_database(db)
    assert client.post("/plans/new", data={"cadre": "C01", "unit": "Cầu Giấy", "from": "01/12/2020"}).status_code == 403
    assert dump_database(db) == before  # no CSRF token: nothing written
    r = plan_form(client, **{"from": "07/12/2020", "to": "08/12/2020", "kind": "Phối hợp", "topic": "Tập huấn"})
    assert r.status_code == 303 and r.headers["location"] == "/plans?added=4#plan-4"
    assert 'id="added"' in client.get(r.headers["location"]).text
    r = plan_form(client, by="month", month="02/2021", days="3", **{"from": "not a date"})  # a month plan: no days
    assert r.status_code == 303 and r.headers["location"] == "/plans?added=5#plan-5"
    found = {p["id"]: p for p in json.loads(ok(invoke("plan", "list", "--json")).stdout)["plans"]}
    assert [
        (found[i]["start"], found[i]["end"], found[i]["month"], found[i]["days"], found[i]["state"]) for i in (4, 5)
    ] == [
        ("2020-12-07", "2020-12-08", None, 2, "draft"),
        ("2021-02-01", "2021-02-28", "2021-02", 3, "draft"),
    ]
    assert (found[4]["kind"], found[4]["topic"], found[4]["unit"]) == ("phoi-hop", "Tập huấn", "Quận đoàn Cầu Giấy")


# (fields, status, the field whose message it is, the message: the command line's words)
BAD = [
    ({"from": "08/12/2020", "to": "07/12/2020"}, 400, "to", "--to 07/12/2020 trước --from 08/12/2020"),
    ({"from": "31/02/2020"}, 400, "from", "31/02/2020"),
    ({}, 400, "from", "ngày đầu đang trống"),
    ({"from": "07/12/2020", "kind": "du lịch"}, 400, "kind", "chấp nhận: Chuyên đề, Phối hợp, Kiểm tra, Sinh hoạt"),
    ({"by": "month", "month": "13/2020", "days": "2"}, 400, "month", "tháng '13/2020' không phải là một tháng"),
    ({"by": "month", "month": "02/2021", "days": "ba"}, 400, "days", "số ngày 'ba' không phải là số ngày"),
    (
        {"by": "month", "month": "02/2021", "days": "29"},
        400,
        "days",
        "--days 29 không vừa tháng 02/2021; chấp nhận: 1 đến 28",
    ),
    ({"from": "07/12/2020", "unit": "Nơi nào đó"}, 404, None, "Nơi nào đó"),
    ({"from": "07/12/2020", "cadre": "C99"}, 404, None, "C99"),
]


@pytest.mark.parametrize(("fields", "status", "field", "words"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_a_bad_field_is_named_beside_it_and_nothing_is_written(client, db, fields, status, field, words) -> None:
    from web_support import field_errors

    before = dump_database(db)
    r = plan_form(client, **fields)
    assert r.status_code == status, r.text[:500]
    if field is not None:
        assert words in field_errors(r.text)[field]
    else:
        assert 'id="error-form"' in r.text and words in r.text
    assert dump_database(db) == before


def test_send_and_delete_through_the_forms(client, db) -> None:
    page = client.get("/plans?as_of=13/11/2020").text
    t = csrf_of(page)
    assert 'id="submit-3"' in page and 'id="delete-3"' in page  # a draft
    assert 'id="submit-1"' not in page and 'id="delete-1"' not in page  # submitted already
    before = dump_database(db)
    assert client.post("/plans/3/submit", data={"back": "/plans"}).status_code == 403  # no CSRF token
    assert client.post("/plans/1/delete", data={"csrf": t}).status_code == 409  # not a draft
    assert client.post("/plans/1/submit", data={"csrf": t}).status_code == 409  # sent already
    assert client.post("/plans/99/delete", data={"csrf": t}).status_code == 404
    assert dump_database(db) == before
    r = client.post("/plans/3/submit", data={"csrf": t, "back": "/plans?as_of=2020-11-13"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/plans?as_of=2020-11-13"
    assert state_of(3) == ("submitted", None)
    assert plan_form(client, **{"from": "09/12/2020"}).status_code == 303  # plan 4, a draft
    r = client.post("/plans/4/delete", data={"csrf": t}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/plans"
    assert [p["id"] for p in json.loads(ok(invoke("plan", "list", "--json")).stdout)["plans"]] == [1, 3, 2]
