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

import getpass
import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, func, or_
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from congtac12.errors import Conflict, NotFound
from congtac12.i18n import _
from congtac12.store.models import (
    ROW_ID_MAX,
    Cadre,
    Change,
    ChangeItem,
    Leave,
    Report,
    Setting,
    Unit,
    Visit,
    _now,
    is_row_id,
)

AUDITED: dict[str, type] = {
    "cadre": Cadre,
    "unit": Unit,
    "visit": Visit,
    "report": Report,
    "setting": Setting,
    "leave": Leave,
}
_ITEMS = "congtac12.audit.items"
_DESCRIPTION = "congtac12.audit.description"
_DB_HISTORY = "congtac12.audit.database_writes_history"
SUMMARY_MAX = 1000

Row = dict[str, Any]


def describe(s: Session, action: str, summary: str, *, undoes: int | None = None) -> None:
    """Name the session's change; the first description wins (``demo`` over its ``cadre.add``s)."""
    s.info.setdefault(_DESCRIPTION, (action, summary, undoes))


def who(s: Session | None = None) -> str:
    """Who makes the change: the database login on PostgreSQL, else the OS user running the command."""
    if s is not None and _dialect(s) == "postgresql":
        return str(s.connection().exec_driver_sql("SELECT session_user").scalar())[:64]
    try:
        return getpass.getuser()[:64]
    except (OSError, KeyError, ImportError):
        return f"uid {os.getuid()}"


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
    """An ORM object's columns as JSON values."""
    mapper = sa_inspect(obj).mapper
    return {a.key: _jsonable(getattr(obj, a.key)) for a in mapper.column_attrs}


def _old_row_of(obj: Any) -> Row:
    """The columns as they were before the pending changes."""
    state = sa_inspect(obj)
    out: Row = {}
    for a in state.mapper.column_attrs:
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


def _from_json(model: type, row: Row) -> Row:
    """JSON values back to the columns' Python types."""
    out: Row = {}
    for column in model.__table__.columns:
        value = row.get(column.key)
        if value is not None:
            kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
            if isinstance(kind, sa.DateTime):
                # aware, as SQLModel's UTCDateTime requires (stored as UTC)
                value = datetime.fromisoformat(value).replace(tzinfo=UTC)
            elif isinstance(kind, sa.Date):
                value = date.fromisoformat(value)
            elif isinstance(kind, sa.Boolean):
                value = bool(value)
            elif isinstance(kind, sa.Integer):
                value = int(value)
        out[column.key] = value
    return out


def _refuse_orphans(s: Session, change_id: int, model: type, row: Any, leaving: set[tuple[str, str]]) -> None:
    """Refuse to remove a row that rows staying behind refer to (a visit and its report).

    Asked before the delete, so both backends refuse alike (PostgreSQL checks
    each statement at once; SQLite's deferred check below is the backstop).
    """
    table = model.__table__
    for other in table.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or fk.ondelete == "CASCADE" or other.name not in AUDITED:
                continue
            for (rowid,) in s.execute(sa.select(other.c.id).where(fk.parent == getattr(row, fk.column.name))):
                if (other.name, str(rowid)) not in leaving:
                    raise Conflict(
                        _(
                            "undoing change #{id} would leave {table} {rowid} without its {parent}; "
                            "undo the later change that added it first"
                        ).format(id=change_id, table=other.name, rowid=rowid, parent=table.name)
                    )


def _pk_value(model: type, key: str) -> Any:
    column = next(iter(model.__table__.primary_key.columns))
    return int(key) if isinstance(column.type, sa.Integer) else key


# --- tracking ----------------------------------------------------------------

_TABLE_OF = {model: name for name, model in AUDITED.items()}


def _note(s: Session, entity: str, key: str, before: Row | None, after: Row | None) -> None:
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
    after = {key: _jsonable(value) for key, value in row.items()}
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


for _model in AUDITED.values():
    event.listen(_model, "after_insert", _after_insert)
    event.listen(_model, "after_update", _after_update)
    event.listen(_model, "after_delete", _after_delete)


