"""``/plans``: registered trips (đăng ký) as of a day, and the standing office's approve / return."""

from __future__ import annotations

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
    from congtac12.domain.states import PLAN_STATES, PLAN_SUBMITTED
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
        submitted=PLAN_SUBMITTED,
    )


def _by(ctx: Ctx) -> str | None:
    return ctx.session.login if ctx.web.org and ctx.session else None


def approve(ctx: Ctx) -> Response:
    """Approve a submitted plan (``plan approve ID``); the database decides who may."""
    from congtac12.services.plans import approve as approved

    approved(ctx.target, [_plan_id(ctx)], by=_by(ctx))
    return RedirectResponse(ctx.form.get("back") if ctx.form.get("back", "").startswith("/plans") else "/plans", 303)


def return_(ctx: Ctx) -> Response:
    """Return a submitted plan to its cadre with the reason (``plan return ID --reason …``)."""
    from congtac12.services.plans import return_plan

    reason = ctx.form.get("reason", "").strip()
    if not reason:
        raise InvalidInput(_("the reason is empty; a returned plan tells its cadre why"))
    return_plan(ctx.target, _plan_id(ctx), reason=reason, by=_by(ctx))
    return RedirectResponse(ctx.form.get("back") if ctx.form.get("back", "").startswith("/plans") else "/plans", 303)
