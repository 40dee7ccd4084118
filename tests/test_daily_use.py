"""Issue 17 on the command line: the policy of the year, visits outside it, the reminder horizon,
no empty reports, visits as the rules count them, and overlapping visits.

Expected values are counted by hand. Hanoi 2020: window 1/3-31/12/2020, a
report due 10 days after a trip's last day.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_cli_core import BTC, add_cadre, add_visit, js, ok, refused, table_row

pytestmark = pytest.mark.both_backends

THIS_YEAR = date.today().year


def warned(run) -> str:
    """A success with exactly one warning line on stderr; returns it."""
    assert run.code == 0 and run.crash is None, str(run)
    assert run.stderr.startswith("Warning: ") and run.stderr.count("\n") == 1, str(run)
    return run.stderr


@pytest.fixture
def an(cli):
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC, "--email", "an.nv@example.vn")
    return cli


# --- the policy of the year ---------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of, policy_id",
    [
        ("13/11/2020", "ha-noi-2020"),
        ("15/06/2018", "ha-noi-2018"),
        ("10/01/2021", "ha-noi-2021"),  # the year of the as-of date, even before its window opens
        ("31/12/2022", "ha-noi-2022"),
    ],
)
def test_status_uses_the_hanoi_preset_of_the_as_of_year(an, as_of, policy_id) -> None:
    assert js(an("status", "--as-of", as_of, "--json"))["policy"]["id"] == policy_id


@pytest.mark.parametrize("args", [("status",), ("status", "--as-of", "01/06/2024"), ("remind",), ("reports",)])
def test_a_year_no_policy_covers_is_one_line_saying_how_to_choose(an, dump, args) -> None:
    year = 2024 if "01/06/2024" in args else THIS_YEAR
    if year <= 2022:
        pytest.skip("a year a preset covers")
    before = dump()
    message = refused(an(*args), 1)
    assert f"no policy covers {year}" in message
    assert "config set policy" in message and "policy list" in message and "docs/policies.md" in message
    assert "2020" not in message.replace("2018–2022", "")  # no fall-back named
    assert dump() == before


def test_a_chosen_policy_is_used_whatever_the_year(an) -> None:
    ok(an("config", "set", "policy", "ha-noi-2020"))
    assert js(an("status", "--json"))["policy"]["id"] == "ha-noi-2020"
    assert "policy = ha-noi-2020\n" in ok(an("config", "show"))


def test_add_visit_of_a_year_no_policy_covers_is_refused_and_writes_nothing(an, dump) -> None:
    before = dump()
    message = refused(
        an("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2030", "--kind", "chuyen-de"), 1
    )
    assert "no policy covers 2030" in message
    assert dump() == before


def test_add_visit_report_and_status_warn_of_a_visit_outside_the_window(an) -> None:
    # 10/01/2020: the ha-noi-2020 window opens on 1 March: 0 days, no report owed.
    run = an("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "10/01/2020", "--kind", "chuyen-de")
    line = warned(run)
    assert line == (
        "Warning: visit 1 (on 2020-01-10): outside the window 2020-03-01 to 2020-12-31 of policy "
        "ha-noi-2020, so 0 days counted and no report owed; for another year choose its policy "
        "(--policy, 'congtac12 config set policy ID|FILE')\n"
    )
    assert "Counts 0 days in the window" in run.stdout
    assert warned(an("report", "1", "--on", "12/01/2020", "--text", "Đã khảo sát")) == line
    assert warned(an("status", "--as-of", "13/11/2020")) == line
    assert warned(an("status", "--cadre", "C01", "--as-of", "13/11/2020", "--json")) == line
    # a visit partly inside the window counts its days inside: no warning
    ok(an("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "27/02/2020", "--to", "03/03/2020",
          "--kind", "phoi-hop"))  # fmt: skip


def test_status_warns_of_visits_after_the_window_of_a_chosen_past_policy(an) -> None:
    add_visit(an, "C01", "Ba Đình", "04/03/2021", "05/03/2021", "chuyen-de")  # ha-noi-2021, the preset of its year
    ok(an("config", "set", "policy", "ha-noi-2020"))
    line = warned(an("status", "--as-of", "10/03/2021"))
    assert "visit 1 (2021-03-04 to 2021-03-05): outside the window 2020-03-01 to 2020-12-31" in line


# --- the reminder horizon ---------------------------------------------------------------------


def build_december(cli) -> None:
    """A trip 20-21/12/2020 (due 31/12/2020), never reported."""
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC, "--email", "an.nv@example.vn")
    add_visit(cli, "C01", "Ba Đình", "20/12/2020", "21/12/2020", "chuyen-de")


@pytest.mark.parametrize(
    "as_of, owed, why",
    [
        ("31/12/2020", [("due_soon", 0)], "the due day: due today"),
        ("15/01/2021", [("overdue", 15)], "ha-noi-2021's year; 2020's window ended 15 days ago <= 60: still owed"),
        ("01/03/2021", [("overdue", 60)], "31/12/2020 + 60 = 01/03/2021: the last day it is reminded"),
        ("02/03/2021", [], "61 days after the window's end: remind owes nothing for it"),
    ],
)
def test_remind_stops_60_days_after_the_window(built, as_of, owed, why) -> None:
    cli = built(build_december)
    items = js(cli("remind", "--as-of", as_of, "--json"))["items"]
    assert [(i["state"], i["days"]) for i in items] == owed, why
    if not owed:
        assert ok(cli("remind", "--as-of", as_of)) == ""
        # reports still lists it, under the 2020 policy
        rows = js(cli("reports", "--as-of", as_of, "--year", "2020", "--json"))["visits"]
        assert [(r["visit_id"], r["state"]) for r in rows] == [(1, "overdue")]


def test_the_horizon_is_a_policy_setting(built, tmp_path) -> None:
    cli = built(build_december)
    text = (
        'id = "ngan"\ntitle = "Ngắn"\nsource = "tests"\nmin_days = 60\nreport_due_days = 10\n'
        "window = { start = 2020-03-01, end = 2020-12-31 }\nremind_days_after_window = 5\n"
    )
    path = tmp_path / "ngan.toml"
    path.write_text(text, encoding="utf-8")
    assert js(cli("policy", "show", str(path), "--json"))["remind_days_after_window"] == 5
    assert js(cli("policy", "show", "ha-noi-2020", "--json"))["remind_days_after_window"] == 60
    # 5/1/2021 is 5 days after: owed; 6/1 is 6: nothing
    assert len(js(cli("remind", "--policy", str(path), "--as-of", "05/01/2021", "--json"))["items"]) == 1
    assert js(cli("remind", "--policy", str(path), "--as-of", "06/01/2021", "--json"))["items"] == []
    bad = path.with_name("bad.toml")
    bad.write_text(text.replace("= 5", "= -1"), encoding="utf-8")
    assert "remind_days_after_window" in refused(cli("policy", "check", str(bad)), 2)


# --- no empty reports -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "how, source",
    [
        (("--text", ""), "--text"),
        (("--text", "  \n\t "), "--text"),
        (("--file", "FILE"), "--file"),
        ((), "standard input"),
    ],
)
def test_an_empty_report_is_refused_and_never_replaces_one(an, db, dump, tmp_path, how, source) -> None:
    add_visit(an, "C01", "Ba Đình", "05/03/2020", "06/03/2020", "chuyen-de")
    empty = tmp_path / "rong.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    args = tuple(str(empty) if a == "FILE" else a for a in how)
    before = dump()
    message = refused(an("report", "1", "--on", "10/03/2020", *args, input=" \n"), 1)
    assert message == (
        f"Error: the report's text from {source} is empty; nothing was recorded (a report needs its text)\n"
    )
    assert dump() == before
    ok(an("report", "1", "--on", "10/03/2020", "--text", "Đã khảo sát"))
    kept = dump()
    refused(an("report", "1", "--on", "11/03/2020", "--replace", *args, input=""), 1)
    assert dump() == kept
    assert js(an("report", "show", "1", "--json"))["text"] == "Đã khảo sát"


# --- visits as the rules count them -----------------------------------------------------------


def build_visits(cli) -> None:
    """C01 (left 31/10/2020) and four trips:

    1  27/02-03/03/2020  6 days long; 27, 28, 29 Feb outside the window: counts 3
    2  02/03-04/03/2020  3 long, inside; shares 2-3 Mar with visit 1 (counted in each, once in the total): 3
    3  10/01/2020        1 long, before the window: 0
    4  30/10-02/11/2020  4 long; after 31/10 C01 has left: counts 2 (30, 31 Oct)
    """
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC, "--left", "31/10/2020")
    for start, end in (
        ("27/02/2020", "03/03/2020"),
        ("02/03/2020", "04/03/2020"),
        ("10/01/2020", "10/01/2020"),
        ("30/10/2020", "02/11/2020"),
    ):
        cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", start, "--to", end, "--kind", "phoi-hop")


@pytest.mark.parametrize(
    "visit_id, first, last, length, counted",
    [(1, "2020-02-27", "2020-03-03", "6", "3"), (2, "2020-03-02", "2020-03-04", "3", "3"),
     (3, "2020-01-10", "2020-01-10", "1", "0"), (4, "2020-10-30", "2020-11-02", "4", "2")],
)  # fmt: skip
def test_visits_shows_first_and_last_day_length_and_counted_days(built, visit_id, first, last, length, counted):
    cli = built(build_visits)
    out = ok(cli("visits"))
    header = next(line for line in out.splitlines() if line.lstrip().startswith("Id"))
    assert header.split()[:6] == ["Id", "Unit", "From", "To", "Days", "Counted"]
    assert table_row(out, str(visit_id))[1:6] == ["Quận đoàn Ba Đình", first, last, length, counted]
    rows = {r["id"]: r for r in js(cli("visits", "--json"))}
    assert rows[visit_id]["counted_days"] == int(counted)
    assert (rows[visit_id]["start"], rows[visit_id]["end"]) == (first, last)


def test_counted_days_add_up_to_status_less_the_shared_days(built) -> None:
    # 3 + 3 + 0 + 2 = 8 counted per visit; 2-3 Mar shared by visits 1 and 2 count once: 6 days in status
    cli = built(build_visits)
    assert sum(r["counted_days"] for r in js(cli("visits", "--json"))) == 8
    run = cli("status", "--as-of", "31/12/2020", "--json")
    assert "visit 3 (on 2020-01-10): outside the window" in warned(run)
    assert json.loads(run.stdout)["cadres"][0]["days"] == 6


def test_a_visit_of_a_year_no_policy_covers_has_no_counted_days(an, tmp_path) -> None:
    path = tmp_path / "2030.toml"
    path.write_text(
        'id = "thu-2030"\ntitle = "2030"\nsource = "tests"\nmin_days = 60\nreport_due_days = 10\n'
        "window = { start = 2030-03-01, end = 2030-12-31 }\n",
        encoding="utf-8",
    )
    ok(an("config", "set", "policy", str(path)))
    add_visit(an, "C01", "Ba Đình", "05/03/2030", "06/03/2030", "chuyen-de")
    warned(an("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--to", "06/03/2020",
              "--kind", "chuyen-de"))  # fmt: skip
    assert [r["counted_days"] for r in js(an("visits", "--json"))] == [0, 2]  # 2020 is outside thu-2030
    ok(an("config", "unset", "policy"))
    rows = js(an("visits", "--json"))
    # 2020: the ha-noi-2020 preset, 2 days; 2030: no policy covers it, so neither days nor a due day
    assert [(r["start"], r["counted_days"], r["report_due"]) for r in rows] == [
        ("2020-03-05", 2, "2020-03-16"),
        ("2030-03-05", None, None),
    ]
    assert table_row(ok(an("visits")), "1")[4:6] == ["2", "—"]


# --- overlapping visits -------------------------------------------------------------------------


def test_an_overlapping_visit_is_recorded_with_a_warning_or_refused_with_strict(an, dump) -> None:
    add_visit(an, "C01", "Ba Đình", "02/03/2020", "06/03/2020", "chuyen-de")
    args = ("add-visit", "--cadre", "C01", "--unit", "Sơn Tây", "--from", "05/03/2020", "--to", "08/03/2020")
    before = dump()
    message = refused(an(*args, "--kind", "sinh-hoat", "--strict"), 1)
    assert message == (
        "Error: this visit shares days with visit 1, 2020-03-05 to 2020-03-06 (2 days): those days count "
        "once; refused with --strict, nothing was written\n"
    )
    assert dump() == before
    run = an(*args, "--kind", "sinh-hoat")
    line = warned(run)
    new_id = run.stdout.split(":")[0].removeprefix("Added visit ")  # 2 (PostgreSQL: 3, the refused one took 2)
    assert line == (
        f"Warning: visit {new_id} shares days with visit 1, 2020-03-05 to 2020-03-06 (2 days): those days count once\n"
    )
    # 2-6 Mar and 5-8 Mar: 7 days once in the total; 5 chuyen-de, 4 sinh-hoat
    c = js(an("status", "--as-of", "31/03/2020", "--json"))["cadres"][0]
    assert (c["days"], c["days_by_kind"]["chuyen-de"], c["days_by_kind"]["sinh-hoat"]) == (7, 5, 4)
    # another cadre's visit on the same days is no overlap
    add_cadre(an, "C02", "Đặng Thị Đào", BTC)
    ok(an("add-visit", "--cadre", "C02", "--unit", "Ba Đình", "--from", "02/03/2020", "--kind", "chuyen-de"))


def test_edit_visit_warns_or_refuses_an_overlap_it_makes(an, dump) -> None:
    add_visit(an, "C01", "Ba Đình", "02/03/2020", "03/03/2020", "chuyen-de")
    add_visit(an, "C01", "Sơn Tây", "10/03/2020", "12/03/2020", "sinh-hoat")
    before = dump()
    message = refused(an("edit-visit", "2", "--from", "01/03/2020", "--strict"), 1)
    assert "shares days with visit 1, 2020-03-02 to 2020-03-03 (2 days)" in message
    assert dump() == before
    line = warned(an("edit-visit", "2", "--from", "03/03/2020"))
    assert line == ("Warning: visit 2 shares days with visit 1, on 2020-03-03 (1 day): those days count once\n")
    # a change of something else than the days says nothing more
    ok(an("edit-visit", "2", "--topic", "Dự sinh hoạt chi đoàn"))


def test_a_visit_next_to_another_is_no_overlap(an) -> None:
    add_visit(an, "C01", "Ba Đình", "02/03/2020", "03/03/2020", "chuyen-de")
    ok(
        an(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "04/03/2020",
            "--kind",
            "chuyen-de",
            "--strict",
        )
    )


def test_deleted_visits_are_no_overlap(an) -> None:
    add_visit(an, "C01", "Ba Đình", "02/03/2020", "03/03/2020", "chuyen-de")
    ok(an("delete-visit", "1"))
    ok(
        an(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "02/03/2020",
            "--kind",
            "chuyen-de",
            "--strict",
        )
    )


# --- not met early, as status and --explain say it ------------------------------------------------


def test_status_and_explain_say_why_a_minimum_can_no_longer_be_met(an) -> None:
    # 2..8 March (7 days) and nothing else; as of 13/11/2020 the days left are 17 + 31 = 48:
    # 53 days short > 48: not met, in both languages, without a pace.
    add_visit(an, "C01", "Ba Đình", "02/03/2020", "08/03/2020", "chuyen-de")
    ok(an("report", "1", "--on", "08/03/2020", "--text", "Đã khảo sát"))
    out = ok(an("status", "--cadre", "C01", "--as-of", "13/11/2020"))
    assert "State: not met" in out.splitlines()
    assert "  • days at the base: needs 53 days, only 48 available days left" in out.splitlines()
    assert "days/week" not in out
    explain = ok(an("status", "--cadre", "C01", "--as-of", "13/11/2020", "--explain"))
    assert "cannot be met: days at the base: needs 53 days, only 48 available days left" in explain
    vi = ok(an("--lang", "vi", "status", "--cadre", "C01", "--as-of", "13/11/2020", "--explain"))
    assert "số ngày đi cơ sở: cần 53 ngày, chỉ còn 48 ngày khả dụng" in vi
    # 4 days earlier (9/11: left 21 + 31 = 52 < 53) it was already not met; on 5/11 (left 56) behind
    assert js(an("status", "--cadre", "C01", "--as-of", "09/11/2020", "--json"))["cadres"][0]["state"] == "not_met"
    early = js(an("status", "--cadre", "C01", "--as-of", "05/11/2020", "--json"))["cadres"][0]
    assert (early["state"], early["days_left"], early["unreachable"]) == ("behind", 56, [])
