"""How congtac12 logs in to PostgreSQL, with the driver alone: no SQLAlchemy.

The engine of the write path (``postgres``) and the plain connection of the read
path (``read.connect``) log in alike, with ``connect_args``: the same URL, so the
same role (and the same row-level security), and the same settings.
"""

from __future__ import annotations

from typing import Any

from congtac12.errors import DatabaseError
from congtac12.i18n import _
from congtac12.store.location import PgUrl

STATEMENT_TIMEOUT_MS = 60_000
STATEMENT_ENV_VAR = "CONGTAC12_STATEMENT_TIMEOUT_MS"
EXTRA_HINT = "pip install 'congtac12[postgres]'"


def require_driver() -> None:
    """psycopg (3) must be installed: say which extra brings it."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseError(
            _(
                "a postgresql:// database needs PostgreSQL support, which is not installed; install it with: {command}"
            ).format(command=EXTRA_HINT)
        ) from None


def statement_timeout_ms() -> int:
    """How long one statement may run: $CONGTAC12_STATEMENT_TIMEOUT_MS, else 60 s (at most a day)."""
    import os

    from congtac12.errors import InvalidInput

    text = os.environ.get(STATEMENT_ENV_VAR, "").strip()
    if not text:
        return STATEMENT_TIMEOUT_MS
    if not (text.isascii() and text.isdigit() and len(text) <= 8 and 0 < int(text) <= 86_400_000):
        raise InvalidInput(
            _("{var}={value!r} is not valid; accepted: a whole number of milliseconds, 1 to 86400000").format(
                var=STATEMENT_ENV_VAR, value=text[:40]
            )
        )
    return int(text)


def connect_args(lock_timeout_ms: int, statement_ms: int) -> dict[str, Any]:
    """psycopg.connect's keywords beside the URL, for every connection congtac12 opens."""
    return {
        "connect_timeout": 10,
        "application_name": "congtac12",
        # Every connection, whatever it is for: a stuck session fails this command in one line, not all.
        "options": f"-c lock_timeout={int(lock_timeout_ms)} -c statement_timeout={int(statement_ms)}",
    }


def describe(target: PgUrl, orig: BaseException | None) -> str:
    """One line for a failure of the server or the connection."""
    from congtac12.store.sqlite_file import busy_timeout_ms

    sqlstate = getattr(orig, "sqlstate", None) or ""
    text = _first_line(orig)
    if sqlstate == "42501" or "row-level security" in text:
        return _("the database refused this ({reason}); nothing was written").format(reason=text)
    if sqlstate == "55P03" or "lock timeout" in text:
        return _(
            "{path} is locked by another program for more than {seconds} s; nothing was written, try again"
        ).format(path=target, seconds=f"{busy_timeout_ms() / 1000:g}")
    if sqlstate == "57014" and "statement timeout" in text:
        return _(
            "a statement on {path} ran for more than {seconds} s and was stopped ({var}); nothing was written"
        ).format(path=target, seconds=f"{statement_timeout_ms() / 1000:g}", var=STATEMENT_ENV_VAR)
    # 08: the connection; 28: the login or password; 3D000: no such database.
    if sqlstate.startswith(("08", "28", "3D")) or not sqlstate and "connection" in text:
        return _("cannot connect to {path}: {reason}").format(path=target, reason=text)
    return _("database error on {path}: {reason}").format(path=target, reason=text)


def _first_line(orig: BaseException | None) -> str:
    text = str(orig).strip()
    return text.splitlines()[0] if text else type(orig).__name__
