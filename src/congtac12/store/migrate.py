"""Schema revisions, run with Alembic from inside the package.

The revisions live in ``store/migrations/versions`` (one file per revision, a
linear chain ``0001`` → ``0002`` → …; see the README there). Revision ``N`` is
schema version ``N``: the number is also kept in ``PRAGMA user_version``, which
``engine`` reads without importing Alembic, so opening an up-to-date database
costs nothing. Alembic's own ``alembic_version`` table holds the same revision.
No ``alembic.ini`` and no ``env.py``: the migrations run on the caller's
connection, inside the caller's one transaction, so an upgrade is all or
nothing (SQLite's DDL is transactional).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR))


def head_version() -> int:
    """The newest schema version the revisions know."""
    head = script_directory().get_current_head()
    assert head is not None  # the revisions are shipped with the package
    return int(head)


def upgrade(
    connection: Connection,
    *,
    from_version: int,
    on_step: Callable[[int], None] | None = None,
    to: str = "head",
) -> None:
    """Run every revision after ``from_version`` (0: an empty database) in the connection's transaction.

    ``on_step(version)`` is called after each revision is applied, before the
    transaction commits. ``to``: the last revision to run (tests build older
    schemas with it).
    """
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    script = script_directory()

    def steps(heads: Any, _ctx: Any) -> Any:
        return script._upgrade_revs(to, heads)

    callbacks = []
    if on_step is not None:
        callbacks.append(lambda *, step, **_kw: on_step(int(step.up_revision_id)))
    assert connection.in_transaction(), "migrations run inside the caller's transaction"
    ctx = MigrationContext.configure(connection, opts={"fn": steps, "on_version_apply": callbacks})
    if from_version and not ctx.get_current_heads():
        # A database made before Alembic (schema 1 of main at 001e7dc) has
        # user_version but no alembic_version table: say where it stands.
        ctx.stamp(script, f"{from_version:04d}")
    with Operations.context(ctx):
        ctx.run_migrations()
