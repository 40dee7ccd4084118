"""``/plans``: registered trips (đăng ký) as of a day; a cadre registers a trip (``/plans/new``: dated,
or a month and its days), sends it and deletes a draft; the standing office approves or returns.

The fields are read as ``plan add`` reads its options (the same parsers and messages, shown beside
the field); the database decides who may do what (row-level security and ``plan_rights``).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import RedirectResponse, Response

from congtac12.errors import InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.web.context import Ctx
from congtac12.web.pages import day_param


def _plan_id(ctx: Ctx) -> int:
    text = ctx.request.path_params["id"]
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > 19 or int(text) > 2**63 - 1:
        raise NotFound(_("there is no page at {path}").format(path=ctx.request.url.path))
    return int(text)


def plans(ctx: Ctx) -> Response:
    """The plans of a month (or all), each in its state as of a day (``plan list``)."""
    from congtac12.domain.states import PLAN_DRAFT, PLAN_RETURNED, PLAN_STATES, PLAN_SUBMITTED
    from congtac12.domain.vocab import kind_name
    from congtac12.render.plans import period_text, plan_state_label
    from congtac12.services.plans import list_plans

    q = ctx.request.query_params
    as_of = day_param(ctx)
    month = q.get("month", "").strip() or None
    state = q.get("state", "").strip() or None
    listing = list_plans(ctx.target, as_of=as_of, month=month, state=state)
    return ctx.render(
        "plans.html",
        as_of=as_of,
        listing=listing,
        month=month or "",
        state=state,
        states=[(s, plan_state_label(s)) for s in PLAN_STATES],
        state_label=plan_state_label,
        period=period_text,
        kind_name=kind_name,
        may_decide=ctx.own_cadre is None,
        may_change=lambda row: ctx.own_cadre is None or row.facts.cadre == ctx.own_cadre,
        submitted=PLAN_SUBMITTED,
        sendable=(PLAN_DRAFT, PLAN_RETURNED),
        draft=PLAN_DRAFT,
        added=q.get("added", "") if q.get("added", "").isascii() and q.get("added", "").isdigit() else "",
    )


def _back(ctx: Ctx) -> Response:
    """Back to the listing the form was on (a path of /plans only)."""
    back = ctx.form.get("back", "")
    return RedirectResponse(back if back.startswith("/plans") else "/plans", 303)


def _by(ctx: Ctx) -> str | None:
    return ctx.session.login if ctx.web.org and ctx.session else None


def approve(ctx: Ctx) -> Response:
    """Approve a submitted plan (``plan approve ID``); the database decides who may."""
    from congtac12.services.plans import approve as approved

    approved(ctx.target, [_plan_id(ctx)], by=_by(ctx))
    return _back(ctx)


def return_(ctx: Ctx) -> Response:
    """Return a submitted plan to its cadre with the reason (``plan return ID --reason …``)."""
    from congtac12.services.plans import return_plan

    reason = ctx.form.get("reason", "").strip()
    if not reason:
        raise InvalidInput(_("the reason is empty; a returned plan tells its cadre why"))
    return_plan(ctx.target, _plan_id(ctx), reason=reason, by=_by(ctx))
    return _back(ctx)


def submit(ctx: Ctx) -> Response:
    """Send a draft or returned plan to the standing office (``plan submit ID``)."""
    from congtac12.services.plans import submit as send

    send(ctx.target, [_plan_id(ctx)])
    return _back(ctx)


def delete(ctx: Ctx) -> Response:
    """Delete a draft (``plan delete ID``); a plan sent to the office stays on record."""
    from congtac12.services.plans import delete as remove

    remove(ctx.target, _plan_id(ctx))
    return _back(ctx)


def _month_fields(form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    """A month plan's month and days, as ``plan add --month MM/YYYY --days N`` reads them."""
    from congtac12.services.plans import parse_month

    month = form.get("month", "").strip()
    days_text = form.get("days", "").strip()
    try:
        parse_month(month, _("the month"))
    except InvalidInput as exc:
        errors["month"] = exc.message
    days = None
    if not (days_text.isascii() and days_text.isdigit()) or len(days_text) > 3:
        errors["days"] = _("{what} {text!r} is not a number of days; accepted: a whole number from 1 to 31").format(
            what=_("the days"), text=days_text[:20]
        )
    else:
        days = int(days_text)
    return {"month": month, "days": days}


def new_plan(ctx: Ctx) -> Response:
    """``/plans/new``: register a trip as a draft (``plan add``): its days, or a month and how many days."""
    from congtac12.services.plans import add
    from congtac12.services.visits import choices
    from congtac12.web.forms import answered, form_page, trip_fields

    form = dict(ctx.form)
    if ctx.request.method == "GET":
        form.setdefault("cadre", ctx.own_cadre or "")
        form.setdefault("by", "days")
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    if ctx.request.method == "POST":
        by_month = form.get("by") == "month"
        fields = trip_fields(form, errors, need_from=not by_month)
        if by_month:
            for name in ("from", "to"):  # a month plan's days are not dated
                errors.pop(name, None)
            fields = {"kind": fields["kind"], **_month_fields(form, errors)}

    def write() -> Response:
        added = add(
            ctx.target,
            cadre=form.get("cadre", ""),
            unit=form.get("unit", ""),
            topic=form.get("topic") or None,
            **fields,
        )
        return RedirectResponse(f"/plans?added={added.plan.id}#plan-{added.plan.id}", 303)

    def show(status: int) -> Response:
        return form_page(ctx, "plan_form.html", status, form=form, errors=errors, offered=choices(ctx.target))

    return answered(ctx, errors, write, show)
