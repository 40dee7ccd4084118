"""Vietnamese text: normalisation, folding and matching names.

Users type names with or without diacritics and in any case; "nguyen van an"
must find "Nguyễn Văn An" and "dang thi dao" "Đặng Thị Đào". ``đ``/``Đ`` is a
letter of its own in Unicode (not d + a mark), so it is folded explicitly.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from congtac12.errors import Ambiguous, InvalidInput, NotFound
from congtac12.i18n import N_, _

T = TypeVar("T")

# What callers name in ``what=``: listed here so they are extracted and
# translated (``_(what)``); anything else (an option like --from) shows as is.
FIELD_NAMES = (
    N_("name"),
    N_("department"),
    N_("unit name"),
    N_("topic"),
    N_("order number"),
    N_("cadre"),
    N_("unit"),
    N_("date"),
    N_("report text"),
)

# Control characters, and lone surrogates (undecodable bytes in argv), which no
# field may hold: they would corrupt a terminal or fail to encode as UTF-8.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]"
# Characters that change how text looks without being seen: bidirectional
# controls (a right-to-left override reverses what follows: "Trojan Source")
# and zero-width characters (a unit name plus a zero-width space looks exactly
# like the real one). Refused in every text field, so that two names that look
# the same are the same; folding (``fold``) also drops any already stored.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff"


# Each pattern compiled when first used, not on every start (``--help`` folds nothing).
@functools.cache
def _control() -> re.Pattern[str]:
    return re.compile(_CONTROL)


@functools.cache
def _invisible() -> re.Pattern[str]:
    return re.compile(f"[{_BIDI}{_ZERO_WIDTH}]")


@functools.cache
def _bidi_only() -> re.Pattern[str]:
    return re.compile(f"[{_BIDI}]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, strip diacritics and invisible characters, đ -> d, collapse white space.

    The one folding: names are matched with it, and the stored keys that keep
    cadre codes and unit names unique (``models.cadre_key``/``unit_key``) are it.
    """
    if text.isascii():  # a code: no diacritic, no invisible character, nothing to decompose
        return " ".join(text.casefold().split())
    visible = _invisible().sub("", text)
    decomposed = unicodedata.normalize("NFD", visible.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def clean_field(value: str, *, what: str, max_len: int, required: bool = True) -> str:
    """NFC, trimmed, single-line text of bounded length, or InvalidInput."""
    text = " ".join(nfc(value).split())
    if _control().search(value.replace("\t", " ").replace("\n", " ")):
        raise InvalidInput(_("{what} contains control characters; accepted: printable text").format(what=_(what)))
    if _invisible().search(value):
        raise InvalidInput(
            _(
                "{what} contains an invisible character (a zero-width or text-direction mark); "
                "accepted: visible text only"
            ).format(what=_(what))
        )
    if required and not text:
        raise InvalidInput(_("{what} is empty; accepted: 1 to {max} characters").format(what=_(what), max=max_len))
    if len(text) > max_len:
        raise InvalidInput(
            _("{what} is {length} characters long; accepted: at most {max}").format(
                what=_(what), length=len(text), max=max_len
            )
        )
    return text


def printable_text(value: str, *, what: str) -> str:
    """Multi-line text (a report): tabs and line breaks allowed, other control characters not."""
    if _control().search(value.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
        raise InvalidInput(
            _("{what} contains control characters; accepted: plain text (tabs and line breaks allowed)").format(
                what=what
            )
        )
    if _bidi_only().search(value):
        raise InvalidInput(
            _("{what} contains a text-direction mark, which can make text read differently than it shows").format(
                what=what
            )
        )
    return value


def shown_value(value: object) -> str:
    """A value as an error message shows it: a date as people read it, text quoted and cut short,
    never a Python repr such as ``datetime.date(2020, 3, 7)``."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(excerpt(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return _("a number of about {n:,} digits").format(n=int(value.bit_length() * 0.30103) + 1)
    if isinstance(value, (list, dict, tuple)):
        return excerpt(repr(value))
    return repr(value)


def excerpt(text: str, limit: int = 60) -> str:
    """Echoed input cut to a short excerpt: the start, an ellipsis and the length."""
    if len(text) <= limit:
        return text
    return _("{start}… ({n:,} characters)").format(start=text[:limit], n=len(text))


def match_one(
    query: str,
    candidates: Sequence[T],
    *,
    keys: Callable[[T], Iterable[str]],
    label: Callable[[T], str],
    what: str,
) -> T:
    """Find the one candidate ``query`` names.

    ``keys(c)`` gives the strings a candidate answers to (its code, its name).
    Tried in order: an exact key ignoring case and diacritics; then names that
    contain the query as whole words ("ba dinh" -> "Quận đoàn Ba Đình"). Several
    matches at the same step is an error listing them; none suggests close names.
    """
    q = fold(query)
    if not q:
        raise InvalidInput(_("{what} is empty; give a code or a name").format(what=_(what)))
    exact = [c for c in candidates if any(fold(k) == q for k in keys(c))]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(query, exact, label, what)
    pattern = re.compile(r"(?:^|\s)" + re.escape(q) + r"(?:$|\s)")
    partial = [c for c in candidates if any(pattern.search(fold(k)) for k in keys(c))]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise _ambiguous(query, partial, label, what)
    # Suggest by whole keys and by their word tails, so that "ba dinhh" still
    # points at "Quận đoàn Ba Đình" through its place name "ba dinh".
    by_folded: dict[str, T] = {}
    for c in candidates:
        for k in keys(c):
            words = fold(k).split()
            for i in range(len(words)):
                by_folded.setdefault(" ".join(words[i:]), c)
    close = difflib.get_close_matches(q, list(by_folded), n=3, cutoff=0.6)
    hint = _listing(_unique(by_folded[k] for k in close), label)
    if hint:
        raise NotFound(
            _("no {what} matches {query!r}; did you mean: {hint}?").format(
                what=_(what), query=excerpt(query), hint=hint
            )
        )
    raise NotFound(_("no {what} matches {query!r}").format(what=_(what), query=excerpt(query)))


def _unique(items: Iterable[T]) -> list[T]:
    seen: list[T] = []
    for item in items:
        if all(item is not s for s in seen):
            seen.append(item)
    return seen


def _listing(items: Sequence[T], label: Callable[[T], str]) -> str:
    return ", ".join(label(i) for i in items)


def _ambiguous(query: str, found: Sequence[T], label: Callable[[T], str], what: str) -> Ambiguous:
    message = (
        _("{what} {query!r} matches {count}: {found}; give more of the name or the code")
        if what == "cadre"
        else _("{what} {query!r} matches {count}: {found}; give more of the name")
    )
    return Ambiguous(message.format(what=_(what), query=excerpt(query), count=len(found), found=_listing(found, label)))
