"""Vietnamese alphabetical order: tables of pairs a Vietnamese reader would order by hand."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congtac12.collation import name_key, sort_key, sorted_vi

# (earlier, later, why)
PAIRS = [
    ("Hà Đông", "Hoàng Mai", "a before o"),
    ("Thạch Thất", "Thường Tín", "a before ư"),
    ("Ban Tổ chức – Kiểm tra", "Ban Tuyên giáo", "ô before u (code points put u first)"),
    ("Ban Đoàn kết tập hợp thanh niên", "Ban Thanh niên", "đ before t (code points put Đ after every letter)"),
    ("Dương Nội", "Đà Nẵng", "every D… before Đ…"),
    ("Duy Tiên", "Đà Nẵng", "d before đ whatever follows"),
    ("Ca", "Căn", "a before ă"),
    ("Căn", "Cân", "ă before â"),
    ("Cân", "Cb", "â before b"),
    ("Ô Chợ Dừa", "Ơn", "ô before ơ"),
    ("Ơn", "Pa", "ơ before p"),
    ("Uông Bí", "Ưng Hòa", "u before ư"),
    ("Ưng Hòa", "Văn", "ư before v"),
    ("Ba", "Bac", "a shorter word first"),
    ("Ba Vì", "Bac Ninh", "word by word: 'Ba' ends before 'Bac'"),
    ("Ba Đình", "Ba Vì", "second word: đ before v"),
    ("ma", "mà", "no tone before huyền"),
    ("mà", "mả", "huyền before hỏi"),
    ("mả", "mã", "hỏi before ngã"),
    ("mã", "má", "ngã before sắc"),
    ("má", "mạ", "sắc before nặng"),
    ("mạ", "mac", "letters decide before tones"),
    ("an", "An", "lower case before upper case when all else is equal"),
    ("Quận 1", "Quận 2", "digits in order"),
    ("Quận 9", "Quận A", "digits before letters"),
    ("Ban Tổ chức", "Ban Tuyên giáo", "ô before u, the names as the issue gives them"),
    ("Dzũng", "Đà Nẵng", "Đ… after every D…, even the last one"),
    ("Quận đoàn Hà Đông", "Quận đoàn Hoàng Mai", "equal first words: the third decides"),
    ("Huyện đoàn Thạch Thất", "Huyện đoàn Thường Tín", "a before ư after equal words"),
]


@pytest.mark.parametrize(("earlier", "later", "why"), PAIRS, ids=[f"{a}<{b}" for a, b, _ in PAIRS])
def test_pairs_in_vietnamese_order(earlier: str, later: str, why: str) -> None:
    assert sort_key(earlier) < sort_key(later), why
    assert not sort_key(later) < sort_key(earlier), why


def test_a_list_of_departments_in_vietnamese_order() -> None:
    expected = [
        "Ban Công tác Thiếu nhi",
        "Ban Đoàn kết tập hợp thanh niên",
        "Ban Thanh niên Trường học",
        "Ban Tổ chức – Kiểm tra",
        "Ban Tuyên giáo",
        "Văn phòng",
    ]
    shuffled = expected[:]
    random.Random(12).shuffle(shuffled)
    assert sorted_vi(shuffled, key=str) == expected


def test_hanoi_districts_in_vietnamese_order() -> None:
    expected = ["Ba Đình", "Ba Vì", "Bắc Từ Liêm", "Cầu Giấy", "Chương Mỹ", "Đan Phượng", "Đông Anh", "Đống Đa"]
    assert sorted_vi(reversed(expected), key=str) == expected


def test_people_by_given_name_first() -> None:
    names = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Thị An", "Đỗ Thị Mai Anh", "Phạm Văn Ánh"]
    assert sorted(names, key=name_key) == [
        "Lê Thị An",
        "Trần Văn An",
        "Đỗ Thị Mai Anh",
        "Phạm Văn Ánh",
        "Nguyễn Thị Bình",
    ]


def test_decomposed_and_composed_text_sort_alike() -> None:
    import unicodedata

    for text in ("Nguyễn", "Đặng Thị Đào", "Hoài Đức"):
        assert sort_key(unicodedata.normalize("NFD", text))[:3] == sort_key(text)[:3]


VI_TEXT = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐĂÂÊÔƠƯ019",
    max_size=12,
)


@given(st.lists(VI_TEXT, max_size=8))
def test_the_order_is_total_and_stable(texts: list[str]) -> None:
    # Only equal texts have equal keys, so the input's order never shows through.
    once = sorted(texts, key=sort_key)
    backwards = once[::-1]
    assert sorted(backwards, key=sort_key) == once


@given(VI_TEXT)
def test_case_is_the_last_key(text: str) -> None:
    assert sort_key(text.lower())[:2] == sort_key(text.upper())[:2]
