"""Where each cadre stands (``status``): the facts of a window read once, evaluated once.

Every output of a status (the terminal tables, ``--json``, the sheet, a page, a document, the
web board) starts from ``status_of``, so they all read the one evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from congtac12.domain.facts import CadreFacts, PlanFacts, ReportFacts, VisitFacts
    from congtac12.domain.plans import PlanOutlook
    from congtac12.domain.policy import Policy
    from congtac12.domain.results import Evaluation
    from congtac12.store.location import PgUrl

Notify = Callable[[str], None]


class Status(NamedTuple):
    """One evaluation and the facts it was made from (a named tuple: no dataclass to build at every start)."""

    evaluation: Evaluation
    policy: Policy
    cadres: list[CadreFacts]
    visits: list[VisitFacts]
    reports: list[ReportFacts]
    # Visits a reader would expect counted that fall outside the window (id, first, last day).
    outside: list[tuple[int, date, date]]
    # The plans (đăng ký) sharing a day with the window, and each cadre's record + plan
    # (``domain.plans.outlooks``; none for an exempt or non-subject cadre).
    plans: list[PlanFacts]
    plan_outlooks: dict[str, PlanOutlook]

    def coming_plans(self, code: str) -> list[PlanFacts]:
        """A cadre's coming planned trips: approved, not done, with a day after the as-of date."""
        from congtac12.domain.plans import is_ahead

        grace = self.policy.report_due_days
        return [p for p in self.plans if p.cadre == code and is_ahead(p, self.evaluation.as_of, grace)]


def status_of(
    target: Path | PgUrl,
    *,
    as_of: date,
    cadre: str | None = None,
    policy_name: str | None = None,
    year: int | None = None,
    notify: Notify | None = None,
) -> Status:
    """The status of every cadre (or of the one ``cadre``: a code or a name) as of ``as_of``.

    Read with plain SQL (``store.read``): none of SQLAlchemy, SQLModel, pydantic or Alembic
    is imported, unless the database's schema is older and must be upgraded first.
    """
    from congtac12.domain.counting import evaluate
    from congtac12.domain.plans import outlooks
    from congtac12.services.policy import resolve
    from congtac12.store.read import cadres as read_cadres
    from congtac12.store.read import facts as read_facts
    from congtac12.store.read import plans as read_plans
    from congtac12.store.read.connect import reading

    with reading(target, notify=notify) as r:  # a read: a missing file is refused
        cadre_id = read_cadres.find_cadre(r, cadre).id if cadre is not None else None  # a typo first
        policy = resolve(r, policy_name, year, day=as_of)
        last = min(policy.window_end, as_of)
        cadres, visits, reports, outside_spans = read_facts.window_facts(
            r, first=policy.window_start, last=last, cadre_id=cadre_id, outside=_outside(policy, as_of)
        )
        outside = [v for found in outside_spans for v in found]
        plans = read_plans.plan_facts(r, first=policy.window_start, last=policy.window_end, cadre_id=cadre_id)
    ev = evaluate(policy, cadres, visits, reports, as_of)
    return Status(ev, policy, cadres, visits, reports, outside, plans, outlooks(ev, plans))


def _outside(policy: Policy, as_of: date) -> list[tuple[date, date]]:
    """Where visits a user would expect this status to count lie that fall outside its window:
    the window's own year before it starts, and after it ends up to the as-of date (a visit
    wholly within one of these spans is listed, oldest first, span by span)."""
    spans = []
    year_start = date(policy.window_start.year, 1, 1)
    if year_start < policy.window_start:
        spans.append((year_start, min(policy.window_start - timedelta(days=1), as_of)))
    if as_of > policy.window_end:
        spans.append((policy.window_end + timedelta(days=1), as_of))
    return spans
