"""Opening a database to read it, with the driver alone, exactly as the write path would.

SQLite: the file is checked as ``engine`` checks it (``sqlite_file.inspect``: our header
marks and ``PRAGMA user_version`` against ``SCHEMA_VERSION``); a missing or empty file is
refused, a newer schema refused with today's line, an older one upgraded through the
ORM's path (``engine.ensure_schema``, which imports SQLAlchemy and Alembic: once per
database) before it is read. The connection gets the engine's pragmas and reads in one
transaction.

PostgreSQL: the same URL and ``pg_login.connect_args`` as the engine's, so the same role,
row-level security and timeouts; one REPEATABLE READ transaction; a database whose
``alembic_version`` is not ``SCHEMA_VERSION`` (or that is not ours yet) goes through
``postgres.ensure_schema`` as it does today.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from congtac12.errors import DatabaseError
from congtac12.store.location import PgUrl, Target
from congtac12.store.sqlite_file import (
    SCHEMA_VERSION,
    busy_timeout_ms,
    describe,
    file_uri,
    inspect,
    missing_database,
    read_only_medium,
)

Notify = Callable[[str], None]


def _same(value: Any) -> Any:
    return value


def _sqlite_maybe_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _sqlite_moment(value: str | None) -> datetime | None:
    # SQLite keeps UTC as text without an offset. (``store.rows`` and its dataclasses are
    # imported by the reads that show a moment, not by every read: a status shows none.)
    from congtac12.store.rows import utc

    return utc(datetime.fromisoformat(value)) if value is not None else None


def _pg_moment(value: datetime | None) -> datetime | None:
    from congtac12.store.rows import utc

    return utc(value) if value is not None else None


class Reader:
    """A DB-API connection inside one reading transaction, and how its driver spells things."""

    def __init__(self, con: Any, target: Target, *, postgres: bool) -> None:
        self.con = con
        self.target = target
        self.postgres = postgres
        # SQLite keeps dates as ISO text (SQLAlchemy's Date); psycopg returns dates.
        # A NOT NULL date column; date.fromisoformat itself, not a function calling it: once per visit's day.
        self.day: Callable[[Any], date] = _same if postgres else date.fromisoformat
        self.maybe_day: Callable[[Any], date | None] = _same if postgres else _sqlite_maybe_day
        self.moment: Callable[[Any], datetime | None] = _pg_moment if postgres else _sqlite_moment
        # (first, last, {visit id: unit id}) of the last ``facts.facts`` of all cadres (``visit_units``)
        self.window_units: tuple[date, date, dict[int, int]] | None = None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of one statement written with ``?`` placeholders."""
        if self.postgres:
            sql = sql.replace("?", "%s")
        cur = self.con.execute(sql, params)
        try:
            rows: list[tuple[Any, ...]] = cur.fetchall()
            return rows
        finally:
            cur.close()

    def each(self, sql: str, params: Sequence[Any] = (), *, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
        """The rows of one statement, a batch at a time: the visits of a large window become
        facts without all their raw rows held at once beside them."""
        if self.postgres:
            sql = sql.replace("?", "%s")
        cur = self.con.execute(sql, params)
        try:
            while rows := cur.fetchmany(batch):
                yield from rows
        finally:
            cur.close()

    def dates(self, values: Sequence[date]) -> list[Any]:
        """Dates as the driver takes them in a comparison with a stored date."""
        return list(values) if self.postgres else [d.isoformat() for d in values]


@contextmanager
def reading(target: Target, *, notify: Notify | None = None) -> Iterator[Reader]:
    """The database of a command that only reads, in one transaction; failures as one line."""
    if isinstance(target, PgUrl):
        with _postgres(target, notify) as r:
            yield r
    else:
        with _sqlite(target, notify) as r:
            yield r


@contextmanager
def _sqlite(path: Path, notify: Notify | None) -> Iterator[Reader]:
    state, version = inspect(path)
    if state != "ours":
        raise missing_database(path)
    if version < SCHEMA_VERSION:
        from congtac12.store.engine import ensure_schema, translate_errors

        with translate_errors(path):
            ensure_schema(path, notify=notify)
    try:
        # As engine._engine and engine._configure open a reading connection.
        con = sqlite3.connect(file_uri(path, read_only=path.exists() and read_only_medium(path)), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(describe(path, exc)) from None
    try:
        try:
            sqlite_pragmas(con)
            con.execute("BEGIN")
            yield Reader(con, path, postgres=False)
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            raise DatabaseError(describe(path, exc)) from None
    finally:
        con.close()


def sqlite_pragmas(con: sqlite3.Connection) -> None:
    """The engine's pragmas on a driver's connection (as ``engine._configure``): busy timeout,
    foreign keys, synchronous FULL; the transactions are begun by the caller."""
    con.isolation_level = None
    con.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA synchronous = FULL")


def pg_open(target: PgUrl, isolation: str, notify: Notify | None) -> Any:
    """A ``psycopg`` connection as the engine's (the same URL, ``pg_login.connect_args``: the same
    role, row-level security and timeouts), at the ``IsolationLevel`` named ``isolation``, its
    schema checked (made or upgraded through ``postgres.ensure_schema`` when it is not
    ``SCHEMA_VERSION``) and a transaction begun with the engine's lock timeout; the reading and
    the writing path's. Failures as one line; the caller closes the connection."""
    from congtac12.store import pg_login

    pg_login.require_driver()
    import psycopg

    lock_ms, statement_ms = busy_timeout_ms(), pg_login.statement_timeout_ms()
    try:
        con = psycopg.connect(target.url, **pg_login.connect_args(lock_ms, statement_ms))
    except psycopg.Error as exc:
        raise DatabaseError(pg_login.describe(target, exc)) from None
    try:
        con.isolation_level = psycopg.IsolationLevel[isolation]
        state, version = _pg_inspect(con, target)
        con.rollback()
        if state != "ours" or version != SCHEMA_VERSION:
            from congtac12.store import postgres
            from congtac12.store.engine import translate_errors

            with translate_errors(target):
                postgres.ensure_schema(target, notify=notify)
        con.execute(f"SET LOCAL lock_timeout = {int(lock_ms)}")  # as postgres.make_engine's begin
    except BaseException as exc:
        con.close()
        if isinstance(exc, psycopg.Error):
            raise DatabaseError(pg_login.describe(target, exc)) from None
        raise
    return con


@contextmanager
def _postgres(target: PgUrl, notify: Notify | None) -> Iterator[Reader]:
    from congtac12.store import pg_login

    con = pg_open(target, "REPEATABLE_READ", notify)
    import psycopg

    try:
        try:
            yield Reader(con, target, postgres=True)
            con.commit()
        except psycopg.Error as exc:
            raise DatabaseError(pg_login.describe(target, exc)) from None
    finally:
        con.close()


def _pg_inspect(con: Any, target: PgUrl) -> tuple[str, int]:
    """('empty' | 'ours', schema version): ``postgres.inspect``'s answer, read with the driver."""
    from congtac12.i18n import _

    tables = {name for (name,) in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    if not tables:
        return "empty", 0
    if "alembic_version" not in tables or "cadre" not in tables:
        raise DatabaseError(
            _(
                "{path} is a PostgreSQL database of another program, not congtac12 "
                "(it has tables but not ours); it was left untouched"
            ).format(path=target)
        )
    row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return "ours", int(row[0] if row and row[0] else 0)
