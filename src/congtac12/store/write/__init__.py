"""Writing with the DB-API driver alone (``sqlite3``, ``psycopg``): no SQLAlchemy, SQLModel or Alembic.

``connect.writing`` opens a database for one transaction as the engine's write session does;
``history`` records a bulk write as one change of the history, as ``audit`` would.
"""
