"""The one place that finds, checks and opens the database.

Path: ``--db``, else ``$CONGTAC12_DB``, else the platform's user data folder
(``congtac12/congtac12.db``). A new file is created with its folder, readable
by its owner only, and seeded with Hanoi's district-level unions. An existing
file is used only if it is a SQLite database that we made (its header carries
our application id); anything else is refused and left untouched.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlmodel import Session, SQLModel

from congtac12.errors import DatabaseError
from congtac12.store import models
from congtac12.store.location import ENV_VAR, default_path, resolve_path  # noqa: F401
from congtac12.store.seed import HANOI_UNIONS

APPLICATION_ID = 0x43543132  # "CT12", in the SQLite header (PRAGMA application_id)
SCHEMA_VERSION = 1  # PRAGMA user_version
BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def _status(path: Path) -> str:
    """'missing', 'empty' (usable as new) or 'ours'; raises for anything else."""
    if not path.exists():
        return "missing"
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder; give the path of a database file")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if not header:
        return "empty"
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(
            f"{path} is not a SQLite database; give a congtac12 database or a new file name"
        )
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} cannot be read as a SQLite database ({exc})") from None
    if app_id != APPLICATION_ID:
        if tables == 0:
            return "empty"
        raise DatabaseError(
            f"{path} is a SQLite database of another program, not congtac12; it was left untouched"
        )
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} has schema version {version}, newer than this congtac12 knows "
            f"({SCHEMA_VERSION}); upgrade congtac12. The file was left untouched"
        )
    return "ours"


def _configure(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con, _record):  # noqa: ANN001
        dbapi_con.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_con.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A writer takes the write lock at once, so two writers queue on the
        # busy timeout instead of failing on a lock upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseError(f"cannot create the database {path}: {exc.strerror}") from None


def _initialise(engine: Engine) -> None:
    # Outside any transaction: SQLite cannot change into WAL inside one (after
    # BEGIN it raises, after BEGIN IMMEDIATE it silently stays in 'delete'), and
    # a SQLAlchemy connection always begins one through _on_begin.
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()
    with engine.begin() as conn:
        SQLModel.metadata.create_all(conn)
        conn.execute(
            models.Unit.__table__.insert(),
            [{"name": name, "level": "huyen", "created_at": models._now()} for name in HANOI_UNIONS],
        )
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def open_engine(path: Path, *, write: bool) -> Engine:
    state = _status(path)
    if state == "missing":
        _create(path)
    engine = create_engine(f"sqlite:///{path}")
    _configure(engine, immediate=write)
    if state != "ours":
        with translate_errors(path):
            _initialise(engine)
    return engine


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's operational failures into one-line DatabaseErrors."""
    try:
        yield
    except sa_exc.OperationalError as exc:
        raise DatabaseError(_describe(path, exc.orig)) from None
    except sqlite3.OperationalError as exc:  # from a raw connection (see _initialise)
        raise DatabaseError(_describe(path, exc)) from None


def _describe(path: Path, orig: BaseException | None) -> str:
    text = str(orig).lower()
    if "locked" in text or "busy" in text:
        return (
            f"{path} is locked by another program for more than {BUSY_TIMEOUT_MS // 1000} s; "
            "nothing was written, try again"
        )
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only (the file or its folder); nothing was written"
    if "disk" in text and "full" in text:
        return f"the disk holding {path} is full; nothing was written"
    if "unable to open" in text:
        return f"cannot open {path}; check that its folder exists and is writable"
    return f"database error on {path}: {orig}"


@contextmanager
def session(path: Path, *, write: bool = False) -> Iterator[Session]:
    """One command, one transaction: committed at the end, rolled back on any error."""
    engine = open_engine(path, write=write)
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
