"""The one place that renders: Rich tables for people, dicts for ``--json``.

Takes results (an Evaluation, listing rows) and never queries. Rich is imported
inside the functions so that importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from congtac12.i18n import N_, _
from congtac12.rules import DUE_SOON, OVERDUE, CadreEvaluation, Evaluation, OwedReport, Reminder
from congtac12.vocab import KIND_SHORT, KINDS, LEVELS

if TYPE_CHECKING:
    from rich.console import Console

    from congtac12.store.queries import VisitRow

STATE_LABELS = {
    "met": "met",
    "on_track": "on track",
    "behind": "behind",
    "not_met": "not met",
    "not_subject": "not subject",
}
STATE_STYLES = {
    "met": "bold green",
    "on_track": "green",
    "behind": "yellow",
    "not_met": "bold red",
    "not_subject": "dim",
}


def show_date(d: date | None) -> str:
    return d.isoformat() if d is not None else "—"


def mark(met: bool) -> str:
    return "✓" if met else "✗"


def pace_text(pace: Fraction | None) -> str:
    if pace is None:
        return "the window has ended"
    return f"{float(pace):.1f} days/week"


# --- JSON -------------------------------------------------------------------


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    p = ev.policy
    return {
        "as_of": ev.as_of.isoformat(),
        "policy": {
            "id": p.id,
            "title": p.title,
            "window": {"start": p.window_start.isoformat(), "end": p.window_end.isoformat()},
            "min_days": p.min_days,
            "report_due_days": p.report_due_days,
        },
        "cadres": [cadre_dict(c) for c in ev.cadres],
    }


def cadre_dict(c: CadreEvaluation) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "department": c.department,
        "subject": c.subject,
        "state": c.state,
        "required_days": c.required_days,
        "days": c.days,
        "days_by_kind": dict(c.days_by_kind),
        "checks": [
            {"rule": k.rule, "required": k.required, "actual": k.actual, "met": k.met}
            for k in c.checks
        ],
        "reports": {
            "on_time": c.reports.on_time,
            "late": c.reports.late,
            "pending": c.reports.pending,
            "overdue": c.reports.overdue,
        },
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
        title=title, caption=caption, box=box.SIMPLE_HEAD, title_justify="left",
        title_style="bold", caption_justify="left", show_edge=False,
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
    return f"[{STATE_STYLES[state]}]{STATE_LABELS[state]}[/]"


def status_tables(console: Console, ev: Evaluation) -> None:
    """All cadres, one table per department."""
    from rich.markup import escape

    p = ev.policy
    kind_rules = [f"kind:{m.kind}" for m in p.content_minimums]
    console.print(
        f"[bold]{escape(p.title)}[/] — window {show_date(p.window_start)} to "
        f"{show_date(p.window_end)}, as of {show_date(ev.as_of)}"
    )
    departments: dict[str, list[CadreEvaluation]] = {}
    for c in ev.cadres:
        departments.setdefault(c.department, []).append(c)
    code_width = max((len(c.code) for c in ev.cadres), default=4)
    name_width = max((len(c.name) for c in ev.cadres), default=4)
    for department, members in departments.items():
        table = _table(
            "Code", "Name", "Days",
            *(KIND_SHORT[r.split(":", 1)[1]] for r in kind_rules),
            "Reports", "State",
            title=escape(department),
        )
        # The same widths in every department's table, so they read as one list.
        table.columns[0].min_width = max(4, code_width)
        table.columns[1].min_width = min(max(4, name_width), 14)
        table.columns[-1].min_width = max(len(label) for label in STATE_LABELS.values())
        table.columns[-1].no_wrap = True
        for c in members:
            if not c.subject:
                cells = [str(c.days), *("—" for _ in kind_rules)]
            else:
                cells = [_check_cell(c, "min_days"), *(_check_cell(c, r) for r in kind_rules)]
            r = c.reports
            table.add_row(
                escape(c.code), escape(c.name), *cells,
                f"{r.on_time}/{r.late}/{r.pending}/{r.overdue}", _state_cell(c.state),
            )
        console.print()
        console.print(table)
    console.print()
    console.print("Reports: on time/late/pending/overdue. Days and content: actual/required.")
    counts = {s: sum(1 for c in ev.cadres if c.state == s) for s in STATE_LABELS}
    console.print(
        f"{len(ev.cadres)} cadres: "
        + ", ".join(f"{n} {STATE_LABELS[s]}" for s, n in counts.items() if n)
    )


def cadre_detail(console: Console, ev: Evaluation, c: CadreEvaluation) -> None:
    """One cadre: checks, what is still missing, and the pace needed."""
    from rich.markup import escape

    p = ev.policy
    console.print(f"[bold]{escape(c.name)}[/] ({escape(c.code)}) — {escape(c.department)}")
    console.print(
        f"{escape(p.title)}; window {show_date(p.window_start)} to {show_date(p.window_end)}; "
        f"as of {show_date(ev.as_of)}"
    )
    console.print(f"State: {_state_cell(c.state)}")
    if not c.subject:
        console.print(f"Not subject to the regime; {c.days} days at the base recorded in the window.")
        return
    table = _table("Check", "Required", "Actual", "Met")
    for k in c.checks:
        table.add_row(_rule_label(k.rule), str(k.required), str(k.actual), mark(k.met))
    console.print(table)
    by_kind = ", ".join(f"{KINDS[k]} {n}" for k, n in c.days_by_kind.items())
    console.print(f"Days by kind: {by_kind}")
    r = c.reports
    console.print(
        f"Reports: {r.on_time} on time, {r.late} late, {r.pending} pending, {r.overdue} overdue"
    )
    if not c.missing:
        console.print("Nothing is missing.")
        return
    console.print("Still missing:")
    for k in c.missing:
        if k.rule == "reports":
            console.print(f"  • {k.actual} report(s) late or overdue")
        elif k.rule == "min_days":
            console.print(f"  • {k.shortfall} more day(s) at the base")
        else:
            console.print(f"  • {k.shortfall} more day(s) of {_rule_label(k.rule)}")
    console.print(
        f"Pace line today: {c.expected_days} days ({p.min_days} × {c.elapsed_days}/"
        f"{p.window_days} window days elapsed)."
    )
    if c.days_needed:
        console.print(
            f"Pace needed: {c.days_needed} day(s) in the {c.days_left} day(s) left = "
            f"{pace_text(c.pace_per_week)}"
        )


def _rule_label(rule: str) -> str:
    if rule == "min_days":
        return "Days at the base"
    if rule == "reports":
        return "Reports late or overdue"
    return KINDS.get(rule.split(":", 1)[1], rule)


def cadres_table(console: Console, rows: Sequence[Any]) -> None:
    from rich.markup import escape

    table = _table("Code", "Name", "Department", "Email", "Subject")
    for c in rows:
        table.add_row(
            escape(c.code), escape(c.name), escape(c.department), escape(c.email or "—"),
            "yes" if c.subject else "no",
        )
    console.print(table)


def units_table(console: Console, rows: Sequence[Any], parents: dict[int, str]) -> None:
    from rich.markup import escape

    table = _table("Name", "Level", "Parent")
    for u in rows:
        table.add_row(escape(u.name), LEVELS.get(u.level, u.level), escape(parents.get(u.parent_id, "—")))
    console.print(table)


def visits_table(console: Console, rows: Sequence[Any], due_of) -> None:  # noqa: ANN001
    """Visits, oldest first. One cadre's visits get the name as a title instead of a column."""
    from rich.markup import escape

    cadres = {(v.cadre_code, v.cadre_name) for v in rows}
    one = next(iter(cadres)) if len(cadres) == 1 else None
    wide = console.width >= 120  # topics only where there is room; --json has them all
    # From and a day count rather than From and To: it fits 80 columns.
    columns = ["Id", *([] if one else ["Cadre"]), "Unit", "From", "Days", "Kind", "Due", "Reported"]
    table = _table(*columns, *(["Topic"] if wide else []),
                   title=escape(f"{one[0]} {one[1]}") if one else None)
    for column in table.columns:
        # ids, codes and dates never break; the unit (and topic) wrap
        column.no_wrap = column.header not in ("Unit", "Topic")
        if column.header == "Unit":
            column.min_width = 12
        if column.header == "Days":
            column.justify = "right"
    for v in rows:
        table.add_row(
            str(v.id), *([] if one else [escape(v.cadre_code)]), escape(v.unit),
            show_date(v.start), str((v.end - v.start).days + 1), KIND_SHORT.get(v.kind, v.kind),
            show_date(due_of(v.end)), show_date(v.reported_on),
            *([escape(v.topic or "")] if wide else []),
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
    "overdue": N_("overdue"), "pending": N_("pending"), "late": N_("late"), "on_time": N_("on time"),
}
REPORT_STATE_STYLES = {"overdue": "bold red", "pending": "yellow", "late": "red", "on_time": "green"}


