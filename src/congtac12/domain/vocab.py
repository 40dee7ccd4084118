"""The domain's fixed vocabularies: content kinds, unit levels and leave reasons.

Slugs are what the database, JSON and the command line use; the Vietnamese
names are what a cadre reads in the guidance (Hướng dẫn 03-HD/TWĐTN-BTC) and
may also type: ``--kind "chuyên đề"`` and ``--kind "chuyen de"`` are ``chuyen-de``.
"""

from __future__ import annotations

from congtac12.errors import InvalidInput
from congtac12.i18n import _, current_language
from congtac12.text import fold

KINDS: dict[str, str] = {
    "chuyen-de": "Theo chuyên đề",
    "phoi-hop": "Phối hợp tổ chức hoạt động",
    "kiem-tra": "Kiểm tra, giám sát",
    "sinh-hoat": "Dự sinh hoạt",
}

# Short forms for table headers.
KIND_SHORT: dict[str, str] = {
    "chuyen-de": "Chuyên đề",
    "phoi-hop": "Phối hợp",
    "kiem-tra": "Kiểm tra",
    "sinh-hoat": "Sinh hoạt",
}

LEVELS: dict[str, str] = {
    "huyen": "Đoàn cấp huyện và tương đương",
    "co-so": "Đoàn cơ sở",
    "chi-doan": "Chi đoàn",
}

LEVEL_SHORT: dict[str, str] = {
    "huyen": "Huyện",
    "co-so": "Cơ sở",
    "chi-doan": "Chi đoàn",
}

# Why a cadre is away (nghỉ): what a policy may exempt or pro-rate by.
LEAVE_REASONS: dict[str, str] = {
    "thai-san": "Thai sản",  # maternity
    "hoc-tap": "Học tập",  # study
    "om-dau": "Ốm đau",  # sickness
    "khac": "Khác",  # other
}


# English names, shown when the interface is in English. The Vietnamese names
# above are the institutions' own, shown in Vietnamese (not a gettext lookup:
# they are the canonical text, and the English is the translation).
KINDS_EN: dict[str, str] = {
    "chuyen-de": "Thematic work",
    "phoi-hop": "Co-organising activities",
    "kiem-tra": "Inspection and supervision",
    "sinh-hoat": "Attending meetings",
}
KIND_SHORT_EN: dict[str, str] = {
    "chuyen-de": "Thematic",
    "phoi-hop": "Co-organising",
    "kiem-tra": "Inspection",
    "sinh-hoat": "Meetings",
}
LEVELS_EN: dict[str, str] = {
    "huyen": "District-level union",
    "co-so": "Base union",
    "chi-doan": "Branch (chi đoàn)",
}
LEVEL_SHORT_EN: dict[str, str] = {"huyen": "District", "co-so": "Base", "chi-doan": "Branch"}
LEAVE_REASONS_EN: dict[str, str] = {
    "thai-san": "Maternity",
    "hoc-tap": "Study",
    "om-dau": "Sickness",
    "khac": "Other",
}


def _named(vi: dict[str, str], en: dict[str, str], slug: str) -> str:
    table = vi if current_language() == "vi" else en
    return table.get(slug, slug)


def kind_name(slug: str) -> str:
    """A kind as the reader's language names it: "Theo chuyên đề" / "Thematic work"."""
    return _named(KINDS, KINDS_EN, slug)


def kind_short(slug: str) -> str:
    return _named(KIND_SHORT, KIND_SHORT_EN, slug)


def level_name(slug: str) -> str:
    return _named(LEVELS, LEVELS_EN, slug)


def level_short(slug: str) -> str:
    return _named(LEVEL_SHORT, LEVEL_SHORT_EN, slug)


def leave_reason_name(slug: str) -> str:
    return _named(LEAVE_REASONS, LEAVE_REASONS_EN, slug)


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
