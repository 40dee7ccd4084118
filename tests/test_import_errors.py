"""A failed import: every independent error at once (no knock-ons), as lines or as JSON; files that
are not what their names say; nothing written."""

from __future__ import annotations

import csv
import json
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def eight_mistakes(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(
        folder / "cadres.csv",
        [
            ["code", "name", "department", "email", "joined", "left"],
            ["C01", "Nguyễn Văn An", "Văn phòng", "an@example", "", ""],  # 1: email
            ["C02", "Lê Thị Bình", "Văn phòng", "", "01/07/2020", "01/06/2020"],  # 2: left before joined
            ["C03", "Trần Văn Cường", "Văn phòng", "", "", ""],
        ],
    )
    write_csv(
        folder / "visits.csv",
        [
            ["cadre", "unit", "start", "end", "kind"],
            ["C01", "Ba Đình", "02/03/2020", "03/03/2020", "chuyen-de"],  # knock-on: C01 was refused
            ["C03", "Tây Hồ", "31/02/2020", "", "chuyen-de"],  # 3: no 31 February
            ["C03", "Gia Lâm", "05/03/2020", "04/03/2020", "sinh-hoat"],  # 4: ends before it starts
            ["C03", "Nowhere", "06/03/2020", "", "phoi-hop"],  # 5: unknown unit
            ["C03", "Sơn Tây", "07/03/2020", "", "đi chơi"],  # 6: unknown kind
            ["C09", "Sơn Tây", "08/03/2020", "", "kiem-tra"],  # 7: unknown cadre
            ["C03", "Mỹ Đức", "10/03/2020", "", "kiem-tra"],
        ],
    )
    write_csv(
        folder / "reports.csv",
        [
            ["cadre", "unit", "start", "end", "kind", "reported_on", "text"],
            ["C01", "Ba Đình", "02/03/2020", "03/03/2020", "chuyen-de", "05/03/2020", ""],  # knock-on (cadre)
            ["C03", "Tây Hồ", "01/03/2020", "", "chuyen-de", "05/03/2020", ""],  # knock-on (its visit refused)
            ["C03", "Mỹ Đức", "10/03/2020", "", "kiem-tra", "01/03/2020", ""],  # 8: before the trip ended
        ],
    )
    return folder


def test_every_independent_error_at_once_and_no_knock_on(cli, dump, tmp_path):
    from congtac12.cli.common import OPTIONS  # noqa: F401 (the CLI is imported in-process)

    cli("init")
    before = dump()
    run = cli("import", str(eight_mistakes(tmp_path)))
    assert run.code == 2 and run.crash is None
    lines = run.stderr.splitlines()
    assert lines[-1] == "Error: 8 errors; nothing was imported"
    found = [line.split(": ", 2)[1] for line in lines[:-1]]
    assert found == [
        "in/cadres.csv, row 2, column 'email'",
        "in/cadres.csv, row 3, column 'left'",
        "in/reports.csv, row 4, column 'reported_on'",  # files in name order: reports.csv before visits.csv
        "in/visits.csv, row 3, column 'start'",
        "in/visits.csv, row 4, column 'end'",
        "in/visits.csv, row 5, column 'unit'",
        "in/visits.csv, row 6, column 'kind'",
        "in/visits.csv, row 7, column 'cadre'",
    ]
    assert dump() == before


def test_json_gives_every_error_as_data(cli, tmp_path):
    cli("init")
    run = cli("import", str(eight_mistakes(tmp_path)), "--json")
    assert run.code == 2
    doc = json.loads(run.stdout)
    assert doc["written"] is False and doc["count"] == 8
    first = doc["errors"][0]
    assert {k: first[k] for k in ("file", "row", "column", "value")} == {
        "file": "in/cadres.csv",
        "row": 2,
        "column": "email",
        "value": "an@example",
    }
    assert "accepted: an address like an.nv@example.vn" in first["message"]
    assert run.stderr == "Error: 8 errors; nothing was imported\n"


def test_at_most_50_errors_are_listed_with_a_count_of_the_rest(cli, tmp_path):
    cli("init")
    rows = [["code", "name", "department", "email"]] + [[f"C{i}", "An", "Văn phòng", "bad"] for i in range(70)]
    run = cli("import", str(write_csv(tmp_path / "cadres.csv", rows)))
    lines = run.stderr.splitlines()
    assert len(lines) == 51
    assert lines[-1] == "Error: 70 errors, 20 more not shown; nothing was imported"
    assert len(json.loads(cli("import", str(tmp_path / "cadres.csv"), "--json").stdout)["errors"]) == 70


def test_importing_over_the_record_matches_by_natural_keys_and_never_doubles(cli, tmp_path):
    cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng")
    cli("leave", "add", "--cadre", "C01", "--from", "01/09/2020", "--to", "30/09/2020", "--reason", "om-dau")
    path = tmp_path / "all.json"
    cli("export", "--out", str(path))
    run = cli("import", str(path), "--json")
    tables = json.loads(run.stdout)["tables"]
    assert tables["cadres"] == {"added": 0, "already_recorded": 1, "repeated": 0}
    assert tables["leave"] == {"added": 0, "already_recorded": 1, "repeated": 0}
    assert len(json.loads(cli("leave", "list", "--json").stdout)) == 1


def bad_files(tmp_path: Path) -> dict[str, Path]:
    export = tmp_path / "good.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["code", "name", "department"])
    wb.save(export)
    data = export.read_bytes()
    files = {
        "csv named .xlsx": (tmp_path / "roster.xlsx", b"code,name,department\nC01,An,VP\n"),
        "zip not a workbook": (tmp_path / "notes.xlsx", None),
        "truncated": (tmp_path / "half.xlsx", data[: len(data) // 2]),
    }
    for path, content in files.values():
        if content is not None:
            path.write_bytes(content)
    with zipfile.ZipFile(tmp_path / "notes.xlsx", "w") as z:
        z.writestr("notes.txt", "không phải sổ tính")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(export) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, src.read(name))
        z.writestr("xl/worksheets/sheet2.xml", b"<a>" + b" " * 200_000_000 + b"</a>")
    empty_rows = tmp_path / "empty-rows.xlsx"
    with zipfile.ZipFile(export) as src, zipfile.ZipFile(empty_rows, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            if name == "xl/worksheets/sheet1.xml":
                xml = src.read(name).decode()
                rows = "".join(f'<row r="{n}"/>' for n in range(2, 1_000_002))
                xml = xml.replace("</sheetData>", rows + "</sheetData>")
                z.writestr(name, xml)
            else:
                z.writestr(name, src.read(name))
    return {**{k: v[0] for k, v in files.items()}, "zip bomb": bomb, "1,000,000 empty rows": empty_rows}


def test_files_that_are_not_what_their_names_say_are_one_line_in_bounded_time(cli, dump, tmp_path):
    cli("init")
    before = dump()
    for what, path in bad_files(tmp_path).items():
        began = time.monotonic()
        run = cli("import", str(path))
        seconds = time.monotonic() - began
        assert run.crash is None, (what, str(run))
        if what == "1,000,000 empty rows":  # streamed, found to hold no row: nothing to import
            assert run.code == 0 and "(no rows)" in run.stdout, (what, str(run))
        else:
            assert run.code == 2, (what, str(run))
            assert run.stderr.count("\n") == 1 and "accepted: an .xlsx file" in run.stderr, (what, str(run))
        assert seconds < 60, (what, seconds)  # 1,000,000 empty rows: 31 s, 150 MB, measured on a busy 2-core machine
        assert dump() == before, what


def test_a_refused_import_into_a_new_database_leaves_no_file(cli, db, tmp_path):
    assert not db.exists()
    run = cli("import", str(eight_mistakes(tmp_path)))
    assert run.code == 2
    assert not db.exists() and not Path(f"{db}-wal").exists()
    ok = cli("import", str(write_csv(tmp_path / "cadres.csv", [["code", "name", "department"], ["C01", "An", "VP"]])))
    assert ok.code == 0 and db.exists()  # a good import makes it
    (tmp_path / "again").mkdir()
    assert cli("import", str(eight_mistakes(tmp_path / "again"))).code == 2
    assert db.exists()  # a database with records is never removed


def test_a_huge_cell_is_named_by_its_start_and_length_not_echoed(cli, tmp_path):
    from openpyxl import Workbook

    cli("init")
    big = "x" * 32_767  # the most a spreadsheet cell holds
    wb = Workbook()
    ws = wb.active
    ws.title = "Đợt đi cơ sở"
    ws.append(["Mã cán bộ", "Đơn vị", "Từ ngày", "Đến ngày", "Nội dung", "Chủ đề"])
    ws.append(["C01", "Ba Đình", big, "05/03/2020", "chuyen-de", "a"])
    ws.append([big, "Ba Đình", "06/03/2020", "06/03/2020", "chuyen-de", big])
    wb.save(tmp_path / "big.xlsx")
    run = cli("import", str(tmp_path / "big.xlsx"), "--json")
    assert run.code == 2
    errors = json.loads(run.stdout)["errors"]
    assert len(errors) == 3
    assert all(len(e["message"]) < 400 and len(str(e["value"])) <= 201 for e in errors), errors
    assert "… (32,767 characters)" in errors[0]["message"]


def test_a_short_refused_name_does_not_hide_another_rows_own_error(cli, tmp_path):
    cli("init")
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(folder / "cadres.csv", [["code", "name", "department", "email"], ["C01", "An", "VP", "bad"]])
    write_csv(
        folder / "visits.csv",
        [
            ["cadre", "unit", "start", "end", "kind"],
            ["An", "Ba Đình", "02/03/2020", "", "chuyen-de"],  # knock-on: names the refused cadre
            ["Nguyễn Văn Tuấn", "Ba Đình", "03/03/2020", "", "chuyen-de"],  # its own error
        ],
    )
    lines = cli("import", str(folder)).stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == [
        "in/cadres.csv, row 2, column 'email'",
        "in/visits.csv, row 3, column 'cadre'",
    ]
    assert lines[-1] == "Error: 2 errors; nothing was imported"
