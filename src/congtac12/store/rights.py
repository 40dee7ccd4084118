"""What this login may write, said before the database refuses (PostgreSQL's organisation mode).

The database is the guard (``org`` sets up its roles and row-level policies); these checks only
say earlier, and in plain words, what it would refuse. ``commands``, ``undo`` and the audit's
deletes read them; this module imports nothing of the engine or the backends.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from congtac12.errors import NotAllowed
from congtac12.i18n import _
from congtac12.store.models import Cadre, ChangeItem, Visit

# The roles' names and the rules without the ORM live in read.rights (remind reads them there).
from congtac12.store.read.rights import ADMIN_ROLE as ADMIN_ROLE
from congtac12.store.read.rights import CADRE_ROLE as CADRE_ROLE
from congtac12.store.read.rights import LOGIN_TABLE as LOGIN_TABLE
from congtac12.store.read.rights import Rights as Rights
from congtac12.store.read.rights import refuse_admin, refuse_record, rights_with, scope_of

if TYPE_CHECKING:
    from sqlmodel import Session

_RIGHTS = "congtac12.org.rights"


def rights(s: Session) -> Rights:
    """This session's login's rights; two small queries, once per session (``read.rights``' statements)."""
    found: Rights | None = s.info.get(_RIGHTS)
    if found is not None:
        return found
    conn = s.connection()
    found = rights_with(lambda sql: conn.exec_driver_sql(sql).one())
    s.info[_RIGHTS] = found
    return found


def check_record(s: Session, cadre: Cadre, record: str) -> None:
    """Refuse, before the database does, a write on another cadre's ``record`` ("visit 12")."""
    refuse_record(rights(s), cadre.id, cadre.code, cadre.name, record)


def check_admin(s: Session, what: str) -> None:
    """Refuse, before the database does, a write that only an administrator may make (cadres, units…)."""
    refuse_admin(rights(s), what)


def deletes_through_function(s: Session) -> bool:
    """A cadre login deletes through ``congtac12_delete_own`` (it has no DELETE grant)."""
    return not rights(s).everything


def reminder_scope(s: Session, *, digest: bool) -> str | None:
    """Whose reminders this login sends and records (``read.rights.scope_of``)."""
    return scope_of(rights(s), digest=digest)


def check_undo(s: Session, change_id: int, items: list[ChangeItem]) -> None:
    """Refuse, before the database does, undoing a change that touched another cadre's records."""
    if rights(s).everything:
        return
    for item in items:
        record = _("{entity} {key} (in change #{id})").format(entity=item.entity, key=item.entity_key, id=change_id)
        rows = [json.loads(text) for text in (item.before, item.after) if text is not None]
        if item.entity == "plan" and _decides(item):
            check_admin(s, record)
            continue
        if item.entity == "plan" and item.before is None and rows[0]["state"] != "draft":
            # Taking back an import of a submitted plan deletes it: a cadre deletes only its drafts.
            raise NotAllowed(
                _(
                    "cannot undo change #{id}: it would delete plan {key}, which it added as submitted and which "
                    "awaits an administrator's decision; a cadre's login deletes only its own draft plans, so an "
                    "administrator login must undo this change; nothing was changed"
                ).format(id=change_id, key=item.entity_key)
            )
        if item.entity in ("visit", "leave", "plan"):
            cadre_ids = {row["cadre_id"] for row in rows}
        elif item.entity == "report":
            visits = [s.get(Visit, row["visit_id"]) for row in rows]
            cadre_ids = {v.cadre_id for v in visits if v is not None}
        else:  # cadre, unit, setting
            check_admin(s, record)
            continue
        for cadre_id in sorted(cadre_ids):
            cadre = s.get(Cadre, cadre_id)
            if cadre is not None:
                check_record(s, cadre, record)


def _decides(item: ChangeItem) -> bool:
    """Whether taking back this plan row's change would approve, return or undo a decision."""
    before, after = (json.loads(x) if x is not None else None for x in (item.before, item.after))
    decided = ("approved", "returned")
    if before is None or after is None:
        only = before if before is not None else after
        return only is not None and only["state"] in decided
    changed = any(before.get(k) != after.get(k) for k in ("state", "decided_by", "decided_at", "reason"))
    return changed and bool({before["state"], after["state"]} & set(decided))
