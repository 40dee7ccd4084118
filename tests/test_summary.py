"""summary (briefing and year end), the month chart, the calendar, status as xlsx/csv/html.

Figures are recounted by hand in the comments.
"""

from __future__ import annotations

import csv
import json
import stat
from datetime import date
from fractions import Fraction

import openpyxl
import pytest
from support import succeeded as ok

from congtac12.domain.counting import evaluate
from congtac12.domain.facts import CadreFacts, ReportFacts, VisitFacts
from congtac12.domain.summary import UnitFacts, district_of, month_bars, summarize
from congtac12.policies import load_policy

pytestmark = pytest.mark.both_backends

POLICY = load_policy("ha-noi-2020")
D = date

UNITS = [
    UnitFacts(1, "Quận đoàn Ba Đình", "huyen"),
    UnitFacts(2, "Huyện đoàn Gia Lâm", "huyen"),
    UnitFacts(3, "Quận đoàn Tây Hồ", "huyen"),
    UnitFacts(4, "Đoàn xã Bát Tràng", "co-so", 2),
    UnitFacts(5, "Chi đoàn thôn Giang Cao", "chi-doan", 4),
    UnitFacts(6, "Đoàn trường X", "co-so"),  # no district-level union above it
]
CADRES = [
    CadreFacts("A", "An", "Ban 1"),
    CadreFacts("B", "Bình", "Ban 1"),
    CadreFacts("C", "Chi", "Ban 2", subject=False),
]
VISITS = [
    VisitFacts(1, "A", D(2020, 10, 1), D(2020, 10, 3), "chuyen-de"),
    VisitFacts(2, "A", D(2020, 10, 3), D(2020, 10, 3), "sinh-hoat"),  # 3 Oct again
    VisitFacts(3, "B", D(2020, 9, 29), D(2020, 10, 2), "phoi-hop"),
    VisitFacts(4, "B", D(2020, 10, 20), D(2020, 10, 21), "kiem-tra"),
    VisitFacts(5, "C", D(2020, 10, 31), D(2020, 11, 2), "phoi-hop"),
    VisitFacts(6, "A", D(2020, 11, 5), D(2020, 11, 6), "chuyen-de"),  # after as-of
]
VISIT_UNITS = {1: 1, 2: 5, 3: 4, 4: 6, 5: 1, 6: 3}
REPORTS = [ReportFacts(1, D(2020, 10, 5)), ReportFacts(3, D(2020, 10, 20))]
AS_OF = D(2020, 10, 31)


def test_district_of_follows_parents_to_the_district_level_union():
    # 5 -> 4 -> 2; 4 -> 2; 6 has no parent: itself
    assert district_of(UNITS) == {1: 1, 2: 2, 3: 3, 4: 2, 5: 2, 6: 6}


