"""Every command of the core issue, run in-process against a temporary database.

Expected values are counted by hand from DOMAIN.md's rules (the arithmetic is
in the comments), never copied from the program's output. Policy: Hanoi 2020,
window 2020-03-01..2020-12-31 (306 days), 60 days, chuyen-de >= ceil(20% x 60)
= 12, sinh-hoat >= ceil(40% x 60) = 24, report due on last day + 10.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import sql
from support import clean as ok

pytestmark = pytest.mark.both_backends

BTC = "Ban Tổ chức – Kiểm tra"
VP = "Văn phòng"

# The 30 district-level unions of DOMAIN.md, typed out here (not imported from the seed).
EXAMPLES_JSON = Path(__file__).resolve().parent.parent / "examples" / "roster-and-season-2020.json"

HANOI_30 = {
    *(
        f"Quận đoàn {p}"
        for p in (
            "Ba Đình",
            "Hoàn Kiếm",
            "Tây Hồ",
            "Long Biên",
            "Cầu Giấy",
            "Đống Đa",
            "Hai Bà Trưng",
            "Hoàng Mai",
            "Thanh Xuân",
            "Nam Từ Liêm",
            "Bắc Từ Liêm",
            "Hà Đông",
        )
    ),
    "Thị đoàn Sơn Tây",
    *(
        f"Huyện đoàn {p}"
        for p in (
            "Sóc Sơn",
            "Đông Anh",
            "Gia Lâm",
            "Thanh Trì",
            "Mê Linh",
            "Ba Vì",
            "Phúc Thọ",
            "Đan Phượng",
            "Hoài Đức",
            "Quốc Oai",
            "Thạch Thất",
            "Chương Mỹ",
            "Thanh Oai",
            "Thường Tín",
            "Phú Xuyên",
            "Ứng Hòa",
            "Mỹ Đức",
        )
    ),
}


def js(run):
    return json.loads(ok(run))


def refused(run, code: int) -> str:
    """Assert a one-line error with the given exit code; return the message."""
    assert run.code == code, str(run)
    assert run.crash is None and "Traceback" not in run.stdout + run.stderr, str(run)
    assert run.stdout == "", str(run)
    assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1, str(run)
    return run.stderr


def add_cadre(cli, code, name, dept, *extra):
    ok(cli("cadre", "add", "--code", code, "--name", name, "--dept", dept, *extra))


# What add-visit says on stderr of a visit it records (issue 17; tests/test_daily_use.py checks the lines).
VISIT_WARNINGS = ("shares days with visit", "outside the window")


def visit_warnings_only(run) -> str:
    """Assert a success whose stderr holds only add-visit's warnings; return stdout."""
    assert run.code == 0 and run.crash is None, str(run)
    for line in run.stderr.splitlines():
        assert line.startswith("Warning: ") and any(w in line for w in VISIT_WARNINGS), str(run)
    return run.stdout


def add_visit(cli, cadre, unit, start, end, kind) -> int:
    run = cli("add-visit", "--cadre", cadre, "--unit", unit, "--from", start, "--to", end, "--kind", kind, "--json")
    return json.loads(visit_warnings_only(run))["id"]


def table_row(text: str, first_cell: str) -> list[str]:
    """The cells of the table line whose first cell is ``first_cell`` (cells are 2+ spaces apart)."""
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in:\n{text}")


# --- units ------------------------------------------------------------------


def test_a_new_database_holds_the_30_hanoi_district_unions(cli, dump) -> None:
    assert dump() is None
    assert ok(cli("init")).endswith("Made the database " + str(cli_db()) + ".\n")
    units = js(cli("unit", "list", "--json"))
    assert dump() is not None
    assert len(units) == 30
    assert {u["name"] for u in units} == HANOI_30
    assert {u["level"] for u in units} == {"huyen"}
    assert {u["parent"] for u in units} == {None}


def cli_db() -> str:
    """The database the commands use, as they name it."""
    import os

    from congtac12.store.location import resolve_path

    return str(resolve_path(os.environ["CONGTAC12_DB"]))


# A database is made by 'init' or by a command that writes; one that only reads refuses a missing file.
WRITING_FIRST = [
    ("init",),
    ("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so", "--parent", "Ba Đình"),
    ("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"),
    ("config", "set", "lang", "en"),
]
READING_FIRST = [
    ("unit", "list"),
    ("status", "--json"),
    ("cadre", "list", "--json"),
    ("cadre", "list", "--all"),
    ("leave", "list"),
    ("visits",),
    ("reports", "--json"),
    ("remind",),
    ("remind", "--json"),
    ("summary", "--month", "2020-10"),
    ("calendar", "--cadre", "C01"),
    ("history",),
    ("config", "show"),
    ("policy", "list"),
    ("db", "check"),
    ("db", "backup", "copy.db"),
    ("export", "--out", "out.json"),
]


@pytest.mark.parametrize("first", WRITING_FIRST, ids=lambda a: " ".join(a[:2]))
def test_any_first_command_creates_the_database(cli, db, first) -> None:
    ok(cli(*first))  # a command that writes (or init) as the very first command makes the database
    assert sql(db, "SELECT count(*) FROM unit WHERE level = 'huyen'") == [(30,)]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("first", READING_FIRST, ids=lambda a: " ".join(a[:2]))
