"""Database-level settings (``config set``) and the reminders already sent (``queries``' twins)."""

from __future__ import annotations

from datetime import date

from congtac12.store.read.connect import Reader


def setting(r: Reader, key: str) -> str | None:
    """A database-level setting, or None when it is not set."""
    found = r.rows("SELECT value FROM setting WHERE key = ?", (key,))
    return found[0][0] if found else None


def all_settings(r: Reader) -> dict[str, str]:
    """Every database-level setting by key (``queries.settings``)."""
    return dict(r.rows("SELECT key, value FROM setting ORDER BY key"))


def reminders_sent(r: Reader, *, on: date) -> set[tuple[int, str, str, str]]:
    """(visit id, state, channel, recipient) of every reminder accepted for the day ``on``."""
    sql = "SELECT visit_id, state, channel, recipient FROM reminder_sent WHERE sent_on = ? AND visit_id IS NOT NULL"
    return {tuple(row) for row in r.rows(sql, r.dates((on,)))}


def plan_reminders_sent(r: Reader, *, on: date) -> set[tuple[int, str, str, str]]:
    """(plan id, state, channel, recipient) of every plan reminder accepted for the day ``on``."""
    sql = "SELECT plan_id, state, channel, recipient FROM reminder_sent WHERE sent_on = ? AND plan_id IS NOT NULL"
    return {tuple(row) for row in r.rows(sql, r.dates((on,)))}
