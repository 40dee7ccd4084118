"""Policies for people: the list of presets and one policy in full (``policy list``, ``policy show``)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from congtac12.domain.policy import Policy, minimum_required
from congtac12.domain.vocab import kind_name, kind_short, leave_reason_name, level_name, level_short
from congtac12.i18n import _
from congtac12.render.fit import print_table
from congtac12.render.formats import days_text
from congtac12.render.labels import ROUNDING_TEXT, policy_texts, share_text, show_date
from congtac12.render.tables import rich_table

if TYPE_CHECKING:
    from rich.console import Console


def _minimum_text(share: Fraction | None, days: int | None, min_days: int) -> str:
    if share is not None:
        return _("{share} of the required days ({need} of {min})").format(
            share=share_text(share), need=minimum_required(share, None, min_days, min_days), min=min_days
        )
    return days_text(days or 0)


def _window_text(p: Policy) -> str:
    first, last = p.years
    text = _("{start} to {end} ({days} days)").format(
        start=show_date(p.window_start), end=show_date(p.window_end), days=p.window_days
    )
    if last != first:
        text += " " + _("each year {first}–{last}").format(first=first, last=last)
    return text


def policies_table(console: Console, policies: Sequence[Policy], default: str | None) -> None:
    from rich.markup import escape

    from congtac12.policies import years_text

    table = rich_table(_("Id"), _("Years"), _("Window"), _("Days"), _("Minimums"))
    for p in policies:
        minimums = [
            f"{kind_short(m.kind)} {share_text(m.share) if m.share is not None else m.days}" for m in p.content_minimums
        ]
        minimums += [
            f"{level_short(m.level)} {share_text(m.share) if m.share is not None else m.days}" for m in p.level_minimums
        ]
        table.add_row(
            escape(p.id + (" *" if p.id == default else "")),
            years_text(p),
            f"{p.window_start:%d/%m}–{p.window_end:%d/%m}",
            str(p.min_days),
            escape(", ".join(minimums) or "—"),
        )
    table.columns[2].no_wrap = True
    print_table(console, table)
    if default is None:  # none chosen, and no preset for this year
        console.print(
            _(
                "No default policy for this year: choose one with 'congtac12 config set policy ID|FILE'. "
                "Each preset cites its source and lists what it assumes: 'congtac12 policy show ID'."
            )
        )
        return
    console.print(
        _(
            "* the default ({default}). Each preset cites its source and lists what it "
            "assumes: 'congtac12 policy show ID'."
        ).format(default=escape(default))
    )


def policy_detail(console: Console, p: Policy) -> None:
    from rich.markup import escape

    def line(text: str) -> None:  # plain text, no markup

        console.print(escape(text))

    texts = policy_texts(p)
    console.print(f"[bold]{escape(p.id)}[/] — {escape(texts.title or p.title)}")
    line(_("Source: {source}").format(source=texts.source))
    if p.series:
        line(_("Series: {series}").format(series=p.series))
    line(_("Window: {window}").format(window=_window_text(p)))
    line(_("Minimum days at the base: {days}").format(days=p.min_days))
    for m in p.content_minimums:
        line(
            "  "
            + _("{kind}: at least {what}").format(
                kind=kind_name(m.kind), what=_minimum_text(m.share, m.days, p.min_days)
            )
        )
    for lm in p.level_minimums:
        line(
            "  "
            + _("{level}: at least {what}").format(
                level=level_name(lm.level), what=_minimum_text(lm.share, lm.days, p.min_days)
            )
        )
    line(_("Report due: {days} days after a trip's last day").format(days=p.report_due_days))
    line(_("Reminders: until {days} days after the window's end").format(days=p.remind_days_after_window))
    r = p.pro_rating
    if r.enabled:
        line(
            _(
                "Pro-rating: {min} × available days ÷ {window} window days, {rounding}; leave deducted: {reasons}"
            ).format(
                min=p.min_days,
                window=p.window_days,
                rounding=_(ROUNDING_TEXT[r.rounding]),
                reasons=", ".join(leave_reason_name(x) for x in r.leave_reasons) or _("none"),
            )
        )
    else:
        line(_("Pro-rating: off ({min} days for everyone in service)").format(min=p.min_days))
    for e in p.exemptions:
        line(
            _("Exempt when leave of {reasons} reaches {days} days in the window").format(
                reasons=", ".join(leave_reason_name(x) for x in e.reasons), days=e.min_leave_days
            )
        )
    if texts.assumptions:
        line(_("Assumed (not in the source):"))
        for text in texts.assumptions:
            line(f"  • {text}")
