"""Tables that fit (issue 18, point 4): every table-printing command at 60, 80 and 120 columns in
both languages: no line wider than the width, no cell cut, every cadre name whole on one line,
unit names broken only between words; at 120 columns nothing wraps."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from congtac12.render.fit import short_unit

ROSTER = [
    ("C01", "Nguyễn Văn An", "Ban Tổ chức – Kiểm tra", "an.nv@thanhdoan.hanoi.gov.vn"),
    ("C02", "Lê Thị Hồng Nhung", "Ban Tuyên giáo", "hongnhung.le@thanhdoanhanoi.vn"),
    ("C03", "Trần Thị Thu Hà", "Văn phòng", None),
    ("C04", "Phạm Quang Trường", "Ban Đoàn kết tập hợp thanh niên", "truong.pq@gmail.com"),
]
VISITS = [
    ("C01", "ba dinh", "02/03/2020", "04/03/2020", "chuyên đề"),
    ("C02", "gia lam", "13/10/2020", "13/10/2020", "sinh hoạt"),
    ("C03", "thach that", "05/05/2020", "08/05/2020", "kiểm tra"),
    ("C04", "thuong tin", "10/06/2020", "12/06/2020", "phối hợp"),
]
UNITS = ["Quận đoàn Ba Đình", "Huyện đoàn Gia Lâm", "Huyện đoàn Thạch Thất", "Huyện đoàn Thường Tín"]

COMMANDS = [
    ["status", "--as-of", "31/10/2020"],
    ["cadre", "list"],
    ["unit", "list"],
    ["visits"],
    ["reports", "--as-of", "31/10/2020"],
    ["leave", "list"],
    ["policy", "list"],
    ["summary", "--month", "10/2020", "--as-of", "31/10/2020"],
    ["summary", "--month", "03/2020", "--as-of", "31/10/2020"],
]


@pytest.fixture
def roster(cli):
    for code, name, dept, email in ROSTER:
        args = ["cadre", "add", "--code", code, "--name", name, "--dept", dept]
        assert cli(*args, *(["--email", email] if email else [])).code == 0
    for code, unit, start, end, kind in VISITS:
        assert cli("add-visit", "--cadre", code, "--unit", unit, "--from", start, "--to", end, "--kind", kind).code == 0
    assert cli("report", "1", "--on", "10/03/2020", "--text", "x").code == 0
    assert (
        cli("leave", "add", "--cadre", "C03", "--from", "01/09/2020", "--to", "10/09/2020", "--reason", "ốm đau").code
        == 0
    )
    return cli


def _lines_with(text: str, words: str) -> bool:
    return any(words in line for line in text.splitlines())


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_every_table_fits(roster, monkeypatch, lang, width, args) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    run = roster("--lang", lang, *args)
    assert run.code == 0 and run.crash is None, run
    out = run.stdout
    # Piped, a message is never wrapped (issue 18: a command to copy stays whole): a line wider
    # than the width is a message, the same line whatever the width; every table line fits.
    too_wide = [line.rstrip() for line in out.splitlines() if cell_len(line.rstrip()) > width]
    monkeypatch.setenv("COLUMNS", "1000")
    wide = {line.rstrip() for line in roster("--lang", lang, *args).stdout.splitlines()}
    assert [line for line in too_wide if line not in wide] == []
    assert not [line for line in too_wide if "  " in line.strip() or "─" in line]  # no table row, no rule
    assert "…" not in out  # Rich's mark of a cut cell
    if args[0] in ("status", "cadre", "leave"):
        names = [name for _c, name, _d, _e in ROSTER if args[0] != "leave" or _c == "C03"]
        assert [n for n in names if not _lines_with(out, n)] == []
    if args[0] == "status":  # a table at every width, never one block per row: a row holds the figures
        rows = [line for line in out.splitlines() if any(n in line for _c, n, _d, _e in ROSTER)]
        assert len(rows) == len(ROSTER) and all(re.search(r"\d+/\d+ ✗", row) for row in rows), out
    if args[:2] == ["cadre", "list"]:
        assert [e for *_x, e in ROSTER if e and not _lines_with(out, e)] == []
    if args[0] in ("visits", "reports"):
        for unit in UNITS if args[0] == "visits" else UNITS[:2]:
            words = set(out.split())
            assert set(short_unit(unit).split()) <= words or set(unit.split()) <= words, unit
    if width == 120 and args[0] in ("visits", "reports"):  # nothing wraps, nothing shortened
        assert [u for u in (UNITS if args[0] == "visits" else UNITS[:2]) if not _lines_with(out, u)] == []
    if width == 120 and args[0] == "status":
        assert [d for _c, _n, d, _e in ROSTER if not _lines_with(out, d)] == []


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [60, 80])
def test_status_with_plans_fits_as_a_table(roster, monkeypatch, lang, width) -> None:
    """With approved plans, status has a plan figure for each cadre: at 60 columns, with names of 17
    letters, there is no room for a column of its own, so it goes under the state; still a table."""
    cli = roster
    for args in (
        ("--cadre", "C01", "--unit", "thach that", "--from", "10/11/2020", "--to", "14/11/2020"),
        ("--cadre", "C02", "--unit", "gia lam", "--month", "12/2020", "--days", "3"),
        ("--cadre", "C04", "--unit", "thuong tin", "--from", "02/12/2020", "--to", "03/12/2020"),
    ):
        assert cli("plan", "add", *args, "--kind", "kiểm tra").code == 0
    assert cli("plan", "submit", "1", "2", "3").code == 0
    assert cli("plan", "approve", "1", "2", "3", "--by", "Văn phòng").code == 0
    monkeypatch.setenv("COLUMNS", str(width))
    run = cli("--lang", lang, "status", "--as-of", "31/10/2020")
    assert run.code == 0 and run.crash is None, run
    out = run.stdout
    legend = "Kế hoạch: số ngày" if lang == "vi" else "Plan: days planned"
    table_lines = [line for line in out.splitlines() if "  " in line.strip() or "─" in line]
    assert [line for line in table_lines if cell_len(line.rstrip()) > width] == [], out
    assert "…" not in out
    rows = [line for line in out.splitlines() if any(n in line for _c, n, _d, _e in ROSTER)]
    assert len(rows) == len(ROSTER) and all(re.search(r"\d+/\d+ ✗", row) for row in rows), out  # no blocks
    assert not re.search(r"^ +(Kế hoạch|Plan): \+", out, re.MULTILINE)  # a block's "header: value" line
    short = "thiếu" if lang == "vi" else "short"
    for planned, missing in (("+5", "52"), ("+3", "56"), ("+2", "58"), ("+0", "60")):
        assert re.search(rf"(?<![\d/]){re.escape(planned)}(?!\d)", out), (planned, out)
        assert missing in out and short in out
    assert sum(1 for line in out.splitlines() if line.startswith(legend)) == 1


@pytest.mark.parametrize("width", range(20, 41))
def test_wide_characters_are_measured_in_cells_so_nothing_is_cut(width: int) -> None:
    """A wide character takes two cells of the terminal: a column is given room by cells, not by
    characters, so no cell is cut with "…" at any width (it was measured with len())."""
    import io

    from rich.console import Console

    from congtac12.render.fit import print_table
    from congtac12.render.tables import rich_table

    table = rich_table("Mã", "Tên", "Ghi chú")
    table.columns[1].no_wrap = True
    table.add_row("C01", "中文字中文字", "Đã đi cơ sở 中文字")
    table.add_row("C02", "Nguyễn Văn An", "—")
    console = Console(file=io.StringIO(), width=width, highlight=False)
    print_table(console, table)
    out = console.file.getvalue()
    assert "…" not in out
    assert "中文字中文字" in out and "Nguyễn Văn An" in out
    assert max(cell_len(line) for line in out.splitlines()) <= width
