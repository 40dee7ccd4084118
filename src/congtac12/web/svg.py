"""A cadre's months as an SVG chart: a bar per month by kind, the month's share of the pace line as a mark.

Drawn from ``domain.summary.month_bars``, the bars ``status --cadre`` draws in the terminal.
Plain SVG with presentation attributes (no inline style, no script), every text escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from congtac12.domain.vocab import KINDS, kind_name
from congtac12.i18n import _

COLOURS = {"chuyen-de": "#2b7bb9", "phoi-hop": "#3a9b5c", "kiem-tra": "#a4479b", "sinh-hoat": "#d49a1c"}
BAR, GAP, LEFT, TOP, HEIGHT = 28, 14, 36, 16, 160


def month_chart(bars: Sequence[Any]) -> str:
    """The chart's ``<svg>`` element, or "" when there is no month yet."""
    if not bars:
        return ""
    top_days = max([10] + [b.days for b in bars] + [int(b.pace) + 1 for b in bars])
    scale = HEIGHT / top_days
    width = LEFT + len(bars) * (BAR + GAP) + GAP
    legend_y = TOP + HEIGHT + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{legend_y + 18 * len(KINDS)}" '
        f'role="img" aria-label="{escape(_("Days at the base by month"))}">'
    ]
    for tick in range(0, top_days + 1, max(1, top_days // 5)):
        y = TOP + HEIGHT - tick * scale
        out.append(f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    for i, b in enumerate(bars):
        x = LEFT + GAP + i * (BAR + GAP)
        y = TOP + HEIGHT
        for kind, n in b.segments:
            h = n * scale
            y -= h
            title = escape(f"{kind_name(kind)}: {n}")
            out.append(
                f'<rect x="{x}" y="{y:.1f}" width="{BAR}" height="{h:.1f}" fill="{COLOURS[kind]}"><title>{title}</title></rect>'
            )
        pace_y = TOP + HEIGHT - float(b.pace) * scale
        out.append(
            f'<line x1="{x - 3}" y1="{pace_y:.1f}" x2="{x + BAR + 3}" y2="{pace_y:.1f}" stroke="#111" stroke-width="2"/>'
        )
        out.append(
            f'<text x="{x + BAR / 2}" y="{TOP + HEIGHT + 14}" text-anchor="middle" font-size="11">{b.first:%m}</text>'
        )
        out.append(
            f'<text x="{x + BAR / 2}" y="{TOP + HEIGHT + 26}" text-anchor="middle" font-size="9">{b.first:%Y}</text>'
        )
        out.append(f'<text x="{x + BAR / 2}" y="{y - 3:.1f}" text-anchor="middle" font-size="10">{b.days}</text>')
    for j, kind in enumerate(KINDS):
        y = legend_y + 18 * j
        out.append(f'<rect x="{LEFT}" y="{y}" width="12" height="12" fill="{COLOURS[kind]}"/>')
        out.append(f'<text x="{LEFT + 18}" y="{y + 10}" font-size="12">{escape(kind_name(kind))}</text>')
    out.append("</svg>")
    return "".join(out)
