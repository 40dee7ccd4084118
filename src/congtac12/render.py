"""The one place that renders: Rich tables for people, dicts for ``--json``.

Takes results (an Evaluation, listing rows) and never queries. Rich is imported
inside the functions so that importing this module costs nothing at start-up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from congtac12.dates import iso
from congtac12.i18n import N_, _
from congtac12.rules import (
    AFTER_LEFT,
    BEFORE_JOINED,
    DUE_SOON,
    EXEMPT_LEAVE,
    OVERDUE,
    CadreEvaluation,
    Evaluation,
    OwedReport,
    Policy,
    Reminder,
    UncountedDays,
    minimum_required,
    minimum_share,
)
from congtac12.vocab import (
    KIND_SHORT,
    KINDS,
    kind_name,
    kind_short,
    leave_reason_name,
    level_name,
    level_short,
)

if TYPE_CHECKING:
    from rich.console import Console

    from congtac12.store.queries import VisitRow

STATE_LABELS = {  # translated where shown: state_label()
    "met": N_("met"),
    "on_track": N_("on track"),
    "behind": N_("behind"),
    "not_met": N_("not met"),
    "exempt": N_("exempt"),
    "not_subject": N_("not subject"),
}


def state_label(state: str) -> str:
    return _(STATE_LABELS[state])


STATE_STYLES = {
    "met": "bold green",
    "on_track": "green",
    "behind": "yellow",
    "not_met": "bold red",
    "exempt": "dim",
    "not_subject": "dim",
}


def show_date(d: date | None) -> str:
    from congtac12.dates import show

    return show(d)


def mark(met: bool) -> str:
    return "✓" if met else "✗"


def pace_text(pace: Fraction | None) -> str:
    if pace is None:
        return _("no available day is left")
    from congtac12.i18n import current_language

    number = f"{float(pace):.1f}"
    if current_language() == "vi":
        number = number.replace(".", ",")  # Vietnamese writes a decimal comma
    return _("{pace} days/week").format(pace=number)


# --- JSON -------------------------------------------------------------------


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    return {
        "as_of": ev.as_of.isoformat(),
        "policy": policy_dict(ev.policy),
        "cadres": [cadre_dict(c) for c in ev.cadres],
    }


def _minimum_dict(field: str, slug: str, share: Fraction | None, days: int | None) -> dict[str, Any]:
    return {field: slug, "share": None if share is None else str(share), "days": days}


def policy_dict(p: Policy) -> dict[str, Any]:
    """A policy for ``--json``: its numbers, settings and assumptions."""
    first, last = p.years
    return {
        "id": p.id,
        "title": p.title,
        "source": p.source,
        "series": p.series,
        "year": p.year,
        "years": {"first": first, "last": last},
        "window": {"start": p.window_start.isoformat(), "end": p.window_end.isoformat()},
        "window_days": p.window_days,
        "min_days": p.min_days,
        "report_due_days": p.report_due_days,
        "content_minimums": [_minimum_dict("kind", m.kind, m.share, m.days) for m in p.content_minimums],
        "level_minimums": [_minimum_dict("level", m.level, m.share, m.days) for m in p.level_minimums],
        "pro_rating": {
            "enabled": p.pro_rating.enabled,
            "rounding": p.pro_rating.rounding,
            "leave_reasons": list(p.pro_rating.leave_reasons),
        },
        "exemptions": [{"reasons": list(e.reasons), "min_leave_days": e.min_leave_days} for e in p.exemptions],
        "assumptions": list(p.assumptions),
    }


def uncounted_dict(u: UncountedDays) -> dict[str, Any]:
    return {
        "visit": u.visit_id,
        "start": u.start.isoformat(),
        "end": u.end.isoformat(),
        "days": u.days,
        "reason": u.reason,
        "leave": u.leave_id,
        "leave_reason": u.leave_reason,
    }


def cadre_dict(c: CadreEvaluation) -> dict[str, Any]:
    a = c.availability
    return {
        "code": c.code,
        "name": c.name,
        "department": c.department,
        "subject": c.subject,
        "state": c.state,
        "exempt": c.exempt,
        "required_days": c.required_days,
        "days": c.days,
        "days_by_kind": dict(c.days_by_kind),
        "days_by_level": dict(c.days_by_level),
        "checks": [{"rule": k.rule, "required": k.required, "actual": k.actual, "met": k.met} for k in c.checks],
        "reports": {
            "on_time": c.reports.on_time,
            "late": c.reports.late,
            "pending": c.reports.pending,
            "overdue": c.reports.overdue,
        },
        "availability": None
        if a is None
        else {
            "joined": iso(a.joined),
            "left": iso(a.left),
            "window_days": a.window_days,
            "service": {
                "start": iso(a.service_start),
                "end": iso(a.service_end),
                "days": a.service_days,
            },
            "leave_days": a.leave_days,
            "deducted_days": a.deducted_days,
            "available_days": a.available_days,
            "exemption_leave_days": list(a.exemption_days),
            "required_exact": str(a.exact_required),
        },
        "uncounted": [uncounted_dict(u) for u in c.uncounted],
        "elapsed_days": c.elapsed_days,
        "expected_days": c.expected_days,
        "days_left": c.days_left,
        "days_needed": c.days_needed,
        "pace_per_week": None if c.pace_per_week is None else round(float(c.pace_per_week), 2),
    }


# --- tables -----------------------------------------------------------------


def _table(*columns: str, title: str | None = None, caption: str | None = None):
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        title_style="bold",
        caption_justify="left",
        show_edge=False,
        padding=(0, 1, 0, 0),  # with the box's one-space separator: two spaces between columns
    )
    for column in columns:
        table.add_column(column)
    return table


def _check_cell(c: CadreEvaluation, rule: str) -> str:
    for check in c.checks:
        if check.rule == rule:
            return f"{check.actual}/{check.required} {mark(check.met)}"
    return "—"


def _state_cell(state: str) -> str:
    return f"[{STATE_STYLES[state]}]{state_label(state)}[/]"


def status_tables(console: Console, ev: Evaluation) -> None:
    """All cadres, one table per department."""
    from rich.markup import escape

    p = ev.policy
    kind_rules = [f"kind:{m.kind}" for m in p.content_minimums]
    level_rules = [f"level:{m.level}" for m in p.level_minimums]
    rules = kind_rules + level_rules
    console.print(
        f"[bold]{escape(p.title)}[/] — "
        + escape(
            _("window {start} to {end}, as of {as_of}").format(
                start=show_date(p.window_start), end=show_date(p.window_end), as_of=show_date(ev.as_of)
            )
        )
    )
    departments: dict[str, list[CadreEvaluation]] = {}
    for c in ev.cadres:
        departments.setdefault(c.department, []).append(c)
    code_width = max((len(c.code) for c in ev.cadres), default=4)
    name_width = max((len(c.name) for c in ev.cadres), default=4)
    for department, members in departments.items():
        table = _table(
            _("Code"),
            _("Name"),
            _("Days"),
            *(kind_short(r.split(":", 1)[1]) for r in kind_rules),
            *(level_short(r.split(":", 1)[1]) for r in level_rules),
            _("Reports"),
            _("State"),
            title=escape(department),
        )
        # The same widths in every department's table, so they read as one list.
        table.columns[0].min_width = max(4, code_width)
        table.columns[1].min_width = min(max(4, name_width), 14)
        table.columns[-1].min_width = max(len(state_label(s)) for s in STATE_LABELS)
        table.columns[-1].no_wrap = True
        for c in members:
            if not c.checks:  # not subject, or exempt
                cells = [str(c.days), *("—" for _rule in rules)]
            else:
                cells = [_check_cell(c, "min_days"), *(_check_cell(c, r) for r in rules)]
            r = c.reports
            table.add_row(
                escape(c.code),
                escape(c.name),
                *cells,
                f"{r.on_time}/{r.late}/{r.pending}/{r.overdue}",
                _state_cell(c.state),
            )
        console.print()
        console.print(table)
    console.print()
    console.print(_("Reports: on time/late/pending/overdue. Days and content: actual/required."))
    _status_notes(console, ev)
    counts = {s: sum(1 for c in ev.cadres if c.state == s) for s in STATE_LABELS}
    console.print(
        _("{n} cadres: {counts}").format(
            n=len(ev.cadres),
            counts=", ".join(f"{n} {state_label(s)}" for s, n in counts.items() if n),
        )
    )


def _status_notes(console: Console, ev: Evaluation) -> None:
    """Who has a pro-rated requirement, who is exempt, whose visit days do not count."""
    from rich.markup import escape

    prorated = [c for c in ev.cadres if c.checks and c.availability is not None and not c.availability.full]
    exempt = [c for c in ev.cadres if c.subject and c.exempt]
    flagged = [c for c in ev.cadres if c.uncounted]
    if prorated:
        console.print(
            _("Pro-rated (joined, left or on leave): {list}.").format(
                list=", ".join(
                    _("{code} {required} of {min} days").format(
                        code=escape(c.code), required=c.required_days, min=ev.policy.min_days
                    )
                    for c in prorated
                )
            )
        )
    if exempt:
        console.print(
            _("Exempt: {list}.").format(list=", ".join(f"{escape(c.code)} ({_exempt_text(c.exempt)})" for c in exempt))
        )
    if flagged:
        console.print(
            _(
                "Visit days not counted (outside the service period or on leave): {list}; "
                "see 'status --cadre CODE --explain'."
            ).format(
                list=", ".join(
                    _("{code} {days} day(s)").format(code=escape(c.code), days=sum(u.days for u in c.uncounted))
                    for c in flagged
                )
            )
        )
    if prorated or exempt or flagged:
        console.print()


def _exempt_text(reason: str | None) -> str:
    if reason == EXEMPT_LEAVE:
        return _("leave reached the policy's threshold")
    return _("no available day in the window")


def cadre_detail(console: Console, ev: Evaluation, c: CadreEvaluation) -> None:
    """One cadre: checks, what is still missing, and the pace needed."""
    from rich.markup import escape

    p = ev.policy
    a = c.availability
    console.print(f"[bold]{escape(c.name)}[/] ({escape(c.code)}) — {escape(c.department)}")
    console.print(
        escape(
            _("{title}; window {start} to {end}; as of {as_of}").format(
                title=p.title, start=show_date(p.window_start), end=show_date(p.window_end), as_of=show_date(ev.as_of)
            )
        )
    )
    console.print(_("State: {state}").format(state=_state_cell(c.state)))
    if not c.subject:
        console.print(
            _("Not subject to the regime; {days} days at the base recorded in the window.").format(days=c.days)
        )
        return
    if c.exempt:
        console.print(
            _("Exempt ({why}); {days} days at the base recorded in the window.").format(
                why=_exempt_text(c.exempt), days=c.days
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
    table = _table(_("Check"), _("Required"), _("Actual"), _("Met"))
    for k in c.checks:
        table.add_row(_rule_label(k.rule), str(k.required), str(k.actual), mark(k.met))
    console.print(table)
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
            console.print("  • " + _("{n} report(s) late or overdue").format(n=k.actual))
        elif k.rule == "min_days":
            console.print("  • " + _("{n} more day(s) at the base").format(n=k.shortfall))
        else:
            console.print("  • " + _("{n} more day(s) of {what}").format(n=k.shortfall, what=_rule_label(k.rule)))
    if a is None or a.full:
        console.print(
            _("Pace line today: {expected} days ({required} × {elapsed}/{window} window days elapsed).").format(
                expected=c.expected_days, required=c.required_days, elapsed=c.elapsed_days, window=p.window_days
            )
        )
    else:
        console.print(
            _("Pace line today: {expected} days ({required} × {elapsed}/{available} available days elapsed).").format(
                expected=c.expected_days,
                required=c.required_days,
                elapsed=c.elapsed_days,
                available=a.available_days,
            )
        )
    if c.days_needed:
        console.print(
            _("Pace needed: {needed} day(s) in the {left} day(s) left = {pace}").format(
                needed=c.days_needed, left=c.days_left, pace=pace_text(c.pace_per_week)
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
    return _("visit {id}: {start} to {end}, {days} day(s) {why}").format(
        id=u.visit_id, start=show_date(u.start), end=show_date(u.end), days=u.days, why=why
    )


def _uncounted_lines(console: Console, c: CadreEvaluation) -> None:
    from rich.markup import escape

    if not c.uncounted:
        return
    console.print(_("Not counted:"))
    for u in c.uncounted:
        console.print(f"  • {escape(_uncounted_text(u, c))}")


# --- explain ----------------------------------------------------------------


def equals(x: Fraction) -> str:
    """``= 36``, ``= 7.2`` or ``≈ 30.196``: a figure as a person checks it."""
    if x.denominator == 1:
        return f"= {x.numerator}"
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d == 1:  # a finite decimal: shown exactly
        text = f"{float(x):.6f}".rstrip("0")
        if Fraction(text) == x:
            return f"= {text}"
    return f"≈ {float(x):.3f}"


def share_text(share: Fraction) -> str:
    """20% for a whole percentage, else the fraction (1/3, 30/60)."""
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{share.numerator}/{share.denominator}"


ROUNDING_TEXT = {  # translated where shown
    "half-up": N_("rounded to the nearest day, halves up"),
    "up": N_("rounded up"),
    "down": N_("rounded down"),
}


def explain_cadre(console: Console, ev: Evaluation, c: CadreEvaluation) -> None:
    """How each figure of one cadre was reached, with its numbers."""
    from rich.markup import escape

    p = ev.policy
    a = c.availability
    line = lambda text: console.print(escape(text))  # noqa: E731 - plain text, no markup
    line(_("{name} ({code}) — {department}").format(name=c.name, code=c.code, department=c.department))
    line(_("Policy {id}: {title}").format(id=p.id, title=p.title))
    line(_("Source: {source}").format(source=p.source))
    for assumption in p.assumptions:
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
            _("Service period: joined {joined}, left {left}; in the window {start} to {end} = {days} days.").format(
                joined=show_date(a.joined),
                left=show_date(a.left),
                start=show_date(a.service_start),
                end=show_date(a.service_end),
                days=a.service_days,
            )
        )
    if a.leave:
        line(_("Leave in that period:"))
        for leave, days in zip(a.leave, a.leave_each, strict=True):
            line(
                "  "
                + _("leave {id}, {reason}, {start} to {end}: {days} day(s) in it").format(
                    id=leave.id,
                    reason=leave.reason,
                    start=show_date(leave.start),
                    end=show_date(leave.end),
                    days=days,
                )
            )
        reasons = ", ".join(p.pro_rating.leave_reasons) or _("none")
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
        verdict = _("exempt") if days >= rule.min_leave_days else _("not exempt")
        sign = "≥" if days >= rule.min_leave_days else "<"
        line(
            _("Exemption: leave of {reasons}: {days} day(s) {sign} {threshold}: {verdict}.").format(
                reasons=", ".join(rule.reasons), days=days, sign=sign, threshold=rule.min_leave_days, verdict=verdict
            )
        )
    if not c.subject:
        line(_("Not subject to the regime: nothing is required."))
    elif c.exempt:
        line(_("Exempt ({why}): nothing is required.").format(why=_exempt_text(c.exempt)))
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
        parts = [_("{n} days short").format(n=c.checks[0].shortfall)]
        if p.content_minimums:
            parts.append(_("{n} content days short").format(n=c.content_days_short))
        if p.level_minimums:
            parts.append(_("{n} level days short").format(n=c.level_days_short))
        if c.days_needed == 0:
            pace = _("nothing more is needed")
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
    console.print(_("State: {state}").format(state=_state_cell(c.state)))


def _check_formula(p: Policy, c: CadreEvaluation, k) -> str:  # noqa: ANN001
    verdict = mark(k.met)
    if k.rule == "min_days":
        return _("{label}: required {required}, counted {actual} {mark}").format(
            label=_rule_label(k.rule), required=k.required, actual=k.actual, mark=verdict
        )
    if k.rule == "reports":
        return _("{label}: {actual} (must be 0) {mark}").format(
            label=_rule_label(k.rule), actual=k.actual, mark=verdict
        )
    slug = k.rule.split(":", 1)[1]
    minimums = p.content_minimums if k.rule.startswith("kind:") else p.level_minimums
    m = next(m for m in minimums if getattr(m, "kind", None) == slug or getattr(m, "level", None) == slug)
    share = minimum_share(m.share, m.days, p.min_days)
    if share is None:
        formula = _("{days} days").format(days=m.days)
    else:
        formula = _("ceil({share} × {required} {value}) = {need}").format(
            share=share_text(share) if m.share is not None else f"{m.days}/{p.min_days}",
            required=c.required_days,
            value=equals(share * c.required_days),
            need=k.required,
        )
    return _("{label}: {formula}, counted {actual} {mark}").format(
        label=_rule_label(k.rule), formula=formula, actual=k.actual, mark=verdict
    )


def _rule_label(rule: str) -> str:
    if rule == "min_days":
        return _("Days at the base")
    if rule == "reports":
        return _("Reports late or overdue")
    if rule.startswith("level:"):
        return level_name(rule.split(":", 1)[1])
    return kind_name(rule.split(":", 1)[1])


def cadres_table(console: Console, rows: Sequence[Any], *, show_active: bool = False) -> None:
    from rich.markup import escape

    # The service period only when someone has one: most rosters are whole-year.
    service = any(c.joined is not None or c.left is not None for c in rows)
    table = _table(
        _("Code"),
        _("Name"),
        _("Department"),
        _("Email"),
        _("Subject"),
        *([_("Service")] if service else []),
        *([_("Active")] if show_active else []),
    )
    for c in rows:
        period = []
        if service:
            both = c.joined is None and c.left is None
            period = ["—" if both else f"{show_date(c.joined)} – {show_date(c.left)}"]
        table.add_row(
            escape(c.code),
            escape(c.name),
            escape(c.department),
            escape(c.email or "—"),
            _("yes") if c.subject else _("no"),
            *period,
            *([_("yes") if c.deactivated_at is None else _("no")] if show_active else []),
        )
    console.print(table)


def units_table(console: Console, rows: Sequence[Any], parents: dict[int, str]) -> None:
    from rich.markup import escape

    table = _table(_("Name"), _("Level"), _("Parent"))
    for u in rows:
        table.add_row(escape(u.name), level_name(u.level), escape(parents.get(u.parent_id, "—")))
    console.print(table)


def visits_table(console: Console, rows: Sequence[Any], due_of) -> None:  # noqa: ANN001
    """Visits, oldest first. One cadre's visits get the name as a title instead of a column."""
    from rich.markup import escape

    cadres = {(v.cadre_code, v.cadre_name) for v in rows}
    one = next(iter(cadres)) if len(cadres) == 1 else None
    wide = console.width >= 120  # topics only where there is room; --json has them all
    # From and a day count rather than From and To: it fits 80 columns.
    unit, topic, days = _("Unit"), _("Topic"), _("Days")
    columns = [_("Id"), *([] if one else [_("Cadre")]), unit, _("From"), days, _("Kind"), _("Due"), _("Reported")]
    table = _table(*columns, *([topic] if wide else []), title=escape(f"{one[0]} {one[1]}") if one else None)
    for column in table.columns:
        # ids, codes and dates never break; the unit (and topic) wrap
        column.no_wrap = column.header not in (unit, topic)
        if column.header == unit:
            column.min_width = 12
        if column.header == days:
            column.justify = "right"
    for v in rows:
        table.add_row(
            str(v.id),
            *([] if one else [escape(v.cadre_code)]),
            escape(v.unit),
            show_date(v.start),
            str((v.end - v.start).days + 1),
            kind_short(v.kind),
            show_date(due_of(v.end)),
            show_date(v.reported_on),
            *([escape(v.topic or "")] if wide else []),
        )
    console.print(table)


