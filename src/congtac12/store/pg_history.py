"""The history written by the database itself, on PostgreSQL (issue 15).

On SQLite the program is the only writer, and ``audit`` records each change
from the ORM's session events. A PostgreSQL database is shared: a login may
write through psql as well as through congtac12, so there the database writes
the history. ``install`` (run when the schema is made or upgraded, by
``db copy`` once the rows are in, and by ``org init``) sets up, idempotently:

- a trigger ``congtac12_audit`` AFTER INSERT, UPDATE or DELETE on every audited
  table (``audit.AUDITED``), FOR EACH ROW, that appends the row's "before" and
  "after" (JSON in the same shape as ``audit.row_of``) to the change of the
  current transaction, making that change on first use: one ``change`` per
  transaction (``congtac12_change_tx`` maps ``pg_current_xact_id()`` to it),
  with ``who = session_user`` and ``at`` the transaction's start in UTC.
  Touching a row twice in one transaction keeps one item (the first "before",
  the last "after"), and an item whose "before" equals its "after" is dropped,
  as ``audit`` does on SQLite; a change left without items is removed;
- ``congtac12_describe(action, summary, undoes)``, with which a command names
  the change of its own transaction (a change made outside congtac12 stays
  ``sql`` / "changed outside congtac12"); it cannot touch any other change;
- ``congtac12_delete_own(table, id)``, the only way a cadre login deletes a row
  (it has no DELETE grant, so it cannot ``LOCK TABLE`` either; see ``org``):
  its own visit, report, leave or draft plan, else refused: its own plan that is no longer a
  draft with that reason (schema 8), anything else as not its cadre's.

Every function of ours runs with a fixed ``search_path`` (``pg_catalog,
<schema>, pg_temp``: the temporary schema last, so that a temporary table
cannot shadow a catalog or a table of ours) and names every object with its
schema; the trigger's function may not be called by any login. Logins get no INSERT, UPDATE or DELETE on ``change``
and ``change_item`` (``org``): every entry there was written by this trigger
(or copied as it was by the owner, with ``db copy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

# Bumped when a statement below changes: a database with another version is set up again.
VERSION = "congtac12 history 3"
TX_TABLE = "congtac12_change_tx"
DESCRIBE = "congtac12_describe"
DELETE_OWN = "congtac12_delete_own"
OUTSIDE_ACTION = "sql"
OUTSIDE_SUMMARY = "changed outside congtac12"
# What a cadre login may delete, and how the row is tied to its cadre.
OWN_DELETES = {
    "visit": "DELETE FROM {s}.visit t WHERE t.id = p_id AND t.cadre_id = me",
    "leave": "DELETE FROM {s}.leave t WHERE t.id = p_id AND t.cadre_id = me",
    "plan": "DELETE FROM {s}.plan t WHERE t.id = p_id AND t.cadre_id = me AND t.state = 'draft'",
    "report": (
        "DELETE FROM {s}.report t USING {s}.visit v WHERE t.id = p_id AND v.id = t.visit_id AND v.cadre_id = me"
    ),
}


# A cadre deleting its own plan that was sent to the office (``%``: the plan's id, its state); the
# command's own refusal says the same (``store.plans.delete_plan``). Migration 0008 wrote it first.
PLAN_NOT_DRAFT = "permission denied: plan % is in state %; only a draft plan can be deleted"


# The timestamp ``v`` as JSON text, as Python's ``isoformat(sep=" ")`` writes it (microseconds only when any).
_STAMP = (
    "pg_catalog.to_jsonb(pg_catalog.to_char(v, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN "
    "pg_catalog.date_part('microseconds', v)::bigint % 1000000 <> 0 THEN pg_catalog.to_char(v, '.US') ELSE '' END)"
)


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def schema_of(conn: Connection) -> str:
    return _quote(conn, str(conn.exec_driver_sql("SELECT current_schema()").scalar_one()))


# Each audited table: its key column, its timestamp columns, the columns the history leaves out
# (``audit.trigger_columns``, given by the caller: this module imports none of ours).
Audited = dict[str, tuple[str, list[str], list[str]]]


def statements(conn: Connection, audited: Audited) -> list[str]:
    s = schema_of(conn)
    path = f"SET search_path = pg_catalog, {s}, pg_temp"
    out = [
        f"CREATE TABLE IF NOT EXISTS {s}.{TX_TABLE} ("
        f"txid xid8 PRIMARY KEY, change_id integer NOT NULL UNIQUE REFERENCES {s}.change(id) ON DELETE CASCADE)",
        f"REVOKE ALL ON {s}.{TX_TABLE} FROM PUBLIC",
        # One function, no helpers to call: the rows as JSON, timestamps as Python's isoformat(sep=" ")
        # writes them (audit.row_of); the change of this transaction, made on first use; the item.
        f"CREATE OR REPLACE FUNCTION {s}.congtac12_audit() RETURNS trigger "
        f"LANGUAGE plpgsql SECURITY DEFINER {path} AS $$ "
        "DECLARE b jsonb; a jsonb; k text; e text := TG_TABLE_NAME; cid integer; old_id integer; old_before text; "
        "c text; v timestamp; "
        "BEGIN "
        "  IF TG_OP <> 'INSERT' THEN b := pg_catalog.to_jsonb(OLD); END IF; "
        "  IF TG_OP <> 'DELETE' THEN a := pg_catalog.to_jsonb(NEW); END IF; "
        "  IF TG_ARGV[2] <> '' THEN "
        "    b := b - pg_catalog.string_to_array(TG_ARGV[2], ','); a := a - pg_catalog.string_to_array(TG_ARGV[2], ','); "
        "  END IF; "
        "  FOREACH c IN ARRAY pg_catalog.string_to_array(TG_ARGV[1], ',') LOOP "
        "    IF b ->> c IS NOT NULL THEN "
        f"      v := (b ->> c)::timestamp; b := pg_catalog.jsonb_set(b, ARRAY[c], {_STAMP}); "
        "    END IF; "
        "    IF a ->> c IS NOT NULL THEN "
        f"      v := (a ->> c)::timestamp; a := pg_catalog.jsonb_set(a, ARRAY[c], {_STAMP}); "
        "    END IF; "
        "  END LOOP; "
        "  IF b IS NOT DISTINCT FROM a THEN RETURN NULL; END IF; "
        "  k := coalesce(a, b) ->> TG_ARGV[0]; "
        f"  SELECT t.change_id INTO cid FROM {s}.{TX_TABLE} t WHERE t.txid = pg_catalog.pg_current_xact_id(); "
        "  IF cid IS NULL THEN "
        f"    INSERT INTO {s}.change (at, who, action, summary) VALUES ("
        "      pg_catalog.date_trunc('second', pg_catalog.now() AT TIME ZONE 'UTC'), "
        "      pg_catalog.left(session_user::text, 64), "
        f"      '{OUTSIDE_ACTION}', '{OUTSIDE_SUMMARY}') RETURNING id INTO cid; "
        f"    INSERT INTO {s}.{TX_TABLE} (txid, change_id) VALUES (pg_catalog.pg_current_xact_id(), cid); "
        "  END IF; "
        # By ix_change_item_lookup (schema 7), on all three columns: ``e`` is TG_TABLE_NAME as text of
        # the default collation (a ``name`` is of collation "C", and no index of entity serves it); a plan
        # that walks the change's items makes one large change (an import) take time in n².
        f"  SELECT i.id, i.before INTO old_id, old_before FROM {s}.change_item i "
        "    WHERE i.change_id = cid AND i.entity = e AND i.entity_key = k; "
        "  IF old_id IS NULL THEN "
        f"    INSERT INTO {s}.change_item (change_id, entity, entity_key, before, after) "
        "      VALUES (cid, e, k, b::text, a::text); "
        "  ELSIF old_before::jsonb IS NOT DISTINCT FROM a THEN "
        f"    DELETE FROM {s}.change_item WHERE id = old_id; "
        f"    IF NOT EXISTS (SELECT 1 FROM {s}.change_item WHERE change_id = cid) THEN "
        f"      DELETE FROM {s}.change WHERE id = cid; "  # its congtac12_change_tx row goes with it
        "    END IF; "
        "  ELSE "
        f"    UPDATE {s}.change_item SET after = a::text WHERE id = old_id; "
        "  END IF; "
        "  RETURN NULL; "
        "END $$",
        # A command names its own transaction's change; nothing else.
        f"CREATE OR REPLACE FUNCTION {s}.{DESCRIBE}(p_action text, p_summary text, p_undoes integer) "
        f"RETURNS integer LANGUAGE plpgsql SECURITY DEFINER {path} AS $$ "
        "DECLARE cid integer; "
        "BEGIN "
        f"  SELECT t.change_id INTO cid FROM {s}.{TX_TABLE} t "
        "    WHERE t.txid = pg_catalog.pg_current_xact_id_if_assigned(); "
        "  IF cid IS NULL THEN RETURN NULL; END IF; "
        "  IF p_undoes IS NOT NULL AND p_undoes >= cid THEN "
        "    RAISE EXCEPTION 'change #% cannot undo change #%', cid, p_undoes USING ERRCODE = '22023'; "
        "  END IF; "
        f"  UPDATE {s}.change SET action = pg_catalog.left(p_action, 32), "
        "    summary = pg_catalog.left(p_summary, 1000), undoes = p_undoes WHERE id = cid; "
        "  RETURN cid; "
        "END $$",
        _delete_own(s, path),
        f"REVOKE ALL ON FUNCTION {s}.{DELETE_OWN}(text, bigint) FROM PUBLIC",  # org init grants it to cadres
        f"COMMENT ON FUNCTION {s}.{DESCRIBE}(text, text, integer) IS '{VERSION}'",
        f"DROP TRIGGER IF EXISTS congtac12_change_who ON {s}.change",
        f"DROP FUNCTION IF EXISTS {s}.congtac12_change_who()",
    ]
    out.append(f"REVOKE ALL ON FUNCTION {s}.congtac12_audit() FROM PUBLIC")
    for table, (key, stamps, left_out) in audited.items():
        t = f"{s}.{_quote(conn, table)}"
        args = ", ".join(f"'{a}'" for a in (key, ",".join(stamps), ",".join(left_out)))
        out.append(f"DROP TRIGGER IF EXISTS congtac12_audit ON {t}")
        out.append(
            f"CREATE TRIGGER congtac12_audit AFTER INSERT OR UPDATE OR DELETE ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION {s}.congtac12_audit({args})"
        )
    return out


def _delete_own(s: str, path: str) -> str:
    branches = " ".join(
        f"{'IF' if i == 0 else 'ELSIF'} p_table = '{table}' THEN {sql.format(s=s)}; "
        for i, (table, sql) in enumerate(OWN_DELETES.items())
    )
    return (
        f"CREATE OR REPLACE FUNCTION {s}.{DELETE_OWN}(p_table text, p_id bigint) RETURNS void "
        f"LANGUAGE plpgsql SECURITY DEFINER {path} AS $$ "
        f"DECLARE me integer := {s}.congtac12_login_cadre(); n integer; st text; "
        "BEGIN "
        f"  {branches} ELSE "
        "    RAISE EXCEPTION 'permission denied: a cadre login deletes no % row', p_table USING ERRCODE = '42501'; "
        "  END IF; "
        "  GET DIAGNOSTICS n = ROW_COUNT; "
        "  IF n = 0 THEN "
        # Its own plan, no longer a draft (schema 8): say so, as the command does, not that it is another's.
        # Another cadre's plan, or none, is not described: its state is not this login's to learn.
        "    IF p_table = 'plan' THEN "
        f"      SELECT t.state INTO st FROM {s}.plan t WHERE t.id = p_id AND t.cadre_id = me; "
        "      IF st IS NOT NULL THEN "
        f"        RAISE EXCEPTION '{PLAN_NOT_DRAFT}', p_id, st USING ERRCODE = '42501'; "
        "      END IF; "
        "    END IF; "
        "    RAISE EXCEPTION 'permission denied: % % is not this login''s cadre''s', p_table, p_id "
        "      USING ERRCODE = '42501'; "
        "  END IF; "
        "END $$"
    )


def install(conn: Connection, audited: Audited) -> None:
    """Set up (again) the history triggers and functions, in the connection's transaction."""
    for statement in statements(conn, audited):
        conn.exec_driver_sql(statement.replace("%", "%%"))  # psycopg's placeholders: a literal % doubled


