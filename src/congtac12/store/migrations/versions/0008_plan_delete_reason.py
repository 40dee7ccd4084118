"""Schema 8: the database says why a cadre cannot delete its own plan once it is sent (issue 20's leftovers).

On PostgreSQL a cadre login deletes only through ``congtac12_delete_own``
(``store/pg_history.py``): its own visit, report, leave or draft plan. Until
schema 7 the function refused a cadre's own plan that was submitted, approved
or returned as it refuses another cadre's row ("plan 2 is not this login's
cadre's"), which is untrue, and what a psql user or a command that lost a race
with the office was told. Now it says what the command says on either backend:
the plan's state, and that only a draft plan can be deleted. Another cadre's
plan, or one that does not exist, is refused as before, and its state is not
told.

The function is written here as schema 8 has it (a revision does not change when
the code does; ``pg_history.install``, run after every upgrade, writes the
current one). ``CREATE OR REPLACE`` keeps the grants ``org init`` gave (EXECUTE
to the cadres' role); a database without the function yet (made before the
database wrote its history) gets it from ``install``. SQLite has no such
function: there the schema changes in its version alone.
"""

from alembic import op

revision = "0008"
down_revision = "0007"

DELETE_OWN = (
    "CREATE OR REPLACE FUNCTION {s}.congtac12_delete_own(p_table text, p_id bigint) RETURNS void "
    "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp AS $$ "
    "DECLARE me integer := {s}.congtac12_login_cadre(); n integer; st text; "
    "BEGIN "
    "  IF p_table = 'visit' THEN DELETE FROM {s}.visit t WHERE t.id = p_id AND t.cadre_id = me; "
    "  ELSIF p_table = 'leave' THEN DELETE FROM {s}.leave t WHERE t.id = p_id AND t.cadre_id = me; "
    "  ELSIF p_table = 'plan' THEN DELETE FROM {s}.plan t WHERE t.id = p_id AND t.cadre_id = me AND t.state = 'draft'; "
    "  ELSIF p_table = 'report' THEN DELETE FROM {s}.report t USING {s}.visit v "
    "    WHERE t.id = p_id AND v.id = t.visit_id AND v.cadre_id = me; "
    "  ELSE "
    "    RAISE EXCEPTION 'permission denied: a cadre login deletes no % row', p_table USING ERRCODE = '42501'; "
    "  END IF; "
    "  GET DIAGNOSTICS n = ROW_COUNT; "
    "  IF n = 0 THEN "
    "    IF p_table = 'plan' THEN "
    "      SELECT t.state INTO st FROM {s}.plan t WHERE t.id = p_id AND t.cadre_id = me; "
    "      IF st IS NOT NULL THEN "
    "        RAISE EXCEPTION 'permission denied: plan % is in state %; only a draft plan can be deleted', p_id, st "
    "          USING ERRCODE = '42501'; "
    "      END IF; "
    "    END IF; "
    "    RAISE EXCEPTION 'permission denied: % % is not this login''s cadre''s', p_table, p_id "
    "      USING ERRCODE = '42501'; "
    "  END IF; "
    "END $$"
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    if not conn.exec_driver_sql("SELECT to_regprocedure('congtac12_delete_own(text, bigint)') IS NOT NULL").scalar():
        return
    schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
    s = '"' + schema.replace('"', '""') + '"'
    # psycopg's placeholders: a literal % doubled.
    conn.exec_driver_sql(DELETE_OWN.format(s=s).replace("%", "%%"))


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
