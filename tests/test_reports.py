"""Result reports (báo cáo kết quả): deadline tables, `reports`, `report show`, the editor.

Policy: Hanoi 2020, window 2020-03-01..2020-12-31, a report due on the trip's
last day + 10. Expected values are counted by hand (arithmetic in comments).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import sql
from test_cli_core import BTC, VP, add_cadre, add_visit, js, ok, refused, table_row, visit_warnings_only

from congtac12.domain.counting import evaluate
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.domain.owed import by_urgency, owed_reports, reminders
from congtac12.domain.results import OwedReport, Reminder
from congtac12.domain.states import DUE_SOON, LATE, ON_TIME, OVERDUE, PENDING
from congtac12.policies import load_policy

pytestmark = pytest.mark.both_backends

POLICY = load_policy()
EXE = str(Path(sys.executable).with_name("congtac12"))


def D(text: str) -> date:
    return date.fromisoformat(text)


# --- deadline tables (pure) --------------------------------------------------

# One trip 05/03/2020-06/03/2020: due 06/03 + 10 = 16/03/2020.
TRIP = VisitFacts(1, "C01", D("2020-03-05"), D("2020-03-06"), "chuyen-de")


@pytest.mark.parametrize(
    "reported_on, as_of, state, days_late, days_left",
    [
        # no report
        (None, "2020-03-06", PENDING, None, 10),  # the last day: 16 - 6 = 10 days left
        (None, "2020-03-15", PENDING, None, 1),
        (None, "2020-03-16", PENDING, None, 0),  # the due day itself: still pending
        (None, "2020-03-17", OVERDUE, 1, None),  # the day after: overdue by 17 - 16 = 1
        (None, "2020-04-16", OVERDUE, 31, None),  # 15 days left of March + 16 = 31
        # a report
        ("2020-03-16", "2020-03-20", ON_TIME, None, None),  # on the due day: on time
        ("2020-03-06", "2020-03-06", ON_TIME, None, None),  # on the trip's last day
        ("2020-03-17", "2020-03-20", LATE, 1, None),  # the day after: late by 1
        ("2020-03-26", "2020-12-31", LATE, 10, None),  # 26 - 16 = 10
        # a report dated after the as-of date is not seen yet
        ("2020-03-18", "2020-03-17", OVERDUE, 1, None),
        ("2020-03-18", "2020-03-16", PENDING, None, 0),
        ("2020-03-18", "2020-03-18", LATE, 2, None),  # seen from its own date: 18 - 16 = 2
    ],
)
def test_report_deadline_table(reported_on, as_of, state, days_late, days_left) -> None:
    reports = [ReportFacts(1, D(reported_on))] if reported_on else []
    (owed,) = owed_reports(POLICY, [], [TRIP], reports, D(as_of))
    expected_on = D(reported_on) if reported_on and D(reported_on) <= D(as_of) else None
    assert owed == OwedReport(1, "C01", D("2020-03-06"), D("2020-03-16"), expected_on, state, days_late, days_left)


@pytest.mark.parametrize(
    "start, end, as_of, owed",
    [
        ("2020-02-20", "2020-02-25", "2020-06-01", False),  # wholly before the window: no day counts
        ("2020-02-27", "2020-03-03", "2020-06-01", True),  # 1-3 March count
        ("2020-12-30", "2021-01-02", "2021-01-20", True),  # 30-31 December count
        ("2021-01-05", "2021-01-06", "2021-02-01", False),  # after the window
        ("2020-03-05", "2020-03-06", "2020-03-04", False),  # not started by the as-of date
        ("2020-03-05", "2020-03-06", "2020-03-05", True),  # under way: owes one (pending)
    ],
)
def test_which_visits_owe_a_report(start, end, as_of, owed) -> None:
    trip = VisitFacts(1, "C01", D(start), D(end), "phoi-hop")
    assert bool(owed_reports(POLICY, [], [trip], [], D(as_of))) is owed


# A cadre who joined on 01/07/2020, left on 30/11/2020 and was on leave 01/09-10/09/2020.
LIMITED = CadreFacts(
    "C01",
    "Nguyễn Văn An",
    "Ban Tổ chức",
    joined=D("2020-07-01"),
    left=D("2020-11-30"),
    leave=(LeaveFacts(1, D("2020-09-01"), D("2020-09-10"), "om-dau"),),
)


@pytest.mark.parametrize(
    "start, end, as_of, owed, why",
    [
        ("2020-06-20", "2020-06-30", "2020-12-31", None, "all 11 days before joining: owes nothing"),
        ("2020-06-29", "2020-07-01", "2020-12-31", "2020-07-11", "1 July counts: owes one, due 01/07 + 10"),
        ("2020-09-02", "2020-09-05", "2020-12-31", None, "all 4 days on leave (1-10 Sep): owes nothing"),
        ("2020-09-09", "2020-09-12", "2020-12-31", "2020-09-22", "11, 12 Sep count: due 12/09 + 10"),
        ("2020-09-09", "2020-09-12", "2020-09-10", None, "as of 10 Sep only 9, 10 Sep are seen, on leave"),
        ("2020-09-09", "2020-09-12", "2020-09-11", "2020-09-22", "as of 11 Sep, 11 Sep counts: pending"),
        ("2020-12-01", "2020-12-03", "2020-12-31", None, "all 3 days after leaving on 30 Nov: owes nothing"),
        ("2020-11-30", "2020-12-02", "2020-12-31", "2020-12-12", "30 Nov counts: due 02/12 + 10"),
    ],
)
def test_a_visit_none_of_whose_days_count_owes_no_report(start, end, as_of, owed, why) -> None:
    trip = VisitFacts(1, "C01", D(start), D(end), "phoi-hop")
    found = owed_reports(POLICY, [LIMITED], [trip], [], D(as_of))
    assert [r.due for r in found] == ([D(owed)] if owed else [])
    # status owes exactly the same: one report (pending or overdue) or none
    reports = evaluate(POLICY, [LIMITED], [trip], [], D(as_of)).cadres[0].reports
    assert reports.pending + reports.overdue == len(found)
    # and nothing is reminded of what is not owed
    assert len(reminders(found, D(as_of), 30)) == (1 if owed and D(as_of) >= D(end) else 0)


@pytest.mark.parametrize(
    "as_of, ahead, expected",
    [
        ("2020-03-12", 3, None),  # due 16/03: 4 days left > 3
        ("2020-03-13", 3, (DUE_SOON, 3)),  # 16 - 13 = 3 left
        ("2020-03-16", 0, (DUE_SOON, 0)),  # due today, even with --ahead 0
        ("2020-03-15", 0, None),  # 1 day left > 0
        ("2020-03-17", 0, (OVERDUE, 1)),
        ("2020-03-27", 3, (OVERDUE, 11)),  # 27 - 16 = 11
        ("2020-03-05", 30, None),  # the trip is not over: no report can be written yet
        ("2020-03-06", 30, (DUE_SOON, 10)),  # its last day: a report can be written
    ],
)
def test_reminder_table(as_of, ahead, expected) -> None:
    found = reminders(owed_reports(POLICY, [], [TRIP], [], D(as_of)), D(as_of), ahead)
    if expected is None:
        assert found == []
    else:
        state, days = expected
        assert found == [Reminder(1, "C01", D("2020-03-06"), D("2020-03-16"), state, days)]


def test_a_reported_visit_needs_no_reminder() -> None:
    as_of = D("2020-03-27")
    owed = owed_reports(POLICY, [], [TRIP], [ReportFacts(1, D("2020-03-20"))], as_of)
    assert reminders(owed, as_of, 3) == []  # late, but written: nothing to remind of


def test_reminders_by_cadre_overdue_first_then_oldest_due() -> None:
    trips = [
        VisitFacts(1, "C02", D("2020-03-01"), D("2020-03-01"), "phoi-hop"),  # due 11/03: overdue 9
        VisitFacts(2, "C01", D("2020-03-18"), D("2020-03-18"), "phoi-hop"),  # due 28/03: 8 left
        VisitFacts(3, "C01", D("2020-03-05"), D("2020-03-05"), "phoi-hop"),  # due 15/03: overdue 5
        VisitFacts(4, "C01", D("2020-03-02"), D("2020-03-02"), "phoi-hop"),  # due 12/03: overdue 8
        VisitFacts(5, "C01", D("2020-03-19"), D("2020-03-19"), "phoi-hop"),  # due 29/03: 9 left
    ]
    as_of = D("2020-03-20")
    found = reminders(owed_reports(POLICY, [], trips, [], as_of), as_of, 10)
    assert [(m.visit_id, m.state, m.days) for m in found] == [
        (4, OVERDUE, 8),
        (3, OVERDUE, 5),
        (2, DUE_SOON, 8),
        (5, DUE_SOON, 9),
        (1, OVERDUE, 9),
    ]


def test_listing_order_is_most_urgent_first() -> None:
    trips = [
        VisitFacts(1, "C01", D("2020-03-02"), D("2020-03-02"), "phoi-hop"),  # due 12/03, on time
        VisitFacts(2, "C01", D("2020-03-03"), D("2020-03-03"), "phoi-hop"),  # due 13/03, overdue
        VisitFacts(3, "C01", D("2020-03-01"), D("2020-03-01"), "phoi-hop"),  # due 11/03, overdue
        VisitFacts(4, "C01", D("2020-03-15"), D("2020-03-15"), "phoi-hop"),  # due 25/03, pending
        VisitFacts(5, "C01", D("2020-03-04"), D("2020-03-04"), "phoi-hop"),  # due 14/03, late
    ]
    reports = [ReportFacts(1, D("2020-03-10")), ReportFacts(5, D("2020-03-18"))]
    owed = by_urgency(owed_reports(POLICY, [], trips, reports, D("2020-03-20")))
    assert [(r.visit_id, r.state) for r in owed] == [(3, OVERDUE), (2, OVERDUE), (4, PENDING), (5, LATE), (1, ON_TIME)]


# --- `reports` ----------------------------------------------------------------


def build_trips(cli) -> None:
    """C01 Nguyễn Văn An (4 trips), C02 Đặng Thị Đào (1 trip)."""
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC)
    add_cadre(cli, "C02", "Đặng Thị Đào", VP)
    add_visit(cli, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")  # 1: due 16/03
    add_visit(cli, "C01", "Sơn Tây", "10/03/2020", "10/03/2020", "sinh-hoat")  # 2: due 20/03
    add_visit(cli, "C02", "Gia Lâm", "01/03/2020", "02/03/2020", "phoi-hop")  # 3: due 12/03
    add_visit(cli, "C01", "Ba Vì", "20/03/2020", "21/03/2020", "kiem-tra")  # 4: due 31/03
    add_visit(cli, "C01", "Đông Anh", "27/02/2020", "29/02/2020", "phoi-hop")  # 5: before the window
    ok(cli("report", "1", "--on", "16/03/2020", "--text", "Đã khảo sát"))  # on the due day
    ok(cli("report", "2", "--on", "25/03/2020", "--text", "Muộn"))  # 5 days late


@pytest.fixture
def trips(built):
    """The command runner, on a copy of build_trips's database."""
    return built(build_trips)


