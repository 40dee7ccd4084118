"""Schema 3: service periods and leave (issue 6), reminders sent (issue 5).

cadre.joined and cadre."left" (the service period), the table leave, and the
table reminder_sent that keeps remind --email to one reminder a day.

Databases made by congtac12 builds between schema 1 and this revision already
hold some of these (those builds created missing tables and columns without a
revision) while still saying schema 1: each step checks before it adds.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    columns = {c["name"] for c in inspector.get_columns("cadre")}
    if "joined" not in columns:
        op.add_column("cadre", sa.Column("joined", sa.Date(), nullable=True))
    if "left" not in columns:
        op.add_column("cadre", sa.Column("left", sa.Date(), nullable=True))
    tables = set(inspector.get_table_names())
    if "leave" not in tables:
        op.create_table(
            "leave",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("cadre_id", sa.Integer(), nullable=False),
            sa.Column("start", sa.Date(), nullable=False),
            sa.Column("end", sa.Date(), nullable=False),
            sa.Column("reason", sa.String(length=16), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"]),
        )
        op.create_index("ix_leave_cadre_start", "leave", ["cadre_id", "start"])
    if "reminder_sent" not in tables:
        op.create_table(
            "reminder_sent",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("visit_id", sa.Integer(), nullable=False),
            sa.Column("state", sa.String(length=16), nullable=False),
            sa.Column("sent_on", sa.Date(), nullable=False),
            sa.Column("channel", sa.String(length=16), nullable=False),
            sa.Column("recipient", sa.String(length=254), nullable=False),
            sa.Column("sent_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
            sa.UniqueConstraint("visit_id", "state", "sent_on", "channel", "recipient", name="uq_reminder_once_a_day"),
        )


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
