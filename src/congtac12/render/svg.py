"""The terminal's pictures as inline SVG for the report page: a cadre's months against the
pace line (``domain.summary.month_bars``) and the calendar of days at the base.

Drawn by our own code: a few rectangles and lines, every text escaped, no script, no
external reference (no ``xmlns`` either: inline SVG in HTML needs none). Each picture
carries a ``<title>`` and the page prints its figures in words beside it, so nothing is
told by colour alone.
"""

from __future__ import annotations

import calendar as cal
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from congtac12.dates import show_month
from congtac12.domain.vocab import KINDS, kind_name, kind_short
from congtac12.i18n import _
from congtac12.render.formats import days_text, integer
from congtac12.render.labels import KIND_LETTERS

# Colours of the kinds, the terminal's (render.labels.KIND_STYLES) in print-friendly tones.
KIND_COLOURS = {"chuyen-de": "#0e7490", "phoi-hop": "#15803d", "kiem-tra": "#a21caf", "sinh-hoat": "#b45309"}
MUTED = "#9ca3af"


def _month_label(d: date) -> str:
    return show_month(d)


def month_bars_svg(bars: Sequence[Any]) -> str:
    """A bar per month (its days by kind, stacked), the month's share of the pace line as a tick,
    and the cumulative pace line against the days so far as a second, stepped line."""
    if not bars:
        return ""
    row, label_w, unit, top = 26, 70, 12, 8
    most = max([10] + [b.days for b in bars] + [int(b.pace) + 1 for b in bars])
    width = label_w + most * unit + 260
    height = top + row * len(bars) + 8
    parts = [
        f'<svg class="chart months" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="months-title">',
        f'<title id="months-title">{escape(_("Days at the base by month"))}</title>',
    ]
    for i, b in enumerate(bars):
        y = top + i * row
        parts.append(f'<text x="0" y="{y + 15}" class="axis">{escape(_month_label(b.first))}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{most * unit}" height="16" fill="#f3f4f6" stroke="#e5e7eb"/>'
        )
        x = label_w
        for kind, n in b.segments:
            parts.append(
                f'<rect x="{x}" y="{y + 3}" width="{n * unit}" height="16" fill="{KIND_COLOURS[kind]}">'
                f"<title>{escape(kind_short(kind))}: {n}</title></rect>"
            )
            x += n * unit
        pace_x = label_w + float(b.pace) * unit
        parts.append(
            f'<line x1="{pace_x:.1f}" x2="{pace_x:.1f}" y1="{y}" y2="{y + 22}" class="pace" stroke="#111827" '
            f'stroke-width="2"><title>{escape(_("the month’s share of the pace line"))}: '
            f"{float(b.pace):.1f}</title></line>"
        )
        text = _("{days}, {cumulative} so far (pace line {expected})").format(
            days=days_text(b.days), cumulative=integer(b.cumulative), expected=b.expected
        )
        parts.append(f'<text x="{label_w + most * unit + 10}" y="{y + 15}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def legend_html() -> str:
    """The kinds' colours and letters, as words (the pictures' key)."""
    items = "".join(
        f'<li><span class="swatch" style="background:{KIND_COLOURS[k]}"></span>'
        f"{escape(KIND_LETTERS[k])} {escape(kind_short(k))}</li>"
        for k in KINDS
    )
    return f'<ul class="kinds">{items}</ul>'


def calendar_svg(
    days: dict[date, tuple[str, ...]],
    counted: dict[date, tuple[str, ...]],
    *,
    year: int,
    months: Sequence[int],
    window: tuple[date, date],
) -> str:
    """A row per month, a cell per day: coloured by the (first) kind on a day that counts, grey on a
    visit day that does not (outside the window, before joining, after leaving or on leave), a
    letter in each visit day (+ for several kinds), and the month's counted days at the end."""
    cell, label_w, top = 18, 70, 22
    width = label_w + 31 * cell + 70
    height = top + cell * len(months) + 6
    parts = [
        f'<svg class="chart calendar" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="calendar-title">',
        f'<title id="calendar-title">{escape(_("Days at the base, day by day"))}</title>',
    ]
    for d in range(1, 32):
        if d == 1 or d % 5 == 0:
            parts.append(f'<text x="{label_w + (d - 1) * cell + 4}" y="14" class="axis">{d}</text>')
    for i, month in enumerate(months):
        y = top + i * cell
        parts.append(f'<text x="0" y="{y + 13}" class="axis">{show_month(date(year, month, 1))}</text>')
        total = 0
        for d in range(1, cal.monthrange(year, month)[1] + 1):
            day = date(year, month, d)
            x = label_w + (d - 1) * cell
            kinds = counted.get(day) or days.get(day, ())
            in_window = window[0] <= day <= window[1]
            if day in counted:
                total += 1
                fill = KIND_COLOURS[kinds[0]]
            elif kinds:
                fill = MUTED
            else:
                fill = "#ffffff" if in_window else "#f3f4f6"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" stroke="#d1d5db">'
                f"<title>{escape(_day_title(day, kinds, day in counted))}</title></rect>"
            )
            if kinds:
                letter = KIND_LETTERS[kinds[0]] if len(kinds) == 1 else "+"
                colour = "#ffffff" if day in counted else "#111827"
                parts.append(f'<text x="{x + 4}" y="{y + 12}" class="day" fill="{colour}">{escape(letter)}</text>')
        parts.append(f'<text x="{label_w + 31 * cell + 6}" y="{y + 13}">{escape(days_text(total))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _day_title(day: date, kinds: tuple[str, ...], counted: bool) -> str:
    from congtac12.render.labels import show_date

    if not kinds:
        return show_date(day)
    names = ", ".join(kind_name(k) for k in kinds)
    if counted:
        return f"{show_date(day)}: {names}"
    return f"{show_date(day)}: {names} ({_('not counted')})"
