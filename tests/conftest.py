"""Shared fixtures for the CLI tests: a temporary database, a runner, a dump of the rows.

``db`` is a file path in ``tmp_path`` that ``CONGTAC12_DB`` points to; ``cli``
runs ``congtac12.cli.app`` in-process with Typer's CliRunner, which (typer 0.29,
vendored click) always captures stdout and stderr separately; ``dump`` returns
every row of a database as SQL text, so a test can assert that a refused
command wrote nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner

from congtac12.cli import app


@dataclass(frozen=True)
class Run:
    """What one command did: its exit code, its two streams, and any escaped exception."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    crash: str | None  # the traceback of an exception that escaped the command, if any

    def __str__(self) -> str:  # shown by pytest when an assertion on a Run fails
        return (
            f"congtac12 {' '.join(self.args)} -> exit {self.code}\n"
            f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"
            + (f"--- crash ---\n{self.crash}" if self.crash else "")
        )


Cli = Callable[..., Run]


_COMMANDS: dict[int, object] = {}


@pytest.fixture(autouse=True, scope="session")
def _build_the_command_once():
    """Typer rebuilds the click command from the functions' annotations on every
    invoke (~0.1 s with our dozens of commands); a real process builds it once.
    Build it once per test run too: click commands hold no state between runs."""
    original = typer.testing._get_command

    def cached(app):  # noqa: ANN001, ANN202
        if id(app) not in _COMMANDS:
            _COMMANDS[id(app)] = original(app)
        return _COMMANDS[id(app)]

    typer.testing._get_command = cached
    yield
    typer.testing._get_command = original


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database path that does not exist yet; the commands find it through CONGTAC12_DB."""
    path = tmp_path / "congtac12.db"
    monkeypatch.setenv("CONGTAC12_DB", str(path))
    return path


@pytest.fixture
def cli(db: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``congtac12 ARGS...``; returns a Run. Tables are rendered 200 columns wide."""
    # Rich reads COLUMNS when it makes a console; wide enough that no cell wraps.
    monkeypatch.setenv("COLUMNS", "200")
    return invoke


def invoke(*args: str, input: str | None = None) -> Run:
    """Run ``congtac12 ARGS...`` in-process against the database $CONGTAC12_DB names."""
    result = CliRunner().invoke(app, list(args), input=input)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    return Run(tuple(args), result.exit_code, result.stdout, result.stderr, crash)


_TEMPLATES: dict[Callable[[Cli], object], Path] = {}


@pytest.fixture
def built(cli: Cli, db: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Cli]:
    """``built(build)``: ``cli`` on a copy of the database that ``build(cli)`` makes.

    The database is built once per test session and copied for each test, so
    a scenario of many commands costs one file copy per test.
    """
    def use(build: Callable[[Cli], object]) -> Cli:
        template = _TEMPLATES.get(build)
        if template is None:
            template = tmp_path_factory.mktemp("template") / "template.db"
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("CONGTAC12_DB", str(template))
                build(invoke)
            _TEMPLATES[build] = template
        for suffix in ("", "-wal", "-shm"):  # WAL files, if a connection left any
            source = Path(f"{template}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{db}{suffix}")
        return cli

    return use


def dump_database(path: Path) -> str | None:
    """Every row (and the schema) of a SQLite file as SQL text; None when there is no file."""
    if not path.exists():
        return None
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def dump(db: Path) -> Callable[[], str | None]:
    """``dump()``: the test database's contents now."""
    return lambda: dump_database(db)


@pytest.fixture
def smtp_server():
    """``smtp_server(**options)``: a started SMTP server on 127.0.0.1 (see smtp_server.py); stopped after the test."""
    from smtp_server import SmtpServer

    servers: list[SmtpServer] = []

    def start(**options) -> SmtpServer:
        server = SmtpServer(**options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