def test_a_command_that_only_reads_refuses_a_missing_database_and_makes_none(
    cli, db: Path, first, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli(*first)
    assert run.code == 1 and run.crash is None and run.stdout == ""
    assert run.stderr == (
        f"Error: no congtac12 database at {db}; a command that only reads never makes one "
        "(make it with 'congtac12 init', or any command that writes); check --db and CONGTAC12_DB\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no database, no -wal, no export, no copy


@pytest.mark.sqlite_only
def test_the_typo_in_a_cron_line_exits_1_and_creates_no_file(tmp_path) -> None:
    import subprocess
    import sys

    typo = tmp_path / "typo.db"
    for args in (["remind"], ["import", "--dry-run", str(EXAMPLES_JSON)], ["status"]):
        done = subprocess.run(
            [sys.executable, "-m", "congtac12", "--db", str(typo), *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 1 and done.stdout == "", done
        assert done.stderr.startswith(f"Error: no congtac12 database at {typo};") and done.stderr.count("\n") == 1
        assert not typo.exists()


@pytest.mark.sqlite_only
def test_an_empty_file_is_not_a_database_for_a_read_but_init_makes_it_one(cli, db: Path) -> None:
    db.touch()
    assert cli("status").code == 1
    assert db.stat().st_size == 0  # left as it was
    assert ok(cli("init")) == f"Made the database {db}.\n"
    assert ok(cli("init")) == f"{db} is already a congtac12 database; nothing to do.\n"
    assert js(cli("cadre", "list", "--json")) == []


@pytest.mark.sqlite_only
@pytest.mark.parametrize("first", [("init",), ("unit", "add", "--name", "Chi đoàn A", "--level", "chi-doan")])
def test_a_new_sqlite_file_is_in_wal_mode(cli, db: Path, first) -> None:
    ok(cli(*first))
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


def test_unit_list_table_shows_names_and_levels(cli) -> None:
    ok(cli("init"))
    out = ok(cli("unit", "list"))
    assert table_row(out, "Quận đoàn Ba Đình")[1:] == ["District-level union", "—"]
    assert table_row(out, "Thị đoàn Sơn Tây")[1] == "District-level union"
    assert table_row(out, "Huyện đoàn Mỹ Đức")[1] == "District-level union"


def test_unit_add_with_parent_found_by_place_name(cli) -> None:
    out = ok(cli("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so", "--parent", "ba dinh"))
    assert out == "Added unit Đoàn phường Phúc Xá (Base union).\n"
    ok(cli("unit", "add", "--name", "Chi đoàn TDP số 1", "--level", "chi-doan", "--parent", "doan phuong phuc xa"))
    units = {u["name"]: u for u in js(cli("unit", "list", "--json"))}
    assert len(units) == 32  # 30 seeded + 2
    assert units["Đoàn phường Phúc Xá"] == {
        "name": "Đoàn phường Phúc Xá",
        "level": "co-so",
        "parent": "Quận đoàn Ba Đình",
    }
    assert units["Chi đoàn TDP số 1"] == {
        "name": "Chi đoàn TDP số 1",
        "level": "chi-doan",
        "parent": "Đoàn phường Phúc Xá",
    }
    out = ok(cli("unit", "list"))
    assert table_row(out, "Chi đoàn TDP số 1")[1:] == ["Branch (chi đoàn)", "Đoàn phường Phúc Xá"]


# --- cadres -----------------------------------------------------------------


def test_cadre_add_and_list(cli) -> None:
    out = ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", BTC))
    assert out == f"Added cadre C01 Nguyễn Văn An ({BTC}).\n"
    out = ok(
        cli("cadre", "add", "--code", "C02", "--name", "Đặng Thị Đào", "--dept", VP, "--email", "dao.dt@example.vn")
    )
    assert out == f"Added cadre C02 Đặng Thị Đào ({VP}).\n"
    out = ok(cli("cadre", "add", "--code", "A09", "--name", "Trần Văn Bình", "--dept", BTC, "--not-subject"))
    assert out == f"Added cadre A09 Trần Văn Bình ({BTC}) — not subject to the regime.\n"

    # Ordered by department (Vietnamese alphabetical order), then by given name: BTC (An C01, Bình A09)
    # before Văn phòng (C02).
    assert js(cli("cadre", "list", "--json")) == [
        {
            "code": "C01",
            "name": "Nguyễn Văn An",
            "department": BTC,
            "email": None,
            "subject": True,
            "joined": None,
            "left": None,
            "active": True,
        },
        {
            "code": "A09",
            "name": "Trần Văn Bình",
            "department": BTC,
            "email": None,
            "subject": False,
            "joined": None,
            "left": None,
            "active": True,
        },
        {
            "code": "C02",
            "name": "Đặng Thị Đào",
            "department": VP,
            "email": "dao.dt@example.vn",
            "subject": True,
            "joined": None,
            "left": None,
            "active": True,
        },
    ]
    out = ok(cli("cadre", "list"))
    assert table_row(out, "C01")[1:] == ["Nguyễn Văn An", BTC, "—", "yes"]
    assert table_row(out, "C02")[1:] == ["Đặng Thị Đào", VP, "dao.dt@example.vn", "yes"]
    assert table_row(out, "A09")[-1] == "no"


def test_cadre_list_of_an_empty_roster(cli) -> None:
    ok(cli("init"))
    assert js(cli("cadre", "list", "--json")) == []


# --- add-visit --------------------------------------------------------------


@pytest.fixture
def an(cli):
    """One cadre, C01 Nguyễn Văn An, and one named like her colleague, C02 Đặng Thị Đào."""
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC)
    add_cadre(cli, "C02", "Đặng Thị Đào", VP)
    return cli


def test_add_visit_text_output(an) -> None:
    out = ok(
        an(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "27/02/2020",
            "--to",
            "03/03/2020",
            "--kind",
            "chuyen-de",
        )
    )
    # 27, 28, 29 Feb (leap year) are outside the window; 1, 2, 3 March count: 3 days.
    # Report due: 3 March + 10 days = 13 March.
    assert out.splitlines()[0].startswith("Added visit 1: C01 Nguyễn Văn An at Quận đoàn Ba Đình")
    assert "Counts 3 days" in out
    assert "Report due 2020-03-13." in out


def test_add_visit_json_and_to_defaults_to_from(an) -> None:
    doc = js(
        an(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "son tay",
            "--from",
            "2020-03-05",
            "--kind",
            "sinh-hoat",
            "--topic",
            "Sinh hoạt chi đoàn",
            "--order",
            "12/CL",
            "--json",
        )
    )
    assert doc["id"] == 1
    assert doc["start"] == doc["end"] == "2020-03-05"  # --to defaults to --from
    assert doc["kind"] == "sinh-hoat"
    assert doc["report_due"] == "2020-03-15"  # 5 March + 10
    assert doc["days_counted"] == 1
    assert doc["unit"] == "Thị đoàn Sơn Tây"
    assert doc["cadre"] == "C01"
    assert doc["topic"] == "Sinh hoạt chi đoàn" and doc["order"] == "12/CL"
    second = js(
        an("add-visit", "--cadre", "C02", "--unit", "my duc", "--from", "2020-03-05", "--kind", "chuyen-de", "--json")
    )
    assert second["id"] == 2


@pytest.mark.parametrize(
    ("start", "end", "counted", "due"),
    [
        ("2020-01-10", "2020-01-12", 0, None),  # before the window: nothing counts, no report owed
        ("2020-02-29", "2020-03-01", 1, "2020-03-11"),  # leap day outside, 1 March inside
        ("2020-12-30", "2021-01-02", 2, "2021-01-12"),  # 30, 31 Dec inside; 1, 2 Jan outside
        ("2020-03-01", "2020-03-31", 31, "2020-04-10"),  # a whole month: 31 days
    ],
)
def test_add_visit_counts_only_window_days(an, start, end, counted, due) -> None:
    run = an(
        "add-visit",
        "--cadre",
        "C01",
        "--unit",
        "Ba Vì",
        "--from",
        start,
        "--to",
        end,
        "--kind",
        "phoi-hop",
        "--json",
    )
    doc = json.loads(visit_warnings_only(run))
    assert (doc["days_counted"], doc["report_due"]) == (counted, due)
    assert ("outside the window" in run.stderr) == (counted == 0)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2020-03-05", date(2020, 3, 5)),
        ("05/03/2020", date(2020, 3, 5)),
        ("5/3/2020", date(2020, 3, 5)),
        ("3/5/2020", date(2020, 5, 3)),  # day first: 3 May, never 5 March
        ("29/02/2020", date(2020, 2, 29)),  # leap day
    ],
)
def test_dates_are_iso_or_day_first(an, typed, expected) -> None:
    run = an("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", typed, "--kind", "kiem-tra", "--json")
    doc = json.loads(visit_warnings_only(run))  # 29/02/2020 is outside the window: a warning
    assert doc["start"] == doc["end"] == expected.isoformat()


def test_dates_today_and_yesterday(an) -> None:
    ok(an("config", "set", "policy", "ha-noi-2020"))  # no preset covers today's year (issue 17)
    before = date.today()
    doc = json.loads(
        visit_warnings_only(
            an(
                "add-visit",
                "--cadre",
                "C01",
                "--unit",
                "Ba Đình",
                "--from",
                "yesterday",
                "--to",
                "today",
                "--kind",
                "kiem-tra",
                "--json",
            )
        )
    )
    after = date.today()  # the clock may pass midnight during the call
    today = date.fromisoformat(doc["end"])
    assert today in {before, after}
    assert date.fromisoformat(doc["start"]) == today - timedelta(days=1)
    # the default policy is Hanoi 2020's: today is outside its window, counts nothing, owes no report
    assert (doc["days_counted"], doc["report_due"]) == (0, None)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("C01", "C01"),
        ("c01", "C01"),
        ("Nguyễn Văn An", "C01"),
        ("nguyen van an", "C01"),
        ("NGUYEN  VAN  AN", "C01"),
        ("Đặng Thị Đào", "C02"),
        ("dang thi dao", "C02"),
        ("DANG THI DAO", "C02"),
        ("dao", "C02"),  # a whole word of one name only
    ],
)
def test_cadre_found_by_code_or_name_without_diacritics(an, typed, code) -> None:
    doc = js(
        an("add-visit", "--cadre", typed, "--unit", "Ba Đình", "--from", "2020-03-05", "--kind", "chuyen-de", "--json")
    )
    assert doc["cadre"] == code


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("ba dinh", "Quận đoàn Ba Đình"),
        ("Ba Đình", "Quận đoàn Ba Đình"),
        ("quan doan ba dinh", "Quận đoàn Ba Đình"),
        ("son tay", "Thị đoàn Sơn Tây"),
        ("Mỹ Đức", "Huyện đoàn Mỹ Đức"),
        ("dong da", "Quận đoàn Đống Đa"),
        ("ung hoa", "Huyện đoàn Ứng Hòa"),
    ],
)
def test_unit_found_by_place_name(an, typed, unit) -> None:
    doc = js(
        an("add-visit", "--cadre", "C01", "--unit", typed, "--from", "2020-03-05", "--kind", "chuyen-de", "--json")
    )
    assert doc["unit"] == unit


