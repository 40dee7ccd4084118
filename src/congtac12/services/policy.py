"""Which policy applies when a command names none: the database's default."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.domain.policy import Policy

POLICY_SETTING = "policy"  # the database's default policy (``config set policy ID``)


def policy_of_day(s: Session, day: date) -> Policy | None:
    """The database's default policy for a message about one day (a visit's counted days,
    a report's due day): the stored one (a yearly repeating one in that day's year when it
    covers it), else the ``ha-noi`` preset of that day's year; None when there is neither."""
    from congtac12.policies import load_policy, preset_of_year
    from congtac12.store import queries

    stored = queries.setting(s, POLICY_SETTING)
    if stored is None:
        return preset_of_year(day.year)
    base = load_policy(stored)
    return base.in_year(day.year) if base.covers(day.year) else base


def default_policy(s: Session, day: date) -> Policy:
    """``policy_of_day``, or NotFound saying that no policy covers that year and how to choose one."""
    from congtac12.policies import no_policy_for

    found = policy_of_day(s, day)
    if found is None:
        raise no_policy_for(day.year)
    return found
