"""``congtac12 leave add|list|delete``: cadres' leave (nghỉ), which pro-rates their requirement."""

from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, parse_date, print_json, reader, session
from congtac12.dates import show_period
from congtac12.i18n import _
from congtac12.render.formats import days_text

app = typer.Typer(
    help=_("Record, list and delete cadres' leave (nghỉ)."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command("add")
@guarded
def add(
    cadre: Annotated[str, typer.Option("--cadre", help=_("Code or name (diacritics optional)."))],
    from_: Annotated[str, typer.Option("--from", metavar="DATE", help=_("First day of leave."))],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help=_("Last day of leave."))],
    reason: Annotated[str, typer.Option("--reason", help=_("thai-san, hoc-tap, om-dau or khac."))],
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Record a period of leave; its days reduce the cadre's required days.

    Example: congtac12 leave add --cadre C05 --from 01/09/2020 --to 28/02/2021 --reason thai-san
    """
    from congtac12.domain.vocab import leave_reason_name, parse_leave_reason
    from congtac12.render.json import leave_dict
    from congtac12.store import commands

    start = parse_date(from_, "--from")
    end = parse_date(to, "--to")
    slug = parse_leave_reason(reason)
    with session(write=True) as s:
        leave, the_cadre = commands.add_leave(s, cadre=cadre, start=start, end=end, reason=slug)
    days = (leave.end - leave.start).days + 1
    if json_:
        print_json(leave_dict(leave, the_cadre.code))
        return
    console().print(
        _("Added leave {id}: {code} {name}, {when} ({days}, {reason}).").format(
            id=leave.id,
            code=the_cadre.code,
            name=the_cadre.name,
            when=show_period(leave.start, leave.end),
            days=days_text(days),
            reason=leave_reason_name(leave.reason),
        ),
        markup=False,
    )


@app.command("list")
@guarded
def list_(
    cadre: Annotated[str | None, typer.Option("--cadre", help=_("Only this cadre (code or name)."))] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """List leave, oldest first.

    Example: congtac12 leave list --cadre C05
    """
    from congtac12.render.json import leave_list
    from congtac12.render.tables import leave_table
    from congtac12.store.read.cadres import find_cadre, leave_rows

    with reader() as s:  # plain SQL (store.read), no ORM
        cadre_id = find_cadre(s, cadre).id if cadre is not None else None
        rows = leave_rows(s, cadre_id=cadre_id)
    if json_:
        print_json(leave_list(rows))
    else:
        leave_table(console(), rows)


@app.command("delete")
@guarded
def delete(
    leave_id: Annotated[int, typer.Argument(metavar="ID", help=_("The leave's id (see 'congtac12 leave list')."))],
) -> None:
    """Delete a period of leave.

    Example: congtac12 leave delete 3
    """
    from congtac12.domain.vocab import leave_reason_name
    from congtac12.store import commands

    with session(write=True) as s:
        leave, the_cadre = commands.delete_leave(s, leave_id=leave_id)
    console().print(
        _("Deleted leave {id}: {code}, {when} ({reason}).").format(
            id=leave_id,
            code=the_cadre.code,
            when=show_period(leave.start, leave.end),
            reason=leave_reason_name(leave.reason),
        ),
        markup=False,
    )
