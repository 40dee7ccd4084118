"""Plans (đăng ký): validated, audited writes inside the caller's transaction, and the one read.

Every write checks everything before it writes anything (several ids: all or
none). The state machine: draft → submitted → approved | returned; a returned
plan may be submitted again; only a draft is deleted; only an approved plan is
fulfilled by a visit (``link``). The database keeps the same rules (migration
0005 and, in organisation mode, ``org``): a cadre's login adds, submits and
deletes only its own plans and approves none.

``plan_rows`` reads plans through the ORM's connection (a plan just added, as ``plan add`` shows
it); the listings read ``store.read.plans.plan_rows``, its plain-SQL twin (tests/test_plan_reads.py
checks on random plans that both agree).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Session

from congtac12.dates import show
from congtac12.domain.facts import PlanFacts
from congtac12.domain.fields import plan_state_name
from congtac12.domain.states import PLAN_APPROVED, PLAN_DRAFT, PLAN_RETURNED, PLAN_SUBMITTED
from congtac12.domain.vocab import kind_name, parse_kind
from congtac12.errors import Conflict, InvalidInput, NotFound
from congtac12.i18n import N_, _, ngettext
from congtac12.store import audit, models
from congtac12.store.guards import admin_only, may_change, trip_cadre_and_unit
from congtac12.store.limits import MAX_PLAN_DAYS as MAX_PLAN_DAYS  # defined where no ORM is loaded
from congtac12.store.models import Cadre, Plan, Unit, Visit
from congtac12.store.read.plan_rows import PlanRow
from congtac12.text import clean_field

if TYPE_CHECKING:
    from congtac12.store.read.plan_rows import PlanPerson


def _label(p: Plan, code: str, unit: str) -> str:
    if p.days is not None:
        return ngettext(
            N_("plan {id}: {code} at {unit}, {days} day in {month} ({kind})"),
            N_("plan {id}: {code} at {unit}, {days} days in {month} ({kind})"),
            p.days,
        ).format(id=p.id, code=code, unit=unit, days=p.days, month=p.start.strftime("%m/%Y"), kind=kind_name(p.kind))
    return _("plan {id}: {code} at {unit}, {start} to {end} ({kind})").format(
        id=p.id, code=code, unit=unit, start=show(p.start), end=show(p.end), kind=kind_name(p.kind)
    )


def label(s: Session, p: Plan) -> str:
    return _label(p, s.get_one(Cadre, p.cadre_id).code, s.get_one(Unit, p.unit_id).name)


def check_period(*, start: date, end: date, days: int | None) -> None:
    """A plan's days: a dated plan's last day on or after its first (at most 366 days); a month
    plan's days from 1 to its month's (``start``..``end`` its month)."""
    if days is None:
        if end < start:
            raise InvalidInput(
                _("--to {end} is before --from {start}; the last day must be on or after the first").format(
                    end=show(end), start=show(start)
                ),
                field="end",
            )
        if (end - start).days + 1 > MAX_PLAN_DAYS:
            raise InvalidInput(
                _("a plan of {days} days is too long; accepted: at most {max}").format(
                    days=(end - start).days + 1, max=MAX_PLAN_DAYS
                ),
                field="end",
            )
        return
    month_days = (end - start).days + 1
    if not 1 <= days <= month_days:
        raise InvalidInput(
            _("--days {days} does not fit in {month}; accepted: 1 to {max}").format(
                days=days, month=start.strftime("%m/%Y"), max=month_days
            ),
            field="days",
        )


def add_plan(
    s: Session,
    *,
    cadre: str,
    unit: str,
    start: date,
    end: date,
    kind: str,
    days: int | None = None,
    topic: str | None = None,
) -> tuple[Plan, Cadre, Unit]:
    """Register a trip as a draft; ``days`` set: a month plan (``start``..``end`` its month)."""
    kind = parse_kind(kind)  # add-visit's --kind: a slug or its Vietnamese name, refused in the reader's words
    check_period(start=start, end=end, days=days)
    if topic is not None:
        topic = clean_field(topic, what="topic", max_len=models.TOPIC_MAX, required=False) or None
    the_cadre, the_unit = trip_cadre_and_unit(s, cadre, unit, new=_("the new plan"), doing=_("register trips"))
    plan = Plan(
        cadre_id=the_cadre.id,
        unit_id=the_unit.id,
        start=start,
        end=end,
        days=days,
        kind=kind,
        topic=topic,
        state=PLAN_DRAFT,
    )
    s.add(plan)
    s.flush()
    audit.describe(s, "plan.add", _("added {plan}").format(plan=_label(plan, the_cadre.code, the_unit.name)))
    return plan, the_cadre, the_unit


def get_plan(s: Session, plan_id: int) -> Plan:
    plan = s.get(Plan, plan_id) if models.is_row_id(plan_id) else None
    if plan is None:
        raise NotFound(_("no plan {id}; see 'congtac12 plan list' for the ids").format(id=plan_id))
    return plan


def _plans(s: Session, ids: Sequence[int]) -> list[Plan]:
    if not ids:
        raise InvalidInput(_("give at least one plan id; see 'congtac12 plan list'"))
    seen: list[int] = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return [get_plan(s, i) for i in seen]


def _refuse_state(p: Plan, doing: str, accepted: str) -> Conflict:
    return Conflict(
        _("plan {id} is in state {state}; cannot {doing} (only a {accepted} plan)").format(
            id=p.id, state=plan_state_name(p.state), doing=doing, accepted=accepted
        )
    )


def submit(s: Session, ids: Sequence[int]) -> list[Plan]:
    """Send draft (or returned) plans to the standing office."""
    plans = _plans(s, ids)
    for p in plans:
        may_change(s, s.get_one(Cadre, p.cadre_id), _("plan {id}").format(id=p.id))
        if p.state not in (PLAN_DRAFT, PLAN_RETURNED):
            raise _refuse_state(p, _("submit it"), _("draft or returned"))
    audit.describe(s, "plan.submit", _("submitted {plans}").format(plans=_ids(plans)))
    for p in plans:
        p.state = PLAN_SUBMITTED
        p.reason = None
        p.decided_by = None
        p.decided_at = None
        s.add(p)
    s.flush()
    return plans


def _decider(s: Session, by: str | None) -> str:
    if by is None:
        return audit.who(s)
    return clean_field(by, what="name", max_len=models.DECIDED_BY_MAX)


def approve(s: Session, ids: Sequence[int], *, by: str | None = None) -> list[Plan]:
    """Approve submitted plans (the standing office; an administrator login in organisation mode)."""
    plans = _plans(s, ids)
    admin_only(s, _("plan approvals"))
    who = _decider(s, by)
    for p in plans:
        if p.state == PLAN_APPROVED:
            raise Conflict(
                _("plan {id} is already approved (by {who}); nothing was changed").format(id=p.id, who=p.decided_by)
            )
        if p.state != PLAN_SUBMITTED:
            raise _refuse_state(p, _("approve it"), _("submitted"))
    audit.describe(s, "plan.approve", _("approved {plans}").format(plans=_ids(plans)))
    for p in plans:
        p.state = PLAN_APPROVED
        p.decided_by = who
        p.decided_at = models.now_utc()
        s.add(p)
    s.flush()
    return plans


def return_plan(s: Session, plan_id: int, *, reason: str, by: str | None = None) -> Plan:
    """Return a submitted plan to its cadre, with the reason (it may be changed and submitted again)."""
    p = get_plan(s, plan_id)
    admin_only(s, _("plan approvals"))
    reason = clean_field(reason, what="reason", max_len=models.REASON_MAX)
    who = _decider(s, by)
    if p.state != PLAN_SUBMITTED:
        raise _refuse_state(p, _("return it"), _("submitted"))
    audit.describe(s, "plan.return", _("returned {plan}: {reason}").format(plan=label(s, p), reason=reason))
    p.state = PLAN_RETURNED
    p.reason = reason
    p.decided_by = who
    p.decided_at = models.now_utc()
    s.add(p)
    s.flush()
    return p


def delete_plan(s: Session, plan_id: int) -> tuple[Plan, str]:
    """Delete a draft (a plan sent to the office stays on record); returns it and its label."""
    p = get_plan(s, plan_id)
    may_change(s, s.get_one(Cadre, p.cadre_id), _("plan {id}").format(id=p.id))
    if p.state != PLAN_DRAFT:
        raise _refuse_state(p, _("delete it"), _("draft"))
    text = label(s, p)
    audit.describe(s, "plan.delete", _("deleted {plan}").format(plan=text))
    audit.delete_row(s, p)
    s.flush()
    return p, text


def _ids(plans: Sequence[Plan]) -> str:
    return ngettext(N_("plan {ids}"), N_("plans {ids}"), len(plans)).format(ids=", ".join(str(p.id) for p in plans))


# --- plan and visit ------------------------------------------------------------


def check_fulfil(s: Session, plan: Plan, cadre: Cadre) -> None:
    """Refuse ``add-visit --plan`` on a plan that a visit of ``cadre`` cannot fulfil."""
    owner = s.get_one(Cadre, plan.cadre_id)
    if owner.id != cadre.id:
        raise Conflict(
            _("plan {id} is {code}'s ({name}), not {other}'s; a visit fulfils only its own cadre's plan").format(
                id=plan.id, code=owner.code, name=owner.name, other=cadre.code
            )
        )
    if plan.visit_id is not None:
        visit = s.get(Visit, plan.visit_id)
        if visit is not None and visit.deleted_at is None:
            raise Conflict(
                _("plan {id} is already done: visit {visit} fulfils it").format(id=plan.id, visit=plan.visit_id)
            )
    if plan.state != PLAN_APPROVED:
        raise _refuse_state(plan, _("record a visit for it"), _("approved"))


def matching(s: Session, visit: Visit) -> Plan | None:
    """The approved plan a new visit fulfils: same cadre and unit, sharing a day, not yet fulfilled
    by a live visit (the earliest such plan)."""
    rows = s.execute(
        sa.text(
            "SELECT p.id FROM plan p LEFT JOIN visit v ON v.id = p.visit_id AND v.deleted_at IS NULL "
            "WHERE p.cadre_id = :cadre AND p.unit_id = :unit AND p.state = :approved "
            'AND p.start <= :last AND p."end" >= :first AND v.id IS NULL ORDER BY p.start, p.id'
        ),
        {
            "cadre": visit.cadre_id,
            "unit": visit.unit_id,
            "approved": PLAN_APPROVED,
            "first": visit.start,
            "last": visit.end,
        },
    ).first()
    return None if rows is None else s.get_one(Plan, rows[0])


def link(s: Session, plan: Plan, visit: Visit) -> None:
    """Mark the plan fulfilled by the visit (in the visit's own change)."""
    plan.visit_id = visit.id
    s.add(plan)
    s.flush()


# --- the one read ------------------------------------------------------------------


PLAN_ROWS_SQL = """
SELECT p.id, c.code, c.name, c.department, u.name AS unit, u.level, p.start, p."end", p.days, p.kind,
       p.topic, p.state, p.reason, p.decided_by, p.decided_at, p.created_at, v.id AS visit_id,
       v.start AS fulfilled_on
  FROM plan p
  JOIN cadre c ON c.id = p.cadre_id
  JOIN unit u ON u.id = p.unit_id
  LEFT JOIN visit v ON v.id = p.visit_id AND v.deleted_at IS NULL
 WHERE (:plan_id IS NULL OR p.id = :plan_id)
   AND (:cadre_id IS NULL OR p.cadre_id = :cadre_id)
   AND (:unit_id IS NULL OR p.unit_id = :unit_id)
   AND (:first IS NULL OR p."end" >= :first)
   AND (:last IS NULL OR p.start <= :last)
 ORDER BY p.start, p.id
"""


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))  # SQLite hands text back through text()


