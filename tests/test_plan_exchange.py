"""Plans (đăng ký) in the lossless export and import (format 3): every recorded state, a month
plan, a returned plan's reason, who decided, and the visit that fulfils a plan come back the
same; the same plans again are already recorded, a differing one is refused; a bad plan row is
one line naming its row and field, and nothing is written; the import's plans are part of its
one change in the history, and undo takes them back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke
from test_roundtrip import assert_round_trip_is_identity, ok, rich_record

pytestmark = pytest.mark.both_backends

TRIP = ("--unit", "Ba Đình", "--from", "10/11/2020", "--to", "12/11/2020", "--kind", "sinh-hoat")


def record_plans(cli) -> None:
    """Plans 1 done (C01, fulfilled by a visit), 2 approved month plan, 3 returned, 4 submitted, 5 draft."""
    ok(cli("cadre", "add", "--code", "P01", "--name", "Vũ Thị Lan", "--dept", "Ban Thanh niên"))
    ok(cli("cadre", "add", "--code", "P02", "--name", "Đỗ Văn Hùng", "--dept", "Văn phòng"))
    ok(cli("plan", "add", "--cadre", "P01", *TRIP, "--topic", "Sinh hoạt chi đoàn: =1+2"))
    ok(
        cli(
            "plan",
            "add",
            "--cadre",
            "P01",
            "--unit",
            "Tây Hồ",
            "--month",
            "12/2020",
            "--days",
            "3",
            "--kind",
            "chuyen-de",
        )
    )
    ok(cli("plan", "add", "--cadre", "P02", "--unit", "Gia Lâm", "--from", "01/11/2020", "--kind", "kiem-tra"))
    ok(cli("plan", "add", "--cadre", "P02", "--unit", "Sơn Tây", "--from", "05/11/2020", "--kind", "kiem-tra"))
    ok(cli("plan", "add", "--cadre", "P02", "--unit", "Mỹ Đức", "--from", "06/11/2020", "--kind", "phoi-hop"))
    ok(cli("plan", "submit", "1", "2", "3", "4"))
    ok(cli("plan", "approve", "1", "2", "--by", "Chánh Văn phòng"))
    ok(cli("plan", "return", "3", "--reason", "Trùng lịch họp; đăng ký lại", "--by", "Phó Chánh Văn phòng"))
    ok(cli("add-visit", "--plan", "1", "--from", "10/11/2020", "--to", "12/11/2020"))


def exported(cli, path: Path) -> dict:
    ok(cli("export", "--out", str(path)))
    return json.loads(path.read_text("utf-8"))


@pytest.mark.sqlite_only
def test_plans_in_every_state_round_trip_in_every_format(cli, db, tmp_path):
    rich_record(cli)
    record_plans(cli)
    doc = exported(cli, tmp_path / "plans.json")
    assert doc["format_version"] == 3
    plans = {(p["cadre"], p["start"]): p for p in doc["plans"]}
    assert {p["state"] for p in plans.values()} == {"draft", "submitted", "approved", "returned"}
    done = plans[("P01", "2020-11-10")]
    assert (done["visit_cadre"], done["visit_start"], done["visit_end"], done["visit_kind"]) == (
        "P01",
        "2020-11-10",
        "2020-11-12",
        "sinh-hoat",
    )
    assert done["decided_by"] == "Chánh Văn phòng" and done["decided_at"]
    month = plans[("P01", "2020-12-01")]
    assert (month["end"], month["days"], month["visit_cadre"]) == ("2020-12-31", 3, None)
    returned = plans[("P02", "2020-11-01")]
    assert (returned["state"], returned["reason"]) == ("returned", "Trùng lịch họp; đăng ký lại")
    assert_round_trip_is_identity(db, tmp_path)


def test_the_same_plans_again_are_already_recorded_and_a_differing_one_is_refused(cli, dump, tmp_path):
    record_plans(cli)
    doc = exported(cli, tmp_path / "plans.json")
    before = dump()
    again = ok(cli("import", str(tmp_path / "plans.json")))
    assert "5 plans already recorded" in again.stdout
    assert dump() == before
    doc["plans"][3]["topic"] = "Khác"  # P02's submitted plan (ordered by cadre, first day)
    (tmp_path / "other.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    run = cli("import", str(tmp_path / "other.json"))
    assert run.code == 1 and run.crash is None, run
    line = run.stderr.strip()
    assert "\n" not in line
    assert "plans item 4, key 'topic'" in line and "already recorded with topic None; this row has 'Khác'" in line
    assert dump() == before


def test_a_file_without_plans_still_imports_and_a_newer_one_is_refused(cli, dump, tmp_path):
    old = tmp_path / "old.json"
    cadre = {"code": "C01", "name": "Nguyễn Văn An", "department": "Văn phòng"}
    old.write_text(json.dumps({"format": "congtac12", "format_version": 2, "cadres": [cadre]}), "utf-8")
    assert "1 cadre added" in ok(cli("import", str(old))).stdout
    before = dump()
    new = tmp_path / "new.json"
    new.write_text(json.dumps({"format": "congtac12", "format_version": 4, "plans": []}), "utf-8")
    run = cli("import", str(new))
    assert run.code == 2 and "newer than this congtac12 reads (3)" in run.stderr
    assert dump() == before


def _set(i: int, **values):
    def change(plans: list[dict]) -> None:
        plans[i].update(values)

    return change


# The exported plans, in order: 0 P01's done, 1 P01's month plan, 2 P02's returned, 3 P02's submitted, 4 P02's draft.
BAD_ROWS = [
    (_set(3, state="done"), 2, "plans item 4, key 'state': unknown plan state 'done'; accepted: draft, submitted"),
    (_set(3, cadre="C99"), 1, "plans item 4, key 'cadre': no cadre matches 'C99'"),
    (_set(3, unit="Không có"), 1, "plans item 4, key 'unit': no unit matches 'Không có'"),
    (_set(3, kind="du-lich"), 2, "plans item 4, key 'kind': 'du-lich' is not valid here"),
    (
        _set(3, end="2020-11-01"),
        2,
        "plans item 4, key 'end': end 2020-11-01 is before start 2020-11-05; the last day must be on or after the first",
    ),
    (_set(1, days=32), 2, "plans item 2, key 'days': days 32 does not fit in 12/2020; accepted: 1 to 31"),
    (_set(1, days=0), 2, "plans item 2, key 'days': days 0 does not fit in 12/2020; accepted: 1 to 31"),
    (_set(1, days="ba"), 2, "plans item 2, key 'days': 'ba' is not valid here; accepted: a whole number"),
    (_set(1, end="2020-12-30"), 2, "plans item 2, key 'end': a month plan covers its whole month"),
    (
        _set(
            0, visit_cadre="P02", visit_unit="Mỹ Đức", visit_start="2020-11-06", visit_end=None, visit_kind="phoi-hop"
        ),
        1,
        "plans item 1, key 'visit_cadre': the visit is P02's, not P01's; a visit fulfils only its own cadre's plan",
    ),
    (_set(0, visit_start="2020-11-11"), 1, "plans item 1, key 'visit_start': no visit of P01 to"),
    (_set(0, state="submitted"), 2, "plans item 1, key 'state': a submitted plan cannot be fulfilled by a visit"),
    (_set(2, reason=None), 2, "plans item 3, key 'reason': a returned plan needs its reason"),
    (_set(1, decided_by=""), 2, "plans item 2, key 'decided_by': an approved plan needs who decided it"),
    (_set(1, decided_at="hôm qua"), 2, "plans item 2, key 'decided_at': 'hôm qua' is not a moment"),
]


@pytest.mark.parametrize("change, code, message", BAD_ROWS)
def test_a_bad_plan_row_is_one_line_and_nothing_is_written(cli, dump, tmp_path, change, code, message):
    record_plans(cli)
    ok(cli("add-visit", "--cadre", "P02", "--unit", "Mỹ Đức", "--from", "06/11/2020", "--kind", "phoi-hop"))
    doc = exported(cli, tmp_path / "plans.json")
    change(doc["plans"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    empty = tmp_path / "empty.db"
    run = invoke("--db", str(empty), "import", str(bad))
    assert run.code == code and run.crash is None, run
    line = run.stderr.strip()
    assert line.startswith("Error: bad.json, ") and "\n" not in line, run
    assert message in line and line.endswith("(nothing was imported)"), run
    assert not empty.exists()
    before = dump()  # over the database that holds the plans: refused too, nothing changed
    assert cli("import", str(bad)).code in (1, 2)
    assert dump() == before


def test_the_import_of_plans_is_one_change_and_undo_takes_them_back(cli, tmp_path):
    record_plans(cli)
    first = tmp_path / "first.json"
    doc = exported(cli, first)
    other = tmp_path / "other.db"
    ok(invoke("--db", str(other), "import", str(first)))
    history = ok(invoke("--db", str(other), "history")).stdout
    assert "imported 2 cadres, 1 visits, 5 plans" in history
    assert history.count("+ plan ") == 5
    ok(invoke("--db", str(other), "undo"))
    assert json.loads(ok(invoke("--db", str(other), "plan", "list", "--json")).stdout)["plans"] == []
    after = tmp_path / "after.json"
    ok(invoke("--db", str(other), "export", "--out", str(after)))
    assert json.loads(after.read_text("utf-8"))["plans"] == []
    ok(invoke("--db", str(other), "import", str(first)))  # and again, whole
    again = tmp_path / "again.json"
    ok(invoke("--db", str(other), "export", "--out", str(again)))
    assert json.loads(again.read_text("utf-8"))["plans"] == doc["plans"]


@pytest.mark.parametrize(
    "written",
    [
        lambda at: at,  # as exported: "2020-11-10 03:04:05+00:00"
        lambda at: at.removesuffix("+00:00"),  # no offset: a moment in UTC, as the record keeps it
        lambda at: at.removesuffix("+00:00") + "Z",
        lambda at: _shifted(at, 7),  # the same moment in Hanoi's time
    ],
)
def test_a_decision_at_the_same_moment_is_already_recorded_however_it_is_written(cli, dump, tmp_path, written):
    """decided_at is a moment: the same moment again (with or without an offset) is the same value, on
    either backend, and a new database keeps it in UTC (a moment without an offset was a traceback);
    another moment is refused."""
    record_plans(cli)
    doc = exported(cli, tmp_path / "plans.json")
    original = json.loads(json.dumps(doc["plans"]))
    before = dump()
    for plan in doc["plans"]:
        if plan["decided_at"] is not None:
            assert plan["decided_at"].endswith("+00:00"), plan
            plan["decided_at"] = written(plan["decided_at"])
    same = tmp_path / "same.json"
    same.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    run = ok(cli("import", str(same)))
    assert "5 plans already recorded" in run.stdout
    assert dump() == before
    fresh = tmp_path / "fresh.db"  # and into a new database: the same moments come back, in UTC
    ok(invoke("--db", str(fresh), "import", str(same)))
    ok(invoke("--db", str(fresh), "export", "--out", str(tmp_path / "fresh.json")))
    assert json.loads((tmp_path / "fresh.json").read_text("utf-8"))["plans"] == original
    doc["plans"][1]["decided_at"] = "2020-01-01 00:00:00+00:00"
    same.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    run = cli("import", str(same))
    assert run.code == 1 and "plans item 2, key 'decided_at': already recorded with decided_at" in run.stderr, run
    assert dump() == before


def _shifted(at: str, hours: int) -> str:
    from datetime import datetime, timedelta, timezone

    moment = datetime.fromisoformat(at).astimezone(timezone(timedelta(hours=hours)))
    return moment.isoformat(sep=" ")


def test_a_plan_twice_in_one_file_is_one_plan(cli, tmp_path):
    """The same plan twice in one file (every field alike) is imported once and counted as repeated; the
    same plan with another value is refused at the first field that differs."""
    record_plans(cli)
    doc = exported(cli, tmp_path / "plans.json")
    doc["plans"].append(dict(doc["plans"][1]))
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    other = tmp_path / "other.db"
    run = ok(invoke("--db", str(other), "import", str(twice)))
    assert "5 plans added, 1 repeated in the file" in run.stdout
    plans = json.loads(ok(invoke("--db", str(other), "plan", "list", "--json")).stdout)["plans"]
    assert len(plans) == 5
    doc["plans"][-1]["days"] = 2
    twice.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    fresh = tmp_path / "fresh.db"
    run = invoke("--db", str(fresh), "import", str(twice))
    assert (
        run.code == 1
        and "plans item 6, key 'days': repeats twice.json, plans item 2 with days 3; this row has 2" in run.stderr
    )
    assert not fresh.exists()