def test_reports_json_as_of_a_date(trips) -> None:
    doc = js(trips("reports", "--as-of", "24/03/2020", "--json"))
    # As of 24/03: 3 overdue by 24 - 12 = 12; 4 pending (due 31/03, 7 left); 2's report of
    # 25/03 not seen yet: overdue by 24 - 20 = 4; 1 on time. 5 counts no day: not listed.
    assert doc["as_of"] == "2020-03-24"
    assert [(v["visit_id"], v["state"], v["days_late"], v["days_left"]) for v in doc["visits"]] == [
        (3, "overdue", 12, None),
        (2, "overdue", 4, None),
        (4, "pending", None, 7),
        (1, "on_time", None, None),
    ]
    assert doc["visits"][0] == {
        "visit_id": 3,
        "cadre": "C02",
        "name": "Đặng Thị Đào",
        "unit": "Huyện đoàn Gia Lâm",
        "start": "2020-03-01",
        "end": "2020-03-02",
        "kind": "phoi-hop",
        "due": "2020-03-12",
        "reported_on": None,
        "state": "overdue",
        "days_late": 12,
        "days_left": None,
    }
    assert doc["visits"][-1]["reported_on"] == "2020-03-16"


def test_reports_filters(trips) -> None:
    doc = js(trips("reports", "--as-of", "2020-04-01", "--state", "late", "--json"))
    assert [(v["visit_id"], v["reported_on"], v["days_late"]) for v in doc["visits"]] == [(2, "2020-03-25", 5)]
    doc = js(trips("reports", "--as-of", "2020-04-01", "--cadre", "dang thi dao", "--json"))
    assert [v["visit_id"] for v in doc["visits"]] == [3]
    doc = js(trips("reports", "--as-of", "2020-04-01", "--state", "pending", "--json"))
    assert doc["visits"] == []