def test_a_month_recounted_by_hand():
    sm = summarize(
        POLICY, CADRES, VISITS, REPORTS, UNITS, VISIT_UNITS, first=D(2020, 10, 1), last=D(2020, 10, 31), as_of=AS_OF
    )
    ban1, ban2 = sm.departments
    assert ban1.department == "Ban 1" and ban1.cadres == 2 and ban1.subject == 2
    # A: 1-3 Oct = 3 (3 Oct once); B: 1-2 Oct + 20-21 Oct = 4; 3 + 4 = 7
    assert ban1.days == 7
    # chuyên đề A 3; phối hợp B 2; kiểm tra B 2; sinh hoạt A 1 (3 Oct counts for both kinds)
    assert ban1.days_by_kind == {"chuyen-de": 3, "phoi-hop": 2, "kiem-tra": 2, "sinh-hoat": 1}
    # so far, in the window through 31 Oct: A 3; B 29 Sep-2 Oct 4 + 2 = 6; 3 + 6 = 9
    assert ban1.days_so_far == 9
    # pace line on 31 Oct: floor(60 × 245 / 306) = 48; A has 3 (behind), B a late report (behind)
    assert ban1.states == {"met": 0, "on_track": 0, "behind": 2, "not_met": 0, "exempt": 0, "not_subject": 0}
    # visit 1 on time (5 Oct ≤ 13 Oct); 2 unreported, due 13 Oct: overdue; 3 on 20 Oct > due 12 Oct: late;
    # 4 unreported, due 31 Oct: pending
    assert ban1.reports == {"on_time": 1, "late": 1, "pending": 1, "overdue": 1}
    assert (ban2.cadres, ban2.subject, ban2.days, ban2.days_so_far) == (1, 0, 1, 1)  # 31 Oct only
    assert ban2.states["not_subject"] == 1 and ban2.reports["pending"] == 1  # visit 5, due 12 Nov
    assert (sm.total.cadres, sm.total.days, sm.total.days_so_far) == (3, 8, 10)
    assert sm.total.days_by_kind == {"chuyen-de": 3, "phoi-hop": 3, "kiem-tra": 2, "sinh-hoat": 1}
    assert sm.trips == 5  # visits 1-5 have a day in October by the 31st; 6 does not
    # Ba Đình: A 3 days (visit 1) + C 1 day (visit 5) = 4, 2 cadres, 2 visits
    # Gia Lâm: A 3 Oct at Giang Cao (1) + B 1-2 Oct at Bát Tràng (2) = 3, 2 cadres, 2 visits
    # Đoàn trường X (no district above it): B 2 days
    assert [(c.union, c.days, c.cadres, c.visits) for c in sm.coverage] == [
        ("Quận đoàn Ba Đình", 4, 2, 2),
        ("Huyện đoàn Gia Lâm", 3, 2, 2),
        ("Đoàn trường X", 2, 1, 1),
    ]
    assert sm.unvisited == ("Quận đoàn Tây Hồ",) and sm.district_unions == 3


def bars_of(cadre, visits, as_of, policy=POLICY):
    """The month chart of one cadre, from its evaluation (as status draws it)."""
    return month_bars(evaluate(policy, [cadre], visits, [], as_of), cadre, visits)


def test_month_bars_against_the_pace_line_recounted_by_hand():
    visits = [
        VisitFacts(1, "A", D(2020, 2, 27), D(2020, 3, 2), "chuyen-de"),  # 1-2 Mar count
        VisitFacts(2, "A", D(2020, 10, 1), D(2020, 10, 3), "chuyen-de"),
        VisitFacts(3, "A", D(2020, 10, 3), D(2020, 10, 3), "sinh-hoat"),
    ]
    bars = bars_of(CADRES[0], visits, AS_OF)
    assert [b.first for b in bars] == [D(2020, m, 1) for m in range(3, 11)]  # March to October
    march, october = bars[0], bars[-1]
    assert (march.days, march.cumulative, march.segments) == (2, 2, (("chuyen-de", 2),))
    assert march.pace == Fraction(60 * 31, 306)  # the month's share: 60 × 31 / 306 ≈ 6.1
    assert march.expected == 6  # floor(60 × 31 / 306) = floor(6.08)
    assert [b.days for b in bars[1:-1]] == [0] * 6
    # 1, 2, 3 Oct; 3 Oct is of both kinds: counted for both, drawn once (chuyên đề first)
    assert october.days == 3 and october.days_by_kind["sinh-hoat"] == 1
    assert october.segments == (("chuyen-de", 3),)
    assert (october.cumulative, october.expected) == (5, 48)  # 2 + 3; floor(60 × 245 / 306)


def test_month_bars_stop_at_as_of():
    bars = bars_of(CADRES[0], [], D(2020, 4, 10))
    assert [(b.first, b.last) for b in bars] == [(D(2020, 3, 1), D(2020, 3, 31)), (D(2020, 4, 1), D(2020, 4, 10))]
    assert bars[-1].expected == 8  # floor(60 × 41 / 306) = floor(8.04)
    assert bars_of(CADRES[0], [], D(2020, 2, 1)) == []


# --- the commands -----------------------------------------------------------------


