"""The forms of ``render.fit`` written as plain text: byte for byte what Rich prints, without Rich's cost.

When the console renders no styles (no colour system: a pipe, a file, ``--db … visits > list.txt``),
what Rich prints for a table or for the block form is plain text laid out by rules that are few
and fixed: each cell's text wrapped at its column's width (Rich's word wrap, folding a word longer
than the width), justified, padded to the width; the cells of a line joined by the box's separator.
Rich renders each cell through segments and styles (0.1 s for 100 visits); this module writes the
same characters with string joins. Widths are measured in terminal cells with Rich's own
``rich.cells`` (Vietnamese diacritics one cell, a CJK character two).

Anything this module does not reproduce exactly falls back to Rich: a terminal (styles are escape
codes), a console that records, a table built otherwise than ``render.tables.rich_table`` builds
them, and text with tabs, zero-width joiners or variation selectors. ``tests/test_plain_text.py``
checks on random cells that the text is what Rich prints.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# Rich's word: leading space, the word, trailing space (``rich._wrap``).
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
# What makes a line's width not the sum of its characters' (or Rich expand): handled by Rich itself.
_UNSUPPORTED = re.compile("[\t\u200d\ufe0f]")
# Rich strips these control codes from any text (``rich.control.STRIP_CONTROL_CODES``).
_STRIP = {7: None, 8: None, 11: None, 12: None, 13: None}


def plain(cell: Any) -> str:
    """The characters Rich prints for a cell: its markup rendered, emoji codes replaced, control codes stripped."""
    from rich.text import Text

    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        if "[" not in cell and ":" not in cell:
            return cell.translate(_STRIP)
        return Text.from_markup(cell).plain
    return str(cell)


def plain_console(console: Console) -> bool:
    """Whether this console prints text as it is (no styles, no recording): the fast forms apply."""
    return (
        console.color_system is None
        and not console.record
        and not console.quiet
        and not console.is_jupyter
        and not console.legacy_windows
        and console.encoding.lower().startswith("utf")
    )


def supported(texts: list[str]) -> bool:
    return not any(_UNSUPPORTED.search(t) for t in texts)


def _divide(text: str, width: int, fold: bool) -> list[int]:
    """Where Rich breaks a line of ``text`` at ``width`` cells (``rich._wrap.divide_line``)."""
    from rich.cells import cell_len, chop_cells

    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            if fold:
                pieces = chop_cells(word, width=width)
                for i, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if i == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _truncate(line: str, width: int, overflow: str, *, pad: bool = False) -> str:
    from rich.cells import cell_len, set_cell_size

    length = cell_len(line)
    if length > width:
        return set_cell_size(line, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(line, width)
    if pad and length < width:
        return line + " " * (width - length)
    return line


def wrap(
    text: str, width: int, *, justify: str = "default", overflow: str = "fold", no_wrap: bool = False
) -> list[str]:
    """The lines of ``text`` as Rich's ``Text.wrap`` makes them (the text without tabs)."""
    from rich.cells import cell_len

    lines: list[str] = []
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            breaks = _divide(line, width, overflow == "fold") if cell_len(line) > width else []
            bounds = [0, *breaks, len(line)]
            pieces = [line[a:b] for a, b in zip(bounds, bounds[1:], strict=False)] if breaks else [line]
            for i, piece in enumerate(pieces):
                if len(piece) > width:  # Rich crops trailing space beyond the width (in characters)
                    space = _TRAILING_SPACE.search(piece)
                    if space is not None:
                        pieces[i] = piece[: len(piece) - min(len(space.group(0)), len(piece) - width)]
        if justify == "left":
            pieces = [_truncate(p, width, overflow, pad=True) for p in pieces]
        elif justify == "right":
            pieces = [_truncate(p.rstrip(), width, overflow) for p in pieces]
            pieces = [" " * (width - cell_len(p)) + p for p in pieces]
        lines.extend(_truncate(p, width, overflow) for p in pieces)
    return lines


def _fill(line: str, width: int) -> str:
    from rich.cells import cell_len, set_cell_size

    n = cell_len(line)
    return line + " " * (width - n) if n <= width else set_cell_size(line, width)


