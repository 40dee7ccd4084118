"""``congtac12 org init|grant|list``: organisation mode's rights on a shared PostgreSQL database."""

from typing import Annotated

import typer

from congtac12.cli.common import console, db_path, guarded, notice, print_json
from congtac12.i18n import _

app = typer.Typer(
    help=_("Organisation mode (PostgreSQL): roles, rights and the logins of cadres."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command("init")
@guarded
def init() -> None:
    """Set up the rights in a PostgreSQL database (run by its owner; running it again changes nothing).

    Makes the schema if needed, the roles congtac12_admin (reads and writes everything)
    and congtac12_cadre (reads everything, writes only its own visits, reports and leave),
    and the row-level security policies that hold each cadre login to its own records.
    Example: congtac12 --db postgresql://owner@db.example.vn/congtac12 org init
    """
    from congtac12.store import org

    target = org.require_pg(db_path())
    org.init(target, notify=notice)
    console().print(
        _(
            "Organisation mode is set up in {path}: roles {admin} and {cadre}, row-level security on "
            "visits, reports and leave. Tie each login to a cadre with "
            "'congtac12 org grant --cadre CODE --login LOGIN'."
        ).format(path=target, admin=org.ADMIN_ROLE, cadre=org.CADRE_ROLE),
        markup=False,
        soft_wrap=True,
    )


@app.command("grant")
@guarded
def grant(
    login: Annotated[str, typer.Option("--login", help=_("The PostgreSQL login (made if missing)."))],
    cadre: Annotated[
        str | None, typer.Option("--cadre", help=_("The cadre it writes for: code or name (diacritics optional)."))
    ] = None,
    admin: Annotated[
        bool,
        typer.Option("--admin", help=_("An administrator (organisation department): reads and writes everything.")),
    ] = False,
) -> None:
    """Tie a PostgreSQL login to a cadre, or make it an administrator (run by the owner).

    Example: congtac12 org grant --cadre C01 --login an_nv
    """
    from congtac12.store import org

    target = org.require_pg(db_path())
    done = org.grant(target, login=login, cadre=cadre, admin=admin)
    out = console()
    if done.admin:
        line = _("Login {login} is an administrator: it reads and writes every record.").format(login=done.login)
        if done.cadre_code:
            line += " " + _("Its own cadre is {code} {name}.").format(code=done.cadre_code, name=done.cadre_name)
    else:
        line = _(
            "Login {login} is cadre {code} {name}'s: it reads every record and changes only "
            "{code}'s visits, reports and leave."
        ).format(login=done.login, code=done.cadre_code, name=done.cadre_name)
    out.print(line, markup=False, soft_wrap=True)
    if done.created:
        out.print(
            _(
                "Made the login {login}, without a password: set one as the owner in psql with \\password {login}"
            ).format(login=done.login),
            markup=False,
            soft_wrap=True,
        )


@app.command("list")
@guarded
def list_(json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False) -> None:
    """List the logins tied to cadres, and the administrators.

    Example: congtac12 org list
    """
    from congtac12.render.json import logins_list
    from congtac12.store import org

    rows = org.logins(org.require_pg(db_path()))
    if json_:
        print_json(logins_list(rows))
        return
    out = console()
    if not rows:
        out.print(_("No login is tied to a cadre yet; see 'congtac12 org grant --help'."), markup=False)
    for g in rows:
        role = _("administrator") if g.admin else _("cadre")
        who = f"{g.cadre_code} {g.cadre_name}" if g.cadre_code else "-"
        out.print(f"{g.login}\t{role}\t{who}", markup=False, soft_wrap=True)