def test_an_ambiguous_name_lists_the_candidates(an, dump) -> None:
    add_cadre(an, "C03", "Nguyễn Văn Anh", BTC)
    before = dump()
    # "nguyen van" is a whole-word part of both names.
    message = refused(
        an("add-visit", "--cadre", "nguyen van", "--unit", "Ba Đình", "--from", "2020-03-05", "--kind", "chuyen-de"), 1
    )
    assert "C01 Nguyễn Văn An" in message and "C03 Nguyễn Văn Anh" in message
    message = refused(an("status", "--cadre", "nguyen van"), 1)
    assert "C01 Nguyễn Văn An" in message and "C03 Nguyễn Văn Anh" in message
    # "Quận đoàn" is in the names of the 12 quận unions, and only theirs.
    message = refused(
        an("add-visit", "--cadre", "C01", "--unit", "quan doan", "--from", "2020-03-05", "--kind", "chuyen-de"), 1
    )
    assert "Quận đoàn Ba Đình" in message and "Quận đoàn Hà Đông" in message
    assert "Huyện đoàn" not in message and "Thị đoàn" not in message
    assert dump() == before
    # "Nguyễn Văn An" is exactly one name (and a whole-word part of the other): it finds An.
    doc = js(
        an(
            "add-visit",
            "--cadre",
            "nguyen van an",
            "--unit",
            "Ba Đình",
            "--from",
            "2020-03-05",
            "--kind",
            "chuyen-de",
            "--json",
        )
    )
    assert doc["cadre"] == "C01"


