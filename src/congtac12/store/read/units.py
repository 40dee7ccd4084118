"""Units (``queries.unit_facts``'s twin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from congtac12.store.read.connect import Reader
from congtac12.store.rows import UnitRow

if TYPE_CHECKING:
    from congtac12.domain.summary import UnitFacts


def unit_facts(r: Reader) -> list[UnitFacts]:
    """Every unit with its level and parent, for coverage by district-level union."""
    from congtac12.domain.summary import UnitFacts

    return [UnitFacts(*row) for row in r.rows("SELECT id, name, level, parent_id FROM unit")]


def unit_rows(r: Reader) -> list[UnitRow]:
    """Units by level, then by name in Vietnamese alphabetical order (``queries.units``, as rows)."""
    from congtac12.collation import sort_key

    rows = [UnitRow(*row) for row in r.rows("SELECT id, name, level, parent_id FROM unit")]
    return sorted(rows, key=lambda u: (u.level, sort_key(u.name)))
