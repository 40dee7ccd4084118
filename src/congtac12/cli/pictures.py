"""``congtac12 calendar``: a cadre's days at the base as a calendar heat map."""

from datetime import date
from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, session, today
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

    A row per month, a column per day, a letter per kind.

    Example: congtac12 calendar --cadre C01
    """
    from congtac12.domain.summary import days_with_kinds
    from congtac12.render.charts import calendar_map
    from congtac12.services.policy import default_policy
    from congtac12.store import queries

    with session() as s:
        policy = default_policy(s, date(year, 7, 1) if year and 1 <= year <= 9999 else today())
    if year is None:
        the_year = policy.window_start.year
        months = list(
            range(policy.window_start.month, 13 if policy.window_end.year > the_year else policy.window_end.month + 1)
        )
    else:
        if not 1 <= year <= 9999:
            raise InvalidInput(_("--year {year} is not a year; accepted: e.g. 2020").format(year=year))
        the_year, months = year, list(range(1, 13))
    first, last = date(the_year, 1, 1), date(the_year, 12, 31)
    with session() as s:
        found = queries.find_cadre(s, cadre)
        _cadres, visits, _reports = queries.facts(s, first=first, last=last, cadre_id=found.id)
    days = days_with_kinds(visits, first=first, last=last)
    title = _("{name} ({code}) — days at the base, {year}").format(name=found.name, code=found.code, year=the_year)
    calendar_map(console(), days, year=the_year, months=months, policy=policy, title=title)
