"""Pictures in the terminal: a cadre's months against the pace line, and a calendar of visits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from congtac12.domain.vocab import KINDS, kind_name, kind_short
from congtac12.i18n import _
from congtac12.render.labels import KIND_LETTERS, KIND_STYLES

if TYPE_CHECKING:
    from rich.console import Console


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
        line = Text(f"{b.first:%m/%Y} ")
        cells = [kind for kind, n in b.segments for _i in range(n)]
        pace_at = round(b.pace)
        for i in range(width + 1):
            if i == pace_at:
                line.append("│", style="bold")
            if i < len(cells):
                line.append(KIND_LETTERS[cells[i]], style=KIND_STYLES[cells[i]])
            elif i < width:
                line.append("·", style="dim")
        line.append(
            " "
            + _("{days:>2} days, {cumulative:>3} so far (pace line {expected})").format(
                days=b.days, cumulative=b.cumulative, expected=b.expected
            )
        )
        console.print(line)


def calendar_map(
    console: Console,
    days: dict[date, tuple[str, ...]],
    *,
    year: int,
    months: Sequence[int],
    policy: Any,
    title: str,
) -> None:
    """A calendar heat map: a row per month, a column per day; a letter per kind, + for several."""
    import calendar as cal

    from rich.markup import escape
    from rich.text import Text

    console.print(f"[bold]{escape(title)}[/]")
    header = Text("        ")
    for d in range(1, 32):
        header.append(f"{d:>2}" if d % 5 == 0 or d == 1 else "  ", style="dim")
    console.print(header)
    for month in months:
        line = Text(f"{month:02d}/{year} ")
        total = 0
        for d in range(1, 32):
            if d > cal.monthrange(year, month)[1]:
                line.append("  ")
                continue
            day = date(year, month, d)
            kinds = days.get(day, ())
            inside = policy.window_start <= day <= policy.window_end
            if kinds:
                total += 1
                letter = KIND_LETTERS[kinds[0]] if len(kinds) == 1 else "+"
                style = f"bold black on {KIND_STYLES[kinds[0]]}" if inside else "dim"
                line.append(" ")
                line.append(letter, style=style)
            else:
                line.append(" ·" if inside else "  ", style="dim")
        line.append(" " + _("{n:>2} days").format(n=total))
        console.print(line)
    legend = ", ".join(f"{KIND_LETTERS[k]} {kind_name(k)}" for k in KINDS)
    console.print(
        _(
            "{legend}; + several kinds on one day; · a day of the window without a visit; dim: outside the window."
        ).format(legend=legend)
    )
