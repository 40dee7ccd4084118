"""``congtac12 cadre add|list``: the cadres (cán bộ) whose work is recorded."""

from typing import Annotated, Optional

import typer

from congtac12.cli.common import console, guarded, print_json, session

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
) -> None:
    """Add a cadre.

    Example: congtac12 cadre add --code C01 --name "Nguyễn Văn An" --dept "Ban Tổ chức – Kiểm tra"
    """
    from congtac12.store import commands

    with session(write=True) as s:
        cadre = commands.add_cadre(
            s, code=code, name=name, department=dept, email=email, subject=not not_subject
        )
        note = "" if cadre.subject else " — not subject to the regime"
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
             "subject": c.subject}
            for c in rows
        ])
    else:
        cadres_table(console(), rows)
