"""Who this login is and whose reminders it sends, with the driver alone (organisation mode).

The two statements, the ``Rights`` they give and the reminder scope are here, free of the ORM,
so that ``remind`` reads them through ``store.read``; ``store.rights`` (the ORM session's checks)
runs the same statements and uses the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from congtac12.errors import NotAllowed
from congtac12.i18n import _

if TYPE_CHECKING:
    from congtac12.store.read.connect import Reader

ADMIN_ROLE = "congtac12_admin"
CADRE_ROLE = "congtac12_cadre"
LOGIN_TABLE = "org_login"

# Who this login is: two small statements of driver SQL.
RIGHTS_SQL = (
    f"SELECT session_user::text, to_regclass('{LOGIN_TABLE}') IS NOT NULL, "
    "pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c WHERE c.oid = 'cadre'::regclass"
)
LOGIN_CADRE_SQL = (
    f"SELECT pg_has_role(session_user, '{ADMIN_ROLE}', 'USAGE'), l.cadre_id, c.code, c.name "
    f"FROM (SELECT 1) one LEFT JOIN {LOGIN_TABLE} l ON l.login = session_user "
    "LEFT JOIN cadre c ON c.id = l.cadre_id"
)


@dataclass(frozen=True)
class Rights:
    login: str
    everything: bool  # the owner, a superuser, an administrator, or no organisation set up
    cadre_id: int | None = None
    cadre_code: str | None = None
    cadre_name: str | None = None


def rights_with(one: Callable[[str], Any]) -> Rights:
    """A login's rights from ``one``, which runs a statement and returns its one row."""
    login, org, owner = one(RIGHTS_SQL)
    if not org or owner:
        return Rights(login, True)
    row = one(LOGIN_CADRE_SQL)
    return Rights(login, bool(row[0]), row[1], row[2], row[3])


def not_tied(r: Rights) -> NotAllowed:
    return NotAllowed(
        _(
            "login {login} is not tied to a cadre in this database, so it may change nothing (the owner "
            "ties it with 'congtac12 org grant --cadre CODE --login {login}'); nothing was written"
        ).format(login=r.login)
    )


def refuse_record(r: Rights, cadre_id: int, code: str, name: str, record: str) -> None:
    """Refuse, before the database does, a write on another cadre's ``record`` ("visit 12")."""
    if r.everything or r.cadre_id == cadre_id:
        return
    if r.cadre_id is None:
        raise not_tied(r)
    raise NotAllowed(
        _("{record} is {code}'s ({name}); login {login} may change only {own}'s records; nothing was written").format(
            record=record, code=code, name=name, login=r.login, own=r.cadre_code
        )
    )


def refuse_admin(r: Rights, what: str) -> None:
    """Refuse, before the database does, a write that only an administrator may make (cadres, units…)."""
    if r.everything:
        return
    if r.cadre_id is None:
        raise not_tied(r)
    raise NotAllowed(
        _(
            "{what} may be changed only by an administrator login; login {login} is {own}'s and may "
            "change only {own}'s visits, reports and leave; nothing was written"
        ).format(what=what, login=r.login, own=r.cadre_code)
    )


def scope_of(r: Rights, *, digest: bool) -> str | None:
    """Whose reminders this login sends and records: None for every cadre's (and the digest), else the code
    of its own cadre; the department's digest is an administrator's (the database refuses the rest)."""
    if r.everything:
        return None
    if r.cadre_id is None:
        raise not_tied(r)
    if digest:
        raise NotAllowed(
            _(
                "the department's digest is sent by an administrator login; login {login} is {own}'s and "
                "sends only {own}'s own reminders (leave out --summary-to); nothing was sent"
            ).format(login=r.login, own=r.cadre_code)
        )
    return r.cadre_code


def reminder_scope(r: Reader, *, digest: bool) -> str | None:
    """``store.commands.reminder_scope``'s twin: None on SQLite, else ``scope_of`` this login."""
    if not r.postgres:
        return None
    return scope_of(rights_with(lambda sql: r.rows(sql)[0]), digest=digest)
