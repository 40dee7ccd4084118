"""Plans (đăng ký) end to end through the commands, on SQLite and PostgreSQL alike: the state
machine, bad input (one line, exit 2 malformed / 1 refused, nothing written), the link of a
visit to its plan, history and undo, the unit's view and the department's sheet."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from conftest import Cli, dump_database, invoke, sql

pytestmark = pytest.mark.both_backends


def roster(cli: Cli) -> None:
    for code, name, dept in (
        ("C01", "Nguyễn Văn An", "Ban Tổ chức – Kiểm tra"),
        ("C02", "Trần Thị Bình", "Ban Thanh niên Trường học"),
        ("C03", "Lê Văn Đức", "Ban Tổ chức – Kiểm tra"),
    ):
        assert cli("cadre", "add", "--code", code, "--name", name, "--dept", dept).code == 0
    for args in (
        ("--cadre", "C01", "--unit", "Ba Đình", "--from", "10/11/2020", "--to", "12/11/2020", "--kind", "sinh-hoat"),
        ("--cadre", "C02", "--unit", "Ba Đình", "--month", "11/2020", "--days", "3", "--kind", "chuyên đề"),
        ("--cadre", "C03", "--unit", "Gia Lâm", "--from", "02/11/2020", "--kind", "phoi-hop"),
        ("--cadre", "C01", "--unit", "Gia Lâm", "--from", "01/12/2020", "--to", "04/12/2020", "--kind", "chuyen-de"),
    ):
        assert cli("plan", "add", *args).code == 0


def plans(cli: Cli, *args: str) -> list[dict]:
    run = cli("plan", "list", "--json", *args)
    assert run.code == 0, run
    return json.loads(run.stdout)["plans"]


def states(cli: Cli, *args: str) -> dict[int, str]:
    return {p["id"]: p["state"] for p in plans(cli, *args)}


def test_a_quarter_drafted_submitted_approved_carried_out(built, db) -> None:
    cli = built(roster)
    assert states(cli, "--as-of", "01/11/2020") == {1: "draft", 2: "draft", 3: "draft", 4: "draft"}
    assert cli("plan", "submit", "1", "2", "3").stdout.strip() == "Submitted plans 1, 2, 3."
    assert cli("plan", "approve", "1", "2", "--by", "Văn phòng").code == 0
    run = cli("plan", "return", "3", "--reason", "Trùng lịch Đại hội")
    assert run.code == 0 and "Trùng lịch Đại hội" in run.stdout
    assert states(cli, "--as-of", "01/11/2020") == {1: "approved", 2: "approved", 3: "returned", 4: "draft"}
    # a visit without --plan that matches plan 1 (same cadre and unit, a shared day) is linked
    run = cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "11/11/2020", "--kind", "sinh-hoat")
    assert run.code == 0 and "It fulfils plan 1 (now done)." in run.stdout
    # --plan: the facts come from the plan (a month plan needs its days)
    assert cli("add-visit", "--plan", "2").code == 2
    run = cli("add-visit", "--plan", "2", "--from", "17/11/2020", "--to", "18/11/2020", "--json")
    assert run.code == 0, run
    added = json.loads(run.stdout)
    assert (added["cadre"], added["unit"], added["kind"], added["plan"]) == ("C02", "Quận đoàn Ba Đình", "chuyen-de", 2)
    assert states(cli, "--as-of", "20/11/2020") == {1: "done", 2: "done", 3: "returned", 4: "draft"}
    # as of a day before the visits began the plans are only approved: a past state is reproduced
    assert states(cli, "--as-of", "09/11/2020")[1] == "approved"
    # the unit's view: who comes to Ba Đình in November
    view = cli("plan", "list", "--unit", "ba dinh", "--month", "11/2020", "--as-of", "01/11/2020")
    assert view.code == 0
    assert "C01 Nguyễn Văn An" in view.stdout and "C02 Trần Thị Bình" in view.stdout and "C03" not in view.stdout
    # the department's quarter
    assert [p["id"] for p in plans(cli, "--dept", "to chuc", "--quarter", "4/2020")] == [3, 1, 4]
    assert [p["id"] for p in plans(cli, "--state", "trả lại")] == [3]


def test_a_plan_passed_without_a_visit_is_missed_after_the_report_window(built) -> None:
    cli = built(roster)
    assert cli("plan", "submit", "1").code == 0 and cli("plan", "approve", "1").code == 0
    # last day 12/11, report window 10 days: missed from 23/11
    assert states(cli, "--as-of", "22/11/2020")[1] == "approved"
    assert states(cli, "--as-of", "23/11/2020")[1] == "missed"
    assert [p["id"] for p in plans(cli, "--state", "bỏ lỡ", "--as-of", "23/11/2020")] == [1]
    # a visit recorded a few days late still fulfils it
    assert cli("add-visit", "--plan", "1", "--from", "20/11/2020", "--to", "20/11/2020").code == 0
    assert states(cli, "--as-of", "23/11/2020")[1] == "done"


BAD = [
    (
        (
            "plan",
            "add",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "12/11/2020",
            "--to",
            "10/11/2020",
            "--kind",
            "sinh-hoat",
        ),
        2,
        "--to 2020-11-10 is before --from 2020-11-12",
    ),
    (
        ("plan", "add", "--cadre", "C09", "--unit", "Ba Đình", "--from", "12/11/2020", "--kind", "sinh-hoat"),
        1,
        "no cadre matches 'C09'",
    ),
    (
        ("plan", "add", "--cadre", "C01", "--unit", "Hà Giang", "--from", "12/11/2020", "--kind", "sinh-hoat"),
        1,
        "no unit matches",
    ),
    (
        (
            "plan",
            "add",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--month",
            "2020/04",
            "--days",
            "3",
            "--kind",
            "sinh-hoat",
        ),
        2,
        "--month '2020/04' is not a month; accepted: MM/YYYY",
    ),
    (
        (
            "plan",
            "add",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--month",
            "02/2021",
            "--days",
            "29",
            "--kind",
            "sinh-hoat",
        ),
        2,
        "--days 29 does not fit in 02/2021; accepted: 1 to 28",
    ),
    (
        ("plan", "add", "--cadre", "C01", "--unit", "Ba Đình", "--month", "02/2021", "--kind", "sinh-hoat"),
        2,
        "--month needs --days",
    ),
    (
        ("plan", "add", "--cadre", "C01", "--unit", "Ba Đình", "--from", "12/11/2020", "--kind", "du-lich"),
        2,
        "unknown kind",
    ),
    (("plan", "approve", "4"), 1, "plan 4 is in state draft; cannot approve it (only a submitted plan)"),
    (("plan", "approve", "1"), 1, "plan 1 is already approved"),
    (("plan", "approve", "2", "1"), 1, "plan 1 is already approved"),
    (("plan", "submit", "1"), 1, "plan 1 is in state approved; cannot submit it"),
    (("plan", "delete", "1"), 1, "cannot delete it (only a draft plan)"),
    (("plan", "return", "2", "--reason", "  "), 2, "reason is empty"),
    (("plan", "approve", "99"), 1, "no plan 99"),
    (("plan", "list", "--quarter", "5/2020"), 2, "--quarter '5/2020' is not a quarter"),
    (("plan", "list", "--state", "xong"), 2, "unknown plan state 'xong'"),
    (("add-visit", "--plan", "1", "--cadre", "C02"), 1, "plan 1 is C01's (Nguyễn Văn An), not C02's"),
    (("add-visit", "--plan", "3"), 1, "plan 3 is in state draft; cannot record a visit for it"),
    (("add-visit", "--plan", "5"), 1, "plan 5 is already done: visit 1 fulfils it"),
    (("add-visit", "--cadre", "C01", "--from", "12/11/2020", "--kind", "sinh-hoat"), 2, "missing option --unit"),
]


def scenario(cli: Cli) -> None:
    """The roster's plans, 1 approved, 2 submitted, 3 and 4 drafts, 5 approved and done by visit 1."""
    roster(cli)
    assert cli("plan", "submit", "1", "2").code == 0 and cli("plan", "approve", "1").code == 0
    assert (
        cli("plan", "add", "--cadre", "C03", "--unit", "Ba Đình", "--from", "05/10/2020", "--kind", "kiem-tra").code
        == 0
    )
    assert cli("plan", "submit", "5").code == 0 and cli("plan", "approve", "5").code == 0
    assert cli("add-visit", "--plan", "5").code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"), BAD, ids=[" ".join(b[0][:3]) + f" {i}" for i, b in enumerate(BAD)]
)
def test_bad_input_is_one_line_and_writes_nothing(built, db, args, code: int, message: str) -> None:
    cli = built(scenario)
    before = dump_database(db)
    run = cli(*args)
    assert run.code == code, run
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
    assert run.crash is None
    assert dump_database(db) == before


