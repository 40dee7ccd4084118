"""The audit trail: every change to the record, who made it, when, before and after.

Tracking is automatic. SQLAlchemy session events see each row of an audited
table (``AUDITED``) that a session inserts, updates or deletes through the ORM;
when the session commits, one ``change`` row and one ``change_item`` per
touched row (its columns before and after, as JSON) are appended in the same
transaction. So a new command is audited without doing anything; it names its
change with ``describe`` (else it shows as a plain "change"). Statements issued
below the ORM (``conn.execute(insert(...))``) are not seen: write user data
with ORM objects.

``undo`` reverts a change by writing each row back to its "before" — itself a
change, recorded like any other, so an undo can be undone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import object_session
from sqlmodel import Session

from congtac12.i18n import N_, ngettext
from congtac12.store.models import (
    DERIVED_COLUMNS,
    Cadre,
    Change,
    ChangeItem,
    Leave,
    Plan,
    Report,
    Setting,
    Unit,
    Visit,
    now_utc,
    table_of,
)
from congtac12.store.read.history import ItemView, Row, stored_row
from congtac12.store.rights import deletes_through_function

AUDITED: dict[str, type] = {
    "cadre": Cadre,
    "unit": Unit,
    "visit": Visit,
    "report": Report,
    "setting": Setting,
    "leave": Leave,
    "plan": Plan,
}
_ITEMS = "congtac12.audit.items"
_DESCRIPTION = "congtac12.audit.description"
_DB_HISTORY = "congtac12.audit.database_writes_history"
SUMMARY_MAX = 1000


def describe(s: Session, action: str, summary: str, *, undoes: int | None = None) -> None:
    """Name the session's change; the first description wins (``demo`` over its ``cadre.add``s)."""
    s.info.setdefault(_DESCRIPTION, (action, summary, undoes))


def who(s: Session | None = None) -> str:
    """Who makes the change: the database login on PostgreSQL, else the OS user running the command."""
    if s is not None and dialect(s) == "postgresql":
        return str(s.connection().exec_driver_sql("SELECT session_user").scalar())[:64]
    from congtac12.store.write.history import os_user

    return os_user()


# --- rows as JSON -------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # stored naive, in UTC
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_of(obj: Any) -> Row:
    """An ORM object's columns as JSON values (not the derived keys: the write path fills them)."""
    mapper = sa_inspect(obj).mapper
    return {a.key: _jsonable(getattr(obj, a.key)) for a in mapper.column_attrs if a.key not in DERIVED_COLUMNS}


def _old_row_of(obj: Any) -> Row:
    """The columns as they were before the pending changes."""
    state = sa_inspect(obj)
    out: Row = {}
    for a in state.mapper.column_attrs:
        if a.key in DERIVED_COLUMNS:
            continue
        history = state.attrs[a.key].history
        if history.deleted:
            value = history.deleted[0]
        elif history.unchanged:
            value = history.unchanged[0]
        else:
            value = getattr(obj, a.key)
        out[a.key] = _jsonable(value)
    return out


def _key_of(obj: Any) -> str:
    pk = sa_inspect(obj).mapper.primary_key_from_instance(obj)
    return str(pk[0])


def trigger_columns() -> dict[str, tuple[str, list[str], list[str]]]:
    """For PostgreSQL's history triggers (``pg_history``): each audited table's key column, its
    timestamp columns, and the columns ``row_of`` does not write (so both backends' history is alike)."""
    out = {}
    for name, model in AUDITED.items():
        table = table_of(model)
        key = next(iter(table.primary_key.columns)).name
        written = set(row_of(model()))
        stamps = [
            c.name
            for c in table.columns
            if isinstance(c.type.impl if isinstance(c.type, sa.TypeDecorator) else c.type, sa.DateTime)
            and c.key in written
        ]
        out[name] = (key, stamps, [c.name for c in table.columns if c.key not in written])
    return out


# --- tracking ----------------------------------------------------------------

_TABLE_OF = {model: name for name, model in AUDITED.items()}


def _note(s: OrmSession, entity: str, key: str, before: Row | None, after: Row | None) -> None:
    """One row written: kept as the database's triggers keep it on PostgreSQL (``pg_history``), one item
    per row and change with the first "before" and the last "after", none when they are equal."""
    items: dict[tuple[str, str], list[Row | None]] = s.info.setdefault(_ITEMS, {})
    if (entity, key) in items:
        items[(entity, key)][1] = after
        if items[(entity, key)][0] == after:
            del items[(entity, key)]
    elif before != after:
        items[(entity, key)] = [before, after]


