"""Writing a checked import (``importer.Import``): the new rows in bulk, as one change in the history.

Parents first: settings, units, cadres, leave, visits, reports. A deactivated cadre,
a deleted visit and its report are written as 'cadre delete' and 'delete-visit'
leave them (``deactivated_at``, ``deleted_at``: the import's time), so that the
record comes back in the same state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func as sa_func
from sqlalchemy import select

from congtac12.i18n import _
from congtac12.store import audit, commands, models
from congtac12.store.models import Cadre, Leave, Report, Unit, Visit

if TYPE_CHECKING:
    from congtac12.store.importer import Import

CHUNK = 5_000  # rows per executemany: progress moves, memory stays flat
# What an import adds below the ORM, parents first, as the audit trail names the tables.
_AUDITED: tuple[tuple[str, type], ...] = (
    ("unit", Unit),
    ("cadre", Cadre),
    ("leave", Leave),
    ("visit", Visit),
    ("report", Report),
)


def write(job: Import) -> None:
    s = job.s
    if s.get_bind().dialect.name == "postgresql":
        _check_rights(job)
    conn = s.connection()
    now = models.now_utc()
    # The rows go in with Core inserts, which the audit trail does not see:
    # note them here, so that the import is one change in 'history' (and can be undone).
    audit.describe(
        s,
        "import",
        _("imported {counts}").format(
            counts=", ".join(
                _("{n:,} {table}").format(n=c.added, table=name) for name, c in job.counts.items() if c.added
            )
        ),
    )
    last_ids = {model: conn.execute(select(sa_func.max(model.id))).scalar() or 0 for _e, model in _AUDITED}
    total = sum(
        len(new)
        for new in (job.new_units, job.new_cadres, job.new_leave, job.new_visits, job.new_reports, job.new_settings)
    )
    job.progress.start(_("Writing"), total)
    for key, value in job.new_settings.items():
        commands.set_setting(s, key=key, value=value)  # through the ORM: audited as 'config set' is
        job.progress.advance()
    conn = s.connection()
    unit_ids = {key: ref.id for key, ref in job.units.items()}
    for key, unit in job.new_units.items():
        parent_id = unit_ids[unit.parent.key] if unit.parent is not None else None
        result = conn.execute(
            Unit.__table__.insert(),
            {"name": unit.name, "level": unit.level, "parent_id": parent_id, "created_at": now},
        )
        unit_ids[key] = result.inserted_primary_key[0]
        job.progress.advance()
    cadre_ids = {key: ref.id for key, ref in job.cadres.items()}
    if job.new_cadres:
        conn.execute(
            Cadre.__table__.insert(),
            [
                {
                    "code": c["code"],
                    "name": c["name"],
                    "department": c["department"],
                    "email": c["email"],
                    "subject": c["subject"],
                    "joined": c["joined"],
                    "left": c["left"],
                    "created_at": now,
                    "deactivated_at": None if c["active"] else now,
                }
                for c in job.new_cadres.values()
            ],
        )
        job.progress.advance(len(job.new_cadres))
        for cid, code in conn.execute(select(Cadre.id, Cadre.code)):
            cadre_ids[code.lower()] = cid
    leave = [
        {"cadre_id": cadre_ids[k[0]], "start": k[1], "end": k[2], "reason": k[3], "created_at": now}
        for k in job.new_leave
    ]
    _insert_many(job, conn, Leave.__table__, leave)
    rows = [
        {
            "cadre_id": cadre_ids[k[0]],
            "unit_id": unit_ids[k[1]],
            "start": k[2],
            "end": k[3],
            "kind": k[4],
            "topic": v["topic"],
            "order_no": v["order_no"],
            "created_at": now,
            "deleted_at": now if v["deleted"] else None,
        }
        for k, v in job.new_visits.items()
    ]
    _insert_many(job, conn, Visit.__table__, rows)
    if job.new_reports:
        cadre_key = {cid: k for k, cid in cadre_ids.items()}
        unit_key = {uid: k for k, uid in unit_ids.items()}
        visit_ids = {
            (cadre_key[cid], unit_key[uid], start, end, kind): (vid, deleted_at)
            for vid, cid, uid, start, end, kind, deleted_at in conn.execute(
                select(Visit.id, Visit.cadre_id, Visit.unit_id, Visit.start, Visit.end, Visit.kind, Visit.deleted_at)
            )
        }
        reports = [
            {
                "visit_id": visit_ids[k][0],
                "reported_on": r["reported_on"],
                "text": r["text"],
                "created_at": now,
                # deleted with its visit, as 'delete-visit' leaves it
                "deleted_at": now if visit_ids[k][1] is not None else None,
            }
            for k, r in job.new_reports.items()
        ]
        _insert_many(job, conn, Report.__table__, reports)
    _note_inserted(job, conn, last_ids)


def _check_rights(job: Import) -> None:
    """Organisation mode: refuse, before the database does, rows this login may not add."""
    from congtac12.store import org

    s = job.s
    if job.new_units:
        org.check_admin(s, _("units"))
    if job.new_cadres:
        org.check_admin(s, _("cadres"))
    if job.new_settings:
        org.check_admin(s, _("settings"))
    owners = {k[0] for k in job.new_visits} | {k[0] for k in job.new_reports} | {k[0] for k in job.new_leave}
    for key in sorted(owners):
        ref = job.cadres.get(key)
        if ref is not None:
            org.check_record(s, s.get_one(Cadre, ref.id), _("an imported visit or report"))


def _note_inserted(job: Import, conn: Any, last_ids: dict[type, int]) -> None:
    """Give the audit trail every row this import added (those above the ids there were)."""
    for entity, model in _AUDITED:
        table = model.__table__
        for row in conn.execute(select(table).where(table.c.id > last_ids[model]).order_by(table.c.id)):
            audit.note_inserted(job.s, entity, dict(row._mapping))


def _insert_many(job: Import, conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        conn.execute(table.insert(), chunk)
        job.progress.advance(len(chunk))
