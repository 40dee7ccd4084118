"""Result reports (báo cáo kết quả): record one, read one, with its on-time/late verdict decided once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from congtac12.domain.owed import Verdict, verdict
from congtac12.i18n import _

if TYPE_CHECKING:
    from congtac12.store.location import PgUrl
    from congtac12.store.queries import VisitRow

Notify = Callable[[str], None]


@dataclass(frozen=True)
class RecordedReport:
    visit_id: int
    replaced: bool  # an earlier report of the visit was replaced
    verdict: Verdict


@dataclass(frozen=True)
class VisitReport:
    """A visit with its recorded report."""

    visit: VisitRow
    text: str
    verdict: Verdict


@dataclass(frozen=True)
class ReportDraft:
    """What an editor opens on to write a visit's report: the visit, its due day, any text recorded."""

    visit: VisitRow
    due: date
    existing: str | None


def record_report(
    target: Path | PgUrl, *, visit_id: int, on: date, text: str, replace: bool, notify: Notify | None = None
) -> RecordedReport:
    """Record (or, with ``replace``, replace) the report of a visit, dated ``on``."""
    from congtac12.services.policy import default_policy
    from congtac12.store import commands
    from congtac12.store.engine import session

    with session(target, write=True, notify=notify) as s:
        rep, visit, replaced = commands.add_report(s, visit_id=visit_id, on=on, text=text, replace=replace)
        policy = default_policy(s, visit.start)
    return RecordedReport(visit.id, replaced, verdict(policy, visit.end, rep.reported_on))


def report_draft(
    target: Path | PgUrl, *, visit_id: int, on: date, replace: bool, notify: Notify | None = None
) -> ReportDraft:
    """Refuse first what could not be recorded anyway; else the visit, its due day and any report."""
    from congtac12.services.policy import default_policy
    from congtac12.store import commands, queries
    from congtac12.store.engine import session

    with session(target, notify=notify) as s:
        _visit, existing = commands.report_target(s, visit_id=visit_id, on=on, replace=replace)
        row = queries.visit_rows(s, visit_id=visit_id)[0]
        policy = default_policy(s, row.start)
    return ReportDraft(row, policy.report_due(row.end), existing.text if existing else None)


def visit_report(target: Path | PgUrl, visit_id: int, *, notify: Notify | None = None) -> VisitReport:
    """A visit's recorded report; NotFound when there is no such visit or no report yet."""
    from congtac12.dates import show
    from congtac12.errors import NotFound
    from congtac12.services.policy import default_policy
    from congtac12.store import queries
    from congtac12.store.engine import session

    with session(target, notify=notify) as s:
        rows = queries.visit_rows(s, visit_id=visit_id)
        if not rows:
            raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
        rep = queries.report_of(s, visit_id)
        policy = default_policy(s, rows[0].start)
    row = rows[0]
    if rep is None:
        raise NotFound(
            _("visit {id} has no report yet (due {due}); write it with 'congtac12 report {id}'").format(
                id=visit_id, due=show(policy.report_due(row.end))
            )
        )
    return VisitReport(row, rep.text, verdict(policy, row.end, rep.reported_on))
