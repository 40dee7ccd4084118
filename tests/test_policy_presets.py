"""Every preset's numbers, the new policy keys' validation, and choosing a policy by year."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from importlib import resources

import pytest
from test_policies import policy_text

from congtac12.domain.policy import ContentMinimum, Exemption, LevelMinimum, ProRating
from congtac12.errors import InvalidInput, NotFound
from congtac12.policies import load_policy, parse_policy, policy_for, preset_ids, presets

HANOI_CONTENT = (
    ContentMinimum("chuyen-de", share=Fraction(1, 5)),
    ContentMinimum("sinh-hoat", share=Fraction(2, 5)),
)
ALL_REASONS = ("thai-san", "hoc-tap", "om-dau", "khac")

# (id, window start, end, window days, min days, repeat_through, series)
# Window days by hand: Mar..Dec = 31+30+31+30+31+31+30+31+30+31 = 306 in any year;
# a calendar year is 365, 366 in 2020.
PRESETS = [
    ("ha-noi-2018", "2018-03-01", "2018-12-31", 306, 60, None, "ha-noi"),
    ("ha-noi-2019", "2019-03-01", "2019-12-31", 306, 60, None, "ha-noi"),
    ("ha-noi-2020", "2020-03-01", "2020-12-31", 306, 60, None, "ha-noi"),
    ("ha-noi-2021", "2021-03-01", "2021-12-31", 306, 60, None, "ha-noi"),
    ("ha-noi-2022", "2022-03-01", "2022-12-31", 306, 60, None, "ha-noi"),
    ("quang-tri-2020", "2020-03-01", "2020-12-31", 306, 60, None, "quang-tri"),
    ("ba-ria-vung-tau", "2018-01-01", "2018-12-31", 365, 60, 2022, "ba-ria-vung-tau"),
    ("da-nang-2018", "2018-01-01", "2018-12-31", 365, 30, None, "da-nang"),
    ("ninh-thuan-2020", "2020-01-01", "2020-12-31", 366, 30, None, "ninh-thuan"),
]


def test_the_presets_are_exactly_these():
    assert preset_ids() == sorted(p[0] for p in PRESETS)


@pytest.mark.parametrize("pid, start, end, days, min_days, repeat, series", PRESETS)
def test_preset_numbers(pid, start, end, days, min_days, repeat, series):
    p = load_policy(pid)
    assert p.id == pid
    assert (p.window_start, p.window_end) == (date.fromisoformat(start), date.fromisoformat(end))
    assert p.window_days == days
    assert p.min_days == min_days
    assert p.report_due_days == 10
    assert (p.repeat_through, p.series) == (repeat, series)
    assert p.pro_rating == ProRating(enabled=True, rounding="half-up", leave_reasons=ALL_REASONS)
    # every preset cites its source and says which figures it assumes
    assert p.source.strip() and p.assumptions
    assert any("pro-rated" in a for a in p.assumptions)


@pytest.mark.parametrize("pid", [p[0] for p in PRESETS if p[0].startswith("ha-noi")])
def test_hanoi_years_have_the_2020_content_minimums(pid):
    p = load_policy(pid)
    assert p.content_minimums == HANOI_CONTENT
    # ceil(20% × 60) = 12, ceil(40% × 60) = 24
    assert [m.required(60, 60) for m in p.content_minimums] == [12, 24]
    assert p.level_minimums == () and p.exemptions == ()


@pytest.mark.parametrize("year", [2018, 2019, 2021, 2022])
def test_hanoi_other_years_are_marked_assumed(year):
    p = load_policy(f"ha-noi-{year}")
    assert "35-KH/TĐTN-TCKT" in p.source
    assert "giả định" in p.title  # "assumed", in the title a clerk sees
    text = " ".join(p.assumptions)
    assert "2020" in text and "Window assumed" in text
    raw = resources.files("congtac12.policies").joinpath(f"ha-noi-{year}.toml").read_text("utf-8")
    # the window and every number is marked ASSUMED in a comment
    for key in ("min_days", "report_due_days", "window", "share"):
        line = next(ln for ln in raw.splitlines() if ln.startswith(key))
        before = raw[: raw.index(line) + len(line)].splitlines()[-2:]
        assert "ASSUMED" in " ".join(before), key


def test_hanoi_2020_assumes_only_pro_rating():
    p = load_policy("ha-noi-2020")
    assert len(p.assumptions) == 1 and "pro-rated" in p.assumptions[0]


def test_quang_tri_2020():
    p = load_policy("quang-tri-2020")
    assert p.content_minimums == () and p.level_minimums == () and p.exemptions == ()
    assert any("content minimums" in a for a in p.assumptions)


def test_ba_ria_vung_tau():
    p = load_policy("ba-ria-vung-tau")
    # 30 chi-doan + 20 co-so + 10 huyen = 60
    assert p.level_minimums == (
        LevelMinimum("chi-doan", days=30),
        LevelMinimum("co-so", days=20),
        LevelMinimum("huyen", days=10),
    )
    assert sum(m.days for m in p.level_minimums) == p.min_days
    assert p.content_minimums == ()
    assert p.exemptions == (Exemption(("hoc-tap", "om-dau", "thai-san"), 180),)
    assert p.years == (2018, 2022)
    assert any("calendar year" in a for a in p.assumptions)
    assert any("180 days" in a for a in p.assumptions)


@pytest.mark.parametrize(
    "year, start, end, days",
    [
        (2018, "2018-01-01", "2018-12-31", 365),
        (2020, "2020-01-01", "2020-12-31", 366),
        (2022, "2022-01-01", "2022-12-31", 365),
    ],
)
def test_ba_ria_vung_tau_in_each_year(year, start, end, days):
    p = load_policy("ba-ria-vung-tau").in_year(year)
    assert (p.window_start.isoformat(), p.window_end.isoformat(), p.window_days) == (start, end, days)
    assert p.id == "ba-ria-vung-tau" and p.year == year


@pytest.mark.parametrize("pid, days", [("da-nang-2018", 30), ("ninh-thuan-2020", 30)])
def test_thirty_day_presets(pid, days):
    p = load_policy(pid)
    assert p.min_days == days
    assert p.content_minimums == () and p.level_minimums == () and p.exemptions == ()
    assert any("calendar year" in a for a in p.assumptions)


def test_da_nang_reads_one_month_as_30_days():
    assert any("30 days" in a for a in load_policy("da-nang-2018").assumptions)


@pytest.mark.parametrize("pid", [p[0] for p in PRESETS])
def test_every_preset_file_has_comments_citing_its_source(pid):
    raw = resources.files("congtac12.policies").joinpath(f"{pid}.toml").read_text("utf-8")
    head = "\n".join(ln for ln in raw.splitlines()[:8] if ln.startswith("#"))
    assert re.search(r"Source:", head)
    assert "03-HD/TWĐTN-BTC" in head


def test_presets_lists_them_all():
    assert [p.id for p in presets()] == preset_ids()


# --- choosing a policy by year ----------------------------------------------------------------

AS_OF = date(2020, 11, 13)


@pytest.mark.parametrize(
    "name, year, want_id, want_start",
    [
        ("ha-noi-2020", None, "ha-noi-2020", "2020-03-01"),
        ("ha-noi-2020", 2020, "ha-noi-2020", "2020-03-01"),
        ("ha-noi-2020", 2021, "ha-noi-2021", "2021-03-01"),  # same series, that year's preset
        ("ha-noi-2022", 2018, "ha-noi-2018", "2018-03-01"),
        ("ba-ria-vung-tau", None, "ba-ria-vung-tau", "2020-01-01"),  # the year holding as-of
        ("ba-ria-vung-tau", 2019, "ba-ria-vung-tau", "2019-01-01"),
        ("ba-ria-vung-tau", 2022, "ba-ria-vung-tau", "2022-01-01"),
        ("da-nang-2018", None, "da-nang-2018", "2018-01-01"),  # a one-year policy as it is
    ],
)
def test_policy_for(name, year, want_id, want_start):
    p = policy_for(name, year, AS_OF)
    assert (p.id, p.window_start.isoformat()) == (want_id, want_start)


@pytest.mark.parametrize(
    "name, year, error, words",
    [
        ("ha-noi-2020", 2023, NotFound, ["ha-noi", "2023", "ha-noi-2018 (2018)", "ha-noi-2022 (2022)"]),
        ("ba-ria-vung-tau", 2017, NotFound, ["2017", "ba-ria-vung-tau (2018–2022)"]),
        ("ninh-thuan-2020", 2019, NotFound, ["2019", "ninh-thuan-2020 (2020)"]),
    ],
)
def test_policy_for_a_year_without_a_policy(name, year, error, words):
    with pytest.raises(error) as info:
        policy_for(name, year, AS_OF)
    for word in words:
        assert word in info.value.message


def test_repeating_policy_outside_its_years_needs_a_year():
    with pytest.raises(InvalidInput) as info:
        policy_for("ba-ria-vung-tau", None, date(2025, 5, 1))
    assert "2018–2022" in info.value.message and "--year" in info.value.message


def test_a_file_policy_without_series_only_covers_its_year(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(policy_text(), encoding="utf-8")
    assert policy_for(str(path), 2020, AS_OF).id == "test"
    with pytest.raises(NotFound) as info:
        policy_for(str(path), 2021, AS_OF)
    assert "applies in 2020, not 2021" in info.value.message


def test_repeating_window_across_new_year(tmp_path):
    # A school-year window, September to August, repeating through 2021.
    path = tmp_path / "school.toml"
    path.write_text(
        policy_text(window="{ start = 2019-09-01, end = 2020-08-31 }", repeat_through="2021"),
        encoding="utf-8",
    )
    # as of 1 Oct 2020: the window holding it is 1 Sep 2020..31 Aug 2021 (the 2020 one)
    p = policy_for(str(path), None, date(2020, 10, 1))
    assert (p.window_start, p.window_end) == (date(2020, 9, 1), date(2021, 8, 31))
    # as of 1 Mar 2020: 1 Sep 2019..31 Aug 2020
    p = policy_for(str(path), None, date(2020, 3, 1))
    assert (p.window_start, p.window_end) == (date(2019, 9, 1), date(2020, 8, 31))
    # 366 days (29 Feb 2020 inside) and then 365
    assert p.window_days == 366
    assert policy_for(str(path), 2020, AS_OF).window_days == 365


# --- validation of the new keys -----------------------------------------------------------------

LEVELS = """
[[level_minimums]]
level = "chi-doan"
days = 30
"""


def test_full_format_parses():
    text = policy_text(
        assumptions='["a", "b"]',
        series='"x"',
        repeat_through="2022",
        minimums=LEVELS
        + """
