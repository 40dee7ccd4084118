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
    cadre: Annotated[str | None, typer.Option("--cadre", help=_("The cadre (code or name)."))] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help=_("A unit instead: who is registered to come, day by day."))
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help=_("A whole calendar year (default: the months of the policy's window).")),
    ] = None,
) -> None:
    """Show a cadre's days at the base as a calendar heat map.

    A row per month, a column per day, a letter per kind; the days that do not
    count (outside the window, before joining, after leaving, on leave) dim.

    With --unit, the unit's calendar of plans (đăng ký): on each day the number of
    cadres registered to come (submitted, approved or done), and the list below.

    Example: congtac12 calendar --cadre C01
    """
    from congtac12.domain.summary import counted_days_with_kinds, days_with_kinds
    from congtac12.render.charts import calendar_map
    from congtac12.services.policy import default_policy
    from congtac12.store.read.cadres import find_cadre
    from congtac12.store.read.facts import facts

    if (cadre is None) == (unit is None):
        raise InvalidInput(_("give --cadre CODE (a cadre's days) or --unit NAME (a unit's plans), one of them"))
    if unit is not None:  # a whole calendar year (this one by default): plans know no window
        the_year = year if year is not None else today().year
        if not FIRST_YEAR <= the_year <= LAST_YEAR:
            raise InvalidInput(
                _("--year {year} is out of range; accepted: years {first} to {last}").format(
                    year=the_year, first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        _unit_calendar(unit, the_year, list(range(1, 13)), date(the_year, 1, 1), date(the_year, 12, 31))
        return
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
    assert cadre is not None  # exactly one of --cadre/--unit was given, and --unit returned above
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


def _unit_calendar(unit: str, year: int, months: list[int], first: date, last: date) -> None:
    from congtac12.cli.common import db_path, notice
    from congtac12.render.plans import plans_table, unit_calendar_map
    from congtac12.services.plans import unit_plans

    listing, name = unit_plans(db_path(), unit=unit, first=first, last=last, as_of=today(), notify=notice)
    title = _("{unit} — cadres registered to come, {year}").format(unit=name, year=year)
    unit_calendar_map(console(), listing, year=year, months=months, title=title)
    plans_table(console(), listing, by_unit=True)
