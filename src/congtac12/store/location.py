"""Where the database is: ``--db``, else ``$CONGTAC12_DB``, else the user data folder.

A database is either a SQLite file (a path) or, in organisation mode, a
PostgreSQL database (a ``postgresql://`` URL, see ``postgres``). Kept apart
from ``engine`` so that finding the database imports no database stack.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from congtac12.errors import InvalidInput
from congtac12.i18n import _

ENV_VAR = "CONGTAC12_DB"
URL_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class PgUrl:
    """A PostgreSQL database named by a libpq URL; shown without its password."""

    url: str

    def __str__(self) -> str:
        # postgresql://user:secret@host/db -> postgresql://user:***@host/db
        shown = re.sub(r"^([A-Za-z+]+://[^:/@?#]*):[^@/?#]*@", r"\1:***@", self.url)
        return re.sub(r"([?&]password=)[^&#]*", r"\1***", shown)

    @property
    def sqlalchemy_url(self) -> str:
        """The same URL for SQLAlchemy, with the psycopg (3) driver."""
        _scheme, rest = self.url.split("://", 1)
        return "postgresql+psycopg://" + rest


Target = Path | PgUrl


def is_url(text: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("congtac12", appauthor=False)) / "congtac12.db"


def checked_path(text: str, what: str) -> Path:
    """A path typed by the user, refused if no file system could hold it."""
    if "\x00" in text:
        raise InvalidInput(_("{what} contains a NUL character; accepted: a file path").format(what=what))
    try:
        # UTF-8 only: a name with undecodable bytes could not be shown in a message.
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            _("{what} is not valid UTF-8 text; accepted: a file path in UTF-8").format(what=what)
        ) from None
    return Path(text).expanduser()


def checked_target(text: str, what: str) -> Target:
    """A database typed by the user: a file path, or a ``postgresql://`` URL."""
    if is_url(text):
        scheme = text.split("://", 1)[0].lower()
        if scheme not in URL_SCHEMES:
            raise InvalidInput(
                _(
                    "{what}: {scheme}:// is not a database congtac12 can use; "
                    "accepted: a SQLite file path or a postgresql:// URL"
                ).format(what=what, scheme=scheme)
            )
        if "\x00" in text:
            raise InvalidInput(_("{what} contains a NUL character; accepted: a file path").format(what=what))
        _check_port(text, what)
        return PgUrl(text)
    return checked_path(text, what)


def _check_port(url: str, what: str) -> None:
    """A URL's port, if it has one, is a number from 1 to 65535 (else libpq's parser would fail obscurely)."""
    from urllib.parse import urlsplit

    try:
        port = urlsplit(url).port
    except ValueError:
        port = 0
    if port == 0:
        netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]
        raise InvalidInput(
            _("{what}: the port in {netloc!r} is not valid; accepted: a number from 1 to 65535").format(
                what=what, netloc=netloc[:60]
            )
        )


def resolve_path(option: str | None) -> Target:
    """The database the command works on: a SQLite file path or a PostgreSQL URL."""
    if option is not None:
        if not option.strip():
            raise InvalidInput(_("--db is empty; accepted: a database file path or a postgresql:// URL"))
        return checked_target(option, "--db")
    chosen = os.environ.get(ENV_VAR) or None
    return checked_target(chosen, ENV_VAR) if chosen else default_path()