# --- policies and leave -----------------------------------------------------


def _minimum_text(share: Fraction | None, days: int | None, min_days: int) -> str:
    if share is not None:
        return _("{share} of the required days ({need} of {min})").format(
            share=share_text(share), need=minimum_required(share, None, min_days, min_days), min=min_days
        )
    return _("{days} days").format(days=days)


def _window_text(p: Policy) -> str:
    first, last = p.years
    text = _("{start} to {end} ({days} days)").format(
        start=show_date(p.window_start), end=show_date(p.window_end), days=p.window_days
    )
    if last != first:
        text += " " + _("each year {first}–{last}").format(first=first, last=last)
    return text


def policies_table(console: Console, policies: Sequence[Policy], default: str) -> None:
    from rich.markup import escape

    from congtac12.policies import years_text

    table = _table(_("Id"), _("Years"), _("Window"), _("Days"), _("Minimums"))
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
    console.print(table)
    console.print(
        _(
            "* the default ({default}). Each preset cites its source and lists what it "
            "assumes: 'congtac12 policy show ID'."
        ).format(default=escape(default))
    )


def policy_detail(console: Console, p: Policy) -> None:
    from rich.markup import escape

    line = lambda text: console.print(escape(text))  # noqa: E731 - plain text, no markup
    console.print(f"[bold]{escape(p.id)}[/] — {escape(p.title)}")
    line(_("Source: {source}").format(source=p.source))
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
    for m in p.level_minimums:
        line(
            "  "
            + _("{level}: at least {what}").format(
                level=level_name(m.level), what=_minimum_text(m.share, m.days, p.min_days)
            )
        )
    line(_("Report due: {days} days after a trip's last day").format(days=p.report_due_days))
    r = p.pro_rating
    if r.enabled:
        line(
            _(
                "Pro-rating: {min} × available days ÷ {window} window days, {rounding}; leave deducted: {reasons}"
            ).format(
                min=p.min_days,
                window=p.window_days,
                rounding=_(ROUNDING_TEXT[r.rounding]),
                reasons=", ".join(r.leave_reasons) or _("none"),
            )
        )
    else:
        line(_("Pro-rating: off ({min} days for everyone in service)").format(min=p.min_days))
    for e in p.exemptions:
        line(
            _("Exempt when leave of {reasons} reaches {days} days in the window").format(
                reasons=", ".join(e.reasons), days=e.min_leave_days
            )
        )
    if p.assumptions:
        line(_("Assumed (not in the source):"))
        for text in p.assumptions:
            line(f"  • {text}")


