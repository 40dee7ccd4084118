"""Which policy applies when a command names none: the database's default."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.domain.policy import Policy
    from congtac12.store.read.connect import Reader

POLICY_SETTING = "policy"  # the database's default policy (``config set policy ID``)


def _stored(s: Session | Reader) -> str | None:
    """The database's default policy, read by the ORM session or the SQL read path (``store.read``)."""
    from congtac12.store.read.connect import Reader

    if isinstance(s, Reader):
        from congtac12.store.read.settings import setting

        return setting(s, POLICY_SETTING)
    from congtac12.store import queries

    return queries.setting(s, POLICY_SETTING)


def policy_of_day(s: Session | Reader, day: date) -> Policy | None:
    """The database's default policy for a message about one day (a visit's counted days,
    a report's due day): the stored one (a yearly repeating one in that day's year when it
    covers it), else the ``ha-noi`` preset of that day's year; None when there is neither."""
    return policy_of_day_stored(_stored(s), day)


def stored_policy(s: Session | Reader) -> str | None:
    """The database's default policy as stored (``config set policy``), or None."""
    return _stored(s)


def policy_of_day_stored(stored: str | None, day: date) -> Policy | None:
    """``policy_of_day`` for the stored default ``stored`` (read once by a caller that asks for many days)."""
    from congtac12.policies import load_policy, preset_of_year

    if stored is None:
        return preset_of_year(day.year)
    base = load_policy(stored)
    return base.in_year(day.year) if base.covers(day.year) else base


def default_policy(s: Session | Reader, day: date) -> Policy:
    """``policy_of_day``, or NotFound saying that no policy covers that year and how to choose one."""
    from congtac12.policies import no_policy_for

    found = policy_of_day(s, day)
    if found is None:
        raise no_policy_for(day.year)
    return found


def resolve(s: Session | Reader, policy: str | None, year: int | None, *, day: date) -> Policy:
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

    stored = _stored(s) if policy is None else None
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