def owed_reports_table(
    console: Console, as_of: date, owed: Sequence[OwedReport], rows: dict[int, VisitRow],
    *, cadre: tuple[str, str] | None = None,
) -> None:
    """One row per visit: unit, last day, due day, report date, state; the most urgent first.

    For one cadre (``cadre`` = (code, name)) the name is the title, not a column.
    """
    from rich.markup import escape

    title = _("Result reports as of {date}").format(date=show_date(as_of))
    if cadre is not None:
        title = f"{escape(cadre[0])} {escape(cadre[1])} — {title}"
    columns = [_("Visit"), *([] if cadre else [_("Cadre")]), _("Unit"), _("Last day"), _("Due"),
               _("Reported"), _("State"), _("Days")]
    table = _table(*columns, title=title,
                   caption=_("Days: past the due day (late, overdue), or left until it (pending)."))
    unit_column = columns.index(_("Unit"))
    for i, column in enumerate(table.columns):
        column.no_wrap = i != unit_column  # only the unit wraps
    table.columns[unit_column].min_width = 12
    table.columns[-1].justify = "right"
    for r in owed:
        days = r.days_late if r.days_late is not None else r.days_left
        table.add_row(
            str(r.visit_id), *([] if cadre else [escape(r.cadre)]), escape(rows[r.visit_id].unit),
            show_date(r.end), show_date(r.due), show_date(r.reported_on),
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
    content = KINDS.get(row.kind, row.kind) + (f": {row.topic}" if row.topic else "")
    header = [
        "# " + _("Result report of visit {id}: {code} {name}, due {due}.").format(
            id=row.id, code=row.cadre_code, name=row.cadre_name, due=show_date(due)),
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
    """"overdue by 3 day(s)" (with ``since``: "overdue since 2020-10-26, 3 day(s)"), "due in 2 day(s)", "due today"."""
    if rem.state == OVERDUE and since:
        return _("overdue since {since}, {days} day(s)").format(
            days=rem.days, since=show_date(rem.due + timedelta(days=1)))
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
        _("Result reports owed as of {date}: {overdue} overdue, {soon} due within {ahead} day(s).")
        .format(date=show_date(as_of), overdue=overdue, soon=soon, ahead=ahead)
    ]
    for g in groups:
        who = f"{g.code} {g.name}" + (f" <{g.email}>" if g.email else "")
        if g.delivery is not None:
            who += " — " + _(DELIVERY_LABELS[g.delivery])
        elif not g.email:
            who += " — " + _("no email address")
        lines += ["", who]
        for rem, row in g.items:
            lines.append("  " + _("visit {id}: {unit}, ended {end}; report due {due}: {state}").format(
                id=rem.visit_id, unit=row.unit, end=show_date(rem.end), due=show_date(rem.due),
                state=reminder_text(rem)))
    return "\n".join(lines) + "\n"
