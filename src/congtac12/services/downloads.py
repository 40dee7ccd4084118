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
DOCUMENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
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


def status_document(target: Path | PgUrl, *, as_of: date, fmt: str, notify: Notify | None = None) -> bytes:
    """The bytes of ``status --as-of AS_OF --html|--pdf|--docx``: the report page, printed, or the Word report."""
    from congtac12.services.documents import issuer_of
    from congtac12.services.status import status_of

    if fmt == "pdf":
        from congtac12.services.documents import find_browser

        find_browser()  # no browser: refused before any counting
    elif fmt == "docx":
        from congtac12.render.docx import require

        require()
    found = status_of(target, as_of=as_of, notify=notify)
    issuer = issuer_of(target)
    if fmt == "docx":
        from congtac12.render.docx import status_report

        return status_report(found.evaluation, agency=issuer.agency, place=issuer.place)
    from congtac12.render.page import status_page

    page = status_page(found, agency=issuer.agency)
    if fmt == "pdf":
        from congtac12.services.documents import print_pdf

        return print_pdf(page)
    return page.encode("utf-8")
