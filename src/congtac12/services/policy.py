"""Which policy applies when a command names none: the database's default."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.domain.policy import Policy

POLICY_SETTING = "policy"  # the database's default policy (``config set policy ID``)


def default_policy(s: Session, day: date) -> Policy:
    """The database's default policy for a message about one day (a visit's counted days,
    a report's due day): a yearly repeating policy in that day's year when it covers it."""
    from congtac12.policies import DEFAULT_POLICY, load_policy
    from congtac12.store import queries

    base = load_policy(queries.setting(s, POLICY_SETTING) or DEFAULT_POLICY)
    return base.in_year(day.year) if base.covers(day.year) else base
