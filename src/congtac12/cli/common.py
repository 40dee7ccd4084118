"""What every command shares: the root options, error handling, output helpers.

Imports nothing heavy; commands import the store and Rich inside their bodies.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from congtac12.dates import FIRST_YEAR, LAST_YEAR
from congtac12.errors import CongtacError
from congtac12.i18n import _

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.console import Console
    from sqlmodel import Session

    from congtac12.domain.policy import Policy
    from congtac12.store.location import Target
    from congtac12.store.read.connect import Reader

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
            for line in getattr(exc, "lines", None) or [exc.message]:  # ManyErrors: one line each
                error(line)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def error(message: str) -> None:
    # One line whatever the user typed: a file name may hold a line break.
    one_line = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], message)
    sys.stderr.write(_("Error: {message}").format(message=one_line) + "\n")


def console() -> Console:
    """Rich's console for stdout. Piped (not a terminal), a message is never wrapped at a width,
    even with ``COLUMNS`` set: a line such as "Undo with: congtac12 restore-visit 2" stays whole,
    for a script or a copy; only tables fit the width (``COLUMNS``, else 80; ``render.fit``)."""
    from rich.console import Console

    con = Console(highlight=False)
    con.soft_wrap = not con.is_terminal
    return con


def print_json(obj: Any) -> None:
    """``json.dumps(obj, ensure_ascii=False, indent=2)`` and a newline (``render.json_text``: the same
    text, written a cadre at a time)."""
    from congtac12.render import json_text

    json_text.write(obj, sys.stdout)


def today() -> date:
    return date.today()


def parse_date(text: str, what: str) -> date:
    from congtac12.dates import parse_date as parse

    return parse(text, today=today(), what=what)


def db_path() -> Target:
    from congtac12.store.location import resolve_path

    return resolve_path(OPTIONS.db)


def notice(message: str) -> None:
    """A one-line note on stderr (the database was upgraded…)."""
    sys.stderr.write(message + "\n")


def session(*, write: bool = False) -> AbstractContextManager[Session]:
    """The command's transaction. Only a command that writes makes a database that is not there:
    one that reads refuses a missing file (a mistyped --db in a cron line must not pass silently)."""
    from congtac12.store.engine import session as open_session

    return open_session(db_path(), write=write, notify=notice, create=write)


def reader() -> AbstractContextManager[Reader]:
    """A command that only reads: the database through plain SQL (``store.read``), no ORM.
    A missing database is refused, an older schema upgraded first, as ``session`` does."""
    from congtac12.store.read.connect import reading

    return reading(db_path(), notify=notice)


# --- choosing a policy --------------------------------------------------------------

YEAR_MIN, YEAR_MAX = FIRST_YEAR, LAST_YEAR  # one definition: dates.py

PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        metavar="ID|FILE",
        help=_(
            "A preset id (see 'congtac12 policy list') or a policy TOML file "
            "(default: the database's, set by 'config set policy', else the ha-noi preset of the year)."
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
    """The policy a command evaluates with (``services.policy.resolve``), as of today by default."""
    from congtac12.services.policy import resolve

    return resolve(s, policy, year, day=as_of or today())


def outside_window(policy: Policy, start: date, end: date) -> bool:
    """A visit none of whose days fall in the policy's window (it counts 0 days)."""
    return end < policy.window_start or start > policy.window_end


def warn_outside(policy: Policy, visits: list[tuple[int, date, date]]) -> None:
    """Warn about visits (id, first day, last day) that count 0 days: outside the policy's window."""
    from congtac12.dates import show, show_period

    if not visits:
        return
    shown = ", ".join(_("visit {id} ({when})").format(id=i, when=show_period(a, b)) for i, a, b in visits[:5])
    more = _(" and {n} more").format(n=len(visits) - 5) if len(visits) > 5 else ""
    warn(
        _(
            "{visits}{more}: outside the window {first} to {last} of policy {policy}, so 0 days counted and "
            "no report owed; for another year choose its policy (--policy, 'congtac12 config set policy ID|FILE')"
        ).format(
            visits=shown,
            more=more,
            first=show(policy.window_start),
            last=show(policy.window_end),
            policy=policy.id,
        )
    )


def warn(message: str) -> None:
    """A warning: one line on stderr; the command goes on."""
    one_line = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], message)
    sys.stderr.write(_("Warning: {message}").format(message=one_line) + "\n")


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
