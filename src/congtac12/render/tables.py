"""Rich tables for people: status, listings, policies, leave, reports and summaries.

Rich is imported inside the functions so that importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from congtac12.domain.vocab import KINDS, kind_name, kind_short, leave_reason_name, level_name, level_short
from congtac12.i18n import N_, _
from congtac12.render.fit import fits, print_table
from congtac12.render.formats import days_text, plural
from congtac12.render.labels import (
    CADRE_STATES,
    KIND_LETTERS,
    exempt_text,
    mark,
    policy_texts,
    report_state_cell,
    show_date,
    state_cell,
    state_label,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from congtac12.domain.results import CadreEvaluation, Evaluation, OwedReport
    from congtac12.store.rows import VisitRow


def rich_table(*columns: str, title: str | None = None, caption: str | None = None) -> Table:
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


def outlook_cell(o: Any) -> str:
    """Record + plan in the status table (``domain.plans.PlanOutlook``; None: no plan check)."""
    if o is None:
        return "—"
    if o.enough:
        return f"+{o.planned.total} [green]{_('enough')}[/]"
    return f"+{o.planned.total} [yellow]{_('{n} short').format(n=o.short_days)}[/]"


def _status_table(
    department: str,
    members: list[CadreEvaluation],
    ev: Evaluation,
    widths: tuple[int, int],
    plans: dict[str, Any] | None,
    *,
    beside: bool,
) -> Table:
    """One department's status table; ``plans`` given: the plan in a column of its own (``beside``)
    or on the lines under each cadre's state (a narrow terminal)."""
    from rich.markup import escape

    p = ev.policy
    kind_rules = [f"kind:{m.kind}" for m in p.content_minimums]
    level_rules = [f"level:{m.level}" for m in p.level_minimums]
    rules = kind_rules + level_rules
    under = plans is not None and not beside
    table = rich_table(
        _("Code"),
        _("Name"),
        _("Days"),
        *(kind_short(r.split(":", 1)[1]) for r in kind_rules),
        *(level_short(r.split(":", 1)[1]) for r in level_rules),
        _("Reports"),
        *([_("Plan")] if plans is not None and beside else []),
        f"{_('State')}\n{_('Plan')}" if under else _("State"),
        title=escape(department),
    )
    # The same widths in every department's table, so they read as one list.
    code_width, name_width = widths
    table.columns[0].min_width = max(4, code_width)
    table.columns[1].min_width = min(max(4, name_width), 14)
    table.columns[-1].min_width = max(len(state_label(s)) for s in CADRE_STATES)
    table.columns[-1].no_wrap = not under  # the state with its plan breaks between words
    for column in table.columns[2 : 3 + len(rules) + 1]:  # figures: "3/12 ✗" never broken in two
        column.no_wrap = True
    for c in members:
        if not c.checks:  # not subject, or exempt
            cells = [str(c.days), *("—" for _rule in rules)]
        else:
            cells = [_check_cell(c, "min_days"), *(_check_cell(c, r) for r in rules)]
        r = c.reports
        outlook = [outlook_cell(plans.get(c.code))] if plans is not None else []
        table.add_row(
            escape(c.code),
            escape(c.name),
            *cells,
            f"{r.on_time}/{r.late}/{r.pending}/{r.overdue}",
            *(outlook if beside else []),
            "\n".join([state_cell(c.state), *outlook]) if under else state_cell(c.state),
        )
    return table