@pytest.fixture
def small(cli):
    ok(cli("unit", "add", "--name", "Đoàn xã Bát Tràng", "--level", "co-so", "--parent", "Gia Lâm"))
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban 1"))
    ok(cli("cadre", "add", "--code", "C02", "--name", "<b>Lê</b> & Bình", "--dept", "Ban 2"))
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "02/03/2020",
            "--to",
            "03/03/2020",
            "--kind",
            "chuyen-de",
        )
    )
    ok(cli("add-visit", "--cadre", "C01", "--unit", "Bát Tràng", "--from", "03/03/2020", "--kind", "sinh-hoat"))
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "Bát Tràng",
            "--from",
            "30/03/2020",
            "--to",
            "02/04/2020",
            "--kind",
            "phoi-hop",
        )
    )
    ok(cli("report", "1", "--on", "05/03/2020", "--text", "Báo cáo"))  # an empty report is refused (issue 17)
    return cli


def test_summary_month_json_recounted_by_hand(small):
    data = json.loads(ok(small("summary", "--month", "2020-03", "--json")).stdout)
    assert data["period"] == {"name": "2020-03", "first": "2020-03-01", "last": "2020-03-31"}
    assert data["as_of"] == "2020-03-31"  # the month's last day, long past
    one, two = data["departments"]
    # C01: 2-3 Mar, 3 Mar again -> 2 days; chuyên đề 2, sinh hoạt 1
    assert (one["department"], one["days"], one["days_by_kind"]) == (
        "Ban 1",
        2,
        {"chuyen-de": 2, "phoi-hop": 0, "kiem-tra": 0, "sinh-hoat": 1},
    )
    # visit 2 (3 Mar) unreported, due 13 Mar: overdue by the 31st; visit 1 on time
    assert one["reports"] == {"on_time": 1, "late": 0, "pending": 0, "overdue": 1}
    assert two["days"] == 2  # 30-31 Mar of 30 Mar - 2 Apr
    assert data["total"]["days"] == 4
    # Ba Đình 2 days (C01); Gia Lâm via Bát Tràng: C01 1 day + C02 2 days = 3
    assert [(c["union"], c["days"], c["cadres"]) for c in data["coverage"]] == [
        ("Huyện đoàn Gia Lâm", 3, 2),
        ("Quận đoàn Ba Đình", 2, 1),
    ]
    assert len(data["unvisited"]) == 28 and data["district_unions"] == 30


def test_summary_month_table_and_refusals(small):
    run = ok(small("summary", "--month", "03/2020"))
    assert run.stdout.startswith("Briefing for 03/2020 — Thành đoàn Hà Nội 2020")
    assert "Not visited (28 of 30 district-level unions): Huyện đoàn Ba Vì," in run.stdout
    assert small("summary").code == 2
    assert small("summary", "--month", "2020-13").stderr.startswith("Error: --month '2020-13' is not a month")
    run = small("summary", "--month", "2021-01")
    # January 2021 is judged by the policy of its own year (the 2021 preset), whose window opens in March
    assert run.code == 2 and "outside the window of ha-noi-2021 (2021-03-01 to 2021-12-31)" in run.stderr


