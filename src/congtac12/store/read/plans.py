"""Plans (đăng ký) as the rules read them (``store.plans.plan_facts``'s twin, the same SQL), with
their cadre's name and address for ``remind``, and as ``plan list``, ``calendar --unit`` and the
web's ``/plans`` list them (``plan_rows``: ``store.plans.plan_rows``'s twin)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from congtac12.domain.facts import PlanFacts
from congtac12.store.read.connect import Reader

if TYPE_CHECKING:  # ``plan_rows``: imported where used, ``status`` reads plan_facts alone
    from congtac12.store.read.plan_rows import PlanPerson, PlanRow


def plan_facts(r: Reader, *, first: date, last: date, cadre_id: int | None = None) -> list[PlanFacts]:
    """The plans sharing a day with ``first``..``last`` (of one cadre), by first day then id;
    ``fulfilled_on`` is the first day of the live visit linked to a plan."""
    sql = (
        'SELECT p.id, c.code, u.name, u.level, p.start, p."end", p.kind, p.state, p.days, p.topic,'
        " v.start, v.id"
        " FROM plan p JOIN cadre c ON c.id = p.cadre_id JOIN unit u ON u.id = p.unit_id"
        " LEFT JOIN visit v ON v.id = p.visit_id AND v.deleted_at IS NULL"
        ' WHERE p."end" >= ? AND p.start <= ?'
    )
    params = r.dates((first, last))
    if cadre_id is not None:
        sql += " AND p.cadre_id = ?"
        params.append(cadre_id)
    day, maybe_day = r.day, r.maybe_day
    return [
        PlanFacts(pid, code, unit, level, day(a), day(b), kind, state, days, topic, maybe_day(done), vid)
        for pid, code, unit, level, a, b, kind, state, days, topic, done, vid in r.rows(
            sql + " ORDER BY p.start, p.id", params
        )
    ]


# The plans remind reads (``store.plans.plans_to_remind`` runs the same statement through the ORM).
PLANS_TO_REMIND_SQL = (
    'SELECT p.id, c.code, u.name, u.level, p.start, p."end", p.kind, p.state, p.days, p.topic,'
    " v.start, v.id, c.name, c.email, c.department"
    " FROM plan p JOIN cadre c ON c.id = p.cadre_id JOIN unit u ON u.id = p.unit_id"
    " LEFT JOIN visit v ON v.id = p.visit_id AND v.deleted_at IS NULL"
    ' WHERE p."end" >= ? AND c.deactivated_at IS NULL ORDER BY p.start, p.id'
)


def people_of(
    rows: Iterable[Sequence[Any]], day: Callable[[Any], date], maybe_day: Callable[[Any], date | None]
) -> list[PlanPerson]:
    """``PLANS_TO_REMIND_SQL``'s rows as plans and people; ``day``/``maybe_day`` read the driver's dates."""
    from congtac12.store.read.plan_rows import PlanPerson

    return [
        PlanPerson(
            PlanFacts(pid, code, unit, level, day(a), day(b), kind, state, days, topic, maybe_day(done), vid), *who
        )
        for pid, code, unit, level, a, b, kind, state, days, topic, done, vid, *who in rows
    ]


def plans_to_remind(r: Reader, *, first: date) -> list[PlanPerson]:
    """The plans of active cadres whose last day is on or after ``first``, by first day then id."""
    return people_of(r.rows(PLANS_TO_REMIND_SQL, r.dates((first,))), r.day, r.maybe_day)


PLAN_ROWS_SQL = (
    'SELECT p.id, c.code, c.name, c.department, u.name, u.level, p.start, p."end", p.days, p.kind,'
    " p.topic, p.state, p.reason, p.decided_by, p.decided_at, p.created_at, v.id, v.start"
    " FROM plan p JOIN cadre c ON c.id = p.cadre_id JOIN unit u ON u.id = p.unit_id"
    " LEFT JOIN visit v ON v.id = p.visit_id AND v.deleted_at IS NULL"
)


def plan_rows(
    r: Reader,
    *,
    cadre_id: int | None = None,
    unit_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[PlanRow]:
    """Plans (of a cadre, at a unit, sharing a day with ``first``..``last``), by first day then id:
    one statement, whatever the filters. Moments come back in UTC (``Reader.moment``)."""
    from congtac12.store.read.plan_rows import PlanRow

    where: list[str] = []
    params: list[object] = []
    if cadre_id is not None:
        where.append("p.cadre_id = ?")
        params.append(cadre_id)
    if unit_id is not None:
        where.append("p.unit_id = ?")
        params.append(unit_id)
    if first is not None:
        where.append('p."end" >= ?')
        params.extend(r.dates((first,)))
    if last is not None:
        where.append("p.start <= ?")
        params.extend(r.dates((last,)))
    sql = PLAN_ROWS_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY p.start, p.id"
    day, maybe_day, moment = r.day, r.maybe_day, r.moment
    out = []
    for (
        pid, code, name, dept, unit, level, a, b, days, kind, topic, state, reason, by, at, made, vid, done,
    ) in r.rows(sql, params):  # fmt: skip
        facts = PlanFacts(pid, code, unit, level, day(a), day(b), kind, state, days, topic, maybe_day(done), vid)
        made_at = moment(made)
        assert made_at is not None  # NOT NULL
        out.append(PlanRow(facts, name, dept, unit, reason, by, moment(at), made_at))
    return out
