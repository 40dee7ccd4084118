"""The root command: ``congtac12 [--db PATH] COMMAND``.

Imports only Typer and the command modules, which import nothing heavy at
module level, so ``--help`` and shell completion stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from congtac12 import __version__
from congtac12.cli import cadres, demo, reports, status, units, visits
from congtac12.cli.common import OPTIONS

app = typer.Typer(
    name="congtac12",
    help=(
        "Keep the record of cadres' field work at the base (đi công tác cơ sở) "
        "and check it against the 1+2 rules."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"congtac12 {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        Optional[str],
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file (default: $CONGTAC12_DB, else the user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Keep the record of cadres' field work at the base and check it against the 1+2 rules."""
    OPTIONS.db = db


app.add_typer(cadres.app, name="cadre")
app.add_typer(units.app, name="unit")
app.command("add-visit")(visits.add_visit)
app.command("visits")(visits.list_visits)
app.command("report")(reports.report)
app.command("status")(status.status)
app.command("demo")(demo.demo)


def main() -> None:
    app()
