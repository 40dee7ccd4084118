"""Schema 6: plan reminders mailed once a day (issue 21).

``reminder_sent`` records a plan's reminder too: ``plan_id`` (a plan, deleted
with it), ``visit_id`` no longer required, exactly one of the two set
(``ck_reminder_of_one``), and once a day per plan as per visit
(``uq_plan_reminder_once_a_day``: a NULL never equals another, so each column
has its own constraint). The rows already there (a visit's report, to its
cadre or in a digest) keep their shape.

SQLite cannot change a column or add a CHECK in place: the table is copied
(batch mode, one transaction), and its year triggers (schema 4), dropped with
the old table, are made again.
"""

import sqlalchemy as sa
from alembic import op

from congtac12.dates import FIRST_DAY, LAST_DAY
from congtac12.store import constraints as c
from congtac12.store.models import CK_REMINDER_OF_ONE, REMINDER_OF_ONE

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("reminder_sent", recreate="auto") as batch:
        batch.alter_column("visit_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_reminder_sent_plan_id_plan", "plan", ["plan_id"], ["id"], ondelete="CASCADE")
        batch.create_unique_constraint(
            "uq_plan_reminder_once_a_day", ["plan_id", "state", "sent_on", "channel", "recipient"]
        )
        batch.create_check_constraint(CK_REMINDER_OF_ONE, sa.text(REMINDER_OF_ONE))
    if conn.dialect.name != "postgresql":
        lo, hi = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
        col = "sent_on"
        bad = (
            f'(NEW."{col}" IS NOT NULL AND (NEW."{col}" < \'{lo}\' OR NEW."{col}" > \'{hi}\' '
            f'OR date(NEW."{col}") IS NOT NEW."{col}"))'
        )
        for event in ("INSERT", "UPDATE"):
            on = event.lower()
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS ck_reminder_sent_years_{on}")
            conn.exec_driver_sql(
                f'CREATE TRIGGER ck_reminder_sent_years_{on} BEFORE {event} ON "reminder_sent" '
                f"WHEN {bad} BEGIN SELECT RAISE(ABORT, '{c.TAG_YEARS}'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
