"""Units (``queries.unit_facts``'s twin), and one found by what a user typed (``queries.find_unit``'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from congtac12.store.read.connect import Reader

if TYPE_CHECKING:  # the rows imported where made: ``summary`` reads unit_facts alone
    from congtac12.domain.summary import UnitFacts
    from congtac12.store.register_rows import UnitRef, UnitRow


def unit_facts(r: Reader) -> list[UnitFacts]:
    """Every unit with its level and parent, for coverage by district-level union."""
    from congtac12.domain.summary import UnitFacts

    return [UnitFacts(*row) for row in r.rows("SELECT id, name, level, parent_id FROM unit")]


def unit_rows(r: Reader) -> list[UnitRow]:
    """Units by level, then by name in Vietnamese alphabetical order (``queries.units``, as rows)."""
    from congtac12.collation import sort_key
    from congtac12.store.register_rows import UnitRow

    rows = [UnitRow(*row) for row in r.rows("SELECT id, name, level, parent_id FROM unit")]
    return sorted(rows, key=lambda u: (u.level, sort_key(u.name)))


def find_unit(r: Reader, query: str) -> UnitRef:
    """A unit by name, or by its place name alone ("ba dinh" -> "Quận đoàn Ba Đình"), among the
    units in the order ``queries.find_unit`` offers them (by name, as the database sorts)."""
    from congtac12.store.register_rows import UnitRef
    from congtac12.text import match_one

    rows = [UnitRef(*row) for row in r.rows("SELECT id, name FROM unit ORDER BY name")]
    return match_one(query, rows, keys=lambda u: (u.name,), label=lambda u: u.name, what="unit")
