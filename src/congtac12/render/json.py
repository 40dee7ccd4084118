"""The shapes of ``--json``: plain dicts with stable keys and ISO dates, the same in every language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from congtac12.dates import days_inclusive, iso
from congtac12.domain.policy import Policy
from congtac12.domain.results import Availability, CadreEvaluation, Evaluation, OwedReport, UncountedDays

if TYPE_CHECKING:
    from congtac12.render.text import CadreReminders  # a type only: the module is the text renderers'
    from congtac12.services.reports import VisitReport
    from congtac12.services.status import Status
    from congtac12.store.rows import VisitRow


def status_dict(found: Status) -> dict[str, Any]:
    """``status --json`` (and the web's ``/api/status``): the evaluation with each cadre's plan figures."""
    from congtac12.render.plans import with_planned

    return with_planned(evaluation_dict(found.evaluation), found.plan_outlooks)


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    shown: dict[int, dict[str, Any] | None] = {}  # the availability dicts made, by availability
    return {
        "as_of": ev.as_of.isoformat(),
        "policy": policy_dict(ev.policy),
        "cadres": [cadre_dict(c, shown) for c in ev.cadres],
    }


def _minimum_dict(field: str, slug: str, share: Fraction | None, days: int | None) -> dict[str, Any]:
    return {field: slug, "share": None if share is None else str(share), "days": days}


def policy_dict(p: Policy) -> dict[str, Any]:
    """A policy for ``--json``: its numbers, settings and assumptions."""
    first, last = p.years
    return {
        "id": p.id,
        "title": p.title,
        "source": p.source,
        "series": p.series,
        "year": p.year,
        "years": {"first": first, "last": last},
        "window": {"start": p.window_start.isoformat(), "end": p.window_end.isoformat()},
        "window_days": p.window_days,
        "min_days": p.min_days,
        "report_due_days": p.report_due_days,
        "remind_days_after_window": p.remind_days_after_window,
        "content_minimums": [_minimum_dict("kind", m.kind, m.share, m.days) for m in p.content_minimums],
        "level_minimums": [_minimum_dict("level", m.level, m.share, m.days) for m in p.level_minimums],
        "pro_rating": {
            "enabled": p.pro_rating.enabled,
            "rounding": p.pro_rating.rounding,
            "leave_reasons": list(p.pro_rating.leave_reasons),
        },
        "exemptions": [{"reasons": list(e.reasons), "min_leave_days": e.min_leave_days} for e in p.exemptions],
        "assumptions": list(p.assumptions),
    }


_NONE: Any = object()  # not yet in ``shown``


def availability_dict(a: Availability | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "joined": iso(a.joined),
        "left": iso(a.left),
        "window_days": a.window_days,
        "service": {
            "start": iso(a.service_start),
            "end": iso(a.service_end),
            "days": a.service_days,
        },
        "leave_days": a.leave_days,
        "deducted_days": a.deducted_days,
        "available_days": a.available_days,
        "exemption_leave_days": list(a.exemption_days),
        "required_exact": str(a.exact_required),
    }


def uncounted_dict(u: UncountedDays) -> dict[str, Any]:
    return {
        "visit": u.visit_id,
        "start": u.start.isoformat(),
        "end": u.end.isoformat(),
        "days": u.days,
        "reason": u.reason,
        "leave": u.leave_id,
        "leave_reason": u.leave_reason,
    }


def cadre_dict(c: CadreEvaluation, shown: dict[int, dict[str, Any] | None] | None = None) -> dict[str, Any]:
    """One cadre of a status. ``shown`` keeps the availability dicts made so far, by the
    availability's id: cadres of the same service period and leave (most) share one."""
    a = c.availability
    if shown is None:
        availability = availability_dict(a)
    elif (availability := shown.get(id(a), _NONE)) is _NONE:
        availability = shown[id(a)] = availability_dict(a)
    return {
        "code": c.code,
        "name": c.name,
        "department": c.department,
        "subject": c.subject,
        "state": c.state,
        "exempt": c.exempt,
        "required_days": c.required_days,
        "days": c.days,
        "days_by_kind": dict(c.days_by_kind),
        "days_by_level": dict(c.days_by_level),
        "checks": [{"rule": k.rule, "required": k.required, "actual": k.actual, "met": k.met} for k in c.checks],
        "reports": {
            "on_time": c.reports.on_time,
            "late": c.reports.late,
            "pending": c.reports.pending,
            "overdue": c.reports.overdue,
        },
        "availability": availability,
        "uncounted": [uncounted_dict(u) for u in c.uncounted],
        "elapsed_days": c.elapsed_days,
        "expected_days": c.expected_days,
        "days_left": c.days_left,
        "days_needed": c.days_needed,
        "pace_per_week": None if c.pace_per_week is None else round(float(c.pace_per_week), 2),
        "unreachable": [{"rule": k.rule, "needed": k.shortfall, "days_left": c.days_left} for k in c.unreachable],
    }


def owed_reports_dict(as_of: date, owed: Sequence[OwedReport], rows: dict[int, VisitRow]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "visits": [
            {
                "visit_id": r.visit_id,
                "cadre": r.cadre,
                "name": rows[r.visit_id].cadre_name,
                "unit": rows[r.visit_id].unit,
                "start": rows[r.visit_id].start.isoformat(),
                "end": r.end.isoformat(),
                "kind": rows[r.visit_id].kind,
                "due": r.due.isoformat(),
                "reported_on": iso(r.reported_on),
                "state": r.state,
                "days_late": r.days_late,
                "days_left": r.days_left,
            }
            for r in owed
        ],
    }


def reminders_dict(as_of: date, groups: Sequence[CadreReminders]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "items": [
            {
                "visit_id": rem.visit_id,
                "cadre": g.code,
                "name": g.name,
                "email": g.email,
                "unit": row.unit,
                "end": rem.end.isoformat(),
                "due": rem.due.isoformat(),
                "state": rem.state,
                "days": rem.days,
            }
            for g in groups
            for rem, row in g.items
        ],
    }


def _figures_dict(f: Any) -> dict[str, Any]:
    return {
        "department": f.department or None,
        "cadres": f.cadres,
        "subject": f.subject,
        "days": f.days,
        "days_by_kind": dict(f.days_by_kind),
        "days_so_far": f.days_so_far,
        "states": dict(f.states),
        "reports": dict(f.reports),
    }


def summary_dict(sm: Any, *, period: str) -> dict[str, Any]:
    """``summary --json``: the period, then per department, the total, and coverage."""
    ev = sm.evaluation
    return {
        "period": {"name": period, "first": sm.first.isoformat(), "last": sm.last.isoformat()},
        "as_of": ev.as_of.isoformat(),
        "policy": ev.policy.id,
        "trips": sm.trips,
        "departments": [_figures_dict(f) for f in sm.departments],
        "total": _figures_dict(sm.total),
        "coverage": [
            {"union": c.union, "level": c.level, "days": c.days, "cadres": c.cadres, "visits": c.visits}
            for c in sm.coverage
        ],
        "unvisited": list(sm.unvisited),
        "district_unions": sm.district_unions,
    }


def change_dict(change: Any) -> dict[str, Any]:
    from congtac12.render.labels import as_utc  # the one dict with a moment: history's

    return {
        "id": change.id,
        "at": as_utc(change.at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "who": change.who,
        "action": change.action,
        "summary": change.summary,
        "undoes": change.undoes,
        "items": [{"entity": i.entity, "key": i.key, "before": i.before, "after": i.after} for i in change.items],
    }


def visit_report_dict(r: VisitReport) -> dict[str, Any]:
    """``report show --json``: the visit, its report and the verdict (due and state null when the
    visit counts no day: no report was owed)."""
    row, v = r.visit, r.verdict
    return {
        "visit_id": row.id,
        "cadre": row.cadre_code,
        "name": row.cadre_name,
        "unit": row.unit,
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "kind": row.kind,
        "due": v.due.isoformat() if v is not None else None,
        "reported_on": r.reported_on.isoformat(),
        "state": v.state if v is not None else None,
        "text": r.text,
    }


def cadres_list(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """``cadre list --json``."""
    return [
        {
            "code": c.code,
            "name": c.name,
            "department": c.department,
            "email": c.email,
            "subject": c.subject,
            "joined": iso(c.joined),
            "left": iso(c.left),
            "active": c.deactivated_at is None,
        }
        for c in rows
    ]


def settings_dict(
    rows: dict[str, tuple[str | None, str, str]],
    *,
    file_keys: tuple[str, ...],
    policy_key: str,
    path: str,
    unset_keys: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``config show --json``: each setting's value (the password masked), whether it is the default,
    and for the settings file's keys where it came from (an environment variable or the file)."""
    doc = {
        key: {"value": value or default, "default": value is None} | ({"source": source} if key in file_keys else {})
        for key, (value, default, source) in rows.items()
    }
    if doc[policy_key]["default"]:
        doc[policy_key]["value"] = None  # none chosen: the preset of the as-of date's year
    for key in (*file_keys, *unset_keys):
        if doc[key]["default"]:
            doc[key]["value"] = None  # not set (JSON holds no words of the interface's language)
    return doc | {"settings_file": path}


def check_dict(report: Any) -> dict[str, Any]:
    """``db check --json``."""
    return {
        "ok": report.ok,
        "problems": [{"check": p.check, "detail": p.detail} for p in report.problems],
        "counts": report.counts,
    }


def copy_dict(copied: Any) -> dict[str, Any]:
    """``db copy --json``."""
    return {
        "source": str(copied.source),
        "target": str(copied.target),
        "tables": copied.counts,
        "rows": copied.total,
        "seconds": round(copied.seconds, 3),
    }


def import_dict(path: Any, result: Any) -> dict[str, Any]:
    """``import --json``: what was written, table by table."""
    return {
        "path": str(path),
        "written": result.written,
        "tables": {
            name: {"added": c.added, "already_recorded": c.present, "repeated": c.repeated}
            for name, c in result.counts.items()
        },
    }


def leave_dict(leave: Any, cadre: str) -> dict[str, Any]:
    """``leave add --json``: the leave recorded."""
    return {
        "id": leave.id,
        "cadre": cadre,
        "start": leave.start.isoformat(),
        "end": leave.end.isoformat(),
        "days": days_inclusive(leave.start, leave.end),
        "reason": leave.reason,
    }


def leave_list(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """``leave list --json``."""
    return [
        {
            "id": r.id,
            "cadre": r.cadre_code,
            "name": r.cadre_name,
            "start": r.start.isoformat(),
            "end": r.end.isoformat(),
            "days": days_inclusive(r.start, r.end),
            "reason": r.reason,
        }
        for r in rows
    ]


def logins_list(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """``org list --json``: the cadres' logins."""
    return [{"login": g.login, "cadre": g.cadre_code, "admin": g.admin} for g in rows]


def units_list(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """``unit list --json``: each unit with its parent's name."""
    names = {u.id: u.name for u in rows}
    return [{"name": u.name, "level": u.level, "parent": names.get(u.parent_id)} for u in rows]


def added_visit_dict(
    visit: Any, cadre: str, unit: str, counted: int, uncounted: Sequence[UncountedDays], due: date | None, policy: str
) -> dict[str, Any]:
    """``add-visit --json``: the visit recorded, the days it counts and its report's due day
    (None when none of its days count: it owes no report)."""
    return {
        "id": visit.id,
        "cadre": cadre,
        "unit": unit,
        "start": visit.start.isoformat(),
        "end": visit.end.isoformat(),
        "kind": visit.kind,
        "topic": visit.topic,
        "order": visit.order_no,
        "days_counted": counted,
        "days_not_counted": [uncounted_dict(u) for u in uncounted],
        "report_due": due.isoformat() if due is not None else None,
        "policy": policy,
    }


def visits_list(rows: Sequence[VisitRow], due: dict[int, Any], counted: dict[int, int | None]) -> list[dict[str, Any]]:
    """``visits --json``: each visit with its report's due day and the days it counts under the
    policy of its year (both None when no policy covers that year)."""
    return [
        {
            "id": v.id,
            "cadre": v.cadre_code,
            "name": v.cadre_name,
            "unit": v.unit,
            "start": v.start.isoformat(),
            "end": v.end.isoformat(),
            "kind": v.kind,
            "topic": v.topic,
            "order": v.order_no,
            "report_due": iso(due.get(v.id)),
            "reported_on": iso(v.reported_on),
            "counted_days": counted.get(v.id),
        }
        for v in rows
    ]


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def edited_visit_dict(
    visit_id: int, changes: dict[str, tuple[Any, Any]], counted: int, due: date | None
) -> dict[str, Any]:
    """``edit-visit --json``: each changed field, before and after; the days the visit now
    counts and its report's due day (None when it owes no report)."""
    return {
        "id": visit_id,
        "changed": {k: {"before": _plain(o), "after": _plain(n)} for k, (o, n) in changes.items()},
        "days_counted": counted,
        "report_due": due.isoformat() if due is not None else None,
    }
