"""``undo``: a change taken back, row by row, as a change of its own (so an undo can be undone).

Each row of the change is written back to its "before", and only while it
still holds the change's "after" (else the undo is refused, naming the row,
the field and the later change): on both backends alike. On PostgreSQL only
changes the database's triggers wrote (``pg_history``) are undone, and a
cadre's login only its own records (``rights.check_undo``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from congtac12.dates import show
from congtac12.domain.fields import action_name, entity_name, field_name
from congtac12.errors import Conflict, NotFound
from congtac12.i18n import _
from congtac12.store.audit import (
    AUDITED,
    database_writes_history,
    delete_row,
    describe,
    dialect,
    row_of,
    view_of,
)
from congtac12.store.models import DERIVED_COLUMNS, Change, ChangeItem, is_row_id, table_of
from congtac12.store.read.history import ChangeView, Row


def _from_json(model: type, row: Row) -> Row:
    """JSON values back to the columns' Python types."""
    out: Row = {}
    for column in table_of(model).columns:
        if column.key in DERIVED_COLUMNS:
            continue  # filled from the code or name when written
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
    table = table_of(model)
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
                        ).format(
                            id=change_id, table=entity_name(other.name), rowid=rowid, parent=entity_name(table.name)
                        )
                    )


def _pk_value(model: type, key: str) -> Any:
    column = next(iter(table_of(model).primary_key.columns))
    return int(key) if isinstance(column.type, sa.Integer) else key


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
    items = list(s.exec(select(ChangeItem).where(ChangeItem.change_id == target.id).order_by(col(ChangeItem.id))))
    if dialect(s) == "postgresql":  # organisation mode: only this login's own records
        from congtac12.store import pg_history, rights

        if database_writes_history(s) and not pg_history.written_by_database(s.connection(), target.id):
            raise Conflict(
                _(
                    "change #{id} was not recorded by this database's history triggers (it was copied in, or "
                    "recorded before 'congtac12 db upgrade'); on PostgreSQL only changes the database recorded "
                    "can be undone"
                ).format(id=target.id)
            )
        rights.check_undo(s, target.id, items)
    describe(
        s,
        "undo",
        _("undid #{id} ({action}): {summary}").format(
            id=target.id, action=action_name(target.action), summary=target.summary
        ),
        undoes=target.id,
    )
    # Rows of one table may depend on each other (a unit's parent): check the
    # foreign keys at commit, when every row is back, not statement by statement.
    sqlite = dialect(s) == "sqlite"
    if sqlite:  # PostgreSQL checks each row at once (its keys are not deferrable)
        s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    leaving = {(i.entity, i.entity_key) for i in items if i.before is None}
    # Read now: a refused flush expires every object of the session.
    done = ChangeView(
        target.id,
        target.at,
        target.who,
        target.action,
        target.summary,
        target.undoes,
        [view_of(i) for i in items],
        len(items),
    )
    try:
        _write_back(s, done.id, items, leaving)
    except sa.exc.IntegrityError as exc:
        # A rule the database keeps (a code taken meanwhile in another case, a
        # report before its trip ended, a visit of a deactivated cadre).
        from congtac12.store.constraints import message

        rule = message(str(exc.orig)) or str(exc.orig).strip().splitlines()[0]
        raise Conflict(
            _("undoing change #{id} would break a rule of the record: {rule}; nothing was changed").format(
                id=done.id, rule=rule
            )
        ) from None
    problems = s.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
    for table, rowid, parent, _fk in problems:
        raise Conflict(
            _(
                "undoing change #{id} would leave {table} {rowid} without its {parent}; "
                "undo the later change that added it first"
            ).format(id=done.id, table=entity_name(table), rowid=rowid, parent=entity_name(parent))
        )
    return done


def _write_back(s: Session, change_id: int, items: list[ChangeItem], leaving: set[tuple[str, str]]) -> None:
    """Write each row of a change back to its "before", newest item first, then flush; refused
    when a row no longer holds the change's "after"."""
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
                    col(ChangeItem.change_id) > change_id,
                )
            ).one()
            where = _(" by change #{later}").format(later=later) if later else _(" outside congtac12")
            raise Conflict(
                _("{entity} {key} has changed since change #{id}{where} ({what}); undo the later change first").format(
                    entity=entity_name(item.entity),
                    key=item.entity_key,
                    id=change_id,
                    where=where,
                    what=_difference(now, after),
                )
            )
        before = None if item.before is None else json.loads(item.before)
        if before is None:
            _refuse_orphans(s, change_id, model, current, leaving)
            delete_row(s, current)
        elif current is None:
            s.add(model(**_from_json(model, before)))
        else:
            for key, value in _from_json(model, before).items():
                setattr(current, key, value)
    s.flush()


def _difference(now: Row | None, after: Row | None) -> str:
    """What differs between the row as it is and as the change left it, in a few words."""
    if now is None:
        return _("the row is gone")
    if after is None:
        return _("the row was made again")
    for key, value in now.items():
        if after.get(key) != value:
            return _("{field} is {now}, the change left {then}").format(
                field=field_name(key), now=_short(value), then=_short(after.get(key))
            )
    return _("the row differs")


def _short(value: Any) -> str:
    text = "—" if value is None else show(value) if isinstance(value, date) else value
    text = json.dumps(text, ensure_ascii=False) if isinstance(text, str) else str(text)
    return text if len(text) <= 40 else text[:39] + "…"
