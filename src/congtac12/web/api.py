"""``/api/…``: the command line's ``--json`` outputs, byte for byte (the same ``render.json`` dicts, the same dump).

``/api/status?as_of=YYYY-MM-DD[&cadre=CODE]`` is ``status --json --as-of …``; ``/api/reports``
is ``reports --json``; ``/api/summary?month=MM/YYYY`` or ``?year=YYYY`` is ``summary --json``;
``/api/visits?cadre=C01&from=…&to=…`` is ``visits --json``; ``/api/visits/ID/report`` is
``report show ID --json``. Errors are ``{"error": "…"}`` with
the page's status code.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from congtac12.web.context import Ctx
from congtac12.web.pages import day_param, today


def as_json(obj: Any) -> Response:
    """What ``print_json`` writes on the command line."""
    return Response(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", media_type="application/json")


def status(ctx: Ctx) -> Response:
    from congtac12.render.json import status_dict
    from congtac12.services.status import status_of

    cadre = ctx.request.query_params.get("cadre") or None
    return as_json(status_dict(status_of(ctx.target, as_of=day_param(ctx), cadre=cadre)))


def reports(ctx: Ctx) -> Response:
    from congtac12.render.json import owed_reports_dict
    from congtac12.services.reports import owed_reports_of

    q = ctx.request.query_params
    as_of = day_param(ctx)
    found = owed_reports_of(ctx.target, as_of=as_of, cadre=q.get("cadre") or None, state=q.get("state") or None)
    return as_json(owed_reports_dict(as_of, found.owed, found.rows))


def summary(ctx: Ctx) -> Response:
    from congtac12.render.json import summary_dict
    from congtac12.services.summary import period_of, summary_of

    q = ctx.request.query_params
    month = q.get("month") or None
    year_text = q.get("year") or None
    year = int(year_text) if year_text and year_text.isascii() and year_text.isdigit() and len(year_text) <= 4 else None
    if year_text is not None and year is None:
        year = -1  # period_of refuses it in the command line's words
    first, last, period = period_of(month, year)
    sm = summary_of(ctx.target, first=first, last=last, period=period, as_of=day_param(ctx, default=min(last, today())))
    return as_json(summary_dict(sm, period=month.strip() if month else period))


def visits(ctx: Ctx) -> Response:
    from congtac12.dates import parse_date
    from congtac12.errors import InvalidInput
    from congtac12.i18n import _
    from congtac12.render.json import visits_list
    from congtac12.services.visits import listed_visits

    q = ctx.request.query_params
    start = parse_date(q["from"], today=today(), what="--from") if q.get("from") else None
    end = parse_date(q["to"], today=today(), what="--to") if q.get("to") else None
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            _("{last_label} {end} is before {first_label} {start}; the last day must be on or after the first").format(
                last_label="--to", end=end.isoformat(), first_label="--from", start=start.isoformat()
            )
        )
    deleted = q.get("deleted", "") not in ("", "0", "false")
    rows, counted, due = listed_visits(ctx.target, cadre=q.get("cadre") or None, start=start, end=end, deleted=deleted)
    return as_json(visits_list(rows, due, counted))


def plans(ctx: Ctx) -> Response:
    from congtac12.render.plans import plans_dict
    from congtac12.services.plans import list_plans

    q = ctx.request.query_params
    listing = list_plans(
        ctx.target,
        as_of=day_param(ctx),
        cadre=q.get("cadre") or None,
        month=q.get("month") or None,
        state=q.get("state") or None,
    )
    return as_json(plans_dict(listing))


def visit_report(ctx: Ctx) -> Response:
    from congtac12.render.json import visit_report_dict
    from congtac12.services.reports import visit_report as found
    from congtac12.web.forms import path_visit_id

    return as_json(visit_report_dict(found(ctx.target, path_visit_id(ctx))))


ROUTES = {
    "status": status,
    "reports": reports,
    "summary": summary,
    "visits": visits,
    "plans": plans,
    "visits/{id}/report": visit_report,
}
