"""Writes of visits and their reports: validate, then write, inside the caller's one transaction.

Adding and editing a visit share one validation (``check_visit``, ``VisitFields``), so an edit
accepts exactly what an add accepts. Each names its change for the audit trail (``audit.describe``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from congtac12.dates import show, show_period
from congtac12.domain.vocab import kind_name
from congtac12.errors import Conflict, InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.store import audit, models
from congtac12.store.guards import (
    is_postgres,
    may_change,
    refuse_deactivated,
    trip_cadre_and_unit,
)
from congtac12.store.limits import MAX_VISIT_DAYS as MAX_VISIT_DAYS  # defined where no ORM is loaded
from congtac12.store.models import Cadre, Report, Unit, Visit
from congtac12.store.validate import check_report as check_report
from congtac12.store.validate import check_visit as check_visit

# --- visits ------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFields:
    """A visit's validated fields, as add-visit and edit-visit accept them."""

    cadre: Cadre
    unit: Unit
    start: date
    end: date
    kind: str
    topic: str | None
    order_no: str | None


def _visit_fields(
    s: Session,
    *,
    cadre: str | Cadre,
    unit: str | Unit,
    start: date,
    end: date,
    kind: str,
    topic: str | None,
    order_no: str | None,
    visit_id: int | None = None,
) -> VisitFields:
    """Check a visit as add-visit does; ``visit_id``: the visit being edited (not its own duplicate)."""
    topic, order_no = check_visit(start=start, end=end, kind=kind, topic=topic, order_no=order_no)
    the_cadre, the_unit = trip_cadre_and_unit(
        s,
        cadre,
        unit,
        new=_("the new visit") if visit_id is None else None,  # an edit checked its visit's cadre already
        doing=_("record visits"),
    )
    same = s.exec(
        select(Visit).where(
            Visit.cadre_id == the_cadre.id,
            Visit.unit_id == the_unit.id,
            Visit.start == start,
            Visit.end == end,
            Visit.kind == kind,
            Visit.id != visit_id,
        )
    ).first()
    if same is not None:
        note = (
            ""
            if same.deleted_at is None
            else _(" (deleted; bring it back with 'congtac12 restore-visit {id}')").format(id=same.id)
        )
        raise Conflict(
            _("visit {id}{note} already records {code} at {unit} from {start} to {end} ({kind})").format(
                id=same.id,
                note=note,
                code=the_cadre.code,
                unit=the_unit.name,
                start=show(start),
                end=show(end),
                kind=kind,
            )
        )
    return VisitFields(the_cadre, the_unit, start, end, kind, topic, order_no)


def _visit_label(v: Visit, cadre: Cadre, unit: Unit) -> str:
    return _("visit {id}: {code} at {unit}, {when} ({kind})").format(
        id=v.id, code=cadre.code, unit=unit.name, when=show_period(v.start, v.end), kind=kind_name(v.kind)
    )


def add_visit(
    s: Session,
    *,
    cadre: str,
    unit: str,
    start: date,
    end: date,
    kind: str,
    topic: str | None = None,
    order_no: str | None = None,
) -> tuple[Visit, Cadre, Unit]:
    f = _visit_fields(s, cadre=cadre, unit=unit, start=start, end=end, kind=kind, topic=topic, order_no=order_no)
    visit = Visit(
        cadre_id=f.cadre.id,
        unit_id=f.unit.id,
        start=f.start,
        end=f.end,
        kind=f.kind,
        topic=f.topic,
        order_no=f.order_no,
    )
    s.add(visit)
    s.flush()
    audit.describe(s, "visit.add", _("added {visit}").format(visit=_visit_label(visit, f.cadre, f.unit)))
    return visit, f.cadre, f.unit


def get_visit(s: Session, visit_id: int) -> Visit:
    visit = s.get(Visit, visit_id) if models.is_row_id(visit_id) else None
    if visit is None:
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
    return visit


def _may_change_visit(s: Session, visit: Visit) -> None:
    if is_postgres(s):
        may_change(s, s.get_one(Cadre, visit.cadre_id), _("visit {id}").format(id=visit.id))


def _live_visit(s: Session, visit_id: int, doing: str) -> Visit:
    visit = get_visit(s, visit_id)
    _may_change_visit(s, visit)
    if visit.deleted_at is not None:
        raise Conflict(
            _("visit {id} is deleted; cannot {doing} (bring it back with 'congtac12 restore-visit {id}')").format(
                id=visit_id, doing=doing
            )
        )
    return visit


