"""Schema 2: soft deletes and the audit trail (issue 4).

visit.deleted_at and report.deleted_at (delete-visit / restore-visit),
cadre.deactivated_at (cadre delete / cadre restore), and the tables change and
change_item that record every change with its before and after.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    # Nullable columns: SQLite adds them in place (no table rebuild), so the
    # upgrade takes milliseconds whatever the size of the database.
    op.add_column("cadre", sa.Column("deactivated_at", sa.DateTime(), nullable=True))
    op.add_column("visit", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.add_column("report", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["undoes"], ["change.id"]),
    )
    op.create_table(
        "change_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_key", sa.String(length=256), nullable=False),
        sa.Column("before", sa.String(), nullable=True),
        sa.Column("after", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
    )
    op.create_index("ix_change_item_change_id", "change_item", ["change_id"])
    op.create_index("ix_change_item_entity", "change_item", ["entity", "entity_key"])


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
