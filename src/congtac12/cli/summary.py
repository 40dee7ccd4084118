"""``congtac12 summary``: figures for the monthly briefing (giao ban) and the year-end summary."""

from typing import Annotated

import typer

from congtac12.cli.common import (
    PolicyOption,
    console,
    db_path,
    guarded,
    notice,
    parse_date,
    print_json,
    today,
)
from congtac12.i18n import _


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
    from congtac12.render.json import summary_dict
    from congtac12.render.tables import summary_tables
    from congtac12.render.text import summary_text
    from congtac12.services.summary import period_of, summary_of

    first, last, period = period_of(month, year)
    day = parse_date(as_of, "--as-of") if as_of is not None else min(last, today())
    sm = summary_of(db_path(), first=first, last=last, period=period, as_of=day, policy_name=policy, notify=notice)
    if json_:
        print_json(summary_dict(sm, period=month.strip() if month else period))
    elif month is not None:
        summary_tables(console(), sm, period=period)
    else:
        import sys

        sys.stdout.write(summary_text(sm, year=year))