def note_inserted(s: Session, entity: str, row: dict[str, Any]) -> None:
    """Record a row written below the ORM (a bulk insert) as added in this session's change."""
    after = {key: _jsonable(value) for key, value in row.items() if key not in DERIVED_COLUMNS}
    _note(s, entity, str(after["id"]), None, after)


# Each row as the flush writes it, in the order of its statements (those of the PostgreSQL triggers);
# the attribute history still holds the old values here, and new rows have their ids.
def _after_insert(_mapper: Any, _conn: Any, obj: Any) -> None:
    s = object_session(obj)
    if s is not None:
        _note(s, _TABLE_OF[type(obj)], _key_of(obj), None, row_of(obj))


def _after_update(_mapper: Any, _conn: Any, obj: Any) -> None:
    s = object_session(obj)
    if s is not None:
        _note(s, _TABLE_OF[type(obj)], _key_of(obj), _old_row_of(obj), row_of(obj))


def _after_delete(_mapper: Any, _conn: Any, obj: Any) -> None:
    s = object_session(obj)
    if s is not None:
        _note(s, _TABLE_OF[type(obj)], _key_of(obj), row_of(obj), None)


def install() -> None:
    """Install the listeners that record every change made through a session (once per process).

    Called by ``engine.session`` before a session opens: an explicit call, not an import made for
    its side effects.
    """
    if event.contains(Session, "before_commit", _before_commit):
        return
    for model in AUDITED.values():
        event.listen(model, "after_insert", _after_insert)
        event.listen(model, "after_update", _after_update)
        event.listen(model, "after_delete", _after_delete)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _forget)
    event.listen(Session, "after_rollback", _forget)


def _before_commit(s: Session) -> None:
    s.flush()  # so that every pending row has been noted
    pending = s.info.pop(_ITEMS, {})
    description = s.info.pop(_DESCRIPTION, None)
    items = [(e, k, b, a) for (e, k), (b, a) in pending.items() if b != a]
    if not items and description is None:
        return
    action, summary, undoes = description or (
        "change",
        ngettext(N_("changed {n} record"), N_("changed {n} records"), len(items)).format(n=len(items)),
        None,
    )
    if database_writes_history(s):
        # PostgreSQL: the triggers wrote the rows (pg_history); the command names its transaction's change.
        s.execute(
            sa.text("SELECT congtac12_describe(:action, :summary, :undoes)"),
            {"action": action, "summary": summary[:SUMMARY_MAX], "undoes": undoes},
        )
        return
    if not items:
        return
    # Core statements, one for all the items: the demo's change has thousands.
    change_id = s.execute(
        sa.insert(table_of(Change)).returning(table_of(Change).c.id),
        {"at": now_utc(), "who": who(s), "action": action, "summary": summary[:SUMMARY_MAX], "undoes": undoes},
    ).scalar_one()
    s.execute(
        sa.insert(table_of(ChangeItem)),
        [
            {
                "change_id": change_id,
                "entity": e,
                "entity_key": k,
                "before": None if b is None else json.dumps(b, ensure_ascii=False),
                "after": None if a is None else json.dumps(a, ensure_ascii=False),
            }
            for e, k, b, a in items
        ],
    )


def database_writes_history(s: Session) -> bool:
    """PostgreSQL with the history triggers (``pg_history``): one query per session."""
    found = s.info.get(_DB_HISTORY)
    if found is None:
        found = False
        if dialect(s) == "postgresql":
            from congtac12.store import pg_history

            found = pg_history.installed(s.connection())
        s.info[_DB_HISTORY] = found
    return found


def _forget(s: Session) -> None:
    s.info.pop(_ITEMS, None)
    s.info.pop(_DESCRIPTION, None)


# --- reading the history -----------------------------------------------------


def view_of(item: ChangeItem) -> ItemView:
    return ItemView(
        item.entity, item.entity_key, stored_row(item.entity, item.before), stored_row(item.entity, item.after)
    )


def dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def delete_row(s: Session, obj: Any) -> None:
    """Delete a row: through ``congtac12_delete_own`` for a cadre login on PostgreSQL (it has no DELETE grant)."""
    if dialect(s) == "postgresql":
        if deletes_through_function(s):
            s.flush()
            s.execute(
                sa.text("SELECT congtac12_delete_own(:table, :id)"),
                {"table": obj.__table__.name, "id": int(_key_of(obj))},
            )
            s.expunge(obj)
            return
    s.delete(obj)
