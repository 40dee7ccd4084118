"""Helpers the test modules share: what a successful run is, in two strictnesses; old and
unusable databases and what the commands say of them.

``succeeded``: exit 0 and no exception escaped (messages on stderr allowed,
such as notes and progress); ``clean``: that, and nothing on stderr and no
traceback in the output. Modules import the one they mean (``as ok``).
``old_sqlite_database`` builds a file of an older schema; ``upgraded_first``,
``refused_as_newer`` and ``refused_as_missing`` check the upgrade of the
schema-1 fixture and the one-line refusals of a newer schema and of no database.
``synthetic_database`` builds the benchmark's synthetic database with the installed command.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any


def succeeded(run: Any) -> Any:
    """Assert exit 0 and no escaped exception; return the run."""
    assert run.code == 0 and run.crash is None, str(run)
    return run


def clean(run: Any) -> str:
    """Assert a clean success (exit 0, nothing on stderr, no escaped exception); return stdout."""
    assert run.code == 0 and run.stderr == "" and run.crash is None, str(run)
    assert "Traceback" not in run.stdout
    return run.stdout


def old_sqlite_database(path: Any, version: int, *statements: tuple[str, tuple]) -> None:
    """A SQLite database of schema ``version`` as congtac12 at that schema left it (the revisions up to
    it, our header marks, mode 0600), holding what ``statements`` (SQL, parameters) insert."""
    import os
    import sqlite3

    import sqlalchemy as sa

    from congtac12.store import migrate
    from congtac12.store.sqlite_file import APPLICATION_ID

    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, from_version=0, to=f"{version:04d}")
    engine.dispose()
    con = sqlite3.connect(path)
    with con:
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {version}")
        for statement, params in statements:
            con.execute(statement, params)
    con.close()
    os.chmod(path, 0o600)


# --- the one-line refusals of a database the read path cannot use ---------------------------

FIXTURES = Path(__file__).parent / "fixtures"


def newer_schema_message(target: Any) -> str:
    """What every command says of a database one schema newer than this congtac12."""
    from congtac12.store.sqlite_file import SCHEMA_VERSION

    return (
        f"Error: {target} has schema version {SCHEMA_VERSION + 1}, newer than this congtac12 knows "
        f"({SCHEMA_VERSION}); upgrade congtac12. The file was left untouched\n"
    )


def make_newer(target: Any) -> bytes | None:
    """Give the database at ``target`` the next schema version (SQLite: checkpointed, so that the
    whole record is in the file); return the file's bytes (None on PostgreSQL)."""
    from congtac12.store.location import PgUrl
    from congtac12.store.sqlite_file import SCHEMA_VERSION

    if isinstance(target, PgUrl):
        import psycopg

        with psycopg.connect(target.url, autocommit=True) as con:
            con.execute("UPDATE alembic_version SET version_num = %s", (f"{SCHEMA_VERSION + 1:04d}",))
        return None
    import sqlite3

    con = sqlite3.connect(target)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return target.read_bytes()


def refused_as_newer(target: Any, run: Any, commands: Iterable[tuple[str, ...]]) -> None:
    """Make ``target`` one schema newer, then ``run(*args)`` of each command is refused in the one
    line, exit 1, nothing on stdout; a SQLite file is left as it was."""
    before = make_newer(target)
    for args in commands:
        done = run(*args)
        assert (done.code, done.stdout) == (1, ""), str(done)
        assert done.stderr == newer_schema_message(target), str(done)
    if before is not None:
        assert target.read_bytes() == before


def new_pg_database(pg: Any, monkeypatch: Any, request: Any) -> Any:
    """A new congtac12 database (``init``) on the test server, the one $CONGTAC12_DB names; dropped after."""
    from conftest import invoke

    from congtac12.store.location import PgUrl

    name = pg.new_database()
    request.addfinalizer(lambda: pg.drop_database(name))
    target = PgUrl(pg.url_of(name))
    monkeypatch.setenv("PGPASSWORD", pg.password)
    monkeypatch.setenv("CONGTAC12_DB", target.url)
    assert invoke("init").code == 0
    return target


def upgraded_first(cli: Any, db: Path, *args: str) -> Any:
    """``db`` made a copy of the schema-1 fixture; ``args`` runs on it after the upgrade and its one notice."""
    import shutil

    from congtac12.store.sqlite_file import SCHEMA_VERSION

    shutil.copyfile(FIXTURES / "schema1.db", db)
    run = cli(*args)
    assert run.code == 0, str(run)
    assert run.stderr.startswith(f"Upgraded {db} from schema 1 to {SCHEMA_VERSION}; the schema-1 copy is "), str(run)
    return run


def refused_as_missing(missing: Path, found: Iterable[tuple[int, str, str]]) -> None:
    """Each (exit code, stdout, stderr) is the one-line refusal of the database ``missing``, not made."""
    for code, out, err in found:
        assert code == 1 and out == "" and err.count("\n") == 1 and missing.name in err, (code, out, err)
    assert not missing.exists()


def synthetic_database(db: Path, cadres: int) -> tuple[int, Any]:
    """The benchmark's synthetic database (``benchmarks/synth.py``) of ``cadres`` cadres, five years
    of visits each, built at ``db`` by the installed ``congtac12``: its number of visits, and the
    ``synth`` module (for ``synth.cadre_code``)."""
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import synth
    finally:
        sys.path.pop(0)
    exe = shutil.which("congtac12")
    assert exe is not None
    return synth.build(db, exe=exe, cadres=cadres), synth
