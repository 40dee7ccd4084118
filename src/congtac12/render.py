"""The one place that renders: Rich tables for people, dicts for ``--json``.

Takes results (an Evaluation, listing rows) and never queries. Rich is imported
inside the functions so that importing this module costs nothing at start-up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

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
            period=escape(period), policy=escape(ev.policy.title), first=show_date(sm.first),
            last=show_date(sm.last), as_of=show_date(ev.as_of))
    )
    table = _table(
        _("Department"), _("Cadres"), _("Days"), *(KIND_LETTERS[k] for k in KINDS), _("So far"),
        _("Met"), _("On track"), _("Behind"), _("Not met"), _("Overdue"),
    )
    for column in table.columns[1:]:
        column.justify = "right"
    for f in (*sm.departments, sm.total):
        name = escape(f.department) if f.department else f"[bold]{_('All')}[/]"
        table.add_row(
            name, str(f.cadres), str(f.days), *(str(f.days_by_kind[k]) for k in KINDS),
            str(f.days_so_far), str(f.states["met"]), str(f.states["on_track"]),
            str(f.states["behind"]), str(f.states["not_met"]), str(f.reports["overdue"]),
        )
    console.print(table)
    legend = ", ".join(f"{KIND_LETTERS[k]} {KINDS[k]}" for k in KINDS)
    console.print(
        _("Days: in {period}, added up over cadres ({legend}). So far: in the window up to {as_of}. Overdue: reports.").format(
            period=escape(period), legend=legend, as_of=show_date(ev.as_of))
    )
    coverage_table(console, sm, period=period)


def coverage_table(console: Console, sm: Any, *, period: str) -> None:
    from rich.markup import escape

    from congtac12.i18n import _

    console.print()
    table = _table(_("Union"), _("Days"), _("Cadres"), _("Visits"),
                   title=_("Coverage in {period} (visits to base unions count for their district-level union)").format(period=escape(period)))
    for column in table.columns[1:]:
        column.justify = "right"
    for c in sm.coverage:
        table.add_row(escape(c.union), str(c.days), str(c.cadres), str(c.visits))
    console.print(table)
    if sm.unvisited:
        console.print(
            _("Not visited ({n} of {total} district-level unions): {names}").format(
                n=len(sm.unvisited), total=sm.district_unions, names=escape(", ".join(sm.unvisited)))
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
        _("{kind} at least {days} days").format(kind=KINDS[m.kind], days=m.required(p.min_days))
        for m in p.content_minimums
    )
    days = max(t.days, 1)
    by_kind = ", ".join(
        _("{kind} {days} days ({share}%)").format(
            kind=KINDS[k], days=f"{t.days_by_kind[k]:,}", share=f"{100 * t.days_by_kind[k] / days:.1f}")
        for k in KINDS
    )
    visited = sm.district_unions - len(sm.unvisited)
    lines = [
        _("Results of field work at the base under the 1+2 policy, {year}, up to {month:02d}/{month_year} (as of {as_of})").format(
            year=year, month=ev.as_of.month, month_year=ev.as_of.year, as_of=day_first(ev.as_of)),
        "",
        _("{title}: from {start} to {end}, at least {min_days} days at the base ({minimums}); a result report within {due} days after each trip.").format(
            title=p.title, start=day_first(p.window_start), end=day_first(p.window_end),
            min_days=p.min_days, minimums=minimums, due=p.report_due_days),
        "",
        "- " + _("{subject} cadres are subject to the regime ({all} on the roster, {not_subject} not subject).").format(
            subject=len(subject), all=t.cadres, not_subject=t.cadres - len(subject)),
        "- " + _("From {first} to {last} they spent {days} days at the base in {trips} trips: {by_kind}.").format(
            first=day_first(sm.first), last=day_first(min(sm.last, ev.as_of)), days=f"{t.days:,}",
            trips=f"{sm.trips:,}",
            by_kind=by_kind),
        "- " + _("{met} cadres have met every requirement, {on_track} are on track, {behind} are behind and {not_met} did not meet it.").format(
            met=t.states["met"], on_track=t.states["on_track"], behind=t.states["behind"],
            not_met=t.states["not_met"]),
        "- " + _("Result reports: {on_time} on time, {late} late, {overdue} overdue, {pending} not yet due.").format(
            on_time=f"{t.reports['on_time']:,}", late=t.reports["late"], overdue=t.reports["overdue"],
            pending=t.reports["pending"]),
        "- " + _("{visited} of the {total} district-level unions were visited.").format(
            visited=visited, total=sm.district_unions)
        + (" " + _("Not visited: {names}.").format(names=", ".join(sm.unvisited)) if sm.unvisited else ""),
        "",
        _("By department:"),
    ]
    for f in sm.departments:
        lines.append("- " + _("{department}: {cadres} cadres, {days} days; {met} met, {on_track} on track, {behind} behind, {not_met} not met.").format(
            department=f.department, cadres=f.cadres, days=f"{f.days:,}", met=f.states["met"],
            on_track=f.states["on_track"], behind=f.states["behind"], not_met=f.states["not_met"]))
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
    legend = "  ".join(f"[{KIND_STYLES[k]}]{KIND_LETTERS[k]}[/] {KIND_SHORT[k]}" for k in KINDS)
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
            " " + _("{days:>2} days, {cumulative:>3} so far (pace line {expected})").format(
                days=b.days, cumulative=b.cumulative, expected=b.expected)
        )
        console.print(line)


def calendar_map(
    console: Console, days: dict[date, tuple[str, ...]], *, year: int, months: Sequence[int],
    policy: Any, title: str,
) -> None:
    """A calendar heat map: a row per month, a column per day; a letter per kind, + for several."""
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
    legend = ", ".join(f"{KIND_LETTERS[k]} {KINDS[k]}" for k in KINDS)
    console.print(
        _("{legend}; + several kinds on one day; · a day of the window without a visit; dim: outside the window.").format(legend=legend)
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
        rows.append([
            c.code, c.name, c.department, c.subject, STATE_LABELS_VI[c.state], c.days,
            c.required_days, *(c.days_by_kind.get(k, 0) for k in KINDS),
            *(required.get(k, 0) for k in kinds),
            c.reports.on_time, c.reports.late, c.reports.pending, c.reports.overdue,
            c.days_needed, ev.as_of,
        ])
    return Sheet("status", "Tình hình thực hiện", columns, rows)


# The states as the organisation department writes them (sheets handed up are Vietnamese).
STATE_LABELS_VI = {
    "met": "Đạt",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm tiến độ",
    "not_met": "Không đạt",
    "not_subject": "Không thuộc diện",
}
