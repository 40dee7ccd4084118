"""The web face over a SQLite file, at the HTTP level (Starlette's TestClient on the real app).

Every route's status codes, the forms' validation (the command line's messages, beside the
field, nothing written), CSRF refusal, escaping of names and report texts, the security
headers, refusals (404, 405, 413, 415, a foreign Host) that write nothing, the language, and
the JSON that is byte for byte the command line's.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from conftest import dump_database, invoke
from support import succeeded as ok
from web_support import AS_OF, HOSTILE, build_record, csrf_of, field_errors

from congtac12.web.app import MAX_BODY, create_app


@pytest.fixture
def client(built, db):
    from starlette.testclient import TestClient

    built(build_record)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        yield c


def token(client) -> str:
    return csrf_of(client.get("/visits/new").text)


# --- every route, its status -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", f"/?as_of={AS_OF}", 200),
        ("GET", f"/?as_of={AS_OF}&department=Văn phòng&state=behind", 200),
        ("GET", "/?as_of=31/02/2020", 400),
        ("GET", f"/?as_of={AS_OF}&state=great", 400),
        ("GET", f"/?as_of={AS_OF}&department=Ban Nào", 400),
        ("GET", "/?as_of=2031-01-01", 404),  # no policy covers that year: the CLI's NotFound
        ("GET", f"/cadre/C01?as_of={AS_OF}", 200),
        ("GET", f"/cadre/nguyen van an?as_of={AS_OF}", 200),  # a name, as --cadre takes it
        ("GET", f"/cadre/C99?as_of={AS_OF}", 404),
        ("GET", f"/reports?as_of={AS_OF}", 200),
        ("GET", f"/reports?as_of={AS_OF}&state=overdue", 200),
        ("GET", f"/reports?as_of={AS_OF}&state=soon", 400),
        ("GET", "/summary?month=10/2020&as_of=2020-10-31", 200),
        ("GET", f"/summary?year=2020&as_of={AS_OF}", 200),
        ("GET", "/summary?month=13/2020", 400),
        ("GET", "/summary?year=20x0", 400),
        ("GET", "/summary?month=10/2020&year=2020", 400),
        ("GET", "/visits/new", 200),
        ("GET", "/visits/1/edit", 200),
        ("GET", "/visits/99/edit", 404),
        ("GET", "/visits/abc/edit", 404),
        ("GET", "/visits/99999999999999999999/edit", 404),
        ("GET", "/visits/1/report", 200),
        ("GET", "/visits/99/report", 404),
        ("GET", "/login", 303),  # to the board: no login on a SQLite file
        ("GET", f"/api/status?as_of={AS_OF}", 200),
        ("GET", f"/api/status?as_of={AS_OF}&cadre=C99", 404),
        ("GET", "/api/status?as_of=nope", 400),
        ("GET", f"/api/reports?as_of={AS_OF}", 200),
        ("GET", "/api/summary?month=10/2020&as_of=2020-10-31", 200),
        ("GET", "/api/visits/1/report", 200),
        ("GET", "/api/visits?cadre=C02", 200),
        ("GET", "/api/visits?from=05/03/2020&to=01/03/2020", 400),
        ("GET", "/api/visits/2/report", 404),  # no report yet
        ("GET", "/static/style.css", 200),
        ("GET", "/nowhere", 404),
        ("GET", "/static/nothing.css", 404),
        ("POST", "/", 405),
        ("PUT", "/visits/new", 405),
        ("DELETE", "/visits/1/edit", 405),
        ("GET", "/logout", 405),
        ("POST", "/api/status", 405),
    ],
)
def test_every_route_answers_with_its_status(client, method: str, path: str, status: int) -> None:
    r = client.request(method, path, follow_redirects=False)
    assert r.status_code == status, r.text[:400]
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp and "'unsafe-inline'" not in csp
    if status >= 400 and not path.startswith(("/api/", "/static/")):
        assert re.search(r'id="error">[^<]+<', r.text), r.text[:400]  # one line, in the page


def test_pages_hold_no_script() -> None:
    from pathlib import Path

    import congtac12.web

    folder = Path(congtac12.web.__file__).parent / "templates"
    for page in folder.glob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        assert "<script" not in text and " style=" not in text and "onclick" not in text, page.name


# --- the board and the cadre's page read the one evaluation ----------------------------------------


def test_the_board_shows_the_figures_of_status_json(client) -> None:
    page = client.get(f"/?as_of={AS_OF}").text
    status = json.loads(client.get(f"/api/status?as_of={AS_OF}").text)
    for cadre in status["cadres"]:
        row = re.search(rf'<tr data-code="{cadre["code"]}">(.*?)</tr>', page, re.S)
        assert row, cadre["code"]
        reports = cadre["reports"]
        for state in ("on_time", "late", "pending", "overdue"):  # one headed column each (issue 18)
            cls = state.replace("_", "-")
            assert f'<td class="num reports-{cls}">{reports[state]}</td>' in row.group(1), (cadre["code"], state)
        assert f'class="state state-{cadre["state"]}"' in row.group(1)
        assert f">{cadre['days']}/" in row.group(1) or f">{cadre['days']}<" in row.group(1)
    totals = dict(re.findall(r'data-state="([a-z_]+)"><span class="n">(\d+)</span>', page))
    for state, n in totals.items():
        assert int(n) == sum(1 for c in status["cadres"] if c["state"] == state), state
    # One table per department, in Vietnamese alphabetical order; cadres by given name.
    assert re.findall(r"<h2>(Ban Tổ chức|Văn phòng)</h2>", page) == ["Ban Tổ chức", "Văn phòng"]
    assert page.index('data-code="C01"') < page.index('data-code="C02"')  # An before Bình


def test_filters_narrow_the_board(client) -> None:
    page = client.get(f"/?as_of={AS_OF}&department=Văn phòng").text
    assert 'data-code="C03"' in page and 'data-code="C01"' not in page
    page = client.get(f"/?as_of={AS_OF}&state=met").text
    assert "data-code=" not in page
    assert "Không có cán bộ nào khớp với bộ lọc." in page


def test_the_cadre_page(client) -> None:
    page = client.get(f"/cadre/C01?as_of={AS_OF}").text
    state = json.loads(client.get(f"/api/status?as_of={AS_OF}&cadre=C01").text)["cadres"][0]["state"]
    assert "Nguyễn Văn An" in page and f'id="state" data-state="{state}"' in page
    assert "<svg" in page and "Số ngày đi cơ sở theo tháng" in page
    assert 'id="visit-1"' in page and "05/03/2020" in page  # the report, dated day first
    assert '<ul id="missing">' in page and "Còn thiếu:" in page


def test_json_is_byte_for_byte_the_command_line(client, db) -> None:
    for path, args in (
        (f"/api/status?as_of={AS_OF}", ("status", "--json", "--as-of", AS_OF)),
        (f"/api/status?as_of={AS_OF}&cadre=C01", ("status", "--json", "--as-of", AS_OF, "--cadre", "C01")),
        (f"/api/reports?as_of={AS_OF}", ("reports", "--json", "--as-of", AS_OF)),
        ("/api/summary?month=10/2020&as_of=2020-10-31", ("summary", "--json", "--month", "10/2020", "--as-of", "2020-10-31")),
        ("/api/summary?year=2020&as_of=2020-11-13", ("summary", "--json", "--year", "2020", "--as-of", AS_OF)),
        ("/api/visits/1/report", ("report", "show", "1", "--json")),
        ("/api/visits", ("visits", "--json")),
        ("/api/visits?cadre=C01&from=01/03/2020&to=31/03/2020", ("visits", "--json", "--cadre", "C01", "--from", "01/03/2020", "--to", "31/03/2020")),
    ):  # fmt: skip
        for lang in ("vi", "en"):
            r = client.get(path + f"&lang={lang}" if "?" in path else path + f"?lang={lang}")
            assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
            assert r.content == ok(invoke("--lang", lang, *args)).stdout.encode(), path


# --- escaping ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/?as_of={AS_OF}", f"/cadre/C03?as_of={AS_OF}", f"/cadre/C01?as_of={AS_OF}",
                                  f"/reports?as_of={AS_OF}", "/visits/3/edit", "/visits/1/report", "/visits/new"])  # fmt: skip
def test_names_and_texts_with_markup_are_escaped(client, path: str) -> None:
    page = client.get(path).text
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_a_hostile_path_is_escaped_in_the_404(client) -> None:
    r = client.get("/%3Cscript%3Ex")
    assert r.status_code == 404 and "<script>x" not in r.text and "&lt;script&gt;x" in r.text


# --- recording through the forms ------------------------------------------------------------------------


def test_a_visit_and_its_report_through_the_forms(client, db) -> None:
    t = token(client)
    r = client.post(
        "/visits/new",
        data={
            "csrf": t,
            "cadre": "C02",
            "unit": "Ba Đình",
            "from": "10/11/2020",
            "to": "11/11/2020",
            "kind": "chuyen-de",
            "topic": "Tập huấn",
            "order": "12/CL",
        },  # fmt: skip
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/cadre/C02?added=")
    new_id = int(r.headers["location"].rsplit("=", 1)[1])
    listed = json.loads(ok(invoke("visits", "--cadre", "C02", "--json")).stdout)
    assert [(v["id"], v["start"], v["end"], v["kind"]) for v in listed][-1] == (
        new_id, "2020-11-10", "2020-11-11", "chuyen-de")  # fmt: skip
    r = client.post(f"/visits/{new_id}/report", data={"csrf": t, "on": "12/11/2020", "text": "Đã tập huấn"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == f"/cadre/C02?reported={new_id}"
    shown = json.loads(ok(invoke("report", "show", str(new_id), "--json")).stdout)
    assert shown["text"] == "Đã tập huấn" and shown["reported_on"] == "2020-11-12"
    r = client.post(f"/visits/{new_id}/edit", data={"csrf": t, "unit": "Ba Đình", "from": "10/11/2020",
                    "to": "12/11/2020", "kind": "chuyen-de", "topic": "Tập huấn", "order": ""}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    edited = [v for v in json.loads(ok(invoke("visits", "--json")).stdout) if v["id"] == new_id][0]
    assert edited["end"] == "2020-11-12" and edited["order"] is None
    history = ok(invoke("history", "--json")).stdout
    assert history.count('"visit.add"') >= 1


@pytest.mark.parametrize(
    ("fields", "field", "needle"),
    [
        ({"from": "31/02/2020"}, "from", "không tồn tại"),
        ({"from": "2020-13-01"}, "from", "không tồn tại"),
        ({"from": "mai"}, "from", "không phải là ngày"),
        ({"from": ""}, "from", "đang trống"),
        ({"to": "30/02/2020"}, "to", "không tồn tại"),
        ({"from": "05/03/2020", "to": "01/03/2020"}, "to", "trước"),
        ({"kind": "du-lich"}, "kind", "du-lich"),
        ({"cadre": "C99"}, "form", "C99"),
        ({"unit": "Nơi Không Có"}, "form", "Nơi Không Có"),
        ({"from": "02/03/2020", "to": "03/03/2020", "cadre": "C01", "unit": "Ba Đình"}, "form", "đã ghi"),
    ],
)
def test_a_bad_field_is_named_beside_it_and_nothing_is_written(client, db, fields, field, needle) -> None:
    before = dump_database(db)
    data = {"csrf": token(client), "cadre": "C02", "unit": "Ba Đình", "from": "10/11/2020", "to": "",
            "kind": "chuyen-de", **fields}  # fmt: skip
    r = client.post("/visits/new", data=data)
    assert r.status_code in (400, 404, 409), r.text[:300]
    if field == "form":
        message = unescape(re.search(r'id="error-form" role="alert">(.*?)</p>', r.text).group(1))
    else:
        message = field_errors(r.text)[field]
    assert needle.lower() in message.lower() and "\n" not in message
    assert dump_database(db) == before
    assert f'value="{data["unit"]}"' in r.text  # what was typed is kept


def test_the_messages_are_the_command_lines(client) -> None:
    """The same parser, the same words: only the field's name differs from the option's."""
    r = client.post("/visits/new", data={"csrf": token(client), "cadre": "C01", "unit": "Ba Đình",
                                          "from": "31/02/2020", "kind": "chuyen-de"})  # fmt: skip
    cli = invoke("--lang", "vi", "add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "31/02/2020",
                 "--kind", "chuyen-de")  # fmt: skip
    assert cli.code == 2
    shown, said = field_errors(r.text)["from"], cli.stderr.strip()
    assert shown.startswith("ngày đầu '31/02/2020' ") and said.startswith("Lỗi: --from '31/02/2020' ")
    assert shown.split("'31/02/2020' ", 1)[1] == said.split("'31/02/2020' ", 1)[1]


def test_a_report_form_refuses_an_empty_text_and_a_bad_date(client, db) -> None:
    before = dump_database(db)
    t = token(client)
    r = client.post("/visits/2/report", data={"csrf": t, "on": "12/11/2020", "text": "   "})
    assert r.status_code == 400 and field_errors(r.text)["text"].startswith("nội dung báo cáo từ biểu mẫu trống")
    r = client.post("/visits/2/report", data={"csrf": t, "on": "32/11/2020", "text": "x"})
    assert r.status_code == 400 and "không tồn tại" in field_errors(r.text)["on"]
    r = client.post("/visits/1/report", data={"csrf": t, "on": "12/11/2020", "text": "again"})  # has one
    assert r.status_code == 409
    assert dump_database(db) == before


# --- refusals write nothing -----------------------------------------------------------------------------


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(client, db) -> None:
    before = dump_database(db)
    data = {"cadre": "C02", "unit": "Ba Đình", "from": "10/11/2020", "kind": "chuyen-de"}
    for extra in ({}, {"csrf": "forged"}, {"csrf": ""}):
        r = client.post("/visits/new", data={**data, **extra})
        assert r.status_code == 403 and "mã bảo mật" in r.text
    from starlette.testclient import TestClient

    with TestClient(client.app, base_url="http://127.0.0.1") as stranger:  # another browser: another session
        r = stranger.post("/visits/new", data={**data, "csrf": token(client)})
        assert r.status_code == 403
    assert dump_database(db) == before


def test_oversized_odd_and_foreign_requests_are_refused(client, db) -> None:
    before = dump_database(db)
    t = token(client)
    big = "csrf=" + t + "&text=" + "a" * (MAX_BODY + 1)
    r = client.post("/visits/1/report", content=big, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    r = client.post("/visits/new", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415
    r = client.get("/", headers={"host": "evil.example"})
    assert r.status_code == 400
    assert dump_database(db) == before


def test_cookies_are_httponly_and_samesite(client) -> None:
    from starlette.testclient import TestClient

    with TestClient(client.app, base_url="http://127.0.0.1") as fresh:
        r = fresh.get("/?lang=en&as_of=" + AS_OF)
    cookies = r.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("ct12_session="))
    assert "HttpOnly" in session and "SameSite=strict" in session and "Max-Age=" in session


def _session_cookie(response) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("ct12_session="))


@pytest.mark.parametrize(
    ("base_url", "secure_cookies", "secure"),
    [
        ("http://127.0.0.1", False, False),  # plain HTTP on this computer: a Secure cookie would never come back
        ("https://127.0.0.1", False, True),  # the request came over HTTPS
        ("http://127.0.0.1", True, True),  # web --secure-cookies: an HTTPS proxy elsewhere speaks HTTP to us
    ],
)
def test_cookies_are_secure_when_the_request_came_over_https(built, db, base_url, secure_cookies, secure) -> None:
    from starlette.testclient import TestClient

    built(build_record)
    with TestClient(create_app(db, secure_cookies=secure_cookies), base_url=base_url) as c:
        r = c.get("/?lang=en&as_of=" + AS_OF)
        assert r.status_code == 200
        cookies = r.headers.get_list("set-cookie")
        assert {c.split("=", 1)[0] for c in cookies} == {"ct12_session", "ct12_lang"}
        for cookie in cookies:
            assert ("; secure" in cookie.lower()) is secure, cookie
            assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        r = c.post("/logout", data={"csrf": token(c)}, follow_redirects=False)
        if secure and base_url.startswith("http:"):
            assert r.status_code == 403  # a client keeps a Secure cookie off plain HTTP, as a browser does
            return
        assert r.status_code == 303
        gone = _session_cookie(r)
        assert "Max-Age=0" in gone and ("; secure" in gone.lower()) is secure and "HttpOnly" in gone


# --- the language ----------------------------------------------------------------------------------------


def test_vietnamese_by_default_english_on_request_and_remembered(client) -> None:
    assert "<h1>Bảng trạng thái</h1>" in client.get(f"/?as_of={AS_OF}").text
    assert "13/11/2020" in client.get(f"/?as_of={AS_OF}").text
    page = client.get(f"/?as_of={AS_OF}&lang=en").text
    assert "<h1>Status board</h1>" in page and 'lang="en"' in page
    assert "<h1>Status board</h1>" in client.get(f"/?as_of={AS_OF}").text  # the cookie remembers it
    assert "<h1>Bảng trạng thái</h1>" in client.get(f"/?as_of={AS_OF}&lang=vi").text


def test_hostile_text_is_stored_as_typed(client) -> None:
    assert json.loads(client.get("/api/visits/1/report").text)["text"] == f"Đã khảo sát {HOSTILE}"


def test_the_status_sheet_downloads_are_the_command_lines_files(client, tmp_path) -> None:
    import io

    from openpyxl import load_workbook

    out = tmp_path / "status.csv"
    ok(invoke("status", "--as-of", AS_OF, "--format", "csv", "--out", str(out)))
    r = client.get(f"/status.csv?as_of={AS_OF}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="trang-thai-2020-11-13.csv"' in r.headers["content-disposition"]
    assert r.content == out.read_bytes()
    out = tmp_path / "status.xlsx"
    ok(invoke("status", "--as-of", AS_OF, "--format", "xlsx", "--out", str(out)))
    r = client.get(f"/status.xlsx?as_of={AS_OF}")
    assert r.status_code == 200

    def cells(data: bytes) -> list:
        return [[c.value for c in row] for ws in load_workbook(io.BytesIO(data)).worksheets for row in ws.iter_rows()]

    assert cells(r.content) == cells(out.read_bytes())
    assert client.get("/status.pdf").status_code == 404
    assert client.get("/status.csv?as_of=31/02/2020").status_code == 400


def test_the_status_documents_are_the_command_lines(client, tmp_path) -> None:
    import io
    import zipfile

    out = tmp_path / "status.html"
    ok(invoke("--lang", "vi", "status", "--as-of", AS_OF, "--html", str(out)))  # the page is Vietnamese by default
    r = client.get(f"/status.html?as_of={AS_OF}")
    assert r.status_code == 200 and r.content == out.read_bytes()
    assert "attachment" in r.headers["content-disposition"]
    r = client.get(f"/status.docx?as_of={AS_OF}")
    assert r.status_code == 200
    document = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode("utf-8")
    assert "Nguyễn Văn An" in document and "&lt;script&gt;" in document
    r = client.get(f"/status.pdf?as_of={AS_OF}")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
