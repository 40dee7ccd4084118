"""``--html``, ``--pdf`` and ``--docx`` of ``status`` and ``summary``: the documents the office hands up.

Every target is checked before anything is counted (an existing file without ``--force``,
a folder that does not exist, a name no file system holds: one line, nothing written), then
each file is written whole or not at all (``atomic``: a temporary file renamed into place).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NamedTuple

import typer

from congtac12.errors import InvalidInput
from congtac12.i18n import _

HtmlOption = Annotated[
    Path | None, typer.Option("--html", metavar="PATH", help=_("Write the report as a standalone HTML page."))
]
PdfOption = Annotated[
    Path | None,
    typer.Option("--pdf", metavar="PATH", help=_("Write the report page as a PDF (A4), printed by Chromium.")),
]
DocxOption = Annotated[
    Path | None,
    typer.Option("--docx", metavar="PATH", help=_("Write the report as a Word document (needs congtac12[docs]).")),
]


class Outputs(NamedTuple):
    """The documents asked for (a named tuple: read-only, and made at start faster than a frozen
    dataclass, on every ``status`` and ``summary``)."""

    html: Path | None = None
    pdf: Path | None = None
    docx: Path | None = None
    force: bool = False

    @property
    def any(self) -> bool:
        return any(p is not None for p in (self.html, self.pdf, self.docx))

    def check(self) -> None:
        """Refuse, before any counting, a target that could not be written or a missing engine."""
        targets = [p for p in (self.html, self.pdf, self.docx) if p is not None]
        if not targets:
            return  # nothing to write (most runs): the file checks stay unimported
        from congtac12.exchange import files

        for target in targets:
            files.check_target(target, folder=False, force=self.force)
        resolved = [t.resolve() for t in targets]
        if len(set(resolved)) < len(resolved):
            raise InvalidInput(_("--html, --pdf and --docx name the same file; give each its own"))
        if self.pdf is not None:
            from congtac12.services.documents import find_browser

            find_browser()
        if self.docx is not None:
            from congtac12.render.docx import require

            require()

    def write(self, page: Callable[[], str], document: Callable[[], bytes] | None) -> None:
        """Write what was asked: the page, the page as PDF, the Word document."""
        from congtac12.cli.common import console
        from congtac12.exchange import files

        text = page() if self.html is not None or self.pdf is not None else None
        written: list[tuple[Path, bytes]] = []
        if self.pdf is not None and text is not None:
            from congtac12.services.documents import print_pdf

            written.append((self.pdf, print_pdf(text)))  # printed first: a failure writes nothing at all
        if self.docx is not None and document is not None:
            written.append((self.docx, document()))
        if self.html is not None and text is not None:
            written.insert(0, (self.html, text.encode("utf-8")))
        for path, data in written:
            with files.private_file(path, binary=True) as f:
                f.write(data)
            console().print(_("Wrote {path}.").format(path=path), markup=False)
