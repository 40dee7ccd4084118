"""The ASGI application: routes, the request's language and login, refusals and security headers.

Pages are rendered on the server (Jinja2, autoescaped) and work without JavaScript; the one
style sheet is served from the package. Every handler reads through the same services as the
command line and renders what they return; nothing here decides a rule.

Refusals write nothing: an unknown route is 404, a method a route does not serve 405, a body
over ``MAX_BODY`` bytes 413, a form without this session's CSRF token 403, a Host header that
is not the server's 400 (a page on another site cannot reach a loopback server by renaming
it); each is decided before any service is called.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from congtac12.errors import CongtacError
from congtac12.i18n import _, in_language
from congtac12.web.context import Ctx, Refused, Web, error_response, language_of, set_cookie, status_of_error
from congtac12.web.sessions import COOKIE, LANG_COOKIE, LIFETIME_SECONDS, Sessions

if TYPE_CHECKING:
    from starlette.types import Message, Receive, Scope, Send

    from congtac12.store.location import PgUrl

HERE = Path(__file__).parent
MAX_BODY = 4 * 1024 * 1024  # a report of a million characters, percent-encoded, fits
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form, at most MAX_BODY bytes (413 past that, read no further)."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Refused(415, _("a form is sent as application/x-www-form-urlencoded; nothing was written"))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, too_large())
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, _("the form is not UTF-8 text; nothing was written")) from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value.replace("\r\n", "\n"))
    return form


def too_large() -> str:
    return _("the request is larger than {limit} bytes; nothing was written").format(limit=f"{MAX_BODY:,}")


Handler = Callable[[Ctx], Response]


def page(handler: Handler, *, login_needed: bool = True, api: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint: the session, the language, the form and its CSRF token, then ``handler`` in a worker thread."""

    async def endpoint(request: Request) -> Response:
        web: Web = request.app.state.web
        lang, remember = language_of(request)
        session = web.sessions.from_cookie(request.cookies.get(COOKIE))
        cookies: list[tuple[str, str, int]] = []
        if remember:
            cookies.append((LANG_COOKIE, lang, 365 * 86400))
        with in_language(lang):
            try:
                form: dict[str, str] = {}
                if request.method == "POST":
                    form = await read_form(request)
                    if not Sessions.csrf_ok(session, form.get("csrf")):
                        raise Refused(
                            403,
                            _(
                                "the form's security token is missing or stale; reload the page and send it again; nothing was written"
                            ),
                        )
                if session is None:
                    session = web.sessions.new()
                    cookies.append((COOKIE, web.sessions.cookie_value(session), LIFETIME_SECONDS))
                ctx = Ctx(request, web, lang, session, form, cookies)
                if login_needed and web.org and session.login is None:
                    if api:
                        raise Refused(401, _("log in first (organisation mode): POST /login"))
                    return _with_cookies(
                        RedirectResponse(f"/login?next={_safe_next(request)}", 303), request, web, cookies
                    )
                response = await run_in_threadpool(_run, handler, ctx, lang)
            except Refused as exc:
                response = error_response(request, web, lang, session, exc.status, exc.message, api=api)
        return _with_cookies(response, request, web, cookies)

    return endpoint


def _run(handler: Handler, ctx: Ctx, lang: str) -> Response:
    with in_language(lang):  # the worker thread's own context
        try:
            if ctx.request.method == "POST" and not ctx.web.org:
                with ctx.web.writes:
                    return handler(ctx)
            return handler(ctx)
        except CongtacError as exc:
            return error_response(ctx.request, ctx.web, lang, ctx.session, status_of_error(exc), exc.message, api=False)


def _safe_next(request: Request) -> str:
    from urllib.parse import quote

    return quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")


def _with_cookies(response: Response, request: Request, web: Web, cookies: list[tuple[str, str, int]]) -> Response:
    for name, value, age in cookies:
        set_cookie(response, request, web, name, value, age)
    return response


