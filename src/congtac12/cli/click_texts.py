"""Click's and Typer's own texts, in the user's language, from the project's catalog.

The Click that Typer 0.29 carries (``typer._click``) writes its texts without
gettext ("Usage: ", "Missing option", "Invalid value for …", "Got unexpected
extra argument(s)"), and Typer's own few (``_("Options")``, ``_("default: {default}")``)
go through the standard library's global ``gettext`` domain, whose language
follows the environment, not ``--lang``. So they are served here instead:

- help: a formatter (Click's documented ``Context.formatter_class``) that
  writes "Usage:", the section headings, ``[OPTIONS]``, the help option's text
  and the ``[default: …]``/``[required]`` notes through ``congtac12.i18n._``;
- usage errors: ``message(exc, argv)`` writes the error again from what the
  exception holds (the option, the possibilities, the value typed), with what
  is accepted in place of pydantic's "Input should be greater than or equal to 0";
  ``hint(exc)`` points at the help of the command actually typed.

Every text is a msgid of the catalog (``N_``/``_``), so both catalogs carry them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import typer

from congtac12.i18n import N_, _

HELP_OPTION_TEXT = N_("Show this message and exit.")  # Click's own, matched to translate it
# Typer's own option help texts (shell completion), matched whole to translate them.
TYPER_TEXTS = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)
_HEADINGS = {"Options": N_("Options"), "Arguments": N_("Arguments"), "Commands": N_("Commands")}
_METAVARS = {
    "[OPTIONS]": N_("[OPTIONS]"),
    "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."),
}


@functools.cache  # compiled for the first help that shows a default (the root's shows none)
def _default() -> re.Pattern[str]:
    return re.compile(r"\[default: (?P<default>[^\]]*)\]")


def _translated_dl_text(text: str) -> str:
    if text.startswith(HELP_OPTION_TEXT):
        text = _(HELP_OPTION_TEXT) + text[len(HELP_OPTION_TEXT) :]
    for english in TYPER_TEXTS:
        if text.startswith(english):
            text = _(english) + text[len(english) :]
    if "[default: " in text:
        text = _default().sub(lambda m: "[" + _("default: {default}").format(default=m.group("default")) + "]", text)
    return text.replace("[required]", "[" + _("required") + "]")


_Base: Any = typer.Context.formatter_class


class TranslatedFormatter(_Base):  # type: ignore[misc]
    """Click's help formatter, its own words from the catalog."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, msgid in _METAVARS.items():
            args = args.replace(english, _(msgid))
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(_HEADINGS[heading]) if heading in _HEADINGS else heading)

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        super().write_dl([(term, _translated_dl_text(text)) for term, text in rows], *args, **kwargs)


class TranslatedContext(typer.Context):
    """The context of every congtac12 command: its help written by ``TranslatedFormatter``."""

    formatter_class = TranslatedFormatter


def use_translated_help(command: Any) -> None:
    """Give a command tree the translated context (Click's documented ``context_class``)."""
    command.context_class = TranslatedContext
    for sub in getattr(command, "commands", {}).values():
        use_translated_help(sub)


# --- usage errors ---------------------------------------------------------------

# What pydantic says (through Typer) of a value, and what we say is accepted instead.
# Patterns as text, compiled on the first usage error (``_compiled``): a command that is typed
# right compiles none of them.
_ACCEPTED_TEXTS = (
    (r"Input should be greater than or equal to (?P<n>-?[\d.]+)", N_("a whole number of at least {n}")),
    (r"Input should be greater than (?P<n>-?[\d.]+)", N_("a number greater than {n}")),
    (r"Input should be less than or equal to (?P<n>-?[\d.]+)", N_("a whole number of at most {n}")),
    (r"Input should be less than (?P<n>-?[\d.]+)", N_("a number less than {n}")),
    (r"Input should be a valid integer", N_("a whole number")),
    (r"Input should be a valid number", N_("a number")),
    (r"Input should be a valid boolean", N_("yes or no")),
)
_USAGE_TEXTS = (
    (r"Option '(?P<option>.+)' requires an argument\.", N_("{option} needs a value")),
    (r"Option '(?P<option>.+)' does not take a value\.", N_("{option} takes no value")),
    (r"(?s)Got unexpected extra argument\(s\) \((?P<args>\S*)\)", N_("unexpected extra argument: {args}")),
    (r"(?s)Got unexpected extra argument\(s\) \((?P<args>.*)\)", N_("unexpected extra arguments: {args}")),
    (r"Missing command\.", N_("a command is missing")),
    (
        r"(?s)No such command '(?P<name>.*)'\. Did you mean (?P<matches>.+)\?",
        N_("no command {name!r}; did you mean {matches}?"),
    ),
    (r"(?s)No such command '(?P<name>.*)'\.", N_("no command {name!r}")),
    (r"No such option: (?P<option>\S+)", N_("no option {option}")),
)


@functools.cache
def _compiled(texts: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern), msgid) for pattern, msgid in texts]


def _typed_value(argv: list[str], names: list[str]) -> str | None:
    """The text typed for one of an option's names (``--ahead -1`` or ``--ahead=-1``)."""
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def message(exc: Any, argv: list[str]) -> str:
    """A usage error's message, written again in the user's language."""
    name = type(exc).__name__
    param = getattr(exc, "param", None)
    hint = None
    if param is not None:  # Click's own name for it: '--ahead', or an argument's 'VISIT_ID'
        hint = param.get_error_hint().replace("'", "")
    if name == "MissingParameter" and hint:
        if getattr(param, "param_type_name", "option") == "argument":
            return _("missing argument {argument}").format(argument=hint)
        return _("missing option {option}").format(option=hint)
    if name == "NoSuchOption":
        text: str = _("no option {option}").format(option=exc.option_name)
        if exc.possibilities:
            text += "; " + _("did you mean {options}?").format(options=", ".join(sorted(exc.possibilities)))
        return text
    if name == "BadParameter" and hint:
        raw = exc.message
        for pattern, msgid in _compiled(_ACCEPTED_TEXTS):
            if m := pattern.search(raw):
                accepted = _(msgid).format(**m.groupdict())
                value = _typed_value(argv, list(getattr(param, "opts", [])))
                if value is None:
                    return _("{option}: not accepted; accepted: {accepted}").format(option=hint, accepted=accepted)
                return _("{option} {value!r} is not accepted; accepted: {accepted}").format(
                    option=hint, value=value, accepted=accepted
                )
        return _("{option}: {message}").format(option=hint, message=raw)
    if name == "BadParameter":  # raised by our own code, in our words already
        said: str = exc.message
        return said
    text = exc.format_message()
    for pattern, msgid in _compiled(_USAGE_TEXTS):
        if m := pattern.fullmatch(text.strip()):
            return _(msgid).format(**m.groupdict())
    return text


def hint(exc: Any, typed: str | None = None) -> str:
    """The pointer to the help of the command actually typed: " (see 'congtac12 add-visit --help')".

    ``typed`` is the command path read from the command line, for an error that Click
    raised before it made the command's context (an option without its value)."""
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", None) if ctx is not None and ctx.parent is not None else None
    return _(" (see '{command} --help')").format(command=command or typed or "congtac12")