def test_reports_table(trips) -> None:
    out = ok(trips("reports", "--as-of", "24/03/2020"))
    assert out.splitlines()[0].strip() == "Result reports as of 2020-03-24"
    assert table_row(out, "3")[1:] == ["C02", "Huyện đoàn Gia Lâm", "2020-03-02", "2020-03-12", "—", "overdue", "12"]
    assert table_row(out, "4")[1:] == ["C01", "Huyện đoàn Ba Vì", "2020-03-21", "2020-03-31", "—", "pending", "7"]
    assert table_row(out, "1")[1:] == ["C01", "Quận đoàn Ba Đình", "2020-03-06", "2020-03-16", "2020-03-16", "on time"]
    # One cadre: the name is the title, not a column.
    out = ok(trips("reports", "--as-of", "24/03/2020", "--cadre", "C02"))
    assert out.splitlines()[0].strip() == "C02 Đặng Thị Đào — Result reports as of 2020-03-24"
    assert table_row(out, "3")[1:3] == ["Huyện đoàn Gia Lâm", "2020-03-02"]


def test_reports_refuses_an_unknown_state(trips) -> None:
    message = refused(trips("reports", "--state", "lost"), 2)
    assert "unknown state 'lost'" in message and "on_time, late, pending, overdue" in message


