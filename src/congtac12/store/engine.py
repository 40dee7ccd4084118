"""The one place that opens the database: it picks the backend from the target, and gives a
command its session.

A ``postgresql://`` URL is PostgreSQL (``postgres``, organisation mode); a path is a SQLite
file (``sqlite``), the default. The two backend modules never import each other; what they
share is in ``schema`` (a new schema, what an upgrade changed), ``translate`` (the database's
failures as one-line errors) and ``sqlite_file`` (the schema version and the busy timeout).

Every session this module gives records its changes in the history: the audit's listeners are
installed here, by an explicit call (``audit.install``), before the first session opens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from congtac12.store import audit, postgres, sqlite
from congtac12.store.location import PgUrl, Target
from congtac12.store.schema import SchemaChange, new_schema, seed_units
from congtac12.store.sqlite import backup_to, ensure_schema, make_engine, new_file, status
from congtac12.store.sqlite_file import (
    APPLICATION_ID,
    BUSY_ENV_VAR,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    busy_timeout_ms,
    file_uri,
    inspect,
    missing_database,
    newer,
)
from congtac12.store.translate import describe, refused_message, translate_errors

# The names callers import from here (the one door to the database).
__all__ = [
    "APPLICATION_ID",
    "BUSY_ENV_VAR",
    "BUSY_TIMEOUT_MS",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "Notify",
    "SchemaChange",
    "backup_to",
    "busy_timeout_ms",
    "describe",
    "ensure_schema",
    "file_uri",
    "forget_new",
    "inspect",
    "make_engine",
    "missing_database",
    "new_file",
    "new_schema",
    "newer",
    "open_engine",
    "refused_message",
    "seed_units",
    "session",
    "status",
    "translate_errors",
    "upgrade_database",
]

Notify = Callable[[str], None]


def open_engine(path: Target, *, write: bool, notify: Notify | None = None, create: bool = True) -> Engine:
    """The engine of an existing database, made new (``create``) or upgraded first when needed.

    Without ``create`` a missing or empty file is refused (``missing_database``) and left as it
    is: a read command with a mistyped ``--db`` fails loudly instead of making an empty database.
    """
    if isinstance(path, PgUrl):
        return postgres.open_engine(path, write=write, notify=notify)
    return sqlite.open_engine(path, write=write, notify=notify, create_missing=create)


def forget_new(path: Target) -> None:
    """Remove a SQLite file this command made a moment ago, when nothing was recorded in it.

    A command that writes makes a missing database; when it then fails (an import
    refused), the new file holds only the schema and the seeded unions: removing it
    leaves the disk as it was. A file holding any change or cadre is never touched.
    """
    if isinstance(path, Path):
        sqlite.forget_new(path)


def upgrade_database(path: Target, *, notify: Notify | None = None) -> SchemaChange:
    """``db upgrade``: the upgrade that opening does, for an existing database only."""
    if isinstance(path, PgUrl):
        return postgres.ensure_schema(path, notify=notify, only_existing=True)
    return sqlite.upgrade_database(path, notify=notify)


@contextmanager
def session(
    path: Target, *, write: bool = False, notify: Notify | None = None, create: bool = True
) -> Iterator[Session]:
    """One command, one transaction: committed at the end, rolled back on any error.

    ``create``: make the database when there is none (see ``open_engine``).

    Every change to an audited table made through this session is recorded in
    the same transaction (see ``audit``).
    """
    audit.install()
    with translate_errors(path):
        engine = open_engine(path, write=write, notify=notify, create=create)
    try:
        with translate_errors(path), Session(engine, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise
    finally:
        engine.dispose()