def test_summary_year_is_text_to_paste(small):
    run = ok(small("summary", "--year", "2020", "--as-of", "13/11/2020"))
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "Results of field work at the base under the 1+2 policy, 2020, up to 11/2020 (as of 13/11/2020)"
    )
    # C01: 2-3 Mar (3 Mar twice) = 2 days; C02: 30 Mar - 2 Apr = 4 days; 3 trips
    assert "- From 01/03/2020 to 13/11/2020 they spent 6 days at the base in 3 trips: " in run.stdout
    # C01 2 days + C02 4 days = 6; chuyên đề 2/6 = 33.3%, phối hợp 4/6 = 66.7%, sinh hoạt 1/6 = 16.7%
    assert (
        "Thematic work 2 days (33.3%), Co-organising activities 4 days (66.7%), "
        "Inspection and supervision 0 days (0.0%), Attending meetings 1 day (16.7%)."
    ) in run.stdout
    # 33.3 + 66.7 + 0 + 16.7 = 116.7%: 3 Mar counts for two kinds, and the text says so
    assert "  A day of two kinds counts for each of them, so the shares of the kinds may add up to more than 100%." in (
        lines
    )
    # As of 13/11 the days left are 17 + 31 = 48: C01 (2 days) is 58 short and C02 (4 days) 56 short,
    # more than 48 each: both not met from that day (issue 17; they were behind).
    # Every state is tallied (issue 14): 0 + 0 + 0 + 2 + 0 + 0 = the 2 cadres.
    assert (
        "- Of 2 cadres, 0 have met every requirement, 0 are on track, 0 are behind, "
        "2 did not meet it, 0 are exempt and 0 are not subject."
    ) in lines
    # reports: visit 1 on time; visits 2 and 3 never reported: overdue
    assert "- Result reports: 1 on time, 0 late, 2 overdue, 0 not yet due." in lines
    assert "- 2 of the 30 district-level unions were visited. Not visited: " in run.stdout
    assert "- Huyện đoàn Gia Lâm: 5, 2" in lines  # C01 1 day + C02 4 days


def test_status_cadre_draws_months_against_the_pace_line(small):
    run = ok(small("status", "--cadre", "C01", "--as-of", "30/04/2020"))
    lines = run.stdout.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("Days at the base by month")))
    # March: 2 days (C C: 3 Mar is chuyên đề and sinh hoạt, drawn once), pace 60×31/306 ≈ 6.1 -> │ after 6
    assert lines[at + 1] == "03/2020 CC····│····  2 days,   2 so far (pace line 6)"
    # April: nothing; pace line floor(60 × 61 / 306) = 11; April's share 60×30/306 ≈ 5.9 -> 6
    assert lines[at + 2] == "04/2020 ······│····  0 days,   2 so far (pace line 11)"


def test_calendar_shows_the_window_as_a_heat_map(small):
    ok(small("config", "set", "policy", "ha-noi-2020"))  # no preset covers today's year (issue 17)
    run = ok(small("calendar", "--cadre", "nguyen van an"))
    lines = run.stdout.splitlines()
    assert lines[0] == "Nguyễn Văn An (C01) — days at the base, 2020"
    march = next(line for line in lines if line.startswith("03/2020"))
    # 1 Mar nothing, 2 Mar chuyên đề, 3 Mar two kinds (+), 4-31 nothing
    assert march == "03/2020  · C +" + " ·" * 28 + "  2 days"
    assert [line[:7] for line in lines[2:12]] == [f"{m:02d}/2020" for m in range(3, 13)]
    whole = ok(small("calendar", "--cadre", "C01", "--year", "2020")).stdout.splitlines()
    january = next(line for line in whole if line.startswith("01/2020"))
    assert january == "01/2020 " + "  " * 31 + "  0 days"  # outside the window: blank


def test_status_as_xlsx_and_csv_one_row_per_cadre(small, tmp_path):
    path = tmp_path / "status.xlsx"
    ok(small("status", "--as-of", "30/04/2020", "--out", str(path)))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "Tình hình thực hiện" and ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:7] == ["Mã", "Họ và tên", "Ban", "Thuộc diện", "Trạng thái", "Số ngày", "Yêu cầu"]
    row = dict(zip(header, (c.value for c in ws[2]), strict=False))
    # C01 as of 30/04: 2 days of 60; chuyên đề 2, sinh hoạt 1; pace line 11 -> behind
    assert (row["Mã"], row["Số ngày"], row["Chuyên đề"], row["Sinh hoạt"], row["Trạng thái"]) == (
        "C01",
        2,
        2,
        1,
        "Chậm tiến độ",
    )
    # missing: max(60 - 2, (12 - 2) + (24 - 1)) = max(58, 33) = 58
    assert row["Còn thiếu (ngày)"] == 58 and row["Báo cáo quá hạn"] == 1
    assert ws.max_row == 3  # two cadres
    csv_path = tmp_path / "status.csv"
    ok(small("status", "--as-of", "30/04/2020", "--format", "csv", "--out", str(csv_path)))
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == header and rows[1][:5] == ["C01", "Nguyễn Văn An", "Ban 1", "true", "Chậm tiến độ"]
    assert small("status", "--format", "xlsx").code == 2  # no --out


