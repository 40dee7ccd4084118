"""A read-only look at a database's settings, for what runs before a command opens it.

The root reads the language setting before parsing (help is printed during
parsing), and must neither create a database nor load the database stack for
it: SQLite is read with the standard library in read-only mode, PostgreSQL with
the driver alone. Nothing is ever written; anything unreadable is None (the
command itself will then say what is wrong).
"""

from __future__ import annotations

from congtac12.errors import CongtacError
from congtac12.store.location import PgUrl, resolve_path


def setting(db_option: str | None, key: str) -> str | None:
    """The database's setting ``key`` (``--db``, else $CONGTAC12_DB, else the default file), or None."""
    try:
        path = resolve_path(db_option)
        if isinstance(path, PgUrl):
            return _pg_setting(path, key)
        if not path.is_file():
            return None
    except (CongtacError, OSError, ValueError):
        return None  # a path no file can have: the command itself will say so
    import sqlite3  # only for a database that exists (not for a first run's --help)

    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
    except (sqlite3.Error, OSError, ValueError):
        return None  # not ours, or no such table: the command itself will say
    return row[0] if row else None


def _pg_setting(target: PgUrl, key: str) -> str | None:
    """A setting of a PostgreSQL database; None when it cannot be read (the command will say why)."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(target.url, connect_timeout=5, autocommit=True) as con:
            row = con.execute("SELECT value FROM setting WHERE key = %s", (key,)).fetchone()
    except psycopg.Error:
        return None  # no such table (not ours yet), no connection: the command itself will say
    return row[0] if row else None
