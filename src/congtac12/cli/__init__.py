"""The root command: ``congtac12 [--db PATH] COMMAND``.

Imports only Typer and what every command shares, so ``--help`` and shell
completion stay fast (and ``compat`` keeps Typer from importing pydantic for
them). The commands are a table (``COMMANDS``); the root group is Click's
lazy-loading pattern: ``list_commands`` names them from the table and
``get_command`` imports a command's module and builds its click command with
Typer's public ``typer.main.get_command`` only when that command is run,
asked for its help or completed. The root's own help and the completion of
command names are written from the table's summaries, importing nothing.
The command modules keep their annotations as objects (no ``from __future__
import annotations``): Typer reads a command's annotations when it builds it,
and string annotations would cost an ``eval`` each, about 1 ms per module.
"""

import importlib
import os
import sys
from typing import Annotated, Any, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from congtac12 import __version__
from congtac12.cli import click_texts, compat
from congtac12.cli.common import OPTIONS
from congtac12.errors import InvalidInput
from congtac12.i18n import (
    ENV_VAR as LANG_ENV_VAR,
)
from congtac12.i18n import (
    LANGUAGES,
    N_,
    _,
    choose_language,
    in_source_language,
    normalise,
    set_language,
    translate_command_tree,
)

compat.install()  # help, --version and a Tab never import pydantic (on the Typer versions CI tests)


class Entry(NamedTuple):
    """Where a command of the root lives, and what the root's help says of it."""

    module: str  # in congtac12.cli
    attribute: str  # a command function, or a Typer app (a group of commands)
    summary: str  # the first paragraph of its help, in English (translated where shown)
    cls: str | None = None  # a click command class of the module, if not Typer's own


# In the order the root's help lists them. ``summary`` is what the root's help
# shows of each command, without importing it; tests/test_cli_core.py checks
# that it is the first paragraph of the command's own help, in each language.
COMMANDS: dict[str, Entry] = {
    "add-visit": Entry("visits", "add_visit", N_("Record a trip to the base.")),
    "visits": Entry("visits", "list_visits", N_("List visits, oldest first.")),
    "edit-visit": Entry(
        "visits",
        "edit_visit",
        N_("Correct a visit, under the same rules as add-visit; the change is kept in the history."),
    ),
    "delete-visit": Entry(
        "visits",
        "delete_visit",
        N_("Delete a visit (and its report): it no longer counts, and restore-visit brings it back."),
    ),
    "restore-visit": Entry(
        "visits", "restore_visit", N_("Bring back a deleted visit (and its report); 'visits --deleted' lists them.")
    ),
    "report": Entry(
        "reports",
        "report",
        N_("Record the result report of a visit, or print it with 'report show VISIT_ID'."),
        cls="ReportCommand",
    ),
    "reports": Entry(
        "reports",
        "list_reports",
        N_("List each visit's result report: unit, last day, due day, report date and state, oldest overdue first."),
    ),
    "remind": Entry(
        "remind",
        "remind",
        N_("List result reports that are overdue or due within --ahead days, by cadre; with --email, mail them."),
    ),
    "status": Entry(
        "status", "status", N_("Show each cadre's days, content minimums, reports and state, grouped by department.")
    ),
    "history": Entry(
        "history",
        "history",
        N_("Show the changes made to the record, newest first: who, when, what, before and after."),
    ),
    "undo": Entry(
        "history", "undo", N_("Take back the latest change (or change CHANGE), and say exactly what was taken back.")
    ),
    "demo": Entry("demo", "demo", N_("Build a demo database (never your own) and show its status as of 13/11/2020.")),
    "export": Entry(
        "exchange", "export", N_("Export everything to JSON, a folder of CSV files, or an Excel workbook.")
    ),
    "import": Entry(
        "exchange",
        "import_",
        N_("Import a JSON, CSV or Excel file: every row checked first, then all written or none."),
    ),
    "summary": Entry(
        "summary", "summary", N_("Figures for the monthly briefing (--month) or the year-end summary (--year).")
    ),
    "calendar": Entry("pictures", "calendar", N_("Show a cadre's days at the base as a calendar heat map.")),
    "cadre": Entry("cadres", "app", N_("Add, list, edit, delete and restore cadres (cán bộ).")),
    "unit": Entry("units", "app", N_("Add and list units (đơn vị).")),
    "leave": Entry("leave", "app", N_("Record, list and delete cadres' leave (nghỉ).")),
    "plan": Entry(
        "plans",
        "app",
        N_("Register trips ahead (đăng ký), send them for approval, approve or return them, and list them."),
    ),
    "policy": Entry("policy", "app", N_("List, show and check policies (presets and TOML files).")),
    "config": Entry(
        "config",
        "app",
        N_(
            "Settings in the database (config set policy ID, config set lang vi) and in the private settings file (config set smtp_url)."
        ),
    ),
    "init": Entry(
        "db", "init", N_("Make a new, empty database (with Hanoi's 30 district-level unions), or say that it is there.")
    ),
    "db": Entry("db", "app", N_("Upgrade, back up, check and copy the database.")),
    "org": Entry("org", "app", N_("Organisation mode (PostgreSQL): roles, rights and the logins of cadres.")),
    "web": Entry(
        "web",
        "web",
        N_("Serve the status board, each cadre's page and the forms to record visits and reports, in a browser."),
    ),
}


