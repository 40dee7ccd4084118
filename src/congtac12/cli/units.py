"""``congtac12 unit add|list``: the unions visited (Đoàn cấp huyện, Đoàn cơ sở, Chi đoàn)."""

from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, print_json, reader, session
from congtac12.i18n import _

app = typer.Typer(
    help="Add and list units (đơn vị).", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)


@app.command("add")
@guarded
def add(
    name: Annotated[str, typer.Option("--name", help='e.g. "Đoàn phường Phúc Xá".')],
    level: Annotated[str, typer.Option("--level", help="huyen, co-so or chi-doan.")],
    parent: Annotated[str | None, typer.Option("--parent", metavar="NAME", help="The unit it belongs to.")] = None,
) -> None:
    """Add a unit.

    Example: congtac12 unit add --name "Đoàn phường Phúc Xá" --level co-so --parent "Ba Đình"
    """
    from congtac12.domain.vocab import level_name, parse_level
    from congtac12.store import commands

    slug = parse_level(level)
    with session(write=True) as s:
        unit = commands.add_unit(s, name=name, level=slug, parent=parent)
    console().print(
        _("Added unit {name} ({level}).").format(name=unit.name, level=level_name(unit.level)), markup=False
    )


@app.command("list")
@guarded
def list_(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List units by level.

    Example: congtac12 unit list
    """
    from congtac12.render.json import units_list
    from congtac12.render.tables import units_table
    from congtac12.store.read.units import unit_rows

    with reader() as s:  # plain SQL (store.read), no ORM
        rows = unit_rows(s)
    names = {u.id: u.name for u in rows}
    if json_:
        print_json(units_list(rows))
    else:
        units_table(console(), rows, names)
