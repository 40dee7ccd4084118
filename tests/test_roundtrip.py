"""Round trips as identity: export, import into an empty database, export again gives the same.

JSON byte for byte, CSV and XLSX cell for cell; and every output that reads the
record (status, reports, remind, summary, cadre list, leave list) says the same of
both databases at several dates. Database ids are not part of a file (a new
database gives new ones), so outputs are compared with each visit and leave named
by its natural key instead of its id.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DATES = ["2020-03-01", "2020-06-30", "2020-11-13", "2020-12-31", "2021-03-01"]
MONTHS = ["2020-03", "2020-09", "2020-12"]


def ok(run):
    assert run.code == 0 and run.crash is None, str(run)
    return run


def rich_record(cli) -> None:
    """Service periods, leave, an exemption, deactivated cadres, deleted visits, settings, risky texts."""
    ok(cli("config", "set", "policy", "ba-ria-vung-tau"))  # exempts leave of six months or more
    ok(cli("config", "set", "lang", "en"))
    ok(cli("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so", "--parent", "Ba Đình"))
    ok(cli("unit", "add", "--name", "Chi đoàn TDP số 5", "--level", "chi-doan", "--parent", "Phúc Xá"))
    cadres = [
        ("C01", "Nguyễn Văn An", "Ban Tổ chức – Kiểm tra", "--email", "an.nv@example.vn"),
        ("C02", "Phạm Thu Hà", "Văn phòng", "--joined", "01/07/2020"),
        ("C03", "Lê Văn Kế", "Văn phòng", "--joined", "01/03/2020", "--left", "30/09/2020"),
        ("C04", "Đặng Thị Đào", "@Ban Tuyên giáo"),
        ("C05", "=Trần Văn Bình", "Văn phòng", "--not-subject"),
        ("C06", "Hoàng Thị Mai", "Văn phòng"),
    ]
    for code, name, dept, *extra in cadres:
        ok(cli("cadre", "add", "--code", code, "--name", name, "--dept", dept, *extra))
    ok(cli("leave", "add", "--cadre", "C02", "--from", "01/09/2020", "--to", "28/02/2021", "--reason", "thai-san"))
    ok(cli("leave", "add", "--cadre", "C06", "--from", "01/03/2020", "--to", "30/11/2020", "--reason", "hoc-tap"))
    ok(cli("leave", "add", "--cadre", "C01", "--from", "10/08/2020", "--to", "20/08/2020", "--reason", "om-dau"))
    visits = [
        ("C01", "Ba Đình", "27/02/2020", "03/03/2020", "chuyen-de", "-1 ngày: khảo sát"),
        ("C01", "Chi đoàn TDP số 5", "10/03/2020", "10/03/2020", "sinh-hoat", "+ sinh hoạt chi đoàn"),
        ("C01", "Phúc Xá", "15/08/2020", "16/08/2020", "phoi-hop", "Tháng Thanh niên"),
        ("C02", "Tây Hồ", "02/07/2020", "05/07/2020", "kiem-tra", ""),
        ("C03", "Gia Lâm", "01/04/2020", "02/04/2020", "chuyen-de", "Khảo sát"),
        ("C04", "Sơn Tây", "05/03/2020", "05/03/2020", "sinh-hoat", ""),
        ("C04", "Mỹ Đức", "01/11/2020", "03/11/2020", "phoi-hop", ""),
        ("C01", "Hoàn Kiếm", "05/11/2020", "06/11/2020", "chuyen-de", "đợt xoá"),
    ]
    for cadre, unit, start, end, kind, topic in visits:
        ok(
            cli(
                "add-visit",
                "--cadre",
                cadre,
                "--unit",
                unit,
                "--from",
                start,
                "--to",
                end,
                "--kind",
                kind,
                "--topic",
                topic,
            )
        )
    ok(cli("report", "1", "--on", "10/03/2020", "--text", "Đã khảo sát.\nDòng hai: =1+2"))
    ok(cli("report", "4", "--on", "25/07/2020", "--text", "Muộn"))
    ok(cli("report", "6", "--on", "06/03/2020", "--text", "Báo cáo"))
    ok(cli("report", "8", "--on", "07/11/2020", "--text", "Của đợt đã xoá"))
    ok(cli("delete-visit", "8"))
    ok(cli("delete-visit", "5"))
    ok(cli("cadre", "delete", "C04"))


# --- comparing two databases --------------------------------------------------


def natural_ids(db: Path) -> tuple[dict[int, list], dict[int, list]]:
    con = sqlite3.connect(db)
    try:
        visits = {
            vid: [code, unit, start, end, kind]
            for vid, code, unit, start, end, kind in con.execute(
                "SELECT v.id, c.code, u.name, v.start, v.end, v.kind FROM visit v"
                " JOIN cadre c ON c.id = v.cadre_id JOIN unit u ON u.id = v.unit_id"
            )
        }
        leave = {
            lid: [code, start, end, reason]
            for lid, code, start, end, reason in con.execute(
                "SELECT l.id, c.code, l.start, l.end, l.reason FROM leave l JOIN cadre c ON c.id = l.cadre_id"
            )
        }
    finally:
        con.close()
    return visits, leave


def by_natural_key(obj, visits: dict, leave: dict, ids: str = "visit"):
    """The output with every visit and leave id as its natural key (``ids``: what a bare "id" is)."""
    if isinstance(obj, list):
        return [by_natural_key(x, visits, leave, ids) for x in obj]
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in ("visit_id", "visit") and isinstance(v, int):
                out[k] = visits[v]
            elif k == "leave" and isinstance(v, int):
                out[k] = leave[v]
            elif k == "id" and isinstance(v, int):
                out[k] = (leave if ids == "leave" else visits)[v]
            else:
                out[k] = by_natural_key(v, visits, leave, ids)
        return out
    return obj


def outputs(db: Path) -> dict[str, object]:
    """What every reading command says of ``db`` (JSON), at several dates."""
    visits, leave = natural_ids(db)
    said: dict[str, object] = {}

    def run(*args: str, leave_ids: bool = False):
        done = invoke("--db", str(db), *args)
        assert done.code == 0 and done.crash is None, str(done)
        doc = by_natural_key(json.loads(done.stdout), visits, leave, "leave" if leave_ids else "visit")
        if isinstance(doc, dict):
            # Listings break ties (the same due day, the same first day) by id, and ids are not in
            # a file: the rows are compared as a set, each row with all it says.
            for key in ("visits", "items"):
                if isinstance(doc.get(key), list):
                    doc[key] = sorted(doc[key], key=lambda r: json.dumps(r, sort_keys=True))
        if args[0] == "visits":  # oldest first, ties by id
            doc = sorted(doc, key=lambda r: json.dumps(r, sort_keys=True))
        said[" ".join(args)] = doc

    for day in DATES:
        run("status", "--as-of", day, "--json")
        run("reports", "--as-of", day, "--json")
        run("remind", "--as-of", day, "--json")
    for month in MONTHS:
        run("summary", "--month", month, "--as-of", "2020-12-31", "--json")
    run("cadre", "list", "--json")
    run("cadre", "list", "--all", "--json")
    run("leave", "list", "--json", leave_ids=True)
    run("visits", "--json")
    run("visits", "--deleted", "--json")
    return said


def sheet_cells(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def csv_cells(folder: Path) -> dict[str, list[list[str]]]:
    return {
        p.name: list(csv.reader(io.StringIO(p.read_bytes().decode("utf-8-sig"), newline="")))
        for p in sorted(folder.iterdir())
    }


def assert_round_trip_is_identity(db: Path, work: Path) -> None:
    """Every format: export ``db``, import into an empty database, export again: the same."""
    first = work / "first.json"
    ok(invoke("--db", str(db), "export", "--out", str(first)))
    ok(invoke("--db", str(db), "export", "--out", str(work / "first.xlsx")))
    ok(invoke("--db", str(db), "export", "--format", "csv", "--out", str(work / "first-csv")))
    mine = outputs(db)
    for name, source in (("json", first), ("xlsx", work / "first.xlsx"), ("csv", work / "first-csv")):
        other = work / f"from-{name}.db"
        ok(invoke("--db", str(other), "import", str(source)))
        again = work / f"again-{name}.json"
        ok(invoke("--db", str(other), "export", "--out", str(again)))
        assert again.read_bytes() == first.read_bytes(), name
        ok(invoke("--db", str(other), "export", "--out", str(work / f"again-{name}.xlsx")))
        assert sheet_cells(work / f"again-{name}.xlsx") == sheet_cells(work / "first.xlsx"), name
        ok(invoke("--db", str(other), "export", "--format", "csv", "--out", str(work / f"again-{name}-csv")))
        assert csv_cells(work / f"again-{name}-csv") == csv_cells(work / "first-csv"), name
        theirs = outputs(other)
        for command, said in mine.items():
            assert theirs[command] == said, f"{name}: {command}"


@pytest.mark.sqlite_only
def test_a_record_with_service_periods_leave_exemptions_deactivations_and_deleted_visits(cli, db, tmp_path):
    rich_record(cli)
    doc = json.loads(ok(cli("status", "--as-of", "2020-12-31", "--json")).stdout)
    states = {c["code"]: c["state"] for c in doc["cadres"]}
    assert states["C06"] == "exempt"  # 275 days of study leave: at least six months
    assert "C04" not in states  # deactivated: hidden from status
    assert_round_trip_is_identity(db, tmp_path)


@pytest.mark.sqlite_only
def test_the_demo_database(tmp_path):
    demo = tmp_path / "demo.db"
    ok(invoke("demo", "--out", str(demo)))
    assert_round_trip_is_identity(demo, tmp_path)


# --- any record -----------------------------------------------------------------

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
WORD = st.text(alphabet=LETTERS + LETTERS.upper(), min_size=1, max_size=8)
TEXT = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
RISKY_TEXT = st.tuples(st.sampled_from(["", "=", "+", "-", "@", "'="]), TEXT).map("".join)
UNITS = ["Quận đoàn Ba Đình", "Quận đoàn Tây Hồ", "Huyện đoàn Gia Lâm", "Thị đoàn Sơn Tây"]
KINDS = ["chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat"]
REASONS = ["thai-san", "hoc-tap", "om-dau", "khac"]
DAY = st.integers(min_value=0, max_value=400).map(lambda n: date(2020, 1, 1) + timedelta(days=n))


@st.composite
def records(draw) -> dict:
    """A valid export document: any mix of what a record can hold."""
    n = draw(st.integers(min_value=1, max_value=5))
    cadres, leave, visits, reports = [], [], [], []
    for i in range(n):
        joined = draw(st.none() | DAY)
        left = draw(st.none() | DAY.filter(lambda d, j=joined: j is None or d >= j))
        cadres.append(
            {
                "code": f"C{i:02d}",
                "name": draw(RISKY_TEXT),
                "department": draw(st.sampled_from(["Văn phòng", "Ban Tổ chức – Kiểm tra", "@Ban Tuyên giáo"])),
                "email": draw(st.none() | st.just(f"c{i}@example.vn")),
                "subject": draw(st.booleans()),
                "joined": joined and joined.isoformat(),
                "left": left and left.isoformat(),
                "active": draw(st.booleans()),
            }
        )
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            start = draw(DAY)
            end = start + timedelta(days=draw(st.integers(min_value=0, max_value=200)))
            leave.append(
                {
                    "cadre": f"C{i:02d}",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "reason": draw(st.sampled_from(REASONS)),
                }
            )
        keys = set()
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            start = draw(DAY)
            end = start + timedelta(days=draw(st.integers(min_value=0, max_value=5)))
            unit, kind = draw(st.sampled_from(UNITS)), draw(st.sampled_from(KINDS))
            if (unit, start, end, kind) in keys:
                continue
            keys.add((unit, start, end, kind))
            key = {"cadre": f"C{i:02d}", "unit": unit, "start": start.isoformat(), "end": end.isoformat(), "kind": kind}
            visits.append(
                {
                    **key,
                    "topic": draw(st.none() | RISKY_TEXT),
                    "order_no": draw(st.none() | WORD),
                    "deleted": draw(st.booleans()),
                }
            )
            if draw(st.booleans()):
                on = end + timedelta(days=draw(st.integers(min_value=0, max_value=30)))
                reports.append(
                    {**key, "reported_on": on.isoformat(), "text": draw(st.sampled_from(["", "=1+2"]) | TEXT)}
                )
    settings_ = [{"key": "lang", "value": draw(st.sampled_from(["vi", "en"]))}] if draw(st.booleans()) else []
    return {
        "format": "congtac12",
        "format_version": 2,
        "settings": settings_,
        "cadres": cadres,
        "leave": leave,
        "visits": visits,
        "reports": reports,
    }


@pytest.mark.sqlite_only
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records())
def test_any_record_round_trips_in_every_format(record) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "source.json"
        source.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        db = work / "record.db"
        ok(invoke("--db", str(db), "import", str(source)))
        assert_round_trip_is_identity(db, work)
