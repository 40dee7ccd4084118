"""Translation of user-facing text (gettext), Vietnamese and English.

Every string a user reads goes through ``_()``; placeholders are named and
filled with ``str.format`` after translation, so a translator can reorder them:
``_("no visit {id}").format(id=7)``. ``N_()`` marks a string for extraction
without translating it where it stands (module-level tables); translate it
with ``_()`` where it is shown. Help texts (Typer ``help=`` and command
docstrings) stay plain in the source and are translated when the command tree
is built (see ``translate_command_tree``).

The catalogs are ``locale/<lang>/LC_MESSAGES/congtac12.po``, compiled to
``.mo`` by the build (setup.py), so an installed package needs no manual step.

The language, in order: ``--lang``, ``$CONGTAC12_LANG``, the database's setting
(``config set lang vi``), the locale (``LC_ALL``/``LC_MESSAGES``/``LANG``
starting with ``vi``), else English.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import inspect
import os
import weakref
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

LANGUAGES = ("en", "vi")
DEFAULT = "en"
DOMAIN = "congtac12"
ENV_VAR = "CONGTAC12_LANG"

_language = DEFAULT


@functools.cache
def _translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT:
        return gettext.NullTranslations()  # the source strings are English
    localedir = resources.files("congtac12") / "locale"
    return gettext.translation(DOMAIN, localedir=str(localedir), languages=[language])


def _(message: str) -> str:
    return _translations(_language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    return message


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def current_language() -> str:
    return _language


@contextlib.contextmanager
def in_source_language() -> Iterator[None]:
    """English for the duration: to import a module whose help texts are kept untranslated
    (``help=_("…")`` at module level), as they are translated when the command is built."""
    global _language
    chosen = _language
    _language = DEFAULT
    try:
        yield
    finally:
        _language = chosen


def normalise(value: str | None) -> str | None:
    """'vi', 'VI', 'vi_VN.UTF-8', 'tiếng việt'… -> 'vi'; 'en…' -> 'en'; else None."""
    if not value:
        return None
    v = value.strip().lower()
    if v.startswith("vi") or v in ("tiếng việt", "tieng viet"):
        return "vi"
    if v.startswith("en"):
        return "en"
    return None


def choose_language(*, option: str | None, env: Mapping[str, str], db_setting: str | None) -> str:
    """The first of --lang, $CONGTAC12_LANG, the database setting, the locale; else English."""
    for value in (option, env.get(ENV_VAR), db_setting):
        if value and (lang := normalise(value)):
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:  # the first one set decides, as in POSIX
            return "vi" if value.lower().startswith("vi") else DEFAULT
    return DEFAULT


# The English text of each help a command tree holds, as first seen: translating
# again (another --lang in the same process) starts from it, never from a translation.
_SOURCE_TEXTS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _translate(obj: Any, attr: str, clean: bool) -> None:
    sources = _SOURCE_TEXTS.setdefault(obj, {})
    if attr not in sources:
        text = getattr(obj, attr, None)
        if not isinstance(text, str) or not text:
            return
        sources[attr] = inspect.cleandoc(text) if clean else text
    setattr(obj, attr, _(sources[attr]))


def translate_command_tree(command: Any) -> None:
    """Translate the help texts of a click command tree in place, from their English source.

    Run again in another language, it translates from the English kept at the
    first run, so one process can print help in either language any number of
    times. A group that builds its commands on demand (the root,
    ``congtac12.cli``) has them translated as they are built; here, only those
    built so far.
    """
    for attr in ("help", "short_help", "epilog"):
        _translate(command, attr, clean=True)
    for param in getattr(command, "params", ()):
        _translate(param, "help", clean=False)
    for sub in getattr(command, "commands", {}).values():
        translate_command_tree(sub)


def language_from_environment(argv: list[str]) -> str:
    """Pick the language before the command line is parsed (help is printed during parsing)."""
    option = _root_option(argv, "--lang")
    db_setting = None
    # A Tab (shell completion) prints candidates, not prose: no database read for it.
    completing = "_CONGTAC12_COMPLETE" in os.environ
    if option is None and not os.environ.get(ENV_VAR) and not completing:
        db_setting = _db_language(_root_option(argv, "--db"))
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


def _db_language(db_option: str | None) -> str | None:
    """The database's 'lang' setting, read without creating or changing anything."""
    from congtac12.errors import CongtacError
    from congtac12.store.location import PgUrl, resolve_path

    try:
        path = resolve_path(db_option)
        if isinstance(path, PgUrl):
            return _pg_language(path)
        if not path.is_file():
            return None
    except (CongtacError, OSError, ValueError):
        return None  # a path no file can have: the command itself will say so
    import sqlite3  # only for a database that exists (not for a first run's --help)

    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = 'lang'").fetchone()
        finally:
            con.close()
    except (sqlite3.Error, OSError, ValueError):
        return None  # not ours, or no such table: the command itself will say
    return row[0] if row else None


def _pg_language(target: object) -> str | None:
    """The 'lang' setting of a PostgreSQL database; None when it cannot be read (the command will say why)."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(target.url, connect_timeout=5, autocommit=True) as con:  # type: ignore[attr-defined]
            row = con.execute("SELECT value FROM setting WHERE key = 'lang'").fetchone()
    except psycopg.Error:
        return None  # no such table (not ours yet), no connection: the command itself will say
    return row[0] if row else None