def test_status_html_is_a_standalone_page_with_everything_escaped(small, tmp_path):
    path = tmp_path / "status.html"
    ok(small("status", "--as-of", "30/04/2020", "--html", str(path)))
    page = path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert page.startswith("<!DOCTYPE html>") and "<title>congtac12 status as of 2020-04-30</title>" in page
    assert "&lt;b&gt;Lê&lt;/b&gt; &amp; Bình" in page and "<b>Lê</b>" not in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]  # nothing fetched
    one = tmp_path / "one.html"
    ok(small("status", "--cadre", "C01", "--as-of", "30/04/2020", "--html", str(one)))
    assert "Days at the base by month" in one.read_text(encoding="utf-8")
    assert small("status", "--html", str(path)).code == 2  # exists, no --force


# --- the summaries and the chart count what status counts -------------------------------------


@pytest.fixture
def joiner(cli):
    """C05 joined 01/07/2020, sick 10/07-14/07; C06 not subject; C07 joins after the window.

    C05 (Hanoi 2020): available 184 - 5 = 179; required 60 × 179 / 306 = 35.10 -> 35.
    1  26/06-02/07 phối hợp   26-30 Jun before joining (5), 1-2 Jul count (2); due 12/07
    2  10/07-14/07 chuyên đề  all 5 days on leave: counts nothing, owes no report
    3  20/07-22/07 sinh hoạt  3 days; due 01/08
    """
    ok(cli("cadre", "add", "--code", "C05", "--name", "Vũ Minh Đức", "--dept", "Ban 1", "--joined", "01/07/2020"))
    ok(cli("cadre", "add", "--code", "C06", "--name", "Lê Văn Kế", "--dept", "Ban 1", "--not-subject"))
    ok(cli("cadre", "add", "--code", "C07", "--name", "Hồ Thị Lan", "--dept", "Ban 2", "--joined", "05/01/2021"))
    ok(cli("leave", "add", "--cadre", "C05", "--from", "10/07/2020", "--to", "14/07/2020", "--reason", "om-dau"))
    for start, end, kind in [
        ("26/06/2020", "02/07/2020", "phoi-hop"),
        ("10/07/2020", "14/07/2020", "chuyen-de"),
        ("20/07/2020", "22/07/2020", "sinh-hoat"),
    ]:
        ok(cli("add-visit", "--cadre", "C05", "--unit", "Ba Đình", "--from", start, "--to", end, "--kind", kind))
    return cli


@pytest.mark.parametrize(
    "month, days, trips, by_kind",
    [
        ("2020-06", 0, 0, {"chuyen-de": 0, "phoi-hop": 0, "kiem-tra": 0, "sinh-hoat": 0}),  # all before joining
        ("2020-07", 5, 2, {"chuyen-de": 0, "phoi-hop": 2, "kiem-tra": 0, "sinh-hoat": 3}),  # 2 + 3; visit 2 none
        ("2020-08", 0, 0, {"chuyen-de": 0, "phoi-hop": 0, "kiem-tra": 0, "sinh-hoat": 0}),
    ],
)
def test_the_briefing_counts_only_days_that_count(joiner, month, days, trips, by_kind):
    data = json.loads(ok(joiner("summary", "--month", month, "--as-of", "31/08/2020", "--json")).stdout)
    assert (data["total"]["days"], data["trips"], data["total"]["days_by_kind"]) == (days, trips, by_kind)
    # every state tallied: C05 behind (visit 1 overdue since 13/07), C06 not subject, C07 exempt
    assert data["total"]["states"] == {
        "met": 0,
        "on_track": 0,
        "behind": 1,
        "not_met": 0,
        "exempt": 1,
        "not_subject": 1,
    }
    assert sum(data["total"]["states"].values()) == data["total"]["cadres"] == 3
    # status counts the same 5 days by 31/08
    status = json.loads(ok(joiner("status", "--as-of", "31/08/2020", "--json")).stdout)
    assert sum(c["days"] for c in status["cadres"]) == 5


