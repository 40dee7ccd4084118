"""Whose reminders a login sends (``commands.reminder_scope``'s twin), with the driver alone."""

from __future__ import annotations

from congtac12.store import org
from congtac12.store.read.connect import Reader


def reminder_scope(r: Reader, *, digest: bool) -> str | None:
    """None for every cadre's reminders (SQLite, or an administrator), else the login's own cadre's code;
    a cadre login asking for the department's digest is refused (``org.scope_of``)."""
    if not r.postgres:
        return None
    return org.scope_of(org.rights_with(lambda sql: tuple(r.rows(sql)[0])), digest=digest)
