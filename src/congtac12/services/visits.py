"""Trips to the base (đợt đi cơ sở): record one, correct one, with what it counts decided once.

What the command line's ``add-visit`` and ``edit-visit`` and the web's forms call: plain
arguments in (a database target, text and dates already parsed), plain results out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from congtac12.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.domain.counting import VisitCount
    from congtac12.domain.policy import Policy
    from congtac12.store.location import PgUrl
    from congtac12.store.read.connect import Reader
    from congtac12.store.rows import VisitRow

Notify = Callable[[str], None]
Overlap = tuple[int, date, date]  # another visit of the cadre: (id, first day, last day)


@dataclass(frozen=True)
class RecordedVisit:
    """A visit as recorded (added or edited), and what it counts under its year's policy."""

    visit: Any  # store.models.Visit, detached
    cadre_code: str
    cadre_name: str
    unit_name: str
    policy: Policy
    counted: VisitCount
    due: date | None  # its report's due day; None when none of its days count
    overlaps: list[Overlap]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # edit: field -> (before, after)
    plan_id: int | None = None  # add: the plan (đăng ký) the visit fulfils (``services.plans.link_visit``)

    @property
    def outside(self) -> bool:
        """None of its days fall in the policy's window (it counts 0 days)."""
        return bool(self.visit.end < self.policy.window_start or self.visit.start > self.policy.window_end)


def add_visit(
    target: Path | PgUrl,
    *,
    cadre: str | None,
    unit: str | None,
    start: date | None,
    end: date | None,
    kind: str | None,
    topic: str | None = None,
    order_no: str | None = None,
    strict: bool = False,
    plan: int | None = None,
    notify: Notify | None = None,
) -> RecordedVisit:
    """Record a trip of ``cadre`` (a code or a name) to ``unit``; one transaction.

    A trip sharing days with another of the cadre's is recorded (its ``overlaps`` say
    which); with ``strict`` it is refused (Conflict) and nothing is written. ``plan``: the
    approved plan it fulfils, whose facts fill in those left None; without it, every fact
    is given, and a matching approved plan is linked (``services.plans.link_visit``).
    """
    from congtac12.services import plans
    from congtac12.store import commands, queries
    from congtac12.store.engine import session

    with session(target, write=True, notify=notify, create=True) as s:
        if plan is not None:  # the plan's facts where the caller left them out
            f = plans.visit_from_plan(s, plan, cadre=cadre, unit=unit, start=start, end=end, kind=kind, topic=topic)
            cadre, unit, start, end, kind, topic = f.cadre, f.unit, f.start, f.end, f.kind, f.topic
        assert cadre is not None and unit is not None and start is not None and kind is not None
        end = end or start
        visit, the_cadre, the_unit = commands.add_visit(
            s, cadre=cadre, unit=unit, start=start, end=end, kind=kind, topic=topic, order_no=order_no
        )
        linked = plans.link_visit(s, visit, plan_id=plan)
        overlaps = queries.overlapping_visits(s, cadre_id=the_cadre.id, start=start, end=end, but=visit.id)
        check_overlaps(start, end, overlaps, strict=strict)  # strict: refused, rolled back
        policy, counted = counted_visit(s, visit, the_cadre, the_unit)
        # (one transaction: a plan the visit fulfils is linked here, in the same session)
    due = policy.report_due(visit.end) if counted.owes_report else None
    return RecordedVisit(
        visit,
        the_cadre.code,
        the_cadre.name,
        the_unit.name,
        policy,
        counted,
        due,
        overlaps,
        plan_id=linked.id if linked is not None else None,
    )