def _day(value: object) -> date:
    """A NOT NULL date column's value."""
    day = _as_date(value)
    if day is None:
        raise ValueError("a NOT NULL date column read NULL")
    return day


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _moment(value: object) -> datetime:
    """A NOT NULL timestamp column's value."""
    moment = _as_datetime(value)
    if moment is None:
        raise ValueError("a NOT NULL timestamp column read NULL")
    return moment


def plan_rows(
    s: Session,
    *,
    plan_id: int | None = None,
    cadre_id: int | None = None,
    unit_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[PlanRow]:
    """Plans (of a cadre, at a unit, sharing a day with ``first``..``last``), by first day then id.

    The one query that reads plans: the listings, the unit's view and status all read it.
    """
    params = {"plan_id": plan_id, "cadre_id": cadre_id, "unit_id": unit_id, "first": first, "last": last}
    stmt = sa.text(PLAN_ROWS_SQL).bindparams(
        sa.bindparam("plan_id", type_=sa.Integer()),
        sa.bindparam("cadre_id", type_=sa.Integer()),
        sa.bindparam("unit_id", type_=sa.Integer()),
        sa.bindparam("first", type_=sa.Date()),
        sa.bindparam("last", type_=sa.Date()),
    )
    out = []
    for r in s.connection().execute(stmt, params):
        facts = PlanFacts(
            id=r.id,
            cadre=r.code,
            unit=r.unit,
            level=r.level,
            start=_day(r.start),
            end=_day(r.end),
            kind=r.kind,
            state=r.state,
            days=r.days,
            topic=r.topic,
            fulfilled_on=_as_date(r.fulfilled_on),
            visit_id=r.visit_id,
        )
        out.append(
            PlanRow(
                facts,
                r.name,
                r.department,
                r.unit,
                r.reason,
                r.decided_by,
                _as_datetime(r.decided_at),
                _moment(r.created_at),
            )
        )
    return out


def plan_facts(s: Session, *, first: date, last: date, cadre_id: int | None = None) -> list[PlanFacts]:
    """The plans sharing a day with ``first``..``last`` (of one cadre), as the rules read them."""
    return [r.facts for r in plan_rows(s, cadre_id=cadre_id, first=first, last=last)]


def plans_to_remind(s: Session, *, first: date) -> list[PlanPerson]:
    """``store.read.plans.plans_to_remind`` through the ORM's connection (the same statement)."""
    from congtac12.store.read.plans import PLANS_TO_REMIND_SQL, people_of

    stmt = sa.text(PLANS_TO_REMIND_SQL.replace("?", ":first")).bindparams(sa.bindparam("first", type_=sa.Date()))
    return people_of(s.connection().execute(stmt, {"first": first}), _day, _as_date)
