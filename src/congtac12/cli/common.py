"""What every command shares: the root options, error handling, output helpers.

Imports nothing heavy; commands import the store and Rich inside their bodies.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from congtac12.errors import CongtacError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from pathlib import Path

    from rich.console import Console
    from sqlmodel import Session

F = TypeVar("F", bound=Callable[..., Any])


class Options:
    """Root options, set by the root callback before any command runs."""

    db: str | None = None


OPTIONS = Options()


def guarded(fn: F) -> F:
    """Turn the domain's errors into one line on stderr and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CongtacError as exc:
            error(exc.message)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def error(message: str) -> None:
    sys.stderr.write(f"Error: {message}\n")


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def print_json(obj: Any) -> None:
    import json

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def today() -> date:
    return date.today()


def parse_date(text: str, what: str) -> date:
    from congtac12.dates import parse_date as parse

    return parse(text, today=today(), what=what)


def db_path() -> Path:
    from congtac12.store.engine import resolve_path

    return resolve_path(OPTIONS.db)


def session(*, write: bool = False) -> AbstractContextManager[Session]:
    from congtac12.store.engine import session as open_session

    _freeze_imports()
    return open_session(db_path(), write=write)


@functools.cache
def _freeze_imports() -> None:
    """Spare the garbage collector the imported stack, once per process.

    By the time a command opens the database it has imported SQLAlchemy,
    SQLModel and pydantic: a few hundred thousand objects that live until the
    process ends, yet every full collection would walk them again while the
    command builds its facts. Freezing them cuts ``status`` by a tenth.
    """
    import gc

    gc.freeze()
