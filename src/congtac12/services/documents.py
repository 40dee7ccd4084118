"""The documents the office hands up: what they say about the issuer, and the page printed as a PDF.

The page itself (``render.page``) and the Word report (``render.docx``) are built from the
one evaluation; here are the two things they need from outside: the agency's name and
place from the database's settings (``config set agency …``, ``config set place …``), and
a real engine to print the page to PDF.

PDF: Debian's headless Chromium (``chromium --headless --print-to-pdf``) prints the very
page ``--html`` writes, with its A4 print stylesheet, and embeds the fonts it used. It runs
with a throwaway profile in a private temporary folder, no network needed (the page fetches
nothing), and is killed if it hangs. WeasyPrint was the other choice: it would add a
Python dependency with native libraries (Pango) for what the browser the tests already
drive does, and the page would then be checked in one engine and printed by another.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from congtac12.errors import CongtacError
from congtac12.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.store.location import PgUrl

AGENCY_SETTING, PLACE_SETTING = "agency", "place"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 120


@dataclass(frozen=True)
class Issuer:
    """Who issues a document: the agency (e.g. "Ban Tổ chức – Kiểm tra Thành đoàn Hà Nội") and its place."""

    agency: str | None = None
    place: str | None = None


def issuer_in(s: Session) -> Issuer:
    """The issuer as this database's settings name it (None where not set)."""
    from congtac12.store import queries

    return Issuer(queries.setting(s, AGENCY_SETTING), queries.setting(s, PLACE_SETTING))


def issuer_of(target: Path | PgUrl) -> Issuer:
    """``issuer_in`` read in plain SQL (``store.read.settings``): a document's command loads no ORM."""
    from congtac12.store.read.connect import reading
    from congtac12.store.read.settings import setting

    with reading(target) as r:
        return Issuer(setting(r, AGENCY_SETTING), setting(r, PLACE_SETTING))


def find_browser() -> str:
    """The headless browser that prints the page, or one line naming what to install (exit 1)."""
    override = os.environ.get("CONGTAC12_CHROMIUM", "").strip()
    for name in (override, *BROWSERS) if override else BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise CongtacError(
        _("--pdf needs Chromium to print the page, and none was found; install it (Debian: apt-get install chromium)")
    )


def print_pdf(page: str, *, browser: str | None = None) -> bytes:
    """The page printed to PDF by a headless Chromium (A4, the page's print stylesheet, fonts embedded)."""
    program = browser or find_browser()
    with tempfile.TemporaryDirectory(prefix="congtac12-print-") as folder:
        work = Path(folder)
        source, target, profile = work / "page.html", work / "page.pdf", work / "profile"
        source.write_text(page, encoding="utf-8")
        command = [
            program,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to run as root inside its sandbox; the page is ours and runs no script.
            command.insert(1, "--no-sandbox")
        env = dict(os.environ, HOME=str(work))
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env
        )
        try:
            _out, err = proc.communicate(timeout=PRINT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise CongtacError(
                _("{browser} did not print the page in {seconds} s; nothing was written").format(
                    browser=program, seconds=PRINT_TIMEOUT_S
                )
            ) from None
        if proc.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            last = next((line for line in reversed(err.decode(errors="replace").splitlines()) if line.strip()), "")
            raise CongtacError(
                _("{browser} could not print the page (exit {code}: {reason}); nothing was written").format(
                    browser=program, code=proc.returncode, reason=last[:200]
                )
            )
        return target.read_bytes()
