"""The README's main job: `congtac12 demo`, run as a real process of the installed command.

The demo is made once for the module (in a fresh folder); the test of a second run starts
from a copy of it, not from a demo of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("congtac12"))


def run(*args: str, cwd: Path, env_db: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("CONGTAC12_DB", None)
    if env_db is not None:
        env["CONGTAC12_DB"] = str(env_db)
    return subprocess.run([EXE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = run("demo", cwd=folder, env_db=folder / "mine.db")
    assert result.returncode == 0, result.stderr
    assert "congtac12-demo.db" in result.stderr
    assert "as of 2020-11-13" in result.stdout
    return folder


def states(folder: Path, as_of: str) -> Counter:
    result = run("--db", "congtac12-demo.db", "status", "--as-of", as_of, "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    return Counter(c["state"] for c in doc["cadres"])


def test_demo_shows_every_in_window_state_on_the_source_date(demo_dir: Path) -> None:
    counts = states(demo_dir, "13/11/2020")
    assert set(counts) == {"met", "on_track", "behind", "not_subject"}
    assert sum(counts.values()) == 34


def test_demo_year_end_has_met_and_not_met(demo_dir: Path) -> None:
    counts = states(demo_dir, "31/12/2020")
    assert set(counts) == {"met", "not_met", "not_subject"}


def test_demo_roster_spans_the_bans_and_the_office(demo_dir: Path) -> None:
    result = run("--db", "congtac12-demo.db", "cadre", "list", "--json", cwd=demo_dir)
    cadres = json.loads(result.stdout)
    departments = {c["department"] for c in cadres}
    assert "Văn phòng" in departments and len(departments) == 8
    assert len(cadres) >= 30


def test_demo_does_not_touch_the_users_database(demo_dir: Path) -> None:
    assert not (demo_dir / "mine.db").exists()


def test_demo_is_deterministic_and_replaces_an_earlier_demo(tmp_path: Path, demo_dir: Path) -> None:
    """A demo run where a demo already is (the module's, a visit's topic changed, so that its
    replacement shows) replaces it with exactly the module's record: the same every time."""
    earlier = tmp_path / "congtac12-demo.db"
    shutil.copyfile(demo_dir / "congtac12-demo.db", earlier)
    con = sqlite3.connect(earlier)
    with con:
        con.execute("UPDATE visit SET topic = 'một chuyến đã sửa' WHERE id = 1")
    con.close()
    assert run("demo", cwd=tmp_path).returncode == 0  # an earlier demo is replaced
    first = sqlite3.connect(demo_dir / "congtac12-demo.db")
    second = sqlite3.connect(earlier)
    query = "SELECT id, cadre_id, unit_id, start, end, kind, topic FROM visit ORDER BY id"
    assert first.execute(query).fetchall() == second.execute(query).fetchall()
    query = "SELECT visit_id, reported_on FROM report ORDER BY visit_id"
    assert first.execute(query).fetchall() == second.execute(query).fetchall()


def test_demo_refuses_a_real_database(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    assert (
        run("--db", str(real), "cadre", "add", "--code", "A1", "--name", "An", "--dept", "VP", cwd=tmp_path).returncode
        == 0
    )
    before = real.read_bytes()
    result = run("demo", "--out", str(real), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "not a demo" in result.stderr
    assert real.read_bytes() == before