# --- visits -----------------------------------------------------------------


def build_scenario(cli) -> None:
    """Three cadres and ten visits; every figure below is counted from this by hand.

    C01 Nguyễn Văn An (BTC), C02 Đặng Thị Đào (Văn phòng), C03 Trần Văn Bình (BTC, not subject).
    id  cadre unit        from        to          kind       report on   (due = to + 10)
    1   C01   Ba Đình     2020-02-27  2020-03-03  chuyen-de  2020-03-13  (due 03-13: on time, the due day)
    2   C01   Sơn Tây     2020-03-02  2020-03-05  sinh-hoat  2020-03-16  (due 03-15: late by 1)
    3   C01   Mỹ Đức      2020-11-05  2020-11-06  phoi-hop   —           (due 11-16)
    4   C01   Đống Đa     2020-10-01  2020-10-01  kiem-tra   —           (due 10-11)
    5   C01   Ba Đình     2020-11-12  2020-11-20  chuyen-de  —           (due 11-30)
    6   C02   Sơn Tây     2020-04-01  2020-04-24  sinh-hoat  2020-05-04  (due 05-04: on time)
    7   C02   Ba Vì       2020-05-01  2020-05-12  chuyen-de  2020-05-20  (due 05-22: on time)
    8   C02   Gia Lâm     2020-06-01  2020-06-24  phoi-hop   2020-07-01  (due 07-04: on time)
    9   C02   Hoàn Kiếm   2020-11-10  2020-11-10  kiem-tra   2020-11-15  (due 11-20)
    10  C03   Tây Hồ      2020-03-10  2020-03-10  phoi-hop   —           (due 03-20)
    """
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC)
    add_cadre(cli, "C02", "Đặng Thị Đào", VP, "--email", "dao.dt@example.vn")
    add_cadre(cli, "C03", "Trần Văn Bình", BTC, "--not-subject")
    visits = [
        ("C01", "ba dinh", "27/02/2020", "03/03/2020", "chuyen-de"),
        ("C01", "son tay", "2020-03-02", "2020-03-05", "sinh-hoat"),
        ("nguyen van an", "my duc", "5/11/2020", "6/11/2020", "phoi-hop"),
        ("C01", "Đống Đa", "01/10/2020", "01/10/2020", "kiem-tra"),
        ("C01", "Ba Đình", "2020-11-12", "2020-11-20", "chuyen-de"),
        ("dang thi dao", "Sơn Tây", "01/04/2020", "24/04/2020", "sinh-hoat"),
        ("C02", "ba vi", "01/05/2020", "12/05/2020", "chuyen-de"),
        ("C02", "gia lam", "01/06/2020", "24/06/2020", "phoi-hop"),
        ("C02", "hoan kiem", "10/11/2020", "10/11/2020", "kiem-tra"),
        ("C03", "tay ho", "10/03/2020", "10/03/2020", "phoi-hop"),
    ]
    for i, visit in enumerate(visits, 1):
        assert add_visit(cli, *visit) == i
    for visit_id, on in [
        (1, "13/03/2020"),
        (2, "16/03/2020"),
        (6, "04/05/2020"),
        (7, "20/05/2020"),
        (8, "01/07/2020"),
        (9, "15/11/2020"),
    ]:
        ok(cli("report", str(visit_id), "--on", on, "--text", f"Báo cáo kết quả đợt {visit_id}"))


