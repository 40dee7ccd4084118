"""The report page: a status or a summary as one standalone, semantic HTML document.

What a department head prints for the briefing (giao ban) or circulates: a header (the
agency, the policy, the window, the as-of date), the totals by state, one ``<table>`` per
department with a column for each figure, states in words and colour, a legend, and a
print stylesheet for A4. No script, no web font, nothing fetched: the system's fonts with
full Vietnamese coverage. Built with ``html.escape`` rather than a template engine: the page
is a handful of tables, and one small escaping helper (``e``) through which every text of
the database passes is easier to check than a template's autoescape settings.

``status_page`` and ``summary_page`` return the page as text, from a ``Status`` (the one
evaluation, ``services.status.status_of``) and a ``domain.summary.Summary``: the command
line writes it to a file, the web face can serve it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from congtac12.collation import name_key, sort_key
from congtac12.domain.results import CadreEvaluation, Evaluation
from congtac12.domain.vocab import KINDS, kind_name, kind_short, level_name, level_short
from congtac12.i18n import N_, _, current_language
from congtac12.render.formats import days_text, plural
from congtac12.render.labels import CADRE_STATES, exempt_text, share_text, show_date, state_label
from congtac12.render.page_style import STYLE

if TYPE_CHECKING:
    from congtac12.domain.summary import DepartmentFigures, Summary
    from congtac12.services.status import Status


def e(text: object) -> str:
    """Text for the page: every ``<``, ``>``, ``&`` and quote escaped (names, topics, titles)."""
    return escape(str(text), quote=True)


STATE_CLASS = {s: s.replace("_", "-") for s in CADRE_STATES}
STATE_MEANING = {  # translated where shown
    "met": N_("every check is met: days, each content minimum, and no late or overdue report"),
    "on_track": N_("not yet met, at or above the pace line, no late or overdue report"),
    "behind": N_("below the pace line, or a report is late or overdue"),
    "not_met": N_("a check is not met and can no longer be in the available days left"),
    "exempt": N_("exempt under the policy (long leave, or no available day in the window)"),
    "not_subject": N_("not subject to the regime"),
}


def number(n: int) -> str:
    """A whole number as the reader writes it: 1.234 in Vietnamese, 1,234 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if current_language() == "vi" else text


def percent(part: int, whole: int) -> str:
    """A share with one decimal, a decimal comma in Vietnamese: 33,3%."""
    text = f"{100 * part / whole:.1f}" if whole else "0.0"
    return (text.replace(".", ",") if current_language() == "vi" else text) + "%"


def _page(title: str, body: Iterable[str]) -> str:
    lang = "vi" if current_language() == "vi" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _header(heading: str, agency: str | None, lines: Sequence[str]) -> str:
    who = f'<p class="agency">{e(agency)}</p>' if agency else ""
    rest = "".join(f"<p>{line}</p>" for line in lines)
    return f"<header>{who}<h1>{e(heading)}</h1>{rest}</header>"


def _policy_lines(ev: Evaluation) -> list[str]:
    p = ev.policy
    minimums = [
        _("{kind} at least {days} days").format(kind=kind_name(m.kind), days=m.required(p.min_days))
        for m in p.content_minimums
    ] + [
        _("{level} at least {days} days").format(level=level_name(m.level), days=m.required(p.min_days))
        for m in p.level_minimums
    ]
    rules = _("at least {min_days} days at the base").format(min_days=p.min_days)
    if minimums:
        rules += " (" + "; ".join(minimums) + ")"
    return [
        e(_("Policy: {title}").format(title=p.title)) + f' <span class="source">({e(p.source)})</span>',
        e(
            _("Window {start} to {end}: {rules}; a result report within {due} days after each trip.").format(
                start=show_date(p.window_start), end=show_date(p.window_end), rules=rules, due=p.report_due_days
            )
        ),
    ]


def state_badge(state: str) -> str:
    return f'<span class="state {STATE_CLASS[state]}">{e(state_label(state))}</span>'


