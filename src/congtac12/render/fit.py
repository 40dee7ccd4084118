"""Tables that fit the terminal: no cell cut, no name broken, nothing wider than the width.

Rich fits a table to the console by wrapping cells and, when that is not
enough, by cutting them ("Ng…"). ``print_table`` decides first, from the
cells themselves, which of three forms fits the width:

1. the table as built, two spaces between columns;
2. narrower: short headers (from the catalog: ``SHORT_HEADERS``, ``SHORT_KINDS``,
   ``SHORT_LEVELS``: "C.đề" for "Chuyên đề"), one space between columns, unit names
   shortened ("Quận đoàn Ba Đình" → "Q. Ba Đình"), a state free to break between its
   words ("Chậm tiến / độ");
3. a list, one block per row ("header: value" lines), when even that is too wide.

A column that may wrap needs its longest word; one that may not (codes, names,
dates, numbers) needs its longest cell. Names are never wrapped: the name
columns are ``no_wrap``. What a table prints is chosen here alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from congtac12.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# A header and its short form for narrow tables (English msgids; both catalogs translate them).
SHORT_HEADERS = {
    "Reported": N_("Rep. on"),
    "Department": N_("Dept."),
    "Subject": N_("Subj."),
    "Reports": N_("Rep."),
    "Last day": N_("Last"),
    "Counted": N_("Cnt."),
    "Cadres": N_("Cadr."),
    "Visits": N_("Vis."),
    "Minimums": N_("Min."),
    "Window": N_("Wind."),
    "Level": N_("Lvl."),
    "Parent": N_("Par."),
    "Service": N_("Serv."),
    "Active": N_("Act."),
    "Reason": N_("Why"),
    "Id": N_("#"),
}
# The kinds' and levels' column headers (``domain.vocab``'s short names) in narrow tables, by slug.
SHORT_KINDS = {
    "chuyen-de": N_("Them."),
    "phoi-hop": N_("Co-org."),
    "kiem-tra": N_("Insp."),
    "sinh-hoat": N_("Meet."),
}
SHORT_LEVELS = {"huyen": N_("Dist."), "co-so": N_("Base"), "chi-doan": N_("Branch")}
# Columns of labels that may break between words in narrow tables ("Chậm tiến / độ"), though
# never inside a word; in the first form they stay on one line.
WRAP_WHEN_NARROW = (N_("State"),)
# Unit names shortened in narrow tables (the Vietnamese usage: Q. for quận, H. for huyện).
_UNIT_PREFIXES = [
    ("Quận đoàn ", "Q. "),
    ("Huyện đoàn ", "H. "),
    ("Thị đoàn ", "TX. "),
    ("Đoàn phường ", "P. "),
    ("Đoàn xã ", "X. "),
]
UNIT_HEADERS = (N_("Unit"), N_("Union"), N_("Parent"))
NAME_HEADERS = (N_("Name"),)  # a person's name: never wrapped


def short_unit(name: str) -> str:
    """Each prefix in turn, at the start of the name (as ``re.sub("^" + prefix)`` would: no pattern
    to compile on every start)."""
    for prefix, short in _UNIT_PREFIXES:
        if name.startswith(prefix):
            name = short + name[len(prefix) :]
    return name


def _plain(cell: Any) -> str:
    from congtac12.render.plain_text import plain

    return plain(cell)


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for line in text.splitlines() for w in line.split()), default=0)


def _need(column: Any, cells: list[str], header: str) -> int:
    """The narrowest a column can be with nothing cut: its longest word, or longest cell if it never wraps,
    in the cells of the terminal (a wide character takes two)."""
    measure = _longest_line if column.no_wrap else _longest_word
    return max([measure(header), *(measure(c) for c in cells), column.min_width or 0])


def _longest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(x) for x in text.splitlines()), default=0)


def _allot(columns: list[Any], headers: list[str], cells: list[list[str]], width: int, gap: int) -> bool:
    """Give each column a width (Rich's ``Column.width``) so that the table is at most ``width``
    wide and nothing is cut: each gets what it needs, then the room left goes to the columns
    that wrap, left to right, up to their longest cell. False if even the needs do not fit.

    ``gap``: the columns' own padding (1 in the first form, 0 in the narrow one); one more
    space separates two columns."""
    needs = [_need(col, cs, h) for col, cs, h in zip(columns, cells, headers, strict=True)]
    room = width - gap * len(columns) - (len(columns) - 1)
    if sum(needs) > room:
        return False
    spare = room - sum(needs)
    for col, need, cs, header in zip(columns, needs, cells, headers, strict=True):
        most = max([_longest_line(header), *(_longest_line(c) for c in cs), need])
        extra = min(spare, most - need)
        col.width = need + extra
        spare -= extra
    return True


def print_table(console: Console, table: Table) -> None:
    """Print ``table`` in the first form that fits the console's width (see the module's docstring)."""
    from congtac12.render import plain_text

    form = _table_form(console, table)
    if form is None:
        text = plain_text.blocks_text(console, table)
        if text is None:
            _print_blocks(console, table)
        else:
            plain_text.write(console, text)
    else:
        candidate, headers, cells = form
        text = plain_text.table_text(console, candidate, headers, cells)
        if text is None:
            console.print(candidate)
        else:
            plain_text.write(console, text)


def print_table_rich(console: Console, table: Table) -> None:
    """``print_table`` through Rich alone (the forms as Rich renders them: what ``render.plain_text``
    must reproduce, byte for byte; tests compare the two)."""
    form = _table_form(console, table)
    if form is None:
        _print_blocks(console, table)
    else:
        console.print(form[0])


def fits(console: Console, table: Table) -> bool:
    """Whether ``print_table`` prints ``table`` as a table (as built, or narrow), not one block per row."""
    return _table_form(console, table) is not None


def _table_form(console: Console, table: Table) -> tuple[Table, list[str], list[list[str]]] | None:
    """The first of the two table forms that fits the console's width, with its headers' and
    cells' plain text; None: only blocks do."""
    names = {_(h) for h in NAME_HEADERS}
    for col in table.columns:
        if _plain(col.header) in names:
            col.no_wrap = True
    width = console.width
    for candidate, gap in ((table, 1), (None, 0)):
        candidate = candidate or _narrow(table)  # built only when the table as built does not fit
        columns = list(candidate.columns)
        cells = [[_plain(c) for c in col.cells] for col in columns]
        headers = [_plain(col.header) for col in columns]
        if _allot(columns, headers, cells, width, gap):
            return candidate, headers, cells
    return None