def edit_visit(
    target: Path | PgUrl,
    *,
    visit_id: int,
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    topic: str | None = None,
    order_no: str | None = None,
    strict: bool = False,
    notify: Notify | None = None,
) -> RecordedVisit:
    """Correct a visit under add-visit's rules (None: unchanged; "" removes a topic or an order number)."""
    from congtac12.store import commands, queries
    from congtac12.store.engine import session
    from congtac12.store.models import Unit

    with session(target, write=True, notify=notify, create=True) as s:
        visit, the_cadre, the_unit, changes = commands.edit_visit(
            s, visit_id=visit_id, unit=unit, start=start, end=end, kind=kind, topic=topic, order_no=order_no
        )
        overlaps = []
        if "start" in changes or "end" in changes:  # only a change of days can make a new overlap
            overlaps = queries.overlapping_visits(
                s, cadre_id=visit.cadre_id, start=visit.start, end=visit.end, but=visit.id
            )
            check_overlaps(visit.start, visit.end, overlaps, strict=strict)
        if "unit_id" in changes:
            old, new = changes.pop("unit_id")
            changes = {"unit": (s.get_one(Unit, old).name, s.get_one(Unit, new).name), **changes}
        policy, counted = counted_visit(s, visit, the_cadre, the_unit)
    due = policy.report_due(visit.end) if counted.owes_report else None
    return RecordedVisit(visit, the_cadre.code, the_cadre.name, the_unit.name, policy, counted, due, overlaps, changes)


def counted_visit(s: Session, visit: Any, the_cadre: Any, the_unit: Any) -> tuple[Policy, VisitCount]:
    """The default policy for the visit, and what the visit counts (``domain.counting.count_visit``):
    every day of it in the window, as of the window's last day."""
    from congtac12.domain.counting import VisitCount, count_visit
    from congtac12.domain.facts import VisitFacts
    from congtac12.services.policy import default_policy
    from congtac12.store import queries

    policy = default_policy(s, visit.start)
    cadres, _codes = queries.cadre_facts(s, cadre_id=the_cadre.id)
    facts = VisitFacts(visit.id, the_cadre.code, visit.start, visit.end, visit.kind, the_unit.level)
    counted = count_visit(facts, cadres[0], policy, policy.window_end)
    return policy, counted if counted is not None else VisitCount([], [])


def overlap_text(visit_id: int | None, start: date, end: date, overlaps: list[Overlap]) -> str:
    """Which other visits share days with this one, and how many: those days count once."""
    from congtac12.dates import show_period
    from congtac12.render.formats import days_text

    parts = []
    for other, a, b in overlaps:
        first, last = max(a, start), min(b, end)
        parts.append(
            _("visit {other}, {when} ({days})").format(
                other=other, when=show_period(first, last), days=days_text((last - first).days + 1)
            )
        )
    who = _("visit {id}").format(id=visit_id) if visit_id is not None else _("this visit")
    return _("{who} shares days with {parts}: those days count once").format(who=who, parts="; ".join(parts))


def check_overlaps(start: date, end: date, overlaps: list[Overlap], *, strict: bool) -> None:
    from congtac12.errors import Conflict

    if strict and overlaps:
        raise Conflict(
            _("{overlap}; refused with --strict, nothing was written").format(
                overlap=overlap_text(None, start, end, overlaps)
            )
        )


@dataclass(frozen=True)
class VisitWithReport:
    """A visit as a list shows it, with its report's text when one is recorded."""

    row: Any  # store.queries.VisitRow
    report: str | None


def visits_of(target: Path | PgUrl, *, cadre: str, notify: Notify | None = None) -> list[VisitWithReport]:
    """Every live visit of ``cadre`` (a code or a name), oldest first, with its report (plain SQL, ``store.read``)."""
    from congtac12.store.read.cadres import find_cadre
    from congtac12.store.read.connect import reading
    from congtac12.store.read.reports import report_texts
    from congtac12.store.read.visits import visit_rows

    with reading(target, notify=notify) as r:
        rows = visit_rows(r, cadre_id=find_cadre(r, cadre).id)
        texts = report_texts(r, [row.id for row in rows if row.reported_on is not None])
    return [VisitWithReport(row, texts.get(row.id)) for row in rows]


def visit_of(target: Path | PgUrl, visit_id: int, *, notify: Notify | None = None) -> Any:
    """One live visit (a ``store.rows.VisitRow``, plain SQL); NotFound when there is none."""
    from congtac12.errors import NotFound
    from congtac12.store.read.connect import reading
    from congtac12.store.read.visits import visit_rows

    with reading(target, notify=notify) as r:
        rows = visit_rows(r, visit_id=visit_id) if 0 < visit_id < 2**63 else []
    if not rows:
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
    return rows[0]


