"""The one place that renders: Rich tables for people, dicts for ``--json``.

Takes results (an Evaluation, listing rows) and never queries. Rich is imported
inside the functions so that importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from congtac12.i18n import _
from congtac12.rules import CadreEvaluation, Evaluation
from congtac12.vocab import KIND_SHORT, KINDS, LEVELS

if TYPE_CHECKING:
    from rich.console import Console

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


def cadres_table(console: Console, rows: Sequence[Any], *, show_active: bool = False) -> None:
    from rich.markup import escape

    table = _table("Code", "Name", "Department", "Email", "Subject", *([_("Active")] if show_active else []))
    for c in rows:
        table.add_row(
            escape(c.code), escape(c.name), escape(c.department), escape(c.email or "—"),
            "yes" if c.subject else "no",
            *([_("yes") if c.deactivated_at is None else _("no")] if show_active else []),
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
    from datetime import timezone

    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


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
            markup=False, soft_wrap=True,
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
        "items": [
            {"entity": i.entity, "key": i.key, "before": i.before, "after": i.after} for i in change.items
        ],
    }


def problems_text(console: Console, report: Any) -> None:
    """``db check``: one line per problem, then a verdict."""
    for p in report.problems:
        console.print(f"✗ {p.check}: {p.detail}", markup=False, soft_wrap=True)
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    if report.problems:
        console.print(_("{n} problem(s) found ({counts} checked).").format(n=len(report.problems), counts=counts),
                      markup=False)
    else:
        console.print(
            _("✓ integrity, foreign keys, visits, reports and trips: nothing wrong ({counts} checked).").format(
                counts=counts
            ),
            markup=False,
        )
