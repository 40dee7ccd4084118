"""``congtac12 calendar``: a cadre's days at the base as a calendar heat map."""

from datetime import date
from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, reader, today
from congtac12.dates import FIRST_YEAR, LAST_YEAR
from congtac12.errors import InvalidInput
from congtac12.i18n import _


@guarded
def calendar(
    cadre: Annotated[str, typer.Option("--cadre", help=_("The cadre (code or name)."))],
    year: Annotated[
        int | None,
        typer.Option("--year", help=_("A whole calendar year (default: the months of the policy's window).")),
    ] = None,
) -> None:
    """Show a cadre's days at the base as a calendar heat map.

    A row per month, a column per day, a letter per kind; the days that do not
    count (outside the window, before joining, after leaving, on leave) dim.

    Example: congtac12 calendar --cadre C01
    """
    from congtac12.domain.summary import counted_days_with_kinds, days_with_kinds
    from congtac12.render.charts import calendar_map
    from congtac12.services.policy import default_policy
    from congtac12.store.read.cadres import find_cadre
    from congtac12.store.read.facts import facts

    with reader() as s:  # plain SQL (store.read), no ORM
        policy = default_policy(s, date(year, 7, 1) if year and FIRST_YEAR <= year <= LAST_YEAR else today())
    if year is None:
        the_year = policy.window_start.year
        months = list(
            range(policy.window_start.month, 13 if policy.window_end.year > the_year else policy.window_end.month + 1)
        )
    else:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(
                _("--year {year} is out of range; accepted: years {first} to {last}").format(
                    year=year, first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        the_year, months = year, list(range(1, 13))
    first, last = date(the_year, 1, 1), date(the_year, 12, 31)
    with reader() as s:
        found = find_cadre(s, cadre)
        cadres, visits, _reports = facts(s, first=first, last=last, cadre_id=found.id)
    days = days_with_kinds(visits, first=first, last=last)
    # What counts is what status counts, every recorded day of the window seen (as of its end).
    counted = counted_days_with_kinds(policy, cadres[0], visits, max(policy.window_end, last), first=first, last=last)
    title = _("{name} ({code}) — days at the base, {year}").format(name=found.name, code=found.code, year=the_year)
    calendar_map(
        console(),
        days,
        counted,
        year=the_year,
        months=months,
        window=(policy.window_start, policy.window_end),
        title=title,
    )