def test_every_plan_change_is_in_the_history_and_undone(built, db) -> None:
    cli = built(scenario)
    changes = json.loads(cli("history", "--json").stdout)
    actions = [c["action"] for c in changes]
    assert actions[:6] == ["visit.add", "plan.approve", "plan.submit", "plan.add", "plan.approve", "plan.submit"]
    # undoing the visit unlinks its plan, which is approved again
    assert cli("undo", str(changes[0]["id"])).code == 0
    assert states(cli, "--as-of", "06/10/2020")[5] == "approved"
    assert sql(db, "SELECT visit_id FROM plan WHERE id = 5") == [(None,)]
    # undoing the approval leaves it submitted, and a delete of a draft is undone too
    assert cli("undo", str(changes[1]["id"])).code == 0 and states(cli)[5] == "submitted"
    assert cli("plan", "delete", "4").code == 0 and 4 not in states(cli)
    assert cli("undo").code == 0 and states(cli)[4] == "draft"
    assert any(c["action"] == "plan.add" for c in json.loads(cli("history", "--cadre", "C03", "--json").stdout))


def test_the_departments_quarter_as_a_sheet(built, tmp_path) -> None:
    cli = built(scenario)
    out = tmp_path / "q4.csv"
    run = cli("plan", "list", "--dept", "Tổ chức", "--quarter", "4/2020", "--format", "csv", "--out", str(out))
    assert run.code == 0, run
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["Số", "Mã cán bộ", "Họ và tên"]
    assert [r[0] for r in rows[1:]] == ["5", "3", "1", "4"]
    assert rows[1][10] == "Đã thực hiện"
    xlsx = tmp_path / "q4.xlsx"
    assert cli("plan", "list", "--quarter", "4/2020", "--out", str(xlsx)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert ws.cell(1, 1).value == "Số" and ws.max_row == 6  # the header and five plans


def test_the_database_refuses_a_plan_that_breaks_its_rules(built, db) -> None:
    """Written around congtac12 (sqlite3, psql): the constraints of migration 0005 hold."""
    cli = built(scenario)
    for statement in (
        "UPDATE plan SET \"end\" = '2020-11-01' WHERE id = 1",  # before its first day
        "UPDATE plan SET days = 31 WHERE id = 2",  # November has 30
        "UPDATE plan SET start = '2020-11-02' WHERE id = 2",  # a month plan starts on the 1st
        "UPDATE plan SET state = 'done' WHERE id = 1",  # decided as of a date, never stored
        "UPDATE plan SET state = 'returned', reason = NULL WHERE id = 2",  # no reason
        "UPDATE plan SET visit_id = 1 WHERE id = 2",  # fulfilled while submitted; and another cadre's
        "UPDATE plan SET kind = 'du-lich' WHERE id = 1",
    ):
        with pytest.raises(Exception, match="ck_plan|constraint|congtac12:"):
            sql(db, statement)
    cli("plan", "submit", "3")
    with pytest.raises(Exception, match="congtac12:plan-visit-of-another-cadre"):
        sql(db, "UPDATE plan SET state = 'approved', decided_by = 'x', visit_id = 1 WHERE id = 1")
    assert invoke("db", "check").code == 0


def test_status_weighs_plan_and_record(built) -> None:
    cli = built(roster)
    assert cli("plan", "submit", "1", "2", "4").code == 0 and cli("plan", "approve", "1", "4").code == 0
    assert (
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Gia Lâm",
            "--from",
            "05/10/2020",
            "--to",
            "06/10/2020",
            "--kind",
            "chuyen-de",
        ).code
        == 0
    )
    status = json.loads(cli("status", "--json", "--as-of", "01/11/2020").stdout)
    c01 = next(c for c in status["cadres"] if c["code"] == "C01")
    assert c01["days"] == 2  # 5 and 6 October
    # plan 1: 10-12/11 sinh-hoat (3 days), plan 4: 1-4/12 chuyen-de (4 days); plan 2 is only submitted
    assert c01["planned"] == {
        "days": 7,
        "days_by_kind": {"chuyen-de": 4, "sinh-hoat": 3},
        "days_by_level": {"huyen": 7},
        "plans": [1, 4],
        "enough": False,
        # total 60 - 2 - 7 = 51; kinds: chuyen-de 12 - 2 - 4 = 6, sinh-hoat 24 - 0 - 3 = 21: 27
        "days_short": 51,
    }
    c02 = next(c for c in status["cadres"] if c["code"] == "C02")
    assert c02["planned"]["days"] == 0 and c02["planned"]["days_short"] == 60
    # as of 11/11 plan 1 has one day ahead (the 12th)
    later = json.loads(cli("status", "--json", "--cadre", "C01", "--as-of", "11/11/2020").stdout)
    assert later["cadres"][0]["planned"]["days"] == 1 + 4
    detail = cli("status", "--cadre", "C01", "--as-of", "01/11/2020")
    assert "Plan: 2 days recorded, 7 planned ahead: the plan is 51 days short." in detail.stdout
    assert "Coming planned trips" in detail.stdout and "Quận đoàn Ba Đình" in detail.stdout
    vi = cli("--lang", "vi", "status", "--cadre", "C01", "--as-of", "01/11/2020")
    assert "kế hoạch còn thiếu 51 ngày" in vi.stdout
    table = cli("status", "--as-of", "01/11/2020")
    assert "Plan" in table.stdout and "+7" in table.stdout


