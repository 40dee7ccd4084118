"""The pages that read: the status board, one cadre, the result reports, the summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response

from congtac12.dates import FIRST_YEAR, LAST_YEAR
from congtac12.errors import InvalidInput
from congtac12.i18n import _
from congtac12.web.context import Ctx


def today() -> date:
    return date.today()


def day_param(ctx: Ctx, name: str = "as_of", *, default: date | None = None) -> date:
    """A date from the query (any form the command line accepts), else ``default`` (today)."""
    from congtac12.dates import parse_date

    text = ctx.request.query_params.get(name, "").strip()
    if not text:
        return default or today()
    return parse_date(text, today=today(), what=_("the as-of date"))


def board(ctx: Ctx) -> Response:
    """``/``: every cadre's state as of a day, one table per department (``status``'s figures)."""
    from congtac12.collation import name_key, sort_key
    from congtac12.dates import show
    from congtac12.domain.states import STATES
    from congtac12.i18n import N_
    from congtac12.render.formats import plural
    from congtac12.render.labels import state_label
    from congtac12.services.status import status_of

    q = ctx.request.query_params
    as_of = day_param(ctx)
    found = status_of(ctx.target, as_of=as_of)
    ev = found.evaluation
    departments = sorted({c.department for c in ev.cadres}, key=sort_key)
    dept = q.get("department", "").strip() or None
    state = q.get("state", "").strip() or None
    if dept is not None and dept not in departments:
        raise InvalidInput(
            _("no department {name!r}; accepted: {accepted}").format(name=dept, accepted=", ".join(departments))
        )
    if state is not None and state not in STATES:
        raise InvalidInput(
            _("unknown state {state!r}; accepted: {accepted}").format(state=state, accepted=", ".join(STATES))
        )
    shown = [c for c in ev.cadres if (dept is None or c.department == dept) and (state is None or c.state == state)]
    tables = []
    for name in departments:
        members = sorted((c for c in shown if c.department == name), key=lambda c: name_key(c.name))
        if members:
            tables.append((name, members))
    totals = [(s, state_label(s), sum(1 for c in shown if c.state == s)) for s in STATES]
    p = ev.policy
    window = _("window {start} to {end}, as of {as_of}").format(
        start=show(p.window_start), end=show(p.window_end), as_of=show(ev.as_of)
    )
    cadres_line = plural(
        len(shown),
        N_("{n} cadre: {counts}"),
        N_("{n} cadres: {counts}"),
        counts=", ".join(f"{n} {label}" for _s, label, n in totals if n),
    )
    return ctx.render(
        "board.html",
        window=window,
        cadres_line=cadres_line,
        ev=ev,
        policy=ev.policy,
        as_of=as_of,
        tables=tables,
        rules=_rules(ev.policy),
        totals=totals,
        shown=len(shown),
        departments=departments,
        dept=dept,
        state=state,
        states=[(s, state_label(s)) for s in STATES],
        cells=_cells,
        state_label=state_label,
    )


def _rules(policy: Any) -> list[tuple[str, str]]:
    """The columns of the content and level minimums: (rule, short name)."""
    from congtac12.domain.vocab import kind_short, level_short

    return [(f"kind:{m.kind}", kind_short(m.kind)) for m in policy.content_minimums] + [
        (f"level:{m.level}", level_short(m.level)) for m in policy.level_minimums
    ]


def _cells(c: Any, rules: list[tuple[str, str]]) -> list[tuple[str, bool | None]]:
    """The board's cells of one cadre: (text, met) for the days and each minimum, as ``status`` shows them."""
    if not c.checks:  # not subject, or exempt
        return [(str(c.days), None), *(("—", None) for _rule in rules)]
    by_rule = {k.rule: k for k in c.checks}
    out = []
    for rule in ["min_days", *(r for r, _name in rules)]:
        k = by_rule.get(rule)
        out.append((f"{k.actual}/{k.required}", k.met) if k is not None else ("—", None))
    return out


