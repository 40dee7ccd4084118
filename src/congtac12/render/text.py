"""Text for people: the report template, reminder listings, the year-end summary, history and ``db check``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from congtac12.domain.fields import action_name, entity_count, entity_name, field_name, plan_state_name
from congtac12.domain.results import Reminder
from congtac12.domain.states import DUE_SOON, OVERDUE
from congtac12.domain.vocab import KINDS, kind_name, leave_reason_name, level_name
from congtac12.i18n import N_, _
from congtac12.render.formats import days_text, decimal, integer, plural
from congtac12.render.labels import DELIVERY_LABELS, as_utc, day_first, policy_texts, show_date, show_period

if TYPE_CHECKING:
    from rich.console import Console

    from congtac12.domain.owed import Verdict
    from congtac12.services.reports import RecordedReport, VisitReport
    from congtac12.store.rows import VisitRow


def report_template(row: VisitRow, due: date | None, existing: str | None = None) -> str:
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
        + (
            _("Result report of visit {id}: {code} {name}, due {due}.").format(
                id=row.id, code=row.cadre_code, name=row.cadre_name, due=show_date(due)
            )
            if due is not None
            else _("Result report of visit {id}: {code} {name}; none is owed (the visit counts no day).").format(
                id=row.id, code=row.cadre_code, name=row.cadre_name
            )
        ),
        "# " + _("Lines starting with '#' are left out. Save the file unchanged or empty to record nothing."),
        "",
    ]
    if existing is not None:
        return "\n".join([*header, existing.rstrip("\n")]) + "\n"
    outline = [
        _("Time: {when} ({days})").format(when=when, days=days_text(days)),
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


@dataclass
class CadreReminders:
    """One cadre's reminders with the visits they are about, and what became of them."""

    code: str
    name: str
    email: str | None
    items: list[tuple[Reminder, VisitRow]] = field(default_factory=list)
    delivery: str | None = None  # a key of DELIVERY_LABELS once --email has acted
    plans: list[Any] = field(default_factory=list)  # the plans mailed with them: (PlanReminder, PlanPerson)


def group_reminders(found: Sequence[Reminder], rows: dict[int, VisitRow]) -> list[CadreReminders]:
    """Reminders (ordered by cadre) in one group per cadre."""
    groups: list[CadreReminders] = []
    for rem in found:
        row = rows[rem.visit_id]
        if not groups or groups[-1].code != rem.cadre:
            groups.append(CadreReminders(rem.cadre, row.cadre_name, row.cadre_email))
        groups[-1].items.append((rem, row))
    return groups


def reminder_text(rem: Reminder, *, since: bool = False) -> str:
    """ "overdue by 3 days" (with ``since``: "overdue since 2020-10-26, 3 days"), "due in 1 day", "due today"."""
    if rem.state == OVERDUE and since:
        return _("overdue since {since}, {days}").format(
            days=days_text(rem.days), since=show_date(rem.due + timedelta(days=1))
        )
    if rem.state == OVERDUE:
        return _("overdue by {days}").format(days=days_text(rem.days))
    if rem.days == 0:
        return _("due today")
    return _("due in {days}").format(days=days_text(rem.days))


def reminder_counts(groups: Sequence[CadreReminders]) -> tuple[int, int]:
    """(overdue, due soon) over all groups."""
    states = [rem.state for g in groups for rem, _row in g.items]
    return states.count(OVERDUE), states.count(DUE_SOON)


