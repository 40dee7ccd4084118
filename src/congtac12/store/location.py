"""Where the database is: ``--db``, else ``$CONGTAC12_DB``, else the user data folder.

Kept apart from ``engine`` so that finding the path imports no database stack.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CONGTAC12_DB"


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("congtac12", appauthor=False)) / "congtac12.db"


def resolve_path(option: str | None) -> Path:
    chosen = option or os.environ.get(ENV_VAR) or None
    return Path(chosen).expanduser() if chosen else default_path()