def cadre(ctx: Ctx) -> Response:
    """``/cadre/CODE``: the checks, what is missing, the pace, the months, the visits and their reports."""
    from congtac12.dates import show
    from congtac12.domain.summary import month_bars
    from congtac12.domain.vocab import kind_name
    from congtac12.render.labels import rule_label, state_label
    from congtac12.services.status import status_of
    from congtac12.services.visits import visits_of
    from congtac12.web.svg import month_chart

    code = ctx.request.path_params["code"]
    as_of = day_param(ctx)
    found = status_of(ctx.target, as_of=as_of, cadre=code)
    ev = found.evaluation
    c = ev.cadres[0]
    chart = month_chart(month_bars(ev, found.cadres[0], found.visits)) if c.subject else ""
    visits = list(reversed(visits_of(ctx.target, cadre=c.code)))  # the latest first
    counted = ev.counted
    return ctx.render(
        "cadre.html",
        ev=ev,
        c=c,
        policy=ev.policy,
        as_of=as_of,
        chart=chart,
        visits=visits,
        counted=counted,
        due=ev.policy.report_due,
        rule_label=rule_label,
        state_label=state_label,
        kind_name=kind_name,
        may_write=ctx.own_cadre in (None, c.code),
        missing_lines=_missing_lines(c),
        heading=_("{title}; window {start} to {end}; as of {as_of}").format(
            title=ev.policy.title,
            start=show(ev.policy.window_start),
            end=show(ev.policy.window_end),
            as_of=show(ev.as_of),
        ),
        lines=_state_lines(ev, c),
        pace_lines=_pace_lines(ev, c),
    )


def _state_lines(ev: Any, c: Any) -> list[str]:
    """What ``status --cadre`` says under the state: not subject, exempt, pro-rated; days by kind; reports."""
    from congtac12.domain.vocab import kind_name, level_name
    from congtac12.render.formats import days_text
    from congtac12.render.labels import exempt_text

    if not c.subject:
        return [
            _("Not subject to the regime; {days} at the base recorded in the window.").format(days=days_text(c.days))
        ]
    if c.exempt:
        return [
            _("Exempt ({why}); {days} at the base recorded in the window.").format(
                why=exempt_text(c.exempt), days=days_text(c.days)
            )
        ]
    lines = []
    a = c.availability
    if a is not None and not a.full:
        lines.append(
            _(
                "Available {available} of {window} window days: requirement pro-rated to "
                "{required} days (see --explain)."
            ).format(available=a.available_days, window=a.window_days, required=c.required_days)
        )
    lines.append(
        _("Days by kind: {kinds}").format(kinds=", ".join(f"{kind_name(k)} {n}" for k, n in c.days_by_kind.items()))
    )
    if ev.policy.level_minimums:
        lines.append(
            _("Days by level: {levels}").format(
                levels=", ".join(f"{level_name(k)} {n}" for k, n in c.days_by_level.items())
            )
        )
    r = c.reports
    lines.append(
        _("Reports: {on_time} on time, {late} late, {pending} pending, {overdue} overdue").format(
            on_time=r.on_time, late=r.late, pending=r.pending, overdue=r.overdue
        )
    )
    return lines


def _pace_lines(ev: Any, c: Any) -> list[str]:
    """The pace line today and the pace needed, as ``status --cadre`` says them."""
    from congtac12.render.formats import days_text
    from congtac12.render.labels import pace_text, unreachable_text

    if not c.checks or not c.missing:
        return []
    p, a = ev.policy, c.availability
    if a is None or a.full:
        lines = [
            _("Pace line today: {expected} ({required} × {elapsed}/{window} window days elapsed).").format(
                expected=days_text(c.expected_days),
                required=c.required_days,
                elapsed=c.elapsed_days,
                window=p.window_days,
            )
        ]
    else:
        lines = [
            _("Pace line today: {expected} ({required} × {elapsed}/{available} available days elapsed).").format(
                expected=days_text(c.expected_days),
                required=c.required_days,
                elapsed=c.elapsed_days,
                available=a.available_days,
            )
        ]
    if c.unreachable:
        lines.append(_("Can no longer be met:"))
        lines += ["• " + unreachable_text(k, c.days_left) for k in c.unreachable]
        lines.append(_("Pace needed: none can make it (not met from this day)."))
    elif c.days_needed:
        lines.append(
            _("Pace needed: {needed} in the {left} left = {pace}").format(
                needed=days_text(c.days_needed), left=days_text(c.days_left), pace=pace_text(c.pace_per_week)
            )
        )
    return lines


def _missing_lines(c: Any) -> list[str]:
    from congtac12.i18n import N_
    from congtac12.render.formats import plural
    from congtac12.render.labels import rule_label

    lines = []
    for k in c.missing:
        if k.rule == "reports":
            lines.append(plural(k.actual, N_("{n} report late or overdue"), N_("{n} reports late or overdue")))
        elif k.rule == "min_days":
            lines.append(plural(k.shortfall, N_("{n} more day at the base"), N_("{n} more days at the base")))
        else:
            lines.append(
                plural(
                    k.shortfall, N_("{n} more day of {what}"), N_("{n} more days of {what}"), what=rule_label(k.rule)
                )
            )
    return lines


