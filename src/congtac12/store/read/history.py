"""The history of changes as ``history`` shows it: a few set-based statements, no ORM.

The rows are those the database lets this login read (``change`` and ``change_item``, written by
``audit`` on SQLite and by the database's triggers on PostgreSQL, ``pg_history``): the same
connection, role and row-level security as the ORM's session. The views (``ChangeView``,
``ItemView``) are the ones ``undo`` returns too; a stored row's columns come back in the table's
order (``COLUMNS``, the models' order: tests/test_read_history.py checks both agree).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from congtac12.store.rows import ROW_ID_MAX, is_row_id, utc

if TYPE_CHECKING:
    from congtac12.store.read.connect import Reader

Row = dict[str, Any]

# Each audited table's columns, in the models' order (``table_of(model).columns``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "cadre": (
        "id", "code", "code_key", "name", "department", "email", "subject", "joined", "left", "created_at",
        "deactivated_at",
    ),
    "unit": ("id", "name", "name_key", "level", "parent_id", "created_at"),
    "visit": ("id", "cadre_id", "unit_id", "start", "end", "kind", "topic", "order_no", "created_at", "deleted_at"),
    "report": ("id", "visit_id", "reported_on", "text", "created_at", "deleted_at"),
    "setting": ("key", "value"),
    "leave": ("id", "cadre_id", "start", "end", "reason", "created_at"),
    "plan": (
        "id", "cadre_id", "unit_id", "start", "end", "days", "kind", "topic", "state", "reason", "decided_by",
        "decided_at", "visit_id", "created_at",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class ItemView:
    entity: str
    key: str
    before: Row | None
    after: Row | None

    @property
    def action(self) -> str:
        if self.before is None:
            return "insert"
        return "delete" if self.after is None else "update"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        if self.before is None or self.after is None:
            return []
        return [(k, self.before.get(k), v) for k, v in self.after.items() if self.before.get(k) != v]


@dataclass(frozen=True)
class ChangeView:
    id: int
    at: datetime  # UTC
    who: str
    action: str
    summary: str
    undoes: int | None
    items: list[ItemView]
    total_items: int  # in the change, of which ``items`` are those asked for


def _sqlite_utc(value: str) -> datetime:
    return utc(datetime.fromisoformat(value))


def stamp_of(r: Reader) -> Callable[[Any], datetime]:
    """How the driver's timestamps become the ORM's (SQLModel's UTCDateTime): aware, in UTC."""
    return utc if r.postgres else _sqlite_utc


def stored_row(entity: str, text: str | None) -> Row | None:
    """A stored row, its columns in the table's order (PostgreSQL's jsonb keeps its own order)."""
    if text is None:
        return None
    row: Row = json.loads(text)
    order = COLUMNS.get(entity)
    if order is None:
        return row
    rank = {k: i for i, k in enumerate(order)}
    return {k: row[k] for k in sorted(row, key=lambda k: rank.get(k, len(order)))}


def _json_int(r: Reader, column: str, field: str) -> str:
    """An integer field of a JSON text column, in the driver's SQL (the ORM's ``_JsonInt`` in tests/orm_reads.py)."""
    if r.postgres:
        return f"CAST(CAST({column} AS jsonb) ->> '{field}' AS bigint)"
    return f"json_extract({column}, '$.{field}')"


def _condition(r: Reader, *, visit_id: int | None, cadre_id: int | None) -> tuple[str, list[Any]]:
    """The items touching a visit (with its report) or a cadre (with its visits, leave and plans)."""

    def before(field: str) -> str:
        return _json_int(r, "i.before", field)

    def after(field: str) -> str:
        return _json_int(r, "i.after", field)

    if visit_id is not None:
        sql = (
            "((i.entity = 'visit' AND i.entity_key = ?) OR "
            f"(i.entity = 'report' AND ({before('visit_id')} = ? OR {after('visit_id')} = ?)))"
        )
        return sql, [str(visit_id), visit_id, visit_id]
    # The cadre's visits, as any change has seen them (moved away since, or deleted, too).
    keys = (
        "SELECT v.entity_key FROM change_item v WHERE v.entity = 'visit' AND "
        f"({_json_int(r, 'v.before', 'cadre_id')} = ? OR {_json_int(r, 'v.after', 'cadre_id')} = ?)"
    )
    ids = (
        "SELECT CAST(v.entity_key AS bigint) FROM change_item v WHERE v.entity = 'visit' AND "
        f"({_json_int(r, 'v.before', 'cadre_id')} = ? OR {_json_int(r, 'v.after', 'cadre_id')} = ?)"
    )
    sql = (
        "((i.entity = 'cadre' AND i.entity_key = ?) OR "
        f"(i.entity IN ('leave', 'plan') AND ({before('cadre_id')} = ? OR {after('cadre_id')} = ?)) OR "
        f"(i.entity = 'visit' AND i.entity_key IN ({keys})) OR "
        f"(i.entity = 'report' AND ({before('visit_id')} IN ({ids}) OR {after('visit_id')} IN ({ids}))))"
    )
    return sql, [str(cadre_id), *[cadre_id] * 8]


def history(
    r: Reader, *, visit_id: int | None = None, cadre_id: int | None = None, limit: int | None = None
) -> list[ChangeView]:
    """Changes, newest first; only those touching a visit (with its report) or a cadre (with its
    visits, leave and plans), and of those only their items that do."""
    if any(n is not None and not is_row_id(n) for n in (visit_id, cadre_id)):
        return []
    limit = None if limit is None else min(limit, ROW_ID_MAX)
    cond, cond_params = (
        ("", []) if visit_id is None and cadre_id is None else _condition(r, visit_id=visit_id, cadre_id=cadre_id)
    )
    sql = "SELECT c.id, c.at, c.who, c.action, c.summary, c.undoes FROM change c"
    params: list[Any] = []
    if cond:
        sql += f" WHERE c.id IN (SELECT i.change_id FROM change_item i WHERE {cond})"
        params += cond_params
    sql += " ORDER BY c.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    changes = r.rows(sql, params)
    if not changes:
        return []
    # The items (and counts) of the changes found: those from the oldest one found on, kept if found.
    oldest = changes[-1][0]
    wanted = {row[0] for row in changes}
    totals = dict(
        r.rows("SELECT change_id, count(*) FROM change_item WHERE change_id >= ? GROUP BY change_id", [oldest])
    )
    item_sql = "SELECT i.change_id, i.entity, i.entity_key, i.before, i.after FROM change_item i WHERE i.change_id >= ?"
    item_params: list[Any] = [oldest]
    if cond:
        item_sql += f" AND {cond}"
        item_params += cond_params
    items_of: dict[int, list[ItemView]] = {}
    for change_id, entity, key, before, after in r.rows(item_sql + " ORDER BY i.id", item_params):
        if change_id in wanted:
            items_of.setdefault(change_id, []).append(
                ItemView(entity, key, stored_row(entity, before), stored_row(entity, after))
            )
    stamp = stamp_of(r)
    return [
        ChangeView(cid, stamp(at), who, action, summary, undoes, items_of.get(cid, []), totals.get(cid, 0))
        for cid, at, who, action, summary, undoes in changes
    ]
