"""Trips to the base (đợt đi cơ sở): ``add-visit``, ``visits``, ``edit-visit``,
``delete-visit`` and ``restore-visit``."""

from typing import Annotated

import typer

from congtac12.cli.common import (
    console,
    guarded,
    parse_date,
    print_json,
    session,
    today,
)
from congtac12.errors import InvalidInput
from congtac12.i18n import _


@guarded
def add_visit(
    cadre: Annotated[str, typer.Option("--cadre", help="Code or name (diacritics optional).")],
    unit: Annotated[str, typer.Option("--unit", help='Unit name, or its place name: "Ba Đình".')],
    from_: Annotated[str, typer.Option("--from", metavar="DATE", help="First day: 05/03/2020, 2020-03-05, today.")],
    kind: Annotated[str, typer.Option("--kind", help="chuyen-de, phoi-hop, kiem-tra or sinh-hoat.")],
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="Last day (default: the first).")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="What the trip was about.")] = None,
    order: Annotated[
        str | None, typer.Option("--order", metavar="NUMBER", help="Travel order (công lệnh) number.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record a trip to the base.

    Example: congtac12 add-visit --cadre C01 --unit "Ba Đình" --from 05/03/2020 --to 06/03/2020 --kind chuyen-de
    """
    from congtac12.dates import show
    from congtac12.domain.counting import visit_days
    from congtac12.domain.facts import VisitFacts
    from congtac12.domain.vocab import kind_name, parse_kind
    from congtac12.render.json import added_visit_dict
    from congtac12.services.policy import default_policy
    from congtac12.store import commands, queries

    start = parse_date(from_, "--from")
    end = parse_date(to, "--to") if to is not None else start
    slug = parse_kind(kind)
    with session(write=True) as s:
        visit, the_cadre, the_unit = commands.add_visit(
            s, cadre=cadre, unit=unit, start=start, end=end, kind=slug, topic=topic, order_no=order
        )
        policy = default_policy(s, visit.start)
        cadre_facts, _visits, _reports = queries.facts(
            s, first=policy.window_start, last=policy.window_end, cadre_id=the_cadre.id
        )
    facts = VisitFacts(visit.id, the_cadre.code, visit.start, visit.end, visit.kind, the_unit.level)
    counted, uncounted = visit_days(facts, cadre_facts[0], policy, as_of=policy.window_end)
    due = policy.report_due(visit.end)
    if json_:
        print_json(added_visit_dict(visit, the_cadre.code, the_unit.name, counted, uncounted, due, policy.id))
        return
    not_counted = ""
    if uncounted:
        not_counted = "\n" + _(
            "{days} day(s) of it do not count: outside {code}'s service period or on leave "
            "(see 'status --cadre {code} --explain')."
        ).format(days=sum(u.days for u in uncounted), code=the_cadre.code)
    console().print(
        _("Added visit {id}: {code} {name} at {unit}, {start} to {end} ({kind}).").format(
            id=visit.id,
            code=the_cadre.code,
            name=the_cadre.name,
            unit=the_unit.name,
            start=show(visit.start),
            end=show(visit.end),
            kind=kind_name(visit.kind),
        )
        + "\n"
        + _("Counts {days} day(s) in the window {first} to {last}. Report due {due}.").format(
            days=counted, first=show(policy.window_start), last=show(policy.window_end), due=show(due)
        )
        + not_counted,
        markup=False,
    )


@guarded
def list_visits(
    cadre: Annotated[str | None, typer.Option("--cadre", help="Only this cadre (code or name).")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Only visits ending on or after this day.")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Only visits starting on or before this day.")
    ] = None,
    deleted: Annotated[
        bool, typer.Option("--deleted", help=_("List the deleted visits instead (see restore-visit)."))
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List visits, oldest first.

    Example: congtac12 visits --cadre "nguyen van an" --from 01/03/2020 --to 31/03/2020
    """
    from congtac12.render.json import visits_list
    from congtac12.render.tables import visits_table
    from congtac12.services.policy import default_policy
    from congtac12.store import queries

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else None
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            _("{last_label} {end} is before {first_label} {start}; the last day must be on or after the first").format(
                last_label="--to", end=end.isoformat(), first_label="--from", start=start.isoformat()
            )
        )
    with session() as s:
        policy = default_policy(s, today())  # only its report_due_days is used here
        cadre_id = queries.find_cadre(s, cadre).id if cadre is not None else None
        rows = queries.visit_rows(s, cadre_id=cadre_id, start=start, end=end, deleted=deleted)
    if json_:
        print_json(visits_list(rows, policy))
    else:
        visits_table(console(), rows, policy.report_due)


VISIT_ID = Annotated[int, typer.Argument(metavar="VISIT_ID", help=_("The visit's id (see 'congtac12 visits')."))]


@guarded
def edit_visit(
    visit_id: VISIT_ID,
    unit: Annotated[str | None, typer.Option("--unit", help=_("Unit name, or its place name."))] = None,
    from_: Annotated[str | None, typer.Option("--from", metavar="DATE", help=_("First day."))] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help=_("Last day."))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=_("chuyen-de, phoi-hop, kiem-tra or sinh-hoat."))] = None,
    topic: Annotated[str | None, typer.Option("--topic", help=_('What the trip was about ("" removes it).'))] = None,
    order: Annotated[
        str | None, typer.Option("--order", metavar="NUMBER", help=_('Travel order number ("" removes it).'))
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Correct a visit, under the same rules as add-visit; the change is kept in the history.

    Example: congtac12 edit-visit 7 --to 07/03/2020 --kind sinh-hoat
    """
    from congtac12.domain.vocab import parse_kind
    from congtac12.render.json import edited_visit_dict
    from congtac12.render.text import change_lines
    from congtac12.store import commands
    from congtac12.store.models import Unit

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else None
    slug = parse_kind(kind) if kind is not None else None
    with session(write=True) as s:
        visit, _cadre, _unit, changes = commands.edit_visit(
            s, visit_id=visit_id, unit=unit, start=start, end=end, kind=slug, topic=topic, order_no=order
        )
        if "unit_id" in changes:
            old, new = changes.pop("unit_id")
            changes = {"unit": (s.get(Unit, old).name, s.get(Unit, new).name), **changes}
    if json_:
        print_json(edited_visit_dict(visit.id, changes))
        return
    if not changes:
        console().print(_("Visit {id} already holds these values; nothing changed.").format(id=visit.id), markup=False)
        return
    console().print(_("Edited visit {id}:").format(id=visit.id), markup=False)
    for line in change_lines(changes):
        console().print("  " + line, markup=False)


@guarded
def delete_visit(visit_id: VISIT_ID) -> None:
    """Delete a visit (and its report): it no longer counts, and restore-visit brings it back.

    Example: congtac12 delete-visit 7
    """
    _delete_or_restore(
        "delete_visit",
        visit_id,
        _("Deleted visit {id}{note}; it no longer counts. Undo with: congtac12 restore-visit {id}"),
    )


@guarded
def restore_visit(visit_id: VISIT_ID) -> None:
    """Bring back a deleted visit (and its report); 'visits --deleted' lists them.

    Example: congtac12 restore-visit 7
    """
    _delete_or_restore("restore_visit", visit_id, _("Restored visit {id}{note}."))


def _delete_or_restore(command: str, visit_id: int, message: str) -> None:
    from congtac12.store import commands

    with session(write=True) as s:
        visit, report = getattr(commands, command)(s, visit_id=visit_id)
    note = _(" and its report") if report is not None else ""
    console().print(message.format(id=visit.id, note=note), markup=False)