def table_text(console: Console, table: Table, headers: list[str], cells: list[list[str]]) -> str | None:
    """``table`` (widths allotted by ``render.fit``) as Rich prints it, from its cells' plain text;
    None where Rich must print it (a table or a console this module does not reproduce)."""
    from rich import box

    columns = list(table.columns)
    top, right, bottom, left = table.padding
    if not (
        columns
        and plain_console(console)
        and table.box is box.SIMPLE_HEAD
        and not table.show_edge
        and table.show_header
        and not table.show_footer
        and not table.show_lines
        and not table.leading
        and not table.expand
        and table.width is None
        and table.min_width is None
        and not table.row_styles
        and not any(row.end_section for row in table.rows)
        and (top, bottom, left) == (0, 0, 0)
        and right in (0, 1)
        and table.title_justify == "left"
        and table.caption_justify == "left"
        and all(isinstance(a, str) for a in (table.title or "", table.caption or ""))
        and all(
            c.width is not None
            and c.width >= 1
            and c.vertical == "top"
            and c.justify in ("left", "right")
            and isinstance(c.header, str)
            and all(isinstance(x, str) for x in c.cells)
            for c in columns
        )
        and supported(headers)
        and all(supported(cs) for cs in cells)
    ):
        return None
    content = [c.width or 0 for c in columns]  # every width was set (checked above)
    widths = [w + right for w in content]
    total = sum(widths) + len(columns) - 1
    out: list[str] = []

    def annotation(text: Any) -> bool:
        value = plain(text)
        if not supported([value]):
            return False
        if console.soft_wrap:  # printed unwrapped (a pipe): the title's lines as they are
            out.extend(value.split("\n"))
        else:
            out.extend(wrap(value, total, justify="left"))
        return True

    if table.title and not annotation(table.title):
        return None
    pad = " " * right
    blanks = [" " * w for w in widths]

    def row(texts: list[str], *, bottom: bool) -> None:
        rendered = [
            [
                _fill(x, w) + pad
                for x in wrap(t, w, justify=c.justify, overflow=c.overflow or "fold", no_wrap=bool(c.no_wrap))
            ]
            for c, w, t in zip(columns, content, texts, strict=True)
        ]
        height = max(len(r) for r in rendered)
        for i, r in enumerate(rendered):
            if len(r) < height:
                fill = [blanks[i]] * (height - len(r))
                rendered[i] = fill + r if bottom else r + fill
        out.extend(" ".join(parts) for parts in zip(*rendered, strict=True))

    row(headers, bottom=True)
    out.append("─" * total)
    for texts in zip(*cells, strict=True):
        row(list(texts), bottom=False)
    if table.caption and not annotation(table.caption):
        return None
    return "\n".join(out) + "\n"


def blocks_text(console: Console, table: Table) -> str | None:
    """The block form (``render.fit._print_blocks``) as Rich prints it; None where Rich must print it."""
    from rich.text import Text

    if not plain_console(console):
        return None
    width = console.width
    columns = list(table.columns)
    headers = [plain(col.header) for col in columns]
    rows = list(zip(*(list(col.cells) for col in columns), strict=True)) if columns else []
    texts: list[str | None] = []  # None: a blank line
    if table.title:
        texts.append(plain(table.title))
    for cells in rows:
        texts.append(None)
        texts.append("  ".join(plain(c) for c in cells[:2]).translate(_STRIP))
        texts.extend(
            f"  {h}: {plain(c if isinstance(c, str | Text) else str(c))}".translate(_STRIP)
            for h, c in zip(headers[2:], cells[2:], strict=True)
        )
    if table.caption:
        texts.append(None)
        texts.append(plain(table.caption))
    if not supported([t for t in texts if t is not None]):
        return None
    out: list[str] = []
    for text in texts:
        if text is None:
            out.append("")
        else:
            out.extend(wrap(text, width))
    return "".join(line + "\n" for line in out)


def write(console: Console, text: str) -> None:
    """Print ``text`` as ``console.print`` writes its output: to the console's file, then flushed."""
    console.file.write(text)
    console.file.flush()