def language_from_environment(argv: list[str]) -> str:
    """Pick the language before the command line is parsed (help is printed during parsing)."""
    option = _root_option(argv, "--lang")
    db_setting = None
    # A Tab (shell completion) prints candidates, not prose: no database read for it.
    completing = "_CONGTAC12_COMPLETE" in os.environ
    if option is None and not os.environ.get(LANG_ENV_VAR) and not completing:
        from congtac12.store.peek import setting

        db_setting = setting(_root_option(argv, "--db"), "lang")
    return choose_language(option=option, env=os.environ, db_setting=db_setting)


def _root_option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            return None  # the command name: root options come before it
    return None


def build(name: str, entry: Entry) -> Any:
    """Import a command's module and build its click command (translated) with Typer's public API."""
    with in_source_language():  # help texts are kept in English, translated when built
        module = importlib.import_module(f"congtac12.cli.{entry.module}")
    target = getattr(module, entry.attribute)
    if not isinstance(target, typer.Typer):  # a command function: a Typer app of one command
        single = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
        single.command(name, cls=getattr(module, entry.cls) if entry.cls else None)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    translate_command_tree(command)
    click_texts.use_translated_help(command)
    return command


class OneLineErrors(TyperGroup):
    """The root group: commands built on demand from ``COMMANDS``; usage errors as one line.

    Click's lazy-loading pattern (``list_commands``/``get_command``): a command
    is built the first time it is looked up and kept in ``commands``.
    Writing the root's help or completing a command name needs only each
    command's summary: for those, ``get_command`` answers with a stand-in that
    has the summary as its help, and nothing is imported.
    """

    context_class = click_texts.TranslatedContext  # Click's texts in help, from the catalog

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._summaries_only = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        if self._summaries_only:
            return TyperCommand(cmd_name, help=_(entry.summary))
        if cmd_name not in self.commands:
            self.commands[cmd_name] = build(cmd_name, entry)
        return self.commands[cmd_name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Click's list of commands, written from the table's summaries: nothing imported."""
        self._summaries_only = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._summaries_only = False

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names (with their summaries) from the table, and the root's options."""
        self._summaries_only = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._summaries_only = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """As Typer's, with its suggestions for a typo drawn from every command, built or not."""
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            message = getattr(exc, "message", None)
            if self.suggest_commands and args and isinstance(message, str) and "?" not in message:
                import difflib  # only for a typo: not on every start

                matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    exc.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise

    def _typed_path(self, argv: list[str]) -> str:
        """The command typed ("congtac12 cadre add"), as far as it names commands that exist."""
        words = iter(argv)
        path = ["congtac12"]
        group: Any = None
        for word in words:
            if word in ("--db", "--lang"):
                next(words, None)
                continue
            if word.startswith("-"):
                continue
            if group is None and word in COMMANDS:
                path.append(word)
                built = self.commands.get(word)
                group = getattr(built, "commands", None)
                if not group:
                    break
            elif group and word in group:
                path.append(word)
                break
            else:
                break
        return " ".join(path)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        argv = kwargs.get("args", args[0] if args else None)
        argv = list(sys.argv[1:] if argv is None else argv)
        set_language(language_from_environment(argv))
        translate_command_tree(self)
        kwargs["standalone_mode"] = False  # Click's own error handling stays off, either way
        if not standalone_mode:
            return super().main(*args, **kwargs)
        try:
            rv = super().main(*args, **kwargs)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help
                sys.stdout.write(exc.format_message() + "\n")
                sys.exit(0)
            usage = exc.exit_code == 2  # a usage error: Click's words, said again in the user's language
            text = click_texts.message(exc, argv) if usage else exc.format_message()
            hint = click_texts.hint(exc, self._typed_path(argv)) if usage else ""
            sys.stderr.write(_("Error: {message}").format(message=text) + hint + "\n")
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write(_("Aborted.") + "\n")
            sys.exit(1)
        # Not standalone, typer.Exit(code) comes back as its code; commands return None.
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    name="congtac12",
    cls=OneLineErrors,
    help=("Keep the record of cadres' field work at the base (đi công tác cơ sở) and check it against the 1+2 rules."),
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
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file (default: $CONGTAC12_DB, else the user data folder).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="vi|en",
            help="Language of the output (default: $CONGTAC12_LANG, the database's setting, else the locale).",
        ),
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
                _("unknown language {lang!r}; accepted: {accepted}").format(lang=lang, accepted=", ".join(LANGUAGES))
            )
            raise typer.BadParameter(error.message)
        set_language(chosen)  # already chosen before parsing; this only confirms it


def main() -> None:
    app()
