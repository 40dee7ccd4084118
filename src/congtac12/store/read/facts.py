"""The facts of a window: visits with their unit's level and their reports (``queries.facts``'s twin)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from congtac12.domain.facts import CadreFacts, ReportFacts, VisitFacts
from congtac12.store.read.cadres import cadre_facts
from congtac12.store.read.connect import Reader


def facts(
    r: Reader, *, first: date, last: date, cadre_id: int | None = None
) -> tuple[list[CadreFacts], list[VisitFacts], list[ReportFacts]]:
    """Cadres with their service period and leave, and the visits touching [first, last] with
    their unit's level and their reports. Deleted visits (and their reports) never count;
    deactivated cadres are left out, with their visits, unless ``cadre_id`` names one.

    The units of every cadre's visits are kept on the reader for ``visit_units`` of the same
    window (a summary's coverage): the window is then read once."""
    found, visits, reports, _outside = window_facts(r, first=first, last=last, cadre_id=cadre_id)
    return found, visits, reports


def window_facts(
    r: Reader, *, first: date, last: date, cadre_id: int | None = None, outside: Sequence[tuple[date, date]] = ()
) -> tuple[list[CadreFacts], list[VisitFacts], list[ReportFacts], list[list[tuple[int, date, date]]]]:
    """``facts`` of [first, last], and for each span of ``outside`` (each wholly before or after
    that window) what ``visits_between`` gives of it, from the same one pass over the visits."""
    units = cadre_id is None
    found, code_of = cadre_facts(r, cadre_id=cadre_id)
    level_of = dict(r.rows("SELECT id, level FROM unit"))
    where = ['(visit."end" >= ? AND visit.start <= ?)']
    params = r.dates((first, last))
    for span in outside:
        where.append('(visit.start >= ? AND visit."end" <= ?)')
        params += r.dates(span)
    sql = (
        'SELECT visit.id, visit.cadre_id, visit.start, visit."end", visit.kind, visit.unit_id, report.reported_on'
        " FROM visit LEFT OUTER JOIN report ON report.visit_id = visit.id AND report.deleted_at IS NULL"
        f" WHERE visit.deleted_at IS NULL AND ({' OR '.join(where)})"
    )
    if cadre_id is not None:
        sql += " AND visit.cadre_id = ?"
        params.append(cadre_id)
    # A window has a few hundred distinct days and four kinds: each read once and shared by
    # every visit (a window of 143,000 visits then holds 1,000 dates, not 400,000).
    day = lru_cache(maxsize=None)(r.day)
    kinds: dict[str, str] = {}
    kind_of = kinds.setdefault
    new = tuple.__new__  # VisitFacts(...) without its __new__'s Python frame: once per visit of a window
    visit_facts: list[VisitFacts] = []
    report_facts: list[ReportFacts] = []
    unit_of: dict[int, int] = {}
    outside_found: list[list[tuple[int, date, date]]] = [[] for _span in outside]
    add_visit, add_report = visit_facts.append, report_facts.append
    for vid, cid, start, end, kind, unit_id, reported_on in r.each(sql, params):
        code = code_of.get(cid)
        if code is None:
            continue  # a deactivated cadre's visit
        start_day, end_day = day(start), day(end)
        if outside and not (end_day >= first and start_day <= last):  # outside the window: in which span
            for (a, b), found_in in zip(outside, outside_found, strict=True):
                if start_day >= a and end_day <= b:
                    found_in.append((vid, start_day, end_day))
            continue
        add_visit(new(VisitFacts, (vid, code, start_day, end_day, kind_of(kind, kind), level_of[unit_id])))
        if units:
            unit_of[vid] = unit_id
        if reported_on is not None:
            add_report(new(ReportFacts, (vid, day(reported_on))))
    if units:
        r.window_units = (first, last, unit_of)
    for found_in in outside_found:
        found_in.sort(key=_start_then_id)  # as visits_between orders them
    return found, visit_facts, report_facts, outside_found


def _start_then_id(v: tuple[int, date, date]) -> tuple[date, int]:
    return v[1], v[0]


def visits_between(r: Reader, *, first: date, last: date, cadre_id: int | None = None) -> list[tuple[int, date, date]]:
    """(id, first day, last day) of the visits lying wholly within [first, last], oldest first;
    deleted visits and deactivated cadres' visits left out (unless ``cadre_id`` names one)."""
    sql = (
        'SELECT visit.id, visit.start, visit."end" FROM visit JOIN cadre ON cadre.id = visit.cadre_id'
        ' WHERE visit.start >= ? AND visit."end" <= ? AND visit.deleted_at IS NULL'
    )
    params = r.dates((first, last))
    if cadre_id is not None:
        sql += " AND visit.cadre_id = ?"
        params.append(cadre_id)
    else:
        sql += " AND cadre.deactivated_at IS NULL"
    day = lru_cache(maxsize=None)(r.day)  # each distinct day read once, as in ``facts``
    return [(vid, day(start), day(end)) for vid, start, end in r.each(sql + " ORDER BY visit.start, visit.id", params)]


def visit_units(r: Reader, *, first: date, last: date) -> dict[int, int]:
    """The unit of every visit ``facts`` returns for [first, last] (``queries.visit_units`` of their
    ids gives the same unit for each): kept by ``facts`` of all cadres for that window, else read
    (then the visits of deactivated cadres too)."""
    if r.window_units is not None and r.window_units[:2] == (first, last):
        return r.window_units[2]
    sql = 'SELECT id, unit_id FROM visit WHERE "end" >= ? AND start <= ? AND deleted_at IS NULL'
    return dict(r.rows(sql, r.dates((first, last))))
