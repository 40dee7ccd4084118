"""The check of an import's plans (a part of ``importer.Import``): registered trips in their recorded state.

A plan is identified by its cadre, unit, first and last day and kind; the rest
(a month plan's days, topic, state, a returned plan's reason, who decided and
when, the visit that fulfils it) must agree with what is recorded. A row is
accepted when the database's own plan rules (``store.constraints``) would
accept it, each refusal named by its row and field. The visit that fulfils a
plan is named by the visit's natural key: recorded or imported, of the plan's
own cadre, fulfilling one plan only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from congtac12.dates import show
from congtac12.domain.plans import month_bounds
from congtac12.errors import Conflict, InvalidInput, NotFound
from congtac12.exchange import spec
from congtac12.i18n import _
from congtac12.store.import_checks import ImportParts, Ref, Row
from congtac12.store.limits import MAX_PLAN_DAYS
from congtac12.store.validate import deactivated

if TYPE_CHECKING:
    from congtac12.store.importer import TableCount
    from congtac12.store.write.connect import Writer

_FIELDS = spec.PLAN_FIELDS
_VISIT = spec.PLAN_VISIT


class _Plans(ImportParts, Protocol):
    """What the plans' check uses of ``importer.Import``, the one class that mixes it in."""

    plans: dict[tuple[Any, ...], tuple[Any, ...]]
    linked: dict[tuple[Any, ...], tuple[Any, ...]]

    @property
    def db(self) -> Writer: ...
    @property
    def visits(self) -> dict[tuple[Any, ...], tuple[int, str | None, str | None, bool]]: ...
    @property
    def new_visits(self) -> dict[tuple[Any, ...], tuple[str | None, str | None, bool]]: ...
    @property
    def new_plans(self) -> dict[tuple[Any, ...], tuple[Any, ...]]: ...
    @property
    def cadre_key_of(self) -> dict[Any, str]: ...
    @property
    def unit_key_of(self) -> dict[Any, str]: ...
    @property
    def deactivated(self) -> set[str]: ...
    @property
    def cadres(self) -> dict[str, Ref]: ...
    @property
    def counts(self) -> dict[str, TableCount]: ...

    def _refused_visit(self, key: tuple[Any, ...]) -> bool: ...
    def _plan_values(self, row: Row) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None: ...
    def _plan_period(self, row: Row) -> bool: ...
    def _plan_visit(self, row: Row, cadre_key: str | None, state: str) -> tuple[Any, ...] | None | bool: ...


