"""The documents the office hands up (issue 19): the report page, its pictures, the Word report,
and the refusals; read back as text, the page by an HTML parser and the document by python-docx.

The real programs that open them (Chromium, LibreOffice, pdftotext) are in tests/test_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from support import succeeded as ok

pytestmark = pytest.mark.both_backends

HOSTILE = '<script>alert("x")</script> Hồ & Thị'


def refused(run, code: int) -> str:
    assert run.code == code, (run.code, run.stdout, run.stderr)
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr  # one line
    assert "Traceback" not in run.stderr
    return run.stderr


def build_office(cli) -> None:
    """Two departments, a cadre who joined late, a name with markup in it.

    C01 Nguyễn Văn An (Ban Tổ chức): 02/03-03/03 chuyên đề, report on 05/03 (on time);
        03/03 sinh hoạt, never reported (due 13/03: overdue by 13/11).
    C02 the hostile name (Văn phòng): 30/03-02/04 phối hợp, report on 20/04 (due 12/04: late).
    C03 Vũ Minh Đức (Văn phòng) joined 01/07/2020: 184 available days, owes round(60 × 184 / 306) = 36;
        01/07-03/07 sinh hoạt and 20/07-21/07 chuyên đề.
    """
    ok(cli("config", "set", "agency", "BCH Đoàn TP Hà Nội"))
    ok(cli("config", "set", "place", "Hà Nội"))
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức – Kiểm tra"))
    ok(cli("cadre", "add", "--code", "C02", "--name", HOSTILE, "--dept", "Văn phòng"))
    ok(cli("cadre", "add", "--code", "C03", "--name", "Vũ Minh Đức", "--dept", "Văn phòng", "--joined", "01/07/2020"))
    visits = [
        ("C01", "02/03/2020", "03/03/2020", "chuyen-de", "Khảo sát <b>đoàn viên</b>"),
        ("C01", "03/03/2020", "03/03/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn"),
        ("C02", "30/03/2020", "02/04/2020", "phoi-hop", "Tháng Thanh niên"),
        ("C03", "01/07/2020", "03/07/2020", "sinh-hoat", "Sinh hoạt BCH"),
        ("C03", "20/07/2020", "21/07/2020", "chuyen-de", "Khảo sát"),
    ]
    for code, start, end, kind, topic in visits:
        ok(
            cli(
                "add-visit", "--cadre", code, "--unit", "Ba Đình", "--from", start, "--to", end, "--kind", kind,
                "--topic", topic,
            )
        )  # fmt: skip
    ok(cli("report", "1", "--on", "05/03/2020", "--text", "Đã khảo sát <img src=x onerror=alert(1)>"))
    ok(cli("report", "3", "--on", "20/04/2020", "--text", "Báo cáo muộn"))


@pytest.fixture
def office(built):
    """``cli`` on a copy of ``build_office``'s database (built once per session and backend)."""
    return built(build_office)


