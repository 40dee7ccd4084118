"""``db copy``: the whole record, from one database into a new one, either backend.

The target is an empty PostgreSQL database (no table) or a new SQLite file
(none by that name yet; made readable by its owner only). It gets its schema
the way opening a new database does (``engine.new_schema``, without the seeded
units: the source's come instead), then every row of every table, ids and
history included, then, on PostgreSQL, its id sequences set past the largest
ids. The row counts of each table are compared, source against target, before
anything is committed: all of this is one transaction of the target, and the
source is read in one snapshot. On any failure the target is rolled back (a
new SQLite file is written under a temporary name and only given its name
once committed), so nothing is left behind.

The copy is not a change to the record: it appends nothing to the history,
which it copies as it is (on PostgreSQL the history triggers, ``pg_history``,
are set up once the rows are in).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, Table, func, select
from sqlalchemy import exc as sa_exc
from sqlmodel import SQLModel

from congtac12.errors import Conflict, DatabaseError, NotFound
from congtac12.i18n import _
from congtac12.store import engine as store
from congtac12.store import models  # noqa: F401 - fills SQLModel.metadata
from congtac12.store.location import PgUrl, Target

BATCH = 2000

Notify = Callable[[str], None]


@dataclass(frozen=True)
class Copied:
    """What ``copy`` wrote: the rows of each table, and how long it took."""

    source: Target
    target: Target
    counts: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table of the record, each after the tables it refers to."""
    return list(SQLModel.metadata.sorted_tables)


def copy(source: Target, target: Target, *, notify: Notify | None = None) -> Copied:
    """Copy the database ``source`` into ``target`` (new or empty); all or nothing."""
    began = time.monotonic()
    if _same(source, target):
        raise Conflict(_("{target} is the database being copied; give another one").format(target=target))
    if isinstance(target, Path):
        from congtac12.atomic import check_output

        check_output(target, "--to")
        _refuse_existing(target)
    source_engine = _open_source(source, notify)
    try:
        with store.translate_errors(source), source_engine.connect() as src:
            with _target(target) as dst:
                counts = _copy_rows(src, dst, source, target)
            src.rollback()
    finally:
        source_engine.dispose()
    return Copied(source, target, counts, time.monotonic() - began)


# --- the two ends ----------------------------------------------------------------


def _same(source: Target, target: Target) -> bool:
    if isinstance(source, Path) and isinstance(target, Path):
        try:
            return source.resolve() == target.resolve()
        except OSError:
            return False
    if isinstance(source, PgUrl) and isinstance(target, PgUrl):
        return _server_and_database(source) == _server_and_database(target)
    return False


def _server_and_database(url: PgUrl) -> tuple[str, int, str]:
    parts = urlsplit(url.url)
    try:
        port = parts.port or 5432
    except ValueError:
        port = 0
    host = (parts.hostname or "localhost").lower()
    if host in ("127.0.0.1", "::1"):
        host = "localhost"
    return host, port, parts.path.lstrip("/") or (parts.username or "")


