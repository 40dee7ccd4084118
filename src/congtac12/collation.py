"""Vietnamese alphabetical order (thứ tự chữ cái tiếng Việt), for every list a person reads.

Code-point order puts "Ban Tuyên giáo" before "Ban Tổ chức" and "Đà Nẵng" after
every other letter; a Vietnamese reader expects the dictionary's order:

- first the letters, compared word by word, in the alphabet
  a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
  (f, j, w and z, which only foreign words use, stand where the Latin alphabet
  puts them; digits come before letters, and a shorter word before a longer one
  that begins with it);
- then, where the letters are equal, the tones: none, huyền (`), hỏi (?),
  ngã (~), sắc ('), nặng (.), syllable by syllable;
- case last (lower before upper), then the text itself, so that the order is total.

People's names are sorted by the given name (the last word) first, then by the
whole name from the family name on: "Trần Văn An" before "Nguyễn Thị Bình".

Pure: only the standard library, no locale (the machine's locale may have no
Vietnamese collation at all, and ICU is a heavy dependency for one ordering).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng

# Ranks: digits 0-9 first, then the letters; anything else after them, by code point.
_RANK = {str(d): d for d in range(10)} | {ch: 10 + i for i, ch in enumerate(_ALPHABET)}
_OTHER = 10 + len(_ALPHABET)


def _letter(base: str, marks: str) -> str:
    """The Vietnamese letter that a base letter and its other marks make, in lower case:
    a breve makes ă, a circumflex â ê ô, a horn ơ ư."""
    base = base.lower()
    if "\u0306" in marks and base == "a":
        return "ă"
    if "\u0302" in marks and base in "aeo":
        return {"a": "â", "e": "ê", "o": "ô"}[base]
    if "\u031b" in marks and base in "ou":
        return {"o": "ơ", "u": "ư"}[base]
    return base


@functools.lru_cache(maxsize=4096)
def _character(ch: str) -> tuple[str, int, bool]:
    """One character as (letter, tone, upper case): worked out once per character."""
    upper = ch != ch.lower()
    if ch in "đĐ":
        return ("đ", 0, upper)
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    return (_letter(base, marks), tone, upper)


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple[object, ...]:
    """The key that puts texts in Vietnamese alphabetical order (see the module's docstring).

    Kept for the texts seen last (a roster's departments and names recur in every list)."""
    keys = [_word_key(word) for word in unicodedata.normalize("NFC", text).split()]
    primary = tuple(k[0] for k in keys)
    tones = tuple(k[1] for k in keys)
    case = tuple(k[2] for k in keys)
    return (primary, tones, case, text)


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[bool, ...]]:
    """One word's letters, tones and cases (words recur: Nguyễn, Thị, Văn…)."""
    letters = [_character(ch) for ch in word]
    # A word ends with a rank below every letter, so "Ba" < "Bac" and "Ba Vì" < "Bac Ninh".
    primary = tuple(_RANK.get(letter, _OTHER + ord(letter)) for letter, _, _ in letters) + (-1,)
    return primary, tuple(tone for _, tone, _ in letters), tuple(upper for _, _, upper in letters)


def name_key(name: str) -> tuple[object, ...]:
    """The key for a person's name: the given name (last word) first, then the whole name."""
    words = name.split()
    return (sort_key(words[-1] if words else ""), sort_key(name))


def sorted_vi(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Items in Vietnamese alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: sort_key(key(item)))
