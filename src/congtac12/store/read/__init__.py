"""The read path: plain SQL through the DB-API driver, without SQLAlchemy, SQLModel or Alembic.

Commands that only read open the database with ``connect.reading`` (``sqlite3``, or
``psycopg`` on PostgreSQL, logged in as the write path's engine is) and get their
facts from one function per query, one module per concern (``cadres``, ``facts``,
``visits``, ``settings``, ``plans``, ``units``...), each taking the ``Reader`` and returning the plain values
of ``domain.facts`` (or the rows of ``store.rows``). The SQLModel tables remain the
schema, the migrations and the write path; ``store.queries`` reads the same facts
through them, and tests/test_read_sql.py checks on random records that both agree.

A new table's read: a function ``def thing(r: Reader, ...) -> list[...]`` in the
module of its concern (or a new module), with its SQL written once, ``?`` for each
parameter (``Reader.rows`` turns them into psycopg's ``%s``), dates turned with
``r.day`` (SQLite keeps them as text), booleans with ``bool``; its ORM twin in
``store.queries`` and a case in tests/test_read_sql.py.
"""
