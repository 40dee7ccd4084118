"""Files written whole or not at all (issue 15, point 5): every command that writes
a file is SIGKILLed inside its write, at several points, as a real process.

Under the final name there is then either what was there before (nothing, or
the old file, byte for byte) or the complete new file, never a part of one;
the next run removes what the killed one left beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HELPER = Path(__file__).parent / "helpers" / "atomic_write.py"
STAGES = ("begun", "written", "renamed")  # before any byte, all written but not synced, renamed


@pytest.fixture(scope="module")
def source(demo_module: Path) -> Path:
    """The demo database: 34 cadres, 1,466 visits (conftest's, made once per session: this module's copy)."""
    return demo_module


def visits(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return con.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        con.close()


def whole_database(path: Path) -> bool:
    return visits(path) == 1466


def whole_json(path: Path) -> bool:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return doc["format"] == "congtac12" and len(doc["visits"]) == 1466


def whole_xlsx(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return z.testzip() is None and any(n.startswith("xl/worksheets/") for n in z.namelist())


def whole_html(path: Path) -> bool:
    return path.read_text(encoding="utf-8").rstrip().endswith("</html>")


def whole_csv(path: Path) -> bool:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return len(lines) == 35  # the header and 34 cadres


# name: (arguments with {src} and {out}, the output's suffix, whether an old file may be replaced, its check)
COMMANDS = {
    "db backup": (["--db", "{src}", "db", "backup", "{out}"], ".db", False, whole_database),
    "db copy": (["--db", "{src}", "db", "copy", "--to", "{out}"], ".db", False, whole_database),
    "export json": (["--db", "{src}", "export", "--out", "{out}", "--force"], ".json", True, whole_json),
    "export xlsx": (["--db", "{src}", "export", "--out", "{out}", "--force"], ".xlsx", True, whole_xlsx),
    "status --html": (
        ["--db", "{src}", "status", "--as-of", "13/11/2020", "--html", "{out}", "--force"],
        ".html",
        True,
        whole_html,
    ),
    "status --format": (
        ["--db", "{src}", "status", "--as-of", "13/11/2020", "--format", "csv", "--out", "{out}", "--force"],
        ".csv",
        True,
        whole_csv,
    ),
    "demo --out": (["demo", "--out", "{out}"], ".db", True, whole_database),
}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def args_for(command: str, src: Path, out: Path) -> list[str]:
    return [a.format(src=src, out=out) for a in COMMANDS[command][0]]


def run_to_stage(args: list[str], stage: str, cwd: Path) -> None:
    """Run the command until its output reaches ``stage``, then SIGKILL it there."""
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), stage, *args],
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in proc.stdout:
            if line.strip() == f"at {stage}":
                break
        else:
            raise AssertionError(f"never reached {stage}: exit {proc.wait()}, {proc.stderr.read()}")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def in_process(args: list[str], cwd: Path) -> None:
    """A run to completion (the earlier file, the run after the kill): in this process, it need not be killed."""
    from conftest import invoke

    here = Path.cwd()
    os.chdir(cwd)
    try:
        run = invoke(*args)
    finally:
        os.chdir(here)
    assert run.code == 0 and run.crash is None, str(run)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_write_killed_at_any_point_leaves_the_old_file_or_the_whole_new_one(
    command: str, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _args, suffix, replaces, whole = COMMANDS[command]
    old = None
    if replaces:  # an earlier output of the same command is there
        earlier = tmp_path / f"earlier{suffix}"
        if command == "demo --out":  # the source is one: conftest's demo_database, made by `demo --out`
            shutil.copyfile(source, earlier)
        else:
            in_process(args_for(command, source, earlier), tmp_path)
        old = earlier.read_bytes()
    for stage in STAGES:
        folder = tmp_path / stage
        folder.mkdir()
        out = folder / f"out{suffix}"
        if old is not None:
            out.write_bytes(old)
        run_to_stage(args_for(command, source, out), stage, folder)
        if stage == "renamed":
            assert whole(out), f"{command}: the file under its name is not whole after the rename"
            if old is not None and command not in ("demo --out", "export xlsx"):  # those hold the time written
                assert out.read_bytes() == old  # the same command on the same data: the same bytes
            continue
        if old is None:
            assert not out.exists(), f"{command} killed at {stage} left {out.name}"
        else:
            assert out.read_bytes() == old, f"{command} killed at {stage} changed the old file"
        assert leftovers(folder), "the killed run's temporary file is beside the target"
        # The next run that writes the same name removes what the killed one left, and succeeds.
        if not replaces:
            out.unlink(missing_ok=True)
        in_process(args_for(command, source, out), folder)
        assert whole(out)
        assert leftovers(folder) == [], f"{command}: the next run left {leftovers(folder)}"
        assert out.stat().st_mode & 0o777 == 0o600


def test_an_output_that_is_a_fifo_or_a_device_is_refused_at_once(source: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (
        ["--db", str(source), "db", "backup", str(fifo)],
        ["--db", str(source), "export", "--out", str(fifo), "--format", "json", "--force"],
        ["--db", str(source), "status", "--html", str(fifo), "--force"],
        ["--db", str(source), "status", "--format", "csv", "--out", str(fifo), "--force"],
        ["demo", "--out", str(fifo)],
        ["--db", str(fifo), "cadre", "list"],
        ["--db", "/dev/null", "cadre", "list"],
        ["--db", str(source), "db", "copy", "--to", "/dev/null"],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "congtac12", *args], capture_output=True, text=True, timeout=60, cwd=tmp_path
        )
        assert run.returncode in (1, 2), (args, run.stderr)
        assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1, (args, run.stderr)
        assert "FIFO" in run.stderr or "device" in run.stderr, (args, run.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_database_on_a_read_only_mount_can_be_read_and_a_write_is_one_line(tmp_path: Path) -> None:
    """A real read-only mount (tmpfs remounted ro; CI runs as root, which may mount)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    mount = tmp_path / "mnt"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], check=True)
    try:
        db = mount / "congtac12.db"
        env = {**os.environ, "CONGTAC12_DB": str(db), "COLUMNS": "200"}

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "congtac12", *args], env=env, capture_output=True, text=True, timeout=60
            )

        assert run("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "VP").returncode == 0
        assert run("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020",
                   "--kind", "chuyen-de").returncode == 0  # fmt: skip
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        listed = run("visits", "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 1
        assert run("status", "--cadre", "C01", "--as-of", "13/11/2020").returncode == 0
        assert run("db", "check").returncode == 0
        write = run("cadre", "add", "--code", "C02", "--name", "Trần Thị Bình", "--dept", "VP")
        assert write.returncode == 1 and write.stderr.startswith("Error: ") and write.stderr.count("\n") == 1
    finally:
        subprocess.run(["umount", str(mount)], check=False)