def _totals(cadres: Sequence[CadreEvaluation]) -> str:
    counts = {s: sum(1 for c in cadres if c.state == s) for s in CADRE_STATES}
    items = "".join(
        f'<div class="total {STATE_CLASS[s]}"><dt>{e(state_label(s))}</dt><dd>{number(n)}</dd></div>'
        for s, n in counts.items()
    )
    heading = plural(len(cadres), N_("{n} cadre by state"), N_("{n} cadres by state"))
    return f'<section class="totals"><h2>{e(heading)}</h2><dl>{items}</dl></section>'


def _check(c: CadreEvaluation, rule: str) -> str:
    for check in c.checks:
        if check.rule == rule:
            mark = "✓" if check.met else "✗"
            cls = "met" if check.met else "short"
            return (
                f'<td class="num {cls}">{number(check.actual)}<span class="of"> / {number(check.required)}</span>'
                f' <span class="mark">{mark}</span></td>'
            )
    return '<td class="num none">—</td>'


def _rules(ev: Evaluation) -> list[tuple[str, str]]:
    """(rule, column heading) of each minimum the policy sets beyond the total days."""
    p = ev.policy
    return [(f"kind:{m.kind}", kind_short(m.kind)) for m in p.content_minimums] + [
        (f"level:{m.level}", level_short(m.level)) for m in p.level_minimums
    ]


def departments_of(cadres: Iterable[CadreEvaluation]) -> list[tuple[str, list[CadreEvaluation]]]:
    """The cadres by department, departments and names in Vietnamese alphabetical order."""
    found: dict[str, list[CadreEvaluation]] = {}
    for c in cadres:
        found.setdefault(c.department, []).append(c)
    return [
        (name, sorted(members, key=lambda c: (name_key(c.name), c.code)))
        for name, members in sorted(found.items(), key=lambda item: sort_key(item[0]))
    ]


def cadre_tables(ev: Evaluation) -> list[str]:
    """One table per department: code, name, days, each minimum, the four report counts, the state."""
    rules = _rules(ev)
    head = (
        "<thead><tr>"
        f'<th scope="col">{e(_("Code"))}</th><th scope="col">{e(_("Name"))}</th>'
        f'<th scope="col" class="num">{e(_("Days"))}</th>'
        + "".join(f'<th scope="col" class="num">{e(label)}</th>' for _rule, label in rules)
        + f'<th scope="col" class="num">{e(_("Reports on time"))}</th>'
        f'<th scope="col" class="num">{e(_("Reports late"))}</th>'
        f'<th scope="col" class="num">{e(_("Reports pending"))}</th>'
        f'<th scope="col" class="num">{e(_("Reports overdue"))}</th>'
        f'<th scope="col">{e(_("State"))}</th>'
        "</tr></thead>"
    )
    sections = []
    for department, members in departments_of(ev.cadres):
        rows = []
        for c in members:
            if c.checks:
                cells = _check(c, "min_days") + "".join(_check(c, rule) for rule, _label in rules)
            else:  # not subject, or exempt: the days, and no check
                cells = f'<td class="num">{number(c.days)}</td>' + '<td class="num none">—</td>' * len(rules)
            r = c.reports
            rows.append(
                f'<tr class="{STATE_CLASS[c.state]}"><td class="code">{e(c.code)}</td>'
                f'<th scope="row" class="name">{e(c.name)}</th>{cells}'
                f'<td class="num">{number(r.on_time)}</td>'
                f'<td class="num{" bad" if r.late else ""}">{number(r.late)}</td>'
                f'<td class="num">{number(r.pending)}</td>'
                f'<td class="num{" bad" if r.overdue else ""}">{number(r.overdue)}</td>'
                f"<td>{state_badge(c.state)}</td></tr>"
            )
        caption = plural(len(members), N_("{n} cadre"), N_("{n} cadres"))
        sections.append(
            f'<section class="department"><h2>{e(department)}</h2><table>'
            f"<caption>{e(caption)}</caption>{head}<tbody>{''.join(rows)}</tbody></table></section>"
        )
    return sections


