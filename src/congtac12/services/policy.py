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


def resolve(s: Session, policy: str | None, year: int | None, *, day: date) -> Policy:
    """The policy a command evaluates with, for ``status``, ``summary``, ``remind``…

    ``policy``: ``--policy`` (a preset id or a file), else the database's
    default (``config set policy``), else the ``ha-noi`` preset of ``year``
    (``--year``, else the year of ``day``); when no preset covers that year,
    NotFound saying how to choose or write one (never a silent fall-back to
    another year). ``year`` with a named policy: see ``policies.policy_for``.
    """
    from congtac12.errors import NotFound
    from congtac12.i18n import _
    from congtac12.policies import DEFAULT_POLICY, no_policy_for, policy_for, preset_of_year
    from congtac12.store import queries

    stored = queries.setting(s, POLICY_SETTING) if policy is None else None
    name = policy if policy is not None else stored
    if name is None:
        if year is not None:  # the ha-noi preset of that year, or the series' years on offer
            return policy_for(DEFAULT_POLICY, year, day)
        found = preset_of_year(day.year)
        if found is None:
            raise no_policy_for(day.year)
        return found
    try:
        return policy_for(name, year, day)
    except NotFound as exc:
        if stored is not None:
            raise NotFound(
                _("{problem} (the database's default policy; change it with 'congtac12 config set policy ID')").format(
                    problem=exc.message
                )
            ) from None
        raise
