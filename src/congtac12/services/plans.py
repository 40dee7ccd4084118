"""Plans (đăng ký): register a trip, send it, approve or return it, list it, and link the visit
that fulfils it. Plain arguments in, plain results out; any front end calls these.

States typed on the command line: the slugs, or their Vietnamese names (folded:
``nháp``, ``đã gửi``, ``đã duyệt``, ``trả lại``, ``đã thực hiện``, ``bỏ lỡ``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from congtac12.domain.states import (
    PLAN_APPROVED,
    PLAN_DONE,
    PLAN_DRAFT,
    PLAN_MISSED,
    PLAN_RETURNED,
    PLAN_STATES,
    PLAN_SUBMITTED,
)
from congtac12.errors import InvalidInput
from congtac12.i18n import _
from congtac12.text import excerpt, fold

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlmodel import Session

    from congtac12.store.location import PgUrl
    from congtac12.store.models import Cadre, Plan, Unit, Visit
    from congtac12.store.read.connect import Reader
    from congtac12.store.read.plan_rows import PlanRow

Notify = Callable[[str], None]

# What a person may type for a state (folded), besides the slugs.
STATE_WORDS = {
    "nhap": PLAN_DRAFT,
    "ban nhap": PLAN_DRAFT,
    "da gui": PLAN_SUBMITTED,
    "gui": PLAN_SUBMITTED,
    "cho duyet": PLAN_SUBMITTED,
    "da duyet": PLAN_APPROVED,
    "duyet": PLAN_APPROVED,
    "tra lai": PLAN_RETURNED,
    "da thuc hien": PLAN_DONE,
    "thuc hien": PLAN_DONE,
    "bo lo": PLAN_MISSED,
}
_MONTH = re.compile(r"(\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})", re.ASCII)
_QUARTER = re.compile(r"[qQ]?([1-4])[/.-](\d{4})", re.ASCII)


def parse_state(text: str) -> str:
    key = fold(text).replace("-", " ").replace("_", " ").strip()
    for slug in PLAN_STATES:
        if key == slug:
            return slug
    if key in STATE_WORDS:
        return STATE_WORDS[key]
    raise InvalidInput(
        _(
            "unknown plan state {state!r}; accepted: {accepted} (or nháp, đã gửi, đã duyệt, trả lại, đã thực hiện, bỏ lỡ)"
        ).format(state=excerpt(text), accepted=", ".join(PLAN_STATES))
    )


def parse_month(text: str, what: str = "--month") -> tuple[date, date]:
    """A month typed MM/YYYY (also M/YYYY or YYYY-MM): its first and last day."""
    from congtac12.dates import FIRST_YEAR, LAST_YEAR
    from congtac12.domain.plans import month_bounds

    m = _MONTH.fullmatch(text.strip())
    if m is not None:
        month, year = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(4)), int(m.group(3)))
        if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return month_bounds(year, month)
    raise InvalidInput(
        _("{what} {text!r} is not a month; accepted: MM/YYYY, like 04/2020 (years {first} to {last})").format(
            what=what, text=excerpt(text), first=FIRST_YEAR, last=LAST_YEAR
        )
    )


def parse_quarter(text: str) -> tuple[date, date]:
    """A quarter typed Q/YYYY (2/2020, Q2/2020): its first and last day."""
    from congtac12.dates import FIRST_YEAR, LAST_YEAR
    from congtac12.domain.plans import month_bounds

    m = _QUARTER.fullmatch(text.strip())
    if m is not None and FIRST_YEAR <= int(m.group(2)) <= LAST_YEAR:
        q, year = int(m.group(1)), int(m.group(2))
        return month_bounds(year, 3 * q - 2)[0], month_bounds(year, 3 * q)[1]
    raise InvalidInput(
        _("--quarter {text!r} is not a quarter; accepted: 1/YYYY to 4/YYYY, like 2/2020").format(text=excerpt(text))
    )


def _session(target: Path | PgUrl, *, write: bool, notify: Notify | None) -> AbstractContextManager[Session]:
    from congtac12.store.engine import session

    return session(target, write=write, notify=notify, create=write)


@dataclass(frozen=True)
class Added:
    plan: Plan
    cadre: Cadre
    unit: Unit
    row: PlanRow


def add(
    target: Path | PgUrl,
    *,
    cadre: str,
    unit: str,
    kind: str,
    start: date | None = None,
    end: date | None = None,
    month: str | None = None,
    days: int | None = None,
    topic: str | None = None,
    notify: Notify | None = None,
) -> Added:
    """Register a trip as a draft: dated (``start``..``end``) or for a ``month`` (``days`` days in it)."""
    from congtac12.store import plans

    if month is not None:
        if start is not None or end is not None:
            raise InvalidInput(_("give either --from/--to or --month with --days, not both"))
        if days is None:
            raise InvalidInput(_("--month needs --days N, the days planned in that month"))
        start, end = parse_month(month)
    else:
        if start is None:
            raise InvalidInput(_("give --from DATE (and --to DATE), or --month MM/YYYY with --days N"))
        if days is not None:
            raise InvalidInput(_("--days goes with --month; a dated plan covers --from to --to"))
        end = end or start
    with _session(target, write=True, notify=notify) as s:
        plan, the_cadre, the_unit = plans.add_plan(
            s, cadre=cadre, unit=unit, start=start, end=end, days=days, kind=kind, topic=topic
        )
        row = plans.plan_rows(s, plan_id=plan.id)[0]
    return Added(plan, the_cadre, the_unit, row)


def submit(target: Path | PgUrl, ids: Sequence[int], *, notify: Notify | None = None) -> list[Plan]:
    from congtac12.store import plans

    with _session(target, write=True, notify=notify) as s:
        return plans.submit(s, ids)


def approve(
    target: Path | PgUrl, ids: Sequence[int], *, by: str | None = None, notify: Notify | None = None
) -> list[Plan]:
    from congtac12.store import plans

    with _session(target, write=True, notify=notify) as s:
        return plans.approve(s, ids, by=by)


def return_plan(
    target: Path | PgUrl, plan_id: int, *, reason: str, by: str | None = None, notify: Notify | None = None
) -> Plan:
    from congtac12.store import plans

    with _session(target, write=True, notify=notify) as s:
        return plans.return_plan(s, plan_id, reason=reason, by=by)


def delete(target: Path | PgUrl, plan_id: int, *, notify: Notify | None = None) -> str:
    """Delete a draft; returns what was deleted, in words."""
    from congtac12.store import plans

    with _session(target, write=True, notify=notify) as s:
        _plan, text = plans.delete_plan(s, plan_id)
    return text


# --- listing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """Plans as of a date, each with its state as of that date (``domain.plans.plan_state``)."""

    as_of: date
    rows: list[tuple[PlanRow, str]]  # the plan and its state as of ``as_of``
    first: date | None = None  # the period asked for
    last: date | None = None


def list_plans(
    target: Path | PgUrl,
    *,
    as_of: date,
    cadre: str | None = None,
    unit: str | None = None,
    dept: str | None = None,
    month: str | None = None,
    quarter: str | None = None,
    state: str | None = None,
    notify: Notify | None = None,
) -> Listing:
    """Plans sharing a day with the month or quarter (all without one), by first day; sorted for
    a person by department, then cadre, within a day (Vietnamese order). Read in plain SQL
    (``store.read.plans``), as the login sees them (row-level security on PostgreSQL)."""
    from congtac12.store.read.cadres import find_cadre
    from congtac12.store.read.connect import reading
    from congtac12.store.read.units import find_unit

    if month is not None and quarter is not None:
        raise InvalidInput(_("give --month or --quarter, not both"))
    first, last = parse_month(month) if month else parse_quarter(quarter) if quarter else (None, None)
    wanted = parse_state(state) if state is not None else None
    with reading(target, notify=notify) as r:
        cadre_id = find_cadre(r, cadre).id if cadre is not None else None
        unit_id = find_unit(r, unit).id if unit is not None else None
        found = _listed(r, as_of, cadre_id=cadre_id, unit_id=unit_id, first=first, last=last, dept=dept)
    if wanted is not None:
        found = [(row, st) for row, st in found if st == wanted]
    return Listing(as_of, found, first, last)


def _listed(
    r: Reader,
    as_of: date,
    *,
    cadre_id: int | None,
    unit_id: int | None,
    first: date | None,
    last: date | None,
    dept: str | None = None,
) -> list[tuple[PlanRow, str]]:
    """The plans asked for, each with its state as of ``as_of``, in a person's order."""
    from congtac12.collation import sort_key
    from congtac12.domain.plans import plan_state
    from congtac12.store.read.plans import plan_rows

    rows = plan_rows(r, cadre_id=cadre_id, unit_id=unit_id, first=first, last=last)
    if dept is not None:
        rows = [row for row in rows if _dept_matches(dept, row.department)]
    windows = report_windows(r, {row.facts.end.year for row in rows})
    found = [(row, plan_state(row.facts, as_of, windows[row.facts.end.year])) for row in rows]
    found.sort(key=lambda x: (x[0].facts.start, sort_key(x[0].department), sort_key(x[0].cadre_name), x[0].id))
    return found


