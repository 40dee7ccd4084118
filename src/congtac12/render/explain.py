"""One cadre in detail: ``status --cadre`` and ``status --explain`` (every figure with its formula)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from congtac12.domain.policy import Policy, minimum_share
from congtac12.domain.results import CadreEvaluation, Check, Evaluation, UncountedDays
from congtac12.domain.states import AFTER_LEFT, BEFORE_JOINED
from congtac12.domain.vocab import kind_name, leave_reason_name, level_name
from congtac12.i18n import N_, _
from congtac12.render.fit import print_table
from congtac12.render.formats import days_text, plural
from congtac12.render.labels import (
    ROUNDING_TEXT,
    equals,
    exempt_text,
    mark,
    pace_text,
    policy_texts,
    rule_label,
    share_text,
    show_date,
    show_period,
    state_cell,
    unreachable_text,
)
from congtac12.render.tables import rich_table

if TYPE_CHECKING:
    from rich.console import Console


def cadre_detail(console: Console, ev: Evaluation, c: CadreEvaluation) -> None:
    """One cadre: checks, what is still missing, and the pace needed."""
    from rich.markup import escape

    p = ev.policy
    a = c.availability
    console.print(f"[bold]{escape(c.name)}[/] ({escape(c.code)}) — {escape(c.department)}")
    console.print(
        escape(
            _("{title}; window {start} to {end}; as of {as_of}").format(
                title=policy_texts(p).title,
                start=show_date(p.window_start),
                end=show_date(p.window_end),
                as_of=show_date(ev.as_of),
            )
        )
    )
    console.print(_("State: {state}").format(state=state_cell(c.state)))
    if not c.subject:
        console.print(
            _("Not subject to the regime; {days} at the base recorded in the window.").format(days=days_text(c.days))
        )
        return
    if c.exempt:
        console.print(
            _("Exempt ({why}); {days} at the base recorded in the window.").format(
                why=exempt_text(c.exempt), days=days_text(c.days)
            )
        )
        _uncounted_lines(console, c)
        return
    if a is not None and not a.full:
        console.print(
            _(
                "Available {available} of {window} window days: requirement pro-rated to "
                "{required} days (see --explain)."
            ).format(available=a.available_days, window=a.window_days, required=c.required_days)
        )
    table = rich_table(_("Check"), _("Required"), _("Actual"), _("Met"))
    for k in c.checks:
        table.add_row(rule_label(k.rule), str(k.required), str(k.actual), mark(k.met))
    print_table(console, table)
    by_kind = ", ".join(f"{kind_name(k)} {n}" for k, n in c.days_by_kind.items())
    console.print(_("Days by kind: {kinds}").format(kinds=by_kind))
    if p.level_minimums:
        by_level = ", ".join(f"{level_name(k)} {n}" for k, n in c.days_by_level.items())
        console.print(_("Days by level: {levels}").format(levels=by_level))
    r = c.reports
    console.print(
        _("Reports: {on_time} on time, {late} late, {pending} pending, {overdue} overdue").format(
            on_time=r.on_time, late=r.late, pending=r.pending, overdue=r.overdue
        )
    )
    _uncounted_lines(console, c)
    if not c.missing:
        console.print(_("Nothing is missing."))
        return
    console.print(_("Still missing:"))
    for k in c.missing:
        if k.rule == "reports":
            console.print(
                "  • " + plural(k.actual, N_("{n} report late or overdue"), N_("{n} reports late or overdue"))
            )
        elif k.rule == "min_days":
            console.print("  • " + plural(k.shortfall, N_("{n} more day at the base"), N_("{n} more days at the base")))
        else:
            console.print(
                "  • "
                + plural(
                    k.shortfall, N_("{n} more day of {what}"), N_("{n} more days of {what}"), what=rule_label(k.rule)
                )
            )
    if a is None or a.full:
        console.print(
            _("Pace line today: {expected} ({required} × {elapsed}/{window} window days elapsed).").format(
                expected=days_text(c.expected_days),
                required=c.required_days,
                elapsed=c.elapsed_days,
                window=p.window_days,
            )
        )
    else:
        console.print(
            _("Pace line today: {expected} ({required} × {elapsed}/{available} available days elapsed).").format(
                expected=days_text(c.expected_days),
                required=c.required_days,
                elapsed=c.elapsed_days,
                available=a.available_days,
            )
        )
    if c.unreachable:
        console.print(_("Can no longer be met:"))
        for k in c.unreachable:
            console.print("  • " + unreachable_text(k, c.days_left), markup=False)
        console.print(_("Pace needed: none can make it (not met from this day)."))
    elif c.days_needed:
        console.print(
            _("Pace needed: {needed} in the {left} left = {pace}").format(
                needed=days_text(c.days_needed), left=days_text(c.days_left), pace=pace_text(c.pace_per_week)
            )
        )


def _uncounted_text(u: UncountedDays, c: CadreEvaluation) -> str:
    a = c.availability
    if u.reason == BEFORE_JOINED:
        why = _("before joining on {day}").format(day=show_date(a.joined if a else None))
    elif u.reason == AFTER_LEFT:
        why = _("after leaving on {day}").format(day=show_date(a.left if a else None))
    else:
        why = _("on leave {id} ({reason})").format(id=u.leave_id, reason=leave_reason_name(u.leave_reason or ""))
    return _("visit {id}: {when}, {days} {why}").format(
        id=u.visit_id, when=show_period(u.start, u.end), days=days_text(u.days), why=why
    )


def _uncounted_lines(console: Console, c: CadreEvaluation) -> None:
    from rich.markup import escape

    if not c.uncounted:
        return
    console.print(_("Not counted:"))
    for u in c.uncounted:
        console.print(f"  • {escape(_uncounted_text(u, c))}")


def explain_cadre(console: Console, ev: Evaluation, c: CadreEvaluation) -> None:
    """How each figure of one cadre was reached, with its numbers."""
    from rich.markup import escape

    p = ev.policy
    a = c.availability

    def line(text: str) -> None:  # plain text, no markup
        console.print(escape(text))

    line(_("{name} ({code}) — {department}").format(name=c.name, code=c.code, department=c.department))
    texts = policy_texts(p)
    line(_("Policy {id}: {title}").format(id=p.id, title=texts.title))
    line(_("Source: {source}").format(source=texts.source))
    for assumption in texts.assumptions or ():
        line(_("Assumed: {text}").format(text=assumption))
    line(_("As of {day}: visit days and reports after it do not count.").format(day=show_date(ev.as_of)))
    console.print()
    line(
        _("Window: {start} to {end} = {days} days.").format(
            start=show_date(p.window_start), end=show_date(p.window_end), days=p.window_days
        )
    )
    if a is None:
        return
    if a.joined is None and a.left is None:
        line(_("Service period: no joining or leaving date recorded; the whole window."))
    elif a.service_start is None:
        line(
            _("Service period: joined {joined}, left {left}; no day of it is in the window.").format(
                joined=show_date(a.joined), left=show_date(a.left)
            )
        )
    else:
        line(
            _("Service period: joined {joined}, left {left}; in the window {start} to {end} = {days}.").format(
                joined=show_date(a.joined),
                left=show_date(a.left),
                start=show_date(a.service_start),
                end=show_date(a.service_end),
                days=days_text(a.service_days),
            )
        )
    if a.leave:
        line(_("Leave in that period:"))
        for leave, days in zip(a.leave, a.leave_each, strict=True):
            line(
                "  "
                + _("leave {id}, {reason}, {start} to {end}: {days} in it").format(
                    id=leave.id,
                    reason=leave_reason_name(leave.reason),
                    start=show_date(leave.start),
                    end=show_date(leave.end),
                    days=days_text(days),
                )
            )
        reasons = ", ".join(leave_reason_name(r) for r in p.pro_rating.leave_reasons) or _("none")
        line(
            _("Leave days, overlaps counted once: {days}; deducted (reasons {reasons}): {deducted}.").format(
                days=a.leave_days, reasons=reasons, deducted=a.deducted_days
            )
        )
    else:
        line(_("Leave in that period: none."))
    line(
        _("Available days: {service} − {deducted} = {available}.").format(
            service=a.service_days, deducted=a.deducted_days, available=a.available_days
        )
    )
    for rule, days in zip(p.exemptions, a.exemption_days, strict=False):
        # the verdict inside the sentence (lowercase there), apart from the state's label "Miễn"
        if days >= rule.min_leave_days:
            text = _("Exemption: leave of {reasons}: {days} ≥ {threshold}: exempt.")
        else:
            text = _("Exemption: leave of {reasons}: {days} < {threshold}: not exempt.")
        line(
            text.format(
                reasons=", ".join(leave_reason_name(r) for r in rule.reasons),
                days=days_text(days),
                threshold=rule.min_leave_days,
            )
        )
    if not c.subject:
        line(_("Not subject to the regime: nothing is required."))
    elif c.exempt:
        line(_("Exempt ({why}): nothing is required.").format(why=exempt_text(c.exempt)))
    elif p.pro_rating.enabled:
        product = p.min_days * a.available_days
        line(
            _(
                "Required days: {min} × {available} ÷ {window} = {product} ÷ {window} {value} → "
                "{required} ({rounding})."
            ).format(
                min=p.min_days,
                available=a.available_days,
                window=a.window_days,
                product=product,
                value=equals(a.exact_required),
                required=c.required_days,
                rounding=_(ROUNDING_TEXT[p.pro_rating.rounding]),
            )
        )
    else:
        line(_("Required days: {min} (the policy does not pro-rate).").format(min=p.min_days))
    if c.checks:
        console.print()
        line(_("Checks:"))
        for k in c.checks:
            line("  " + _check_formula(p, c, k))
        console.print()
        line(
            _("Pace: {elapsed} of {available} available days have passed by {day}, {left} are left.").format(
                elapsed=c.elapsed_days, available=a.available_days, day=show_date(ev.as_of), left=c.days_left
            )
        )
        line(
            "  "
            + _("pace line: floor({required} × {elapsed} ÷ {available}) = {expected}; counted {days}").format(
                required=c.required_days,
                elapsed=c.elapsed_days,
                available=a.available_days,
                expected=c.expected_days,
                days=c.days,
            )
        )
        parts = [_("{days} short").format(days=days_text(c.checks[0].shortfall))]
        if p.content_minimums:
            parts.append(_("{n} content days short").format(n=c.content_days_short))
        if p.level_minimums:
            parts.append(_("{n} level days short").format(n=c.level_days_short))
        if c.days_needed == 0:
            pace = _("nothing more is needed")
        elif c.unreachable:
            pace = _("cannot be met: {reasons}").format(
                reasons="; ".join(unreachable_text(k, c.days_left) for k in c.unreachable)
            )
        elif c.pace_per_week is None:
            pace = pace_text(None)
        else:
            pace = _("pace {needed} × 7 ÷ {left} = {pace}").format(
                needed=c.days_needed, left=c.days_left, pace=pace_text(c.pace_per_week)
            )
        line(
            "  "
            + _("days needed: max({parts}) = {needed}; {pace}").format(
                parts=", ".join(parts), needed=c.days_needed, pace=pace
            )
        )
    console.print()
    if c.uncounted:
        line(_("Not counted:"))
        for u in c.uncounted:
            line("  " + _uncounted_text(u, c))
    else:
        line(_("Not counted: none of the visit days in the window."))
    console.print(_("State: {state}").format(state=state_cell(c.state)))


def _check_formula(p: Policy, c: CadreEvaluation, k: Check) -> str:
    verdict = mark(k.met)
    if k.rule == "min_days":
        return _("{label}: required {required}, counted {actual} {mark}").format(
            label=rule_label(k.rule), required=k.required, actual=k.actual, mark=verdict
        )
    if k.rule == "reports":
        return _("{label}: {actual} (must be 0) {mark}").format(label=rule_label(k.rule), actual=k.actual, mark=verdict)
    slug = k.rule.split(":", 1)[1]
    minimums = p.content_minimums if k.rule.startswith("kind:") else p.level_minimums
    m = next(m for m in minimums if getattr(m, "kind", None) == slug or getattr(m, "level", None) == slug)
    share = minimum_share(m.share, m.days, p.min_days)
    if share is None:
        assert m.days is not None  # a minimum is a share or a number of days (policies check it)
        formula = days_text(m.days)
    else:
        formula = _("ceil({share} × {required} {value}) = {need}").format(
            share=share_text(share) if m.share is not None else f"{m.days}/{p.min_days}",
            required=c.required_days,
            value=equals(share * c.required_days),
            need=k.required,
        )
    return _("{label}: {formula}, counted {actual} {mark}").format(
        label=rule_label(k.rule), formula=formula, actual=k.actual, mark=verdict
    )
