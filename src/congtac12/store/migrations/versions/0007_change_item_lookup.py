"""Schema 7: the history's lookup of one row in one change by an index (issue 20).

Each write to an audited table on PostgreSQL looks up the item of that row in
its change (``congtac12_audit``, ``pg_history``) by ``entity``, ``entity_key``
and ``change_id``. With no index on the three, the plan walked every item of
the change written so far (by ``ix_change_item_change_id``), so one large
change, an import of 100,000 visits, took time growing with the square of its
rows. ``ix_change_item_row`` on the three, ``change_id`` last, finds the item
directly and serves every lookup of a row's history (``entity``,
``entity_key``) as well, so it replaces ``ix_change_item_entity``: as many
indexes to keep up as before, and an integer more in one of them (an import on
SQLite, whose history is written without the lookup, costs the same).

Not unique: the program writes one item per row and change, but a record kept
since schema 2 is not refused its upgrade for an item written otherwise.
"""

from alembic import op

from congtac12.store.models import IX_CHANGE_ITEM_ROW

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_index(IX_CHANGE_ITEM_ROW, "change_item", ["entity", "entity_key", "change_id"])
    op.drop_index("ix_change_item_entity", table_name="change_item")


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
