"""The pages that write: a visit (new, corrected), its report; logging in and out.

Each field is checked as the command line checks its option (the same parsers, the same
one-line messages), and a message is shown beside the field it is about; a form with any
message calls no service, so nothing is written. A service's refusal (an unknown cadre, a
duplicate, another cadre's record) is shown above the form. Success redirects (303) to the
cadre's page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from starlette.responses import RedirectResponse, Response

from congtac12.errors import CongtacError, InvalidInput, NotAllowed, NotFound
from congtac12.i18n import N_, _
from congtac12.render.formats import plural
from congtac12.web.context import Ctx, Refused, delete_cookie, set_cookie, status_of_error

if TYPE_CHECKING:
    from congtac12.store.location import PgUrl

# How a date field is named in its message (as the command line names its option).
WHAT = {"from": N_("the first day"), "to": N_("the last day"), "on": N_("the report date")}
# A service error's field (``CongtacError.field``) -> the form's field.
FIELD_OF = {"start": "from", "end": "to", "kind": "kind", "topic": "topic", "order_no": "order",
            "reported_on": "on", "text": "text", "unit": "unit", "cadre": "cadre", "days": "days"}  # fmt: skip


def _today() -> date:
    return date.today()


def _date(form: dict[str, str], name: str, errors: dict[str, str]) -> date | None:
    from congtac12.dates import parse_date

    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        return parse_date(text, today=_today(), what=WHAT[name])
    except InvalidInput as exc:
        errors[name] = exc.message
        return None


def path_visit_id(ctx: Ctx) -> int:
    text = ctx.request.path_params["id"]
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > 19 or int(text) > 2**63 - 1:
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=text[:20]))
    return int(text)


def _refuse_other(ctx: Ctx, row: Any) -> None:
    """A cadre login opening another cadre's visit: refused, as the database would refuse the write."""
    own = ctx.own_cadre
    if own is not None and row.cadre_code != own:
        raise NotAllowed(
            _(
                "{record} is {code}'s ({name}); login {login} may change only {own}'s records; nothing was written"
            ).format(
                record=_("visit {id}").format(id=row.id),
                code=row.cadre_code,
                name=row.cadre_name,
                login=ctx.session.login if ctx.session else "",
                own=own,
            )
        )


def trip_fields(form: dict[str, str], errors: dict[str, str], *, need_from: bool = True) -> dict[str, Any]:
    """A trip's first and last day and kind, as add-visit and plan add read them; a message per
    bad field in ``errors``. ``need_from``: an empty first day is a message (a month plan has none)."""
    from congtac12.domain.vocab import parse_kind

    start = _date(form, "from", errors)
    if need_from and "from" not in errors and start is None:
        errors["from"] = _("{what} is empty; accepted: {accepted}").format(
            what=_(WHAT["from"]), accepted=_("YYYY-MM-DD, DD/MM/YYYY (day first), 'today' or 'yesterday'")
        )
    end = _date(form, "to", errors)
    kind = None
    try:
        kind = parse_kind(form.get("kind", ""))
    except InvalidInput as exc:
        errors["kind"] = exc.message
    return {"start": start, "end": end if end is not None else start, "kind": kind}


def answered(
    ctx: Ctx, errors: dict[str, str], write: Callable[[], Response], show: Callable[[int], Response]
) -> Response:
    """A form's answer: a GET shows it (``show(200)``); a POST with no message beside any field runs
    ``write()`` (its service call, then the redirect), else, or when the service refuses (its
    message placed beside its field), shows the form again with that status. A form with any
    message calls no service, so nothing is written."""
    if ctx.request.method != "POST":
        return show(200)
    if errors:
        return show(400)
    try:
        return write()
    except CongtacError as exc:
        _place(exc, errors)
        return show(status_of_error(exc))


def _place(exc: CongtacError, errors: dict[str, str]) -> None:
    errors[FIELD_OF.get(exc.field or "", "form")] = exc.message


def form_page(ctx: Ctx, name: str, status: int, **values: Any) -> Response:
    from congtac12.domain.vocab import KINDS, kind_name

    return ctx.render(name, status=status, kinds=[(k, kind_name(k)) for k in KINDS], **values)


def new_visit(ctx: Ctx) -> Response:
    """``/visits/new``: record a trip (``add-visit``)."""
    from congtac12.services.visits import add_visit, choices

    form = dict(ctx.form)
    if ctx.request.method == "GET":
        form.setdefault("cadre", ctx.request.query_params.get("cadre", "") or ctx.own_cadre or "")
    errors: dict[str, str] = {}
    fields = trip_fields(form, errors) if ctx.request.method == "POST" else {}

    def write() -> Response:
        added = add_visit(
            ctx.target,
            cadre=form.get("cadre", ""),
            unit=form.get("unit", ""),
            topic=form.get("topic") or None,
            order_no=form.get("order") or None,
            **fields,
        )
        return RedirectResponse(f"/cadre/{_quote(added.cadre_code)}?added={added.visit.id}", 303)

    def show(status: int) -> Response:
        offered = choices(ctx.target)
        return form_page(ctx, "visit_form.html", status, form=form, errors=errors, offered=offered, visit=None)

    return answered(ctx, errors, write, show)


