"""Trips to the base (đợt đi cơ sở): ``add-visit``, ``visits``, ``edit-visit``,
``delete-visit`` and ``restore-visit``."""

from typing import TYPE_CHECKING, Annotated

import typer

from congtac12.cli.common import (
    console,
    db_path,
    guarded,
    notice,
    parse_date,
    print_json,
    session,
    warn,
    warn_outside,
)
from congtac12.dates import show, show_period
from congtac12.errors import InvalidInput
from congtac12.i18n import N_, _
from congtac12.render.formats import plural

if TYPE_CHECKING:
    from datetime import date

    from congtac12.domain.counting import VisitCount
    from congtac12.domain.policy import Policy
    from congtac12.services.visits import Overlap


@guarded
def add_visit(
    cadre: Annotated[str | None, typer.Option("--cadre", help="Code or name (diacritics optional).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help='Unit name, or its place name: "Ba Đình".')] = None,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="First day: 05/03/2020, 2020-03-05, today.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="chuyen-de, phoi-hop, kiem-tra or sinh-hoat.")] = None,
    plan: Annotated[
        int | None,
        typer.Option("--plan", metavar="ID", help=_("The approved plan this trip fulfils: its facts are the default.")),
    ] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="Last day (default: the first).")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="What the trip was about.")] = None,
    order: Annotated[
        str | None, typer.Option("--order", metavar="NUMBER", help="Travel order (công lệnh) number.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Refuse a visit that overlaps another of the cadre's."))
    ] = False,
) -> None:
    """Record a trip to the base.

    A trip sharing days with another of the same cadre is recorded, with a
    warning naming the other visit and the shared days (they count once);
    --strict refuses it.

    Example: congtac12 add-visit --cadre C01 --unit "Ba Đình" --from 05/03/2020 --to 06/03/2020 --kind chuyen-de
    """
    from congtac12.domain.vocab import kind_name, parse_kind
    from congtac12.render.json import added_visit_dict
    from congtac12.services.visits import add_visit as record

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else start
    slug = parse_kind(kind) if kind is not None else None
    if plan is None:
        _require_visit_options(cadre=cadre, unit=unit, from_=from_, kind=kind)
    added = record(
        db_path(),
        plan=plan,
        cadre=cadre,
        unit=unit,
        start=start,
        end=end,
        kind=slug,
        topic=topic,
        order_no=order,
        strict=strict,
        notify=notice,
    )
    visit, policy, counted, due = added.visit, added.policy, added.counted, added.due
    _warn_overlaps(visit.id, visit.start, visit.end, added.overlaps)
    if added.outside:
        warn_outside(policy, [(visit.id, visit.start, visit.end)])
    if json_:
        shown = added_visit_dict(
            visit, added.cadre_code, added.unit_name, counted.days, counted.uncounted, due, policy.id
        )
        print_json({**shown, "plan": added.plan_id})
        return
    console().print(
        _("Added visit {id}: {code} {name} at {unit}, {when} ({kind}).").format(
            id=visit.id,
            code=added.cadre_code,
            name=added.cadre_name,
            unit=added.unit_name,
            when=show_period(visit.start, visit.end),
            kind=kind_name(visit.kind),
        )
        + "\n"
        + _counted_text(policy, counted, added.cadre_code, due)
        + ("" if added.plan_id is None else "\n" + _("It fulfils plan {id} (now done).").format(id=added.plan_id)),
        markup=False,
    )


def _require_visit_options(**given: str | None) -> None:
    """Without --plan, add-visit needs every fact of the trip."""
    for name, value in given.items():
        if value is None:
            option = "--" + name.rstrip("_")
            raise InvalidInput(
                _("missing option {option}; add-visit needs --cadre, --unit, --from and --kind, or --plan ID").format(
                    option=option
                )
            )


def _counted_text(policy: "Policy", counted: "VisitCount", code: str, due: "date | None") -> str:
    """What a visit counts and whether it owes a report, as add-visit and edit-visit say it."""

    text = plural(
        counted.days,
        N_("Counts {n} day in the window {first} to {last}."),
        N_("Counts {n} days in the window {first} to {last}."),
        first=show(policy.window_start),
        last=show(policy.window_end),
    )
    if due is not None:
        text += " " + _("Report due {due}.").format(due=show(due))
    else:
        text += " " + _("It owes no report: none of its days count.")
    if counted.uncounted:
        text += "\n" + plural(
            sum(u.days for u in counted.uncounted),
            N_(
                "{n} day of it does not count: outside {code}'s service period or on leave "
                "(see 'status --cadre {code} --explain')."
            ),
            N_(
                "{n} days of it do not count: outside {code}'s service period or on leave "
                "(see 'status --cadre {code} --explain')."
            ),
            code=code,
        )
    return text


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
    from congtac12.services.visits import listed_visits

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else None
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            _("{last_label} {end} is before {first_label} {start}; the last day must be on or after the first").format(
                last_label="--to", end=show(end), first_label="--from", start=show(start)
            )
        )
    rows, counted, due = listed_visits(db_path(), cadre=cadre, start=start, end=end, deleted=deleted, notify=notice)
    if json_:
        from congtac12.render.json import visits_list

        print_json(visits_list(rows, due, counted))
    else:
        from congtac12.render.tables import visits_table

        visits_table(console(), rows, due, counted)


def _warn_overlaps(visit_id: int, start: "date", end: "date", overlaps: "list[Overlap]") -> None:
    from congtac12.services.visits import overlap_text

    if overlaps:
        warn(overlap_text(visit_id, start, end, overlaps))


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
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Refuse a visit that overlaps another of the cadre's."))
    ] = False,
) -> None:
    """Correct a visit, under the same rules as add-visit; the change is kept in the history.

    Example: congtac12 edit-visit 7 --to 07/03/2020 --kind sinh-hoat
    """
    from congtac12.domain.vocab import parse_kind
    from congtac12.render.json import edited_visit_dict
    from congtac12.render.text import change_lines
    from congtac12.services.visits import edit_visit as correct

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else None
    slug = parse_kind(kind) if kind is not None else None
    edited = correct(
        db_path(),
        visit_id=visit_id,
        unit=unit,
        start=start,
        end=end,
        kind=slug,
        topic=topic,
        order_no=order,
        strict=strict,
        notify=notice,
    )
    visit, policy, counted, due, changes = edited.visit, edited.policy, edited.counted, edited.due, edited.changes
    _warn_overlaps(visit.id, visit.start, visit.end, edited.overlaps)
    if json_:
        print_json(edited_visit_dict(visit.id, changes, counted.days, due))
        return
    if not changes:
        console().print(_("Visit {id} already holds these values; nothing changed.").format(id=visit.id), markup=False)
        return
    console().print(_("Edited visit {id}:").format(id=visit.id), markup=False)
    for line in change_lines(changes):
        console().print("  " + line, markup=False)
    if {"start", "end"} & changes.keys():
        console().print(_counted_text(policy, counted, edited.cadre_code, due), markup=False)


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
