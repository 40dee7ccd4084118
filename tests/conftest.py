"""Shared fixtures for the CLI tests: a temporary database, a runner, a dump of the rows.

``db`` is a file path in ``tmp_path`` that ``CONGTAC12_DB`` points to — or, in
a module marked ``both_backends``, also (a second run of each test) a new
empty PostgreSQL database on the test server (see pg_server.py); ``cli``
runs ``congtac12.cli.app`` in-process with Typer's CliRunner, which (typer 0.29,
vendored click) always captures stdout and stderr separately; ``dump`` returns
every row of a database as SQL text, so a test can assert that a refused
command wrote nothing; ``demo_database`` is the demo's database, made once per
session, and ``demo_module`` a module's copy of it.
"""

from __future__ import annotations

import os

# openpyxl the way congtac12 uses it (congtac12/exchange/__init__.py), also where a test reads
# or writes a workbook itself: set before any test module imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")

import shutil
import sqlite3
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pg_server import PgServer
from typer.testing import CliRunner

from congtac12.cli import app
from congtac12.store.location import PgUrl


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


@pytest.fixture(autouse=True)
def _private_settings_file(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test has its own settings file (none yet), never the user's ~/.config/congtac12."""
    monkeypatch.setenv("CONGTAC12_CONFIG", str(tmp_path_factory.mktemp("config") / "settings.toml"))
    for var in ("CONGTAC12_SMTP_URL", "CONGTAC12_MAIL_FROM"):
        monkeypatch.delenv(var, raising=False)


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests of a module marked ``both_backends`` run once per backend (unless marked ``sqlite_only``)."""
    marked = metafunc.definition.get_closest_marker
    if "backend" in metafunc.fixturenames and marked("both_backends") and not marked("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this test: "sqlite" unless the module runs on both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg() -> PgServer:
    """The PostgreSQL test server (skipped, or failed in CI, when there is none)."""
    import pg_server

    return pg_server.server()


@pytest.fixture
def db(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """A database that does not exist yet (SQLite: no file; PostgreSQL: an empty database);
    the commands find it through CONGTAC12_DB."""
    if backend == "postgresql":
        server = request.getfixturevalue("pg")
        name = server.new_database()
        request.addfinalizer(lambda: server.drop_database(name))
        monkeypatch.setenv("PGPASSWORD", server.password)
        target = PgUrl(server.url_of(name))
        monkeypatch.setenv("CONGTAC12_DB", target.url)
        return target
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


_TEMPLATES: dict[tuple[str, Callable[[Cli], object]], Path | str] = {}


@pytest.fixture
def built(
    cli: Cli, db, backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Callable[..., Cli]:
    """``built(build)``: ``cli`` on a copy of the database that ``build(cli)`` makes.

    The database is built once per test session and backend and copied for
    each test (SQLite: the file; PostgreSQL: CREATE DATABASE … TEMPLATE), so a
    scenario of many commands costs one copy per test.
    """

    def use(build: Callable[[Cli], object]) -> Cli:
        template = _TEMPLATES.get((backend, build))
        if backend == "postgresql":
            server = request.getfixturevalue("pg")
            if template is None:
                template = server.new_database()
                with pytest.MonkeyPatch.context() as mp:
                    mp.setenv("CONGTAC12_DB", PgUrl(server.url_of(template)).url)
                    build(invoke)
                _TEMPLATES[(backend, build)] = template
            name = db.url.rsplit("/", 1)[1]
            server.drop_database(name)
            server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return cli
        if template is None:
            template = tmp_path_factory.mktemp("template") / "template.db"
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("CONGTAC12_DB", str(template))
                build(invoke)
            _TEMPLATES[(backend, build)] = template
        for suffix in ("", "-wal", "-shm"):  # WAL files, if a connection left any
            source = Path(f"{template}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{db}{suffix}")
        return cli

    return use


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database, made once per test session by ``congtac12 demo --out`` as a real process
    (3.7 s of CPU each time; tests/test_demo.py checks the command itself). Never opened in place:
    take a copy (``demo_copy``)."""
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("demo-session") / "demo.db"
    run = subprocess.run(
        [sys.executable, "-m", "congtac12", "demo", "--out", str(path)], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    return path


def demo_copy(demo: Path, target: Path) -> Path:
    """``target``, a copy of the demo database ``demo`` (the owner's only, as the demo writes it)."""
    shutil.copyfile(demo, target)
    os.chmod(target, 0o600)
    return target


@pytest.fixture(scope="module")
def demo_module(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own copy of the demo database (a module may open it in place, or copy it per test)."""
    return demo_copy(demo_database, tmp_path_factory.mktemp("demo") / "demo.db")


def dump_database(target) -> str | None:
    """Every row (and the schema) of a database as text; None when there is none yet
    (SQLite: no file; PostgreSQL: no table)."""
    if isinstance(target, PgUrl):
        import pg_server

        return pg_server.server().dump(target.url.rsplit("/", 1)[1])
    path = target
    if not path.exists():
        return None
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def sql(target, query: str, params: tuple = ()) -> list[tuple]:
    """Rows of a query on the test database, either backend; dates and times as ISO text
    (as SQLite keeps them). Write the query with ``?`` placeholders."""
    if isinstance(target, PgUrl):
        import pg_server

        server = pg_server.server()
        rows = server.execute(query.replace("?", "%s"), database=target.url.rsplit("/", 1)[1], params=params)
        return [tuple(_as_sqlite(v) for v in row) for row in rows]
    con = sqlite3.connect(target)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def _as_sqlite(value: object) -> object:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture
def dump(db) -> Callable[[], str | None]:
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
