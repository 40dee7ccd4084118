"""Import files all or nothing, in the caller's one transaction.

Export reads each table of ``exchange.spec.TABLES`` with plain SQL (``store.read.exchange``):
rows of typed values, ordered by natural keys (never by database ids), so that the same records
give the same file whatever database holds them. It holds everything the record needs to be
rebuilt: the settings that change figures (language, policy), units with their parents, cadres
with their service period and whether they are active, leave, every visit (the deleted ones
marked), every report and every plan in its recorded state (with the visit that fulfils it). The
history of changes stays in the database.

Import (``store.importer``) checks every row of every table before it writes
anything, then writes the new rows in bulk (``store.import_write``), on a DB-API connection
(``store.write``) with none of SQLAlchemy, SQLModel or Alembic loaded.

Adding a table: a ``spec.Table``, an ``export_<name>`` function in ``store.read.exchange``, a
``_check_<name>`` method in ``importer`` and its part of ``import_write``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from congtac12.exchange.files import SourceTable
from congtac12.store.importer import ImportResult, Progress, TableCount, check_import

if TYPE_CHECKING:
    from congtac12.store.write.connect import Writer

__all__ = ["ImportResult", "Progress", "TableCount", "import_tables"]

# --- import -------------------------------------------------------------------


def import_tables(
    db: Writer,
    sources: Sequence[SourceTable],
    *,
    today: date,
    progress: Progress | None = None,
    write: bool = True,
) -> ImportResult:
    """Check every row of ``sources``, then (``write``) add the new ones, on the DB-API connection
    ``db`` (``store.write.connect.writing``): no ORM.

        Raises ``errors.ManyErrors`` listing every independent error (see ``importer``); then
        nothing is written.
    """
    from congtac12.store import import_write

    job = check_import(db, sources, today=today, progress=progress)
    if write and job.has_new():
        import_write.write(job)
    return ImportResult(job.counts, job.ignored, written=write)
