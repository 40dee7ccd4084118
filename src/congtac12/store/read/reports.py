"""Reports' texts, for the visits a page lists (``queries.report_of``'s twin, one query for them all);
one visit's report and the facts that decide whether it owes one (``report show``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from congtac12.store.read.connect import Reader

if TYPE_CHECKING:
    from congtac12.domain.facts import VisitFacts

# Ids per statement: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
BATCH = 900


def report_texts(r: Reader, visit_ids: Sequence[int]) -> dict[int, str]:
    """The text of each live report of ``visit_ids`` (a deleted visit's report is deleted with it)."""
    found: dict[int, str] = {}
    ids = sorted(set(visit_ids))
    for at in range(0, len(ids), BATCH):
        part = ids[at : at + BATCH]
        marks = ", ".join("?" * len(part))
        sql = f"SELECT visit_id, text FROM report WHERE deleted_at IS NULL AND visit_id IN ({marks})"
        found.update((vid, text) for vid, text in r.rows(sql, part))
    return found


def report_of(r: Reader, visit_id: int) -> tuple[str, date] | None:
    """(text, date) of the visit's live report, if it has one (``queries.report_of``)."""
    found = r.rows("SELECT text, reported_on FROM report WHERE visit_id = ? AND deleted_at IS NULL", (visit_id,))
    return (found[0][0], r.day(found[0][1])) if found else None


def visit_facts_of(r: Reader, visit_id: int) -> tuple[int, VisitFacts] | None:
    """(cadre id, the visit as the rules count it) of visit ``visit_id``, deleted or not."""
    from congtac12.domain.facts import VisitFacts

    found = r.rows(
        'SELECT v.cadre_id, v.id, c.code, v.start, v."end", v.kind, u.level FROM visit v'
        " JOIN cadre c ON c.id = v.cadre_id JOIN unit u ON u.id = v.unit_id WHERE v.id = ?",
        (visit_id,),
    )
    if not found:
        return None
    cadre_id, vid, code, start, end, kind, level = found[0]
    return cadre_id, VisitFacts(vid, code, r.day(start), r.day(end), kind, level)
