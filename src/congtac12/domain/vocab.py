"""The domain's fixed vocabularies: content kinds, unit levels and leave reasons.

Slugs are what the database, JSON and the command line use; the Vietnamese
names are what a cadre reads in the guidance (Hướng dẫn 03-HD/TWĐTN-BTC) and
may also type: ``--kind "chuyên đề"`` and ``--kind "chuyen de"`` are ``chuyen-de``.
"""

from __future__ import annotations

from typing import NamedTuple

from congtac12.errors import InvalidInput
from congtac12.i18n import _, current_language
from congtac12.text import fold


class Term(NamedTuple):
    """One word of a vocabulary: its slug, and its names, full and short, in Vietnamese and English.

    The Vietnamese names are the institutions' own (not a gettext lookup: they are the canonical
    text, and the English is the translation). A named tuple, not a frozen dataclass: as plain
    and as read-only, and about 1 ms less to make on every start.
    """

    slug: str
    vi: str
    en: str
    short_vi: str
    short_en: str

    def name(self) -> str:
        """As the reader's language names it."""
        return self.vi if current_language() == "vi" else self.en

    def short(self) -> str:
        return self.short_vi if current_language() == "vi" else self.short_en


def _by_slug(*terms: Term) -> dict[str, Term]:
    return {t.slug: t for t in terms}


KIND_TERMS = _by_slug(
    Term("chuyen-de", "Theo chuyên đề", "Thematic work", "Chuyên đề", "Thematic"),
    Term("phoi-hop", "Phối hợp tổ chức hoạt động", "Co-organising activities", "Phối hợp", "Co-organising"),
    Term("kiem-tra", "Kiểm tra, giám sát", "Inspection and supervision", "Kiểm tra", "Inspection"),
    Term("sinh-hoat", "Dự sinh hoạt", "Attending meetings", "Sinh hoạt", "Meetings"),
)
LEVEL_TERMS = _by_slug(
    Term("huyen", "Đoàn cấp huyện và tương đương", "District-level union", "Huyện", "District"),
    Term("co-so", "Đoàn cơ sở", "Base union", "Cơ sở", "Base"),
    Term("chi-doan", "Chi đoàn", "Branch (chi đoàn)", "Chi đoàn", "Branch"),
)
# Why a cadre is away (nghỉ): what a policy may exempt or pro-rate by.
LEAVE_TERMS = _by_slug(
    Term("thai-san", "Thai sản", "Maternity", "Thai sản", "Maternity"),
    Term("hoc-tap", "Học tập", "Study", "Học tập", "Study"),
    Term("om-dau", "Ốm đau", "Sickness", "Ốm đau", "Sickness"),
    Term("khac", "Khác", "Other", "Khác", "Other"),
)

# Views of the records above, for the many readers that want slug -> Vietnamese name
# (and ``in KINDS`` for a known slug, in the guidance's order).
KINDS: dict[str, str] = {slug: t.vi for slug, t in KIND_TERMS.items()}
KIND_SHORT: dict[str, str] = {slug: t.short_vi for slug, t in KIND_TERMS.items()}
LEVELS: dict[str, str] = {slug: t.vi for slug, t in LEVEL_TERMS.items()}
LEVEL_SHORT: dict[str, str] = {slug: t.short_vi for slug, t in LEVEL_TERMS.items()}
LEAVE_REASONS: dict[str, str] = {slug: t.vi for slug, t in LEAVE_TERMS.items()}


def _name(terms: dict[str, Term], slug: str, *, short: bool = False) -> str:
    term = terms.get(slug)
    if term is None:
        return slug
    return term.short() if short else term.name()


def kind_name(slug: str) -> str:
    """A kind as the reader's language names it: "Theo chuyên đề" / "Thematic work"."""
    return _name(KIND_TERMS, slug)


def kind_short(slug: str) -> str:
    return _name(KIND_TERMS, slug, short=True)


def level_name(slug: str) -> str:
    return _name(LEVEL_TERMS, slug)


def level_short(slug: str) -> str:
    return _name(LEVEL_TERMS, slug, short=True)


def leave_reason_name(slug: str) -> str:
    return _name(LEAVE_TERMS, slug)


def _key(text: str) -> str:
    """Folded, with punctuation as space: "Kiểm tra, giám sát" == "kiem tra giam sat"."""
    return fold(text.replace(",", " ").replace("-", " "))


def _aliases(vocab: dict[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for slug, name in vocab.items():
        table[_key(slug)] = slug
        table[_key(name)] = slug
        # "theo chuyen de" -> also "chuyen de"; "du sinh hoat" -> "sinh hoat"
        table[_key(name).removeprefix("theo ").removeprefix("du ")] = slug
    table[_key("giám sát")] = "kiem-tra"
    return table


_KIND_ALIASES = _aliases(KINDS)
_LEVEL_ALIASES = _aliases(LEVELS)
_REASON_ALIASES = _aliases(LEAVE_REASONS)


def _accepted(slugs: dict[str, str], names_vi: dict[str, str]) -> str:
    """What a refused word may be, in the reader's language: the Vietnamese names (accepted
    as typed) in Vietnamese, the slugs in English."""
    return ", ".join(names_vi.values() if current_language() == "vi" else slugs)


def parse_kind(text: str) -> str:
    slug = _KIND_ALIASES.get(_key(text))
    if slug is None:
        raise InvalidInput(
            _("unknown kind {kind!r}; accepted: {accepted}").format(kind=text, accepted=_accepted(KINDS, KIND_SHORT))
        )
    return slug


def parse_level(text: str) -> str:
    slug = _LEVEL_ALIASES.get(_key(text))
    if slug is None:
        raise InvalidInput(
            _("unknown level {level!r}; accepted: {accepted}").format(
                level=text, accepted=_accepted(LEVELS, LEVEL_SHORT)
            )
        )
    return slug


def parse_leave_reason(text: str) -> str:
    slug = _REASON_ALIASES.get(_key(text))
    if slug is None:
        raise InvalidInput(
            _("unknown leave reason {reason!r}; accepted: {accepted}").format(
                reason=text, accepted=_accepted(LEAVE_REASONS, LEAVE_REASONS)
            )
        )
    return slug