def leave_table(console: Console, rows: Sequence[Any]) -> None:
    from rich.markup import escape

    table = _table(_("Id"), _("Cadre"), _("Name"), _("From"), _("To"), _("Days"), _("Reason"))
    for row in rows:
        table.add_row(
            str(row.id),
            escape(row.cadre_code),
            escape(row.cadre_name),
            show_date(row.start),
            show_date(row.end),
            str((row.end - row.start).days + 1),
            f"{row.reason} ({leave_reason_name(row.reason)})",
        )
    console.print(table)


# --- reports (báo cáo kết quả) ----------------------------------------------


def owed_reports_dict(as_of: date, owed: Sequence[OwedReport], rows: dict[int, VisitRow]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "visits": [
            {
                "visit_id": r.visit_id,
                "cadre": r.cadre,
                "name": rows[r.visit_id].cadre_name,
                "unit": rows[r.visit_id].unit,
                "start": rows[r.visit_id].start.isoformat(),
                "end": r.end.isoformat(),
                "kind": rows[r.visit_id].kind,
                "due": r.due.isoformat(),
                "reported_on": show_date(r.reported_on) if r.reported_on else None,
                "state": r.state,
                "days_late": r.days_late,
                "days_left": r.days_left,
            }
            for r in owed
        ],
    }