def test_reports_agree_with_status(trips) -> None:
    """The listing's states add up to the report counts of `status`."""
    listing = js(trips("reports", "--as-of", "24/03/2020", "--json"))["visits"]
    # visit 5 (27-29 Feb) lies before the window: status warns of it (issue 17)
    status = json.loads(visit_warnings_only(trips("status", "--as-of", "24/03/2020", "--json")))["cadres"]
    for cadre in status:
        mine = [v["state"] for v in listing if v["cadre"] == cadre["code"]]
        assert {s: mine.count(s) for s in ("on_time", "late", "pending", "overdue")} == cadre["reports"]


# --- `report show` ------------------------------------------------------------


def test_report_show(trips) -> None:
    out = ok(trips("report", "show", "2"))
    assert out == (
        "Visit 2: C01 Nguyễn Văn An at Thị đoàn Sơn Tây, on 2020-03-10 (Attending meetings).\n"
        "Report dated 2020-03-25: late by 5 days (due 2020-03-20).\n"  # 25 - 20 = 5
        "\n"
        "Muộn\n"
    )
    doc = js(trips("report", "show", "1", "--json"))
    assert doc == {
        "visit_id": 1,
        "cadre": "C01",
        "name": "Nguyễn Văn An",
        "unit": "Quận đoàn Ba Đình",
        "start": "2020-03-05",
        "end": "2020-03-06",
        "kind": "chuyen-de",
        "due": "2020-03-16",
        "reported_on": "2020-03-16",
        "state": "on_time",
        "text": "Đã khảo sát",
    }


