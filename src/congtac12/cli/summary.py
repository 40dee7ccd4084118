"""``congtac12 summary``: figures for the monthly briefing (giao ban) and the year-end summary."""

import re
from datetime import date, timedelta
from typing import Annotated

import typer

from congtac12.cli.common import (
    PolicyOption,
    console,
    guarded,
    parse_date,
    print_json,
    reader,
    resolve_policy,
    today,
)
from congtac12.dates import FIRST_YEAR, LAST_YEAR
from congtac12.errors import InvalidInput
from congtac12.i18n import _

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


@guarded
def summary(
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="YYYY-MM", help=_("The month of the briefing (giao ban), e.g. 2020-10.")),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help=_("The year-end summary, as text to paste into a report."))
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=_("States and days as of this day (default: the period's last day, or today if sooner)."),
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    policy: PolicyOption = None,
) -> None:
    """Figures for the monthly briefing (--month) or the year-end summary (--year).

    Per department: cadres, days by kind, days so far, how many met / on track /
    behind, reports overdue; and which district-level unions were visited.

    Example: congtac12 summary --month 2020-10     congtac12 summary --year 2020 --as-of 13/11/2020
    """
    from congtac12.domain.summary import summarize
    from congtac12.render.json import summary_dict
    from congtac12.render.tables import summary_tables
    from congtac12.render.text import summary_text
    from congtac12.store.read.facts import facts, visit_units
    from congtac12.store.read.units import unit_facts

    if (month is None) == (year is None):
        raise InvalidInput(_("give --month YYYY-MM or --year YYYY (one of them)"))
    if month is not None:
        first, last = parse_month(month)
        period = f"{first:%m/%Y}"
    else:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(
                _("--year {year} is out of range; accepted: years {first} to {last}").format(
                    year=year, first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        first, last = date(year, 1, 1), date(year, 12, 31)
        period = str(year)
    day = parse_date(as_of, "--as-of") if as_of is not None else min(last, today())
    with reader() as s:  # plain SQL (store.read), no ORM
        rules_of = resolve_policy(policy, first.year, s, as_of=day)
        if last < rules_of.window_start or first > rules_of.window_end:
            raise InvalidInput(
                _(
                    "{period} is outside the window of {policy} ({start} to {end}); accepted: a month or year inside it"
                ).format(
                    period=period,
                    policy=rules_of.id,
                    start=rules_of.window_start.isoformat(),
                    end=rules_of.window_end.isoformat(),
                )
            )
        window_last = min(rules_of.window_end, day)
        cadres, visits, reports = facts(s, first=rules_of.window_start, last=window_last)
        units = unit_facts(s)
        unit_of = visit_units(s, first=rules_of.window_start, last=window_last)
    sm = summarize(rules_of, cadres, visits, reports, units, unit_of, first=first, last=last, as_of=day)
    if json_:
        print_json(summary_dict(sm, period=month.strip() if month else period))
    elif month is not None:
        summary_tables(console(), sm, period=period)
    else:
        import sys

        sys.stdout.write(summary_text(sm, year=year))