REPORT_STATE_LABELS = {
    "overdue": N_("overdue"),
    "pending": N_("pending"),
    "late": N_("late"),
    "on_time": N_("on time"),
}
REPORT_STATE_STYLES = {"overdue": "bold red", "pending": "yellow", "late": "red", "on_time": "green"}


def owed_reports_table(
    console: Console,
    as_of: date,
    owed: Sequence[OwedReport],
    rows: dict[int, VisitRow],
    *,
    cadre: tuple[str, str] | None = None,
) -> None:
    """One row per visit: unit, last day, due day, report date, state; the most urgent first.

    For one cadre (``cadre`` = (code, name)) the name is the title, not a column.
    """
    from rich.markup import escape

    title = _("Result reports as of {date}").format(date=show_date(as_of))
    if cadre is not None:
        title = f"{escape(cadre[0])} {escape(cadre[1])} — {title}"
    columns = [
        _("Visit"),
        *([] if cadre else [_("Cadre")]),
        _("Unit"),
        _("Last day"),
        _("Due"),
        _("Reported"),
        _("State"),
        _("Days"),
    ]
    table = _table(
        *columns, title=title, caption=_("Days: past the due day (late, overdue), or left until it (pending).")
    )
    unit_column = columns.index(_("Unit"))
    for i, column in enumerate(table.columns):
        column.no_wrap = i != unit_column  # only the unit wraps
    table.columns[unit_column].min_width = 12
    table.columns[-1].justify = "right"
    for r in owed:
        days = r.days_late if r.days_late is not None else r.days_left
        table.add_row(
            str(r.visit_id),
            *([] if cadre else [escape(r.cadre)]),
            escape(rows[r.visit_id].unit),
            show_date(r.end),
            show_date(r.due),
            show_date(r.reported_on),
            f"[{REPORT_STATE_STYLES[r.state]}]{_(REPORT_STATE_LABELS[r.state])}[/]",
            "" if days is None else str(days),
        )
    console.print(table)