def edit_visit(
    s: Session,
    *,
    visit_id: int,
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    topic: str | None = None,
    order_no: str | None = None,
) -> tuple[Visit, Cadre, Unit, dict[str, tuple[object, object]]]:
    """Change a visit's fields under add-visit's rules; returns it, its cadre and unit, and what changed.

    ``topic=""``/``order_no=""`` remove them.
    """
    if all(v is None for v in (unit, start, end, kind, topic, order_no)):
        raise InvalidInput(_("nothing to change; give --unit, --from, --to, --kind, --topic or --order"))
    visit = _live_visit(s, visit_id, _("edit it"))
    f = _visit_fields(
        s,
        cadre=s.get_one(Cadre, visit.cadre_id),
        unit=unit if unit is not None else s.get_one(Unit, visit.unit_id),
        start=start or visit.start,
        end=end or visit.end,
        kind=kind or visit.kind,
        topic=topic if topic is not None else visit.topic,
        order_no=order_no if order_no is not None else visit.order_no,
        visit_id=visit.id,
    )
    report = _report_of(s, visit.id)
    if report is not None and report.reported_on < f.end:
        raise Conflict(
            _(
                "visit {id}'s report is dated {on}, before the new last day {end}; a report is written after the trip"
            ).format(id=visit.id, on=show(report.reported_on), end=show(f.end))
        )
    new = {
        "unit_id": f.unit.id,
        "start": f.start,
        "end": f.end,
        "kind": f.kind,
        "topic": f.topic,
        "order_no": f.order_no,
    }
    changes = {k: (getattr(visit, k), v) for k, v in new.items() if getattr(visit, k) != v}
    audit.describe(
        s, "visit.edit", _("edited {visit}").format(visit=_visit_label(visit, f.cadre, s.get_one(Unit, visit.unit_id)))
    )
    for key, (_old, value) in changes.items():
        setattr(visit, key, value)
    s.add(visit)
    s.flush()
    return visit, f.cadre, f.unit, changes


def _report_of(s: Session, visit_id: int) -> Report | None:
    return s.exec(select(Report).where(Report.visit_id == visit_id)).first()


def delete_visit(s: Session, *, visit_id: int) -> tuple[Visit, Report | None]:
    """Soft-delete a visit and its report: hidden from counts and lists, kept for restore-visit."""
    visit = _live_visit(s, visit_id, _("delete it again"))
    return _set_deleted(s, visit, models.now_utc(), "visit.delete", _("deleted {visit}"))


def restore_visit(s: Session, *, visit_id: int) -> tuple[Visit, Report | None]:
    """Bring back a deleted visit with its report."""
    visit = get_visit(s, visit_id)
    _may_change_visit(s, visit)
    if visit.deleted_at is None:
        raise Conflict(_("visit {id} is not deleted; nothing to restore").format(id=visit_id))
    refuse_deactivated(s.get_one(Cadre, visit.cadre_id), _("restore its visits"))
    return _set_deleted(s, visit, None, "visit.restore", _("restored {visit}"))


def _set_deleted(
    s: Session, visit: Visit, when: datetime | None, action: str, summary: str
) -> tuple[Visit, Report | None]:
    """Mark a visit and its report deleted at ``when`` (None: restored), as one change."""
    label = _visit_label(visit, s.get_one(Cadre, visit.cadre_id), s.get_one(Unit, visit.unit_id))
    audit.describe(s, action, summary.format(visit=label))
    report = _report_of(s, visit.id)
    for row in (visit, report):  # one statement each, in this order (the history lists them so)
        if row is not None:
            row.deleted_at = when
            s.add(row)
            s.flush()
    return visit, report


# --- reports -----------------------------------------------------------------


def report_target(s: Session, *, visit_id: int, on: date, replace: bool = False) -> tuple[Visit, Report | None]:
    """Refuse a report that could not be recorded; returns (visit, its existing report)."""
    visit = _live_visit(s, visit_id, _("record its report"))
    check_report(on=on, visit_end=visit.end, text="")
    existing = _report_of(s, visit_id)
    if existing is not None and not replace:
        raise Conflict(
            _("visit {id} already has a report dated {on}; use --replace to replace it").format(
                id=visit_id, on=show(existing.reported_on)
            )
        )
    return visit, existing


def add_report(
    s: Session, *, visit_id: int, on: date, text: str = "", replace: bool = False
) -> tuple[Report, Visit, bool]:
    """Record a visit's report; returns (report, visit, replaced?)."""
    visit, existing = report_target(s, visit_id=visit_id, on=on, replace=replace)
    text = check_report(on=on, visit_end=visit.end, text=text)
    if existing is not None:
        audit.describe(
            s,
            "report.replace",
            _("replaced the report of visit {id}, now dated {on}").format(id=visit_id, on=show(on)),
        )
        existing.reported_on = on
        existing.text = text
        s.add(existing)
        s.flush()
        return existing, visit, True
    audit.describe(s, "report.add", _("recorded the report of visit {id}, dated {on}").format(id=visit_id, on=show(on)))
    report = Report(visit_id=visit_id, reported_on=on, text=text)
    s.add(report)
    s.flush()
    return report, visit, False