def test_the_units_calendar(built) -> None:
    cli = built(
        scenario
    )  # at Ba Đình: plan 1 (C01, 10-12/11, approved), 2 (C02, 3 days in 11/2020), 5 (C03, 5/10, done)
    assert (
        cli("plan", "add", "--cadre", "C03", "--unit", "Ba Đình", "--from", "11/11/2020", "--kind", "kiem-tra").code
        == 0
    )
    assert cli("plan", "submit", "6").code == 0
    assert (
        cli("plan", "add", "--cadre", "C02", "--unit", "Ba Đình", "--from", "12/11/2020", "--kind", "kiem-tra").code
        == 0
    )  # a draft
    run = cli("calendar", "--unit", "Ba Đình", "--year", "2020")
    assert run.code == 0, run
    rows = {
        line[:7]: line[8:].split()
        for line in run.stdout.splitlines()
        if line[:3].rstrip("/").isdigit() and line[2:3] == "/"
    }
    # 10/11: C01; 11/11: C01 and C03 (submitted); 12/11: C01 (the draft of C02 is not expected)
    assert rows["11/2020"][9:12] == ["1", "2", "1"] and set(rows["11/2020"][:9] + rows["11/2020"][12:]) == {"·"}
    assert rows["10/2020"][4] == "1"  # plan 5, done
    assert "C02 Trần Thị Bình" in run.stdout  # the month plan is in the list below
    assert cli("calendar").code == 2
    assert "one of them" in cli("calendar", "--cadre", "C01", "--unit", "Ba Đình").stderr


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "accepted: chuyen-de, phoi-hop, kiem-tra, sinh-hoat"),
        ("vi", "chấp nhận: Chuyên đề, Phối hợp, Kiểm tra, Sinh hoạt"),
    ],
)
def test_the_service_reads_a_kind_as_add_visit_does(built, db, language, words) -> None:
    """``services.plans.add`` (what the web form calls) takes add-visit's words for a kind: a
    Vietnamese name becomes its slug; an unknown word is refused naming the accepted ones in the
    reader's language, and nothing is written."""
    from congtac12.errors import InvalidInput
    from congtac12.i18n import in_language
    from congtac12.services import plans as plan_service

    built(roster)
    with in_language(language):
        added = plan_service.add(db, cadre="C03", unit="Ba Đình", kind="Sinh hoạt", start=date(2020, 12, 7))
        assert added.plan.kind == "sinh-hoat"
        before = dump_database(db)
        with pytest.raises(InvalidInput) as refused:
            plan_service.add(db, cadre="C03", unit="Ba Đình", kind="du lịch", start=date(2020, 12, 8))
    assert "'du lịch'" in refused.value.message and words in refused.value.message
    assert dump_database(db) == before
