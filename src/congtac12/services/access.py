"""Logging in to a shared (PostgreSQL) database: PostgreSQL itself checks the password.

What the web face calls at its login page: a connection is attempted as the login, with
the password typed; PostgreSQL accepts or refuses it, and the login's rights are read
as the command line reads them (``store.org.rights``). Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from congtac12.errors import DatabaseError, InvalidInput, NotAllowed
from congtac12.i18n import _
from congtac12.store.location import PgUrl


@dataclass(frozen=True)
class LoggedIn:
    target: PgUrl  # the database as this login (its password inside: never shown, never stored)
    login: str
    everything: bool  # an administrator or the owner
    cadre_code: str | None
    cadre_name: str | None


def is_shared(target: object) -> bool:
    """Whether a database is a shared PostgreSQL one (organisation mode: logins), not a SQLite file."""
    return isinstance(target, PgUrl)


def is_refusal(exc: Exception) -> bool:
    """Whether an error is the database's refusal of another cadre's record (row-level security)."""
    from congtac12.store.postgres import refused_message

    return isinstance(exc, DatabaseError) and exc.message == refused_message()


def as_login(base: PgUrl, login: str, password: str) -> PgUrl:
    """``base`` (the server's database URL) with ``login`` and ``password`` in place of its own."""
    parts = urlsplit(base.url)
    host = parts.netloc.rpartition("@")[2]
    query = "&".join(
        p for p in parts.query.split("&") if p and p.split("=", 1)[0].lower() not in ("user", "password", "passfile")
    )
    netloc = f"{quote(login, safe='')}:{quote(password, safe='')}@{host}"
    return PgUrl(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def log_in(base: PgUrl, login: str, password: str) -> LoggedIn:
    """The login's rights when PostgreSQL accepts its password; NotAllowed when it refuses it."""
    from sqlalchemy import exc as sa_exc

    from congtac12.store import org, postgres
    from congtac12.store.engine import translate_errors
    from congtac12.store.org import check_login

    login = check_login(login)
    if not password:
        # An empty password would let libpq fall back to the server's own ~/.pgpass or $PGPASSWORD.
        raise InvalidInput(_("the password is empty; give the password of login {login}").format(login=login))
    target = as_login(base, login, password)
    engine = postgres.make_engine(target, write=False)
    try:
        try:
            conn = engine.connect()
        except sa_exc.OperationalError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None) or ""
            if sqlstate.startswith("28") or "authentication" in str(exc.orig).lower():
                raise NotAllowed(_("login {login} or its password is wrong").format(login=login)) from None
            with translate_errors(target):
                raise
        with translate_errors(target):
            from sqlmodel import Session

            with Session(bind=conn) as s:
                r = org.rights(s)
            conn.close()
    finally:
        engine.dispose()
    if not r.everything and r.cadre_id is None:
        raise DatabaseError(
            _(
                "login {login} is not tied to a cadre in this database (the owner ties it with "
                "'congtac12 org grant --cadre CODE --login {login}')"
            ).format(login=login)
        )
    return LoggedIn(target, r.login, r.everything, r.cadre_code, r.cadre_name)
