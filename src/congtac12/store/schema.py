"""What both backends share when they make or upgrade a database: the new schema, and what changed.

Neither backend imports the other (``sqlite`` and ``postgres``); both use this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from congtac12.store import migrate, models
from congtac12.store.seed import HANOI_UNIONS
from congtac12.store.sqlite_file import APPLICATION_ID, SCHEMA_VERSION


@dataclass(frozen=True)
class SchemaChange:
    """What ensure_schema did: from and to which version, and where the old copy went."""

    old: int  # 0: the database was new
    new: int
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


def seed_units(conn: Connection) -> None:
    """A new database starts with Hanoi's district-level unions."""
    conn.execute(
        models.table_of(models.Unit).insert(),
        [{"name": name, "level": "huyen", "created_at": models.now_utc()} for name in HANOI_UNIONS],
    )


def new_schema(conn: Connection, *, seed: bool = True, on_step: Callable[[int], None] | None = None) -> None:
    """Make an empty database ours, in the connection's transaction, on either backend:
    every revision, then (``seed``) Hanoi's unions; a SQLite file also gets our header marks.

    ``db copy`` makes its target with ``seed=False``: the source's units come instead.
    """
    migrate.upgrade(conn, from_version=0, on_step=on_step)
    if seed:
        seed_units(conn)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