def _narrow(table: Table) -> Table:
    """The same table with short headers, one space between columns and short unit names."""
    from rich import box
    from rich.table import Table as RichTable

    from congtac12.domain.vocab import kind_short, level_short

    shorts = {_(full): _(short) for full, short in SHORT_HEADERS.items()}
    shorts |= {kind_short(slug): _(short) for slug, short in SHORT_KINDS.items()}
    shorts |= {level_short(slug): _(short) for slug, short in SHORT_LEVELS.items()}
    wrapping = {_(h) for h in WRAP_WHEN_NARROW}
    units = {_(h) for h in UNIT_HEADERS}
    narrow = RichTable(
        title=table.title,
        caption=table.caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        title_style="bold",
        caption_justify="left",
        show_edge=False,
        padding=(0, 0, 0, 0),
    )
    unit_columns = []
    for i, col in enumerate(table.columns):
        header = _plain(col.header)
        narrow.add_column(
            shorts.get(header, header),
            justify=col.justify,
            no_wrap=col.no_wrap and header not in wrapping,
            style=col.style,
            overflow=col.overflow,
        )
        if header in units:
            unit_columns.append(i)
    rows = list(zip(*(list(col.cells) for col in table.columns), strict=True)) if table.columns else []
    for row in rows:
        narrow.add_row(*(short_unit(c) if i in unit_columns and isinstance(c, str) else c for i, c in enumerate(row)))
    return narrow


def _print_blocks(console: Console, table: Table) -> None:
    """One block per row: the first two cells on a line, then "header: value" for the others.

    Printed in one ``console.print`` of a ``Group``: each line is what a ``console.print`` of it
    alone would render (``line``), at a fraction of the cost (100 visits are 900 lines)."""
    from rich.console import Group, NewLine
    from rich.text import Text

    lines: list[Any] = []

    def line(item: Any) -> None:
        # as console.print(item) collects it: text markup rendered, joined (sep " ") with end "\n"
        text = console.render_str(item) if isinstance(item, str) else item
        lines.append(Text(" ", end="\n").join([text]))

    if table.title:
        line(table.title)
    columns = list(table.columns)
    headers = [_plain(col.header) for col in columns]
    rows = list(zip(*(list(col.cells) for col in columns), strict=True)) if columns else []
    for row in rows:
        lines.append(NewLine())
        line(Text("  ".join(_plain(c) for c in row[:2]), style="bold"))
        for header, cell in zip(headers[2:], row[2:], strict=True):
            value = cell if isinstance(cell, Text) else Text.from_markup(str(cell))
            line(Text.assemble("  ", header, ": ", value))
    if table.caption:
        lines.append(NewLine())
        line(table.caption)
    console.print(Group(*lines), soft_wrap=False)
