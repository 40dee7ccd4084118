"""Typed dates, folded Vietnamese text, name matching and the vocabularies."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import pytest

from congtac12.dates import days_inclusive, iso, parse_date
from congtac12.domain.vocab import KINDS, LEVELS, parse_kind, parse_level
from congtac12.errors import Ambiguous, InvalidInput, NotFound
from congtac12.text import clean_field, fold, match_one

TODAY = date(2020, 3, 10)

# --- parse_date ----------------------------------------------------------------------

VALID_DATES = [
    # (text, today, expected)
    ("2020-03-05", TODAY, date(2020, 3, 5)),
    ("05/03/2020", TODAY, date(2020, 3, 5)),  # day first: 5 March, never 3 May
    ("5/3/2020", TODAY, date(2020, 3, 5)),
    ("5-3-2020", TODAY, date(2020, 3, 5)),
    ("5.3.2020", TODAY, date(2020, 3, 5)),
    ("05.03.2020", TODAY, date(2020, 3, 5)),
    ("  05/03/2020  ", TODAY, date(2020, 3, 5)),  # surrounding blanks ignored
    ("12/11/2020", TODAY, date(2020, 11, 12)),  # 12 November, not 11 December
    ("13/12/2020", TODAY, date(2020, 12, 13)),
    ("29/02/2020", TODAY, date(2020, 2, 29)),  # 2020 is a leap year
    ("2020-02-29", TODAY, date(2020, 2, 29)),
    ("31/12/2020", TODAY, date(2020, 12, 31)),
    ("1/1/2021", TODAY, date(2021, 1, 1)),
    ("today", TODAY, TODAY),
    ("Today", TODAY, TODAY),
    ("yesterday", TODAY, date(2020, 3, 9)),
    ("hôm nay", TODAY, TODAY),
    ("hôm qua", TODAY, date(2020, 3, 9)),
    ("Hom Nay", TODAY, TODAY),
    ("HÔM QUA", TODAY, date(2020, 3, 9)),
    ("hom  qua", TODAY, date(2020, 3, 9)),
    (unicodedata.normalize("NFD", "hôm nay"), TODAY, TODAY),
    ("yesterday", date(2020, 3, 1), date(2020, 2, 29)),  # leap day
    ("hôm qua", date(2021, 1, 1), date(2020, 12, 31)),  # across the year
    ("today", date(2021, 1, 1), date(2021, 1, 1)),
]


@pytest.mark.parametrize("text, today, expected", VALID_DATES)
def test_parse_date_valid(text, today, expected):
    assert parse_date(text, today=today) == expected


INVALID_DATES = [
    "31/02/2020",  # no 31 February
    "30/02/2020",
    "29/02/2021",  # 2021 is not a leap year
    "2021-02-29",
    "2020-13-01",  # no month 13
    "2020-00-10",
    "00/03/2020",
    "32/01/2020",
    "5/13/2020",  # month first is not accepted: no month 13
    "abc",
    "",
    "   ",
    "2020",
    "05/03/20",  # two-digit year
    "2020/03/05",  # year first with slashes
    "5/3-2020",  # mixed separators
    "5 March 2020",
    "tomorrow",
    "ngày mai",
    "2020-03-05T10:00",
    "05/03/20201",  # the whole text must be a date, not just a part of it
    "105/03/2020",
    "05/03/2020 x",
    "12020-03-05",
    "2020-03-055",
]


@pytest.mark.parametrize("text", INVALID_DATES)
def test_parse_date_invalid_says_what_is_accepted(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, today=TODAY, what="start")
    message = str(info.value)
    assert info.value.exit_code == 2
    assert message.startswith("start ")
    assert repr(text) in message
    assert "accepted" in message
    assert "YYYY-MM-DD" in message and "DD/MM/YYYY" in message
    assert "today" in message


def test_parse_date_impossible_date_names_its_parts():
    with pytest.raises(InvalidInput, match=r"day 31, month 2, year 2020"):
        parse_date("31/02/2020", today=TODAY)


def test_iso_and_days_inclusive():
    assert iso(date(2020, 3, 5)) == "2020-03-05"
    assert iso(None) is None
    assert days_inclusive(date(2020, 2, 27), date(2020, 3, 3)) == 6  # 27, 28, 29, 1, 2, 3
    assert days_inclusive(date(2020, 3, 3), date(2020, 3, 3)) == 1
    assert days_inclusive(date(2020, 3, 4), date(2020, 3, 3)) == 0


# --- fold ------------------------------------------------------------------------------

FOLDS = [
    ("Nguyễn Văn An", "nguyen van an"),
    ("Đặng Thị Đào", "dang thi dao"),
    ("NGUYỄN VĂN AN", "nguyen van an"),
    ("ĐOÀN", "doan"),
    ("  Nguyễn   Văn\tAn  ", "nguyen van an"),
    ("Quận đoàn Ba Đình", "quan doan ba dinh"),
    ("Huyện đoàn Ứng Hòa", "huyen doan ung hoa"),
    ("Hoà", "hoa"),  # old-style tone placement folds the same
    ("Thị đoàn Sơn Tây", "thi doan son tay"),
    ("Phối hợp tổ chức hoạt động", "phoi hop to chuc hoat dong"),
    ("", ""),
]


@pytest.mark.parametrize("text, expected", FOLDS)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "Đặng Thị Đào", "Huyện đoàn Ứng Hòa", "hôm nay"])
def test_fold_nfd_equals_nfc(text):
    nfd = unicodedata.normalize("NFD", text)
    nfc = unicodedata.normalize("NFC", text)
    assert nfd != nfc  # the inputs really differ
    assert fold(nfd) == fold(nfc)


# --- match_one -------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    code: str
    name: str


UNITS = [
    Item("QD-BD", "Quận đoàn Ba Đình"),
    Item("QD-HK", "Quận đoàn Hoàn Kiếm"),
    Item("QD-BTL", "Quận đoàn Bắc Từ Liêm"),
    Item("QD-NTL", "Quận đoàn Nam Từ Liêm"),
    Item("HD-GL", "Huyện đoàn Gia Lâm"),
    Item("TD-ST", "Thị đoàn Sơn Tây"),
]

CADRES = [
    Item("A01", "Nguyễn Văn An"),
    Item("A02", "Nguyễn Văn An Bình"),
    Item("A03", "Đặng Thị Đào"),
    Item("A04", "Đặng Thị Đào"),  # a namesake
]


def find(query, candidates, what="unit"):
    return match_one(
        query,
        candidates,
        keys=lambda c: (c.code, c.name),
        label=lambda c: f"{c.name} ({c.code})",
        what=what,
    )


FOUND = [
    # (query, candidates, expected code)
    ("QD-BD", UNITS, "QD-BD"),
    ("qd-bd", UNITS, "QD-BD"),
    ("Quận đoàn Ba Đình", UNITS, "QD-BD"),
    ("quan doan ba dinh", UNITS, "QD-BD"),
    ("QUẬN ĐOÀN BA ĐÌNH", UNITS, "QD-BD"),
    ("  quận   đoàn ba đình ", UNITS, "QD-BD"),
    (unicodedata.normalize("NFD", "Quận đoàn Ba Đình"), UNITS, "QD-BD"),
    ("Ba Đình", UNITS, "QD-BD"),  # the place name alone
    ("ba dinh", UNITS, "QD-BD"),
    ("Sơn Tây", UNITS, "TD-ST"),
    ("gia lam", UNITS, "HD-GL"),
    ("Bắc Từ Liêm", UNITS, "QD-BTL"),
    ("hoan kiem", UNITS, "QD-HK"),
    ("nguyen van an", CADRES, "A01"),  # exact name beats "Nguyễn Văn An Bình" containing it
    ("Nguyễn Văn An Bình", CADRES, "A02"),
    ("an binh", CADRES, "A02"),
    ("a04", CADRES, "A04"),  # a namesake is reached by code
]


@pytest.mark.parametrize("query, candidates, code", FOUND)
def test_match_one_finds(query, candidates, code):
    assert find(query, candidates).code == code


AMBIGUOUS = [
    # (query, candidates, what, names that must be listed)
    ("Từ Liêm", UNITS, "unit", ["Quận đoàn Bắc Từ Liêm (QD-BTL)", "Quận đoàn Nam Từ Liêm (QD-NTL)"]),
    ("tu liem", UNITS, "unit", ["Quận đoàn Bắc Từ Liêm (QD-BTL)", "Quận đoàn Nam Từ Liêm (QD-NTL)"]),
    (
        "quan doan",
        UNITS,
        "unit",
        [
            "Quận đoàn Ba Đình (QD-BD)",
            "Quận đoàn Hoàn Kiếm (QD-HK)",
            "Quận đoàn Bắc Từ Liêm (QD-BTL)",
            "Quận đoàn Nam Từ Liêm (QD-NTL)",
        ],
    ),
    ("dang thi dao", CADRES, "cadre", ["Đặng Thị Đào (A03)", "Đặng Thị Đào (A04)"]),
    ("nguyen van", CADRES, "cadre", ["Nguyễn Văn An (A01)", "Nguyễn Văn An Bình (A02)"]),
]


@pytest.mark.parametrize("query, candidates, what, listed", AMBIGUOUS)
def test_match_one_ambiguous_lists_candidates(query, candidates, what, listed):
    with pytest.raises(Ambiguous) as info:
        find(query, candidates, what)
    message = str(info.value)
    assert f"matches {len(listed)}:" in message
    for name in listed:
        assert name in message
    for other in candidates:
        if f"{other.name} ({other.code})" not in listed:
            assert f"({other.code})" not in message
    if what == "cadre":
        assert "or the code" in message


def test_match_one_unknown_suggests_close_names():
    with pytest.raises(NotFound) as info:
        find("Quận đoàn Ba Đinhh", UNITS)
    message = str(info.value)
    assert "no unit matches" in message
    assert "did you mean" in message
    assert "Quận đoàn Ba Đình (QD-BD)" in message


def test_match_one_unknown_without_anything_close():
    with pytest.raises(NotFound) as info:
        find("zzzzzz", UNITS)
    assert "no unit matches 'zzzzzz'" in str(info.value)
    assert "did you mean" not in str(info.value)


def test_match_one_partial_words_only():
    # "din" is not a whole word of any name: nothing found
    with pytest.raises(NotFound):
        find("din", UNITS)


@pytest.mark.parametrize("query", ["", "   "])
def test_match_one_empty_query(query):
    with pytest.raises(InvalidInput):
        find(query, UNITS)


def test_match_one_no_candidates():
    with pytest.raises(NotFound):
        find("ba dinh", [])


# --- clean_field ------------------------------------------------------------------------


def test_clean_field():
    assert clean_field("  Quận   đoàn\nBa Đình ", what="name", max_len=50) == "Quận đoàn Ba Đình"
    nfd = unicodedata.normalize("NFD", "Đào")
    assert clean_field(nfd, what="name", max_len=50) == unicodedata.normalize("NFC", "Đào")
    assert clean_field("", what="topic", max_len=5, required=False) == ""
    with pytest.raises(InvalidInput, match="name is empty"):
        clean_field("   ", what="name", max_len=50)
    with pytest.raises(InvalidInput, match="at most 5"):
        clean_field("abcdef", what="name", max_len=5)
    with pytest.raises(InvalidInput, match="control characters"):
        clean_field("a\x00b", what="name", max_len=50)


# --- vocabularies ------------------------------------------------------------------------

KIND_ALIASES = [
    ("chuyen-de", "chuyen-de"),
    ("chuyên đề", "chuyen-de"),
    ("chuyen de", "chuyen-de"),
    ("Theo chuyên đề", "chuyen-de"),
    ("theo chuyen de", "chuyen-de"),
    ("CHUYÊN ĐỀ", "chuyen-de"),
    (" chuyên  đề ", "chuyen-de"),
    ("Dự sinh hoạt", "sinh-hoat"),
    ("du sinh hoat", "sinh-hoat"),
    ("sinh hoat", "sinh-hoat"),
    ("sinh hoạt", "sinh-hoat"),
    ("sinh-hoat", "sinh-hoat"),
    ("Phối hợp tổ chức hoạt động", "phoi-hop"),
    ("phối hợp", "phoi-hop"),
    ("phoi-hop", "phoi-hop"),
    ("Kiểm tra, giám sát", "kiem-tra"),
    ("kiem tra", "kiem-tra"),
    ("KIEM-TRA", "kiem-tra"),
]


@pytest.mark.parametrize("text, slug", KIND_ALIASES)
def test_parse_kind(text, slug):
    assert parse_kind(text) == slug


@pytest.mark.parametrize("slug", list(KINDS))
def test_parse_kind_accepts_every_slug_and_name(slug):
    assert parse_kind(slug) == slug
    assert parse_kind(KINDS[slug]) == slug


LEVEL_ALIASES = [
    ("Chi đoàn", "chi-doan"),
    ("chi doan", "chi-doan"),
    ("chi-doan", "chi-doan"),
    ("Đoàn cơ sở", "co-so"),
    ("co so", "co-so"),
    ("cơ sở", "co-so"),
    ("huyen", "huyen"),
    ("huyện", "huyen"),
    ("Đoàn cấp huyện và tương đương", "huyen"),
]


@pytest.mark.parametrize("text, slug", LEVEL_ALIASES)
def test_parse_level(text, slug):
    assert parse_level(text) == slug


@pytest.mark.parametrize("slug", list(LEVELS))
def test_parse_level_accepts_every_slug_and_name(slug):
    assert parse_level(slug) == slug
    assert parse_level(LEVELS[slug]) == slug


@pytest.mark.parametrize("text", ["hop", "", "chuyen", "sinh-hoat-chi-doan", "chuyen_de", "theo"])
def test_parse_kind_unknown(text):
    with pytest.raises(InvalidInput) as info:
        parse_kind(text)
    assert info.value.exit_code == 2
    assert repr(text) in str(info.value)
    for slug in KINDS:
        assert slug in str(info.value)


@pytest.mark.parametrize("text", ["tinh", "", "chuyen-de", "doan", "xa"])
def test_parse_level_unknown(text):
    with pytest.raises(InvalidInput) as info:
        parse_level(text)
    assert info.value.exit_code == 2
    for slug in LEVELS:
        assert slug in str(info.value)


def test_one_record_per_slug_and_the_views_read_it() -> None:
    """The vocabularies are records (``Term``): one per slug, every name given; KINDS, LEVELS,
    LEAVE_REASONS and the short forms are views of them, and the names follow the language."""
    from congtac12.domain import vocab
    from congtac12.i18n import set_language

    for terms, view in ((vocab.KIND_TERMS, KINDS), (vocab.LEVEL_TERMS, LEVELS), (vocab.LEAVE_TERMS, None)):
        for slug, term in terms.items():
            assert term.slug == slug
            assert all((term.vi, term.en, term.short_vi, term.short_en)), term
        if view is not None:
            assert view == {slug: t.vi for slug, t in terms.items()}
    assert list(KINDS) == ["chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat"]  # the guidance's order
    try:
        set_language("vi")
        assert (vocab.kind_name("kiem-tra"), vocab.kind_short("kiem-tra")) == ("Kiểm tra, giám sát", "Kiểm tra")
        set_language("en")
        assert (vocab.kind_name("kiem-tra"), vocab.kind_short("kiem-tra")) == (
            "Inspection and supervision",
            "Inspection",
        )
        assert vocab.level_short("chi-doan") == "Branch" and vocab.leave_reason_name("thai-san") == "Maternity"
        assert vocab.kind_name("unknown") == "unknown"
    finally:
        set_language("en")


def test_the_states_are_enums_whose_members_are_their_slugs() -> None:
    import json

    from congtac12.domain import states

    assert states.STATES == tuple(states.State)
    assert [str(s) for s in states.STATES] == ["met", "on_track", "behind", "not_met", "exempt", "not_subject"]
    assert states.MET == "met" and json.dumps({states.MET: states.OVERDUE}) == '{"met": "overdue"}'
    assert states.REPORT_STATES == ("on_time", "late", "pending", "overdue")
    assert states.REMINDER_STATES == ("overdue", "due_soon")
    assert states.PLAN_RECORDED_STATES == ("draft", "submitted", "approved", "returned")
    assert set(states.PLAN_STATES) == {*states.PLAN_RECORDED_STATES, "done", "missed"}