def _legend(ev: Evaluation) -> str:
    states = "".join(f"<div><dt>{state_badge(s)}</dt><dd>{e(_(STATE_MEANING[s]))}</dd></div>" for s in CADRE_STATES)
    columns = [
        _("Days and each minimum: counted / required, ✓ met, ✗ not yet met."),
        _(
            "Reports: on time (dated by the due day), late (after it), pending (not yet due), "
            "overdue (due day passed, no report)."
        ),
    ]
    p = ev.policy
    shares = "; ".join(
        f"{kind_short(m.kind)}: {kind_name(m.kind)}" + (f" ({share_text(m.share)})" if m.share is not None else "")
        for m in p.content_minimums
    )
    if shares:
        columns.append(shares + ".")
    notes = "".join(f"<li>{e(line)}</li>" for line in columns + _notes(ev))
    return (
        f'<section class="legend"><h2>{e(_("Legend"))}</h2><dl class="states">{states}</dl><ul>{notes}</ul></section>'
    )


def _notes(ev: Evaluation) -> list[str]:
    """Who has a pro-rated requirement, who is exempt, whose visit days do not count."""
    prorated = [c for c in ev.cadres if c.checks and c.availability is not None and not c.availability.full]
    exempt = [c for c in ev.cadres if c.subject and c.exempt]
    flagged = [c for c in ev.cadres if c.uncounted]
    lines = []
    if prorated:
        lines.append(
            _("Pro-rated (joined, left or on leave): {list}.").format(
                list=", ".join(
                    _("{code} {required} of {min}").format(
                        code=c.code, required=c.required_days, min=days_text(ev.policy.min_days)
                    )
                    for c in prorated
                )
            )
        )
    if exempt:
        lines.append(_("Exempt: {list}.").format(list=", ".join(f"{c.code} ({exempt_text(c.exempt)})" for c in exempt)))
    if flagged:
        lines.append(
            _("Visit days not counted (outside the service period or on leave): {list}.").format(
                list=", ".join(
                    _("{code} {days}").format(code=c.code, days=days_text(sum(u.days for u in c.uncounted)))
                    for c in flagged
                )
            )
        )
    return lines


def _footer(as_of: date) -> str:
    from congtac12 import __version__

    text = _("Made by congtac12 {version}; figures as of {as_of}.").format(version=__version__, as_of=show_date(as_of))
    return f"<footer><p>{e(text)}</p></footer>"


def status_title(as_of: date) -> str:
    return _("congtac12 status as of {as_of}").format(as_of=show_date(as_of))


def status_page(found: Status, *, agency: str | None = None) -> str:
    """The status of a window as a page; for one cadre (a status of one), with the month chart and the calendar."""
    ev = found.evaluation
    body = [
        _header(
            _("Field work at the base under the 1+2 policy"),
            agency,
            [*_policy_lines(ev), e(_("As of {as_of}.").format(as_of=show_date(ev.as_of)))],
        ),
        "<main>",
        _totals(ev.cadres),
        *cadre_tables(ev),
    ]
    if len(ev.cadres) == 1 and ev.cadres[0].subject and found.cadres:
        body.append(_pictures(found))
    body += [_legend(ev), "</main>", _footer(ev.as_of)]
    return _page(status_title(ev.as_of), body)


def _pictures(found: Status) -> str:
    from congtac12.domain.summary import counted_days_with_kinds, days_with_kinds, month_bars
    from congtac12.render.svg import calendar_svg, legend_html, month_bars_svg

    ev, cadre = found.evaluation, found.cadres[0]
    p = ev.policy
    bars = month_bars(ev, cadre, found.visits)
    year = p.window_start.year
    months = list(range(p.window_start.month, 13 if p.window_end.year > year else p.window_end.month + 1))
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = days_with_kinds(found.visits, first=first, last=last)
    counted = counted_days_with_kinds(p, cadre, found.visits, ev.as_of, first=first, last=last)
    c = ev.cadres[0]
    return (
        f'<section class="pictures"><h2>{e(_("Days at the base by month"))}</h2>'
        f"<p>{e(_('Each bar: the month’s counted days by kind; the black tick: the month’s share of the pace line ({required} days over the available days).').format(required=c.required_days))}</p>"
        f"<figure>{month_bars_svg(bars)}</figure>"
        f"<h2>{e(_('Days at the base, day by day'))}</h2>"
        f"<p>{e(_('Coloured: a day that counts; grey: a visit day that does not (outside the window, before joining, after leaving or on leave); + several kinds on one day.'))}</p>"
        f"<figure>{calendar_svg(days, counted, year=year, months=months, window=(p.window_start, p.window_end))}</figure>"
        f"{legend_html()}</section>"
    )


