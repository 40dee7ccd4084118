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
from congtac12.cli import (
    cadres, config, db, demo, exchange, history, lazy_values, leave, org, pictures, policy,
    remind, reports, status, summary, units, visits,
)
from congtac12.cli.common import OPTIONS
from congtac12.errors import InvalidInput
from congtac12.i18n import (
    LANGUAGES, _, language_from_environment, normalise, set_language, translate_command_tree,
)

lazy_values.install()  # help, --version and a Tab never import pydantic


class OneLineErrors(TyperGroup):
    """Usage errors (a missing option, a malformed id) as one line, like our own errors."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        argv = kwargs.get("args", args[0] if args else None)
        set_language(language_from_environment(list(sys.argv[1:] if argv is None else argv)))
        translate_command_tree(self)
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help
                sys.stdout.write(exc.format_message() + "\n")
                sys.exit(0)
            hint = _(" (see 'congtac12 --help')") if exc.exit_code == 2 else ""
            sys.stderr.write(_("Error: {message}").format(message=exc.format_message()) + hint + "\n")
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
    lang: Annotated[
        Optional[str],
        typer.Option("--lang", metavar="vi|en", help="Language of the output (default: $CONGTAC12_LANG, the database's setting, else the locale)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Keep the record of cadres' field work at the base and check it against the 1+2 rules."""
    OPTIONS.db = db
    if lang is not None:
        chosen = normalise(lang)
        if chosen is None:
            error = InvalidInput(
                _("unknown language {lang!r}; accepted: {accepted}").format(
                    lang=lang, accepted=", ".join(LANGUAGES)))
            raise typer.BadParameter(error.message)
        set_language(chosen)  # already chosen before parsing; this only confirms it


app.add_typer(cadres.app, name="cadre")
app.add_typer(units.app, name="unit")
app.add_typer(leave.app, name="leave")
app.add_typer(policy.app, name="policy")
app.add_typer(config.app, name="config")
app.command("add-visit")(visits.add_visit)
app.command("visits")(visits.list_visits)
app.command("edit-visit")(visits.edit_visit)
app.command("delete-visit")(visits.delete_visit)
app.command("restore-visit")(visits.restore_visit)
app.command("report", cls=reports.ReportCommand)(reports.report)
app.command("reports")(reports.list_reports)
app.command("remind")(remind.remind)
app.command("status")(status.status)
app.command("history")(history.history)
app.command("undo")(history.undo)
app.add_typer(db.app, name="db")
app.add_typer(org.app, name="org")
app.command("demo")(demo.demo)
app.command("export")(exchange.export)
app.command("import")(exchange.import_)
app.command("summary")(summary.summary)
app.command("calendar")(pictures.calendar)


def main() -> None:
    app()
