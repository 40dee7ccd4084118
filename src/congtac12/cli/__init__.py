"""The root command: ``congtac12 [--db PATH] COMMAND``.

Imports only Typer and the command modules, which import nothing heavy at
module level, so ``--help`` and shell completion stay fast (and
``lazy_values`` keeps Typer from importing pydantic for them). The command
modules keep their annotations as objects (no ``from __future__ import
annotations``): Typer reads every command's annotations at each start, and
string annotations would cost an ``eval`` each, about 1 ms per module.
"""

import sys
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from congtac12 import __version__
from congtac12.cli import cadres, demo, reports, status, units, visits
from congtac12.cli import lazy_values
from congtac12.cli.common import OPTIONS

lazy_values.install()  # help, --version and a Tab never import pydantic


class OneLineErrors(TyperGroup):
    """Usage errors (a missing option, a malformed id) as one line, like our own errors."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help
                sys.stdout.write(exc.format_message() + "\n")
                sys.exit(0)
            hint = " (see 'congtac12 --help')" if exc.exit_code == 2 else ""
            sys.stderr.write(f"Error: {exc.format_message()}{hint}\n")
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write("Aborted.\n")
            sys.exit(1)
        # Not standalone, typer.Exit(code) comes back as its code; commands return None.
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    name="congtac12",
    cls=OneLineErrors,
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