[[level_minimums]]
level = "huyen"
share = "1/6"

[[content_minimums]]
kind = "kiem-tra"
days = 6

[pro_rating]
enabled = false
rounding = "down"
leave_reasons = ["thai-san", "om-dau"]

[[exemptions]]
reasons = ["thai-san"]
min_leave_days = 90

[[exemptions]]
reasons = ["hoc-tap"]
min_leave_days = 180
""",
    )
    p = parse_policy(text, origin="t")
    assert p.assumptions == ("a", "b") and p.series == "x" and p.repeat_through == 2022
    assert p.level_minimums == (LevelMinimum("chi-doan", days=30), LevelMinimum("huyen", share=Fraction(1, 6)))
    assert p.content_minimums == (ContentMinimum("kiem-tra", days=6),)
    assert p.pro_rating == ProRating(False, "down", ("thai-san", "om-dau"))
    assert p.exemptions == (Exemption(("thai-san",), 90), Exemption(("hoc-tap",), 180))


def test_defaults_of_the_new_keys():
    p = parse_policy(policy_text(), origin="t")
    assert p.level_minimums == () and p.exemptions == () and p.assumptions == ()
    assert p.series is None and p.repeat_through is None
    assert p.pro_rating == ProRating(True, "half-up", ALL_REASONS)


def test_a_minimum_in_days_is_a_share_of_min_days():
    # 30 of 60 days at chi-doan = 1/2: ceil(1/2 × 36) = 18 for a cadre required 36; 30 for 60
    (m,) = parse_policy(policy_text(minimums=LEVELS), origin="t").level_minimums
    assert (m.required(60, 60), m.required(36, 60), m.required(35, 60)) == (30, 18, 18)


MIN = 'kind = "chuyen-de"\nshare = "20%"'


@pytest.mark.parametrize(
    "values, minimums, key, accepted",
    [
        ({"min_day": "60"}, "", "unknown key min_day", "min_days"),
        ({}, "\n[pro_ratin]\nenabled = true\n", "unknown key pro_ratin", "pro_rating"),
        ({"window": "{ start = 2020-03-01, end = 2020-12-31, days = 306 }"}, "", "window.days", "start, end"),
        ({"assumptions": '"one"'}, "", "assumptions is 'one'", "an array of non-empty strings"),
        ({"assumptions": "[1]"}, "", "assumptions is [1]", "an array of non-empty strings"),
        ({"series": '""'}, "", "series is ''", "a non-empty string"),
        ({"repeat_through": "2019"}, "", "repeat_through is 2019", "2020"),
        ({"repeat_through": '"2022"'}, "", "repeat_through is '2022'", "a year"),
        (
            {"repeat_through": "2024", "window": "{ start = 2020-02-29, end = 2020-12-31 }"},
            "",
            "window.start is 29 February",
            "any other day",
        ),
        (
            {},
            '\n[[level_minimums]]\nlevel = "xa"\ndays = 5\n',
            "level_minimums[1].level 'xa'",
            "huyen, co-so, chi-doan",
        ),
        ({}, '\n[[level_minimums]]\nlevel = "huyen"\n', "level_minimums[1] needs exactly one", "share or days"),
        (
            {},
            '\n[[level_minimums]]\nlevel = "huyen"\ndays = 70\n',
            "level_minimums[1].days is 70",
            "at most min_days (60)",
        ),
        ({}, '\n[[level_minimums]]\nlevel = "huyen"\nshare = "150%"\n', "level_minimums[1].share", "a share"),
        ({}, LEVELS + LEVELS, "level_minimums[2].level repeats 'chi-doan'", "at most once"),
        (
            {},
            '\n[[level_minimums]]\nlevel = "huyen"\ndays = 5\nkind = "x"\n',
            "level_minimums[1].kind",
            "level, share, days",
        ),
        (
            {},
            '\n[[content_minimums]]\nkind = "kiem-tra"\ndays = 61\n',
            "content_minimums[2].days is 61",
            "at most min_days",
        ),
        (
            {},
            '\n[[content_minimums]]\nkind = "chuyen-de"\ndays = 12\n',
            "content_minimums[2].kind repeats 'chuyen-de'",
            "at most once",
        ),
        ({}, '\n[pro_rating]\nenabled = "yes"\n', "pro_rating.enabled is 'yes'", "true or false"),
        ({}, '\n[pro_rating]\nrounding = "nearest"\n', "pro_rating.rounding is 'nearest'", "half-up, up, down"),
        (
            {},
            '\n[pro_rating]\nleave_reasons = ["nghi-phep"]\n',
            "pro_rating.leave_reasons",
            "thai-san, hoc-tap, om-dau, khac",
        ),
        ({}, "\n[pro_rating]\nmonths = 6\n", "unknown key pro_rating.months", "enabled, rounding, leave_reasons"),
        ({"pro_rating": "true"}, "", "pro_rating is True", "a table"),
        ({}, "\n[[exemptions]]\nmin_leave_days = 180\n", "exemptions[1].reasons is missing", "thai-san"),
        ({}, "\n[[exemptions]]\nreasons = []\nmin_leave_days = 180\n", "exemptions[1].reasons is []", "thai-san"),
        (
            {},
            '\n[[exemptions]]\nreasons = ["sinh-con"]\nmin_leave_days = 180\n',
            "exemptions[1].reasons",
            "thai-san, hoc-tap, om-dau, khac",
        ),
        ({}, '\n[[exemptions]]\nreasons = ["thai-san"]\n', "exemptions[1].min_leave_days is missing", "a whole number"),
        (
            {},
            '\n[[exemptions]]\nreasons = ["thai-san"]\nmin_leave_days = 0\n',
            "exemptions[1].min_leave_days is 0",
            "1 or more",
        ),
        (
            {},
            '\n[[exemptions]]\nreasons = ["thai-san"]\nmin_leave_days = "6 months"\n',
            "exemptions[1].min_leave_days is '6 months'",
            "a whole number",
        ),
        ({"exemptions": '["thai-san"]'}, "", "exemptions[1] must be a table", "reasons and min_leave_days"),
    ],
)
def test_validation_names_the_key_and_what_is_accepted(values, minimums, key, accepted):
    with pytest.raises(InvalidInput) as info:
        parse_policy(policy_text(minimums=MINIMUMS_PREFIX + minimums, **values), origin="mine.toml")
    message = info.value.message
    assert message.startswith("policy mine.toml: ")
    assert key in message
    assert accepted in message
    assert info.value.exit_code == 2


# The content minimum policy_text() adds by default, repeated here so every case above also has it.
MINIMUMS_PREFIX = f"\n[[content_minimums]]\n{MIN}\n"