def status_tables(console: Console, ev: Evaluation, *, plans: dict[str, Any] | None = None) -> None:
    """All cadres, one table per department; ``plans`` (code -> ``domain.plans.PlanOutlook``):
    a column of record + plan, shown when any plan is recorded (under each state when the width
    leaves no room for that column)."""
    from rich.markup import escape

    p = ev.policy
    console.print(
        f"[bold]{escape(policy_texts(p).title or p.title)}[/] — "
        + escape(
            _("window {start} to {end}, as of {as_of}").format(
                start=show_date(p.window_start), end=show_date(p.window_end), as_of=show_date(ev.as_of)
            )
        )
    )
    departments: dict[str, list[CadreEvaluation]] = {}
    for c in ev.cadres:
        departments.setdefault(c.department, []).append(c)
    widths = (max((len(c.code) for c in ev.cadres), default=4), max((len(c.name) for c in ev.cadres), default=4))
    tables = [_status_table(d, members, ev, widths, plans, beside=True) for d, members in departments.items()]
    if plans is not None and not all(fits(console, t) for t in tables):
        # Too narrow for a column of its own (60 columns, long names): the plan goes under the state,
        # in every department's table alike, rather than one block per cadre.
        tables = [_status_table(d, members, ev, widths, plans, beside=False) for d, members in departments.items()]
    for table in tables:
        console.print()
        print_table(console, table)
    console.print()
    console.print(_("Reports: on time/late/pending/overdue. Days and content: actual/required."))
    if plans is not None:
        console.print(
            _("Plan: days planned ahead (approved, not yet done), and whether record + plan reach every minimum.")
        )
    _status_notes(console, ev)
    counts = {s: sum(1 for c in ev.cadres if c.state == s) for s in CADRE_STATES}
    console.print(
        plural(
            len(ev.cadres),
            N_("{n} cadre: {counts}"),
            N_("{n} cadres: {counts}"),
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
            _("Exempt: {list}.").format(list=", ".join(f"{escape(c.code)} ({exempt_text(c.exempt)})" for c in exempt))
        )
    if flagged:
        console.print(
            _(
                "Visit days not counted (outside the service period or on leave): {list}; "
                "see 'status --cadre CODE --explain'."
            ).format(
                list=", ".join(
                    _("{code} {days}").format(code=escape(c.code), days=days_text(sum(u.days for u in c.uncounted)))
                    for c in flagged
                )
            )
        )
    if prorated or exempt or flagged:
        console.print()


def cadres_table(console: Console, rows: Sequence[Any], *, show_active: bool = False) -> None:
    from rich.markup import escape

    # The service period only when someone has one: most rosters are whole-year.
    service = any(c.joined is not None or c.left is not None for c in rows)
    table = rich_table(
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
    print_table(console, table)


def units_table(console: Console, rows: Sequence[Any], parents: dict[int, str]) -> None:
    from rich.markup import escape

    table = rich_table(_("Name"), _("Level"), _("Parent"))
    for u in rows:
        table.add_row(escape(u.name), level_name(u.level), escape(parents.get(u.parent_id, "—")))
    print_table(console, table)


def visits_table(console: Console, rows: Sequence[Any], due: dict[int, Any], counted: dict[int, int | None]) -> None:
    """Visits, oldest first: first and last day, the trip's length, the days it counts.

    One cadre's visits get the name as a title instead of a column. ``due`` and
    ``counted`` map a visit's id to its report's due day and the days it counts
    in its policy's window (None: no policy covers its year).
    """
    from rich.markup import escape

    cadres = {(v.cadre_code, v.cadre_name) for v in rows}
    one = next(iter(cadres)) if len(cadres) == 1 else None
    wide = console.width >= 140  # topics only where there is room; --json has them all
    unit, topic, days, counts = _("Unit"), _("Topic"), _("Days"), _("Counted")
    columns = [
        _("Id"),
        *([] if one else [_("Cadre")]),
        unit,
        _("From"),
        _("To"),
        days,
        counts,
        _("Kind"),
        _("Due"),
        _("Reported"),
    ]
    table = rich_table(*columns, *([topic] if wide else []), title=escape(f"{one[0]} {one[1]}") if one else None)
    for column in table.columns:
        # ids, codes and dates never break; the unit (and topic) wrap
        column.no_wrap = column.header not in (unit, topic)
        if column.header == unit:
            column.min_width = 12
        if column.header in (days, counts):
            column.justify = "right"
    for v in rows:
        n = counted.get(v.id)
        table.add_row(
            str(v.id),
            *([] if one else [escape(v.cadre_code)]),
            escape(v.unit),
            show_date(v.start),
            show_date(v.end),
            str((v.end - v.start).days + 1),
            "—" if n is None else str(n),
            kind_short(v.kind),
            show_date(due.get(v.id)),
            show_date(v.reported_on),
            *([escape(v.topic or "")] if wide else []),
        )
    print_table(console, table)


def leave_table(console: Console, rows: Sequence[Any]) -> None:
    from rich.markup import escape

    table = rich_table(_("Id"), _("Cadre"), _("Name"), _("From"), _("To"), _("Days"), _("Reason"))
    for row in rows:
        table.add_row(
            str(row.id),
            escape(row.cadre_code),
            escape(row.cadre_name),
            show_date(row.start),
            show_date(row.end),
            str((row.end - row.start).days + 1),
            leave_reason_name(row.reason),  # its name, which is also accepted as input
        )
    print_table(console, table)


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
    table = rich_table(
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
            report_state_cell(r.state),
            "" if days is None else str(days),
        )
    print_table(console, table)


def summary_tables(console: Console, sm: Any, *, period: str) -> None:
    """The briefing (giao ban): one row per department, then coverage by district-level union."""
    from rich.markup import escape

    from congtac12.i18n import _

    ev = sm.evaluation
    console.print(
        _("[bold]Briefing for {period}[/] — {policy}; days from {first} to {last}, states as of {as_of}").format(
            period=escape(period),
            policy=escape(policy_texts(ev.policy).title or ev.policy.title),
            first=show_date(sm.first),
            last=show_date(sm.last),
            as_of=show_date(ev.as_of),
        )
    )
    table = rich_table(
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
    print_table(console, table)
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
    table = rich_table(
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
    print_table(console, table)
    if sm.unvisited:
        console.print(
            _("Not visited ({n} of {total} district-level unions): {names}").format(
                n=len(sm.unvisited), total=sm.district_unions, names=escape(", ".join(sm.unvisited))
            )
        )
    else:
        console.print(_("Every district-level union was visited."))
