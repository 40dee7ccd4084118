"""``congtac12 cadre add|list``: the cadres (cán bộ) whose work is recorded."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from congtac12.cli.common import console, guarded, parse_date, print_json, session
from congtac12.i18n import _

app = typer.Typer(help="Add and list cadres (cán bộ).", no_args_is_help=True)


@app.command("add")
@guarded
def add(
    code: Annotated[str, typer.Option("--code", help="A short unique code, e.g. C01.")],
    name: Annotated[str, typer.Option("--name", help="Full name, e.g. \"Nguyễn Văn An\".")],
    dept: Annotated[str, typer.Option("--dept", help="Department (Ban / Văn phòng).")],
    email: Annotated[Optional[str], typer.Option("--email", help="Address for reminders.")] = None,
    not_subject: Annotated[
        bool, typer.Option("--not-subject", help="Not subject to the 1+2 regime (no checks).")
    ] = False,
    joined: Annotated[
        Optional[str], typer.Option("--joined", metavar="DATE", help=_("First day of service (default: before any window)."))
    ] = None,
    left: Annotated[
        Optional[str], typer.Option("--left", metavar="DATE", help=_("Last day of service (default: still serving)."))
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
            s, code=code, name=name, department=dept, email=email, subject=not not_subject,
            joined=joined_on, left=left_on,
        )
        note = "" if cadre.subject else " — not subject to the regime"
        if cadre.joined is not None or cadre.left is not None:
            note += _("; in service {joined} to {left}").format(
                joined=cadre.joined.isoformat() if cadre.joined else "…",
                left=cadre.left.isoformat() if cadre.left else "…",
            )
        console().print(f"Added cadre {cadre.code} {cadre.name} ({cadre.department}){note}.", markup=False)


@app.command("list")
@guarded
def list_(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List cadres by department.

    Example: congtac12 cadre list --json
    """
    from congtac12.render import cadres_table
    from congtac12.store import queries

    with session() as s:
        rows = queries.cadres(s)
    if json_:
        print_json([
            {"code": c.code, "name": c.name, "department": c.department, "email": c.email,
             "subject": c.subject, "joined": c.joined.isoformat() if c.joined else None,
             "left": c.left.isoformat() if c.left else None}
            for c in rows
        ])
    else:
        cadres_table(console(), rows)
