"""``congtac12 add-visit`` and ``congtac12 visits``: trips to the base (đợt đi cơ sở)."""

from typing import Annotated, Optional

import typer

from congtac12.cli.common import console, guarded, parse_date, print_json, session
from congtac12.errors import InvalidInput


@guarded
def add_visit(
    cadre: Annotated[str, typer.Option("--cadre", help="Code or name (diacritics optional).")],
    unit: Annotated[str, typer.Option("--unit", help="Unit name, or its place name: \"Ba Đình\".")],
    from_: Annotated[str, typer.Option("--from", metavar="DATE", help="First day: 05/03/2020, 2020-03-05, today.")],
    kind: Annotated[str, typer.Option("--kind", help="chuyen-de, phoi-hop, kiem-tra or sinh-hoat.")],
    to: Annotated[Optional[str], typer.Option("--to", metavar="DATE", help="Last day (default: the first).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="What the trip was about.")] = None,
    order: Annotated[Optional[str], typer.Option("--order", metavar="NUMBER", help="Travel order (công lệnh) number.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record a trip to the base.

    Example: congtac12 add-visit --cadre C01 --unit "Ba Đình" --from 05/03/2020 --to 06/03/2020 --kind chuyen-de
    """
    from congtac12.policies import load_policy
    from congtac12.rules import VisitFacts, counted_days
    from congtac12.store import commands
    from congtac12.vocab import KINDS, parse_kind

    start = parse_date(from_, "--from")
    end = parse_date(to, "--to") if to is not None else start
    slug = parse_kind(kind)
    policy = load_policy()
    with session(write=True) as s:
        visit, the_cadre, the_unit = commands.add_visit(
            s, cadre=cadre, unit=unit, start=start, end=end, kind=slug, topic=topic, order_no=order
        )
    facts = VisitFacts(visit.id, the_cadre.code, visit.start, visit.end, visit.kind)
    counted = counted_days(facts, policy, as_of=policy.window_end)
    due = policy.report_due(visit.end)
    if json_:
        print_json({
            "id": visit.id, "cadre": the_cadre.code, "unit": the_unit.name,
            "start": visit.start.isoformat(), "end": visit.end.isoformat(), "kind": visit.kind,
            "topic": visit.topic, "order": visit.order_no, "days_counted": counted,
            "report_due": due.isoformat(), "policy": policy.id,
        })
        return
    console().print(
        f"Added visit {visit.id}: {the_cadre.code} {the_cadre.name} at {the_unit.name}, "
        f"{visit.start.isoformat()} to {visit.end.isoformat()} ({KINDS[visit.kind]}).\n"
        f"Counts {counted} day(s) in the window {policy.window_start.isoformat()} to "
        f"{policy.window_end.isoformat()}. Report due {due.isoformat()}.",
        markup=False,
    )


@guarded
def list_visits(
    cadre: Annotated[Optional[str], typer.Option("--cadre", help="Only this cadre (code or name).")] = None,
    from_: Annotated[Optional[str], typer.Option("--from", metavar="DATE", help="Only visits ending on or after this day.")] = None,
    to: Annotated[Optional[str], typer.Option("--to", metavar="DATE", help="Only visits starting on or before this day.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List visits, oldest first.

    Example: congtac12 visits --cadre "nguyen van an" --from 01/03/2020 --to 31/03/2020
    """
    from congtac12.policies import load_policy
    from congtac12.render import visits_table
    from congtac12.store import queries

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else None
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"--to {end.isoformat()} is before --from {start.isoformat()}; the last day must be on or after the first"
        )
    policy = load_policy()
    with session() as s:
        cadre_id = queries.find_cadre(s, cadre).id if cadre is not None else None
        rows = queries.visit_rows(s, cadre_id=cadre_id, start=start, end=end)
    if json_:
        print_json([
            {
                "id": v.id, "cadre": v.cadre_code, "name": v.cadre_name, "unit": v.unit,
                "start": v.start.isoformat(), "end": v.end.isoformat(), "kind": v.kind,
                "topic": v.topic, "order": v.order_no,
                "report_due": policy.report_due(v.end).isoformat(),
                "reported_on": v.reported_on.isoformat() if v.reported_on else None,
            }
            for v in rows
        ])
    else:
        visits_table(console(), rows, policy.report_due)
