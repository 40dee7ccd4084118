"""Reports' texts, for the visits a page lists (``queries.report_of``'s twin, one query for them all)."""

from __future__ import annotations

from collections.abc import Sequence

from congtac12.store.read.connect import Reader

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