@dataclass(frozen=True)
class Choices:
    """What a visit form offers: the active cadres (code, name, department) and the units' names."""

    cadres: list[tuple[str, str, str]]
    units: list[str]


def choices(target: Path | PgUrl, *, notify: Notify | None = None) -> Choices:
    """The visit and plan forms' choices, read with plain SQL (``store.read``)."""
    from congtac12.collation import name_key, sort_key
    from congtac12.store.read.cadres import cadre_rows
    from congtac12.store.read.connect import reading
    from congtac12.store.read.units import unit_rows

    with reading(target, notify=notify) as r:
        cadres = [(c.code, c.name, c.department) for c in cadre_rows(r)]
        units = [u.name for u in unit_rows(r)]
    return Choices(sorted(cadres, key=lambda c: name_key(c[1])), sorted(units, key=sort_key))


def listed_visits(
    target: Path | PgUrl,
    *,
    cadre: str | None = None,
    start: date | None = None,
    end: date | None = None,
    deleted: bool = False,
    notify: Notify | None = None,
) -> tuple[list[VisitRow], dict[int, int | None], dict[int, Any]]:
    """``visits``: the visits (of ``cadre``, touching ``start``..``end``; or the deleted ones), oldest
    first, with the days each counts and its report's due day (``counted_and_due``)."""
    from congtac12.store.read.cadres import find_cadre
    from congtac12.store.read.connect import reading
    from congtac12.store.read.visits import visit_rows

    with reading(target, notify=notify) as r:  # plain SQL (store.read), no ORM; a missing file is refused
        cadre_id = find_cadre(r, cadre).id if cadre is not None else None
        rows = visit_rows(r, cadre_id=cadre_id, start=start, end=end, deleted=deleted)
        counted, due = counted_and_due(r, rows, cadre_id, deleted=deleted)
    return rows, counted, due


def counted_and_due(
    s: Reader, rows: list[VisitRow], cadre_id: int | None, *, deleted: bool
) -> tuple[dict[int, int | None], dict[int, Any]]:
    """Per visit: the days it counts in its policy's window, and its report's due day.

    Each visit is read under the policy of its first day's year (``policy_of_day``),
    and its days come from that policy's evaluation (``Evaluation.counted``), as the
    whole window would count them: inside the window, in the cadre's service, not
    on leave. A visit of a year no policy covers has neither (None). A deleted
    visit counts nothing.
    """
    from congtac12.domain.counting import evaluate
    from congtac12.services.policy import policy_of_day_stored, stored_policy
    from congtac12.store.read.facts import facts

    counted: dict[int, int | None] = {}
    due: dict[int, object] = {}
    by_policy: dict[tuple[str, date], tuple[Policy, list[int]]] = {}
    stored = stored_policy(s)  # read once, not once per visit
    of_year: dict[int, Policy | None] = {}
    for v in rows:
        if v.start.year not in of_year:
            of_year[v.start.year] = policy_of_day_stored(stored, v.start)  # services.policy
        policy = of_year[v.start.year]
        if policy is None:
            counted[v.id] = due[v.id] = None
            continue
        due[v.id] = policy.report_due(v.end)
        key = (policy.id, policy.window_start)
        by_policy.setdefault(key, (policy, []))[1].append(v.id)
    for policy, ids in by_policy.values():
        if deleted:
            counted.update(dict.fromkeys(ids, 0))
            continue
        cadres, visits, reports = facts(s, first=policy.window_start, last=policy.window_end, cadre_id=cadre_id)
        ev = evaluate(policy, cadres, visits, reports, policy.window_end)
        counted.update((i, ev.counted.get(i, 0)) for i in ids)
        # A visit that counts no day (outside its cadre's service, on leave) owes no report: no due day.
        due.update((i, None) for i in ids if not counted[i])
    return counted, due
