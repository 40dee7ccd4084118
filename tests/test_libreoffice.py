"""Workbooks from LibreOffice Calc: our export saved again by it, and a clerk's edited workbook.

The fixtures in tests/fixtures/ were written by a real LibreOffice (see
make_libreoffice_fixtures.py, which made them); the last test runs soffice itself
on a fresh export (skipped where soffice is missing, failed in CI).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import libreoffice

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ok(run):
    assert run.code == 0 and run.crash is None, str(run)
    return run


def exported(cli, tmp_path: Path, name: str = "out.json") -> dict:
    path = tmp_path / name
    ok(cli("export", "--out", str(path), "--force"))
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_fixtures_were_written_by_libreoffice():
    for name in ("lo-resaved.xlsx", "lo-edited.xlsx", "lo-formula.xlsx"):
        with zipfile.ZipFile(FIXTURES / name) as z:
            assert "LibreOffice" in z.read("docProps/app.xml").decode(), name
            assert "xl/sharedStrings.xml" in z.namelist()  # Calc's shared strings, not our inline ones


def test_an_export_saved_again_by_libreoffice_imports_with_nothing_lost(cli, tmp_path):
    with zipfile.ZipFile(FIXTURES / "lo-resaved.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f" not in xml  # yes/no went out as có/không text, so Calc kept text (no =TRUE())
    ok(cli("import", str(FIXTURES / "lo-resaved.xlsx")))
    source = json.loads((FIXTURES / "lo-source.json").read_text(encoding="utf-8"))
    # The fixtures are a format-2 export (before plans): it comes back whole, exported as format 3.
    assert source["format_version"] == 2 and "plans" not in source
    assert exported(cli, tmp_path) == {**source, "format_version": 3, "plans": []}
    # what the source held: nothing of it lost on the way through Calc
    assert {(c["code"], c["joined"], c["left"], c["active"]) for c in source["cadres"]} >= {
        ("C02", "2020-07-01", None, True),
        ("C03", "2020-03-01", "2020-09-30", True),
        ("C04", None, None, False),
    }
    assert source["leave"] == [{"cadre": "C02", "start": "2020-09-01", "end": "2021-02-28", "reason": "thai-san"}]
    assert [v["deleted"] for v in source["visits"] if v["cadre"] == "C04"] == [True]
    assert source["settings"] == [{"key": "lang", "value": "vi"}, {"key": "policy", "value": "ha-noi-2020"}]


def test_a_workbook_edited_in_calc_imports_as_the_clerk_meant(cli, tmp_path):
    run = ok(cli("import", str(FIXTURES / "lo-edited.xlsx")))
    assert run.stdout.strip().endswith("2 cadres added; 1 leave record added; 3 visits added; 1 report added.")
    assert "ignored lo-edited.xlsx, sheet 'Ghi chú' (no table of congtac12)" in run.stderr
    doc = exported(cli, tmp_path)
    assert doc["cadres"] == [
        # code typed as the number 102; Thuộc diện the boolean FALSE (=FALSE() in the file);
        # Đang theo dõi blank in a column of x ticks: no; the start of service a real date
        {
            "code": "102",
            "name": "Trần Thị Bình",
            "department": "Văn phòng",
            "email": None,
            "subject": False,
            "joined": "2020-07-01",
            "left": None,
            "active": False,
        },
        {
            "code": "T01",
            "name": "Nguyễn Văn An",
            "department": "Văn phòng",
            "email": "an.nv@example.vn",
            "subject": True,
            "joined": None,
            "left": None,
            "active": True,
        },
    ]
    assert doc["leave"] == [{"cadre": "T01", "start": "2020-09-01", "end": "2020-10-31", "reason": "om-dau"}]
    got = [(v["cadre"], v["unit"], v["start"], v["end"], v["kind"], v["deleted"]) for v in doc["visits"]]
    assert got == [
        # serial number 43910 and the serial stored as text "43911"; marked có: deleted
        ("102", "Huyện đoàn Gia Lâm", "2020-03-20", "2020-03-21", "phoi-hop", True),
        # real dates
        ("T01", "Quận đoàn Ba Đình", "2020-03-05", "2020-03-06", "chuyen-de", False),
        # day-first text, with and without leading zeros
        ("T01", "Quận đoàn Tây Hồ", "2020-03-10", "2020-03-11", "sinh-hoat", False),
    ]
    assert doc["reports"][0]["text"] == "Dòng một\nDòng hai"


def test_the_edited_workbook_holds_what_calc_writes_for_yes_no():
    with zipfile.ZipFile(FIXTURES / "lo-edited.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert '<f aca="false">TRUE()</f>' in xml and '<f aca="false">FALSE()</f>' in xml  # formulas
    assert re.search(r'<c r="F3" s="\d+" t="b"><v>1</v>', xml)  # and a plain boolean value


def test_any_other_formula_is_refused_never_evaluated(cli, dump, tmp_path):
    ok(cli("init"))
    before = dump()
    run = cli("import", str(FIXTURES / "lo-formula.xlsx"))
    assert run.code == 2
    assert run.stderr.splitlines()[-1] == (
        "Error: lo-formula.xlsx, sheet 'Đi cơ sở 2020', row 4, column F 'Đến ngày': the cell holds a formula "
        "(=C5+1); accepted: a value (copy the column and paste it as values) (nothing was imported)"
    )
    assert dump() == before


def test_a_fresh_export_round_trips_through_a_real_libreoffice(cli, tmp_path):
    program = libreoffice.soffice()  # skipped without soffice; in CI a failure
    from test_roundtrip import rich_record

    rich_record(cli)
    before = exported(cli, tmp_path, "before.json")
    export = tmp_path / "export.xlsx"
    ok(cli("export", "--out", str(export)))
    saved = libreoffice.convert(export, tmp_path / "saved", "xlsx", program=program)
    assert saved.read_bytes() != export.read_bytes()  # Calc wrote a workbook of its own
    other = tmp_path / "other.db"
    ok(cli("--db", str(other), "import", str(saved)))
    after = tmp_path / "after.json"
    ok(cli("--db", str(other), "export", "--out", str(after)))
    assert json.loads(after.read_text(encoding="utf-8")) == before
