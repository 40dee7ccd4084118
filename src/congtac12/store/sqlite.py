"""The SQLite backend: a database in one file, through SQLAlchemy's pysqlite driver.

Path: ``--db``, else ``$CONGTAC12_DB``, else the platform's user data folder
(``congtac12/congtac12.db``). A new file is created with its folder, readable
by its owner only, and seeded with Hanoi's district-level unions. An existing
file is used only if it is a SQLite database that we made (its header carries
our application id); anything else is refused and left untouched.

The schema is versioned (``PRAGMA user_version``, see ``migrate``). A new
database is made by running every revision; a database of an older schema is
copied beside itself (``NAME-schemaN-DATE.db``, mode 0600) and upgraded, in one
transaction, the first time it is opened; one of a newer schema is refused,
untouched.

Writers queue: each takes the write lock at its ``BEGIN IMMEDIATE`` and waits
for it up to the busy timeout (``sqlite_file.busy_timeout_ms``). This module
never imports the PostgreSQL backend (``postgres``); ``engine`` picks one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

from congtac12.atomic import atomic_path
from congtac12.errors import Conflict, DatabaseError, NotFound
from congtac12.i18n import _
from congtac12.store import migrate
from congtac12.store.schema import SchemaChange, new_schema
from congtac12.store.sqlite_file import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    begin_writing,
    busy_timeout_ms,
    describe,
    file_uri,
    inspect,
    missing_database,
    newer,
    read_only_medium,
)
from congtac12.store.translate import translate_errors

Notify = Callable[[str], None]


def status(path: Path) -> str:
    """'missing', 'empty' (usable as new) or 'ours'; raises for anything else."""
    return inspect(path)[0]


def _configure(engine: Engine, *, immediate: bool) -> None:
    timeout = busy_timeout_ms()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con: Any, _record: Any) -> None:
        dbapi_con.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_con.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        if immediate:
            # A no-op in WAL mode; turns it back on in a restored backup.
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock at once, so two writers queue on the
        # busy timeout instead of failing on a lock upgrade (on the driver's
        # connection, as the write path's own: ``sqlite_file.begin_writing``).
        if immediate:
            begin_writing(conn.connection.driver_connection)  # type: ignore[arg-type]  # open: not None
        else:
            conn.exec_driver_sql("BEGIN")


def make_engine(path: Path, *, immediate: bool) -> Engine:
    """A SQLAlchemy engine on the file: a writer takes the write lock at its BEGIN (``immediate``)."""

    uri = file_uri(path, read_only=not immediate and path.exists() and read_only_medium(path))
    engine = create_engine(URL.create("sqlite", database=uri, query={"uri": "true"}))
    _configure(engine, immediate=immediate)
    return engine


def create(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass  # another process made it a moment ago; ensure_schema takes turns on the lock
    except OSError as exc:
        raise DatabaseError(
            _("cannot create the database {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from None


def ensure_schema(
    path: Path, *, notify: Notify | None = None, on_step: Callable[[int], None] | None = None
) -> SchemaChange:
    """Make a new database, or upgrade an older one after copying it; one transaction.

    Decided under the write lock, so two processes opening an old database at
    once upgrade it once. ``on_step`` is migrate.upgrade's.
    """
    engine = make_engine(path, immediate=True)
    try:
        with translate_errors(path):
            # Outside any transaction: SQLite cannot change into WAL inside one
            # (after BEGIN it raises, after BEGIN IMMEDIATE it silently stays in
            # 'delete'), and a SQLAlchemy connection always begins one (_on_begin).
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]  # open: not None
            finally:
                raw.close()
            with engine.begin() as conn:
                app_id = conn.exec_driver_sql("PRAGMA application_id").scalar_one()
                version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
                tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                backup = None
                if app_id != APPLICATION_ID:
                    if tables:
                        raise DatabaseError(
                            _(
                                "{path} is a SQLite database of another program, not congtac12; it was left untouched"
                            ).format(path=path)
                        )
                    version = 0
                    new_schema(conn, on_step=on_step)
                elif version > SCHEMA_VERSION:
                    raise DatabaseError(newer(path, version))
                elif version < SCHEMA_VERSION:
                    # We hold the write lock and have written nothing: the copy
                    # is the database exactly as it was before the upgrade.
                    backup = backup_to(path, _backup_name(path, version))
                    try:
                        migrate.upgrade(conn, from_version=version, on_step=on_step)
                    except BaseException:
                        backup.unlink(missing_ok=True)  # nothing was upgraded: no copy to keep
                        raise
                conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    finally:
        engine.dispose()
    change = SchemaChange(version, SCHEMA_VERSION, backup)
    if change.old and change.changed and notify is not None:
        notify(
            _("Upgraded {path} from schema {old} to {new}; the schema-{old} copy is {backup}").format(
                path=path, old=change.old, new=change.new, backup=backup
            )
        )
    return change


def _backup_name(path: Path, version: int) -> Path:
    """``NAME-schemaN-YYYY-MM-DD.db`` beside the database; -2, -3… if taken."""
    stem = f"{path.stem}-schema{version}-{datetime.now().date().isoformat()}"
    suffix = path.suffix or ".db"
    candidate = path.with_name(stem + suffix)
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}-{n}{suffix}")
        n += 1
    return candidate


@contextmanager
def new_file(target: Path, cannot: Callable[[str], str]) -> Iterator[None]:
    """Making a file that must not exist yet: an existing one is a Conflict, any other failure ``cannot(reason)``."""
    try:
        yield
    except FileExistsError:
        raise Conflict(
            _("{target} exists; congtac12 does not overwrite it (give a new file name)").format(target=target)
        ) from None
    except OSError as exc:
        raise DatabaseError(cannot(exc.strerror or str(exc))) from None


def backup_to(path: Path, target: Path) -> Path:
    """Copy the database with SQLite's online backup (safe while others write) to a new file, mode 0600.

    Written whole or not at all (``atomic``): a killed backup leaves no file
    under the target's name, and never replaces one.
    """

    def cannot(reason: str) -> str:
        return _("cannot create the backup {target}: {reason}").format(target=target, reason=reason)

    with new_file(target, cannot), atomic_path(target, overwrite=False, what="PATH", cannot=cannot) as partial:
        try:
            source = sqlite3.connect(file_uri(path, read_only=True), uri=True)
            try:
                source.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
                copy = sqlite3.connect(partial)
                try:
                    source.backup(copy)
                    # One self-contained file (no -wal/-shm beside it), which any
                    # reader can open, even on read-only media; a write by
                    # congtac12 turns WAL back on (_configure).
                    copy.execute("PRAGMA journal_mode = DELETE")
                finally:
                    copy.close()
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise DatabaseError(
                _("cannot back up {path} to {target}: {reason}").format(
                    path=path, target=target, reason=describe(target, exc)
                )
            ) from None
    return target


def open_engine(path: Path, *, write: bool, notify: Notify | None = None, create_missing: bool = True) -> Engine:
    """The engine of an existing file, made new (``create_missing``) or upgraded first when needed."""
    state, version = inspect(path)
    if state != "ours" and not create_missing:
        raise missing_database(path)
    if state == "missing":
        create(path)
    if state != "ours" or version < SCHEMA_VERSION:
        ensure_schema(path, notify=notify)
    return make_engine(path, immediate=write)


def upgrade_database(path: Path, *, notify: Notify | None = None) -> SchemaChange:
    """``db upgrade`` on a file: the upgrade that opening does, for an existing database only."""
    state, version = inspect(path)
    if state != "ours":
        raise NotFound(_("{path} is not a congtac12 database yet; nothing to upgrade").format(path=path))
    if version == SCHEMA_VERSION:
        return SchemaChange(version, version, None)
    return ensure_schema(path, notify=notify)


def forget_new(path: Path) -> None:
    """Remove a file this command made a moment ago, when nothing was recorded in it (see ``engine``)."""
    if not path.is_file():
        return
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            used = con.execute("SELECT (SELECT count(*) FROM change) + (SELECT count(*) FROM cadre)").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return
    if used == 0:
        for suffix in ("-wal", "-shm", ""):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
