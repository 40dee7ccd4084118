"""The export's tables, in plain SQL: one statement per table of ``exchange.spec.TABLES``.

Each table comes as rows of typed values (``date``, ``bool``, ``int``, ``str``, ``None``), ordered
by natural keys (never by database ids), so that the same records give the same file whatever
database holds them; the database orders what SQL orders (its own collation, as before), and
units and plans are sorted here. The record as ``store.exchange``'s docstring says: settings that
change figures, units with their parents, cadres (active or not), leave, every visit (the deleted
ones marked), every report, every plan in its recorded state. tests/test_read_exchange.py checks
on random records that these rows are the ones the ORM read (tests/orm_reads.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from congtac12.domain.vocab import KINDS, LEAVE_REASONS, LEVELS
from congtac12.exchange import spec
from congtac12.exchange.files import Sheet
from congtac12.store.read.connect import Reader
from congtac12.store.read.history import stamp_of


def export_units(r: Reader) -> list[Sequence[Any]]:
    rows = r.rows("SELECT u.name, u.level, p.name FROM unit u LEFT OUTER JOIN unit p ON p.id = u.parent_id")
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted((tuple(row) for row in rows), key=lambda row: (order.get(row[1], len(order)), row[0]))


def export_settings(r: Reader) -> list[Sequence[Any]]:
    """The settings that change figures or words; the format's version is the file's own (see files)."""
    keys = [k for k in spec.SETTING_KEYS if k != "format_version"]
    marks = ", ".join("?" * len(keys))
    return [tuple(row) for row in r.rows(f"SELECT key, value FROM setting WHERE key IN ({marks}) ORDER BY key", keys)]


def export_cadres(r: Reader) -> list[Sequence[Any]]:
    """Every cadre, the deactivated ones included (active False): a re-import restores both."""
    maybe_day = r.maybe_day
    sql = 'SELECT code, name, department, email, subject, joined, "left", deactivated_at FROM cadre ORDER BY code'
    return [
        (c, n, d, e, bool(sub), maybe_day(j), maybe_day(lft), gone is None)
        for c, n, d, e, sub, j, lft, gone in r.rows(sql)
    ]


def export_leave(r: Reader) -> list[Sequence[Any]]:
    day = r.day
    sql = (
        'SELECT cadre.code, leave.start, leave."end", leave.reason FROM leave JOIN cadre ON cadre.id = leave.cadre_id'
        ' ORDER BY cadre.code, leave.start, leave."end", leave.reason'
    )
    return [(code, day(a), day(b), reason) for code, a, b, reason in r.rows(sql)]


# A visit's natural key, and the order of visits (and of their reports).
_VISIT_KEY = 'cadre.code, unit.name, visit.start, visit."end", visit.kind'
_VISIT_ORDER = 'cadre.code, visit.start, visit."end", unit.name, visit.kind'


def export_visits(r: Reader) -> list[Sequence[Any]]:
    """Every visit, the deleted ones included and marked: a re-import restores the same state."""
    day = r.day
    sql = (
        f"SELECT {_VISIT_KEY}, visit.topic, visit.order_no, visit.deleted_at FROM visit"
        " JOIN cadre ON cadre.id = visit.cadre_id JOIN unit ON unit.id = visit.unit_id"
        f" ORDER BY {_VISIT_ORDER}"
    )
    return [
        (code, unit, day(a), day(b), kind, topic, order_no, gone is not None)
        for code, unit, a, b, kind, topic, order_no, gone in r.rows(sql)
    ]


def export_reports(r: Reader) -> list[Sequence[Any]]:
    """Every report, those of deleted visits included (deleted with their visit, they come back with it)."""
    day = r.day
    sql = (
        f"SELECT {_VISIT_KEY}, report.reported_on, report.text FROM report"
        " JOIN visit ON visit.id = report.visit_id JOIN cadre ON cadre.id = visit.cadre_id"
        f" JOIN unit ON unit.id = visit.unit_id ORDER BY {_VISIT_ORDER}"
    )
    return [(code, unit, day(a), day(b), kind, day(on), text) for code, unit, a, b, kind, on, text in r.rows(sql)]


def export_plans(r: Reader) -> list[Sequence[Any]]:
    """Every plan in its recorded state, with the natural key of the visit that fulfils it."""
    day, maybe_day, stamp = r.day, r.maybe_day, stamp_of(r)
    sql = (
        'SELECT c.code, u.name, p.start, p."end", p.kind, p.days, p.topic, p.state, p.reason, p.decided_by,'
        ' p.decided_at, vc.code, vu.name, v.start, v."end", v.kind'
        " FROM plan p JOIN cadre c ON c.id = p.cadre_id JOIN unit u ON u.id = p.unit_id"
        " LEFT OUTER JOIN visit v ON v.id = p.visit_id LEFT OUTER JOIN cadre vc ON vc.id = v.cadre_id"
        " LEFT OUTER JOIN unit vu ON vu.id = v.unit_id"
    )
    rows = [
        (
            code, unit, day(a), day(b), kind, days, topic, state, reason, by,
            stamp(at).isoformat(sep=" ") if at is not None else None,
            vcode, vunit, maybe_day(va), maybe_day(vb), vkind,
        )
        for code, unit, a, b, kind, days, topic, state, reason, by, at, vcode, vunit, va, vb, vkind in r.rows(sql)
    ]  # fmt: skip
    return sorted(rows, key=lambda p: (p[0], p[2], p[3], p[1], p[4], tuple("" if v is None else str(v) for v in p)))


EXPORTERS: dict[str, Callable[[Reader], list[Sequence[Any]]]] = {
    "settings": export_settings,
    "units": export_units,
    "cadres": export_cadres,
    "leave": export_leave,
    "visits": export_visits,
    "reports": export_reports,
    "plans": export_plans,
}


def export_sheets(r: Reader, *, spreadsheet: bool = False) -> list[Sheet]:
    """Every table as a Sheet. ``spreadsheet``: kinds, levels and leave reasons by their Vietnamese names."""
    sheets = []
    for table in spec.TABLES:
        rows = EXPORTERS[table.name](r)
        if spreadsheet:
            rows = [tuple(spreadsheet_value(c, v) for c, v in zip(table.columns, row, strict=False)) for row in rows]
        sheets.append(Sheet(table.name, table.sheet, table.columns, rows))
    return sheets


def spreadsheet_value(column: spec.Column, value: Any) -> Any:
    names = {spec.KIND: KINDS, spec.LEVEL: LEVELS, spec.REASON: LEAVE_REASONS}.get(column.type)
    return names.get(value, value) if names is not None else value
