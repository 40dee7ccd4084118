"""The PostgreSQL server the tests use: given by ``$CONGTAC12_TEST_PG``.

``tools/pg_cluster.sh start`` starts a throwaway cluster on 127.0.0.1 and
prints its superuser's URL (with the password); ``.ci/run`` does this and
exports it. Each test gets a database of its own, created empty and dropped
afterwards; the commands under test reach it by a URL without the password,
which they take from ``$PGPASSWORD`` (as a cadre's machine would from
``~/.pgpass``).

In CI (``$CI`` set) a missing server fails the PostgreSQL tests; elsewhere
they are skipped with a message saying how to run them.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

import pytest

ENV_VAR = "CONGTAC12_TEST_PG"
HOW = (
    "PostgreSQL tests need a server: run `tools/pg_cluster.sh start` "
    "(Debian: apt-get install postgresql) and export CONGTAC12_TEST_PG=<the URL it prints>"
)
_names = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    """A superuser's view of the test server."""

    url: str  # the superuser's URL, with its password

    @property
    def password(self) -> str:
        return unquote(urlsplit(self.url).password or "")

    @property
    def user(self) -> str:
        return unquote(urlsplit(self.url).username or "")

    def url_of(self, database: str, *, login: str | None = None, password: str | None = None) -> str:
        """A URL of ``database`` on this server; no password unless given."""
        parts = urlsplit(self.url)
        host = parts.hostname or "127.0.0.1"
        port = f":{parts.port}" if parts.port else ""
        user = login or self.user
        auth = f"{user}:{password}" if password is not None else user
        return urlunsplit((parts.scheme, f"{auth}@{host}{port}", f"/{database}", "", ""))

    def execute(self, sql: str, *, database: str = "postgres", params: tuple = ()) -> list[tuple]:
        import psycopg

        url = self.url if database == "postgres" else self.url_of(database, password=self.password)
        with psycopg.connect(url, autocommit=True) as con:
            cur = con.execute(sql, params)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []

    def new_database(self, *, template: str | None = None) -> str:
        name = f"ct12_{os.getpid()}_{next(_names)}"
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_login(self, login: str, password: str) -> None:
        """A login role (``CREATE ROLE … LOGIN``), replaced if a test left one behind."""
        from psycopg import sql

        exists = self.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", params=(login,))
        # A utility statement takes no bound parameters: the password goes in as a quoted literal.
        verb = "ALTER" if exists else "CREATE"
        self.execute(
            sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(  # type: ignore[arg-type]
                sql.Identifier(login), sql.Literal(password)
            )
        )

    def dump(self, database: str) -> str | None:
        """Every row of every table of ``database`` as text, ordered; None when it has no table."""
        import psycopg

        with psycopg.connect(self.url_of(database, password=self.password), autocommit=True) as con:
            tables = [
                r[0]
                for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            ]
            if not tables:
                return None
            out = []
            for table in tables:
                out.append(f"-- {table}")
                for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):  # noqa: S608
                    out.append(repr(row))
            return "\n".join(out)


def server() -> PgServer:
    """The server, or a skip (a failure in CI) when none is given."""
    url = os.environ.get(ENV_VAR)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{ENV_VAR} is not set in CI; .ci/run must start a PostgreSQL server. {HOW}")
        pytest.skip(HOW)
    try:
        import psycopg
    except ImportError:
        pytest.fail("psycopg is not installed; install the test extra: pip install -e '.[test]'")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        pytest.fail(f"cannot reach the PostgreSQL server of {ENV_VAR}: {exc}")
    return PgServer(url)
