"""The house's habits are checked, not hoped for: ruff's rule sets and its formatter are clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TREES = ("src", "tests", "benchmarks", "tools")


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", *TREES],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_check_is_clean() -> None:
    result = _ruff("check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_on_the_strict_domain() -> None:
    # pyproject.toml makes congtac12.domain strict; the rest of src/ is not clean yet.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "src/congtac12/domain"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_the_same_checks() -> None:
    config = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for hook in ("ruff check", "ruff format", "mypy src/congtac12/domain"):
        assert hook in config, hook
