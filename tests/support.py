"""Helpers the test modules share: what a successful run is, in two strictnesses.

``succeeded``: exit 0 and no exception escaped (messages on stderr allowed,
such as notes and progress); ``clean``: that, and nothing on stderr and no
traceback in the output. Modules import the one they mean (``as ok``).
"""

from __future__ import annotations

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
