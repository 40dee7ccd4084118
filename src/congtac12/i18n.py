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
import contextvars
import functools
import gettext
import inspect
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

LANGUAGES = ("en", "vi")
DEFAULT = "en"
DOMAIN = "congtac12"
ENV_VAR = "CONGTAC12_LANG"

_language = DEFAULT
# One request's language in a server answering many at once (``in_language``): a context
# variable, so that each request (an asyncio task or a worker thread) reads its own.
_request_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("congtac12_language", default=None)


@functools.cache
def _translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT:
        return gettext.NullTranslations()  # the source strings are English
    from importlib import resources  # only for a translation: --help in English imports none of it

    localedir = resources.files("congtac12") / "locale"
    return gettext.translation(DOMAIN, localedir=str(localedir), languages=[language])


def _(message: str) -> str:
    return _translations(_request_language.get() or _language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    return message


def ngettext(one: str, many: str, n: int) -> str:
    """``one`` (n == 1) or ``many``, translated: two msgids marked with ``N_`` where they are
    written. English says "1 day", "2 days"; Vietnamese gives both the same text ("1 ngày").
    ``congtac12.render.formats.plural`` also fills ``{n}`` with the number as a person reads it."""
    return _(one if n == 1 else many)


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def current_language() -> str:
    return _request_language.get() or _language


@contextlib.contextmanager
def in_language(language: str) -> Iterator[None]:
    """``language`` for the current context only (one web request), whatever the process's language."""
    if language not in LANGUAGES:
        raise ValueError(language)
    token = _request_language.set(language)
    try:
        yield
    finally:
        _request_language.reset(token)


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
