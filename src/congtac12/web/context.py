"""What a request handler sees: the server's state, the request's language and session, and refusals."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from congtac12.errors import Ambiguous, Conflict, CongtacError, InvalidInput, NotAllowed, NotFound
from congtac12.i18n import in_language
from congtac12.web.sessions import LANG_COOKIE, Sessions, WebSession

if TYPE_CHECKING:
    from congtac12.store.location import PgUrl

DEFAULT_LANGUAGE = "vi"


@dataclass
class Web:
    """What every request shares: the database, the sessions, the templates."""

    target: Path | PgUrl
    sessions: Sessions
    allowed_hosts: tuple[str, ...]
    templates: Any = None
    # A SQLite file has one writer at a time: the server's writes queue here, in order, instead of
    # racing for the file's lock and failing after its busy timeout when many arrive at once.
    writes: threading.Lock = field(default_factory=threading.Lock)
    secure_cookies: bool = False  # ``web --secure-cookies``: every cookie Secure, whatever the request's scheme

    @property
    def org(self) -> bool:
        from congtac12.services.access import is_shared

        return is_shared(self.target)


def set_cookie(response: Response, request: Request, web: Web, name: str, value: str, max_age: int) -> None:
    """A cookie of this server: HttpOnly, SameSite=Strict, the whole site, and Secure when the request came
    over HTTPS (``request.url.scheme``: Uvicorn takes it from ``X-Forwarded-Proto`` when a reverse proxy on
    this computer sends it) or when the operator said so (``--secure-cookies``, for a proxy elsewhere)."""
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict", path="/", secure=_secure(request, web)
    )


def delete_cookie(response: Response, request: Request, web: Web, name: str) -> None:
    """Remove a cookie set by ``set_cookie``, with the same attributes."""
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=_secure(request, web))


def _secure(request: Request, web: Web) -> bool:
    return web.secure_cookies or request.url.scheme == "https"


@dataclass
class Ctx:
    """One request, as a handler sees it."""

    request: Request
    web: Web
    lang: str
    session: WebSession | None
    form: dict[str, str] = field(default_factory=dict)
    new_cookies: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def target(self) -> Path | PgUrl:
        """The database as this request's user: in organisation mode, as the login that logged in."""
        if self.web.org:
            from congtac12.services.access import as_login

            assert self.session is not None and self.session.login is not None
            # org mode is is_shared(target), which is isinstance(target, PgUrl)
            return as_login(cast("PgUrl", self.web.target), self.session.login, self.session.password or "")
        return self.web.target

    @property
    def own_cadre(self) -> str | None:
        """A cadre login's own cadre code (None: it may write every record)."""
        s = self.session
        if not self.web.org or s is None or s.everything:
            return None
        return s.cadre_code

    def render(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        from urllib.parse import urlencode

        from congtac12.dates import show
        from congtac12.web.texts import other_language, texts

        template = self.web.templates.get_template(name)
        other, other_name = other_language(self.lang)
        kept = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        switch_url = self.request.url.path + "?" + urlencode([*kept, ("lang", other)])
        page = template.render(
            t=texts(),
            lang=self.lang,
            other_lang=other,
            other_lang_name=other_name,
            switch_url=switch_url,
            show=show,
            csrf=self.session.csrf if self.session else "",
            who=self.session.login if self.session and self.web.org else None,
            org=self.web.org,
            path=self.request.url.path,
            query=self.request.url.query,
            **values,
        )
        return HTMLResponse(page, status_code=status)


# --- plumbing --------------------------------------------------------------------------------


class Refused(Exception):
    """A request refused before any service runs: its status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


STATUS_OF = {InvalidInput: 400, Ambiguous: 400, NotFound: 404, Conflict: 409, NotAllowed: 403}


def status_of_error(exc: CongtacError) -> int:
    """The HTTP status of a refusal: 400 malformed, 404 unknown, 409 contradicts the record, 403 not this
    login's (the database's own refusal too), 503 the database cannot be reached or used, else 422."""
    from congtac12.errors import DatabaseError

    for kind, status in STATUS_OF.items():
        if isinstance(exc, kind):
            return status
    if isinstance(exc, DatabaseError):
        from congtac12.services.access import is_refusal

        return 403 if is_refusal(exc) else 503
    return 422


def language_of(request: Request) -> tuple[str, bool]:
    """The request's language: ``?lang=``, else the cookie, else Vietnamese; and whether to remember it."""
    from congtac12.i18n import normalise

    asked = normalise(request.query_params.get("lang"))
    if asked:
        return asked, True
    return normalise(request.cookies.get(LANG_COOKIE)) or DEFAULT_LANGUAGE, False


def error_response(
    request: Request, web: Web, lang: str, session: WebSession | None, status: int, message: str, *, api: bool
) -> Response:
    if api or request.url.path.startswith("/api/"):
        body = json.dumps({"error": message}, ensure_ascii=False, indent=2) + "\n"
        return Response(body, status_code=status, media_type="application/json")
    with in_language(lang):
        ctx = Ctx(request, web, lang, session)
        return ctx.render("error.html", status=status, message=message)
