"""Dependencies a fresh machine can trust: bounded ranges, and CI installing exactly constraints.txt.

pyproject.toml declares a lower and an upper bound for every runtime dependency
the code is coupled to; constraints.txt pins the exact versions CI installs
(``.ci/run``: ``pip install -c constraints.txt '.[test]'``), each inside its
range. The installed versions must be those pins, so that what CI tests is
what a user gets.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]

# What the code imports or relies on directly (psycopg: organisation mode).
COUPLED = ("typer", "sqlmodel", "sqlalchemy", "alembic", "pydantic", "rich", "openpyxl", "psycopg")


def declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def pins() -> dict[str, str]:
    """name -> version of each ``name==version`` line of constraints.txt."""
    found = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = version.strip()
    return found


def outside(requirements: list[Requirement], versions: dict[str, str | None]) -> list[str]:
    """The requirements that ``versions`` (name -> version, None: absent) do not meet, as text."""
    wrong = []
    for req in requirements:
        version = versions.get(canonicalize_name(req.name))
        if version is None:
            wrong.append(f"{req.name}: none (wanted {req.specifier})")
        elif not req.specifier.contains(version, prereleases=True):
            wrong.append(f"{req.name} {version} is outside {req.specifier}")
    return wrong


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_every_coupled_dependency_has_a_lower_and_an_upper_bound() -> None:
    runtime = {canonicalize_name(r.name): r for r in declared("postgres")}
    for name in COUPLED:
        operators = {spec.operator for spec in runtime[name].specifier}
        assert operators & {">=", ">", "==", "~="}, f"{name}: no lower bound"
        assert operators & {"<", "<=", "==", "~="}, f"{name}: no upper bound"


def test_the_installed_versions_are_inside_the_declared_ranges() -> None:
    requirements = declared("postgres", "test")
    versions = {canonicalize_name(r.name): installed(r.name) for r in requirements}
    assert outside(requirements, versions) == []


def test_constraints_pin_every_declared_dependency_inside_its_range() -> None:
    assert outside(declared("postgres", "test"), pins()) == [], "update constraints.txt (see its first lines)"


def test_what_is_installed_is_what_constraints_pin() -> None:
    # CI installs with -c constraints.txt; a development environment made otherwise
    # shows here where it differs from what CI tests.
    different = {
        name: (version, installed(name))
        for name, version in pins().items()
        if installed(name) is not None and installed(name) != version
    }
    assert different == {}
    missing = [name for name in pins() if installed(name) is None]
    assert missing == [], "pinned but not installed: pip install -c constraints.txt '.[test]'"


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        ({"typer": "0.29.2"}, []),
        ({"typer": "0.30.0"}, ["typer 0.30.0 is outside <0.30,>=0.29.2"]),
        ({"typer": "0.28.9"}, ["typer 0.28.9 is outside <0.30,>=0.29.2"]),
        ({}, ["typer: none (wanted <0.30,>=0.29.2)"]),
    ],
)
def test_the_range_check_catches_a_version_outside(versions: dict[str, str], expected: list[str]) -> None:
    assert outside([Requirement("typer>=0.29.2,<0.30")], versions) == expected


def test_the_version_has_one_source() -> None:
    import congtac12

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert metadata.version("congtac12") == congtac12.__version__