REPORT_WINDOW_DAYS = 10  # the source's "sau 10 ngày", for a year no policy covers


def report_windows(s: Session | Reader, years: set[int]) -> dict[int, int]:
    """The report window of each year's default policy (``report_due_days``): a plan of that year
    is missed once its last day plus this has passed."""
    from congtac12.services.policy import policy_of_day

    out = {}
    for year in years:
        found = policy_of_day(s, date(year, 12, 31))
        out[year] = found.report_due_days if found is not None else REPORT_WINDOW_DAYS
    return out


def unit_plans(
    target: Path | PgUrl, *, unit: str, first: date, last: date, as_of: date, notify: Notify | None = None
) -> tuple[Listing, str]:
    """A unit's plans sharing a day with ``first``..``last`` that the unit can expect (not drafts,
    not returned), each in its state as of ``as_of``; and the unit's name. Plain SQL, one reading."""
    from congtac12.store.read.connect import reading
    from congtac12.store.read.units import find_unit

    with reading(target, notify=notify) as r:
        found = find_unit(r, unit)
        listed = _listed(r, as_of, cadre_id=None, unit_id=found.id, first=None, last=None)
    rows = [
        (row, st)
        for row, st in listed
        if st not in (PLAN_DRAFT, PLAN_RETURNED) and row.facts.start <= last and row.facts.end >= first
    ]
    return Listing(as_of, rows, first, last), found.name


