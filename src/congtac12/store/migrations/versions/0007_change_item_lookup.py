"""Schema 7: the history's lookup of one row in one change by an index (issue 20).

Each write to an audited table on PostgreSQL looks up the item of that row in
its change (``congtac12_audit``, ``pg_history``) by ``change_id``, ``entity``
and ``entity_key``. With ``change_id`` alone indexed, the plan walked every
item of the change written so far, so one large change, an import of 100,000
visits, took time growing with the square of its rows. ``ix_change_item_lookup``
on the three, ``change_id`` first, finds the item directly and serves every
lookup by ``change_id`` alone (``undo``, ``history``, the foreign key), so it
replaces ``ix_change_item_change_id``: no index left that a plan could walk the
change by, and as many indexes to keep up as before (an import on SQLite, whose
history is written without the lookup, costs the same).

Not unique: the program writes one item per row and change, but a record kept
since schema 2 is not refused its upgrade for an item written otherwise.
"""

from alembic import op

# Named here as written then (models.IX_CHANGE_ITEM_LOOKUP): a revision does not change with the models.
IX_CHANGE_ITEM_LOOKUP = "ix_change_item_lookup"

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_index(IX_CHANGE_ITEM_LOOKUP, "change_item", ["change_id", "entity", "entity_key"])
    op.drop_index("ix_change_item_change_id", table_name="change_item")


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
