"""The history of an import, written by set-based statements: one ``INSERT … SELECT`` per table.

An import writes its rows below the ORM (``import_write``), which the session's
audit events do not see. So that the import is still one change in 'history'
(and can be undone), the rows it added — those above the largest id each table
had before — are appended to the change as items by the database itself, each
row's JSON built in SQL in the shape of ``audit.row_of`` (the same keys in the
same order, booleans as true/false, timestamps as ``isoformat(sep=" ")``
writes them). No row passes through Python.

On PostgreSQL with the history triggers (``pg_history``) the database writes
the items itself as the rows go in, and nothing here runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from congtac12.store import audit
from congtac12.store.models import ChangeItem, table_of


def _value_sql(dialect: str, column: sa.Column[Any], quoted: str) -> str:
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
    if isinstance(kind, sa.Boolean) and dialect == "sqlite":
        return f"json(CASE WHEN {quoted} IS NULL THEN 'null' WHEN {quoted} THEN 'true' ELSE 'false' END)"
    if isinstance(kind, sa.DateTime):
        if dialect == "sqlite":  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'; isoformat leaves out zero microseconds
            return f"CASE WHEN substr({quoted}, 20) = '.000000' THEN substr({quoted}, 1, 19) ELSE {quoted} END"
        return (
            f"to_char({quoted}, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN "
            f"date_part('microseconds', {quoted})::bigint % 1000000 <> 0 THEN to_char({quoted}, '.US') ELSE '' END"
        )
    return quoted


def _row_json_sql(dialect: str, preparer: Any, model: type) -> str:
    """SQL for a row of ``model`` as the JSON text of ``audit.row_of``."""
    table = table_of(model)
    parts = []
    for key in audit.row_of(model()):  # the keys, in row_of's order
        column = table.c[key]
        parts.append(f"'{key}', {_value_sql(dialect, column, preparer.quote(column.name))}")
    if dialect == "sqlite":
        return "json_object(" + ", ".join(parts) + ")"
    return "json_build_object(" + ", ".join(parts) + ")::text"


def items_writer(dialect: str, added: Sequence[tuple[str, type, int]]) -> Callable[[Session, int], None]:
    """``write(s, change_id)`` appending, for each ``(entity, model, last_id)``, every row above
    ``last_id`` as an item "added" of the change, in the order of their ids."""

    def write(s: Session, change_id: int) -> None:
        conn = s.connection()
        preparer = conn.dialect.identifier_preparer
        q = preparer.quote
        items = table_of(ChangeItem)
        columns = ", ".join(q(c) for c in ("change_id", "entity", "entity_key", "before", "after"))
        for entity, model, last_id in added:
            table = table_of(model)
            conn.execute(
                sa.text(
                    f"INSERT INTO {q(items.name)} ({columns}) "
                    f"SELECT :change_id, :entity, CAST(id AS {'TEXT' if dialect == 'sqlite' else 'varchar'}), NULL, "
                    f"{_row_json_sql(dialect, preparer, model)} "
                    f"FROM {q(table.name)} WHERE id > :last ORDER BY id"
                ),
                {"change_id": change_id, "entity": entity, "last": last_id},
            )

    return write