@pytest.fixture
def scenario(cli):
    build_scenario(cli)
    return cli


def ids(run) -> list[int]:
    return [v["id"] for v in js(run)]


def test_visits_lists_oldest_first(scenario) -> None:
    # Ordered by first day: 1 (27/02), 2 (02/03), 10 (10/03), 6 (01/04), 7 (01/05), 8 (01/06),
    # 4 (01/10), 3 (05/11), 9 (10/11), 5 (12/11).
    assert ids(scenario("visits", "--json")) == [1, 2, 10, 6, 7, 8, 4, 3, 9, 5]


def test_visits_filters(scenario) -> None:
    assert ids(scenario("visits", "--cadre", "dang thi dao", "--json")) == [6, 7, 8, 9]
    # Ending on or after 1 Nov: 3 (05/11-06/11), 9 (10/11), 5 (12/11-20/11).
    assert ids(scenario("visits", "--from", "01/11/2020", "--json")) == [3, 9, 5]
    # Starting on or before 5 March: 1 (27/02) and 2 (02/03).
    assert ids(scenario("visits", "--to", "5/3/2020", "--json")) == [1, 2]
    # Touching 3..10 March: 1 ends 03/03, 2 runs 02/03-05/03, 10 is 10/03.
    assert ids(scenario("visits", "--from", "2020-03-03", "--to", "2020-03-10", "--json")) == [1, 2, 10]
    assert ids(scenario("visits", "--cadre", "C01", "--from", "2020-03-03", "--to", "2020-03-10", "--json")) == [1, 2]
    assert ids(scenario("visits", "--cadre", "C03", "--from", "2020-04-01", "--json")) == []


def test_visits_json_fields(scenario) -> None:
    rows = {v["id"]: v for v in js(scenario("visits", "--cadre", "C01", "--json"))}
    assert rows[2] == {
        "id": 2,
        "cadre": "C01",
        "name": "Nguyễn Văn An",
        "unit": "Thị đoàn Sơn Tây",
        "start": "2020-03-02",
        "end": "2020-03-05",
        "kind": "sinh-hoat",
        "topic": None,
        "order": None,
        "report_due": "2020-03-15",  # 5 March + 10
        "reported_on": "2020-03-16",
        "counted_days": 4,  # 2..5 March, all inside the window (issue 17)
    }
    assert rows[5]["report_due"] == "2020-11-30"  # 20 Nov + 10
    assert rows[5]["reported_on"] is None


def test_visits_table(scenario) -> None:
    out = ok(scenario("visits", "--cadre", "C02"))
    # One cadre: the name is the table's title, not a column.
    assert out.lstrip().startswith("C02 Đặng Thị Đào")
    assert table_row(out, "7")[1:] == [
        # 01/05 to 12/05: 12 days long, all 12 counted; due 12/05 + 10 = 22/05
        "Huyện đoàn Ba Vì",
        "2020-05-01",
        "2020-05-12",
        "12",
        "12",
        "Thematic",
        "2020-05-22",
        "2020-05-20",
    ]
    assert "Nguyễn Văn An" not in out


# --- report -----------------------------------------------------------------


def stored_report(db, visit_id: int) -> tuple[str, str]:
    return sql(db, "SELECT reported_on, text FROM report WHERE visit_id = ?", (visit_id,))[0]


