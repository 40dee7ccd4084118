"""``congtac12 config set|unset|show``: settings kept in the database itself."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from congtac12.cli.common import POLICY_SETTING, console, guarded, print_json, session
from congtac12.errors import InvalidInput
from congtac12.i18n import _

app = typer.Typer(
    help=_("Settings kept in the database (config set policy ID, config set lang vi)."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _policy_value(value: str) -> str:
    """A preset id as is; a file by its absolute path (the setting outlives the working folder)."""
    from congtac12.policies import is_preset, load_policy

    load_policy(value)  # refuses an unknown id or an invalid file, naming what is wrong
    return value if is_preset(value) else str(Path(value).expanduser().resolve())


def _policy_default() -> str:
    from congtac12.policies import DEFAULT_POLICY

    return DEFAULT_POLICY


def _lang_value(value: str) -> str:
    from congtac12.i18n import LANGUAGES, normalise

    lang = normalise(value)
    if lang is None:
        raise InvalidInput(
            _("unknown language {lang!r}; accepted: {accepted}").format(lang=value, accepted=", ".join(LANGUAGES))
        )
    return lang


def _lang_default() -> str:
    return "locale"  # none stored: $CONGTAC12_LANG or the locale decides


# key -> (check and normalise a value, the built-in default)
KEYS: dict[str, tuple[Callable[[str], str], Callable[[], str]]] = {
    POLICY_SETTING: (_policy_value, _policy_default),
    "lang": (_lang_value, _lang_default),  # read before parsing by cli.language_from_environment (store.peek)
}


def _known(key: str) -> str:
    if key not in KEYS:
        raise InvalidInput(_("unknown setting {key!r}; accepted: {keys}").format(key=key, keys=", ".join(KEYS)))
    return key


@app.command("set")
@guarded
def set_(
    key: Annotated[str, typer.Argument(metavar="KEY", help=_("policy or lang"))],
    value: Annotated[str, typer.Argument(metavar="VALUE", help=_("For policy: a preset id or a policy file."))],
) -> None:
    """Set a database-level setting.

    Example: congtac12 config set policy ba-ria-vung-tau
    """
    from congtac12.store import commands

    normalise, _default = KEYS[_known(key)]
    stored = normalise(value)
    with session(write=True) as s:
        commands.set_setting(s, key=key, value=stored)
    console().print(_("{key} = {value}").format(key=key, value=stored), markup=False)


@app.command("unset")
@guarded
def unset(key: Annotated[str, typer.Argument(metavar="KEY", help=_("policy or lang"))]) -> None:
    """Remove a setting: its built-in default applies again.

    Example: congtac12 config unset policy
    """
    from congtac12.store import commands

    _normalise, default = KEYS[_known(key)]
    with session(write=True) as s:
        commands.unset_setting(s, key=key)
    console().print(_("{key} = {value} (default)").format(key=key, value=default()), markup=False)


@app.command("show")
@guarded
def show(json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False) -> None:
    """Show every setting and whether it is the default.

    Example: congtac12 config show
    """
    from congtac12.render.json import settings_dict
    from congtac12.store import queries

    with session() as s:
        stored = queries.settings(s)
    rows = {key: (stored.get(key), default()) for key, (_normalise, default) in KEYS.items()}
    if json_:
        print_json(settings_dict(rows))
        return
    for key, (value, dflt) in rows.items():
        if value is None:
            text = _("{key} = {value} (default)").format(key=key, value=dflt)
        else:
            text = _("{key} = {value}").format(key=key, value=value)
        console().print(text, markup=False)
