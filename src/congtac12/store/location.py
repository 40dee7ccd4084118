"""Where the database is: ``--db``, else ``$CONGTAC12_DB``, else the user data folder.

Kept apart from ``engine`` so that finding the path imports no database stack.
"""

from __future__ import annotations

import os
from pathlib import Path

from congtac12.errors import InvalidInput
from congtac12.i18n import _

ENV_VAR = "CONGTAC12_DB"


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


def resolve_path(option: str | None) -> Path:
    if option:
        return checked_path(option, "--db")
    chosen = os.environ.get(ENV_VAR) or None
    return checked_path(chosen, ENV_VAR) if chosen else default_path()
