"""``congtac12 policy list|show|check``: the rules as data (docs/policies.md)."""

from pathlib import Path
from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, print_json, reader
from congtac12.errors import InvalidInput
from congtac12.i18n import _

app = typer.Typer(
    help=_("List, show and check policies (presets and TOML files)."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command("list")
@guarded
def list_(json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False) -> None:
    """List the presets shipped with congtac12; * marks the database's default.

    Example: congtac12 policy list
    """
    from congtac12.cli.common import today
    from congtac12.policies import preset_of_year, presets
    from congtac12.render.json import policy_dict
    from congtac12.render.policy_tables import policies_table
    from congtac12.services.policy import POLICY_SETTING
    from congtac12.store.read.settings import setting

    with reader() as r:  # plain SQL (store.read), no ORM
        default = setting(r, POLICY_SETTING)
    if default is None:  # none chosen: the ha-noi preset of this year, if there is one
        of_year = preset_of_year(today().year)
        default = of_year.id if of_year is not None else None
    rows = presets()
    if json_:
        print_json({"default": default, "presets": [policy_dict(p) for p in rows]})
    else:
        policies_table(console(), rows, default)


@app.command("show")
@guarded
def show(
    policy: Annotated[str, typer.Argument(metavar="ID|FILE", help=_("A preset id or a policy TOML file."))],
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show a policy's numbers, settings, source and assumptions.

    Example: congtac12 policy show ba-ria-vung-tau
    """
    from congtac12.policies import load_policy
    from congtac12.render.json import policy_dict
    from congtac12.render.policy_tables import policy_detail

    p = load_policy(policy)
    if json_:
        print_json(policy_dict(p))
    else:
        policy_detail(console(), p)


@app.command("check")
@guarded
def check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A policy TOML file."))],
) -> None:
    """Check a policy file: exit 0 and a summary when it is valid, else one error line naming the key.

    Example: congtac12 policy check my-policy.toml
    """
    from congtac12.atomic import check_name, check_regular
    from congtac12.policies import load_policy_file, years_text

    check_name(file, _("policy"))
    check_regular(file, _("policy"))
    if not file.is_file():
        raise InvalidInput(_("{file} is not a file; accepted: a policy TOML file").format(file=file))
    p = load_policy_file(file)
    console().print(
        _("{file}: a valid policy {id} ({title}), {years}, {days} days.").format(
            file=file, id=p.id, title=p.title, years=years_text(p), days=p.min_days
        ),
        markup=False,
    )