def _refuse_existing(path: Path) -> None:
    try:
        taken = path.exists() or path.is_symlink()
    except OSError as exc:
        raise DatabaseError(_("cannot use {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    if taken:
        raise Conflict(_("{target} exists; congtac12 does not overwrite it (give a new file name)").format(target=path))


def _open_source(source: Target, notify: Notify | None) -> Engine:
    """The source, for reading; refused when it is not a congtac12 database yet (nothing is made)."""
    if isinstance(source, Path):
        state = store.status(source)
    else:
        from congtac12.store import postgres

        probe = postgres.make_engine(source, write=False)
        try:
            with store.translate_errors(source), probe.connect() as conn:
                state, _version = postgres.inspect(conn, source)
                conn.rollback()
        finally:
            probe.dispose()
    if state != "ours":
        raise NotFound(_("{path} is not a congtac12 database; nothing to copy").format(path=source))
    with store.translate_errors(source):
        return store.open_engine(source, write=False, notify=notify)


@contextmanager
def _target(target: Target) -> Iterator[Connection]:
    """A transaction on the new target with its schema made; committed at the end, else nothing is left."""
    if isinstance(target, PgUrl):
        from congtac12.store import postgres

        engine = postgres.make_engine(target, write=True)
        try:
            with store.translate_errors(target), engine.begin() as conn:
                state, _version = postgres.inspect(conn, target)
                if state != "empty":
                    raise Conflict(
                        _(
                            "{target} is not empty (it holds a congtac12 record); db copy writes only "
                            "into an empty PostgreSQL database or a new SQLite file"
                        ).format(target=target)
                    )
                yield conn
        finally:
            engine.dispose()
        return
    # SQLite: written under a temporary name beside the target, named once
    # committed and synced (``atomic``): a killed copy leaves nothing under the name.
    from congtac12.atomic import atomic_path

    def cannot(reason: str) -> str:
        return _("cannot create the database {path}: {reason}").format(path=target, reason=reason)

    with store.new_file(target, cannot), atomic_path(target, overwrite=False, what="--to", cannot=cannot) as partial:
        # A rollback journal, not WAL: one self-contained file once committed (as db backup).
        engine = store.make_engine(partial, immediate=False)
        try:
            with store.translate_errors(target), engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()


# --- the rows ----------------------------------------------------------------------


@contextmanager
def _writing(target: Target) -> Iterator[None]:
    """A failure of the target while copying: said as such (the target is new, the record not at fault)."""
    try:
        yield
    except sa_exc.DBAPIError as exc:
        text = str(exc.orig).strip()
        raise DatabaseError(
            _("cannot copy into {target}: {reason}; nothing was written").format(
                target=target, reason=text.splitlines()[0] if text else type(exc.orig).__name__
            )
        ) from None


def _copy_rows(src: Connection, dst: Connection, source: Target, target: Target) -> dict[str, int]:
    """The schema (as a new database's, unseeded), then the rows, table by table, counted."""
    with _writing(target):
        store.new_schema(dst, seed=False)
    counts: dict[str, int] = {}
    for table in tables():
        with store.translate_errors(source):
            expected = src.execute(select(func.count()).select_from(table)).scalar_one()
        _copy_table(src, dst, table, source, target)
        with _writing(target):
            copied = dst.execute(select(func.count()).select_from(table)).scalar_one()
        if copied != expected:
            raise DatabaseError(
                _("the copy of table {table} holds {copied} rows instead of {expected}; nothing was written").format(
                    table=table.name, copied=copied, expected=expected
                )
            )
        counts[table.name] = copied
    if dst.dialect.name == "postgresql":
        from congtac12.store import audit, pg_history

        with _writing(target):
            _set_sequences(dst)
            pg_history.install(dst, audit.trigger_columns())  # once the rows are in: the copy is no change
    return {name: counts[name] for name in SQLModel.metadata.tables}  # in models.py's order


def _copy_table(src: Connection, dst: Connection, table: Table, source: Target, target: Target) -> None:
    """Every row, in primary-key order, in batches. A row referring to a row of its own table
    with a larger id (a unit moved under a later one) is given that reference once all are in."""
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    key = list(table.primary_key.columns)
    later: list[tuple[object, str, object]] = []
    seen: set[object] = set()
    with store.translate_errors(source):
        result = src.execution_options(stream_results=True).execute(select(table).order_by(*key))
    while True:
        with store.translate_errors(source):
            batch = [dict(row._mapping) for row in result.fetchmany(BATCH)]
        if not batch:
            break
        for row in batch:
            for column in own:
                if row[column] is not None and row[column] not in seen:
                    later.append((row[key[0].name], column, row[column]))
                    row[column] = None
            if own:
                seen.add(row[key[0].name])
        with _writing(target):
            dst.execute(table.insert(), batch)
    with _writing(target):
        for row_key, column, value in later:
            dst.execute(table.update().where(key[0] == row_key).values({column: value}))


def _set_sequences(dst: Connection) -> None:
    """Each id sequence past the largest id copied, so the next insert gets a new id."""
    for table in tables():
        if "id" not in table.c:
            continue
        name = f'"{table.name}"'
        dst.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence(%(t)s, 'id'), coalesce(max(id), 0) + 1, false) "  # noqa: S608
            f"FROM {name}",
            {"t": name},
        )
