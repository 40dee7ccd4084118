"""The files in examples/: each imports into an empty database, and the figures match a hand count."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import succeeded as ok

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JSON = EXAMPLES / "roster-and-season-2020.json"
XLSX = EXAMPLES / "roster-and-season-2020.xlsx"
CSV = EXAMPLES / "csv"


@pytest.mark.parametrize("source", [XLSX, JSON, CSV], ids=["xlsx", "json", "csv"])
def test_each_example_imports_into_an_empty_database_and_holds_the_same_records(cli, tmp_path, source):
    run = ok(cli("import", str(source)))
    # 3 units beyond the 30 district unions of a new database, 5 cadres, 48 visits, 48 reports
    assert run.stdout.strip() == (
        f"Imported {source}: 3 units added, 30 already recorded; 5 cadres added; 48 visits added; 48 reports added."
    )
    out = tmp_path / "again.json"
    ok(cli("export", "--out", str(out)))
    assert out.read_bytes() == JSON.read_bytes()


def test_the_examples_are_built_deterministically(tmp_path):
    subprocess.run([sys.executable, str(EXAMPLES / "make_examples.py"), str(tmp_path)], check=True, capture_output=True)
    assert (tmp_path / JSON.name).read_bytes() == JSON.read_bytes()
    assert (tmp_path / XLSX.name).read_bytes() == XLSX.read_bytes()
    for path in CSV.iterdir():
        assert (tmp_path / "csv" / path.name).read_bytes() == path.read_bytes()


def test_status_of_the_example_matches_a_hand_count(cli):
    ok(cli("import", str(XLSX)))
    data = json.loads(ok(cli("status", "--as-of", "30/11/2020", "--json")).stdout)
    got = {
        c["code"]: (
            c["days"],
            c["days_by_kind"]["chuyen-de"],
            c["days_by_kind"]["sinh-hoat"],
            c["reports"]["late"],
            c["state"],
        )
        for c in data["cadres"]
    }
    # pace line on 30/11: floor(60 × 275 / 306) = 53
    assert got == {
        # 3×4 chuyên đề + 8×3 sinh hoạt + 4×5 phối hợp + 4 kiểm tra = 60; 03/03 is also sinh hoạt: 25
        "TD01": (60, 12, 25, 0, "met"),
        # 27/02-03/03 counts 1-3 March: 3, + 6×2 sinh hoạt + 5 + 5 + 5 = 30 < 53
        "TD02": (30, 8, 12, 0, "behind"),
        # 6+6 + 6×4 + 11+11 = 58, but the report of 13-16/04 came on 05/05, due 26/04: late
        "TD03": (58, 12, 24, 1, "behind"),
        # 5+5 + 5×5 + 10+10 = 55 ≥ 53, chuyên đề 10 < 12: on track (07-11/12 not yet)
        "TD04": (55, 10, 25, 0, "on_track"),
        "TD05": (4, 0, 0, 0, "not_subject"),
    }
    at_year_end = json.loads(ok(cli("status", "--as-of", "31/12/2020", "--json")).stdout)
    # TD04's 07-11/12 chuyên đề brings 60 days and 15 chuyên đề, reported 14/12: met; TD02, TD03 not met
    assert {c["code"]: c["state"] for c in at_year_end["cadres"]} == {
        "TD01": "met",
        "TD02": "not_met",
        "TD03": "not_met",
        "TD04": "met",
        "TD05": "not_subject",
    }


def test_october_briefing_of_the_example_matches_a_hand_count(cli):
    ok(cli("import", str(CSV)))
    data = json.loads(ok(cli("summary", "--month", "2020-10", "--json")).stdout)
    assert data["as_of"] == "2020-10-31"
    rows = {d["department"]: (d["days"], d["days_by_kind"], d["states"]) for d in data["departments"]}
    kinds = lambda c, p, k, s: {"chuyen-de": c, "phoi-hop": p, "kiem-tra": k, "sinh-hoat": s}  # noqa: E731
    states = lambda **n: {s: n.get(s, 0) for s in ("met", "on_track", "behind", "not_met", "exempt", "not_subject")}  # noqa: E731
    assert rows == {
        # TD01 sinh hoạt 12-14/10 (3) + kiểm tra 19-22/10 (4); TD02 kiểm tra 05-09/10 (5): 12
        # TD01 has its 60 days by 22/10 (met); TD02 25 days < pace line floor(60×245/306) = 48
        "Ban Tổ chức – Kiểm tra": (12, kinds(0, 0, 9, 3), states(met=1, behind=1)),
        "Ban Tuyên giáo": (11, kinds(0, 11, 0, 0), states(behind=1)),  # 05-15/10; a late report
        "Ban Thanh niên Trường học": (10, kinds(0, 10, 0, 0), states(on_track=1)),  # 12-21/10; 55 ≥ 48
        "Văn phòng": (0, kinds(0, 0, 0, 0), states(not_subject=1)),
    }
    assert data["total"]["days"] == 33  # 12 + 11 + 10
    assert [(c["union"], c["days"]) for c in data["coverage"]] == [
        ("Thị đoàn Sơn Tây", 11),
        ("Quận đoàn Thanh Xuân", 10),
        ("Quận đoàn Cầu Giấy", 5),
        ("Quận đoàn Hoàn Kiếm", 4),
        ("Quận đoàn Ba Đình", 3),  # TD01 at Đoàn phường Phúc Xá
    ]
    assert len(data["unvisited"]) == 25  # 30 - 5


def test_year_summary_of_the_example_matches_a_hand_count(cli):
    ok(cli("import", str(JSON)))
    text = ok(cli("summary", "--year", "2020", "--as-of", "30/11/2020")).stdout
    lines = text.splitlines()
    assert "- 4 cadres are subject to the regime (5 on the roster, 1 not subject)." in lines
    # 60 + 30 + 58 + 55 + 4 = 207 days in 47 trips (48 less TD04's December trip)
    # chuyên đề 12+8+12+10 = 42 (20.3%); phối hợp 20+5+22+20+4 = 71 (34.3%); kiểm tra 4+5 = 9 (4.3%);
    # sinh hoạt 25+12+24+25 = 86 (41.5%)
    assert (
        "- From 01/03/2020 to 30/11/2020 they spent 207 days at the base in 47 trips: "
        "Thematic work 42 days (20.3%), Co-organising activities 71 days (34.3%), "
        "Inspection and supervision 9 days (4.3%), Attending meetings 86 days (41.5%)."
    ) in lines
    # every state tallied: 1 + 1 + 2 + 0 + 0 + 1 = the 5 cadres on the roster
    assert (
        "- Of 5 cadres, 1 have met every requirement, 1 are on track, 2 are behind, "
        "0 did not meet it, 0 are exempt and 1 are not subject."
    ) in lines
    assert "- Result reports: 46 on time, 1 late, 0 overdue, 0 not yet due." in lines
    # Ba Đình, Gia Lâm, Đông Anh, Tây Hồ, Hoàn Kiếm, Sóc Sơn, Cầu Giấy, Ba Vì, Sơn Tây, Đống Đa, Thanh Xuân
    assert lines[lines.index("By department:") - 2].startswith("- 11 of the 30 district-level unions were visited.")