# --- the whole app ---------------------------------------------------------------------------


class Guard:
    """ASGI middleware: the security headers on every response, the Host check, the body limit."""

    def __init__(self, app: Any, web: Web) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(SECURITY_HEADERS)]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = (
            headers.get("host", "").rsplit(":", 1)[0]
            if not headers.get("host", "").startswith("[")
            else headers["host"].split("]")[0] + "]"
        )
        problem = None
        if "*" not in self.web.allowed_hosts and host.lower() not in self.web.allowed_hosts:
            problem = (400, "unknown host")
        length = headers.get("content-length", "")
        if problem is None and length and (not length.isdigit() or int(length) > MAX_BODY):
            problem = (413, "too large")
        if problem is not None:
            status, _word = problem
            lang, _remember = language_of(Request(scope))
            with in_language(lang):
                text = too_large() if status == 413 else _("this server answers to its own address only")
            response = Response(text + "\n", status_code=status, media_type="text/plain; charset=utf-8")
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def create_app(
    target: Path | PgUrl,
    *,
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]"),
    secure_cookies: bool = False,
) -> Any:
    """The web face over the database ``target`` (a SQLite file, or a PostgreSQL URL: organisation mode);
    ``secure_cookies``: mark every cookie Secure, even on a request that reached it over plain HTTP."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from congtac12.web import api, forms, pages, plans

    web = Web(target, Sessions(), tuple(h.lower() for h in allowed_hosts), secure_cookies=secure_cookies)
    web.templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    routes = [
        Route("/", page(pages.board), methods=["GET"]),
        Route("/cadre/{code}", page(pages.cadre), methods=["GET"]),
        Route("/status.xlsx", page(pages.status_xlsx), methods=["GET"]),
        Route("/status.csv", page(pages.status_csv), methods=["GET"]),
        *[Route(f"/status.{fmt}", page(pages.status_document), methods=["GET"]) for fmt in ("html", "pdf", "docx")],
        Route("/reports", page(pages.reports), methods=["GET"]),
        Route("/summary", page(pages.summary), methods=["GET"]),
        Route("/visits/new", page(forms.new_visit), methods=["GET", "POST"]),
        Route("/visits/{id}/edit", page(forms.edit_visit), methods=["GET", "POST"]),
        Route("/visits/{id}/report", page(forms.write_report), methods=["GET", "POST"]),
        Route("/plans", page(plans.plans), methods=["GET"]),
        Route("/plans/new", page(plans.new_plan), methods=["GET", "POST"]),
        Route("/plans/{id}/submit", page(plans.submit), methods=["POST"]),
        Route("/plans/{id}/delete", page(plans.delete), methods=["POST"]),
        Route("/plans/{id}/approve", page(plans.approve), methods=["POST"]),
        Route("/plans/{id}/return", page(plans.return_), methods=["POST"]),
        Route("/login", page(forms.login, login_needed=False), methods=["GET", "POST"]),
        Route("/logout", page(forms.logout, login_needed=False), methods=["POST"]),
        *[Route(f"/api/{name}", page(fn, api=True), methods=["GET"]) for name, fn in api.ROUTES.items()],
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request: Request, exc: HTTPException) -> Response:
        lang, _remember = language_of(request)
        session = web.sessions.from_cookie(request.cookies.get(COOKIE))
        with in_language(lang):
            if exc.status_code == 405:
                message = _("{method} is not served at {path}; nothing was written").format(
                    method=request.method, path=request.url.path
                )
            elif exc.status_code == 404:
                message = _("there is no page at {path}").format(path=request.url.path)
            else:
                message = str(exc.detail)
            response = error_response(request, web, lang, session, exc.status_code, message, api=False)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    # Starlette types each handler as taking any Exception; one keyed by a status code gets its HTTPException
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})  # type: ignore[dict-item]
    app.state.web = web
    return Guard(app, web)
