"""A real LibreOffice Calc, run headless to open a file and save it again (``soffice --convert-to``).

Each run has a private profile (``-env:UserInstallation``, a new folder under the
system's temporary folder, removed afterwards), so runs never share or lock one
another's profile and a user's own LibreOffice is never touched, and a timeout
(a hung soffice is killed, with its process group).

In CI (``$CI`` set) a missing ``soffice`` fails the tests that need it; elsewhere they
are skipped with a message saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

HOW = "LibreOffice tests need soffice: apt-get install libreoffice-calc-nogui"
TIMEOUT_S = 180  # a first start on a slow machine takes a few seconds; a hang is killed


def soffice() -> str:
    """The soffice program; skipped (failed in CI) where there is none."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and soffice is missing. {HOW}")
        pytest.skip(HOW)
    return found


def convert(source: Path, out_dir: Path, to: str = "xlsx", *, program: str | None = None) -> Path:
    """``source`` opened by LibreOffice and saved as ``to`` in ``out_dir`` (same stem); the new file."""
    program = program or soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="congtac12-lo-profile-"))
    try:
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=_env(profile)
        )
        try:
            out, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(f"soffice did not finish in {TIMEOUT_S} s: {' '.join(command)}") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    target = out_dir / f"{source.stem}.{to.split(':', 1)[0]}"
    if proc.returncode != 0 or not target.is_file():
        raise AssertionError(
            f"soffice failed (exit {proc.returncode}): {' '.join(command)}\n{out.decode(errors='replace')}"
            f"{err.decode(errors='replace')}"
        )
    return target


def _env(profile: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = str(profile)  # nothing of the user's (or root's) home is read or written
    env.pop("DISPLAY", None)
    return env