def test_report_on_the_due_day_is_on_time_the_day_after_late(an, db: Path) -> None:
    add_visit(an, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")  # due 06/03 + 10 = 16/03
    add_visit(an, "C01", "Sơn Tây", "05/03/2020", "06/03/2020", "sinh-hoat")  # due 16/03 too
    out = ok(an("report", "1", "--on", "16/03/2020", "--text", "Đã khảo sát tình hình đoàn viên"))
    assert out == "Recorded the report of visit 1, dated 2020-03-16: on time (due 2020-03-16).\n"
    out = ok(an("report", "2", "--on", "17/03/2020", "--text", "x"))
    assert out == "Recorded the report of visit 2, dated 2020-03-17: late by 1 day (due 2020-03-16).\n"
    assert stored_report(db, 1) == ("2020-03-16", "Đã khảo sát tình hình đoàn viên")


def test_report_on_the_last_day_of_the_trip_is_accepted(an) -> None:
    add_visit(an, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")
    assert "dated 2020-03-06: on time" in ok(an("report", "1", "--on", "2020-03-06", "--text", "x"))


def test_report_replace(an, db: Path) -> None:
    add_visit(an, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")
    ok(an("report", "1", "--on", "10/03/2020", "--text", "bản nháp"))
    out = ok(an("report", "1", "--on", "20/03/2020", "--text", "bản cuối", "--replace"))
    # due 16/03; 20/03 is 4 days after.
    assert out == "Replaced the report of visit 1, dated 2020-03-20: late by 4 days (due 2020-03-16).\n"
    assert stored_report(db, 1) == ("2020-03-20", "bản cuối")
    assert len(js(an("visits", "--json"))) == 1


def test_report_text_from_a_file_and_from_stdin(an, db: Path, tmp_path: Path) -> None:
    add_visit(an, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")
    add_visit(an, "C01", "Sơn Tây", "05/03/2020", "06/03/2020", "sinh-hoat")
    body = "Thời gian: 05–06/3/2020\nĐịa điểm: Quận đoàn Ba Đình\nKết quả: tốt\n"
    path = tmp_path / "bao-cao.txt"
    path.write_text(body, encoding="utf-8")
    ok(an("report", "1", "--on", "2020-03-07", "--file", str(path)))
    assert stored_report(db, 1) == ("2020-03-07", body.strip())
    ok(an("report", "2", "--on", "2020-03-07", input="Dự sinh hoạt chi đoàn\n"))
    assert stored_report(db, 2) == ("2020-03-07", "Dự sinh hoạt chi đoàn")


def test_report_defaults_to_today(an, db: Path) -> None:
    add_visit(an, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")  # due 16/03/2020
    before = date.today()
    out = ok(an("report", "1", "--text", "x"))
    after = date.today()
    on = date.fromisoformat(stored_report(db, 1)[0])
    assert on in {before, after}
    late = (on - date(2020, 3, 16)).days
    assert f"dated {on.isoformat()}: late by {late:,} {'day' if late == 1 else 'days'} (due 2020-03-16)" in out


# --- status -------------------------------------------------------------------

POLICY = {
    "id": "ha-noi-2020",
    "window": {"start": "2020-03-01", "end": "2020-12-31"},
    "min_days": 60,
    "report_due_days": 10,
}
CADRE_KEYS = (
    "code",
    "name",
    "department",
    "subject",
    "state",
    "required_days",
    "days",
    "days_by_kind",
    "checks",
    "reports",
)


def contract(doc: dict) -> dict:
    """The documented keys of ``status --json`` only (the program may add others)."""
    return {
        "as_of": doc["as_of"],
        "policy": {k: doc["policy"][k] for k in POLICY},
        "cadres": [{k: c[k] for k in CADRE_KEYS} for c in doc["cadres"]],
    }


def checks(days, chuyen_de, sinh_hoat, bad_reports) -> list[dict]:
    """The four Hanoi checks from the counts: 60 days, 12 chuyen-de, 24 sinh-hoat, 0 bad reports."""
    return [
        {"rule": "min_days", "required": 60, "actual": days, "met": days >= 60},
        {"rule": "kind:chuyen-de", "required": 12, "actual": chuyen_de, "met": chuyen_de >= 12},
        {"rule": "kind:sinh-hoat", "required": 24, "actual": sinh_hoat, "met": sinh_hoat >= 24},
        {"rule": "reports", "required": 0, "actual": bad_reports, "met": bad_reports == 0},
    ]


def kinds(cd, ph, kt, sh) -> dict:
    return {"chuyen-de": cd, "phoi-hop": ph, "kiem-tra": kt, "sinh-hoat": sh}


def reports(on_time, late, pending, overdue) -> dict:
    return {"on_time": on_time, "late": late, "pending": pending, "overdue": overdue}


# As of 2020-11-13 (the source's date):
# C01: days: visits 1+2 overlap on 2-3 March, union 1..5 March = 5; visit 4: 1 Oct = 1;
#      visit 3: 5-6 Nov = 2; visit 5: 12-13 Nov only (14-20 Nov are after as-of) = 2 -> 10.
#      chuyen-de 3 (1-3 Mar) + 2 (12-13 Nov) = 5; phoi-hop 2; kiem-tra 1; sinh-hoat 4 (2-5 Mar).
#      reports: 1 on time (13/03 = due), 2 late (16/03 > 15/03), 3 pending (due 16/11 >= 13/11),
#      4 overdue (due 11/10 < 13/11), 5 pending (due 30/11) -> 1/1/2/1; bad = 1 + 1 = 2.
#      State: before the window's end, not all met, a late report -> behind.
# C03: not subject: no checks; 1 day (10 Mar, phoi-hop); visit 10 unreported, due 20/03 -> overdue.
# C02: 24 (1-24 Apr) + 12 (1-12 May) + 24 (1-24 Jun) + 1 (10 Nov) = 61; chuyen-de 12,
#      phoi-hop 24, kiem-tra 1, sinh-hoat 24; reports 6, 7, 8 on time; 9's report is dated
#      15/11, after as-of, so unseen: pending (due 20/11) -> 3/0/1/0. All checks met -> met.
# Order: by department ("Ban Tổ chức – Kiểm tra" < "Văn phòng"), then code: C01, C03, C02.
EXPECTED_2020_11_13 = {
    "as_of": "2020-11-13",
    "policy": POLICY,
    "cadres": [
        {
            "code": "C01",
            "name": "Nguyễn Văn An",
            "department": BTC,
            "subject": True,
            # 50 days short with 48 available days left (see below): not met from that day (issue 17; was behind)
            "state": "not_met",
            "required_days": 60,
            "days": 10,
            "days_by_kind": kinds(5, 2, 1, 4),
            "checks": checks(10, 5, 4, 2),
            "reports": reports(1, 1, 2, 1),
        },
        {
            "code": "C03",
            "name": "Trần Văn Bình",
            "department": BTC,
            "subject": False,
            "state": "not_subject",
            "required_days": 0,
            "days": 1,
            "days_by_kind": kinds(0, 1, 0, 0),
            "checks": [],
            "reports": reports(0, 0, 0, 1),
        },
        {
            "code": "C02",
            "name": "Đặng Thị Đào",
            "department": VP,
            "subject": True,
            "state": "met",
            "required_days": 60,
            "days": 61,
            "days_by_kind": kinds(12, 24, 1, 24),
            "checks": checks(61, 12, 24, 0),
            "reports": reports(3, 0, 1, 0),
        },
    ],
}


def test_status_json_contract_on_the_source_date(scenario) -> None:
    doc = js(scenario("status", "--as-of", "13/11/2020", "--json"))
    assert contract(doc) == EXPECTED_2020_11_13
    # Pace figures for C01: elapsed = 31+30+31+30+31+31+30+31 (Mar..Oct) + 13 = 258 days;
    # pace line = floor(60 x 258 / 306) = floor(15480 / 306) = 50; days left = 17 (Nov) + 31 = 48;
    # needed = max(60 - 10, (12 - 5) + (24 - 4)) = max(50, 27) = 50; 50 > 48 days left: the 60 days can no
    # longer be met (issue 17), so no pace (was 50 x 7 / 48 = 7.29); chuyen-de 7 and sinh-hoat 20 still fit.
    c01 = doc["cadres"][0]
    assert (c01["expected_days"], c01["days_left"], c01["days_needed"]) == (50, 48, 50)
    assert c01["pace_per_week"] is None
    assert c01["unreachable"] == [{"rule": "min_days", "needed": 50, "days_left": 48}]


def test_status_json_for_one_cadre_by_name(scenario) -> None:
    doc = js(scenario("status", "--cadre", "dang thi dao", "--as-of", "2020-11-13", "--json"))
    assert contract(doc) == {**EXPECTED_2020_11_13, "cadres": [EXPECTED_2020_11_13["cadres"][2]]}


def status_of(cli, code: str, as_of: str) -> dict:
    return contract(js(cli("status", "--cadre", code, "--as-of", as_of, "--json")))["cadres"][0]


def test_status_on_the_due_day_and_the_day_after(scenario) -> None:
    # 16/11 is visit 3's due day: still pending. Visit 5 now counts 12..16 Nov = 5 days:
    # total 5 + 1 + 2 + 5 = 13; chuyen-de 3 + 5 = 8.
    c01 = status_of(scenario, "C01", "16/11/2020")
    assert (c01["days"], c01["days_by_kind"]["chuyen-de"]) == (13, 8)
    assert c01["reports"] == reports(1, 1, 2, 1)
    # 17/11: visit 3 is overdue; visit 5 counts 12..17 Nov = 6 days: total 14.
    c01 = status_of(scenario, "C01", "17/11/2020")
    assert c01["days"] == 14
    assert c01["reports"] == reports(1, 1, 1, 2)
    assert c01["checks"][-1] == {"rule": "reports", "required": 0, "actual": 3, "met": False}
    # C02's report of visit 9 is dated 15/11 (due 20/11): seen from 15/11 on, on time.
    assert status_of(scenario, "C02", "14/11/2020")["reports"] == reports(3, 0, 1, 0)
    assert status_of(scenario, "C02", "15/11/2020")["reports"] == reports(4, 0, 0, 0)


def test_status_states_over_the_year(scenario) -> None:
    # 5 March: C01 has 1..5 March = 5 days; elapsed 5, pace line floor(60 x 5 / 306) = 0;
    # the reports of visits 1 and 2 (13/03, 16/03) are not yet seen: 2 pending -> on_track.
    c01 = status_of(scenario, "C01", "2020-03-05")
    assert (c01["state"], c01["days"], c01["reports"]) == ("on_track", 5, reports(0, 0, 2, 0))
    # C02 has nothing yet; pace line 0, nothing owed -> on_track.
    assert status_of(scenario, "C02", "2020-03-05")["state"] == "on_track"
    # 31 March: elapsed 31, pace line floor(60 x 31 / 306) = floor(1860 / 306) = 6;
    # C02 has 0 days < 6 and no report owed -> behind on pace alone.
    c02 = status_of(scenario, "C02", "2020-03-31")
    assert (c02["state"], c02["days"], c02["reports"]) == ("behind", 0, reports(0, 0, 0, 0))
    # 10 April: elapsed 31 + 10 = 41, pace line floor(2460 / 306) = 8; C02 has 1..10 April = 10.
    c02 = status_of(scenario, "C02", "2020-04-10")
    assert (c02["state"], c02["days"]) == ("on_track", 10)
    # 31 December: the window's last day. C01: visit 5 now counts 12..20 Nov = 9:
    # 5 + 1 + 2 + 9 = 17 days; chuyen-de 3 + 9 = 12 (met), sinh-hoat 4; reports: 1 on time,
    # 2 late, 3/4/5 overdue (due 16/11, 11/10, 30/11) -> not_met.
    c01 = status_of(scenario, "C01", "31/12/2020")
    assert c01["state"] == "not_met"
    assert c01["days"] == 17
    assert c01["checks"] == checks(17, 12, 4, 4)
    assert c01["reports"] == reports(1, 1, 0, 3)
    assert status_of(scenario, "C02", "31/12/2020")["state"] == "met"
    assert status_of(scenario, "C03", "31/12/2020")["state"] == "not_subject"


def test_status_table_for_one_cadre_shows_missing_items_and_pace(scenario) -> None:
    out = ok(scenario("status", "--cadre", "nguyen van an", "--as-of", "13/11/2020"))
    lines = out.splitlines()
    assert lines[0] == f"Nguyễn Văn An (C01) — {BTC}"
    assert "as of 2020-11-13" in lines[1]
    assert "State: not met" in lines  # 50 days short, 48 left (issue 17; was behind)
    assert table_row(out, "Days at the base")[1:] == ["60", "10", "✗"]
    assert table_row(out, "Thematic work")[1:] == ["12", "5", "✗"]
    assert table_row(out, "Attending meetings")[1:] == ["24", "4", "✗"]
    assert table_row(out, "Reports late or overdue")[1:] == ["0", "2", "✗"]
    assert (
        "Days by kind: Thematic work 5, Co-organising activities 2, Inspection and supervision 1, Attending meetings 4"
    ) in lines
    assert "Reports: 1 on time, 1 late, 2 pending, 1 overdue" in lines
    # Missing: 60 - 10 = 50 days, 12 - 5 = 7 chuyen-de, 24 - 4 = 20 sinh-hoat, 1 late + 1 overdue.
    missing = lines[lines.index("Still missing:") + 1 :]
    assert missing[:4] == [
        "  • 50 more days at the base",
        "  • 7 more days of Thematic work",
        "  • 20 more days of Attending meetings",
        "  • 2 reports late or overdue",
    ]
    # Pace: see test_status_json_contract_on_the_source_date: 50 needed, 48 left, so no pace but the reason.
    assert "Pace line today: 50 days (60 × 258/306 window days elapsed)." in lines
    assert "Can no longer be met:" in lines
    assert "  • days at the base: needs 50 days, only 48 available days left" in lines
    assert "Pace needed: none can make it (not met from this day)." in lines
    assert not [line for line in lines if "days/week" in line]


def test_status_table_for_a_cadre_who_has_met_everything(scenario) -> None:
    out = ok(scenario("status", "--cadre", "C02", "--as-of", "13/11/2020"))
    assert "State: met" in out.splitlines()
    assert table_row(out, "Days at the base")[1:] == ["60", "61", "✓"]
    assert "Nothing is missing." in out.splitlines()
    out = ok(scenario("status", "--cadre", "tran van binh", "--as-of", "13/11/2020"))
    assert "State: not subject" in out.splitlines()
    assert "Not subject to the regime; 1 day at the base recorded in the window." in out


def test_status_table_for_all_grouped_by_department(scenario) -> None:
    out = ok(scenario("status", "--as-of", "2020-11-13"))
    lines = [line.strip() for line in out.splitlines()]
    assert "as of 2020-11-13" in lines[0]
    order = [lines.index(BTC), lines.index(VP)]
    rows = {
        code: next(i for i, line in enumerate(lines) if line.startswith(code + " ")) for code in ("C01", "C02", "C03")
    }
    assert order[0] < rows["C01"] < rows["C03"] < order[1] < rows["C02"]
    # Cells: days, chuyen-de, sinh-hoat as actual/required with ✓/✗; reports on time/late/pending/overdue.
    # C01: 50 days short with 48 left: not met (issue 17; was behind)
    assert table_row(out, "C01")[1:] == ["Nguyễn Văn An", "10/60 ✗", "5/12 ✗", "4/24 ✗", "1/1/2/1", "not met"]
    assert table_row(out, "C03")[1:] == ["Trần Văn Bình", "1", "—", "—", "0/0/0/1", "not subject"]
    assert table_row(out, "C02")[1:] == ["Đặng Thị Đào", "61/60 ✓", "12/12 ✓", "24/24 ✓", "3/0/1/0", "met"]
    assert lines[-1] == "3 cadres: 1 met, 1 not met, 1 not subject"


def test_status_of_an_empty_roster(cli) -> None:
    ok(cli("init"))
    doc = js(cli("status", "--as-of", "2020-11-13", "--json"))
    assert contract(doc) == {"as_of": "2020-11-13", "policy": POLICY, "cadres": []}


def test_status_as_of_defaults_to_today(scenario) -> None:
    ok(scenario("config", "set", "policy", "ha-noi-2020"))  # no preset covers today's year (issue 17)
    before = date.today()
    doc = js(scenario("status", "--json"))
    assert date.fromisoformat(doc["as_of"]) in {before, date.today()}


# --- the root's list of commands, written without importing them --------------


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_root_lists_each_command_with_the_first_paragraph_of_its_own_help(lang: str) -> None:
    # The root's help lists the commands from congtac12.cli.COMMANDS without
    # building them; built, each command's help (translated) must begin with
    # the summary listed, and the list must be what click writes from the
    # built commands themselves.
    import typer.main
    from typer.core import TyperGroup

    from congtac12 import i18n
    from congtac12.cli import COMMANDS, app

    i18n.set_language(lang)
    try:
        root = typer.main.get_command(app)
        ctx = root.make_context("congtac12", ["--help"], resilient_parsing=True)
        lazy = ctx.make_formatter()
        root.format_commands(ctx, lazy)
        built = {name: root.get_command(ctx, name) for name in root.list_commands(ctx)}
        eager = ctx.make_formatter()
        TyperGroup(commands=built).format_commands(ctx, eager)
        for name, entry in COMMANDS.items():
            first = built[name].help.split("\n\n")[0]
            assert i18n._(entry.summary).split() == first.split(), name
    finally:
        i18n.set_language("en")
    assert lazy.getvalue() == eager.getvalue()
    assert list(built) == list(COMMANDS)
    assert ("Ghi một đợt đi cơ sở." if lang == "vi" else "Record a trip to the base.") in lazy.getvalue()