# --- the summary ---------------------------------------------------------------------------


def summary_title(period: str) -> str:
    return _("congtac12 summary {period}").format(period=period)


def _figures_row(f: DepartmentFigures, name: str) -> str:
    cells = [f.cadres, f.subject, f.days, *(f.days_by_kind[k] for k in KINDS), f.days_so_far]
    cells += [f.states[s] for s in CADRE_STATES]
    cells += [f.reports[r] for r in ("on_time", "late", "pending", "overdue")]
    tds = "".join(f'<td class="num">{number(n)}</td>' for n in cells)
    return f'<tr><th scope="row">{e(name)}</th>{tds}</tr>'


def summary_page(sm: Summary, *, period: str, agency: str | None = None) -> str:
    """The briefing (a month) or the year-end summary as a page: figures by department, the
    district-level unions covered, then every cadre's status by department."""
    ev = sm.evaluation
    heads = [_("Department"), _("Cadres"), _("Subject"), _("Days")]
    heads += [kind_short(k) for k in KINDS] + [_("Days so far")]
    heads += [state_label(s) for s in CADRE_STATES]
    heads += [_("Reports on time"), _("Reports late"), _("Reports pending"), _("Reports overdue")]
    head = "<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in heads) + "</tr></thead>"
    departments = sorted(sm.departments, key=lambda f: sort_key(f.department))
    rows = "".join(_figures_row(f, f.department) for f in departments)
    total = _figures_row(sm.total, _("All"))
    figures = (
        f'<section class="figures"><h2>{e(_("Figures by department"))}</h2><table>{head}'
        f"<tbody>{rows}</tbody><tfoot>{total}</tfoot></table>"
        f"<p>{e(_('Days: in the period, added up over cadres; a day of two kinds counts once in Days and once for each kind. Days so far: in the window up to the as-of date.'))}</p></section>"
    )
    coverage_rows = "".join(
        f'<tr><th scope="row">{e(c.union)}</th><td class="num">{number(c.days)}</td>'
        f'<td class="num">{number(c.cadres)}</td><td class="num">{number(c.visits)}</td></tr>'
        for c in sm.coverage
    )
    coverage = (
        f'<section class="coverage"><h2>{e(_("District-level unions visited"))}</h2><table><thead><tr>'
        f'<th scope="col">{e(_("Union"))}</th><th scope="col">{e(_("Cadre-days"))}</th>'
        f'<th scope="col">{e(_("Cadres"))}</th><th scope="col">{e(_("Visits"))}</th></tr></thead>'
        f"<tbody>{coverage_rows}</tbody></table>"
        + (
            f"<p>{e(_('Not visited ({n} of {total}): {names}.').format(n=len(sm.unvisited), total=sm.district_unions, names=', '.join(sorted(sm.unvisited, key=sort_key))))}</p>"
            if sm.unvisited
            else ""
        )
        + "</section>"
    )
    lines = [
        *_policy_lines(ev),
        e(
            _("Days from {first} to {last}; states as of {as_of}.").format(
                first=show_date(sm.first), last=show_date(min(sm.last, ev.as_of)), as_of=show_date(ev.as_of)
            )
        ),
    ]
    body = [
        _header(_("Field work at the base under the 1+2 policy: {period}").format(period=period), agency, lines),
        "<main>",
        _totals(ev.cadres),
        figures,
        coverage,
        *cadre_tables(ev),
        _legend(ev),
        "</main>",
        _footer(ev.as_of),
    ]
    return _page(summary_title(period), body)


def share_of_days(sm: Summary, kind: str) -> tuple[int, str]:
    """A kind's days in the period and its share of all days (the Word report's figures)."""
    t = sm.total
    return t.days_by_kind[kind], percent(t.days_by_kind[kind], t.days)