@event.listens_for(Session, "before_commit")
def _before_commit(s: Session) -> None:
    s.flush()  # so that every pending row has been noted
    pending = s.info.pop(_ITEMS, {})
    description = s.info.pop(_DESCRIPTION, None)
    items = [(e, k, b, a) for (e, k), (b, a) in pending.items() if b != a]
    if not items and description is None:
        return
    action, summary, undoes = description or ("change", _("changed {n} record(s)").format(n=len(items)), None)
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
        sa.insert(Change.__table__).returning(Change.__table__.c.id),
        {"at": _now(), "who": who(s), "action": action, "summary": summary[:SUMMARY_MAX], "undoes": undoes},
    ).scalar_one()
    s.execute(
        sa.insert(ChangeItem.__table__),
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
        if _dialect(s) == "postgresql":
            from congtac12.store import pg_history

            found = pg_history.installed(s.connection())
        s.info[_DB_HISTORY] = found
    return found


@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_commit")
def _forget(s: Session) -> None:
    s.info.pop(_ITEMS, None)
    s.info.pop(_DESCRIPTION, None)


# --- reading the history -----------------------------------------------------


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


def _view(item: ChangeItem) -> ItemView:
    return ItemView(item.entity, item.entity_key, _row(item.entity, item.before), _row(item.entity, item.after))


def _row(entity: str, text: str | None) -> Row | None:
    """A stored row, its columns in the table's order (PostgreSQL's jsonb keeps its own order)."""
    if text is None:
        return None
    row = json.loads(text)
    model = AUDITED.get(entity)
    if model is None:
        return row
    order = [c.key for c in model.__table__.columns]
    return {k: row[k] for k in sorted(row, key=lambda k: order.index(k) if k in order else len(order))}


def history(
    s: Session, *, visit_id: int | None = None, cadre_id: int | None = None, limit: int | None = None
) -> list[ChangeView]:
    """Changes, newest first; only those touching a visit (with its report) or a cadre (with its visits)."""
    if any(n is not None and not is_row_id(n) for n in (visit_id, cadre_id)):
        return []
    limit = None if limit is None else min(limit, ROW_ID_MAX)
    cond = None
    if visit_id is not None:
        cond = _visit_items(visit_id)
    elif cadre_id is not None:
        visits = select(ChangeItem.entity_key).where(
            ChangeItem.entity == "visit",
            or_(_json(ChangeItem.before, "cadre_id") == cadre_id, _json(ChangeItem.after, "cadre_id") == cadre_id),
        )
        visit_keys = set(s.exec(visits))
        cond = or_(
            (col(ChangeItem.entity) == "cadre") & (col(ChangeItem.entity_key) == str(cadre_id)),
            (col(ChangeItem.entity) == "visit") & col(ChangeItem.entity_key).in_(visit_keys),
            (col(ChangeItem.entity) == "report")
            & or_(
                _json(ChangeItem.before, "visit_id").in_([int(k) for k in visit_keys]),
                _json(ChangeItem.after, "visit_id").in_([int(k) for k in visit_keys]),
            ),
        )
    changes = select(Change).order_by(col(Change.id).desc())
    if cond is not None:
        changes = changes.where(col(Change.id).in_(select(ChangeItem.change_id).where(cond)))
    if limit is not None:
        changes = changes.limit(limit)
    out = []
    for change in s.exec(changes).all():
        item_stmt = select(ChangeItem).where(ChangeItem.change_id == change.id).order_by(ChangeItem.id)
        total = s.exec(select(func.count()).select_from(ChangeItem).where(ChangeItem.change_id == change.id)).one()
        if cond is not None:
            item_stmt = item_stmt.where(cond)
        out.append(
            ChangeView(
                change.id,
                change.at,
                change.who,
                change.action,
                change.summary,
                change.undoes,
                [_view(i) for i in s.exec(item_stmt)],
                total,
            )
        )
    return out


class _JsonInt(sa.sql.expression.FunctionElement):
    """An integer field of a JSON text column: ``json_extract`` on SQLite, ``->>`` on PostgreSQL."""

    type = sa.Integer()
    inherit_cache = False  # ``field`` is not part of the cache key
    name = "json_int"

    def __init__(self, column: Any, field: str) -> None:
        assert field.isidentifier(), field  # our own column names only: written into the SQL
        self.field = field
        super().__init__(column)


@compiles(_JsonInt)
def _json_int_sqlite(element: _JsonInt, compiler: Any, **kw: Any) -> str:
    return f"json_extract({compiler.process(element.clauses, **kw)}, '$.{element.field}')"


@compiles(_JsonInt, "postgresql")
def _json_int_postgresql(element: _JsonInt, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(CAST({column} AS jsonb) ->> '{element.field}' AS bigint)"


def _json(column: Any, field: str) -> Any:
    return _JsonInt(column, field)


def _dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def _visit_items(visit_id: int) -> Any:
    return or_(
        (col(ChangeItem.entity) == "visit") & (col(ChangeItem.entity_key) == str(visit_id)),
        (col(ChangeItem.entity) == "report")
        & or_(_json(ChangeItem.before, "visit_id") == visit_id, _json(ChangeItem.after, "visit_id") == visit_id),
    )


# --- undo --------------------------------------------------------------------


def undo(s: Session, change_id: int | None = None) -> ChangeView:
    """Write back the "before" of every row of a change (the latest by default); returns that change.

    Refused when a row no longer holds the change's "after" (a later change
    touched it: undo that one first).
    """
    if change_id is None:
        target = s.exec(select(Change).order_by(col(Change.id).desc()).limit(1)).first()
        if target is None:
            raise NotFound(_("nothing to undo: no change has been recorded"))
    else:
        target = s.get(Change, change_id) if is_row_id(change_id) else None
        if target is None:
            raise NotFound(_("no change #{id}; see 'congtac12 history'").format(id=change_id))
    items = list(s.exec(select(ChangeItem).where(ChangeItem.change_id == target.id).order_by(ChangeItem.id)))
    if _dialect(s) == "postgresql":  # organisation mode: only this login's own records
        from congtac12.store import org, pg_history

        if database_writes_history(s) and not pg_history.written_by_database(s.connection(), target.id):
            raise Conflict(
                _(
                    "change #{id} was not recorded by this database's history triggers (it was copied in, or "
                    "recorded before 'congtac12 db upgrade'); on PostgreSQL only changes the database recorded "
                    "can be undone"
                ).format(id=target.id)
            )
        org.check_undo(s, target.id, items)
    describe(
        s,
        "undo",
        _("undid #{id} ({action}): {summary}").format(id=target.id, action=target.action, summary=target.summary),
        undoes=target.id,
    )
    # Rows of one table may depend on each other (a unit's parent): check the
    # foreign keys at commit, when every row is back, not statement by statement.
    sqlite = _dialect(s) == "sqlite"
    if sqlite:  # PostgreSQL checks each row at once (its keys are not deferrable)
        s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    leaving = {(i.entity, i.entity_key) for i in items if i.before is None}
    for item in reversed(items):
        model = AUDITED[item.entity]
        current = s.get(model, _pk_value(model, item.entity_key))
        now = None if current is None else _from_json(model, row_of(current))
        after = None if item.after is None else _from_json(model, json.loads(item.after))
        if now != after:
            later = s.exec(
                select(func.max(ChangeItem.change_id)).where(
                    ChangeItem.entity == item.entity,
                    ChangeItem.entity_key == item.entity_key,
                    col(ChangeItem.change_id) > target.id,
                )
            ).one()
            where = _(" by change #{later}").format(later=later) if later else _(" outside congtac12")
            raise Conflict(
                _("{entity} {key} has changed since change #{id}{where} ({what}); undo the later change first").format(
                    entity=item.entity, key=item.entity_key, id=target.id, where=where, what=_difference(now, after)
                )
            )
        before = None if item.before is None else json.loads(item.before)
        if before is None:
            _refuse_orphans(s, target.id, model, current, leaving)
            delete_row(s, current)
        elif current is None:
            s.add(model(**_from_json(model, before)))
        else:
            for key, value in _from_json(model, before).items():
                setattr(current, key, value)
    s.flush()
    problems = s.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
    for table, rowid, parent, _fk in problems:
        raise Conflict(
            _(
                "undoing change #{id} would leave {table} {rowid} without its {parent}; "
                "undo the later change that added it first"
            ).format(id=target.id, table=table, rowid=rowid, parent=parent)
        )
    return ChangeView(
        target.id,
        target.at,
        target.who,
        target.action,
        target.summary,
        target.undoes,
        [_view(i) for i in items],
        len(items),
    )


def _difference(now: Row | None, after: Row | None) -> str:
    """What differs between the row as it is and as the change left it, in a few words."""
    if now is None:
        return _("the row is gone")
    if after is None:
        return _("the row was made again")
    for key, value in now.items():
        if after.get(key) != value:
            return _("{field} is {now}, the change left {then}").format(
                field=key, now=_short(value), then=_short(after.get(key))
            )
    return _("the row differs")


def _short(value: Any) -> str:
    text = "-" if value is None else _jsonable(value) if isinstance(value, date) else value
    text = json.dumps(text, ensure_ascii=False) if isinstance(text, str) else str(text)
    return text if len(text) <= 40 else text[:39] + "…"


def delete_row(s: Session, obj: Any) -> None:
    """Delete a row: through ``congtac12_delete_own`` for a cadre login on PostgreSQL (it has no DELETE grant)."""
    if _dialect(s) == "postgresql":
        from congtac12.store import org

        if org.deletes_through_function(s):
            s.flush()
            s.execute(
                sa.text("SELECT congtac12_delete_own(:table, :id)"),
                {"table": obj.__table__.name, "id": int(_key_of(obj))},
            )
            s.expunge(obj)
            return
    s.delete(obj)
