"""``congtac12 status``: where each cadre stands against the 1+2 rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

import typer

from congtac12.cli.common import (
    PolicyOption,
    YearOption,
    console,
    guarded,
    parse_date,
    print_json,
    resolve_policy,
    session,
    today,
)
from congtac12.errors import InvalidInput
from congtac12.i18n import _


def show_status(
    *, cadre: str | None, as_of: date, json_: bool, policy_name: str | None = None,
    year: int | None = None, explain: bool = False,
) -> None:
    """Evaluate and render; shared by ``status`` and ``demo``."""
    from congtac12.render import cadre_detail, evaluation_dict, explain_cadre, status_tables
    from congtac12.rules import evaluate
    from congtac12.store import queries

    with session() as s:
        policy = resolve_policy(policy_name, year, s, as_of=as_of)
        last = min(policy.window_end, as_of)
        cadre_id = queries.find_cadre(s, cadre).id if cadre is not None else None
        cadres, visits, reports = queries.facts(
            s, first=policy.window_start, last=last, cadre_id=cadre_id
        )
    ev = evaluate(policy, cadres, visits, reports, as_of)
    if json_:
        print_json(evaluation_dict(ev))
    elif explain:
        explain_cadre(console(), ev, ev.cadres[0])
    elif cadre is not None:
        cadre_detail(console(), ev, ev.cadres[0])
    else:
        status_tables(console(), ev)


@guarded
def status(
    cadre: Annotated[Optional[str], typer.Option("--cadre", help=_("One cadre (code or name); default all."))] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help=_("Count only what happened by this day (default: today)."))] = None,
    policy: PolicyOption = None,
    year: YearOption = None,
    explain: Annotated[bool, typer.Option("--explain", help=_("With --cadre: show how each figure was reached."))] = False,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show each cadre's days, content minimums, reports and state, grouped by department.

    Example: congtac12 status --cadre "nguyen van an" --as-of 13/11/2020 --explain
    """
    if explain and cadre is None:
        raise InvalidInput(_("--explain needs --cadre; accepted: status --cadre CODE --explain"))
    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    show_status(cadre=cadre, as_of=day, json_=json_, policy_name=policy, year=year, explain=explain)
