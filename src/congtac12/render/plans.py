"""Plans (đăng ký) shown: the listing (table, JSON, sheet), and plan against record in status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from congtac12.dates import iso, show, show_month
from congtac12.domain.states import PLAN_MISSED_REMINDER, PLAN_STARTS_SOON
from congtac12.domain.vocab import KIND_SHORT, kind_short, level_short
from congtac12.i18n import N_, _
from congtac12.render.fit import print_table
from congtac12.render.formats import days_text, integer, plural
from congtac12.render.labels import DELIVERY_LABELS, PLAN_STATES_SHOWN

if TYPE_CHECKING:
    from rich.console import Console

    from congtac12.domain.facts import PlanFacts
    from congtac12.domain.plans import PlanOutlook, PlanReminder


def plan_state_label(state: str) -> str:
    return _(PLAN_STATES_SHOWN[state].label)


def plan_state_cell(state: str) -> str:
    return f"[{PLAN_STATES_SHOWN[state].style}]{plan_state_label(state)}[/]"


def period_text(p: PlanFacts) -> str:
    """When: "05/03/2020 – 06/03/2020", or "3 day(s) in 04/2020" for a month plan."""
    if p.days is not None:
        return _("{days} in {month}").format(days=days_text(p.days), month=show_month(p.start))
    if p.start == p.end:
        return show(p.start)
    return f"{show(p.start)} – {show(p.end)}"


def plan_dict(row: Any, state: str) -> dict[str, Any]:
    """One plan for --json: ISO dates, slugs; the same in every language."""
    p = row.facts
    return {
        "id": p.id,
        "cadre": p.cadre,
        "cadre_name": row.cadre_name,
        "department": row.department,
        "unit": p.unit,
        "level": p.level,
        "start": iso(p.start),
        "end": iso(p.end),
        "month": p.start.strftime("%Y-%m") if p.days is not None else None,
        "days": p.days if p.days is not None else (p.end - p.start).days + 1,
        "kind": p.kind,
        "topic": p.topic,
        "state": state,
        "recorded_state": p.state,
        "reason": row.reason,
        "decided_by": row.decided_by,
        "visit_id": p.visit_id,
    }


def plans_dict(listing: Any) -> dict[str, Any]:
    return {"as_of": iso(listing.as_of), "plans": [plan_dict(r, st) for r, st in listing.rows]}


def plans_table(console: Console, listing: Any, *, by_unit: bool = False) -> None:
    """The listing; ``by_unit`` (the receiving union's view): who comes, when, from which Ban."""
    from congtac12.render.tables import rich_table

    if not listing.rows:
        console.print(_("No plans."), markup=False)
        return
    title = _("Plans as of {as_of}").format(as_of=show(listing.as_of))
    if by_unit:
        table = rich_table(_("When"), _("Cadre"), _("Department"), _("Kind"), _("State"), _("Id"), title=title)
        for r, st in listing.rows:
            p = r.facts
            table.add_row(
                period_text(p),
                f"{p.cadre} {r.cadre_name}",
                r.department,
                kind_short(p.kind),
                plan_state_cell(st),
                str(p.id),
            )
    else:
        table = rich_table(_("Id"), _("Cadre"), _("Unit"), _("When"), _("Kind"), _("State"), _("Note"), title=title)
        for r, st in listing.rows:
            p = r.facts
            note = r.reason or (p.topic or "")
            if p.visit_id is not None:
                note = _("visit {id}").format(id=p.visit_id) + (f"; {note}" if note else "")
            table.add_row(str(p.id), p.cadre, p.unit, period_text(p), kind_short(p.kind), plan_state_cell(st), note)
    print_table(console, table)


def plan_sheet(listing: Any) -> Any:
    """The sheet the standing office approves: one row per plan (Vietnamese headers, as handed up)."""
    from congtac12.exchange.files import Sheet
    from congtac12.exchange.spec import DATE, INT, Column

    columns = [
        Column("id", "Số", INT, width=6),
        Column("cadre", "Mã cán bộ", width=10),
        Column("cadre_name", "Họ và tên", width=26),
        Column("department", "Ban", width=30),
        Column("unit", "Đơn vị", width=30),
        Column("start", "Từ ngày", DATE, width=12),
        Column("end", "Đến ngày", DATE, width=12),
        Column("days", "Số ngày", INT, width=8),
        Column("kind", "Nội dung", width=14),
        Column("topic", "Chủ đề", width=30),
        Column("state", "Trạng thái", width=14),
        Column("reason", "Lý do trả lại", width=24),
        Column("decided_by", "Người duyệt", width=16),
    ]
    rows: list[Sequence[Any]] = []
    for r, st in listing.rows:
        p = r.facts
        rows.append(
            [
                p.id,
                p.cadre,
                r.cadre_name,
                r.department,
                p.unit,
                p.start,
                p.end,
                p.days if p.days is not None else (p.end - p.start).days + 1,
                KIND_SHORT[p.kind],
                p.topic or "",
                PLAN_STATES_SHOWN[st].sheet,
                r.reason or "",
                r.decided_by or "",
            ]
        )
    return Sheet("plans", "Đăng ký đi cơ sở", columns, rows)


def unit_calendar_map(console: Console, listing: Any, *, year: int, months: Sequence[int], title: str) -> None:
    """A unit's calendar: a row per month, a column per day, the number of cadres registered to come
    that day (dated plans; a month plan has no days and is in the list only)."""
    import calendar as cal
    from datetime import date

    from rich.markup import escape
    from rich.text import Text

    coming: dict[date, set[str]] = {}
    for r, _st in listing.rows:
        p = r.facts
        if p.days is not None:
            continue
        d = p.start
        while d <= p.end:
            coming.setdefault(d, set()).add(p.cadre)
            d = date.fromordinal(d.toordinal() + 1)
    console.print(f"[bold]{escape(title)}[/]")
    header = Text("        ")
    for d in range(1, 32):
        header.append(f"{d:>2}" if d % 5 == 0 or d == 1 else "  ", style="dim")
    console.print(header)
    for month in months:
        line = Text(f"{month:02d}/{year} ")
        for d in range(1, 32):
            if d > cal.monthrange(year, month)[1]:
                line.append("  ")
                continue
            n = len(coming.get(date(year, month, d), ()))
            line.append(" ")
            line.append(str(n) if n < 10 else "+", style="bold black on green") if n else line.append("·", style="dim")
        console.print(line)
    console.print(_("A digit: the cadres registered to come that day (+ ten or more); · none."))


# --- status: plan against record --------------------------------------------------


def planned_dict(o: PlanOutlook | None) -> dict[str, Any] | None:
    """A cadre's ``planned`` figures in status --json (null: no plan check, exempt or not subject)."""
    if o is None:
        return None
    return {
        "days": o.planned.total,
        "days_by_kind": o.planned.by_kind,
        "days_by_level": o.planned.by_level,
        "plans": list(o.planned.plans),
        "enough": o.enough,
        "days_short": o.short_days,
    }


def with_planned(status: dict[str, Any], outlooks: dict[str, PlanOutlook]) -> dict[str, Any]:
    """status --json with each cadre's ``planned`` figures added (no other key changes)."""
    for c in status["cadres"]:
        c["planned"] = planned_dict(outlooks.get(c["code"]))
    return status


def outlook_text(o: PlanOutlook) -> str:
    """ "kế hoạch đủ" / "kế hoạch còn thiếu N ngày", with the days recorded and planned."""
    head = plural(
        o.recorded,
        N_("{n} day recorded, {planned} planned ahead"),
        N_("{n} days recorded, {planned} planned ahead"),
        planned=integer(o.planned.total),
    )
    if o.enough:
        return head + ": " + _("the plan is enough")
    return head + ": " + _("the plan is {days} short").format(days=days_text(o.short_days))


def coming_table(console: Console, plans: Sequence[PlanFacts], o: PlanOutlook | None) -> None:
    """status --cadre: the coming planned trips, and record + plan against the minimums."""
    from congtac12.render.tables import rich_table

    if o is not None:
        console.print(_("Plan: {text}.").format(text=outlook_text(o)), markup=False)
    if not plans:
        return
    table = rich_table(_("Id"), _("Unit"), _("When"), _("Kind"), _("Level"), title=_("Coming planned trips"))
    for p in plans:
        table.add_row(str(p.id), p.unit, period_text(p), kind_short(p.kind), level_short(p.level) if p.level else "—")
    print_table(console, table)


# --- remind: the plans starting soon or missed, and those awaiting approval -----------------


def plan_reminder_text(rem: PlanReminder) -> str:
    """ "starts in 2 days", "starts today", "missed: no visit recorded, last day 12 days ago"."""
    if rem.state == PLAN_MISSED_REMINDER:
        return _("missed: no visit recorded, last day {days} ago").format(days=days_text(rem.days))
    if rem.days == 0:
        return _("starts today")
    return _("starts in {days}").format(days=days_text(rem.days))


def plan_reminder_line(rem: PlanReminder, facts: PlanFacts) -> str:
    """One plan reminder, as the terminal and the mail write it:
    "plan 4: Quận đoàn Ba Đình, 16/11/2020 to 18/11/2020 (S.hoạt): starts in 2 days"."""
    return _("plan {id}: {unit}, {when} ({kind}): {state}").format(
        id=rem.plan_id,
        unit=facts.unit,
        when=period_text(facts),
        kind=kind_short(facts.kind),
        state=plan_reminder_text(rem),
    )


def plan_reminders_listing(as_of: date, ahead: int, notes: Any) -> str:
    """``remind``'s plans (``services.reminders.PlanNotes``), grouped by cadre, then those awaiting
    approval; "" when there is neither."""
    lines: list[str] = []
    if notes.reminders:
        states = [rem.state for rem, _who in notes.reminders]
        lines.append(
            _("Planned trips as of {date}: {missed} missed, {soon} starting within {ahead}.").format(
                date=show(as_of),
                missed=integer(states.count(PLAN_MISSED_REMINDER)),
                soon=integer(states.count(PLAN_STARTS_SOON)),
                ahead=days_text(ahead),
            )
        )
        code = None
        for rem, who in notes.reminders:
            if rem.cadre != code:
                code = rem.cadre
                head = f"{who.facts.cadre} {who.cadre_name}"
                delivered = (getattr(notes, "delivery", None) or {}).get(rem.plan_id)  # with --email
                if delivered is not None:
                    head += (f" <{who.cadre_email}>" if who.cadre_email else "") + " — " + _(DELIVERY_LABELS[delivered])
                else:
                    head += f" <{who.cadre_email}>" if who.cadre_email else " — " + _("no email address")
                lines += ["", head]
            lines.append("  " + plan_reminder_line(rem, who.facts))
    if notes.awaiting:
        lines += [""] if lines else []
        lines.append(_("Plans awaiting approval: {n}.").format(n=len(notes.awaiting)))
        for who in notes.awaiting:
            p = who.facts
            lines.append(
                "  "
                + _("plan {id}: {code} {name} ({department}) at {unit}, {when} ({kind})").format(
                    id=p.id,
                    code=p.cadre,
                    name=who.cadre_name,
                    department=who.department,
                    unit=p.unit,
                    when=period_text(p),
                    kind=kind_short(p.kind),
                )
            )
    return "\n".join(lines) + "\n" if lines else ""


def _reminded_plan(who: Any) -> dict[str, Any]:
    p = who.facts
    return {
        "plan_id": p.id,
        "cadre": p.cadre,
        "name": who.cadre_name,
        "email": who.cadre_email,
        "department": who.department,
        "unit": p.unit,
        "start": iso(p.start),
        "end": iso(p.end),
        "month": p.start.strftime("%Y-%m") if p.days is not None else None,
        "planned_days": p.days if p.days is not None else (p.end - p.start).days + 1,
        "kind": p.kind,
    }


def plan_reminders_dict(notes: Any) -> dict[str, Any]:
    """``remind --json``'s ``plans``: ISO dates and slugs, the same in every language."""
    delivery = getattr(notes, "delivery", None) or {}  # with --email: what became of each plan's reminder
    return {
        "reminders": [
            {**_reminded_plan(who), "state": rem.state, "days": rem.days}
            | ({"delivery": delivery[rem.plan_id]} if rem.plan_id in delivery else {})
            for rem, who in notes.reminders
        ],
        "awaiting_approval": [_reminded_plan(who) for who in notes.awaiting],
    }
