"""Schema 5: plans (đăng ký), issue 21; see ``store/constraints.py`` for the rules.

The table ``plan``: one cadre's intended trip to one unit, dated (first to
last day) or for a month (``days`` days in it), with its recorded state
(draft, submitted, approved, returned), the reason it was returned, who
decided, and the visit that fulfils it. A new table, so SQLite takes its CHECK
constraints in place; their date arithmetic is each backend's own. A linked
visit must be the plan's own cadre's: a trigger on each backend (a CHECK
cannot look at another table).
"""

import sqlalchemy as sa
from alembic import op

from congtac12.dates import FIRST_DAY, LAST_DAY
from congtac12.domain.states import PLAN_RECORDED_STATES
from congtac12.domain.vocab import KINDS
from congtac12.store import constraints as c

revision = "0005"
down_revision = "0004"


def _checks(dialect: str) -> list[sa.CheckConstraint]:
    lo, hi = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
    states = ", ".join(f"'{s}'" for s in PLAN_RECORDED_STATES)
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    if dialect == "postgresql":
        years = f"start >= DATE '{lo}' AND \"end\" <= DATE '{hi}'"
        length = '"end" - start + 1'
        month = "EXTRACT(DAY FROM start) = 1 AND \"end\" = (start + INTERVAL '1 month' - INTERVAL '1 day')::date"
    else:
        years = f'start >= \'{lo}\' AND "end" <= \'{hi}\' AND date(start) IS start AND date("end") IS "end"'
        length = 'CAST(julianday("end") - julianday(start) AS INTEGER) + 1'
        month = "strftime('%d', start) = '01' AND \"end\" = date(start, '+1 month', '-1 day')"
    rules = {
        c.CK_PLAN_YEARS: years,
        c.CK_PLAN_ORDER: '"end" >= start',
        c.CK_PLAN_LENGTH: f"days IS NOT NULL OR {length} <= 366",
        c.CK_PLAN_MONTH: f"days IS NULL OR (days >= 1 AND {month} AND days <= {length})",
        c.CK_PLAN_STATE: f"state IN ({states})",
        c.CK_PLAN_KIND: f"kind IN ({kinds})",
        c.CK_PLAN_REASON: "state <> 'returned' OR (reason IS NOT NULL AND reason <> '')",
        c.CK_PLAN_DECIDED: "state NOT IN ('approved', 'returned') OR decided_by IS NOT NULL",
        c.CK_PLAN_VISIT: "visit_id IS NULL OR state = 'approved'",
    }
    return [sa.CheckConstraint(sql, name=name) for name, sql in rules.items()]


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=500), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.UniqueConstraint("visit_id"),
        *_checks(dialect),
    )
    op.create_index("ix_plan_cadre_start", "plan", ["cadre_id", "start"])
    op.create_index("ix_plan_unit_start", "plan", ["unit_id", "start"])
    run = conn.exec_driver_sql
    other = "EXISTS (SELECT 1 FROM visit v WHERE v.id = NEW.visit_id AND v.cadre_id <> NEW.cadre_id)"
    if dialect == "postgresql":
        schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
        path = 'pg_catalog, "' + schema.replace('"', '""') + '", pg_temp'
        run(
            "CREATE FUNCTION congtac12_plan_visit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            f"SET search_path = {path} AS $body$ BEGIN "
            f"IF NEW.visit_id IS NOT NULL AND {other} THEN "
            f"RAISE EXCEPTION '{c.TAG_PLAN_VISIT}' USING ERRCODE = 'check_violation'; END IF; "
            "RETURN NEW; END $body$"
        )
        run("REVOKE ALL ON FUNCTION congtac12_plan_visit() FROM PUBLIC")
        run(
            "CREATE TRIGGER plan_visit_of_its_cadre BEFORE INSERT OR UPDATE OF visit_id, cadre_id ON plan "
            "FOR EACH ROW EXECUTE FUNCTION congtac12_plan_visit()"
        )
    else:
        for event, on in (("INSERT", "insert"), ("UPDATE OF visit_id, cadre_id", "update")):
            run(
                f"CREATE TRIGGER plan_visit_of_its_cadre_{on} BEFORE {event} ON plan "
                f"WHEN NEW.visit_id IS NOT NULL AND {other} "
                f"BEGIN SELECT RAISE(ABORT, '{c.TAG_PLAN_VISIT}'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
