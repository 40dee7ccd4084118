"""A postgresql:// database: how it is named, reached and refused (the server of pg_server.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke

from congtac12.store.location import PgUrl
from congtac12.store.postgres import WRITE_LOCK


@pytest.fixture
def empty_db(pg, request: pytest.FixtureRequest) -> str:
    """The name of a new, empty database on the test server."""
    name = pg.new_database()
    request.addfinalizer(lambda: pg.drop_database(name))
    return name


def run(*args: str, env: dict[str, str] | None = None, db: str | None = None):
    with pytest.MonkeyPatch.context() as mp:
        for key in ("PGPASSWORD", "PGPASSFILE"):
            mp.delenv(key, raising=False)
        for key, value in (env or {}).items():
            mp.setenv(key, value)
        if db is not None:
            mp.setenv("CONGTAC12_DB", db)
        result = invoke(*args)
    assert result.crash is None, result
    return result


def test_the_password_from_the_url_is_used_and_never_shown(pg, empty_db) -> None:
    url = pg.url_of(empty_db, password=pg.password)
    ok = run("unit", "list", "--json", db=url)
    assert ok.code == 0 and '"Huyện đoàn Ba Vì"' in ok.stdout
    # A wrong database name: the message names the URL, with *** for the password.
    wrong = pg.url_of(empty_db + "_nope", password=pg.password)
    refused = run("status", db=wrong)
    assert refused.code != 0
    assert refused.stderr.startswith(f"Error: cannot connect to {PgUrl(wrong)}: ")
    assert ":***@" in refused.stderr and pg.password not in refused.stderr + refused.stdout
    assert len(refused.stderr.splitlines()) == 1


def test_a_wrong_password_is_refused_in_one_line(pg, empty_db) -> None:
    result = run("status", db=pg.url_of(empty_db, password="not-the-password"))
    assert result.code != 0
    assert "password authentication failed" in result.stderr
    assert "not-the-password" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_the_password_from_pgpassword_and_from_a_pgpass_file(pg, empty_db, tmp_path: Path) -> None:
    url = pg.url_of(empty_db)  # no password in the URL
    assert run("cadre", "list", "--json", db=url).code != 0  # none anywhere: refused
    assert run("cadre", "list", "--json", db=url, env={"PGPASSWORD": pg.password}).code == 0
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:*:*:{pg.user}:{pg.password}\n")
    pgpass.chmod(0o600)
    assert run("cadre", "list", "--json", db=url, env={"PGPASSFILE": str(pgpass)}).code == 0


def test_a_database_of_another_program_is_refused_untouched(pg, empty_db) -> None:
    pg.execute("CREATE TABLE ledger (id int primary key, amount int)", database=empty_db)
    pg.execute("INSERT INTO ledger VALUES (1, 100)", database=empty_db)
    before = pg.dump(empty_db)
    result = run(
        "cadre",
        "add",
        "--code",
        "C01",
        "--name",
        "An",
        "--dept",
        "VP",
        db=pg.url_of(empty_db),
        env={"PGPASSWORD": pg.password},
    )
    assert result.code != 0
    assert "is a PostgreSQL database of another program, not congtac12" in result.stderr
    assert pg.dump(empty_db) == before


def test_an_unknown_kind_of_url_is_refused() -> None:
    result = run("status", db="mysql://root@localhost/congtac12")
    assert result.code == 2
    assert result.stderr == (
        "Error: CONGTAC12_DB: mysql:// is not a database congtac12 can use; "
        "accepted: a SQLite file path or a postgresql:// URL\n"
    )


def test_a_writer_waits_for_another_then_gives_up_in_one_line(pg, empty_db) -> None:
    import psycopg

    url = pg.url_of(empty_db)
    env = {"PGPASSWORD": pg.password, "CONGTAC12_BUSY_TIMEOUT_MS": "300"}
    assert run("cadre", "add", "--code", "C01", "--name", "An", "--dept", "VP", db=url, env=env).code == 0
    before = pg.dump(empty_db)
    with psycopg.connect(pg.url_of(empty_db, password=pg.password)) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))  # another writer, mid-command
        result = run("cadre", "add", "--code", "C02", "--name", "Bình", "--dept", "VP", db=url, env=env)
        # A reader does not wait for writers.
        assert run("cadre", "list", "--json", db=url, env=env).code == 0
    assert result.code != 0
    assert (
        result.stderr.startswith("Error: postgresql://")
        and "is locked by another program for more than 0.3 s" in result.stderr
    )
    assert pg.dump(empty_db) == before
    assert run("cadre", "add", "--code", "C02", "--name", "Bình", "--dept", "VP", db=url, env=env).code == 0


def test_without_psycopg_the_message_names_the_extra(pg, empty_db) -> None:
    # A real process in which psycopg cannot be imported, as on an install without the extra.
    code = (
        "import sys; sys.modules['psycopg'] = None; "
        "from congtac12.cli import main; sys.argv = ['congtac12', 'status']; main()"
    )
    env = {**os.environ, "CONGTAC12_DB": pg.url_of(empty_db), "PGPASSWORD": pg.password}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr == (
        "Error: a postgresql:// database needs PostgreSQL support, which is not installed; "
        "install it with: pip install 'congtac12[postgres]'\n"
    )
    assert pg.dump(empty_db) is None  # nothing was made
