"""The file system says no: a full disk, a read-only database file or folder
(issue 4, point 9), and who may read the files we make (point 8).

Each failure is one clear line, exit 1, and nothing lost: the records are all
there afterwards and the next command works once the cause is gone. Real
processes; the full disk is a real 512 KiB tmpfs in a mount namespace of the
test's own (tests/helpers/disk_full.py), and a read-only file is read-only even
for root, whose DAC override capability the child process drops.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).parent / "helpers"
FIXTURE = Path(__file__).parent / "fixtures" / "schema1.db"
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_dac_override() -> None:
    """In the child, before exec: as root, drop the capabilities that ignore file modes."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def congtac12(db: Path, *args: str, honour_modes: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "CONGTAC12_DB": str(db), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "congtac12", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_without_dac_override if honour_modes else None,
    )


def one_line_error(run: subprocess.CompletedProcess, text: str) -> None:
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr
    assert run.stderr == f"Error: {text}\n"


ADD = ("add-visit", "--cadre", "C01", "--unit", "Hoàn Kiếm", "--from", "06/03/2020", "--kind", "phoi-hop")


@pytest.fixture
def made(tmp_path: Path) -> Path:
    """A database with C01 and one visit, closed (made in-process: the failures are the subject)."""
    from datetime import date

    from congtac12.store import commands
    from congtac12.store.engine import session

    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "congtac12.db"
    with session(db, write=True) as s:
        commands.add_cadre(s, code="C01", name="Nguyễn Văn An", department="VP")
    with session(db, write=True) as s:
        commands.add_visit(
            s, cadre="C01", unit="Ba Đình", start=date(2020, 3, 5), end=date(2020, 3, 5), kind="chuyen-de"
        )
    return db


def test_a_read_only_database_file(made: Path) -> None:
    before = made.read_bytes()
    os.chmod(made, 0o400)
    try:
        listed = congtac12(made, "visits", "--json", honour_modes=True)
        assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 1, listed.stderr  # reading works
        one_line_error(
            congtac12(made, *ADD, honour_modes=True),
            f"{made} is read-only (the file or its folder); nothing was written",
        )
        one_line_error(
            congtac12(made, "delete-visit", "1", honour_modes=True),
            f"{made} is read-only (the file or its folder); nothing was written",
        )
    finally:
        os.chmod(made, 0o600)
    assert made.read_bytes() == before
    assert congtac12(made, *ADD).returncode == 0  # writable again: it goes through


def test_a_read_only_folder(made: Path) -> None:
    folder = made.parent
    # Closed cleanly: no -wal/-shm beside it, which SQLite would have to create.
    assert sorted(p.name for p in folder.iterdir()) == ["congtac12.db"]
    os.chmod(folder, 0o500)
    try:
        one_line_error(
            congtac12(made, *ADD, honour_modes=True),
            f"{made} is read-only (the file or its folder); nothing was written",
        )
        # A new database in a folder we may not write to.
        one_line_error(
            congtac12(folder / "new.db", "init", honour_modes=True),
            f"cannot create the database {folder / 'new.db'}: Permission denied",
        )
    finally:
        os.chmod(folder, 0o700)
    con = sqlite3.connect(made)
    assert con.execute("SELECT count(*) FROM visit").fetchone() == (1,)
    con.close()
    assert not (folder / "new.db").exists()


def test_a_full_disk(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    # Our own mount namespace: the tmpfs is seen by the helper and its children only.
    unshare = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        unshare = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
    run = subprocess.run(
        [*unshare, sys.executable, str(HELPERS / "disk_full.py"), str(folder)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    db = folder / "congtac12.db"
    assert out["add_cadre"]["code"] == 0 and out["first_visit"]["code"] == 0
    assert out["filler_error"] == "No space left on device"
    full = f"Error: the disk holding {db} is full; nothing was written\n"
    for step in ("full_visit", "full_report", "status_when_full"):
        assert (out[step]["code"], out[step]["stdout"], out[step]["stderr"]) == (1, "", full), (step, out[step])
    # Space freed: nothing was lost, the database is sound, the write goes through.
    check = json.loads(out["check_after"]["stdout"])
    assert check["ok"] is True and check["counts"]["visits"] == 1 and check["counts"]["changes"] == 2
    assert out["retry_visit"]["code"] == 0 and out["visits_after"] == 2


# --- privacy -------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_its_side_files_and_its_backups_are_the_owners_only(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # the most permissive umask: our modes must not depend on it
    try:
        db = tmp_path / "new" / "congtac12.db"
        assert congtac12(db, "cadre", "add", "--code", "C01", "--name", "An", "--dept", "VP").returncode == 0
        backup = tmp_path / "backup.db"
        assert congtac12(db, "db", "backup", str(backup)).returncode == 0
        old = tmp_path / "old.db"
        shutil.copyfile(FIXTURE, old)
        os.chmod(old, 0o600)
        assert congtac12(old, "cadre", "list").returncode == 0  # upgraded, with an automatic copy
        (auto,) = tmp_path.glob("old-schema1-*.db")
        # The side files exist while a connection is open; SQLite gives them the database's mode.
        con = sqlite3.connect(db)
        con.execute("SELECT count(*) FROM cadre").fetchone()
        side = [Path(f"{db}-wal"), Path(f"{db}-shm")]
        modes = {p.name: mode(p) for p in [db, *side, backup, auto, old]}
        con.close()
    finally:
        os.umask(old_umask)
    assert modes == dict.fromkeys(modes, 384)


def test_nothing_prints_a_password_there_is_none_to_print(cli) -> None:
    """congtac12 stores no SMTP settings (mail is configured by environment); no table has a password column."""
    assert cli("init").code == 0
    from congtac12.store.location import resolve_path

    con = sqlite3.connect(resolve_path(None))
    columns = [
        c[1]
        for t in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for c in con.execute(f'PRAGMA table_info("{t[0]}")')
    ]
    con.close()
    assert not [c for c in columns if "pass" in c.lower() or "smtp" in c.lower()]