def test_the_chart_uses_the_cadres_own_pace_line(joiner):
    lines = ok(joiner("status", "--cadre", "C05", "--as-of", "31/07/2020")).stdout.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("Days at the base by month")))
    bars = lines[at + 1 : at + 6]
    assert [b[:7] for b in bars] == ["03/2020", "04/2020", "05/2020", "06/2020", "07/2020"]
    # March to June: no available day, nothing expected; the pace mark │ at 0
    assert bars[3] == "06/2020 │··········  0 days,   0 so far (pace line 0)"
    # July: 1-2 Jul phối hợp, 20-22 Jul sinh hoạt; available 31 - 5 = 26 days: pace line
    # floor(35 × 26 / 179) = floor(5.08) = 5 (not the full-year floor(60 × 153 / 306) = 30);
    # July's share of 35 over its 26 of 179 available days is 5.08: │ after 5 cells
    assert bars[4] == "07/2020 PPSSS│·····  5 days,   5 so far (pace line 5)"
    status = json.loads(ok(joiner("status", "--cadre", "C05", "--as-of", "31/07/2020", "--json")).stdout)
    (c05,) = status["cadres"]
    assert (c05["required_days"], c05["days"], c05["expected_days"]) == (35, 5, 5)


def test_the_year_summary_tallies_every_state(joiner):
    run = ok(joiner("summary", "--year", "2020", "--as-of", "31/07/2020"))
    # C05's 2 + 3 days in 2 trips (visit 2 counts nothing), shares 40% + 60%
    assert "- From 01/03/2020 to 31/07/2020 they spent 5 days at the base in 2 trips: " in run.stdout
    assert "Co-organising activities 2 days (40.0%)" in run.stdout
    assert (
        "- Of 3 cadres, 0 have met every requirement, 0 are on track, 1 are behind, "
        "0 did not meet it, 1 are exempt and 1 are not subject."
    ) in run.stdout.splitlines()
    assert "- Ban 1: 2 cadres, 5 days; 0 met, 0 on track, 1 behind, 0 not met, 0 exempt, 1 not subject." in run.stdout
    assert "- Ban 2: 1 cadre, 0 days; 0 met, 0 on track, 0 behind, 0 not met, 1 exempt, 0 not subject." in run.stdout
    # the briefing's table has a column for every state: 0 + 0 + 1 + 0 + 1 + 1 = 3 cadres
    table = ok(joiner("summary", "--month", "2020-07", "--as-of", "31/07/2020")).stdout
    assert "Exempt" in table and "Not subject" in table
    assert "may add up to more" in table


def test_add_visit_says_when_a_visit_owes_no_report(joiner):
    run = ok(joiner("add-visit", "--cadre", "C05", "--unit", "Ba Vì", "--from", "11/07/2020", "--kind", "kiem-tra"))
    # 11 Jul is on leave: nothing counts, no report is due
    assert "Counts 0 days in the window 2020-03-01 to 2020-12-31. It owes no report: none of its days count." in (
        run.stdout
    )
    assert "Report due" not in run.stdout
    doc = json.loads(
        ok(
            joiner(
                "add-visit", "--cadre", "C05", "--unit", "Ba Vì", "--from", "15/07/2020", "--kind", "kiem-tra", "--json"
            )
        ).stdout
    )
    assert (doc["days_counted"], doc["report_due"]) == (1, "2020-07-25")  # 15/07 + 10
    doc = json.loads(
        ok(
            joiner(
                "add-visit", "--cadre", "C05", "--unit", "Ba Vì", "--from", "28/06/2020", "--kind", "kiem-tra", "--json"
            )
        ).stdout
    )
    assert (doc["days_counted"], doc["report_due"]) == (0, None)  # before joining
