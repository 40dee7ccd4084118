"""``congtac12 cadre add|list|edit|delete|restore``: the cadres (cán bộ) whose work is recorded."""

from datetime import date
from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, parse_date, print_json, reader, session
from congtac12.dates import show
from congtac12.i18n import N_, _
from congtac12.render.formats import plural

app = typer.Typer(
    help=_("Add, list, edit, delete and restore cadres (cán bộ)."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

CADRE = Annotated[str, typer.Argument(metavar="CADRE", help=_("Code or name (diacritics optional)."))]


@app.command("add")
@guarded
def add(
    code: Annotated[str, typer.Option("--code", help="A short unique code, e.g. C01.")],
    name: Annotated[str, typer.Option("--name", help='Full name, e.g. "Nguyễn Văn An".')],
    dept: Annotated[str, typer.Option("--dept", help="Department (Ban / Văn phòng).")],
    email: Annotated[str | None, typer.Option("--email", help="Address for reminders.")] = None,
    not_subject: Annotated[
        bool, typer.Option("--not-subject", help="Not subject to the 1+2 regime (no checks).")
    ] = False,
    joined: Annotated[
        str | None,
        typer.Option("--joined", metavar="DATE", help=_("First day of service (default: before any window).")),
    ] = None,
    left: Annotated[
        str | None, typer.Option("--left", metavar="DATE", help=_("Last day of service (default: still serving)."))
    ] = None,
) -> None:
    """Add a cadre. A cadre who joins or leaves during the window has the required days pro-rated.

    Example: congtac12 cadre add --code C01 --name "Nguyễn Văn An" --dept "Ban Tổ chức – Kiểm tra" --joined 01/07/2020
    """
    from congtac12.store import commands

    joined_on = parse_date(joined, "--joined") if joined is not None else None
    left_on = parse_date(left, "--left") if left is not None else None
    with session(write=True) as s:
        cadre = commands.add_cadre(
            s,
            code=code,
            name=name,
            department=dept,
            email=email,
            subject=not not_subject,
            joined=joined_on,
            left=left_on,
        )
    note = "" if cadre.subject else _(" — not subject to the regime")
    if cadre.joined is not None or cadre.left is not None:
        note += _("; in service {joined} to {left}").format(
            joined=show(cadre.joined) if cadre.joined else "…",
            left=show(cadre.left) if cadre.left else "…",
        )
    console().print(
        _("Added cadre {code} {name} ({department}){note}.").format(
            code=cadre.code, name=cadre.name, department=cadre.department, note=note
        ),
        markup=False,
    )


@app.command("list")
@guarded
def list_(
    all_: Annotated[bool, typer.Option("--all", help=_("Include deactivated cadres."))] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List cadres by department.

    Example: congtac12 cadre list --json
    """
    from congtac12.render.json import cadres_list
    from congtac12.render.tables import cadres_table
    from congtac12.store.read.cadres import cadre_rows

    with reader() as s:  # plain SQL (store.read), no ORM
        rows = cadre_rows(s, deactivated=all_)
    if json_:
        print_json(cadres_list(rows))
    else:
        cadres_table(console(), rows, show_active=all_)


@app.command("edit")
@guarded
def edit(
    cadre: CADRE,
    name: Annotated[str | None, typer.Option("--name", help=_("Full name."))] = None,
    dept: Annotated[str | None, typer.Option("--dept", help=_("Department (Ban / Văn phòng)."))] = None,
    email: Annotated[str | None, typer.Option("--email", help=_('Address for reminders ("" removes it).'))] = None,
    subject: Annotated[
        bool | None,
        typer.Option("--subject/--not-subject", help=_("Subject to the 1+2 regime, or not (no checks).")),
    ] = None,
    joined: Annotated[
        str | None,
        typer.Option(
            "--joined", metavar="DATE|none", help=_("First day of service ('none' removes it)."), show_default=False
        ),
    ] = None,
    left: Annotated[
        str | None,
        typer.Option(
            "--left", metavar="DATE|none", help=_("Last day of service ('none' removes it)."), show_default=False
        ),
    ] = None,
) -> None:
    """Correct a cadre's name, department, email, subjection or service period; the change is kept in the history.

    Example: congtac12 cadre edit C01 --dept "Ban Tuyên giáo" --email an.nv@example.vn
    Example: congtac12 cadre edit C41 --left none      (still serving: no last day)
    """
    from congtac12.render.text import change_lines
    from congtac12.store import commands

    with session(write=True) as s:
        the_cadre, changes = commands.edit_cadre(
            s,
            cadre=cadre,
            name=name,
            department=dept,
            email=email,
            subject=subject,
            joined=_service_day(joined, "--joined"),
            left=_service_day(left, "--left"),
        )
    if not changes:
        console().print(
            _("Cadre {code} already holds these values; nothing changed.").format(code=the_cadre.code),
            markup=False,
        )
        return
    console().print(_("Edited cadre {code}:").format(code=the_cadre.code), markup=False)
    for line in change_lines(changes):
        console().print("  " + line, markup=False)


def _service_day(text: str | None, option: str) -> date | str | None:
    """A day of the service period as typed: a date, ``commands.CLEAR`` for 'none' (or 'không'), None if not given."""
    from congtac12.store.commands import CLEAR
    from congtac12.text import fold

    if text is None:
        return None
    if fold(text) in ("none", "khong"):
        return CLEAR
    return parse_date(text, option)


@app.command("delete")
@guarded
def delete(cadre: CADRE) -> None:
    """Deactivate a cadre: hidden from lists and status, never erased; 'cadre restore' brings it back.

    Example: congtac12 cadre delete C40
    """
    from congtac12.store import commands

    with session(write=True) as s:
        the_cadre, visits = commands.delete_cadre(s, cadre=cadre)
    console().print(
        plural(
            visits,
            N_("Deactivated cadre {code} {name}; {n} visit stays recorded. Undo with: congtac12 cadre restore {code}"),
            N_("Deactivated cadre {code} {name}; {n} visits stay recorded. Undo with: congtac12 cadre restore {code}"),
            code=the_cadre.code,
            name=the_cadre.name,
        ),
        markup=False,
    )


@app.command("restore")
@guarded
def restore(cadre: CADRE) -> None:
    """Bring back a deactivated cadre ('cadre list --all' shows them).

    Example: congtac12 cadre restore C40
    """
    from congtac12.store import commands

    with session(write=True) as s:
        the_cadre = commands.restore_cadre(s, cadre=cadre)
    console().print(_("Restored cadre {code} {name}.").format(code=the_cadre.code, name=the_cadre.name), markup=False)
