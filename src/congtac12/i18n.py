"""Translation of user-facing text (gettext), Vietnamese and English.

Every string a user reads goes through ``_()``; placeholders are named and
filled with ``str.format`` after translation, so a translator can reorder them:
``_("no visit {id}").format(id=7)``. ``N_()`` marks a string for extraction
without translating it at that point (module-level tables).
"""

from __future__ import annotations

LANGUAGES = ("en", "vi")
_language = "en"


def _(message: str) -> str:
    return message


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    return message


def set_language(language: str) -> None:
    global _language
    _language = language


def current_language() -> str:
    return _language
