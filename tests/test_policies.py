"""Policies as data: the shipped preset and the validation of TOML files."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from congtac12.domain.policy import ContentMinimum
from congtac12.errors import InvalidInput, NotFound
from congtac12.policies import DEFAULT_POLICY, load_policy, parse_policy, preset_ids

# --- the shipped preset --------------------------------------------------------------


def test_hanoi_2020_preset():
    p = load_policy("ha-noi-2020")
    assert p.id == "ha-noi-2020"
    assert "Hà Nội" in p.title
    assert "70-HD/TĐTN-TCKT" in p.source
    assert p.window_start == date(2020, 3, 1)
    assert p.window_end == date(2020, 12, 31)
    assert p.window_days == 306  # 31+30+31+30+31+31+30+31+30+31
    assert p.min_days == 60
    assert p.report_due_days == 10
    assert p.content_minimums == (
        ContentMinimum("chuyen-de", share=Fraction(1, 5)),
        ContentMinimum("sinh-hoat", share=Fraction(2, 5)),
    )
    # ceil(20% x 60) = 12, ceil(40% x 60) = 24
    assert [m.required(p.min_days) for m in p.content_minimums] == [12, 24]


def test_default_policy_is_hanoi_2020():
    assert DEFAULT_POLICY == "ha-noi-2020"
    assert load_policy() == load_policy("ha-noi-2020")
    assert "ha-noi-2020" in preset_ids()


def test_load_policy_from_a_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(policy_text(min_days="30"), encoding="utf-8")
    p = load_policy(str(path))
    assert p.id == "test"
    assert p.min_days == 30


def test_load_policy_unknown_lists_presets():
    with pytest.raises(NotFound) as info:
        load_policy("ha-noi-1999")
    assert "ha-noi-1999" in str(info.value)
    assert "ha-noi-2020" in str(info.value)


# --- parse_policy ----------------------------------------------------------------------

DEFAULTS = {
    "id": '"test"',
    "title": '"Test policy"',
    "source": '"Test source"',
    "min_days": "60",
    "report_due_days": "10",
    "window": "{ start = 2020-03-01, end = 2020-12-31 }",
}

MINIMUMS = """
[[content_minimums]]
kind = "chuyen-de"
share = "20%"
"""


def policy_text(*, drop=(), minimums=MINIMUMS, **values):
    """A policy TOML text: DEFAULTS overridden by ``values``, without the keys in ``drop``."""
    fields = DEFAULTS | values
    lines = [f"{key} = {value}" for key, value in fields.items() if key not in drop]
    return "\n".join(lines) + "\n" + minimums


def test_policy_text_helper_is_valid():
    p = parse_policy(policy_text(), origin="t")
    assert (p.id, p.title, p.source) == ("test", "Test policy", "Test source")
    assert (p.window_start, p.window_end) == (date(2020, 3, 1), date(2020, 12, 31))
    assert (p.min_days, p.report_due_days) == (60, 10)
    assert p.content_minimums == (ContentMinimum("chuyen-de", share=Fraction(1, 5)),)


def test_content_minimums_are_optional():
    p = parse_policy(policy_text(minimums=""), origin="t")
    assert p.content_minimums == ()


@pytest.mark.parametrize("key", ["id", "title", "source", "min_days", "report_due_days", "window"])
def test_missing_key_is_named(key):
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(drop=[key]), origin="mine.toml")
    message = str(info.value)
    assert f"{key} is missing" in message
    assert "mine.toml" in message
    assert "accepted" in message
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    "window, key",
    [
        ("{ end = 2020-12-31 }", "window.start"),
        ("{ start = 2020-03-01 }", "window.end"),
        ('{ start = "2020-03-01", end = 2020-12-31 }', "window.start"),  # a string, not a date
        ("{ start = 2020-03-01, end = 12:00:00 }", "window.end"),  # a time, not a date
        ("{ start = 2020-03-01T00:00:00, end = 2020-12-31 }", "window.start"),  # a datetime
        ("{ start = 2020-03-01, end = 2020-12-31T23:59:00 }", "window.end"),
        ('"2020"', "window"),
    ],
)
def test_bad_window_is_named(window, key):
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(window=window), origin="t")
    assert f"{key} is " in str(info.value)
    assert "accepted" in str(info.value)


def test_window_end_before_start():
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(window="{ start = 2020-12-31, end = 2020-03-01 }"), origin="t")
    message = str(info.value)
    assert "window.end" in message and "window.start" in message
    assert "before" in message


def test_one_day_window_is_allowed():
    p = parse_policy(policy_text(window="{ start = 2020-03-01, end = 2020-03-01 }"), origin="t")
    assert p.window_days == 1


@pytest.mark.parametrize(
    "key, value",
    [
        ("min_days", "-1"),
        ("min_days", '"60"'),
        ("min_days", "60.0"),
        ("min_days", "true"),
        ("report_due_days", "-10"),
        ("report_due_days", '"ten"'),
        ("id", '""'),
        ("id", "   5"),
        ("title", '"   "'),
        ("source", "[]"),
    ],
)
def test_bad_value_is_named(key, value):
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(**{key: value}), origin="t")
    assert f"{key} is " in str(info.value)
    assert "accepted" in str(info.value)


def minimum(body: str) -> str:
    return "\n[[content_minimums]]\n" + body + "\n"


@pytest.mark.parametrize(
    "minimums, key",
    [
        (minimum('kind = "chuyen-de"\nshare = "120%"'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = 1.5'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = "-20%"'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = -0.2'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = "abc"'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = "1/0"'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = true'), "content_minimums[1].share"),
        (minimum('kind = "chuyen-de"\nshare = "6/5"'), "content_minimums[1].share"),
        (MINIMUMS + minimum('kind = "sinh-hoat"\nshare = "140%"'), "content_minimums[2].share"),
        (minimum('kind = "chuyen_de"\nshare = "20%"'), "content_minimums[1].kind"),
        (minimum('kind = "Theo chuyên đề"\nshare = "20%"'), "content_minimums[1].kind"),
        (minimum('share = "20%"'), "content_minimums[1].kind"),
        (minimum('kind = ["chuyen-de"]\nshare = "20%"'), "content_minimums[1].kind"),
        (MINIMUMS + minimum('kind = "tham-quan"\nshare = "20%"'), "content_minimums[2].kind"),
        (minimum('kind = "chuyen-de"'), "content_minimums[1]"),
        (minimum('kind = "chuyen-de"\nshare = "20%"\ndays = 12'), "content_minimums[1]"),
        (minimum('kind = "chuyen-de"\ndays = -1'), "content_minimums[1].days"),
        (minimum('kind = "chuyen-de"\ndays = "12"'), "content_minimums[1].days"),
        ('content_minimums = ["chuyen-de"]\n', "content_minimums[1]"),
        ('content_minimums = "chuyen-de"\n', "content_minimums"),
    ],
)
def test_bad_content_minimum_is_named(minimums, key):
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(minimums=minimums), origin="t")
    assert key in str(info.value)


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(minimums=minimum('kind = "tham-quan"\nshare = "20%"')), origin="t")
    message = str(info.value)
    assert "'tham-quan'" in message
    for slug in ("chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat"):
        assert slug in message


def test_bad_share_says_what_is_accepted():
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(minimums=minimum('kind = "chuyen-de"\nshare = "120%"')), origin="t")
    message = str(info.value)
    assert "'120%'" in message
    assert "20%" in message and "accepted" in message


@pytest.mark.parametrize(
    "text",
    [
        "this is not toml",
        'id = "a"\nid = "b"\n',  # a key defined twice
        "window = { start = 2020-03-01, end = ",
        "min_days = 60\n[window\n",
    ],
)
def test_invalid_toml(text):
    with pytest.raises(InvalidInput) as info:
        parse_policy(text, origin="broken.toml")
    assert "broken.toml" in str(info.value)
    assert "not valid TOML" in str(info.value)


# --- shares, exactly ---------------------------------------------------------------------

SHARES = [
    # (TOML value, exact share)
    ('"20%"', Fraction(1, 5)),
    ("0.2", Fraction(1, 5)),  # a TOML float, read exactly: not 0.2000000000000000111
    ('"1/5"', Fraction(1, 5)),
    ('"0.2"', Fraction(1, 5)),
    ('" 20 % "', Fraction(1, 5)),
    ('"20.0%"', Fraction(1, 5)),
    ('"40%"', Fraction(2, 5)),
    ("0.4", Fraction(2, 5)),
    ('"2/5"', Fraction(2, 5)),
    ("0.1", Fraction(1, 10)),
    ('"12.5%"', Fraction(1, 8)),
    ('"1/3"', Fraction(1, 3)),
    ('"0%"', Fraction(0)),
    ("0", Fraction(0)),
    ("1", Fraction(1)),
    ('"100%"', Fraction(1)),
]


@pytest.mark.parametrize("value, share", SHARES)
def test_share_is_exact(value, share):
    p = parse_policy(policy_text(minimums=minimum(f'kind = "chuyen-de"\nshare = {value}')), origin="t")
    assert p.content_minimums == (ContentMinimum("chuyen-de", share=share),)
    assert isinstance(p.content_minimums[0].share, Fraction)


def test_twenty_percent_three_ways_are_equal():
    shares = [
        parse_policy(policy_text(minimums=minimum(f'kind = "chuyen-de"\nshare = {v}')), origin="t")
        .content_minimums[0]
        .share
        for v in ('"20%"', "0.2", '"1/5"')
    ]
    assert shares == [Fraction(1, 5)] * 3
    # and so each gives ceil(1/5 x 60) = 12 required days
    assert {Fraction(s) * 60 for s in shares} == {12}


def test_minimum_in_days():
    p = parse_policy(policy_text(minimums=minimum('kind = "kiem-tra"\ndays = 10')), origin="t")
    assert p.content_minimums == (ContentMinimum("kiem-tra", days=10),)
    assert p.content_minimums[0].required(60) == 10