def report_template(row: VisitRow, due: date, existing: str | None = None) -> str:
    """The text a cadre edits: the usual outline of a result report, prefilled with the trip.

    Lines starting with '#' are instructions and are left out of the report.
    """
    days = (row.end - row.start).days + 1
    when = row.start.strftime("%d/%m/%Y")
    if row.end != row.start:
        when += " – " + row.end.strftime("%d/%m/%Y")
    content = kind_name(row.kind) + (f": {row.topic}" if row.topic else "")
    header = [
        "# "
        + _("Result report of visit {id}: {code} {name}, due {due}.").format(
            id=row.id, code=row.cadre_code, name=row.cadre_name, due=show_date(due)
        ),
        "# " + _("Lines starting with '#' are left out. Save the file unchanged or empty to record nothing."),
        "",
    ]
    if existing is not None:
        return "\n".join([*header, existing.rstrip("\n")]) + "\n"
    outline = [
        _("Time: {when} ({days} day(s))").format(when=when, days=days),
        _("Place: {unit}").format(unit=row.unit),
        _("Content: {content}").format(content=content),
        "",
        _("Results:"),
        "",
        "",
        _("Proposals:"),
        "",
    ]
    return "\n".join(header + outline) + "\n"


def strip_comments(text: str) -> str:
    """A report's text from the edited template: without '#' lines, without surrounding blanks."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()


# --- reminders (nhắc báo cáo) -------------------------------------------------

# What ``remind --email`` did for a cadre's reminders, as shown in the listing and the digest.
DELIVERY_LABELS = {
    "sent": N_("reminded by email"),
    "dry_run": N_("would be reminded by email (dry run)"),
    "no_email": N_("no email address: not reminded"),
    "refused": N_("the address was refused: not reminded"),
    "not_sent": N_("not reminded: the run stopped on a mail error"),
}


@dataclass
class CadreReminders:
    """One cadre's reminders with the visits they are about, and what became of them."""

    code: str
    name: str
    email: str | None
    items: list[tuple[Reminder, VisitRow]] = field(default_factory=list)
    delivery: str | None = None  # a key of DELIVERY_LABELS once --email has acted


