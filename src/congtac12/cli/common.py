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

    return open_session(db_path(), write=write)


def cycle_collector_paused(fn: F) -> F:
    """Run ``fn`` with Python's cyclic garbage collector paused, as it was after.

    For a command that builds many small objects and no reference cycles (the
    facts, the evaluation, the rendered rows): reference counting frees them
    all the same, while the collector would walk them again at each of its
    passes. At a million visits that was a sixth of ``status``, and it grew
    faster than the data; it also spares the pass over the stack being imported.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import gc

        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper  # type: ignore[return-value]