@pytest.mark.parametrize(
    "args, code, words",
    [
        (("report", "show", "4"), 1, ["visit 4 has no report yet (due 2020-03-31)", "congtac12 report 4"]),
        (("report", "show", "99"), 1, ["no visit 99"]),
        (("report", "show"), 2, ["needs a visit id"]),
        (("report", "show", "x"), 2, ["visit id 'x' is not a number"]),
        (("report", "show", "1", "--text", "x"), 2, ["takes no --on, --text"]),
        (("report", "4", "5", "--text", "x"), 2, ["unexpected argument '5'"]),
        (("report", "4", "--json", "--text", "x"), 2, ["--json goes with 'report show"]),
    ],
)
def test_report_show_refusals(trips, dump, args, code, words) -> None:
    before = dump()
    message = refused(trips(*args), code)
    for word in words:
        assert word in message
    assert dump() == before


def test_report_help_names_both_forms(cli) -> None:
    out = ok(cli("report", "--help"))
    assert "Usage: congtac12 report [OPTIONS] [show] VISIT_ID" in out


# --- the editor, on a real terminal -------------------------------------------

FAKE_EDITOR = """#!{python}
# A stand-in for a text editor: logs its arguments and what it was given, then edits.
import json, os, pathlib, sys
path = pathlib.Path(sys.argv[-1])
given = path.read_text(encoding="utf-8")
pathlib.Path(os.environ["FAKE_EDITOR_LOG"]).write_text(
    json.dumps({{"name": pathlib.Path(sys.argv[0]).name, "args": sys.argv[1:-1], "given": given}}),
    encoding="utf-8")
mode = os.environ["FAKE_EDITOR_MODE"]
if mode == "write":
    path.write_text(given.replace("Results:\\n", "Results:\\nĐã khảo sát 40 đoàn viên.\\n")
                    .replace("Proposals:\\n", "Proposals:\\nTăng cường sinh hoạt chi đoàn.\\n"),
                    encoding="utf-8")
elif mode == "empty":
    path.write_text("# only a comment\\n\\n", encoding="utf-8")
elif mode == "fail":
    sys.exit(3)
"""


@pytest.fixture
def editor(tmp_path: Path) -> Path:
    """A folder holding the fake editor as `fake-editor` and as `editor` (the fallback name)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("fake-editor", "editor"):
        path = folder / name
        path.write_text(FAKE_EDITOR.format(python=sys.executable), encoding="utf-8")
        path.chmod(0o755)
    return folder


def on_terminal(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the installed command with a pseudo-terminal as its standard input."""
    master, slave = pty.openpty()
    try:
        return subprocess.run([EXE, *args], stdin=slave, capture_output=True, text=True, env=env, timeout=60)
    finally:
        os.close(master)
        os.close(slave)


def stored(db, visit_id: int):
    rows = sql(db, "SELECT reported_on, text FROM report WHERE visit_id = ?", (visit_id,))
    return rows[0] if rows else None


@pytest.fixture
def one_trip(cli, db: Path, tmp_path: Path, editor: Path):
    """Visit 1: C01 at Quận đoàn Ba Đình, 05-06/03/2020, chuyen-de, topic "Khảo sát đoàn viên"."""
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC)
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "05/03/2020",
            "--to",
            "06/03/2020",
            "--kind",
            "chuyen-de",
            "--topic",
            "Khảo sát đoàn viên",
        )
    )
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR")}
    env.update(CONGTAC12_DB=str(db), FAKE_EDITOR_LOG=str(tmp_path / "editor.json"), COLUMNS="200")
    return env


TEMPLATE = (
    "# Result report of visit 1: C01 Nguyễn Văn An, due 2020-03-16.\n"
    "# Lines starting with '#' are left out. Save the file unchanged or empty to record nothing.\n"
    "\n"
    "Time: 05/03/2020 – 06/03/2020 (2 days)\n"
    "Place: Quận đoàn Ba Đình\n"
    "Content: Thematic work: Khảo sát đoàn viên\n"
    "\n"
    "Results:\n"
    "\n"
    "\n"
    "Proposals:\n"
    "\n"
)


