"""Export every table, and import files all or nothing, in the caller's one transaction.

Export reads each table of ``exchange.spec.TABLES`` as rows of typed values,
ordered by natural keys (never by database ids), so that the same records give
the same file whatever database holds them. It holds everything the record
needs to be rebuilt: the settings that change figures (language, policy), units
with their parents, cadres with their service period and whether they are
active, leave, every visit (the deleted ones marked), every report and every
plan in its recorded state (with the visit that fulfils it). The
history of changes stays in the database.

Import (``store.importer``) checks every row of every table before it writes
anything, then writes the new rows in bulk (``store.import_write``).

Adding a table: a ``spec.Table``, an ``_export_<name>`` function here, a
``_check_<name>`` method in ``importer`` and its part of ``import_write``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from congtac12.domain.vocab import KINDS, LEAVE_REASONS, LEVELS
from congtac12.exchange import spec
from congtac12.exchange.files import Sheet, SourceTable
from congtac12.store.importer import ImportResult, Progress, TableCount, check_import
from congtac12.store.models import Cadre, Leave, Plan, Report, Setting, Unit, Visit

__all__ = ["ImportResult", "Progress", "TableCount", "export_sheets", "import_tables"]

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


# --- import -------------------------------------------------------------------


def import_tables(
    s: Session,
    sources: Sequence[SourceTable],
    *,
    today: date,
    progress: Progress | None = None,
    write: bool = True,
) -> ImportResult:
    """Check every row of ``sources``, then (``write``) add the new ones.

    Raises ``errors.ManyErrors`` listing every independent error (see ``importer``); then
    nothing is written.
    """
    from congtac12.store import import_write

    job = check_import(s, sources, today=today, progress=progress)
    if write and job.has_new():
        import_write.write(job)
    return ImportResult(job.counts, job.ignored, written=write)
