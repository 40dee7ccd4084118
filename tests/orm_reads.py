"""The reads that commands made through the ORM before they read plain SQL (``store.read``), kept
for the comparisons only (tests/test_read_history.py, tests/test_read_exchange.py): the history
of changes (``audit.history`` as it was) and the export's tables (``store.exchange``'s
``_export_*`` as they were). Nothing in the product calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from congtac12.domain.vocab import KINDS, LEAVE_REASONS, LEVELS
from congtac12.exchange import spec
from congtac12.exchange.files import Sheet
from congtac12.store.audit import view_of
from congtac12.store.models import (
    ROW_ID_MAX,
    Cadre,
    Change,
    ChangeItem,
    Leave,
    Plan,
    Report,
    Setting,
    Unit,
    Visit,
    is_row_id,
)
from congtac12.store.read.history import ChangeView

# --- the history --------------------------------------------------------------


class _JsonInt(sa.sql.expression.FunctionElement[Any]):
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


def _visit_items(visit_id: int) -> Any:
    return or_(
        (col(ChangeItem.entity) == "visit") & (col(ChangeItem.entity_key) == str(visit_id)),
        (col(ChangeItem.entity) == "report")
        & or_(_json(ChangeItem.before, "visit_id") == visit_id, _json(ChangeItem.after, "visit_id") == visit_id),
    )


def history(
    s: Session, *, visit_id: int | None = None, cadre_id: int | None = None, limit: int | None = None
) -> list[ChangeView]:
    """Changes, newest first; only those touching a visit (with its report) or a cadre (with its visits, leave and plans)."""
    if any(n is not None and not is_row_id(n) for n in (visit_id, cadre_id)):
        return []
    limit = None if limit is None else min(limit, ROW_ID_MAX)
    cond = None
    if visit_id is not None:
        cond = _visit_items(visit_id)
    elif cadre_id is not None:
        visits = sm_select(ChangeItem.entity_key).where(
            ChangeItem.entity == "visit",
            or_(_json(ChangeItem.before, "cadre_id") == cadre_id, _json(ChangeItem.after, "cadre_id") == cadre_id),
        )
        visit_keys = set(s.exec(visits))
        cond = or_(
            (col(ChangeItem.entity) == "cadre") & (col(ChangeItem.entity_key) == str(cadre_id)),
            (col(ChangeItem.entity).in_(("leave", "plan")))
            & or_(_json(ChangeItem.before, "cadre_id") == cadre_id, _json(ChangeItem.after, "cadre_id") == cadre_id),
            (col(ChangeItem.entity) == "visit") & col(ChangeItem.entity_key).in_(visit_keys),
            (col(ChangeItem.entity) == "report")
            & or_(
                _json(ChangeItem.before, "visit_id").in_([int(k) for k in visit_keys]),
                _json(ChangeItem.after, "visit_id").in_([int(k) for k in visit_keys]),
            ),
        )
    changes = sm_select(Change).order_by(col(Change.id).desc())
    if cond is not None:
        changes = changes.where(col(Change.id).in_(sm_select(ChangeItem.change_id).where(cond)))
    if limit is not None:
        changes = changes.limit(limit)
    out = []
    for change in s.exec(changes).all():
        item_stmt = sm_select(ChangeItem).where(ChangeItem.change_id == change.id).order_by(col(ChangeItem.id))
        total = s.exec(sm_select(func.count()).select_from(ChangeItem).where(ChangeItem.change_id == change.id)).one()
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
                [view_of(i) for i in s.exec(item_stmt)],
                total,
            )
        )
    return out


# --- export -------------------------------------------------------------------


def _export_units(s: Session) -> list[Sequence[Any]]:
    parent = aliased(Unit)
    rows = s.execute(
        select(col(Unit.name), col(Unit.level), col(parent.name)).outerjoin(
            parent, col(parent.id) == col(Unit.parent_id)
        )
    ).all()
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted((tuple(r) for r in rows), key=lambda r: (order.get(r[1], len(order)), r[0]))


def _export_settings(s: Session) -> list[Sequence[Any]]:
    """The settings that change figures or words; the format's version is the file's own (see files)."""
    keys = [k for k in spec.SETTING_KEYS if k != "format_version"]
    stmt = select(col(Setting.key), col(Setting.value)).where(col(Setting.key).in_(keys)).order_by(col(Setting.key))
    return [tuple(r) for r in s.execute(stmt)]


def _export_cadres(s: Session) -> list[Sequence[Any]]:
    """Every cadre, the deactivated ones included (active False): a re-import restores both."""
    stmt = select(
        col(Cadre.code),
        col(Cadre.name),
        col(Cadre.department),
        col(Cadre.email),
        col(Cadre.subject),
        col(Cadre.joined),
        col(Cadre.left),
        col(Cadre.deactivated_at),
    )
    return [
        (c, n, d, e, bool(sub), j, lft, gone is None)
        for c, n, d, e, sub, j, lft, gone in s.execute(stmt.order_by(col(Cadre.code)))
    ]


def _export_leave(s: Session) -> list[Sequence[Any]]:
    stmt = select(col(Cadre.code), col(Leave.start), col(Leave.end), col(Leave.reason)).join(
        Cadre, col(Cadre.id) == col(Leave.cadre_id)
    )
    return [
        tuple(r) for r in s.execute(stmt.order_by(col(Cadre.code), col(Leave.start), col(Leave.end), col(Leave.reason)))
    ]


def _visit_key_columns() -> tuple[Any, ...]:
    return (col(Cadre.code), col(Unit.name), col(Visit.start), col(Visit.end), col(Visit.kind))


def _visit_order() -> tuple[Any, ...]:
    return (Cadre.code, Visit.start, Visit.end, Unit.name, Visit.kind)


def _export_visits(s: Session) -> list[Sequence[Any]]:
    """Every visit, the deleted ones included and marked: a re-import restores the same state."""
    stmt = (
        select(*_visit_key_columns(), col(Visit.topic), col(Visit.order_no), col(Visit.deleted_at))
        .join(Cadre, col(Cadre.id) == col(Visit.cadre_id))
        .join(Unit, col(Unit.id) == col(Visit.unit_id))
        .order_by(*_visit_order())
    )
    return [(*r[:7], r[7] is not None) for r in s.execute(stmt)]


def _export_reports(s: Session) -> list[Sequence[Any]]:
    """Every report, those of deleted visits included (deleted with their visit, they come back with it)."""
    stmt = (
        select(*_visit_key_columns(), col(Report.reported_on), col(Report.text))
        .join(Visit, col(Visit.id) == col(Report.visit_id))
        .join(Cadre, col(Cadre.id) == col(Visit.cadre_id))
        .join(Unit, col(Unit.id) == col(Visit.unit_id))
        .order_by(*_visit_order())
    )
    return [tuple(r) for r in s.execute(stmt)]


def _export_plans(s: Session) -> list[Sequence[Any]]:
    """Every plan in its recorded state, with the natural key of the visit that fulfils it."""
    vcadre, vunit = aliased(Cadre), aliased(Unit)
    stmt = (
        select(
            col(Cadre.code),
            col(Unit.name),
            col(Plan.start),
            col(Plan.end),
            col(Plan.kind),
            col(Plan.days),
            col(Plan.topic),
            col(Plan.state),
            col(Plan.reason),
            col(Plan.decided_by),
            col(Plan.decided_at),
            col(vcadre.code),
            col(vunit.name),
            col(Visit.start),
            col(Visit.end),
            col(Visit.kind),
        )
        .join(Cadre, col(Cadre.id) == col(Plan.cadre_id))
        .join(Unit, col(Unit.id) == col(Plan.unit_id))
        .outerjoin(Visit, col(Visit.id) == col(Plan.visit_id))
        .outerjoin(vcadre, col(vcadre.id) == col(Visit.cadre_id))
        .outerjoin(vunit, col(vunit.id) == col(Visit.unit_id))
    )
    rows = [(*r[:10], r[10].isoformat(sep=" ") if r[10] is not None else None, *r[11:]) for r in s.execute(stmt)]
    return sorted(rows, key=lambda r: (r[0], r[2], r[3], r[1], r[4], tuple("" if v is None else str(v) for v in r)))


_EXPORTERS: dict[str, Callable[[Session], list[Sequence[Any]]]] = {
    "settings": _export_settings,
    "units": _export_units,
    "cadres": _export_cadres,
    "leave": _export_leave,
    "visits": _export_visits,
    "reports": _export_reports,
    "plans": _export_plans,
}


def export_sheets(s: Session, *, spreadsheet: bool = False) -> list[Sheet]:
    """Every table as a Sheet. ``spreadsheet``: kinds, levels and leave reasons by their Vietnamese names."""
    sheets = []
    for table in spec.TABLES:
        rows = _EXPORTERS[table.name](s)
        if spreadsheet:
            rows = [tuple(_spreadsheet_value(c, v) for c, v in zip(table.columns, r, strict=False)) for r in rows]
        sheets.append(Sheet(table.name, table.sheet, table.columns, rows))
    return sheets


def _spreadsheet_value(column: spec.Column, value: Any) -> Any:
    names = {spec.KIND: KINDS, spec.LEVEL: LEVELS, spec.REASON: LEAVE_REASONS}.get(column.type)
    return names.get(value, value) if names is not None else value