class Page(HTMLParser):
    """The page as a reader's tools see it: its elements, its tables' header and body cells, its text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[dict[str, list[list[str]]]] = []
        self.text: list[str] = []
        self._part = ""
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append({"thead": [], "tbody": [], "tfoot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1][self._part].append(self._row)
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def test_the_status_page_is_a_report_a_department_head_circulates(office, tmp_path):
    path = tmp_path / "tinh-hinh.html"
    ok(office("--lang", "vi", "status", "--as-of", "13/11/2020", "--html", str(path)))
    page = path.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="vi">')
    assert '"Segoe UI", Arial, "Noto Sans", "DejaVu Sans"' in page and "@font-face" not in page
    assert "@page { size: A4" in page and "thead { display: table-header-group; }" in page
    assert "break-before: page" in page
    assert "<script" not in page and "onerror=" not in page.replace("&", "")  # nothing runs
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Hồ &amp; Thị" in page
    parsed = Page(page)
    text = "".join(parsed.text)
    assert HOSTILE in text  # the name reads as typed
    assert "BCH Đoàn TP Hà Nội" in text and "Tính đến ngày 13/11/2020." in text  # the reader's format
    assert "Thời gian từ 01/03/2020 đến 31/12/2020" in text
    # one table per department, Vietnamese order: Ban Tổ chức – Kiểm tra before Văn phòng
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:3] == ["3 cán bộ theo tình trạng", "Ban Tổ chức – Kiểm tra", "Văn phòng"]
    tables = [t for t in parsed.tables if t["thead"]]
    assert len(tables) == 2
    head = tables[0]["thead"][0]
    assert head == [
        "Mã",
        "Họ và tên",
        "Ngày",
        "Chuyên đề",
        "Sinh hoạt",
        "Báo cáo đúng hạn",
        "Báo cáo muộn",
        "Báo cáo chưa đến hạn",
        "Báo cáo quá hạn",
        "Trạng thái",
    ]
    # C01: 2 days (3 Mar once) of 60; chuyên đề 2 of 12; sinh hoạt 1 of 24; reports 1 on time, 1 overdue.
    # As of 13/11 48 days are left and C01 is 58 short: not met (không đạt).
    assert tables[0]["tbody"] == [
        ["C01", "Nguyễn Văn An", "2 / 60 ✗", "2 / 12 ✗", "1 / 24 ✗", "1", "0", "0", "1", "Không đạt"]
    ]
    # Văn phòng by given name: Đức (C03) before Thị (C02)... "Thị" is C02's last word: Đ < T
    rows = tables[1]["tbody"]
    assert [r[0] for r in rows] == ["C03", "C02"]
    # C03 joined 1 July: owes 36 days; chuyên đề ceil(20% × 36) = 8; sinh hoạt ceil(40% × 36) = 15
    assert rows[0][2:5] == ["5 / 36 ✗", "2 / 8 ✗", "3 / 15 ✗"]
    assert rows[1][5:9] == ["0", "1", "0", "0"]  # C02's one report late
    # states as words and colour: a class per state on the badge, the word inside it
    assert '<span class="state not-met">Không đạt</span>' in page
    # the totals at the top: C01 and C02 not met; C03 behind (pace line floor(36 × 136 / 184) = 26, has 5)
    assert "<dt>Không đạt</dt><dd>2</dd>" in page and "<dt>Chậm tiến độ</dt><dd>1</dd>" in page
    assert "Chú giải" in headings


def test_the_page_in_english_and_for_one_cadre_with_its_pictures(office, tmp_path):
    path = tmp_path / "status.html"
    ok(office("--lang", "en", "status", "--as-of", "13/11/2020", "--html", str(path)))
    page = path.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>congtac12 status as of 2020-11-13</title>" in page and "As of 2020-11-13." in page
    assert "<svg" not in page  # the pictures are one cadre's
    one = tmp_path / "c03.html"
    ok(office("--lang", "en", "status", "--cadre", "C03", "--as-of", "31/07/2020", "--html", str(one)))
    page = one.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "xmlns" not in page and "<script" not in page
    assert "Days at the base by month" in page and "Days at the base, day by day" in page


def test_the_month_chart_is_drawn_against_the_cadres_own_pace_line(office, tmp_path):
    """C03 joined 1 July (owes 36 over 184 available days): the chart's pace is the cadre's, not 60 over 306.

    Hand-counted, as of 31/07/2020:
    - March to June: no available day: each month's share of the pace line is 0, the pace line 0.
    - July: 31 available days; the month's share 36 × 31 / 184 = 6.07 days (not 60 × 31 / 306 = 6.08
      of the whole window from March); the pace line floor(36 × 31 / 184) = 6 (not floor(60 × 153 / 306) = 30).
      Counted: 1-3 Jul sinh hoạt, 20-21 Jul chuyên đề = 5 days, 5 so far.
    """
    one = tmp_path / "c03.html"
    ok(office("--lang", "en", "status", "--cadre", "C03", "--as-of", "31/07/2020", "--html", str(one)))
    svg = one.read_text(encoding="utf-8").split('<svg class="chart months"', 1)[1].split("</svg>", 1)[0]
    labels = re.findall(r'class="axis">(\d\d/\d{4})</text>', svg)
    assert labels == ["03/2020", "04/2020", "05/2020", "06/2020", "07/2020"]
    texts = re.findall(r">(\d+ days, \d+ so far \(pace line \d+\))<", svg)
    assert texts == ["0 days, 0 so far (pace line 0)"] * 4 + ["5 days, 5 so far (pace line 6)"]
    ticks = [float(x) for x in re.findall(r'<line x1="([\d.]+)"', svg)]
    # the bars start at x = 70, 12 units a day: 0 days -> 70; 36 × 31 / 184 = 6.065… days -> 70 + 72.8 = 142.8
    assert ticks == [70.0, 70.0, 70.0, 70.0, 142.8]
    # July's bar: 2 chuyên đề (its first kind in KINDS order), 3 sinh hoạt: 24 and 36 units wide
    assert re.findall(r'width="(\d+)" height="16" fill="#[0-9a-f]+"><title>', svg) == ["24", "36"]
    # the terminal draws the same pace line
    lines = ok(office("status", "--cadre", "C03", "--as-of", "31/07/2020")).stdout.splitlines()
    july = next(line for line in lines if line.startswith("07/2020"))
    assert july.endswith("5 days,   5 so far (pace line 6)")


def test_the_calendar_dims_days_that_do_not_count(office, tmp_path):
    path = tmp_path / "c03.html"
    ok(office("--lang", "en", "status", "--cadre", "C03", "--as-of", "31/12/2020", "--html", str(path)))
    svg = path.read_text(encoding="utf-8").split('<svg class="chart calendar"', 1)[1].split("</svg>", 1)[0]
    totals = re.findall(r">(\d+) days</text>", svg)
    assert totals == ["0", "0", "0", "0", "5", "0", "0", "0", "0", "0"]  # March to December: July's 5
    assert "<title>2020-07-01: Attending meetings</title>" in svg
    assert "<title>2020-07-20: Thematic work</title>" in svg


def test_the_summary_pages_month_and_year(office, tmp_path):
    month = tmp_path / "giao-ban.html"
    ok(office("--lang", "vi", "summary", "--month", "2020-03", "--as-of", "31/03/2020", "--html", str(month)))
    parsed = Page(month.read_text(encoding="utf-8"))
    figures = parsed.tables[0]
    assert figures["thead"][0][:4] == ["Ban", "Cán bộ", "Thuộc diện", "Ngày"]
    # March: C01 2 days; C02 30-31 Mar 2 days; all 4
    total = figures["tfoot"][0]
    assert total[:4] == ["Tổng cộng", "3", "3", "4"]
    year = tmp_path / "nam.html"
    ok(office("--lang", "vi", "summary", "--year", "2020", "--as-of", "13/11/2020", "--html", str(year)))
    text = "".join(Page(year.read_text(encoding="utf-8")).text)
    assert HOSTILE in text and "Nguyễn Văn An" in text and "Vũ Minh Đức" in text


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_the_year_end_report_as_a_word_document(office, tmp_path):
    path = tmp_path / "bao-cao-2020.docx"
    ok(office("--lang", "vi", "summary", "--year", "2020", "--as-of", "13/11/2020", "--docx", str(path)))
    document = docx.Document(str(path))
    top = [c.text for c in document.tables[0].rows[0].cells]
    assert top == ["BCH ĐOÀN TP HÀ NỘI\n***", "ĐOÀN TNCS HỒ CHÍ MINH\nHà Nội, ngày 13 tháng 11 năm 2020"]
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert "Kết quả thực hiện chế độ đi công tác cơ sở theo chủ trương 1+2 năm 2020" in paragraphs
    assert (
        "Căn cứ Hướng dẫn 70-HD/TĐTN-TCKT ngày 03/3/2020 (Thành đoàn Hà Nội); quy định áp dụng: Thành đoàn Hà Nội 2020 — chủ trương 1+2."
        in paragraphs
    )
    data = json.loads(ok(office("summary", "--year", "2020", "--as-of", "13/11/2020", "--json")).stdout)
    t = data["total"]
    subject = t["cadres"] - t["states"]["not_subject"]
    assert f"- Số cán bộ thuộc diện thực hiện: {subject} (trên tổng số {t['cadres']} cán bộ; 0 không thuộc diện)." in (
        paragraphs
    )
    s = t["states"]
    assert (
        f"- Đạt: {s['met']}; không đạt: {s['not_met']}; đúng tiến độ: {s['on_track']}; "
        f"chậm tiến độ: {s['behind']}; miễn: {s['exempt']}."
    ) in paragraphs
    # days 2 + 4 + 5 = 11 in 5 trips; chuyên đề 2 + 2 = 4 (36,4%), phối hợp 4 (36,4%), sinh hoạt 1 + 3 = 4 (36,4%)
    assert t["days"] == 11 and data["trips"] == 5
    assert (
        "- Số ngày đi cơ sở: 11 ngày trong 5 đợt; theo nội dung: Theo chuyên đề 4 ngày (36,4%); "
        "Phối hợp tổ chức hoạt động 4 ngày (36,4%); Kiểm tra, giám sát 0 ngày (0,0%); Dự sinh hoạt 4 ngày (36,4%)."
    ) in paragraphs
    r = t["reports"]
    assert (r["on_time"], r["late"]) == (1, 1)
    assert "- Báo cáo kết quả: 1 đúng hạn, 1 muộn, 3 quá hạn, 0 chưa đến hạn." in paragraphs
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells][:4] == ["STT", "Họ và tên", "Mã", "Ngày"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0][0] == rows[0][-1] == "Ban Tổ chức – Kiểm tra"  # the department's merged row
    assert rows[1][:4] == ["1", "Nguyễn Văn An", "C01", "2/60"]
    assert rows[3][1] == "Vũ Minh Đức" and rows[4][1] == HOSTILE  # Văn phòng: Đức before Thị; text as typed
    assert b"<script>" not in path.read_bytes()  # inside the zip's XML it is &lt;script&gt;
    signature = [c.text for c in document.tables[2].rows[0].cells]
    assert signature[1].startswith("TM. BAN THƯỜNG VỤ") and "(Ký, ghi rõ họ tên)" in signature[1]
    assert "Thường trực BCH Đoàn TP Hà Nội;" in signature[0]


def test_status_docx_gives_the_table_for_any_day(office, tmp_path):
    path = tmp_path / "tinh-hinh.docx"
    ok(office("--lang", "en", "status", "--as-of", "30/04/2020", "--docx", str(path)))
    text = docx_text(path)
    assert "Field work at the base under the 1+2 policy as of 2020-04-30" in text
    assert "HO CHI MINH COMMUNIST YOUTH UNION\nHà Nội, 30/04/2020" in text
    # as of 30/04 C03 has not joined yet: nothing of July; C02's four days
    assert "3 | " + HOSTILE + " | C02 | 4/60" in text


def test_refused_targets_change_nothing(office, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    page = tmp_path / "page.html"
    page.write_text("before", encoding="utf-8")
    assert "exists; give another name or --force" in refused(office("status", "--html", str(page)), 2)
    assert page.read_text(encoding="utf-8") == "before"
    assert "does not exist" in refused(
        office("summary", "--year", "2020", "--docx", str(tmp_path / "no" / "x.docx")), 2
    )
    refused(office("status", "--html", str(page), "--pdf", str(page), "--force"), 2)
    assert page.read_text(encoding="utf-8") == "before"
    # a folder nobody may write in (sysfs refuses even root): one line, exit 1, nothing left behind
    message = refused(office("status", "--as-of", "13/11/2020", "--html", "/sys/congtac12-page.html"), 1)
    assert "cannot write /sys/congtac12-page.html" in message and "nothing was written" in message
    assert "--docx is the year-end report" in refused(office("summary", "--month", "2020-10", "--docx", "x.docx"), 2)
    ok(office("status", "--as-of", "13/11/2020", "--html", str(page), "--force"))
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left


@pytest.mark.sqlite_only
def test_without_the_extra_or_the_browser_one_line_names_what_to_install(office, db, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CONGTAC12_CHROMIUM"}
    no_docx = (
        "import sys; sys.modules['docx'] = None; from congtac12.cli import main; sys.argv[0] = 'congtac12'; main()"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            no_docx,
            "--db",
            str(db),
            "summary",
            "--year",
            "2020",
            "--docx",
            str(tmp_path / "r.docx"),
        ],
        capture_output=True,
        text=True,
        env=env | {"CONGTAC12_LANG": "en"},
        timeout=60,
    )
    assert run.returncode == 1 and run.stderr == (
        "Error: --docx needs python-docx; install the extra: pip install 'congtac12[docs]'\n"
    )
    program = Path(sys.executable).parent / "congtac12"
    run = subprocess.run(
        [str(program), "--db", str(db), "status", "--pdf", str(tmp_path / "s.pdf")],
        capture_output=True,
        text=True,
        env=env | {"PATH": str(program.parent), "CONGTAC12_LANG": "en"},
        timeout=60,
    )
    assert run.returncode == 1 and run.stderr == (
        "Error: --pdf needs Chromium to print the page, and none was found; "
        "install it (Debian: apt-get install chromium)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_issuer_settings_are_one_line_of_text(office):
    assert "is not a name" in refused(office("config", "set", "agency", "  "), 2)
    assert (
        ok(office("config", "set", "agency", "  Ban Tổ chức   Thành đoàn ")).stdout
        == "agency = Ban Tổ chức Thành đoàn\n"
    )
    assert "is not a name" in refused(office("config", "set", "place", "Hà Nội\nx"), 2)


def test_the_month_bars_pro_rate_leave_inside_a_month():
    """Leave takes its days out of its month's share and of the pace line (domain.summary.month_bars).

    Hanoi 2020, sick 10/07-14/07 (5 days): available 306 - 5 = 301, owes round(60 × 301 / 306) =
    round(59.02) = 59. July: 31 - 5 = 26 available days, its share 59 × 26 / 301 = 1534/301 ≈ 5.10
    (a whole July would be 59 × 31 / 301 ≈ 6.08). By 31/07: 153 - 5 = 148 available days have
    passed, the pace line floor(59 × 148 / 301) = floor(29.01) = 29. A visit on 12/07 is on leave:
    it counts nothing; 20/07 counts.
    """
    from fractions import Fraction

    from congtac12.domain.counting import evaluate
    from congtac12.domain.facts import CadreFacts, LeaveFacts, VisitFacts
    from congtac12.domain.summary import month_bars
    from congtac12.policies import load_policy

    policy = load_policy("ha-noi-2020")
    cadre = CadreFacts(
        "C09", "Bùi Tiến Dũng", "Văn phòng", leave=(LeaveFacts(1, date(2020, 7, 10), date(2020, 7, 14), "om-dau"),)
    )
    visits = [
        VisitFacts(1, "C09", date(2020, 7, 12), date(2020, 7, 12), "kiem-tra"),
        VisitFacts(2, "C09", date(2020, 7, 20), date(2020, 7, 20), "kiem-tra"),
    ]
    ev = evaluate(policy, [cadre], visits, [], date(2020, 7, 31))
    assert ev.cadres[0].required_days == 59
    bars = month_bars(ev, cadre, visits)
    july = bars[-1]
    assert (july.first, july.last, july.days, july.cumulative) == (date(2020, 7, 1), date(2020, 7, 31), 1, 1)
    assert july.pace == Fraction(59 * 26, 301) and july.expected == 29
    assert bars[0].pace == Fraction(59 * 31, 301)  # March: no leave, 31 available days
    assert sum(b.pace for b in bars) == Fraction(59 * 148, 301)  # the shares add up to the pace line's