def reminders_listing(as_of: date, ahead: int, groups: Sequence[CadreReminders]) -> str:
    """Plain text, grouped by cadre: what cron mails and what the digest says."""
    overdue, soon = reminder_counts(groups)
    lines = [
        _("Result reports owed as of {date}: {overdue} overdue, {soon} due within {ahead}.").format(
            date=show_date(as_of), overdue=overdue, soon=soon, ahead=days_text(ahead)
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
        _("{kind} {days} ({share}%)").format(
            kind=kind_name(k), days=days_text(t.days_by_kind[k]), share=decimal(100 * t.days_by_kind[k] / days, 1)
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
            title=policy_texts(p).title,
            start=day_first(p.window_start),
            end=day_first(p.window_end),
            min_days=p.min_days,
            minimums=minimums,
            due=p.report_due_days,
        ),
        "",
        "- "
        + plural(
            len(subject),
            N_("{n} cadre is subject to the regime ({all} on the roster, {not_subject} not subject)."),
            N_("{n} cadres are subject to the regime ({all} on the roster, {not_subject} not subject)."),
            all=t.cadres,
            not_subject=t.cadres - len(subject),
        ),
        "- "
        + _("From {first} to {last} they spent {days} at the base in {trips}: {by_kind}.").format(
            first=day_first(sm.first),
            last=day_first(min(sm.last, ev.as_of)),
            days=days_text(t.days),
            trips=plural(sm.trips, N_("{n} trip"), N_("{n} trips")),
            by_kind=by_kind,
        ),
        "  "
        + _("A day of two kinds counts for each of them, so the shares of the kinds may add up to more than 100%."),
        "- "
        + _(
            "Of {cadres}, {met} have met every requirement, {on_track} are on track, {behind} are behind, "
            "{not_met} did not meet it, {exempt} are exempt and {not_subject} are not subject."
        ).format(cadres=entity_count("cadre", t.cadres), **t.states),
        "- "
        + _("Result reports: {on_time} on time, {late} late, {overdue} overdue, {pending} not yet due.").format(
            on_time=integer(t.reports["on_time"]),
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
                "{department}: {cadres}, {days}; {met} met, {on_track} on track, {behind} behind, "
                "{not_met} not met, {exempt} exempt, {not_subject} not subject."
            ).format(
                department=f.department, cadres=entity_count("cadre", f.cadres), days=days_text(f.days), **f.states
            )
        )
    if sm.coverage:
        lines += ["", _("Days at the base by district-level union (cadre-days, cadres):")]
        lines += [f"- {c.union}: {integer(c.days)}, {integer(c.cadres)}" for c in sm.coverage]
    return "\n".join(lines) + "\n"


# Columns the history does not show in field-by-field lines (--json has them).
_QUIET_FIELDS = ("id", "created_at")


_DATE_FIELDS = ("start", "end", "joined", "left", "reported_on", "sent_on")
_NAMED_VALUES = {"kind": kind_name, "level": level_name, "reason": leave_reason_name, "state": plan_state_name}


def _value_text(value: Any, field: str = "") -> str:
    """A field's value as a person reads it: dates by language, kinds and reasons by name, never a slug."""
    from datetime import date, datetime

    if value is None or value == "":
        return "—"
    if isinstance(value, str) and (field in _DATE_FIELDS or field.endswith("_at")):
        try:  # the history keeps dates as ISO text
            value = datetime.fromisoformat(value) if field.endswith("_at") else date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return show_date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in _NAMED_VALUES and isinstance(value, str):
        return _NAMED_VALUES[field](value)
    return str(value)


def change_lines(changes: dict[str, tuple[Any, Any]]) -> list[str]:
    """``field: old → new``, one line per changed field, the field by its name ("last day", "ngày cuối")."""
    return [
        _("{field}: {old} → {new}").format(
            field=field_name(field), old=_value_text(old, field), new=_value_text(new, field)
        )
        for field, (old, new) in changes.items()
    ]


def local_time(at: Any) -> str:
    """A moment in local time: 2020-03-05 14:30, or 05/03/2020 14:30 in Vietnamese."""
    local = as_utc(at).astimezone()
    return f"{show_date(local.date())} {local:%H:%M}"


def item_lines(item: Any) -> list[str]:
    """One touched row: added, removed, or its changed fields."""
    what = f"{entity_name(item.entity)} {item.key}"
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
            f"#{change.id}  {local_time(change.at)}  {change.who}  {action_name(change.action)}  {change.summary}",
            markup=False,
            soft_wrap=True,
        )
        lines = [line for item in change.items for line in item_lines(item)]
        for line in lines[:MAX_ITEM_LINES]:
            console.print("    " + line, markup=False, soft_wrap=True)
        if len(lines) > MAX_ITEM_LINES:
            console.print(
                "    "
                + plural(
                    len(lines) - MAX_ITEM_LINES,
                    N_("… and {n} more line; --json shows them all"),
                    N_("… and {n} more lines; --json shows them all"),
                ),
                markup=False,
            )


def problems_text(console: Console, report: Any) -> None:
    """``db check``: one line per problem, then a verdict."""
    for p in report.problems:
        console.print(f"✗ {p.detail}", markup=False, soft_wrap=True)
    counts = ", ".join(entity_count(what, n) for what, n in report.counts.items())
    if report.problems:
        console.print(
            plural(
                len(report.problems),
                N_("{n} problem found ({counts} checked)."),
                N_("{n} problems found ({counts} checked)."),
                counts=counts,
            ),
            markup=False,
        )
    else:
        console.print(
            _("✓ integrity, foreign keys, visits, reports and trips: nothing wrong ({counts} checked).").format(
                counts=counts
            ),
            markup=False,
        )


def verdict_text(v: Verdict) -> str:
    """``on time`` or ``late by 3 days``: a recorded report against its due day."""
    return _("on time") if v.on_time else _("late by {days}").format(days=days_text(v.days_late))


def recorded_report_text(r: RecordedReport) -> str:
    if r.verdict is None:
        message = (
            _("Replaced the report of visit {id}, dated {on}; the visit counts no day, so none was owed (no verdict).")
            if r.replaced
            else _(
                "Recorded the report of visit {id}, dated {on}; the visit counts no day, so none was owed (no verdict)."
            )
        )
        return message.format(id=r.visit_id, on=show_date(r.reported_on) if r.reported_on else "")
    message = (
        _("Replaced the report of visit {id}, dated {on}: {verdict} (due {due}).")
        if r.replaced
        else _("Recorded the report of visit {id}, dated {on}: {verdict} (due {due}).")
    )
    v = r.verdict
    return message.format(id=r.visit_id, on=show_date(v.reported_on), verdict=verdict_text(v), due=show_date(v.due))


def visit_report_lines(r: VisitReport) -> list[str]:
    """``report show``: the visit, then the report's date and verdict (the text follows them)."""
    row, v = r.visit, r.verdict
    judged = (
        _("Report dated {on}: {verdict} (due {due}).").format(
            on=show_date(v.reported_on), verdict=verdict_text(v), due=show_date(v.due)
        )
        if v is not None
        else _("Report dated {on}; none was owed: the visit counts no day (no verdict).").format(
            on=show_date(r.reported_on)
        )
    )
    return [
        _("Visit {id}: {code} {name} at {unit}, {when} ({kind}).").format(
            id=row.id,
            code=row.cadre_code,
            name=row.cadre_name,
            unit=row.unit,
            when=show_period(row.start, row.end),
            kind=kind_name(row.kind),
        ),
        judged,
    ]
