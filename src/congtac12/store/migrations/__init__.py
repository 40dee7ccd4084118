"""Alembic revisions of the database schema, shipped in the package (see README.md here)."""
