"""The charts' marks (issue 18): the month's pace mark │ rounded half up, hand-counted, and the
months written by the date helpers in both charts (the terminal's and the report page's SVG)."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

import pytest

from congtac12 import i18n
from congtac12.dates import show_month
from congtac12.render.charts import pace_column


@pytest.mark.parametrize(
    ("pace", "column"),
    [
        (Fraction(5, 2), 3),  # half up, where round() (half to even) says 2
        (Fraction(7, 2), 4),  # round() says 4 too
        (Fraction(1, 2), 1),  # round() says 0
        (0.5, 1),
        (Fraction(0), 0),
        (Fraction(2449, 1000), 2),
        (Fraction(155, 51), 3),  # 60 × 31 / 306 ≈ 6.08 / 2 ≈ 3.04
        (Fraction(60 * 31, 306), 6),  # March under Hà Nội 2020: ≈ 6.08
        (Fraction(60 * 30, 306), 6),  # April: ≈ 5.88
    ],
)
def test_the_pace_mark_is_rounded_half_up(pace, column) -> None:
    assert pace_column(pace) == column


HALF = """
id = "nua"
title = "Thử nửa ngày"
source = "Thử"
assumptions = ["A window of 62 days."]
min_days = 5
report_due_days = 10
window = { start = 2020-03-01, end = 2020-05-01 }
"""


def test_a_month_whose_share_is_a_half_has_its_mark_after_the_half(cli, tmp_path) -> None:
    # 62 days from 01/03 to 01/05: March's share of 5 days is 5 × 31 / 62 = 2.5 -> │ after 3 cells
    # (round() would put it after 2); April's 5 × 30 / 62 ≈ 2.42 -> after 2
    policy = tmp_path / "nua.toml"
    policy.write_text(HALF, encoding="utf-8")
    assert cli("cadre", "add", "--code", "C01", "--name", "Đào Thị Mai", "--dept", "Văn phòng").code == 0
    assert (
        cli("add-visit", "--cadre", "C01", "--unit", "ba dinh", "--from", "02/03/2020", "--kind", "chuyên đề").code == 0
    )
    for lang, march, april in (
        (
            "en",
            "03/2020 C··│·······  1 day,    1 so far (pace line 2)",
            "04/2020 ··│········  0 days,   1 so far (pace line 4)",
        ),
        (
            "vi",
            "03/2020 C··│·······  1 ngày, lũy kế   1 (mức tiến độ 2)",
            "04/2020 ··│········  0 ngày, lũy kế   1 (mức tiến độ 4)",
        ),
    ):
        run = cli("--lang", lang, "status", "--cadre", "C01", "--as-of", "30/04/2020", "--policy", str(policy))
        assert run.code == 0, run
        lines = run.stdout.splitlines()
        assert lines[-2:] == [march, april]


def test_the_month_labels_come_from_the_date_helper(cli, tmp_path) -> None:
    for lang in ("vi", "en"):
        i18n.set_language(lang)
        assert show_month(date(2020, 3, 31)) == "03/2020"  # as --month takes it, in both languages
    i18n.set_language("en")
    policy = tmp_path / "nua.toml"
    policy.write_text(HALF, encoding="utf-8")
    assert cli("cadre", "add", "--code", "C01", "--name", "Đào Thị Mai", "--dept", "Văn phòng").code == 0
    page = tmp_path / "c01.html"
    run = cli(
        "--lang",
        "vi",
        "status",
        "--cadre",
        "C01",
        "--as-of",
        "30/04/2020",
        "--policy",
        str(policy),
        "--html",
        str(page),
    )
    assert run.code == 0, run
    labels = re.findall(r'class="axis">(\d\d/\d{4})<', page.read_text(encoding="utf-8"))
    # the months chart (to the as-of day), then the calendar (the whole window, to 01/05)
    assert labels == ["03/2020", "04/2020", "03/2020", "04/2020", "05/2020"]
