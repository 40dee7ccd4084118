"""What every command shares: the root options, error handling, output helpers.

Imports nothing heavy; commands import the store and Rich inside their bodies.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from congtac12.errors import CongtacError
from congtac12.i18n import _
from congtac12.services.policy import POLICY_SETTING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from pathlib import Path

    from rich.console import Console
    from sqlmodel import Session

    from congtac12.domain.policy import Policy

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
    # One line whatever the user typed: a file name may hold a line break.
    one_line = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], message)
    sys.stderr.write(_("Error: {message}").format(message=one_line) + "\n")


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def print_json(obj: Any) -> None:

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def today() -> date:
    return date.today()


def parse_date(text: str, what: str) -> date:
    from congtac12.dates import parse_date as parse

    return parse(text, today=today(), what=what)


def db_path() -> Path:
    from congtac12.store.location import resolve_path

    return resolve_path(OPTIONS.db)


def notice(message: str) -> None:
    """A one-line note on stderr (the database was upgraded…)."""
    sys.stderr.write(message + "\n")


def session(*, write: bool = False) -> AbstractContextManager[Session]:
    from congtac12.store.engine import session as open_session

    return open_session(db_path(), write=write, notify=notice)


# --- choosing a policy --------------------------------------------------------------

YEAR_MIN, YEAR_MAX = 1900, 9998

PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        metavar="ID|FILE",
        help=_(
            "A preset id (see 'congtac12 policy list') or a policy TOML file "
            "(default: the database's, set by 'config set policy', else ha-noi-2020)."
        ),
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        min=YEAR_MIN,
        max=YEAR_MAX,
        help=_(
            "The year to evaluate: the policy's own preset for that year (ha-noi-2020 with --year 2021 is ha-noi-2021)."
        ),
    ),
]


def resolve_policy(policy: str | None, year: int | None, s: Session, *, as_of: date | None = None) -> Policy:
    """The policy a command evaluates with, for ``status``, ``summary``, ``remind``…

    ``policy``: ``--policy`` (a preset id or a file), else the database's
    default, else ``ha-noi-2020``. ``year``: ``--year``; the policy's own year
    when None (for a policy repeating yearly, the year holding ``as_of``,
    today by default). See ``policies.policy_for``.
    """
    from congtac12.errors import NotFound
    from congtac12.policies import DEFAULT_POLICY, policy_for
    from congtac12.store import queries

    stored = queries.setting(s, POLICY_SETTING) if policy is None else None
    name = policy if policy is not None else stored or DEFAULT_POLICY
    try:
        return policy_for(name, year, as_of or today())
    except NotFound as exc:
        if stored is not None:
            raise NotFound(
                _("{problem} (the database's default policy; change it with 'congtac12 config set policy ID')").format(
                    problem=exc.message
                )
            ) from None
        raise


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
