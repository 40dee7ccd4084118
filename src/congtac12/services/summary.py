"""Figures for the monthly briefing (giao ban) and the year-end summary: one period, evaluated once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from congtac12.dates import FIRST_YEAR, LAST_YEAR, show
from congtac12.errors import InvalidInput
from congtac12.i18n import _

if TYPE_CHECKING:
    from congtac12.store.location import PgUrl

Notify = Callable[[str], None]

_MONTH = re.compile(r"\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*", re.ASCII)


def parse_month(text: str) -> tuple[date, date]:
    """ "2020-10" or "10/2020" -> (1 October 2020, 31 October 2020)."""
    m = _MONTH.fullmatch(text)
    if m is None or not 1 <= int(m.group(2) or m.group(3)) <= 12:
        raise InvalidInput(
            _("--month {text!r} is not a month; accepted: YYYY-MM or MM/YYYY, e.g. 2020-10").format(text=text)
        )
    year = int(m.group(1) or m.group(4))
    month = int(m.group(2) or m.group(3))
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def period_of(month: str | None, year: int | None) -> tuple[date, date, str]:
    """The period of ``--month`` or ``--year`` (exactly one): its first and last day and its name."""
    if (month is None) == (year is None):
        raise InvalidInput(_("give --month YYYY-MM or --year YYYY (one of them)"))
    if month is not None:
        first, last = parse_month(month)
        return first, last, f"{first:%m/%Y}"
    assert year is not None  # exactly one of the two was given
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _("--year {year} is out of range; accepted: years {first} to {last}").format(
                year=year, first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return date(year, 1, 1), date(year, 12, 31), str(year)


def summary_of(
    target: Path | PgUrl,
    *,
    first: date,
    last: date,
    period: str,
    as_of: date,
    policy_name: str | None = None,
    notify: Notify | None = None,
) -> Any:  # domain.summary.Summary
    """The summary of the period ``first``..``last`` (named ``period``: "10/2020", "2020") as of ``as_of``.

    Refused (InvalidInput) when the period lies outside the window of the policy of its year.
    """
    from congtac12.domain.summary import summarize
    from congtac12.services.policy import resolve
    from congtac12.store.read.connect import reading
    from congtac12.store.read.facts import facts, visit_units
    from congtac12.store.read.units import unit_facts

    with reading(target, notify=notify) as s:  # plain SQL (store.read), no ORM; a missing file is refused
        rules_of = resolve(s, policy_name, first.year, day=as_of)
        if last < rules_of.window_start or first > rules_of.window_end:
            raise InvalidInput(
                _(
                    "{period} is outside the window of {policy} ({start} to {end}); accepted: a month or year inside it"
                ).format(
                    period=period,
                    policy=rules_of.id,
                    start=show(rules_of.window_start),
                    end=show(rules_of.window_end),
                )
            )
        window_last = min(rules_of.window_end, as_of)
        cadres, visits, reports = facts(s, first=rules_of.window_start, last=window_last)
        units = unit_facts(s)
        unit_of = visit_units(s, first=rules_of.window_start, last=window_last)  # kept by facts: no second read
    return summarize(rules_of, cadres, visits, reports, units, unit_of, first=first, last=last, as_of=as_of)
