"""The table forms written as plain text (``render.plain_text``) are byte for byte what Rich prints.

``render.fit.print_table`` writes a table, or its block form, as plain text when the console
renders no styles (a pipe, a file); ``render.fit.print_table_rich`` is the same choice of form
printed through Rich. On random cells (Vietnamese with diacritics, long unbreakable words, empty
cells, wide characters, line breaks, markup and emoji codes) at random widths the two must write
the same characters, and the plain writer must have been the one that wrote them. Then the real
command: ``visits`` on a pipe prints what the Rich path prints, at every width.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape

from congtac12.render import fit, plain_text
from congtac12.render.tables import rich_table

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 -/.,–—…中文字한국어ｶﾀ\u00a0"

words = st.text(alphabet=ALPHABET, max_size=30)
long_word = st.text(alphabet=VIETNAMESE + "中文", min_size=20, max_size=70)
cell = st.one_of(
    words,
    long_word,
    st.just(""),
    st.lists(words, min_size=1, max_size=3).map("\n".join),  # a cell of several lines
    words.map(lambda w: f"[green]{escape(w)}[/]"),  # markup (colours print nothing on a pipe)
    words.map(lambda w: escape(f"[{w}]: :thumbs_up: {w}")),  # brackets escaped, an emoji code
    st.integers(0, 10**6).map(str),
)


@st.composite
def tables(
    draw: st.DrawFn,
) -> tuple[list[str], list[tuple[str, bool, int | None]], list[list[str]], str | None, str | None]:
    n = draw(st.integers(1, 8))
    headers = draw(
        st.lists(
            st.one_of(words.filter(bool), st.sampled_from(["Đơn vị", "Unit", "Name", "Tên"])), min_size=n, max_size=n
        )
    )
    settings_ = draw(
        st.lists(
            st.tuples(st.sampled_from(["left", "right"]), st.booleans(), st.one_of(st.none(), st.integers(1, 14))),
            min_size=n,
            max_size=n,
        )
    )
    rows = draw(st.lists(st.lists(cell, min_size=n, max_size=n), max_size=6))
    title = draw(st.one_of(st.none(), words.filter(bool), long_word))
    caption = draw(st.one_of(st.none(), words.filter(bool), st.lists(words, min_size=2, max_size=3).map(" ".join)))
    return headers, settings_, rows, title, caption


def build(spec) -> object:  # noqa: ANN001
    headers, column_settings, rows, title, caption = spec
    table = rich_table(*headers, title=title and escape(title), caption=caption and escape(caption))
    for column, (justify, no_wrap, min_width) in zip(table.columns, column_settings, strict=True):
        column.justify, column.no_wrap, column.min_width = justify, no_wrap, min_width
    for row in rows:
        table.add_row(*row)
    return table


def printed(width: int, soft_wrap: bool, spec, printer) -> str:  # noqa: ANN001
    console = Console(file=io.StringIO(), width=width, highlight=False)
    console.soft_wrap = soft_wrap
    printer(console, build(spec))
    return console.file.getvalue()


def plain_writer(width: int, soft_wrap: bool, spec) -> str | None:  # noqa: ANN001
    """What ``render.plain_text`` writes for the form ``print_table`` chooses; None: it leaves it to Rich."""
    console = Console(file=io.StringIO(), width=width, highlight=False)
    console.soft_wrap = soft_wrap
    table = build(spec)
    form = fit._table_form(console, table)
    if form is None:
        return plain_text.blocks_text(console, table)
    return plain_text.table_text(console, *form)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=tables(), width=st.integers(20, 150), soft_wrap=st.booleans())
def test_the_plain_writer_prints_what_rich_prints(spec, width: int, soft_wrap: bool) -> None:
    rich = printed(width, soft_wrap, spec, fit.print_table_rich)
    assert plain_writer(width, soft_wrap, spec) == rich  # written by the plain writer, not left to Rich
    assert printed(width, soft_wrap, spec, fit.print_table) == rich


def test_both_forms_and_both_wraps_are_exercised() -> None:
    """The property above meets tables and blocks, wrapped cells and folded words (not only one form)."""
    spec = (
        ["Mã", "Tên", "Đơn vị", "Ghi chú"],
        [("left", True, None), ("left", True, None), ("left", False, None), ("right", False, None)],
        [
            ["C01", "Nguyễn Văn An", "Quận đoàn Ba Đình", "Đãđihọcvềchuyênđềtuyêntruyềnphápluật"],
            ["C02", "", "Đoàn xã Đông Dư", "3"],
        ],
        "Danh sách",
        "Chú thích: cuối bảng",
    )
    # as built (two spaces between columns), narrow (one), blocks
    for width, form in ((120, "C01  Nguyễn Văn An  "), (62, "C01 Nguyễn Văn An "), (40, "  Đơn vị: ")):
        for soft_wrap in (True, False):
            text = plain_writer(width, soft_wrap, spec)
            assert text is not None and form in text
            assert text == printed(width, soft_wrap, spec, fit.print_table_rich)


def test_a_terminal_with_colours_is_left_to_rich() -> None:
    console = Console(file=io.StringIO(), width=80, force_terminal=True, color_system="standard")
    spec = (["A", "B"], [("left", False, None)] * 2, [["x", "[green]y[/]"]], None, None)
    table = build(spec)
    form = fit._table_form(console, table)
    assert form is not None and plain_text.table_text(console, *form) is None
    fit.print_table(console, build(spec))
    assert "\x1b[32m" in console.file.getvalue()  # the colour Rich prints on a terminal


RICH_ONLY = "from congtac12.render import plain_text; plain_text.plain_console = lambda console: False; "


def _visits(db: Path, columns: int, lang: str, *args: str, rich: bool) -> str:
    code = (RICH_ONLY if rich else "") + "from congtac12.cli import main; main()"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGTAC12")} | {"COLUMNS": str(columns)}
    run = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db), "--lang", lang, "visits", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The benchmark's synthetic database, 20 cadres (five years of visits each), and one cadre."""
    from support import synthetic_database

    db = tmp_path_factory.mktemp("synth") / "synth.db"
    _visits, synth = synthetic_database(db, 20)
    return db, synth.cadre_code(7)


@pytest.mark.parametrize("columns", [40, 60, 80, 100, 120])
def test_visits_on_a_pipe_prints_what_rich_prints(synthetic: tuple[Path, str], columns: int) -> None:
    db, code = synthetic
    for lang in ("vi", "en"):
        for args in (("--cadre", code), ("--from", "01/10/2020", "--to", "31/10/2020")):
            fast = _visits(db, columns, lang, *args, rich=False)
            assert fast.count("\n") > 20 and (code in fast or args[0] == "--from")
            assert fast == _visits(db, columns, lang, *args, rich=True)
