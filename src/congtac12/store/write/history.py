"""A bulk write recorded as one change of the history, with the driver alone.

What ``audit`` does at a session's commit, for rows written below the ORM: one ``change`` row (its
moment, who, the command's action and summary) and its items. The rows a bulk write added — those
above the largest id each table had before — are appended to the change by ``INSERT … SELECT``,
each row's JSON built in SQL in the shape of ``audit.row_of`` (the same keys in the same order,
booleans as true/false, moments as ``isoformat(sep=" ")`` writes them). No row passes through Python.

``ROWS`` spells out each audited table's columns as ``row_of`` writes them; tests/test_import_sql.py
compares it with the models, so that a new column cannot drift silently.

On PostgreSQL with the history triggers (``pg_history``) the database writes the items itself as
the rows go in; the command only names its change (``congtac12_describe``).
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from congtac12.store.rows import now_utc

if TYPE_CHECKING:
    from congtac12.store.write.connect import Writer

SUMMARY_MAX = 1000  # ``audit.SUMMARY_MAX`` (a test checks)
PLAIN, BOOL, MOMENT = "plain", "bool", "moment"
# entity -> (table, ((column, how its value is written), …)) in ``audit.row_of``'s order.
ROWS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "cadre": (
        "cadre",
        (
            ("id", PLAIN),
            ("code", PLAIN),
            ("name", PLAIN),
            ("department", PLAIN),
            ("email", PLAIN),
            ("subject", BOOL),
            ("joined", PLAIN),
            ("left", PLAIN),
            ("created_at", MOMENT),
            ("deactivated_at", MOMENT),
        ),
    ),
    "unit": (
        "unit",
        (("id", PLAIN), ("name", PLAIN), ("level", PLAIN), ("parent_id", PLAIN), ("created_at", MOMENT)),
    ),
    "visit": (
        "visit",
        (
            ("id", PLAIN),
            ("cadre_id", PLAIN),
            ("unit_id", PLAIN),
            ("start", PLAIN),
            ("end", PLAIN),
            ("kind", PLAIN),
            ("topic", PLAIN),
            ("order_no", PLAIN),
            ("created_at", MOMENT),
            ("deleted_at", MOMENT),
        ),
    ),
    "report": (
        "report",
        (
            ("id", PLAIN),
            ("visit_id", PLAIN),
            ("reported_on", PLAIN),
            ("text", PLAIN),
            ("created_at", MOMENT),
            ("deleted_at", MOMENT),
        ),
    ),
    "setting": ("setting", (("key", PLAIN), ("value", PLAIN))),
    "leave": (
        "leave",
        (
            ("id", PLAIN),
            ("cadre_id", PLAIN),
            ("start", PLAIN),
            ("end", PLAIN),
            ("reason", PLAIN),
            ("created_at", MOMENT),
        ),
    ),
    "plan": (
        "plan",
        (
            ("id", PLAIN),
            ("cadre_id", PLAIN),
            ("unit_id", PLAIN),
            ("start", PLAIN),
            ("end", PLAIN),
            ("days", PLAIN),
            ("kind", PLAIN),
            ("topic", PLAIN),
            ("state", PLAIN),
            ("reason", PLAIN),
            ("decided_by", PLAIN),
            ("decided_at", MOMENT),
            ("visit_id", PLAIN),
            ("created_at", MOMENT),
        ),
    ),
}


def os_user() -> str:
    """Who makes a change on SQLite: the OS user running the command (``audit.who``)."""
    try:
        return getpass.getuser()[:64]
    except (OSError, KeyError, ImportError):
        return f"uid {os.getuid()}"


def _value_sql(postgres: bool, how: str, column: str) -> str:
    q = f'"{column}"'
    if how == BOOL and not postgres:
        return f"json(CASE WHEN {q} IS NULL THEN 'null' WHEN {q} THEN 'true' ELSE 'false' END)"
    if how == MOMENT:
        if not postgres:  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'; isoformat leaves out zero microseconds
            return f"CASE WHEN substr({q}, 20) = '.000000' THEN substr({q}, 1, 19) ELSE {q} END"
        return (
            f"to_char({q}, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN "
            f"date_part('microseconds', {q})::bigint % 1000000 <> 0 THEN to_char({q}, '.US') ELSE '' END"
        )
    return q


def row_json_sql(postgres: bool, entity: str) -> str:
    """SQL for a row of ``entity``'s table as the JSON text of ``audit.row_of``."""
    parts = ", ".join(f"'{column}', {_value_sql(postgres, how, column)}" for column, how in ROWS[entity][1])
    return f"json_build_object({parts})::text" if postgres else f"json_object({parts})"


def items_sql(postgres: bool, entity: str) -> str:
    """``INSERT … SELECT`` of every row of ``entity`` above an id (``?``: change id, entity, that id)
    as an item "added" of a change, in the order of their ids."""
    table = ROWS[entity][0]
    return (
        'INSERT INTO change_item (change_id, entity, entity_key, "before", "after") '
        f"SELECT ?, ?, CAST(id AS {'varchar' if postgres else 'TEXT'}), NULL, {row_json_sql(postgres, entity)} "
        f'FROM "{table}" WHERE id > ? ORDER BY id'
    )


def writes_history(w: Writer) -> bool:
    """PostgreSQL with the history triggers (``pg_history.installed``)."""
    if not w.postgres:
        return False
    from congtac12.store.pg_history import INSTALLED_SQL

    return bool(w.one(INSTALLED_SQL)[0])


def record(
    w: Writer,
    *,
    action: str,
    summary: str,
    items: Sequence[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = (),
    added: Sequence[tuple[str, int]] = (),
) -> None:
    """One change of the history: ``items`` (entity, key, before, after: rows as ``row_of`` gives them,
    as the session's audit would note them) and, after them, every row of each ``(entity, last id)``
    of ``added`` above that id. Call it last, as ``audit`` writes at the commit."""
    if writes_history(w):
        w.one("SELECT congtac12_describe(?, ?, ?)", (action, summary[:SUMMARY_MAX], None))
        return
    kept = [(e, k, b, a) for e, k, b, a in items if b != a]
    (change_id,) = w.one(
        'INSERT INTO change ("at", who, action, summary, undoes) VALUES (?, ?, ?, ?, ?) RETURNING id',
        (w.to_moment(now_utc()), _who(w), action, summary[:SUMMARY_MAX], None),
    )
    if kept:
        w.executemany(
            'INSERT INTO change_item (change_id, entity, entity_key, "before", "after") VALUES (?, ?, ?, ?, ?)',
            [
                (
                    change_id,
                    e,
                    k,
                    None if b is None else json.dumps(b, ensure_ascii=False),
                    None if a is None else json.dumps(a, ensure_ascii=False),
                )
                for e, k, b, a in kept
            ],
        )
    for entity, last_id in added:
        w.execute(items_sql(w.postgres, entity), (change_id, entity, last_id))


def _who(w: Writer) -> str:
    if w.postgres:
        return str(w.one("SELECT session_user")[0])[:64]
    return os_user()