def group_reminders(found: Sequence[Reminder], rows: dict[int, VisitRow]) -> list[CadreReminders]:
    """Reminders (ordered by cadre) in one group per cadre."""
    groups: list[CadreReminders] = []
    for rem in found:
        row = rows[rem.visit_id]
        if not groups or groups[-1].code != rem.cadre:
            groups.append(CadreReminders(rem.cadre, row.cadre_name, row.cadre_email))
        groups[-1].items.append((rem, row))
    return groups


def reminders_dict(as_of: date, groups: Sequence[CadreReminders]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "items": [
            {
                "visit_id": rem.visit_id,
                "cadre": g.code,
                "name": g.name,
                "email": g.email,
                "unit": row.unit,
                "end": rem.end.isoformat(),
                "due": rem.due.isoformat(),
                "state": rem.state,
                "days": rem.days,
            }
            for g in groups
            for rem, row in g.items
        ],
    }


def reminder_text(rem: Reminder, *, since: bool = False) -> str:
    """ "overdue by 3 day(s)" (with ``since``: "overdue since 2020-10-26, 3 day(s)"), "due in 2 day(s)", "due today"."""
    if rem.state == OVERDUE and since:
        return _("overdue since {since}, {days} day(s)").format(
            days=rem.days, since=show_date(rem.due + timedelta(days=1))
        )
    if rem.state == OVERDUE:
        return _("overdue by {days} day(s)").format(days=rem.days)
    if rem.days == 0:
        return _("due today")
    return _("due in {days} day(s)").format(days=rem.days)


def reminder_counts(groups: Sequence[CadreReminders]) -> tuple[int, int]:
    """(overdue, due soon) over all groups."""
    states = [rem.state for g in groups for rem, _row in g.items]
    return states.count(OVERDUE), states.count(DUE_SOON)


def reminders_listing(as_of: date, ahead: int, groups: Sequence[CadreReminders]) -> str:
    """Plain text, grouped by cadre: what cron mails and what the digest says."""
    overdue, soon = reminder_counts(groups)
    lines = [
        _("Result reports owed as of {date}: {overdue} overdue, {soon} due within {ahead} day(s).").format(
            date=show_date(as_of), overdue=overdue, soon=soon, ahead=ahead
        )
    ]
    for g in groups:
        who = f"{g.code} {g.name}" + (f" <{g.email}>" if g.email else "")
        if g.delivery is not None:
            who += " — " + _(DELIVERY_LABELS[g.delivery])
        elif not g.email:
            who += " — " + _("no email address")
        lines += ["", who]
        for rem, row in g.items:
            lines.append(
                "  "
                + _("visit {id}: {unit}, ended {end}; report due {due}: {state}").format(
                    id=rem.visit_id,
                    unit=row.unit,
                    end=show_date(rem.end),
                    due=show_date(rem.due),
                    state=reminder_text(rem),
                )
            )
    return "\n".join(lines) + "\n"


# --- summaries (giao ban, year end) -------------------------------------------

KIND_LETTERS = {"chuyen-de": "C", "phoi-hop": "P", "kiem-tra": "K", "sinh-hoat": "S"}
KIND_STYLES = {"chuyen-de": "cyan", "phoi-hop": "green", "kiem-tra": "magenta", "sinh-hoat": "yellow"}


def day_first(d: date) -> str:
    """05/03/2020: how dates are written in text a clerk pastes into a report."""
    return d.strftime("%d/%m/%Y")


def _figures_dict(f: Any) -> dict[str, Any]:
    return {
        "department": f.department or None,
        "cadres": f.cadres,
        "subject": f.subject,
        "days": f.days,
        "days_by_kind": dict(f.days_by_kind),
        "days_so_far": f.days_so_far,
        "states": dict(f.states),
        "reports": dict(f.reports),
    }


def summary_dict(sm: Any, *, period: str) -> dict[str, Any]:
    """``summary --json``: the period, then per department, the total, and coverage."""
    ev = sm.evaluation
    return {
        "period": {"name": period, "first": sm.first.isoformat(), "last": sm.last.isoformat()},
        "as_of": ev.as_of.isoformat(),
        "policy": ev.policy.id,
        "trips": sm.trips,
        "departments": [_figures_dict(f) for f in sm.departments],
        "total": _figures_dict(sm.total),
        "coverage": [
            {"union": c.union, "level": c.level, "days": c.days, "cadres": c.cadres, "visits": c.visits}
            for c in sm.coverage
        ],
        "unvisited": list(sm.unvisited),
        "district_unions": sm.district_unions,
    }


def summary_tables(console: Console, sm: Any, *, period: str) -> None:
    """The briefing (giao ban): one row per department, then coverage by district-level union."""
    from rich.markup import escape

    from congtac12.i18n import _

    ev = sm.evaluation
    console.print(
        _("[bold]Briefing for {period}[/] — {policy}; days from {first} to {last}, states as of {as_of}").format(
            period=escape(period),
            policy=escape(ev.policy.title),
            first=show_date(sm.first),
            last=show_date(sm.last),
            as_of=show_date(ev.as_of),
        )
    )
    table = _table(
        _("Department"),
        _("Cadres"),
        _("Days"),
        *(KIND_LETTERS[k] for k in KINDS),
        _("So far"),
        _("Met"),
        _("On track"),
        _("Behind"),
        _("Not met"),
        _("Exempt"),
        _("Not subject"),
        _("Overdue"),
    )
    for column in table.columns[1:]:
        column.justify = "right"
    for f in (*sm.departments, sm.total):
        name = escape(f.department) if f.department else f"[bold]{_('All')}[/]"
        table.add_row(
            name,
            str(f.cadres),
            str(f.days),
            *(str(f.days_by_kind[k]) for k in KINDS),
            str(f.days_so_far),
            str(f.states["met"]),
            str(f.states["on_track"]),
            str(f.states["behind"]),
            str(f.states["not_met"]),
            str(f.states["exempt"]),
            str(f.states["not_subject"]),
            str(f.reports["overdue"]),
        )
    console.print(table)
    legend = ", ".join(f"{KIND_LETTERS[k]} {kind_name(k)}" for k in KINDS)
    console.print(
        _(
            "Days: in {period}, added up over cadres ({legend}). So far: in the window up to {as_of}. Overdue: reports."
        ).format(period=escape(period), legend=legend, as_of=show_date(ev.as_of))
        + " "
        + _("A day of two kinds counts once in Days and once for each kind, so the kinds may add up to more.")
    )
    coverage_table(console, sm, period=period)


