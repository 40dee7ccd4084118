"""Pictures in the terminal: a cadre's months against the pace line, and a calendar of visits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from congtac12.dates import show_month
from congtac12.domain.vocab import KINDS, kind_name, kind_short
from congtac12.i18n import N_, _, ngettext
from congtac12.render.labels import KIND_LETTERS, KIND_STYLES

if TYPE_CHECKING:
    from rich.console import Console


def pace_column(pace: Fraction | float) -> int:
    """The column of a month's pace mark │: the pace rounded half up (2.5 → 3, 3.5 → 4), not
    ``round``'s half to even (which would put 2.5 at 2)."""
    return math.floor(Fraction(pace) + Fraction(1, 2))


def month_chart(console: Console, bars: Sequence[Any], policy: Any) -> None:
    """A cadre's days month by month: a bar per month by kind, the month's pace as │."""
    from rich.text import Text

    if not bars:
        return
    # One character a day: a month holds at most 31, so no scaling is needed.
    width = max([10] + [b.days for b in bars] + [math.ceil(b.pace) for b in bars])
    console.print()
    legend = "  ".join(f"[{KIND_STYLES[k]}]{KIND_LETTERS[k]}[/] {kind_short(k)}" for k in KINDS)
    console.print(
        _("[bold]Days at the base by month[/] ({legend}; │ the month's share of the pace line)").format(legend=legend)
    )
    for b in bars:
        line = Text(f"{show_month(b.first)} ")
        cells = [kind for kind, n in b.segments for _i in range(n)]
        pace_at = pace_column(b.pace)
        for i in range(width + 1):
            if i == pace_at:
                line.append("│", style="bold")
            if i < len(cells):
                line.append(KIND_LETTERS[cells[i]], style=KIND_STYLES[cells[i]])
            elif i < width:
                line.append("·", style="dim")
        line.append(
            " "
            + ngettext(
                # one space more after "day," keeps the "so far" column in line with "days,"
                N_("{days:>2} day,  {cumulative:>3} so far (pace line {expected})"),
                N_("{days:>2} days, {cumulative:>3} so far (pace line {expected})"),
                b.days,
            ).format(days=b.days, cumulative=b.cumulative, expected=b.expected)
        )
        console.print(line)


def calendar_map(
    console: Console,
    days: dict[date, tuple[str, ...]],
    counted: dict[date, tuple[str, ...]],
    *,
    year: int,
    months: Sequence[int],
    window: tuple[date, date],
    title: str,
) -> None:
    """A calendar heat map: a row per month, a column per day; a letter per kind, + for several.

    ``days`` are every visit day, ``counted`` those the rules count (bold; the
    others dim); a month's total is its counted days, as status counts them.
    """
    import calendar as cal

    from rich.markup import escape
    from rich.text import Text

    console.print(f"[bold]{escape(title)}[/]")
    header = Text("        ")
    for d in range(1, 32):
        header.append(f"{d:>2}" if d % 5 == 0 or d == 1 else "  ", style="dim")
    console.print(header)
    for month in months:
        line = Text(f"{show_month(date(year, month, 1))} ")
        total = 0
        for d in range(1, 32):
            if d > cal.monthrange(year, month)[1]:
                line.append("  ")
                continue
            day = date(year, month, d)
            kinds = counted.get(day) or days.get(day, ())
            if day in counted:
                total += 1
            if kinds:
                letter = KIND_LETTERS[kinds[0]] if len(kinds) == 1 else "+"
                style = f"bold black on {KIND_STYLES[kinds[0]]}" if day in counted else "dim"
                line.append(" ")
                line.append(letter, style=style)
            else:
                line.append(" ·" if window[0] <= day <= window[1] else "  ", style="dim")
        line.append(" " + ngettext(N_("{n:>2} day"), N_("{n:>2} days"), total).format(n=total))
        console.print(line)
    legend = ", ".join(f"{KIND_LETTERS[k]} {kind_name(k)}" for k in KINDS)
    console.print(
        _(
            "{legend}; + several kinds on one day; · a day of the window without a visit; "
            "dim: not counted (outside the window, before joining, after leaving or on leave)."
        ).format(legend=legend)
    )