def reports(ctx: Ctx) -> Response:
    """``/reports``: every visit's result report as of a day, the most urgent first (``reports``)."""
    from congtac12.dates import show
    from congtac12.domain.states import REPORT_STATES
    from congtac12.render.labels import REPORT_STATES_SHOWN
    from congtac12.services.reports import owed_reports_of

    as_of = day_param(ctx)
    state = ctx.request.query_params.get("state", "").strip() or None
    found = owed_reports_of(ctx.target, as_of=as_of, state=state)
    names = {r.cadre_code: r.cadre_name for r in found.rows.values()}
    return ctx.render(
        "reports.html",
        title=_("Result reports as of {date}").format(date=show(as_of)),
        caption=_("Days: past the due day (late, overdue), or left until it (pending)."),
        as_of=as_of,
        owed=found.owed,
        rows=found.rows,
        names=names,
        state=state,
        states=[(s, _(REPORT_STATES_SHOWN[s].label)) for s in REPORT_STATES],
        state_names={s: _(REPORT_STATES_SHOWN[s].label) for s in REPORT_STATES},
    )


def summary(ctx: Ctx) -> Response:
    """``/summary?month=MM/YYYY`` or ``?year=YYYY``: the briefing's figures (``summary``)."""
    from congtac12.dates import show
    from congtac12.domain.states import STATES
    from congtac12.domain.vocab import KINDS, kind_short
    from congtac12.render.labels import state_label
    from congtac12.services.summary import period_of, summary_of

    q = ctx.request.query_params
    month = q.get("month", "").strip() or None
    year_text = q.get("year", "").strip() or None
    if month is None and year_text is None:
        month = f"{today():%m/%Y}"
    year = None
    if year_text is not None:
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) <= 4):
            raise InvalidInput(
                _("--year {year} is out of range; accepted: years {first} to {last}").format(
                    year=year_text[:20], first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        year = int(year_text)
    first, last, period = period_of(month, year)
    as_of = day_param(ctx, default=min(last, today()))
    sm = summary_of(ctx.target, first=first, last=last, period=period, as_of=as_of)
    ev = sm.evaluation
    heading = _("{policy}; days from {first} to {last}, states as of {as_of}").format(
        policy=ev.policy.title, first=show(sm.first), last=show(sm.last), as_of=show(ev.as_of)
    )
    if sm.unvisited:
        unvisited = _("Not visited ({n} of {total} district-level unions): {names}").format(
            n=len(sm.unvisited), total=sm.district_unions, names=", ".join(sm.unvisited)
        )
    else:
        unvisited = _("Every district-level union was visited.")
    return ctx.render(
        "summary.html",
        heading=heading,
        unvisited=unvisited,
        sm=sm,
        period=period,
        month=month or "",
        year=year_text or "",
        kinds=[(k, kind_short(k)) for k in KINDS],
        states=[(s, state_label(s)) for s in STATES],
    )


def status_xlsx(ctx: Ctx) -> Response:
    """``/status.xlsx?as_of=…``: the board as the workbook ``status --format xlsx`` writes."""
    return _status_sheet(ctx, "xlsx")


def status_csv(ctx: Ctx) -> Response:
    """``/status.csv?as_of=…``: the board as the CSV file ``status --format csv`` writes."""
    return _status_sheet(ctx, "csv")


def _status_sheet(ctx: Ctx, fmt: str) -> Response:
    from congtac12.services.downloads import SHEET_TYPES, status_sheet_file

    as_of = day_param(ctx)
    data = status_sheet_file(ctx.target, as_of=as_of, fmt=fmt)
    name = f"trang-thai-{as_of.isoformat()}.{fmt}"
    return Response(
        data, media_type=SHEET_TYPES[fmt], headers={"content-disposition": f'attachment; filename="{name}"'}
    )


def status_document(ctx: Ctx) -> Response:
    """``/status.html``, ``/status.pdf``, ``/status.docx?as_of=…``: the documents ``status --html|--pdf|--docx``
    writes, as a download (the page is saved, not shown here: it carries its own print style sheet)."""
    from congtac12.services.downloads import DOCUMENT_TYPES
    from congtac12.services.downloads import status_document as document

    fmt = ctx.request.url.path.rsplit(".", 1)[1]
    as_of = day_param(ctx)
    data = document(ctx.target, as_of=as_of, fmt=fmt)
    name = f"trang-thai-{as_of.isoformat()}.{fmt}"
    return Response(
        data, media_type=DOCUMENT_TYPES[fmt], headers={"content-disposition": f'attachment; filename="{name}"'}
    )
