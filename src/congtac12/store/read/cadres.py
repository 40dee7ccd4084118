"""Cadres: found by what a user types, and as the facts the rules read (``queries.cadre_facts``'s twin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from congtac12.collation import name_key, sort_key
from congtac12.domain.facts import CadreFacts, LeaveFacts
from congtac12.store.read.connect import Reader

if TYPE_CHECKING:  # imported where used: ``status --json`` makes none of these rows (their classes cost ≈ 5 ms)
    from congtac12.store.register_rows import CadreRow, LeaveRow
    from congtac12.store.rows import CadreRef


def find_cadre(r: Reader, query: str) -> CadreRef:
    """A cadre by code or name, ignoring case and diacritics; deactivated ones too (``queries.find_cadre``)."""
    from congtac12.store.rows import CadreRef
    from congtac12.text import match_one

    rows = [CadreRef(*row) for row in r.rows("SELECT id, code, name FROM cadre ORDER BY department, code")]
    return match_one(query, rows, keys=lambda c: (c.code, c.name), label=lambda c: f"{c.code} {c.name}", what="cadre")


def cadre_facts(r: Reader, *, cadre_id: int | None = None) -> tuple[list[CadreFacts], dict[int, str]]:
    """Cadres (active ones, or the one ``cadre_id`` names) with their service period and all
    their recorded leave, by department; and each one's code by id."""
    day, maybe_day = r.day, r.maybe_day
    leave_sql = 'SELECT id, cadre_id, start, "end", reason FROM leave'
    cadre_sql = 'SELECT id, code, name, department, subject, joined, "left" FROM cadre'
    params: tuple[object, ...] = ()
    if cadre_id is not None:
        leave_sql += " WHERE cadre_id = ?"
        cadre_sql += " WHERE id = ?"
        params = (cadre_id,)
    else:
        cadre_sql += " WHERE deactivated_at IS NULL"
    leave_of: dict[int, list[LeaveFacts]] = {}
    for lid, cid, start, end, reason in r.rows(leave_sql + ' ORDER BY start, "end", id', params):
        leave_of.setdefault(cid, []).append(LeaveFacts(lid, day(start), day(end), reason))
    code_of: dict[int, str] = {}
    found = []
    for cid, code, name, dept, subject, joined, left in r.rows(cadre_sql + " ORDER BY department, code", params):
        code_of[cid] = code
        found.append(
            CadreFacts(
                code, name, dept, bool(subject), maybe_day(joined), maybe_day(left), tuple(leave_of.get(cid, ()))
            )
        )
    return found, code_of


def leave_rows(r: Reader, *, cadre_id: int | None = None) -> list[LeaveRow]:
    """Leave with its cadre, oldest first (``queries.leave_rows``)."""
    from congtac12.store.register_rows import LeaveRow

    sql = (
        'SELECT leave.id, cadre.code, cadre.name, leave.start, leave."end", leave.reason'
        " FROM leave JOIN cadre ON cadre.id = leave.cadre_id"
    )
    params: tuple[object, ...] = ()
    if cadre_id is not None:
        sql += " WHERE leave.cadre_id = ?"
        params = (cadre_id,)
    day = r.day
    return [
        LeaveRow(lid, code, name, day(a), day(b), reason)
        for lid, code, name, a, b, reason in r.rows(sql + ' ORDER BY leave.start, leave."end", leave.id', params)
    ]


def cadre_rows(r: Reader, *, deactivated: bool = False) -> list[CadreRow]:
    """Active cadres by department, then by given name; with ``deactivated``, those deleted with
    'cadre delete' too (``queries.cadres``, as rows)."""
    from congtac12.store.register_rows import CadreRow

    sql = 'SELECT id, code, name, department, email, subject, joined, "left", deactivated_at FROM cadre'
    if not deactivated:
        sql += " WHERE deactivated_at IS NULL"
    maybe_day, moment = r.maybe_day, r.moment
    rows = [
        CadreRow(cid, code, name, dept, email, bool(subject), maybe_day(joined), maybe_day(left), moment(gone))
        for cid, code, name, dept, email, subject, joined, left, gone in r.rows(sql + " ORDER BY department, code")
    ]
    # by department, then by given name: Vietnamese alphabetical order, as ``queries.cadres``
    return sorted(rows, key=lambda c: (sort_key(c.department), name_key(c.name), c.code))
