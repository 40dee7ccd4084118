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


def test_mypy_is_clean_on_src() -> None:
    # pyproject.toml makes congtac12.domain strict, and names the modules not yet checked.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "src"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_modules_mypy_skips_are_named_and_real_and_never_the_domain() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    overrides = config["overrides"]
    strict = [o for o in overrides if o.get("strict")]
    assert strict and strict[0]["module"] == ["congtac12.domain", "congtac12.domain.*"]
    skipped = [m for o in overrides if o.get("ignore_errors") for m in o["module"]]
    src = REPO / "src"
    for module in skipped:
        assert not module.startswith("congtac12.domain"), module
        assert "*" not in module, f"{module}: name each module, no wildcard"
        path = src.joinpath(*module.split("."))
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), module


def test_pre_commit_runs_the_same_checks() -> None:
    config = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for hook in ("ruff check", "ruff format", "mypy src"):
        assert hook in config, hook