def edit_visit(ctx: Ctx) -> Response:
    """``/visits/ID/edit``: correct a visit (``edit-visit``)."""
    from congtac12.services.visits import choices, visit_of
    from congtac12.services.visits import edit_visit as correct

    row = visit_of(ctx.target, path_visit_id(ctx))
    _refuse_other(ctx, row)
    errors: dict[str, str] = {}
    fields = {}
    if ctx.request.method == "GET":
        form = {
            "cadre": row.cadre_code,
            "unit": row.unit,
            "from": _show(row.start),
            "to": _show(row.end),
            "kind": row.kind,
            "topic": row.topic or "",
            "order": row.order_no or "",
        }
    else:
        form = dict(ctx.form)
        form["cadre"] = row.cadre_code
        fields = trip_fields(form, errors)

    def write() -> Response:
        correct(
            ctx.target,
            visit_id=row.id,
            unit=form.get("unit", ""),
            topic=form.get("topic", ""),
            order_no=form.get("order", ""),
            **fields,
        )
        return RedirectResponse(f"/cadre/{_quote(row.cadre_code)}?edited={row.id}", 303)

    def show(status: int) -> Response:
        offered = choices(ctx.target)
        return form_page(ctx, "visit_form.html", status, form=form, errors=errors, offered=offered, visit=row)

    return answered(ctx, errors, write, show)


def write_report(ctx: Ctx) -> Response:
    """``/visits/ID/report``: record (or replace) a visit's result report (``report ID``)."""
    from congtac12.services.reports import record_report, report_draft
    from congtac12.services.visits import visit_of

    visit_id = path_visit_id(ctx)
    row = visit_of(ctx.target, visit_id)
    _refuse_other(ctx, row)
    draft = report_draft(ctx.target, visit_id=visit_id, on=_today(), replace=True)
    errors: dict[str, str] = {}
    on, text = None, ""
    if ctx.request.method == "GET":
        form = {"on": _show(_today()), "text": draft.existing or "", "replace": "1" if draft.existing else ""}
    else:
        form = dict(ctx.form)
        on = _date(form, "on", errors) or (None if "on" in errors else _today())
        text = form.get("text", "")
        if not text.strip():
            errors["text"] = _(
                "the report's text from {source} is empty; nothing was recorded (a report needs its text)"
            ).format(source=_("the form"))

    def write() -> Response:
        assert on is not None  # a POST without a message beside "on" has its date
        record_report(ctx.target, visit_id=visit_id, on=on, text=text, replace=bool(form.get("replace")))
        return RedirectResponse(f"/cadre/{_quote(row.cadre_code)}?reported={visit_id}", 303)

    def show(status: int) -> Response:
        return ctx.render("report_form.html", status=status, form=form, errors=errors, visit=row, due=draft.due)

    return answered(ctx, errors, write, show)


def _show(d: date) -> str:
    from congtac12.dates import show

    return show(d)


def _quote(code: str) -> str:
    from urllib.parse import quote

    return quote(code, safe="")


# --- logging in (organisation mode) ----------------------------------------------------------


def _next_path(text: str | None) -> str:
    """Where to go after logging in: a path of this site only."""
    if not text or not text.startswith("/") or text.startswith("//") or "\\" in text:
        return "/"
    return text


def login(ctx: Ctx) -> Response:
    """``/login``: PostgreSQL checks the password (a connection as the login); a lock-out after repeated failures."""
    from congtac12.services.access import log_in

    if not ctx.web.org:
        return RedirectResponse("/", 303)
    form = dict(ctx.form)
    target = _next_path(form.get("next") or ctx.request.query_params.get("next"))
    errors: dict[str, str] = {}
    status = 200
    if ctx.request.method == "POST":
        name = form.get("login", "").strip()
        wait = ctx.web.sessions.locked_for(name)
        if wait:
            raise Refused(
                429,
                plural(
                    (wait + 59) // 60,
                    N_("too many failed logins for {login}; try again in {n} minute"),
                    N_("too many failed logins for {login}; try again in {n} minutes"),
                    login=name[:64],
                ),
            )
        try:
            # the early return above leaves org mode only: is_shared(target), i.e. a PgUrl
            found = log_in(cast("PgUrl", ctx.web.target), name, form.get("password", ""))
        except CongtacError as exc:
            if isinstance(exc, NotAllowed):
                ctx.web.sessions.failed(name)
            errors["form"] = exc.message
            status = status_of_error(exc)
        else:
            from congtac12.web.sessions import COOKIE, LIFETIME_SECONDS

            ctx.web.sessions.succeeded(name)
            if ctx.session is not None:
                ctx.web.sessions.end(ctx.session)
            s = ctx.web.sessions.new()  # a new id at login: a session id seen before it is worth nothing
            s.login, s.password = found.login, form.get("password", "")
            s.cadre_code, s.cadre_name, s.everything = found.cadre_code, found.cadre_name, found.everything
            response = RedirectResponse(target, 303)
            set_cookie(response, ctx.request, ctx.web, COOKIE, ctx.web.sessions.cookie_value(s), LIFETIME_SECONDS)
            return response
    form.pop("password", None)
    return ctx.render("login.html", status=status, form=form, errors=errors, next=target)


def logout(ctx: Ctx) -> Response:
    if ctx.session is not None:
        ctx.web.sessions.end(ctx.session)
    response = RedirectResponse("/login" if ctx.web.org else "/", 303)
    from congtac12.web.sessions import COOKIE

    delete_cookie(response, ctx.request, ctx.web, COOKIE)
    return response