def coverage_table(console: Console, sm: Any, *, period: str) -> None:
    from rich.markup import escape

    from congtac12.i18n import _

    console.print()
    table = _table(
        _("Union"),
        _("Days"),
        _("Cadres"),
        _("Visits"),
        title=_("Coverage in {period} (visits to base unions count for their district-level union)").format(
            period=escape(period)
        ),
    )
    for column in table.columns[1:]:
        column.justify = "right"
    for c in sm.coverage:
        table.add_row(escape(c.union), str(c.days), str(c.cadres), str(c.visits))
    console.print(table)
    if sm.unvisited:
        console.print(
            _("Not visited ({n} of {total} district-level unions): {names}").format(
                n=len(sm.unvisited), total=sm.district_unions, names=escape(", ".join(sm.unvisited))
            )
        )
    else:
        console.print(_("Every district-level union was visited."))


def summary_text(sm: Any, *, year: int) -> str:
    """The year-end summary as plain text a clerk can paste into a report."""
    from congtac12.i18n import _

    ev = sm.evaluation
    p = ev.policy
    t = sm.total
    subject = [c for c in ev.cadres if c.subject]
    minimums = "; ".join(
        _("{kind} at least {days} days").format(kind=kind_name(m.kind), days=m.required(p.min_days))
        for m in p.content_minimums
    )
    days = max(t.days, 1)
    by_kind = ", ".join(
        _("{kind} {days} days ({share}%)").format(
            kind=kind_name(k), days=f"{t.days_by_kind[k]:,}", share=f"{100 * t.days_by_kind[k] / days:.1f}"
        )
        for k in KINDS
    )
    visited = sm.district_unions - len(sm.unvisited)
    lines = [
        _(
            "Results of field work at the base under the 1+2 policy, {year}, up to {month:02d}/{month_year} (as of {as_of})"
        ).format(year=year, month=ev.as_of.month, month_year=ev.as_of.year, as_of=day_first(ev.as_of)),
        "",
        _(
            "{title}: from {start} to {end}, at least {min_days} days at the base ({minimums}); a result report within {due} days after each trip."
        ).format(
            title=p.title,
            start=day_first(p.window_start),
            end=day_first(p.window_end),
            min_days=p.min_days,
            minimums=minimums,
            due=p.report_due_days,
        ),
        "",
        "- "
        + _("{subject} cadres are subject to the regime ({all} on the roster, {not_subject} not subject).").format(
            subject=len(subject), all=t.cadres, not_subject=t.cadres - len(subject)
        ),
        "- "
        + _("From {first} to {last} they spent {days} days at the base in {trips} trips: {by_kind}.").format(
            first=day_first(sm.first),
            last=day_first(min(sm.last, ev.as_of)),
            days=f"{t.days:,}",
            trips=f"{sm.trips:,}",
            by_kind=by_kind,
        ),
        "  "
        + _("A day of two kinds counts for each of them, so the shares of the kinds may add up to more than 100%."),
        "- "
        + _(
            "Of the {cadres} cadres, {met} have met every requirement, {on_track} are on track, {behind} are behind, "
            "{not_met} did not meet it, {exempt} are exempt and {not_subject} are not subject."
        ).format(cadres=t.cadres, **t.states),
        "- "
        + _("Result reports: {on_time} on time, {late} late, {overdue} overdue, {pending} not yet due.").format(
            on_time=f"{t.reports['on_time']:,}",
            late=t.reports["late"],
            overdue=t.reports["overdue"],
            pending=t.reports["pending"],
        ),
        "- "
        + _("{visited} of the {total} district-level unions were visited.").format(
            visited=visited, total=sm.district_unions
        )
        + (" " + _("Not visited: {names}.").format(names=", ".join(sm.unvisited)) if sm.unvisited else ""),
        "",
        _("By department:"),
    ]
    for f in sm.departments:
        lines.append(
            "- "
            + _(
                "{department}: {cadres} cadres, {days} days; {met} met, {on_track} on track, {behind} behind, "
                "{not_met} not met, {exempt} exempt, {not_subject} not subject."
            ).format(department=f.department, cadres=f.cadres, days=f"{f.days:,}", **f.states)
        )
    if sm.coverage:
        lines += ["", _("Days at the base by district-level union (cadre-days, cadres):")]
        lines += [f"- {c.union}: {c.days:,}, {c.cadres}" for c in sm.coverage]
    return "\n".join(lines) + "\n"


# --- pictures -----------------------------------------------------------------


