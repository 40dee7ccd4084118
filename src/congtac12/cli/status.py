"""``congtac12 status``: where each cadre stands against the 1+2 rules."""

from datetime import date
from typing import Annotated, Optional

import typer

from congtac12.cli.common import console, guarded, parse_date, print_json, session, today
from congtac12.cli.common import cycle_collector_paused


@cycle_collector_paused
def show_status(*, cadre: str | None, as_of: date, json_: bool, policy_name: str | None = None) -> None:
    """Evaluate and render; shared by ``status`` and ``demo``."""
    from congtac12.policies import load_policy
    from congtac12.render import cadre_detail, evaluation_dict, status_tables
    from congtac12.rules import evaluate
    from congtac12.store import queries

    policy = load_policy(policy_name) if policy_name else load_policy()
    last = min(policy.window_end, as_of)
    with session() as s:
        cadre_id = queries.find_cadre(s, cadre).id if cadre is not None else None
        cadres, visits, reports = queries.facts(
            s, first=policy.window_start, last=last, cadre_id=cadre_id
        )
    ev = evaluate(policy, cadres, visits, reports, as_of)
    if json_:
        print_json(evaluation_dict(ev))
    elif cadre is not None:
        cadre_detail(console(), ev, ev.cadres[0])
    else:
        status_tables(console(), ev)


@guarded
def status(
    cadre: Annotated[Optional[str], typer.Option("--cadre", help="One cadre (code or name); default all.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Count only what happened by this day (default: today).")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show each cadre's days, content minimums, reports and state, grouped by department.

    Example: congtac12 status --cadre "nguyen van an" --as-of 13/11/2020
    """
    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    show_status(cadre=cadre, as_of=day, json_=json_)