def test_editor_writes_the_report(one_trip, db: Path, tmp_path: Path, editor: Path) -> None:
    env = {**one_trip, "EDITOR": f"{editor / 'fake-editor'} --wait", "FAKE_EDITOR_MODE": "write"}
    result = on_terminal(["report", "1", "--on", "12/03/2020"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Recorded the report of visit 1, dated 2020-03-12: on time (due 2020-03-16).\n"
    log = json.loads((tmp_path / "editor.json").read_text(encoding="utf-8"))
    assert log["args"] == ["--wait"]  # $EDITOR's own arguments are kept ("code --wait")
    assert log["given"] == TEMPLATE
    assert stored(db, 1) == (
        "2020-03-12",
        (
            "Time: 05/03/2020 – 06/03/2020 (2 days)\n"
            "Place: Quận đoàn Ba Đình\n"
            "Content: Thematic work: Khảo sát đoàn viên\n"
            "\n"
            "Results:\n"
            "Đã khảo sát 40 đoàn viên.\n"
            "\n"
            "\n"
            "Proposals:\n"
            "Tăng cường sinh hoạt chi đoàn."
        ),
    )


@pytest.mark.parametrize("mode", ["unchanged", "empty"])
def test_editor_left_unchanged_or_empty_records_nothing(one_trip, db: Path, editor: Path, mode) -> None:
    env = {**one_trip, "VISUAL": str(editor / "fake-editor"), "FAKE_EDITOR_MODE": mode}
    result = on_terminal(["report", "1", "--on", "12/03/2020"], env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "Error: the report was left empty or unchanged; nothing was recorded\n"
    assert stored(db, 1) is None


def test_visual_wins_over_editor_and_a_failing_editor_records_nothing(one_trip, db: Path, editor: Path) -> None:
    env = {
        **one_trip,
        "VISUAL": str(editor / "fake-editor"),
        "EDITOR": "/nonexistent/editor",
        "FAKE_EDITOR_MODE": "fail",
    }
    result = on_terminal(["report", "1", "--on", "12/03/2020"], env)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the editor ") and "exited with status 3" in result.stderr
    assert stored(db, 1) is None


def test_without_visual_or_editor_the_editor_on_path_is_used(one_trip, db: Path, tmp_path: Path, editor: Path) -> None:
    env = {**one_trip, "PATH": str(editor), "FAKE_EDITOR_MODE": "write"}
    result = on_terminal(["report", "1", "--on", "12/03/2020"], env)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "editor.json").read_text(encoding="utf-8"))["name"] == "editor"
    assert "Đã khảo sát 40 đoàn viên." in stored(db, 1)[1]


def test_no_editor_at_all_is_a_clear_error(one_trip, db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = on_terminal(["report", "1", "--on", "12/03/2020"], {**one_trip, "PATH": str(empty)})
    assert result.returncode == 1
    assert result.stderr == "Error: no text editor found; set $EDITOR (e.g. EDITOR=nano), or give --text or --file\n"


def test_editor_is_not_opened_for_a_report_that_would_be_refused(
    one_trip, db: Path, tmp_path: Path, editor: Path
) -> None:
    env = {**one_trip, "EDITOR": str(editor / "fake-editor"), "FAKE_EDITOR_MODE": "write"}
    result = on_terminal(["report", "1", "--on", "05/03/2020"], env)  # before the last day, 06/03
    assert result.returncode == 1 and "before the visit's last day" in result.stderr
    assert not (tmp_path / "editor.json").exists()


def test_editor_with_replace_starts_from_the_stored_report(one_trip, db: Path, tmp_path: Path, editor: Path) -> None:
    env = {**one_trip, "EDITOR": str(editor / "fake-editor"), "FAKE_EDITOR_MODE": "unchanged"}
    subprocess.run(
        [EXE, "report", "1", "--on", "10/03/2020"],
        input="Kết quả:\nbản nháp\n",
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )  # standard input
    result = on_terminal(["report", "1", "--on", "12/03/2020", "--replace"], env)
    given = json.loads((tmp_path / "editor.json").read_text(encoding="utf-8"))["given"]
    assert given.splitlines()[3:] == ["Kết quả:", "bản nháp"]
    assert result.returncode == 1  # left unchanged: the stored report stays as it was
    assert stored(db, 1) == ("2020-03-10", "Kết quả:\nbản nháp")


# --- a visit that counts no day owes no report (issue 13) -------------------------------


def build_zero_day(cli) -> None:
    """C03 joined 01/06/2020: visit 1 (10-11/03/2020) is wholly before the service, 0 days.
    C04 on maternity leave 01/04-30/09/2020: visit 2 (06-07/04/2020) is on leave, 0 days;
    visit 3 (06-07/10/2020), after the leave, counts 2 days (due 07/10 + 10 = 17/10)."""
    add_cadre(cli, "C03", "Lê Thị Cúc", BTC, "--joined", "01/06/2020")
    add_cadre(cli, "C04", "Phạm Thị Dung", VP)
    ok(cli("leave", "add", "--cadre", "C04", "--from", "01/04/2020", "--to", "30/09/2020", "--reason", "thai-san"))
    add_visit(cli, "C03", "Ba Đình", "10/03/2020", "11/03/2020", "chuyen-de")
    add_visit(cli, "C04", "Sơn Tây", "06/04/2020", "07/04/2020", "sinh-hoat")
    add_visit(cli, "C04", "Ba Vì", "06/10/2020", "07/10/2020", "kiem-tra")


@pytest.fixture
def zero_day(built):
    return built(build_zero_day)


def test_a_visit_that_counts_no_day_has_no_due_day_and_no_verdict(zero_day) -> None:
    listed = {v["id"]: (v["counted_days"], v["report_due"]) for v in js(zero_day("visits", "--json"))}
    assert listed == {1: (0, None), 2: (0, None), 3: (2, "2020-10-17")}  # 7 - 6 + 1 = 2 days
    # Recorded all the same (nothing a cadre writes is lost), but judged neither on time nor late.
    out = ok(zero_day("report", "1", "--on", "30/03/2020", "--text", "Đã đi"))
    assert out.startswith("Recorded the report of visit 1, dated 2020-03-30; the visit counts no day, so none was owed")
    assert "on time" not in out and "late" not in out
    doc = js(zero_day("report", "show", "1", "--json"))
    assert (doc["due"], doc["reported_on"], doc["state"]) == (None, "2020-03-30", None)
    assert "none was owed" in ok(zero_day("report", "show", "1"))
    refusal = refused(zero_day("report", "show", "2"), 1)
    assert "visit 2 has no report, and owes none: it counts no day" in refusal
    # A report 60 days after visit 3's due day is late by 60: the verdict stays for a visit that owes one.
    assert "late by 60 days (due 2020-10-17)" in ok(zero_day("report", "3", "--on", "16/12/2020", "--text", "x"))


def test_a_visit_that_counts_no_day_is_in_no_listing_of_owed_reports(zero_day) -> None:
    """`reports`, `status` and `remind` read the same truth: visits 1 and 2 owe nothing."""
    listing = js(zero_day("reports", "--as-of", "31/12/2020", "--json"))["visits"]
    assert [(v["visit_id"], v["state"]) for v in listing] == [(3, "overdue")]  # due 17/10, no report
    status = json.loads(visit_warnings_only(zero_day("status", "--as-of", "31/12/2020", "--json")))["cadres"]
    reports = {c["code"]: c["reports"] for c in status}
    assert reports["C03"] == {"on_time": 0, "late": 0, "pending": 0, "overdue": 0}
    assert reports["C04"] == {"on_time": 0, "late": 0, "pending": 0, "overdue": 1}