def month_chart(console: Console, bars: Sequence[Any], policy: Any) -> None:
    """A cadre's days month by month: a bar per month by kind, the month's pace as │."""
    from rich.text import Text

    from congtac12.i18n import _

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

    from congtac12.i18n import _

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
        line.append(" " + _("{n:>2} days").format(n=total))
        console.print(line)
    legend = ", ".join(f"{KIND_LETTERS[k]} {kind_name(k)}" for k in KINDS)
    console.print(
        _(
            "{legend}; + several kinds on one day; · a day of the window without a visit; "
            "dim: not counted (outside the window, before joining, after leaving or on leave)."
        ).format(legend=legend)
    )


# --- status as a sheet ---------------------------------------------------------


def status_sheet(ev: Evaluation) -> Any:
    """The compliance table, one row per cadre, for ``status --format xlsx|csv``."""
    from congtac12.exchange.files import Sheet
    from congtac12.exchange.spec import BOOL, DATE, INT, Column

    kinds = [m.kind for m in ev.policy.content_minimums]
    columns = [
        Column("code", "Mã", width=10),
        Column("name", "Họ và tên", width=28),
        Column("department", "Ban", width=34),
        Column("subject", "Thuộc diện", BOOL, width=11),
        Column("state", "Trạng thái", width=18),
        Column("days", "Số ngày", INT, width=9),
        Column("required_days", "Yêu cầu", INT, width=9),
        *(Column(f"days_{k}", KIND_SHORT[k], INT, width=11) for k in KINDS),
        *(Column(f"required_{k}", f"{KIND_SHORT[k]} yêu cầu", INT, width=11) for k in kinds),
        Column("reports_on_time", "Báo cáo đúng hạn", INT, width=10),
        Column("reports_late", "Báo cáo muộn", INT, width=10),
        Column("reports_pending", "Báo cáo chưa đến hạn", INT, width=10),
        Column("reports_overdue", "Báo cáo quá hạn", INT, width=10),
        Column("days_needed", "Còn thiếu (ngày)", INT, width=10),
        Column("as_of", "Tính đến ngày", DATE, width=12),
    ]
    rows = []
    for c in ev.cadres:
        required = {k.rule.split(":", 1)[1]: k.required for k in c.checks if k.rule.startswith("kind:")}
        rows.append(
            [
                c.code,
                c.name,
                c.department,
                c.subject,
                STATE_LABELS_VI[c.state],
                c.days,
                c.required_days,
                *(c.days_by_kind.get(k, 0) for k in KINDS),
                *(required.get(k, 0) for k in kinds),
                c.reports.on_time,
                c.reports.late,
                c.reports.pending,
                c.reports.overdue,
                c.days_needed,
                ev.as_of,
            ]
        )
    return Sheet("status", "Tình hình thực hiện", columns, rows)


# The states as the organisation department writes them (sheets handed up are Vietnamese).
STATE_LABELS_VI = {
    "met": "Đạt",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm tiến độ",
    "not_met": "Không đạt",
    "not_subject": "Không thuộc diện",
}


# --- changes and history ----------------------------------------------------

# Columns the history does not show in field-by-field lines (--json has them).
_QUIET_FIELDS = ("id", "created_at")


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def change_lines(changes: dict[str, tuple[Any, Any]]) -> list[str]:
    """``field: old → new``, one line per changed field."""
    return [
        _("{field}: {old} → {new}").format(field=field, old=_value_text(old), new=_value_text(new))
        for field, (old, new) in changes.items()
    ]


def _utc(at: Any) -> Any:

    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _local_time(at: Any) -> str:
    return _utc(at).astimezone().strftime("%Y-%m-%d %H:%M")


def item_lines(item: Any) -> list[str]:
    """One touched row: added, removed, or its changed fields."""
    what = f"{item.entity} {item.key}"
    if item.action == "insert":
        return [_("+ {what}").format(what=what)]
    if item.action == "delete":
        return [_("- {what}").format(what=what)]
    fields = {k: (o, n) for k, o, n in item.changed_fields() if k not in _QUIET_FIELDS}
    return [_("~ {what}: {change}").format(what=what, change=line) for line in change_lines(fields)]


MAX_ITEM_LINES = 12  # a change of thousands of rows (the demo) shows its first lines and a count


def history_text(console: Console, changes: Sequence[Any]) -> None:
    """Newest first: number, local time, who, action, summary, then each touched row."""
    if not changes:
        console.print(_("No changes recorded."), markup=False)
        return
    for change in changes:
        console.print(
            f"#{change.id}  {_local_time(change.at)}  {change.who}  {change.action}  {change.summary}",
            markup=False,
            soft_wrap=True,
        )
        lines = [line for item in change.items for line in item_lines(item)]
        for line in lines[:MAX_ITEM_LINES]:
            console.print("    " + line, markup=False, soft_wrap=True)
        if len(lines) > MAX_ITEM_LINES:
            console.print(
                "    " + _("… and {n} more line(s); --json shows them all").format(n=len(lines) - MAX_ITEM_LINES),
                markup=False,
            )


def change_dict(change: Any) -> dict[str, Any]:
    return {
        "id": change.id,
        "at": _utc(change.at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "who": change.who,
        "action": change.action,
        "summary": change.summary,
        "undoes": change.undoes,
        "items": [{"entity": i.entity, "key": i.key, "before": i.before, "after": i.after} for i in change.items],
    }


def problems_text(console: Console, report: Any) -> None:
    """``db check``: one line per problem, then a verdict."""
    for p in report.problems:
        console.print(f"✗ {p.check}: {p.detail}", markup=False, soft_wrap=True)
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    if report.problems:
        console.print(
            _("{n} problem(s) found ({counts} checked).").format(n=len(report.problems), counts=counts), markup=False
        )
    else:
        console.print(
            _("✓ integrity, foreign keys, visits, reports and trips: nothing wrong ({counts} checked).").format(
                counts=counts
            ),
            markup=False,
        )
