"""The one place that finds, checks and opens the database.

A ``postgresql://`` URL is handed to ``postgres`` (organisation mode); what
follows is about a SQLite file, the default.

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
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from congtac12.errors import Conflict, DatabaseError, NotFound
from congtac12.i18n import _
from congtac12.store import audit, models  # noqa: F401 (audit: its listeners; issue 13 makes it an explicit call)
from congtac12.store.location import PgUrl, Target
from congtac12.store.seed import HANOI_UNIONS
from congtac12.store.sqlite_file import (  # noqa: F401 (the names callers import from here)
    APPLICATION_ID,
    BUSY_ENV_VAR,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    busy_timeout_ms,
    file_uri,
    missing_database,
)
from congtac12.store.sqlite_file import inspect as _inspect
from congtac12.store.sqlite_file import newer as _newer
from congtac12.store.sqlite_file import read_only_medium as _read_only_medium

Notify = Callable[[str], None]


def _status(path: Path) -> str:
    """'missing', 'empty' (usable as new) or 'ours'; raises for anything else."""
    return _inspect(path)[0]


def _configure(engine: Engine, *, immediate: bool) -> None:
    timeout = busy_timeout_ms()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_con, _record):  # noqa: ANN001
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
    def _on_begin(conn):  # noqa: ANN001
        # A writer takes the write lock at once, so two writers queue on the
        # busy timeout instead of failing on a lock upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _engine(path: Path, *, immediate: bool) -> Engine:
    from sqlalchemy.engine import URL

    uri = file_uri(path, read_only=not immediate and path.exists() and _read_only_medium(path))
    engine = create_engine(URL.create("sqlite", database=uri, query={"uri": "true"}))
    _configure(engine, immediate=immediate)
    return engine


def _create(path: Path) -> None:
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


def seed_units(conn: Connection) -> None:
    """A new database starts with Hanoi's district-level unions."""
    conn.execute(
        models.Unit.__table__.insert(),
        [{"name": name, "level": "huyen", "created_at": models._now()} for name in HANOI_UNIONS],
    )


def new_schema(conn: Connection, *, seed: bool = True, on_step: Callable[[int], None] | None = None) -> None:
    """Make an empty database ours, in the connection's transaction, on either backend:
    every revision, then (``seed``) Hanoi's unions; a SQLite file also gets our header marks.

    ``db copy`` makes its target with ``seed=False``: the source's units come instead.
    """
    from congtac12.store import migrate

    migrate.upgrade(conn, from_version=0, on_step=on_step)
    if seed:
        seed_units(conn)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


@dataclass(frozen=True)
class SchemaChange:
    """What ensure_schema did: from and to which version, and where the old copy went."""

    old: int  # 0: the database was new
    new: int
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


def ensure_schema(
    path: Path, *, notify: Notify | None = None, on_step: Callable[[int], None] | None = None
) -> SchemaChange:
    """Make a new database, or upgrade an older one after copying it; one transaction.

    Decided under the write lock, so two processes opening an old database at
    once upgrade it once. ``on_step`` is migrate.upgrade's.
    """
    from congtac12.store import migrate

    engine = _engine(path, immediate=True)
    try:
        with translate_errors(path):
            # Outside any transaction: SQLite cannot change into WAL inside one
            # (after BEGIN it raises, after BEGIN IMMEDIATE it silently stays in
            # 'delete'), and a SQLAlchemy connection always begins one (_on_begin).
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
            with engine.begin() as conn:
                app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
                version = conn.exec_driver_sql("PRAGMA user_version").scalar()
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
                    raise DatabaseError(_newer(path, version))
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
        raise DatabaseError(cannot(exc.strerror)) from None


def backup_to(path: Path, target: Path) -> Path:
    """Copy the database with SQLite's online backup (safe while others write) to a new file, mode 0600.

    Written whole or not at all (``atomic``): a killed backup leaves no file
    under the target's name, and never replaces one.
    """
    from congtac12.atomic import atomic_path

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
                    path=path, target=target, reason=_describe(target, exc)
                )
            ) from None
    return target


def open_engine(path: Target, *, write: bool, notify: Notify | None = None, create: bool = True) -> Engine:
    """The engine of an existing database, made new (``create``) or upgraded first when needed.

    Without ``create`` a missing or empty file is refused (``missing_database``) and left as it
    is: a read command with a mistyped ``--db`` fails loudly instead of making an empty database.
    """
    if isinstance(path, PgUrl):
        from congtac12.store import postgres

        return postgres.open_engine(path, write=write, notify=notify)
    state, version = _inspect(path)
    if state != "ours" and not create:
        raise missing_database(path)
    if state == "missing":
        _create(path)
    if state != "ours" or version < SCHEMA_VERSION:
        ensure_schema(path, notify=notify)
    return _engine(path, immediate=write)


def forget_new(path: Target) -> None:
    """Remove a SQLite file this command made a moment ago, when nothing was recorded in it.

    A command that writes makes a missing database; when it then fails (an import
    refused), the new file holds only the schema and the seeded unions: removing it
    leaves the disk as it was. A file holding any change or cadre is never touched.
    """
    if isinstance(path, PgUrl) or not path.is_file():
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


def upgrade_database(path: Target, *, notify: Notify | None = None) -> SchemaChange:
    """``db upgrade``: the upgrade that opening does, for an existing database only."""
    if isinstance(path, PgUrl):
        from congtac12.store import postgres

        return postgres.ensure_schema(path, notify=notify, only_existing=True)
    state, version = _inspect(path)
    if state != "ours":
        raise NotFound(_("{path} is not a congtac12 database yet; nothing to upgrade").format(path=path))
    if version == SCHEMA_VERSION:
        return SchemaChange(version, version, None)
    return ensure_schema(path, notify=notify)


@contextmanager
def translate_errors(path: Target) -> Iterator[None]:
    """Turn the database's failures into one-line errors."""
    try:
        yield
    except sa_exc.IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else exc.orig
        from congtac12.store.constraints import message

        rule = message(str(reason))
        if rule is not None:
            raise Conflict(
                _("the database refused the change: {rule}; nothing was written").format(rule=rule)
            ) from None
        raise Conflict(
            _("the change contradicts the record ({reason}); nothing was written").format(reason=reason)
        ) from None
    except StaleDataError:
        # An UPDATE or DELETE that matched no row: on PostgreSQL, a row that
        # the row-level policies keep this login from changing.
        from congtac12.store.postgres import refused_message

        raise DatabaseError(refused_message()) from None
    except sa_exc.DBAPIError as exc:
        raise DatabaseError(_describe(path, exc.orig)) from None
    except sqlite3.Error as exc:  # from a raw connection
        raise DatabaseError(_describe(path, exc)) from None


def _describe(path: Target, orig: BaseException | None) -> str:
    if isinstance(path, PgUrl):
        from congtac12.store.pg_login import describe

        return describe(path, orig)
    from congtac12.store.sqlite_file import describe

    return describe(path, orig)


@contextmanager
def session(
    path: Target, *, write: bool = False, notify: Notify | None = None, create: bool = True
) -> Iterator[Session]:
    """One command, one transaction: committed at the end, rolled back on any error.

    ``create``: make the database when there is none (see ``open_engine``).

    Every change to an audited table made through this session is recorded in
    the same transaction (see ``audit``).
    """
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
