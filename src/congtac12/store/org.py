"""Organisation mode's rights: roles, row-level security, and the logins tied to cadres.

PostgreSQL only. ``init`` (run by the database owner) sets up, idempotently
and in one transaction:

- two group roles, cluster-wide (made only when missing): ``congtac12_admin``
  (the organisation department: reads and writes every record) and
  ``congtac12_cadre`` (reads every record, writes only its own visits,
  reports and leave);
- ``org_login(login, cadre_id, admin)``, which ties a login to a cadre (kept
  out of the Alembic schema: it is PostgreSQL rights, not the record), and
  ``congtac12_login_cadre()``, the cadre of ``session_user``;
- the grants, and row-level security on ``visit``, ``report``, ``leave``,
  ``plan`` and ``reminder_sent``: a cadre login inserts and changes only rows of its
  own cadre (a report through its visit), WITH CHECK so that no row moves to
  another cadre, and records only its own reminders, to itself (never the
  department's digest); it deletes through ``congtac12_delete_own`` only;
- on ``plan`` a trigger (``plan_rights``) besides: a cadre login adds and
  submits its own plans, links its visit to an approved one, and never
  approves, returns or changes a decision (an administrator does);
- no login inserts, updates or deletes the history (``change``,
  ``change_item``): the database's triggers write it (``pg_history``), naming
  ``session_user``;
- no table-level UPDATE, DELETE or TRUNCATE for a cadre login anywhere (its
  updates are column grants), so it cannot ``LOCK TABLE`` in any mode stronger
  than ROW EXCLUSIVE, which blocks no reader and no writer.

The database is the guard; ``check_record`` and ``check_admin`` only say
earlier, and in plain words, what it would refuse (``commands`` calls them
on PostgreSQL only).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from congtac12.errors import DatabaseError, InvalidInput, NotAllowed
from congtac12.i18n import _
from congtac12.store.location import PgUrl, Target
from congtac12.store.rights import (
    ADMIN_ROLE,
    CADRE_ROLE,
    LOGIN_TABLE,
    Rights,
    check_admin,
    check_record,
    check_undo,
    deletes_through_function,
    reminder_scope,
    rights,
)

__all__ = [
    "ADMIN_ROLE",
    "CADRE_ROLE",
    "Grant",
    "HISTORY",
    "LOGIN_TABLE",
    "OWN_REMINDERS",
    "OWN_ROWS",
    "PLAN_RIGHTS",
    "Rights",
    "check_admin",
    "check_login",
    "check_record",
    "check_undo",
    "deletes_through_function",
    "grant",
    "init",
    "logins",
    "reminder_scope",
    "require_pg",
    "rights",
]


if TYPE_CHECKING:
    from sqlalchemy import Connection


_LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")

# Rows a cadre login may write: its own (``congtac12_login_cadre()``).
OWN_ROWS = {
    "visit": "cadre_id = {s}.congtac12_login_cadre()",
    "leave": "cadre_id = {s}.congtac12_login_cadre()",
    "report": ("EXISTS (SELECT 1 FROM {s}.visit v WHERE v.id = visit_id AND v.cadre_id = {s}.congtac12_login_cadre())"),
    "plan": "cadre_id = {s}.congtac12_login_cadre()",
}
# What a cadre login may do to its own plans (đăng ký), beyond the row-level policies: add a draft
# or a submitted plan, send a draft or returned one, link its visit to an approved one; never
# approve or return, never change a decision (BEFORE INSERT OR UPDATE on plan, ``plan_rights``).
PLAN_RIGHTS = (
    "IF {s}.congtac12_login_cadre() IS NULL OR pg_catalog.pg_has_role(session_user, '{admin}', 'USAGE') THEN "
    "  RETURN NEW; "
    "END IF; "
    "IF TG_OP = 'UPDATE' AND OLD.state = 'approved' THEN "
    "  IF (pg_catalog.to_jsonb(NEW) - 'visit_id') IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - 'visit_id') THEN "
    "    RAISE EXCEPTION 'permission denied: an approved plan is changed only by an administrator login "
    "(a cadre login records its visit)' USING ERRCODE = '42501'; "
    "  END IF; "
    "  RETURN NEW; "
    "END IF; "
    "IF NEW.state NOT IN ('draft', 'submitted') OR NEW.decided_by IS NOT NULL OR NEW.decided_at IS NOT NULL "
    "   OR NEW.visit_id IS NOT NULL THEN "
    "  RAISE EXCEPTION 'permission denied: only an administrator login approves or returns a plan' "
    "USING ERRCODE = '42501'; "
    "END IF; "
    "IF TG_OP = 'UPDATE' AND OLD.state = 'submitted' AND NEW IS DISTINCT FROM OLD THEN "
    "  RAISE EXCEPTION 'permission denied: a submitted plan awaits the decision of an administrator login' "
    "USING ERRCODE = '42501'; "
    "END IF; "
    "RETURN NEW;"
)
# The reminders a cadre login may record: its own, to itself, never the department's digest.
# A plan's reminder (schema 6) likewise: of its own plan. The CHECK keeps exactly one of the two set.
OWN_REMINDERS = (
    "channel = 'cadre' AND ((visit_id IS NOT NULL AND EXISTS (SELECT 1 FROM {s}.visit v WHERE v.id = visit_id "
    "AND v.cadre_id = {s}.congtac12_login_cadre())) OR (plan_id IS NOT NULL AND EXISTS (SELECT 1 FROM {s}.plan p "
    "WHERE p.id = plan_id AND p.cadre_id = {s}.congtac12_login_cadre()))) AND recipient = "
    "(SELECT c.email FROM {s}.cadre c WHERE c.id = {s}.congtac12_login_cadre())"
)
# Written by the database alone (its triggers and functions): no login inserts, updates or deletes.
HISTORY = ("change", "change_item")


def require_pg(target: Target) -> PgUrl:
    if not isinstance(target, PgUrl):
        raise DatabaseError(
            _(
                "organisation mode needs PostgreSQL; {path} is a SQLite file "
                "(give --db postgresql://OWNER@HOST/DATABASE)"
            ).format(path=target)
        )
    return target


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _ensure_role(conn: Connection, name: str, *, login: bool) -> bool:
    """Create a role unless it exists (roles are cluster-wide: another database may be making it now)."""
    from sqlalchemy import exc as sa_exc

    if conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(n)s", {"n": name}).first():
        return False
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(f"CREATE ROLE {_quote(conn, name)} {'LOGIN' if login else 'NOLOGIN'}")
    except sa_exc.DBAPIError as exc:
        # 42710 duplicate_object, 23505 unique_violation: made by another session meanwhile
        if getattr(exc.orig, "sqlstate", None) not in ("42710", "23505"):
            raise
        return False
    return True


def _require_owner(conn: Connection, target: PgUrl) -> None:
    owner, is_owner, login = conn.exec_driver_sql(
        "SELECT pg_get_userbyid(relowner), pg_has_role(session_user, relowner, 'MEMBER'), session_user "
        "FROM pg_class WHERE oid = 'cadre'::regclass"
    ).one()
    if not is_owner:
        raise NotAllowed(
            _(
                "the organisation's rights are set by the owner of {path}'s tables ({owner}); "
                "login {login} is not; nothing was written"
            ).format(path=target, owner=owner, login=login)
        )


def _has_logins(conn: Connection) -> bool:
    return bool(conn.exec_driver_sql(f"SELECT to_regclass('{LOGIN_TABLE}') IS NOT NULL").scalar())


def init(target: PgUrl, *, notify: Callable[[str], None] | None = None) -> None:
    """Set up the roles, grants and policies (again: nothing changes the second time)."""
    from congtac12.store import audit, pg_history, postgres
    from congtac12.store.engine import open_engine, translate_errors

    with translate_errors(target):
        open_engine(target, write=True, notify=notify).dispose()  # the schema, made or upgraded
        with postgres.connection(target) as conn:
            _require_owner(conn, target)
            for role in (ADMIN_ROLE, CADRE_ROLE):
                _ensure_role(conn, role, login=False)
            if not pg_history.installed(conn):  # a database made before the database wrote its history
                pg_history.install(conn, audit.trigger_columns())
            for statement in _statements(conn):
                conn.exec_driver_sql(statement)


def _statements(conn: Connection) -> list[str]:
    from congtac12.store import pg_history

    s = _quote(conn, str(conn.exec_driver_sql("SELECT current_schema()").scalar_one()))
    tables = [
        t
        for (t,) in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    admin, cadre = ADMIN_ROLE, CADRE_ROLE
    out = [
        f"CREATE TABLE IF NOT EXISTS {s}.{LOGIN_TABLE} ("
        f"login text PRIMARY KEY, cadre_id integer NULL REFERENCES {s}.cadre(id), "
        f"admin boolean NOT NULL DEFAULT false)",
        pg_history.login_cadre_function(s),
        f"GRANT USAGE ON SCHEMA {s} TO {admin}, {cadre}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {admin}, {cadre}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {admin}, {cadre}",
        # Tables of a later schema: readable at once (run org init again for the rest).
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT ON TABLES TO {admin}, {cadre}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {admin}, {cadre}",
        # A cadre deletes its own rows through this function only (it has no DELETE grant).
        f"GRANT EXECUTE ON FUNCTION {s}.{pg_history.DELETE_OWN}(text, bigint) TO {cadre}",
    ]
    for table in sorted({*tables, LOGIN_TABLE}):
        t = f"{s}.{_quote(conn, table)}"
        if table in (LOGIN_TABLE, "alembic_version", pg_history.TX_TABLE, *HISTORY):
            out.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {admin}, {cadre}")
        elif table in OWN_ROWS:
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {admin}")
            # No UPDATE, DELETE or TRUNCATE on the table, which would let LOCK TABLE take any mode:
            # INSERT (ROW EXCLUSIVE at most) and UPDATE of its columns; deletes by congtac12_delete_own.
            out.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {cadre}")
            out.append(f"GRANT INSERT ON {t} TO {cadre}")
            columns = ", ".join(_quote(conn, c) for c in _columns(conn, table) if c != "id")
            out.append(f"GRANT UPDATE ({columns}) ON {t} TO {cadre}")
        elif table == "reminder_sent":  # appended, by the cadre for its own reminders only (policy below)
            out.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {admin}, {cadre}")
            out.append(f"GRANT INSERT ON {t} TO {admin}, {cadre}")
        else:  # cadre, unit, setting…: the organisation department's
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {admin}")
            out.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {cadre}")
    guarded = {**OWN_ROWS, "reminder_sent": OWN_REMINDERS}
    for table, own in guarded.items():
        t = f"{s}.{_quote(conn, table)}"
        own = own.format(s=s)
        policies = {
            "congtac12_admin_all": f"TO {admin} USING (true) WITH CHECK (true)",
            "congtac12_cadre_read": f"FOR SELECT TO {cadre} USING (true)",
            "congtac12_cadre_insert": f"FOR INSERT TO {cadre} WITH CHECK ({own})",
        }
        if table in OWN_ROWS:
            policies["congtac12_cadre_update"] = f"FOR UPDATE TO {cadre} USING ({own}) WITH CHECK ({own})"
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        out.append(f"DROP POLICY IF EXISTS congtac12_cadre_delete ON {t}")  # made by an older org init
        for name, body in policies.items():
            out.append(f"DROP POLICY IF EXISTS {name} ON {t}")
            out.append(f"CREATE POLICY {name} ON {t} {body}")
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    out.append(
        f"CREATE OR REPLACE FUNCTION {s}.congtac12_plan_rights() RETURNS trigger LANGUAGE plpgsql "
        f"SECURITY DEFINER {path} AS $$ BEGIN {PLAN_RIGHTS.format(s=s, admin=admin)} END $$"
    )
    out.append(f"REVOKE ALL ON FUNCTION {s}.congtac12_plan_rights() FROM PUBLIC")
    out.append(f"DROP TRIGGER IF EXISTS plan_rights ON {s}.plan")
    out.append(
        f"CREATE TRIGGER plan_rights BEFORE INSERT OR UPDATE ON {s}.plan "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.congtac12_plan_rights()"
    )
    for table in HISTORY:  # an older org init's policies: no login writes there any more
        t = f"{s}.{_quote(conn, table)}"
        for name in ("congtac12_admin_all", "congtac12_cadre_read", "congtac12_cadre_insert"):
            out.append(f"DROP POLICY IF EXISTS {name} ON {t}")
        out.append(f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
    return out


def _columns(conn: Connection, table: str) -> list[str]:
    return [
        c
        for (c,) in conn.exec_driver_sql(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%(t)s) AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            {"t": table},
        )
    ]


# --- logins ---------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    login: str
    cadre_code: str | None
    cadre_name: str | None
    admin: bool
    created: bool  # the login role was made now (it has no password yet)


def check_login(login: str) -> str:
    login = login.strip()
    if not _LOGIN.fullmatch(login) or login.lower().startswith("pg_") or login in (ADMIN_ROLE, CADRE_ROLE):
        raise InvalidInput(
            _(
                "login {login!r} is not valid; accepted: 1 to 63 letters, digits, '_', '.', '@' or '-', "
                "starting with a letter or '_' (not pg_…, not congtac12's own roles)"
            ).format(login=login)
        )
    return login


def _require_init(conn: Connection) -> None:
    if not _has_logins(conn):
        raise NotAllowed(_("organisation mode is not set up in this database; run 'congtac12 org init' first"))


def grant(target: PgUrl, *, login: str, cadre: str | None, admin: bool) -> Grant:
    """Tie ``login`` to a cadre (and/or make it an administrator); makes the login role when missing."""
    from sqlmodel import Session

    from congtac12.store import postgres, queries
    from congtac12.store.engine import open_engine, translate_errors

    login = check_login(login)
    if cadre is None and not admin:
        raise InvalidInput(_("give --cadre CODE (a cadre's login) or --admin (the organisation department's)"))
    with translate_errors(target):
        open_engine(target, write=True).dispose()
        with postgres.connection(target) as conn:
            _require_owner(conn, target)
            _require_init(conn)
            the_cadre = None
            if cadre is not None:
                with Session(bind=conn) as s:
                    the_cadre = queries.find_cadre(s, cadre)
            created = _ensure_role(conn, login, login=True)
            bypasses = conn.exec_driver_sql(
                "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(r.oid, c.relowner, 'MEMBER') "
                "FROM pg_roles r, pg_class c WHERE r.rolname = %(n)s AND c.oid = 'cadre'::regclass",
                {"n": login},
            ).scalar()
            if bypasses and not admin:
                raise NotAllowed(
                    _(
                        "login {login} owns the tables or bypasses row-level security: the database "
                        "could not hold it to one cadre; tie another login"
                    ).format(login=login)
                )
            q = _quote(conn, login)
            conn.exec_driver_sql(f"GRANT {ADMIN_ROLE if admin else CADRE_ROLE} TO {q}")
            if not admin:  # from now on a cadre's login only
                conn.exec_driver_sql(f"REVOKE {ADMIN_ROLE} FROM {q}")
            conn.exec_driver_sql(
                f"INSERT INTO {LOGIN_TABLE} (login, cadre_id, admin) VALUES (%(l)s, %(c)s, %(a)s) "
                "ON CONFLICT (login) DO UPDATE SET cadre_id = excluded.cadre_id, admin = excluded.admin",
                {"l": login, "c": the_cadre.id if the_cadre else None, "a": admin},
            )
    return Grant(login, the_cadre.code if the_cadre else None, the_cadre.name if the_cadre else None, admin, created)


def logins(target: PgUrl) -> list[Grant]:
    from congtac12.store import postgres
    from congtac12.store.engine import open_engine, translate_errors

    with translate_errors(target):
        open_engine(target, write=False).dispose()
        with postgres.connection(target) as conn:
            _require_init(conn)
            rows = conn.exec_driver_sql(
                f"SELECT l.login, c.code, c.name, l.admin FROM {LOGIN_TABLE} l "
                "LEFT JOIN cadre c ON c.id = l.cadre_id ORDER BY l.login"
            ).all()
    return [Grant(login, code, name, admin, False) for login, code, name, admin in rows]