class PlanChecks:
    """``_load_plans`` and ``_check_plans`` of ``importer.Import``."""

    plans: dict[tuple[Any, ...], tuple[Any, ...]]  # set by _load_plans
    linked: dict[tuple[Any, ...], tuple[Any, ...]]  # visit key -> the key of the plan it fulfils

    def _load_plans(self: _Plans) -> None:
        visit_key_of = {value[0]: key for key, value in self.visits.items()}
        self.plans = {}
        self.linked = {}  # visit key -> the key of the plan it fulfils
        db = self.db
        day = db.day
        for cid, uid, start, end, kind, days, topic, state, reason, by, at, vid in db.rows(
            'SELECT cadre_id, unit_id, start, "end", kind, days, topic, state, reason, decided_by, decided_at, visit_id '
            "FROM plan"
        ):
            at = db.moment(at)  # aware in UTC, as the ORM's UTCDateTime reads it
            key = (self.cadre_key_of[cid], self.unit_key_of[uid], day(start), day(end), kind)
            visit = visit_key_of.get(vid) if vid is not None else None
            self.plans[key] = (days, topic, state, reason, by, _moment(at) if at is not None else None, visit)
            if visit is not None:
                self.linked[visit] = key

    def _check_plans(self: _Plans, rows: Iterable[Row]) -> None:
        for row in rows:
            values = self._plan_values(row)
            if values is None:
                continue
            key, checked = values
            recorded = self.plans.get(key)
            if recorded is None and key[0] in self.deactivated:
                ref = self.cadres[key[0]]
                self.fail(deactivated(ref.names[0], ref.names[1], _("register trips")), row, "cadre")
                continue
            visit = checked[-1]
            if recorded is None and visit is not None:
                other = self.linked.get(visit)
                if other is not None and other != key:
                    self.fail(
                        Conflict(
                            _(
                                "that visit already fulfils the plan of {cadre} at {unit} from {start}; a visit fulfils one plan"
                            ).format(
                                cadre=self.cadres[other[0]].names[0] if other[0] in self.cadres else other[0],
                                unit=other[1],
                                start=show(other[2]),
                            )
                        ),
                        row,
                        "visit_start",
                    )
                    continue
            if self.same("plans", key, row, _FIELDS, checked, recorded, self.new_plans.get(key)):
                continue
            self.new_plans[key] = checked
            if visit is not None:
                self.linked[visit] = key
            self.counts["plans"].added += 1

    def _plan_values(self: _Plans, row: Row) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """The plan's natural key and its other values, or None (and its errors kept)."""
        v = row.values
        ok = True
        state = str(v["state"]).strip().lower()
        if state not in spec.PLAN_STATES:
            accepted = ", ".join(spec.PLAN_STATES)
            message = _("unknown plan state {state!r}; accepted: {accepted}").format(
                state=v["state"], accepted=accepted
            )
            self.fail(InvalidInput(message), row, "state")
            ok = False
        if not self._plan_period(row):
            ok = False
        reason = (v["reason"] or "").strip() or None
        by = (v["decided_by"] or "").strip() or None
        if state == "returned" and reason is None:
            self.fail(
                InvalidInput(_("a returned plan needs its reason ({field})").format(field=row.label("reason"))),
                row,
                "reason",
            )
            ok = False
        if state in ("approved", "returned") and by is None:
            self.fail(
                InvalidInput(
                    _("an {state} plan needs who decided it ({field})").format(
                        state=state, field=row.label("decided_by")
                    )
                ),
                row,
                "decided_by",
            )
            ok = False
        at = None
        if v["decided_at"] not in (None, ""):
            try:
                at = _moment(datetime.fromisoformat(str(v["decided_at"]).strip()))
            except ValueError:
                message = _("{value!r} is not a moment; accepted: YYYY-MM-DD HH:MM:SS").format(
                    value=str(v["decided_at"])[:40]
                )
                self.fail(InvalidInput(message), row, "decided_at")
                ok = False
        cadre = self._find("cadre", row, "cadre")
        unit = self._find("unit", row, "unit")
        visit = self._plan_visit(row, cadre.key if cadre is not None else None, state)
        if not ok or cadre is None or unit is None or visit is False:
            return None
        topic = (v["topic"] or "").strip() or None
        key = (cadre.key, unit.key, v["start"], v["end"], v["kind"])
        return key, (v["days"], topic, state, reason, by, at, visit)

    def _plan_period(self: _Plans, row: Row) -> bool:
        v = row.values
        start, end, days = v["start"], v["end"], v["days"]
        if end < start:
            self.fail(
                InvalidInput(
                    _(
                        "{last_label} {end} is before {first_label} {start}; the last day must be on or after the first"
                    ).format(
                        last_label=row.label("end"), end=show(end), first_label=row.label("start"), start=show(start)
                    )
                ),
                row,
                "end",
            )
            return False
        if days is None:
            if (end - start).days + 1 > MAX_PLAN_DAYS:
                message = _("a plan of {days} days is too long; accepted: at most {max}").format(
                    days=(end - start).days + 1, max=MAX_PLAN_DAYS
                )
                self.fail(InvalidInput(message), row, "end")
                return False
            return True
        first, last = month_bounds(start.year, start.month)
        if (start, end) != (first, last):
            message = _("a month plan covers its whole month: {first_label} {first} to {last_label} {last}").format(
                first_label=row.label("start"), first=show(first), last_label=row.label("end"), last=show(last)
            )
            self.fail(InvalidInput(message), row, "end")
            return False
        month_days = (last - first).days + 1
        if not 1 <= days <= month_days:
            message = _("{label} {days} does not fit in {month}; accepted: 1 to {max}").format(
                label=row.label("days"), days=days, month=start.strftime("%m/%Y"), max=month_days
            )
            self.fail(InvalidInput(message), row, "days")
            return False
        return True

    def _plan_visit(self: _Plans, row: Row, cadre_key: str | None, state: str) -> tuple[Any, ...] | None | bool:
        """The key of the visit that fulfils the plan; None: none; False: refused (error kept)."""
        v = row.values
        if all(v[k] is None for k in _VISIT):
            return None
        missing = [k for k in ("visit_cadre", "visit_unit", "visit_start", "visit_kind") if v[k] is None]
        if missing:
            message = _("the visit that fulfils a plan needs {fields}").format(
                fields=", ".join(row.label(k) for k in missing)
            )
            self.fail(InvalidInput(message), row, missing[0])
            return False
        vcadre = self._find("cadre", row, "visit_cadre")
        vunit = self._find("unit", row, "visit_unit")
        if vcadre is None or vunit is None:
            return False
        end = v["visit_end"] if v["visit_end"] is not None else v["visit_start"]
        key = (vcadre.key, vunit.key, v["visit_start"], end, v["visit_kind"])
        if key not in self.visits and key not in self.new_visits:
            if not self._refused_visit(key):
                message = _(
                    "no visit of {cadre} to {unit} from {start} to {end} ({kind}) is recorded or imported; a plan can be fulfilled only by a visit"
                ).format(
                    cadre=v["visit_cadre"], unit=v["visit_unit"], start=show(key[2]), end=show(key[3]), kind=key[4]
                )
                self.fail(NotFound(message), row, "visit_start")
            return False
        if cadre_key is not None and vcadre.key != cadre_key:
            message = _("the visit is {other}'s, not {code}'s; a visit fulfils only its own cadre's plan").format(
                other=v["visit_cadre"], code=v["cadre"]
            )
            self.fail(Conflict(message), row, "visit_cadre")
            return False
        if state != "approved":
            message = _("a {state} plan cannot be fulfilled by a visit; only an approved plan").format(state=state)
            self.fail(InvalidInput(message), row, "state")
            return False
        return key


def _moment(at: datetime) -> datetime:
    """A moment as the record keeps it, aware in UTC: one without an offset is taken as UTC (as the
    record and the export keep moments), one with an offset is the same moment in UTC. So the same
    moment is the same value however it is written, on either backend."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
