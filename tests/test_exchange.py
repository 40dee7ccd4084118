"""export and import: round trips, all or nothing, natural keys, spreadsheet safety, headers."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import succeeded as ok

from congtac12.exchange import files
from congtac12.exchange.spec import CADRES, Column
from tests.conftest import dump_database

pytestmark = pytest.mark.both_backends

RISKY = ["=", "+", "-", "@", "\t", "\r"]


def seed(cli) -> None:
    """Vietnamese names, a leap-day trip, a base union under a district, texts a spreadsheet could run."""
    ok(cli("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so", "--parent", "Ba Đình"))
    ok(cli("unit", "add", "--name", "Chi đoàn tổ dân phố số 5", "--level", "chi-doan", "--parent", "Phúc Xá"))
    ok(
        cli(
            "cadre",
            "add",
            "--code",
            "C01",
            "--name",
            "Nguyễn Văn An",
            "--dept",
            "Ban Tổ chức – Kiểm tra",
            "--email",
            "an.nv@example.vn",
        )
    )
    ok(cli("cadre", "add", "--code", "C02", "--name", '=HYPERLINK("http://x")', "--dept", "@Ban Tuyên giáo"))
    ok(cli("cadre", "add", "--code", "C03", "--name", "Đặng Thị Đào", "--dept", "Văn phòng", "--not-subject"))
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "29/02/2020",
            "--to",
            "03/03/2020",
            "--kind",
            "chuyen-de",
            "--topic",
            "Khảo sát đoàn viên — năm nhuận",
            "--order",
            "15-CL/TĐTN",
        )
    )
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Chi đoàn tổ dân phố số 5",
            "--from",
            "2020-03-10",
            "--kind",
            "sinh-hoat",
            "--topic",
            "-1 ngày: dự sinh hoạt",
        )
    )
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "Phúc Xá",
            "--from",
            "01/04/2020",
            "--to",
            "02/04/2020",
            "--kind",
            "phoi-hop",
            "--topic",
            "+ Tháng Thanh niên",
        )
    )
    ok(cli("report", "1", "--on", "10/03/2020", "--text", "Đã khảo sát.\nDòng hai: @mọi người"))
    ok(cli("report", "3", "--on", "05/04/2020", "--text", "=1+2"))


# --- round trips --------------------------------------------------------------


def test_json_round_trip_is_the_same_document(cli, tmp_path):
    seed(cli)
    first = tmp_path / "a.json"
    ok(cli("export", "--format", "json", "--out", str(first)))
    doc = json.loads(first.read_text(encoding="utf-8"))
    assert doc["format"] == "congtac12" and doc["format_version"] == 3
    # no settings; 30 seeded district unions + 2 added; 3 cadres; no leave; 3 visits; 2 reports
    assert [len(doc[t]) for t in ("settings", "units", "cadres", "leave", "visits", "reports")] == [0, 32, 3, 0, 3, 2]
    leap = doc["visits"][0]
    assert leap == {
        "cadre": "C01",
        "unit": "Quận đoàn Ba Đình",
        "start": "2020-02-29",
        "end": "2020-03-03",
        "kind": "chuyen-de",
        "topic": "Khảo sát đoàn viên — năm nhuận",
        "order_no": "15-CL/TĐTN",
        "deleted": False,
    }
    assert {"name": "Chi đoàn tổ dân phố số 5", "level": "chi-doan", "parent": "Đoàn phường Phúc Xá"} in doc["units"]
    assert doc["reports"][0]["text"] == "Đã khảo sát.\nDòng hai: @mọi người"

    other = tmp_path / "other.db"
    ok(cli("--db", str(other), "import", str(first)))
    second = tmp_path / "b.json"
    ok(cli("--db", str(other), "export", "--out", str(second)))
    assert second.read_bytes() == first.read_bytes()


def sheet_values(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_xlsx_round_trip_with_vietnamese_headers_real_dates_and_frozen_headers(cli, tmp_path):
    seed(cli)
    first = tmp_path / "a.xlsx"
    ok(cli("export", "--out", str(first)))  # the format from the suffix
    wb = openpyxl.load_workbook(first)
    assert wb.sheetnames == ["Thiết lập", "Đơn vị", "Cán bộ", "Nghỉ", "Đợt đi cơ sở", "Báo cáo", "Kế hoạch"]
    visits = wb["Đợt đi cơ sở"]
    assert [c.value for c in visits[1]] == [
        "Mã cán bộ",
        "Đơn vị",
        "Từ ngày",
        "Đến ngày",
        "Nội dung",
        "Chủ đề",
        "Số công lệnh",
        "Đã xoá",
    ]
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)
    leap = visits[2]
    assert leap[2].value == datetime(2020, 2, 29) and leap[2].is_date
    assert leap[2].number_format == "DD/MM/YYYY"
    assert leap[4].value == "Theo chuyên đề"  # kinds by their Vietnamese names
    # yes/no as the text có/không (a boolean cell would come back from LibreOffice as =TRUE())
    assert [c.value for c in wb["Cán bộ"][4]] == ["C03", "Đặng Thị Đào", "Văn phòng", None, "không", None, None, "có"]
    assert [c.value for c in wb["Thiết lập"][2]] == ["format_version", "3"]

    other = tmp_path / "other.db"
    ok(cli("--db", str(other), "import", str(first)))
    second = tmp_path / "b.xlsx"
    ok(cli("--db", str(other), "export", "--format", "xlsx", "--out", str(second)))
    assert sheet_values(second) == sheet_values(first)
    assert_same_records(cli, other, tmp_path)


def assert_same_records(cli, other: Path, tmp_path: Path) -> None:
    """The test database and ``other`` export to the same JSON document."""
    a, b = tmp_path / "mine.json", tmp_path / "other.json"
    ok(cli("export", "--out", str(a)))
    ok(cli("--db", str(other), "export", "--out", str(b)))
    assert a.read_bytes() == b.read_bytes()


def test_csv_round_trip_is_a_folder_of_utf8_files_with_bom(cli, tmp_path):
    seed(cli)
    folder = tmp_path / "out"
    ok(cli("export", "--format", "csv", "--out", str(folder)))
    assert sorted(p.name for p in folder.iterdir()) == [
        "cadres.csv",
        "leave.csv",
        "plans.csv",
        "reports.csv",
        "settings.csv",
        "units.csv",
        "visits.csv",
    ]
    raw = (folder / "cadres.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcode,name,department,email,subject,joined,left,active\r\n")
    assert "C03,Đặng Thị Đào,Văn phòng,,no,,,yes\r\n" in raw.decode("utf-8")
    assert (folder / "settings.csv").read_bytes() == b"\xef\xbb\xbfkey,value\r\nformat_version,3\r\n"
    other = tmp_path / "other.db"
    ok(cli("--db", str(other), "import", str(folder)))
    assert_same_records(cli, other, tmp_path)


def test_exports_are_private_and_never_overwritten_without_force(cli, tmp_path):
    seed(cli)
    for name, fmt in (("a.json", "json"), ("a.xlsx", "xlsx")):
        path = tmp_path / name
        ok(cli("export", "--format", fmt, "--out", str(path)))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        again = cli("export", "--format", fmt, "--out", str(path))
        assert again.code == 2 and "exists" in again.stderr and "--force" in again.stderr
        ok(cli("export", "--format", fmt, "--out", str(path), "--force"))
    folder = tmp_path / "csv"
    ok(cli("export", "--format", "csv", "--out", str(folder)))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert cli("export", "--format", "csv", "--out", str(folder)).code == 2
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_export_refuses_an_unknown_format(cli, tmp_path):
    run = cli("export", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert run.code == 2
    assert run.stderr == "Error: unknown --format 'pdf'; accepted: json, csv, xlsx\n"
    run = cli("export", "--out", str(tmp_path / "x.pdf"))
    assert run.code == 2 and "give --format json|csv|xlsx" in run.stderr


# --- all or nothing -----------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


VISIT_HEADER = ["cadre", "unit", "start", "end", "kind", "topic", "order_no"]


def test_a_bad_row_in_the_middle_imports_nothing_and_names_row_and_column(cli, dump, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    before = dump()
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(folder / "cadres.csv", [["code", "name", "department"], ["C02", "Lê Văn Bình", "Văn phòng"]])
    write_csv(
        folder / "visits.csv",
        [
            VISIT_HEADER,
            ["C01", "Ba Đình", "2020-03-02", "2020-03-03", "chuyen-de", "", ""],
            ["C02", "Gia Lâm", "2020-03-05", "2020-03-05", "sinh-hoat", "", ""],
            ["C01", "Tây Hồ", "2020-03-09", "31/02/2020", "phoi-hop", "", ""],  # row 4: no 31 February
            ["C02", "Hoàn Kiếm", "2020-03-12", "2020-03-12", "kiem-tra", "", ""],
        ],
    )
    run = cli("import", str(folder))
    assert run.code == 2, str(run)
    assert run.stderr.startswith("Error: in/visits.csv, row 4, column 'end': ")
    assert "does not exist (day 31, month 2, year 2020)" in run.stderr
    assert "nothing was imported" in run.stderr
    assert dump() == before  # not even the valid cadre C02


def test_a_bad_cell_in_a_workbook_is_named_by_sheet_row_and_column_letter(cli, dump, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    before = dump()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đợt đi cơ sở"
    ws.append(["Mã cán bộ", "Đơn vị", "Từ ngày", "Đến ngày", "Nội dung"])
    ws.append(["C01", "Ba Đình", date(2020, 3, 2), date(2020, 3, 3), "Theo chuyên đề"])
    ws.append(["C01", "Tây Hồ", date(2020, 3, 9), date(2020, 3, 10), "đi chơi"])  # row 3, column E
    ws.append(["C01", "Gia Lâm", date(2020, 3, 12), date(2020, 3, 12), "Dự sinh hoạt"])
    path = tmp_path / "season.xlsx"
    wb.save(path)
    run = cli("import", str(path))
    assert run.code == 2, str(run)
    assert run.stderr.startswith(
        "Error: season.xlsx, sheet 'Đợt đi cơ sở', row 3, column E 'Nội dung': 'đi chơi' is not valid here; accepted: chuyen-de, phoi-hop, kiem-tra, sinh-hoat"
    )
    assert dump() == before


def test_a_refused_row_reports_how_many_more_errors_there_are(cli, dump, tmp_path):
    before = dump()
    path = write_csv(
        tmp_path / "cadres.csv",
        [
            ["code", "name", "department", "email"],
            ["C01", "An", "Văn phòng", "not-an-address"],
            ["C 02", "Bình", "Văn phòng", ""],
            ["C03", "", "Văn phòng", ""],
        ],
    )
    run = cli("import", str(path))
    assert run.code == 2
    # every error at once, in reading order, then how many (the issue changed "and 2 more")
    assert run.stderr.splitlines() == [
        "Error: cadres.csv, row 2, column 'email': email 'not-an-address' is not valid; accepted: an "
        "address like an.nv@example.vn",
        "Error: cadres.csv, row 3, column 'code': " + code_error("C 02"),
        "Error: cadres.csv, row 4, column 'name': the cell is empty; accepted: text",
        "Error: 3 errors; nothing was imported",
    ]
    assert dump() == before or before is None


def code_error(code: str) -> str:
    """What 'cadre add --code CODE' says of a code (the import says the same)."""
    from congtac12.errors import CongtacError
    from congtac12.store import commands

    try:
        commands.check_cadre(code=code, name="-", department="-", email=None)
    except CongtacError as exc:
        return exc.message
    raise AssertionError(f"{code!r} is a valid code")


def test_a_report_without_its_visit_is_refused(cli, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    path = write_csv(
        tmp_path / "reports.csv",
        [
            ["cadre", "unit", "start", "end", "kind", "reported_on", "text"],
            ["C01", "Ba Đình", "2020-03-02", "2020-03-03", "chuyen-de", "2020-03-05", "x"],
        ],
    )
    run = cli("import", str(path))
    assert run.code == 1
    assert "reports.csv, row 2: no visit of C01 to Ba Đình from 2020-03-02 to 2020-03-03 (chuyen-de)" in run.stderr


# --- natural keys -------------------------------------------------------------


def test_importing_the_same_file_twice_adds_nothing_the_second_time(cli, dump, tmp_path):
    seed(cli)
    path = tmp_path / "all.json"
    ok(cli("export", "--out", str(path)))
    other = tmp_path / "other.db"
    first = ok(cli("--db", str(other), "import", str(path), "--json"))
    tables = json.loads(first.stdout)["tables"]
    # a new database already holds the 30 district unions: only the 2 others are added
    assert tables["units"] == {"added": 2, "already_recorded": 30, "repeated": 0}
    assert tables["visits"] == {"added": 3, "already_recorded": 0, "repeated": 0}
    after_first = dump_database(other)
    second = ok(cli("--db", str(other), "import", str(path)))
    assert second.stdout.startswith(f"Nothing new in {path}: every row is already recorded (32 units already recorded;")
    assert "3 visits already recorded; 2 reports already recorded" in second.stdout
    assert dump_database(other) == after_first


def test_the_same_key_with_other_values_is_refused_never_overwritten(cli, dump, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    before = dump()
    path = write_csv(
        tmp_path / "roster.csv",
        [
            ["Mã", "Họ và tên", "Ban"],
            ["c01", "Nguyễn Văn Ân", "Văn phòng"],
        ],
    )
    run = cli("import", str(path))
    assert run.code == 1
    assert run.stderr.startswith(
        "Error: roster.csv, row 2, column 'Họ và tên': already recorded with Họ và tên 'Nguyễn Văn An'; "
        "this row has 'Nguyễn Văn Ân'"
    )
    assert dump() == before


def test_a_file_without_a_column_says_nothing_of_that_field_of_a_recorded_row(cli, dump, tmp_path):
    """A format-1 file (no 'active', 'joined', 'left', 'deleted') over a deactivated cadre, a service
    period and a deleted visit: already recorded, not a conflict; a file that has the column still is one."""
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng", "--joined", "01/03/2020"))
    ok(cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "02/03/2020", "--kind", "kiem-tra"))
    ok(cli("delete-visit", "1"))
    ok(cli("cadre", "delete", "C01"))
    before = dump()
    old = tmp_path / "old.json"
    cadre = {"code": "C01", "name": "Nguyễn Văn An", "department": "Văn phòng", "email": None, "subject": True}
    visit = {"cadre": "C01", "unit": "Quận đoàn Ba Đình", "start": "2020-03-02", "end": "2020-03-02"}
    visit |= {"kind": "kiem-tra", "topic": None, "order_no": None}
    old.write_text(json.dumps({"format": "congtac12", "format_version": 1, "cadres": [cadre], "visits": [visit]}))
    run = ok(cli("import", str(old), "--json"))
    tables = json.loads(run.stdout)["tables"]
    assert tables["cadres"] == {"added": 0, "already_recorded": 1, "repeated": 0}
    assert tables["visits"] == {"added": 0, "already_recorded": 1, "repeated": 0}
    assert dump() == before
    active = write_csv(
        tmp_path / "cadres.csv",
        [["code", "name", "department", "active"], ["C01", "Nguyễn Văn An", "Văn phòng", "yes"]],
    )
    run = cli("import", str(active))
    assert run.code == 1
    assert "already recorded with active False; this row has True" in run.stderr
    assert dump() == before


def test_rows_repeated_inside_one_file_count_once(cli, tmp_path):
    path = write_csv(
        tmp_path / "cadres.csv",
        [
            ["code", "name", "department"],
            ["C01", "Nguyễn Văn An", "Văn phòng"],
            ["C01", "Nguyễn  Văn An ", "Văn phòng"],  # the same once spaces are tidied
        ],
    )
    run = ok(cli("import", str(path)))
    assert run.stdout.strip() == f"Imported {path}: 1 cadre added, 1 repeated in the file."


def test_dry_run_checks_everything_and_writes_nothing(cli, dump, tmp_path):
    ok(cli("init"))  # make the database
    before = dump()
    path = write_csv(tmp_path / "cadres.csv", [["code", "name", "department"], ["C01", "An", "Văn phòng"]])
    run = ok(cli("import", str(path), "--dry-run"))
    assert run.stdout.strip() == f"Checked {path}, nothing written (--dry-run): 1 cadre added."
    assert dump() == before


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Imported {path}: 2 units added, 1 already recorded; 1 cadre added, 1 repeated in the file."),
        (
            "vi",
            "Đã nhập {path}: 2 đơn vị được thêm, 1 đã được ghi nhận từ trước; 1 cán bộ được thêm, 1 lặp lại trong tệp.",
        ),
    ],
)
def test_the_summary_names_each_table_by_its_count(cli, tmp_path, monkeypatch, lang, expected):
    """Each table's first count carries its name, in the singular or plural ("1 cadre", "2 units")."""
    monkeypatch.setenv("CONGTAC12_LANG", lang)
    path = tmp_path / "data.json"
    path.write_text(
        json.dumps(
            {
                "format": "congtac12",
                "format_version": 3,
                "units": [
                    {"name": "Quận đoàn Ba Đình", "level": "huyen", "parent": None},
                    {"name": "Đoàn phường Phúc Xá", "level": "co-so", "parent": "Quận đoàn Ba Đình"},
                    {"name": "Đoàn phường Trúc Bạch", "level": "co-so", "parent": "Quận đoàn Ba Đình"},
                ],
                "cadres": [
                    {"code": "C01", "name": "Nguyễn Văn An", "department": "Văn phòng"},
                    {"code": "C01", "name": "Nguyễn Văn An", "department": "Văn phòng"},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    run = ok(cli("import", str(path)))
    assert run.stdout.strip() == expected.format(path=path)


# --- spreadsheet safety ---------------------------------------------------------


@pytest.mark.parametrize("lead", RISKY)
def test_csv_cells_that_a_spreadsheet_could_run_are_written_as_text_and_read_back_exactly(tmp_path, lead):
    values = [f"{lead}1+2", f"'{lead}cmd", f"''{lead}x", "'plain", "safe"]
    sheet = files.Sheet("cadres", "Cán bộ", [Column("name", "Tên")], [[v] for v in values])
    path = tmp_path / "cadres.csv"
    files.write_csv(path, sheet)
    raw = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    cells = [row[0] for row in raw[1:]]
    # one apostrophe more where the text is apostrophes then a risky character
    assert cells == [f"'{lead}1+2", f"''{lead}cmd", f"'''{lead}x", "'plain", "safe"]
    assert not any(c.startswith(tuple(RISKY)) for c in cells)
    back = files.read_csv(path)
    assert [row[0] for _n, row in back.rows] == values


@pytest.mark.parametrize("lead", RISKY)
def test_xlsx_cells_that_a_spreadsheet_could_run_are_string_cells_with_a_quote_prefix(tmp_path, lead):
    value = f"{lead}SUM(A1:A9)"
    sheet = files.Sheet("cadres", "Cán bộ", [Column("name", "Tên")], [[value], ["=1+2"], ["an toàn"]])
    path = tmp_path / "x.xlsx"
    files.write_xlsx(path, [sheet])
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    assert re.findall(r'<c r="A\d+"[^>]*t="(\w+)"', xml) == ["inlineStr"] * 4
    ws = openpyxl.load_workbook(path)["Cán bộ"]
    # XML reads a carriage return as a line feed; stored text never holds one (reports keep LF)
    read_back = value.replace("\r", "\n")
    assert [(c.value, c.data_type) for c in ws["A"]] == [
        ("Tên", "s"),
        (read_back, "s"),
        ("=1+2", "s"),
        ("an toàn", "s"),
    ]
    assert [c.quotePrefix for c in ws["A"][1:]] == [True, True, False]


def test_an_export_opened_by_openpyxl_holds_every_record_and_nothing_executable(cli, tmp_path):
    seed(cli)
    path = tmp_path / "all.xlsx"
    ok(cli("export", "--out", str(path)))
    wb = openpyxl.load_workbook(path)
    counts = {ws.title: ws.max_row - 1 for ws in wb.worksheets}
    assert counts == {
        "Thiết lập": 1,
        "Đơn vị": 32,
        "Cán bộ": 3,
        "Nghỉ": 0,
        "Đợt đi cơ sở": 3,
        "Báo cáo": 2,
        "Kế hoạch": 0,
    }
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(tuple(RISKY))]
    # the name =HYPERLINK(...), the department @Ban…, topics -1… and +…, the report =1+2
    # visits and reports name cadres by code, so C02's name is in the roster only
    assert sorted(c.value for c in risky) == sorted(
        ['=HYPERLINK("http://x")', "@Ban Tuyên giáo", "-1 ngày: dự sinh hoạt", "+ Tháng Thanh niên", "=1+2"]
    )
    assert all(c.quotePrefix for c in risky)


@given(st.text())
def test_the_csv_guard_is_lossless_and_leaves_nothing_risky(text):
    escaped = files.escape_csv(text)
    assert files.unescape_csv(escaped) == text
    assert not files.risky(escaped)


# --- what an import accepts ---------------------------------------------------


def test_headers_in_vietnamese_or_english_any_case_without_diacritics(cli, tmp_path):
    folder = tmp_path / "from-the-department"
    folder.mkdir()
    # Excel in a Vietnamese locale separates with semicolons; a title row above the headers
    write_csv(
        folder / "danh-sach-can-bo.csv",
        [
            ["DANH SÁCH CÁN BỘ CHUYÊN TRÁCH"],
            ["STT", "MÃ CÁN BỘ", "ho va ten", "Phòng ban", "E-mail", "Thuộc diện"],
            ["1", "C01", "Nguyễn Văn An", "Ban Tổ chức – Kiểm tra", "an.nv@example.vn", "có"],
            ["2", "C02", "Đặng Thị Đào", "Văn phòng", "", "không"],
        ],
        delimiter=";",
    )
    write_csv(
        folder / "dot-di-co-so.csv",
        [
            ["STT", "Họ và tên", "Nơi đến", "Ngày đi", "Ngày về", "Loại", "Chủ đề", "Công lệnh"],
            ["1", "nguyen van an", "ba dinh", "5/3/2020", "6/3/2020", "Dự sinh hoạt", "Sinh hoạt chi đoàn", "12-CL"],
            ["2", "Đặng Thị Đào", "Quận đoàn Tây Hồ", "2020-04-01", "", "phối hợp", "", ""],
        ],
    )
    run = ok(cli("import", str(folder)))
    assert "2 cadres added; 2 visits added" in run.stdout
    assert "Note: ignored from-the-department/danh-sach-can-bo.csv, column 'STT'" in run.stderr
    cadres = json.loads(ok(cli("cadre", "list", "--json")).stdout)
    assert [(c["code"], c["email"], c["subject"]) for c in cadres] == [
        ("C01", "an.nv@example.vn", True),
        ("C02", None, False),
    ]
    visits = json.loads(ok(cli("visits", "--json")).stdout)
    assert [(v["cadre"], v["unit"], v["start"], v["end"], v["kind"], v["order"]) for v in visits] == [
        ("C01", "Quận đoàn Ba Đình", "2020-03-05", "2020-03-06", "sinh-hoat", "12-CL"),
        ("C02", "Quận đoàn Tây Hồ", "2020-04-01", "2020-04-01", "phoi-hop", None),  # no last day: the first
    ]


def test_dates_as_excel_dates_serial_numbers_iso_or_day_first_text(cli, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "visits"
    ws.append(["cadre", "unit", "start", "end", "kind"])
    # 43890 is Excel's serial number of 29/02/2020 (43831 is 01/01/2020, + 31 + 28)
    ws.append(["C01", "Ba Đình", datetime(2020, 2, 29), 43890, "chuyen-de"])
    ws.append(["C01", "Tây Hồ", "29/02/2020", "2020-02-29", "kiem-tra"])
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    ok(cli("import", str(path)))
    visits = json.loads(ok(cli("visits", "--json")).stdout)
    assert [(v["start"], v["end"]) for v in visits] == [("2020-02-29", "2020-02-29")] * 2


def test_a_formula_cell_is_refused(cli, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã cán bộ", "Đơn vị", "Từ ngày", "Đến ngày", "Nội dung"])
    ws.append(["C01", "Ba Đình", date(2020, 3, 2), "=C2+1", "chuyen-de"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    run = cli("import", str(path))
    assert run.code == 2
    assert "row 2, column D 'Đến ngày': the cell holds a formula (=C2+1); accepted: a value" in run.stderr


def test_a_single_csv_file_is_recognised_by_its_headers(cli, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    path = write_csv(
        tmp_path / "thang-3.csv",
        [
            ["Mã cán bộ", "Đơn vị", "Từ ngày", "Đến ngày", "Nội dung"],
            ["C01", "Ba Đình", "02/03/2020", "03/03/2020", "Theo chuyên đề"],
        ],
    )
    run = ok(cli("import", str(path)))
    assert run.stdout.strip() == f"Imported {path}: 1 visit added."


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"format": "congtac12", "format_version": 4}',
            "has format_version 4, newer than this congtac12 reads (3); upgrade congtac12",
        ),
        ('{"cadres": []}', "is not a congtac12 export"),
        ('{"format": "congtac12", "format_version": 1, "people": []}', "unknown key 'people'"),
        ('{"format": "congtac12", "format_version": 1, "cadres": [1]}', "cadres item 1: not an object"),
        ("{nope", "line 1: not valid JSON"),
    ],
)
def test_json_that_is_not_ours_is_refused(cli, tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    run = cli("import", str(path))
    assert run.code == 2 and message in run.stderr and run.crash is None, str(run)


def test_a_missing_required_column_lists_the_headers_accepted(cli, tmp_path):
    path = write_csv(tmp_path / "cadres.csv", [["code", "name"], ["C01", "An"]])
    run = cli("import", str(path))
    assert run.code == 2
    assert run.stderr.startswith(
        "Error: cadres.csv: no column for 'Ban' (department); accepted headers: 'Ban', 'department'"
    )


def test_old_excel_files_and_other_encodings_are_refused_with_what_is_accepted(cli, tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    run = cli("import", str(xls))
    assert run.code == 2 and "save it as an Excel Workbook (.xlsx)" in run.stderr
    latin = tmp_path / "cadres.csv"
    latin.write_bytes("code,name,department\nC01,Nguyễn,Văn phòng\n".encode("utf-16"))
    run = cli("import", str(latin))
    assert run.code == 2 and "not UTF-8 text" in run.stderr
    run = cli("import", str(tmp_path / "missing.json"))
    assert run.code == 2 and "does not exist" in run.stderr


def test_unit_parents_may_come_later_in_the_file_and_loops_are_refused(cli, tmp_path):
    path = write_csv(
        tmp_path / "units.csv",
        [
            ["name", "level", "parent"],
            ["Chi đoàn thôn Giang Cao", "chi-doan", "Đoàn xã Bát Tràng"],
            ["Đoàn xã Bát Tràng", "co-so", "Gia Lâm"],
        ],
    )
    ok(cli("import", str(path)))
    units = {u["name"]: u["parent"] for u in json.loads(ok(cli("unit", "list", "--json")).stdout)}
    assert units["Chi đoàn thôn Giang Cao"] == "Đoàn xã Bát Tràng"
    assert units["Đoàn xã Bát Tràng"] == "Huyện đoàn Gia Lâm"
    loop = write_csv(
        tmp_path / "loop.csv",
        [
            ["name", "level", "parent"],
            ["Đoàn A", "co-so", "Đoàn B"],
            ["Đoàn B", "co-so", "Đoàn A"],
        ],
    )
    run = cli("import", str(loop))
    assert run.code == 2 and "form a loop" in run.stderr


def test_a_big_import_shows_a_progress_bar_on_a_terminal(cli, tmp_path, monkeypatch):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    rows = [VISIT_HEADER] + [
        ["C01", "Ba Đình", date.fromordinal(date(2020, 3, 1).toordinal() + i).isoformat(), "", "sinh-hoat", "", ""]
        for i in range(400)
    ]
    path = write_csv(tmp_path / "visits.csv", rows)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich draws only on a terminal
    run = ok(cli("import", str(path)))
    assert "Checking" in run.stderr and "Writing" in run.stderr and "400/400" in run.stderr
    assert run.stdout.strip() == f"Imported {path}: 400 visits added."


def test_column_spec_names_every_column_once():
    keys = [c.key for c in CADRES.columns]
    assert len(keys) == len(set(keys))


def test_report_text_keeps_lf_line_ends_so_a_workbook_round_trip_is_exact(cli, tmp_path):
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng"))
    ok(cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "02/03/2020", "--kind", "chuyen-de"))
    ok(cli("report", "1", "--on", "05/03/2020", "--text", "Dòng một\r\nDòng hai\rDòng ba"))
    first = tmp_path / "a.json"
    ok(cli("export", "--out", str(first)))
    assert json.loads(first.read_text(encoding="utf-8"))["reports"][0]["text"] == "Dòng một\nDòng hai\nDòng ba"
    book = tmp_path / "a.xlsx"
    ok(cli("export", "--out", str(book)))
    again = ok(cli("import", str(book)))
    assert again.stdout.startswith("Nothing new")  # the text read back equals the one recorded


@pytest.mark.sqlite_only  # on PostgreSQL the history triggers write the items (pg_history, its own tests)
def test_an_import_is_one_change_whose_items_are_the_rows_as_the_orm_writes_them(cli, tmp_path):
    """The history of an import is written by INSERT … SELECT (store/write/history): each added row is
    an item whose "after" is ``audit.row_of`` of the row, so that undo finds it unchanged and takes it back."""
    from sqlmodel import select

    from congtac12.store import audit
    from congtac12.store.engine import session
    from congtac12.store.models import Change, ChangeItem

    seed(cli)
    ok(cli("cadre", "delete", "C02"))  # a deactivated cadre: its stamp goes in too
    path = tmp_path / "all.json"
    ok(cli("export", "--out", str(path)))
    target = tmp_path / "again.db"
    ok(cli("--db", str(target), "import", str(path)))
    with session(target, write=False) as s:
        assert [c.action for c in s.exec(select(Change)).all()] == ["import"]
        items = s.exec(select(ChangeItem).order_by(ChangeItem.id)).all()
        entities = [i.entity for i in items]
        order = ["unit", "cadre", "leave", "visit", "report"]
        assert entities == sorted(entities, key=order.index)
        assert {"unit", "cadre", "visit", "report"} <= set(entities)
        for item in items:
            assert item.before is None
            row = s.get(audit.AUDITED[item.entity], int(item.entity_key))
            # as JSON text: the same keys in the same order, true not 1, the stamps as isoformat writes them
            assert json.dumps(json.loads(item.after)) == json.dumps(audit.row_of(row)), item.entity
    ok(cli("--db", str(target), "undo"))
    ok(cli("--db", str(target), "export", "--out", str(tmp_path / "after-undo.json")))
    left = json.loads((tmp_path / "after-undo.json").read_text())
    assert left["cadres"] == [] and left["visits"] == [] and left["reports"] == []


_cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text("aăâđêôơưAĐ0-9 \\\"'\n{}[],:", max_size=12),
)


@given(
    tables=st.dictionaries(
        st.sampled_from(["units", "cadres", "visits", "reports"]),
        st.lists(st.dictionaries(st.sampled_from(["code", "name", "unit", "start", "extra"]), _cell), max_size=6),
    ),
    indent=st.sampled_from([None, 0, 2]),
    piece=st.integers(1, 64),
)
def test_a_streamed_json_export_reads_as_the_whole_file_does(tables, indent, piece, tmp_path_factory):
    """The JSON reader (exchange/json_read) takes a plain export piece by piece; whatever the pieces'
    size and the layout, it gives the tables a whole reading gives."""
    from congtac12.exchange import json_read

    path = tmp_path_factory.mktemp("stream") / "export.json"
    path.write_text(json.dumps({"format": "congtac12", "format_version": 2, **tables}, indent=indent), "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_read, "PIECE", piece)
        streamed = json_read.read_stream(path)
    assert streamed is not None
    assert streamed == json_read.read_whole(path, path.read_bytes())