def login_cadre_function(s: str) -> str:
    """The cadre of ``session_user`` (None for a login tied to none); ``org init`` makes it."""
    return (
        f"CREATE OR REPLACE FUNCTION {s}.congtac12_login_cadre() RETURNS integer LANGUAGE sql STABLE "
        f"SET search_path = pg_catalog, {s}, pg_temp "
        f"AS $$ SELECT cadre_id FROM {s}.org_login WHERE login = session_user $$"
    )


# Whether the database writes the history, as this version does (also read with the driver alone: the import).
INSTALLED_SQL = (
    f"SELECT obj_description(to_regprocedure('{DESCRIBE}(text, text, integer)'), 'pg_proc') = '{VERSION}' AND "
    "EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'congtac12_audit' AND tgrelid = to_regclass('visit'))"
)


def installed(conn: Connection) -> bool:
    """Whether the database writes the history, as this version does (not before ``db upgrade`` or ``org init``)."""
    return bool(conn.exec_driver_sql(INSTALLED_SQL).scalar())


def written_by_database(conn: Connection, change_id: int) -> bool:
    """Whether the triggers wrote change ``change_id`` (not copied in, not written by an older congtac12)."""
    s = schema_of(conn)
    return bool(
        conn.exec_driver_sql(
            f"SELECT EXISTS (SELECT 1 FROM {s}.{TX_TABLE} WHERE change_id = %(id)s)", {"id": change_id}
        ).scalar()
    )
