"""``congtac12 config set|unset|show``: settings in the database, and the private settings file.

What is shared and not secret lives in the database (``policy``, ``lang``):
every user and cron job of that database sees it. What may be secret or is
personal lives in the settings file, mode 0600 (``smtp_url``, whose URL may
hold the password, and ``mail_from``): see ``congtac12.settings``. The
environment variables win over the file.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from congtac12.cli.common import console, guarded, print_json, reader, session
from congtac12.errors import InvalidInput
from congtac12.i18n import N_, _
from congtac12.services.policy import POLICY_SETTING

app = typer.Typer(
    help=_(
        "Settings in the database (config set policy ID, config set lang vi) and in the private settings file (config set smtp_url)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

SMTP_URL, MAIL_FROM = "smtp_url", "mail_from"  # congtac12.settings.FILE_KEYS, without importing it


def _policy_value(value: str) -> str:
    """A preset id as is; a file by its absolute path (the setting outlives the working folder)."""
    from congtac12.policies import is_preset, load_policy

    load_policy(value)  # refuses an unknown id or an invalid file, naming what is wrong
    return value if is_preset(value) else str(Path(value).expanduser().resolve())


def _policy_default() -> str:
    from congtac12.policies import DEFAULT_SERIES

    return _("the {series} preset of the year").format(series=DEFAULT_SERIES)


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


def _smtp_url_value(value: str) -> str:
    from congtac12.mail import parse_smtp_url

    parse_smtp_url(value, what=SMTP_URL)
    return value.strip()


def _mail_from_value(value: str) -> str:
    from congtac12.mail import parse_address

    parse_address(value, what=MAIL_FROM)
    return value.strip()


def _none() -> str:
    return _("not set")


def _issuer_value(key: str) -> Callable[[str], str]:
    def normalise(value: str) -> str:
        from congtac12.exchange.spec import issuer_text

        return issuer_text(key, value)

    return normalise


# key -> (check and normalise a value, the built-in default); in the database
KEYS: dict[str, tuple[Callable[[str], str], Callable[[], str]]] = {
    POLICY_SETTING: (_policy_value, _policy_default),
    "lang": (_lang_value, _lang_default),  # read before parsing by cli.language_from_environment (store.peek)
    # who issues the documents (status/summary --html, --pdf, --docx): services.documents
    "agency": (_issuer_value("agency"), _none),
    "place": (_issuer_value("place"), _none),
}
# the same for the settings file
FILE_KEYS: dict[str, tuple[Callable[[str], str], Callable[[], str]]] = {
    SMTP_URL: (_smtp_url_value, _none),
    MAIL_FROM: (_mail_from_value, _none),
}
ALL_KEYS = (*KEYS, *FILE_KEYS)
ISSUER_KEYS = ("agency", "place")  # not set: null in --json (no words of the interface's language)
KEY_HELP = N_("policy, lang, agency, place (in the database); smtp_url, mail_from (in the settings file)")


def _known(key: str) -> str:
    if key not in ALL_KEYS:
        raise InvalidInput(_("unknown setting {key!r}; accepted: {keys}").format(key=key, keys=", ".join(ALL_KEYS)))
    return key


def _read_secret(key: str) -> str:
    """A value not typed on the command line: asked without echo on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(_("{key} (not shown): ").format(key=key))
    return sys.stdin.readline().rstrip("\r\n")


def _masked(key: str, value: str) -> str:
    if key != SMTP_URL:
        return value
    from congtac12.mail import parse_smtp_url

    try:
        return parse_smtp_url(value, what=SMTP_URL).safe_url
    except InvalidInput:
        return "***"  # never shown as is: it may hold the password


@app.command("set")
@guarded
def set_(
    key: Annotated[str, typer.Argument(metavar="KEY", help=_(KEY_HELP))],
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="[VALUE]",
            help=_("For policy: a preset id or a policy file. Left out: read from standard input, or asked unseen."),
        ),
    ] = None,
) -> None:
    """Set a setting: policy and lang in the database, smtp_url and mail_from in the private settings file.

    The SMTP URL may hold the password: leave VALUE out and type it when asked
    (it is not shown, and stays out of the shell's history).

    Example: congtac12 config set policy ba-ria-vung-tau
    """
    _known(key)
    if value is None:
        value = _read_secret(key)
    if key in FILE_KEYS:
        from congtac12 import settings

        normalise, _default = FILE_KEYS[key]
        stored = normalise(value)
        path = settings.settings_path()
        values = settings.read_settings(path)
        values[key] = stored
        settings.write_settings(values, path)
        console().print(
            _("{key} = {value} (in {path})").format(key=key, value=_masked(key, stored), path=path), markup=False
        )
        return
    from congtac12.store import commands

    normalise, _default = KEYS[key]
    stored = normalise(value)
    with session(write=True) as s:
        commands.set_setting(s, key=key, value=stored)
    console().print(_("{key} = {value}").format(key=key, value=stored), markup=False)


@app.command("unset")
@guarded
def unset(key: Annotated[str, typer.Argument(metavar="KEY", help=_(KEY_HELP))]) -> None:
    """Remove a setting: its built-in default applies again.

    Example: congtac12 config unset policy
    """
    _known(key)
    if key in FILE_KEYS:
        from congtac12 import settings

        path = settings.settings_path()
        values = settings.read_settings(path)
        if values.pop(key, None) is not None:
            settings.write_settings(values, path)
        console().print(_("{key} = {value} (default)").format(key=key, value=_none()), markup=False)
        return
    from congtac12.store import commands

    _normalise, default = KEYS[key]
    with session(write=True) as s:
        commands.unset_setting(s, key=key)
    console().print(_("{key} = {value} (default)").format(key=key, value=default()), markup=False)


@app.command("show")
@guarded
def show(json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False) -> None:
    """Show every setting, where it comes from, and whether it is the default; the password is masked.

    Example: congtac12 config show
    """
    import os

    from congtac12 import settings
    from congtac12.render.json import settings_dict
    from congtac12.store.read.settings import all_settings

    path = settings.settings_path()
    in_file = settings.read_settings(path)  # refused before the database is touched
    with reader() as r:  # plain SQL (store.read), no ORM
        stored = all_settings(r)
    rows = {key: (stored.get(key), default(), "database") for key, (_normalise, default) in KEYS.items()}
    for key, (_normalise, default) in FILE_KEYS.items():
        var = settings.ENV_OF[key]
        if os.environ.get(var, "").strip():
            rows[key] = (_masked(key, os.environ[var].strip()), default(), var)
        else:
            value = in_file.get(key)
            rows[key] = (_masked(key, value) if value else None, default(), str(path))
    if json_:
        print_json(
            settings_dict(
                rows, file_keys=tuple(FILE_KEYS), policy_key=POLICY_SETTING, path=str(path), unset_keys=ISSUER_KEYS
            )
        )
        return
    for key, (value, dflt, source) in rows.items():
        if value is None:
            text = _("{key} = {value} (default)").format(key=key, value=dflt)
        elif key in FILE_KEYS:
            text = _("{key} = {value} (from {source})").format(key=key, value=value, source=source)
        else:
            text = _("{key} = {value}").format(key=key, value=value)
        console().print(text, markup=False)
    console().print(_("settings file: {path}").format(path=path), markup=False)