def _dept_matches(query: str, department: str) -> bool:
    """A department named in full or in part, case and diacritics aside ("ban to chuc")."""
    q = fold(query).strip()
    return bool(q) and q in fold(department)


# --- a visit and its plan ------------------------------------------------------------


@dataclass(frozen=True)
class VisitFromPlan:
    """add-visit's facts, taken from a plan where the command line left them out."""

    cadre: str
    unit: str
    start: date
    end: date
    kind: str
    topic: str | None


def visit_from_plan(
    s: Session,
    plan_id: int,
    *,
    cadre: str | None,
    unit: str | None,
    start: date | None,
    end: date | None,
    kind: str | None,
    topic: str | None,
) -> VisitFromPlan:
    """The facts of the visit that fulfils plan ``plan_id``: each given one kept, the rest the plan's.

    A month plan has no days to take: its visit needs --from (and --to, else one day).
    """
    from congtac12.store import plans, queries
    from congtac12.store.models import Cadre, Unit

    plan = plans.get_plan(s, plan_id)
    owner = s.get_one(Cadre, plan.cadre_id)
    the_cadre = queries.find_cadre(s, cadre) if cadre is not None else owner
    plans.check_fulfil(s, plan, the_cadre)
    if start is None:
        if plan.days is not None:
            raise InvalidInput(
                _("plan {id} is for {month}, without days; give --from DATE (and --to DATE)").format(
                    id=plan.id, month=plan.start.strftime("%m/%Y")
                )
            )
        start, end = plan.start, end or plan.end
    return VisitFromPlan(
        cadre=the_cadre.code,
        unit=unit if unit is not None else s.get_one(Unit, plan.unit_id).name,
        start=start,
        end=end or start,
        kind=kind or plan.kind,
        topic=topic if topic is not None else plan.topic,
    )


def link_visit(s: Session, visit: Visit, *, plan_id: int | None = None) -> Plan | None:
    """Link a visit just added to the plan it fulfils: ``plan_id`` (checked), else the approved
    plan of the same cadre and unit that shares a day with it (None: no such plan).

    add-visit calls this once, after the visit is written, in the same transaction.
    """
    from congtac12.store import plans
    from congtac12.store.models import Cadre

    if plan_id is not None:
        plan = plans.get_plan(s, plan_id)
        plans.check_fulfil(s, plan, s.get_one(Cadre, visit.cadre_id))
    else:
        matched = plans.matching(s, visit)
        if matched is None:
            return None
        plan = matched
    plans.link(s, plan, visit)
    return plan
