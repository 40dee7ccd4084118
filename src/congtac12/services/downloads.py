"""Files a front end hands over whole: the status sheet (xlsx or csv), as ``status --format`` writes it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from congtac12.store.location import PgUrl

Notify = Callable[[str], None]
SHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def status_sheet_file(target: Path | PgUrl, *, as_of: date, fmt: str, notify: Notify | None = None) -> bytes:
    """The bytes of the file ``status --as-of AS_OF --format FMT --out …`` writes: one row per cadre."""
    from congtac12.exchange import files
    from congtac12.render.sheet import status_sheet
    from congtac12.services.status import status_of

    found = status_of(target, as_of=as_of, notify=notify)
    sheet = status_sheet(found.evaluation)
    with tempfile.TemporaryDirectory(prefix="congtac12-") as folder:
        path = Path(folder) / f"status.{fmt}"
        if fmt == "xlsx":
            files.write_xlsx(path, [sheet])
        else:
            files.write_csv(path, sheet, headers="header")
        return path.read_bytes()
