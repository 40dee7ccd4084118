"""Opening a database to write it with the driver alone, exactly as ``engine.session`` opens it.

SQLite: the file is checked as ``engine`` checks it (``sqlite_file.inspect``); a missing or empty
file is made, and an older schema upgraded, through the ORM's path (``sqlite.open_engine``: once per
database) before it is opened; a newer one is refused with today's line. The connection gets the
engine's pragmas (busy timeout, foreign keys, synchronous FULL, WAL) and, to write, takes the write
lock at its ``BEGIN IMMEDIATE`` with the engine's own ``sqlite_file.begin_writing`` (waiting while the
queue of writers moves).

PostgreSQL: opened as a read opens it (``read.connect.pg_open``: the same URL and
``pg_login.connect_args``, so the same role, row-level security and timeouts, the same schema
check); READ COMMITTED with congtac12's writers' advisory lock, as ``postgres.make_engine``'s
writing session.

One transaction: committed at the end, rolled back on any error (nothing partial is written);
the database's failures as the engine's one-line errors (``translate.failure``, which
``translate_errors`` words them with).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from congtac12.store.location import PgUrl, Target
from congtac12.store.read.connect import Reader, pg_open, sqlite_pragmas
from congtac12.store.sqlite_file import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    begin_writing,
    file_uri,
    inspect,
    missing_database,
    read_only_medium,
)
from congtac12.store.translate import failure

Notify = Callable[[str], None]
# pg_advisory_xact_lock key of congtac12's writers (``postgres.WRITE_LOCK``; a test checks).
WRITE_LOCK = APPLICATION_ID


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_moment(value: datetime | None) -> str | None:
    # As SQLAlchemy's SQLite DateTime writes it (the offset left out: moments are kept in UTC).
    if value is None:
        return None
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def _same(value: Any) -> Any:
    return value


class Writer(Reader):
    """A DB-API connection inside one writing transaction (a ``Reader`` too), and how its driver takes values."""

    def __init__(self, con: Any, target: Target, *, postgres: bool) -> None:
        super().__init__(con, target, postgres=postgres)
        # A date and a moment as the driver is given them: SQLAlchemy's own conversion (ISO text on SQLite).
        self.to_day: Callable[[Any], Any] = _same if postgres else _sqlite_date
        self.to_moment: Callable[[Any], Any] = _same if postgres else _sqlite_moment

    def _sql(self, sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """One statement written with ``?`` placeholders."""
        self.con.execute(self._sql(sql), params).close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        """The one row of one statement."""
        cur = self.con.execute(self._sql(sql), params)
        try:
            row: tuple[Any, ...] = cur.fetchone()
            return row
        finally:
            cur.close()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        cur = self.con.cursor()
        try:
            cur.executemany(self._sql(sql), rows)
        finally:
            cur.close()


@contextmanager
def writing(target: Target, *, write: bool = True, notify: Notify | None = None) -> Iterator[Writer]:
    """The database of a command that writes (``write``; else a dry run, which reads), in one
    transaction; a missing database is made to write, refused to read, as ``cli.common.session`` does."""
    if isinstance(target, PgUrl):
        with _postgres(target, write, notify) as w:
            yield w
    else:
        with _sqlite(target, write, notify) as w:
            yield w


def _ensure_sqlite(path: Path, write: bool, notify: Notify | None) -> None:
    state, version = inspect(path)
    if state == "ours" and version == SCHEMA_VERSION:
        return
    if state != "ours" and not write:  # only a command that writes makes a database (``cli.common.session``)
        raise missing_database(path)
    # A new file or an older schema: made or upgraded through the ORM's path, as today.
    from congtac12.store.engine import translate_errors
    from congtac12.store.sqlite import create, ensure_schema

    with translate_errors(path):
        if state == "missing":
            create(path)
        ensure_schema(path, notify=notify)


@contextmanager
def _sqlite(path: Path, write: bool, notify: Notify | None) -> Iterator[Writer]:
    _ensure_sqlite(path, write, notify)
    try:
        con = sqlite3.connect(
            file_uri(path, read_only=not write and path.exists() and read_only_medium(path)), uri=True
        )
    except sqlite3.Error as exc:
        raise failure(path, exc, integrity=False) from None
    try:
        try:
            sqlite_pragmas(con)  # we issue BEGIN ourselves
            if write:
                con.execute("PRAGMA journal_mode = WAL")  # a no-op in WAL mode; back on in a restored backup
                begin_writing(con)
            else:
                con.execute("BEGIN")
            try:
                yield Writer(con, path, postgres=False)
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise failure(path, exc, integrity=isinstance(exc, sqlite3.IntegrityError)) from None
    finally:
        con.close()


@contextmanager
def _postgres(target: PgUrl, write: bool, notify: Notify | None) -> Iterator[Writer]:
    con = pg_open(target, "READ_COMMITTED" if write else "REPEATABLE_READ", notify)
    import psycopg

    try:
        try:
            if write:
                con.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            try:
                yield Writer(con, target, postgres=True)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        except psycopg.Error as exc:
            raise failure(target, exc, integrity=isinstance(exc, psycopg.IntegrityError)) from None
    finally:
        con.close()


__all__ = ["Writer", "writing"]
