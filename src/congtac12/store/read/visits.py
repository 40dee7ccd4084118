"""Visits as a listing shows them: with their cadre, unit and report date (``queries.visit_rows``'s twin)."""

from __future__ import annotations

from datetime import date

from congtac12.store.read.connect import Reader
from congtac12.store.rows import VisitRow


def visit_rows(
    r: Reader,
    *,
    cadre_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    visit_id: int | None = None,
    deleted: bool = False,
    unreported_by: date | None = None,
) -> list[VisitRow]:
    """Visits with their cadre, unit and report date; those touching [start, end] if given.

    Deleted visits are left out, and so are the visits of deactivated cadres
    unless ``cadre_id`` names one; ``deleted`` lists only the deleted visits;
    ``unreported_by`` only those with no report dated on or before that day.
    """
    state = "IS NOT NULL" if deleted else "IS NULL"
    sql = (
        'SELECT visit.id, cadre.code, cadre.name, unit.name, visit.start, visit."end", visit.kind, visit.topic,'
        " visit.order_no, report.reported_on, cadre.email"
        " FROM visit JOIN cadre ON cadre.id = visit.cadre_id JOIN unit ON unit.id = visit.unit_id"
        # A deleted visit's report is deleted with it: shown in the list of deleted visits.
        f" LEFT OUTER JOIN report ON report.visit_id = visit.id AND report.deleted_at {state}"
        f" WHERE visit.deleted_at {state}"
    )
    params: list[object] = []
    if visit_id is not None:
        sql += " AND visit.id = ?"
        params.append(visit_id)
    if cadre_id is not None:
        sql += " AND visit.cadre_id = ?"
        params.append(cadre_id)
    else:
        sql += " AND cadre.deactivated_at IS NULL"
    if start is not None:
        sql += ' AND visit."end" >= ?'
        params += r.dates((start,))
    if end is not None:
        sql += " AND visit.start <= ?"
        params += r.dates((end,))
    if unreported_by is not None:
        sql += " AND (report.reported_on IS NULL OR report.reported_on > ?)"
        params += r.dates((unreported_by,))
    day, maybe_day = r.day, r.maybe_day
    return [
        VisitRow(vid, code, name, unit, day(a), day(b), kind, topic, order_no, maybe_day(reported), email)
        for vid, code, name, unit, a, b, kind, topic, order_no, reported, email in r.rows(
            sql + ' ORDER BY visit.start, visit."end", visit.id', params
        )
    ]
