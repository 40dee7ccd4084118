"""Organisation mode: the record in one shared PostgreSQL database.

``--db postgresql://LOGIN@HOST/DB`` (or ``$CONGTAC12_DB``) opens it through
psycopg 3, the optional extra ``congtac12[postgres]``. The password comes from
the URL, ``$PGPASSWORD`` or ``~/.pgpass`` (libpq reads the last two itself)
and is never shown: messages print the URL with ``***`` in its place.

The schema is made and upgraded by the same Alembic revisions as a SQLite
file (``migrate``); its version is Alembic's ``alembic_version``. A database is
ours when it holds that table and our ``cadre`` table; an empty database (no
table in its schema) is made ours; anything else is refused untouched.

Transactions match SQLite's: a writing command takes one advisory lock first,
so writers queue for at most the busy timeout (``lock_timeout``) instead of
failing on a conflict, and a reading command sees one snapshot (REPEATABLE
READ), so ``status`` or ``remind`` never mixes states from before and after
another command's write. Rights are the database's own (``org`` sets them up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event

from congtac12.errors import DatabaseError, NotFound
from congtac12.i18n import _
from congtac12.store import audit, migrate, pg_history
from congtac12.store.location import PgUrl
from congtac12.store.pg_login import (
    EXTRA_HINT,
    STATEMENT_ENV_VAR,
    STATEMENT_TIMEOUT_MS,
    connect_args,
    describe,
    require_driver,
    statement_timeout_ms,
)
from congtac12.store.schema import SchemaChange, new_schema
from congtac12.store.sqlite_file import SCHEMA_VERSION, busy_timeout_ms, newer
from congtac12.store.translate import refused_message, translate_errors

__all__ = [
    "EXTRA_HINT",
    "Notify",
    "STATEMENT_ENV_VAR",
    "STATEMENT_TIMEOUT_MS",
    "WRITE_LOCK",
    "connect_args",
    "connection",
    "describe",
    "ensure_schema",
    "inspect",
    "make_engine",
    "open_engine",
    "refused_message",
    "require_driver",
    "statement_timeout_ms",
    "translate_errors",
]


# pg_advisory_xact_lock key of congtac12's writers ("CT12", as in SQLite's header).
WRITE_LOCK = 0x43543132
Notify = Callable[[str], None]


def make_engine(target: PgUrl, *, write: bool) -> Engine:
    require_driver()
    timeout = busy_timeout_ms()
    statements = statement_timeout_ms()
    engine = create_engine(
        target.sqlalchemy_url,
        # A command is one process: one connection, kept for the command (its callers dispose of the engine).
        pool_size=1,
        max_overflow=4,
        connect_args=connect_args(timeout, statements),
        isolation_level="READ COMMITTED" if write else "REPEATABLE READ",
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(timeout)}")
        if write:
            # One writer at a time, as BEGIN IMMEDIATE on SQLite: checks made
            # before a write (duplicates, overlaps) still hold at its commit.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def inspect(conn: Connection, target: PgUrl) -> tuple[str, int]:
    """('empty' | 'ours', schema version) of the connected database; raises for anything else."""
    tables = {
        name for (name,) in conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    }
    if not tables:
        return "empty", 0
    if "alembic_version" not in tables or "cadre" not in tables:
        raise DatabaseError(
            _(
                "{path} is a PostgreSQL database of another program, not congtac12 "
                "(it has tables but not ours); it was left untouched"
            ).format(path=target)
        )
    version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return "ours", int(version or 0)


def ensure_schema(
    target: PgUrl,
    *,
    notify: Notify | None = None,
    on_step: Callable[[int], None] | None = None,
    only_existing: bool = False,
) -> SchemaChange:
    """Make an empty database ours, or upgrade an older one; one transaction (PostgreSQL's DDL is transactional)."""
    engine = make_engine(target, write=True)
    try:
        with translate_errors(target), engine.begin() as conn:
            state, version = inspect(conn, target)
            if state == "empty" and only_existing:
                raise NotFound(_("{path} is not a congtac12 database yet; nothing to upgrade").format(path=target))
            if version > SCHEMA_VERSION:
                raise DatabaseError(newer(target, version))
            if state == "empty":
                new_schema(conn, on_step=on_step)
            elif version < SCHEMA_VERSION:
                migrate.upgrade(conn, from_version=version, on_step=on_step)
            if state == "empty" or version < SCHEMA_VERSION or not pg_history.installed(conn):
                pg_history.install(conn, audit.trigger_columns())  # the history the database writes
    finally:
        engine.dispose()
    change = SchemaChange(version, SCHEMA_VERSION, None)
    if change.old and change.changed and notify is not None:
        notify(_("Upgraded {path} from schema {old} to {new}").format(path=target, old=change.old, new=change.new))
    return change


def open_engine(target: PgUrl, *, write: bool, notify: Notify | None = None) -> Engine:
    engine = make_engine(target, write=write)
    try:
        # The connection that looks goes back to the pool: the command's session reuses it.
        with translate_errors(target), engine.connect() as conn:
            state, version = inspect(conn, target)
            conn.rollback()
        if state != "ours" or version != SCHEMA_VERSION:
            ensure_schema(target, notify=notify)
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def connection(target: PgUrl) -> Iterator[Connection]:
    """A plain connection, outside any command's session (``org``, ``db copy``)."""
    engine = make_engine(target, write=True)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()
