"""Vietnamese all the way through (issue 18): numbers, dates and plurals by language, Click's own
texts from the catalog, lists in Vietnamese alphabetical order, and a journey through the commands
in Vietnamese that fails on an English word, an ISO date or a slug (and the same in English)."""

from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction

import pytest

from congtac12 import i18n
from congtac12.dates import show, show_period
from congtac12.render import formats
from congtac12.render.labels import equals, pace_text, share_text


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


CASES = [
    # decimal comma and a dot between thousands in Vietnamese; the reverse in English
    (lambda: formats.integer(36078), "36.078", "36,078"),
    (lambda: formats.integer(7), "7", "7"),
    (lambda: formats.decimal(36.078, 2), "36,08", "36.08"),
    (lambda: formats.decimal(Fraction(36), 1), "36,0", "36.0"),
    (lambda: formats.decimal(1234.5, 1), "1.234,5", "1,234.5"),
    # one percent style: the sign right after the number
    (lambda: formats.percent(58.333, 1), "58,3%", "58.3%"),
    (lambda: formats.percent(20), "20%", "20%"),
    (lambda: share_text(Fraction(1, 5)), "20%", "20%"),
    (lambda: pace_text(Fraction(36, 5)), "7,2 ngày/tuần", "7.2 days/week"),
    (lambda: equals(Fraction(36, 5)), "= 7,2", "= 7.2"),
    (lambda: equals(Fraction(10440, 306)), "≈ 34,118", "≈ 34.118"),
    (lambda: equals(Fraction(36)), "= 36", "= 36"),
    # plurals: English says "1 day", Vietnamese has none
    (lambda: formats.days_text(1), "1 ngày", "1 day"),
    (lambda: formats.days_text(3), "3 ngày", "3 days"),
    (lambda: formats.days_text(0), "0 ngày", "0 days"),
    (lambda: formats.days_text(1234), "1.234 ngày", "1,234 days"),
    (lambda: formats.plural(1, i18n.N_("{n} trip"), i18n.N_("{n} trips")), "1 đợt", "1 trip"),
    (lambda: formats.plural(2, i18n.N_("{n} trip"), i18n.N_("{n} trips")), "2 đợt", "2 trips"),
    # dates: day first in Vietnamese; a one-day trip is one day
    (lambda: show(date(2020, 3, 5)), "05/03/2020", "2020-03-05"),
    (
        lambda: show_period(date(2020, 3, 5), date(2020, 3, 7)),
        "từ 05/03/2020 đến 07/03/2020",
        "2020-03-05 to 2020-03-07",
    ),
    (lambda: show_period(date(2020, 10, 13), date(2020, 10, 13)), "ngày 13/10/2020", "on 2020-10-13"),
]


@pytest.mark.parametrize(("make", "vi", "en"), CASES)
def test_numbers_dates_and_plurals_by_language(make, vi, en) -> None:
    i18n.set_language("vi")
    assert make() == vi
    i18n.set_language("en")
    assert make() == en


# --- Click's own texts ------------------------------------------------------------

ENGLISH_CLICK = ["Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "[OPTIONS]", "[default:"]
ENGLISH_CLICK += ["[required]", "Missing option", "Invalid value", "No such option", "No such command", "Try '"]
ENGLISH_CLICK += ["Input should", "Got unexpected", "requires an argument", "Error:", "Install completion"]
ENGLISH_CLICK += ["Show completion", "Aborted"]


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (
            ["remind", "--ahead", "-1"],
            "Lỗi: --ahead '-1' không hợp lệ; chấp nhận: một số nguyên từ 0 trở lên (xem 'congtac12 remind --help')\n",
            "Error: --ahead '-1' is not accepted; accepted: a whole number of at least 0 (see 'congtac12 remind --help')\n",
        ),
        (
            ["cadre", "add", "--code", "C09", "--dept", "VP"],
            "Lỗi: thiếu tùy chọn --name (xem 'congtac12 cadre add --help')\n",
            "Error: missing option --name (see 'congtac12 cadre add --help')\n",
        ),
        (
            ["cadre", "add", "--code"],
            "Lỗi: --code cần một giá trị (xem 'congtac12 cadre add --help')\n",
            "Error: --code needs a value (see 'congtac12 cadre add --help')\n",
        ),
        (
            ["status", "extra"],
            "Lỗi: thừa tham số: extra (xem 'congtac12 status --help')\n",
            "Error: unexpected extra argument: extra (see 'congtac12 status --help')\n",
        ),
        (
            ["statsu"],
            "Lỗi: không có lệnh 'statsu'; có phải ý bạn là 'status'? (xem 'congtac12 --help')\n",
            "Error: no command 'statsu'; did you mean 'status'? (see 'congtac12 --help')\n",
        ),
        (
            ["history", "--limit", "x"],
            "Lỗi: --limit 'x' không hợp lệ; chấp nhận: một số nguyên (xem 'congtac12 history --help')\n",
            "Error: --limit 'x' is not accepted; accepted: a whole number (see 'congtac12 history --help')\n",
        ),
    ],
)
def test_usage_errors_in_both_languages_point_at_the_command_typed(cli, args, vi, en) -> None:
    for lang, expected in (("vi", vi), ("en", en)):
        run = cli("--lang", lang, *args)
        assert run.code == 2 and run.crash is None
        assert run.stderr == expected


def test_help_has_click_s_words_in_vietnamese(cli) -> None:
    out = cli("--lang", "vi", "cadre", "add", "--help").stdout
    assert out.startswith("Cách dùng: congtac12 cadre add [TÙY CHỌN]\n")
    assert "\nTùy chọn:\n" in out and "Hiện hướng dẫn này rồi thoát." in out and "[bắt buộc]" in out
    assert not [w for w in ENGLISH_CLICK if w in out]
    group = cli("--lang", "vi", "cadre", "--help").stdout
    assert "LỆNH [THAM SỐ]..." in group and "\nLệnh:\n" in group
    english = cli("--lang", "en", "cadre", "add", "--help").stdout
    assert english.startswith("Usage: congtac12 cadre add [OPTIONS]\n") and "[required]" in english


# --- Vietnamese alphabetical order, wired in ----------------------------------------


def test_cadres_and_departments_are_listed_in_vietnamese_order(cli) -> None:
    roster = [
        ("C1", "Nguyễn Văn Thường", "Ban Tuyên giáo"),
        ("C2", "Trần Thị Hà", "Ban Tổ chức"),
        ("C3", "Lê Văn Thạch", "Ban Tuyên giáo"),
        ("C4", "Phạm Thị Hoàng", "Ban Tổ chức"),
        ("C5", "Đỗ Văn An", "Ban Đoàn kết"),
        ("C6", "Vũ Văn Dũng", "Ban Đoàn kết"),
    ]
    for code, name, dept in roster:
        assert cli("cadre", "add", "--code", code, "--name", name, "--dept", dept).code == 0
    listed = [(c["department"], c["name"]) for c in json.loads(cli("cadre", "list", "--json").stdout)]
    expected = [
        ("Ban Đoàn kết", "Đỗ Văn An"),
        ("Ban Đoàn kết", "Vũ Văn Dũng"),
        ("Ban Tổ chức", "Trần Thị Hà"),
        ("Ban Tổ chức", "Phạm Thị Hoàng"),
        ("Ban Tuyên giáo", "Lê Văn Thạch"),
        ("Ban Tuyên giáo", "Nguyễn Văn Thường"),
    ]
    assert listed == expected
    status = json.loads(cli("status", "--as-of", "31/03/2020", "--json").stdout)
    assert [(c["department"], c["name"]) for c in status["cadres"]] == expected
    # the same order in both languages (JSON is compared byte for byte in tests/test_outputs.py)
    assert (
        cli("--lang", "vi", "status", "--as-of", "31/03/2020", "--json").stdout
        == cli("--lang", "en", "status", "--as-of", "31/03/2020", "--json").stdout
    )
    table = cli("--lang", "vi", "status", "--as-of", "31/03/2020").stdout
    positions = [table.index(name) for _dept, name in expected]
    assert positions == sorted(positions)


# --- the journey: every command, in Vietnamese, then in English ------------------------

ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
# English words and field names a Vietnamese reader must never meet (whole words).
ENGLISH_WORDS = ["units", "cadres", "visits", "reports", "deleted_at", "order_no", "reported_on", "changes"]
ENGLISH_WORDS += ["visit.add", "visit.edit", "visit.delete", "cadre.add", "on time", "overdue", "Added", "Deleted"]
# Words of the Vietnamese interface an English reader must never meet (names and units are data).
VIETNAMESE_WORDS = ["Lỗi", "Cách dùng", "Tùy chọn", "chấp nhận", "không hợp lệ", "Hiện hướng dẫn", "bắt buộc"]
VIETNAMESE_WORDS += ["Đã thêm", "Đã ghi", "Đã xóa", "Đã sửa", "đợt", "báo cáo", "Giả định"]
# English plurals: never "day(s)", never "1 days" (the plural helper, render.formats.plural, says "1 day").
HEDGED_PLURAL = re.compile(r"\w\((?:s|es)\)")
NOUNS = "days|cadres|visits|reports|units|plans|trips|records|rows|problems|messages|minutes|lines|changes|settings"
WRONG_PLURAL = re.compile(rf"(?<![\w.,/:-])1 (?:more |available |result )?(?:{NOUNS})\b")
SLUGS = ["chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat", "thai-san", "hoc-tap", "om-dau", "co-so", "chi-doan"]

# Commands a person reads (the database built by the first ones); (args, exit code).
JOURNEY = [
    (
        ["cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức", "--joined", "01/07/2020"],
        0,
    ),
    (["cadre", "add", "--code", "C02", "--name", "Lê Thị Bình", "--dept", "Văn phòng", "--email", "b@example.vn"], 0),
    (["add-visit", "--cadre", "C01", "--unit", "ba dinh", "--from", "13/10/2020", "--kind", "chuyên đề"], 0),
    (
        [
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "hoan kiem",
            "--from",
            "02/03/2020",
            "--to",
            "04/03/2020",
            "--kind",
            "sinh hoạt",
        ],
        0,
    ),
    (["report", "2", "--on", "10/03/2020", "--text", "Đã khảo sát"], 0),
    (["leave", "add", "--cadre", "C02", "--from", "01/09/2020", "--to", "10/09/2020", "--reason", "ốm đau"], 0),
    (["leave", "list"], 0),
    (["visits"], 0),
    (["reports", "--as-of", "31/10/2020"], 0),
    (["status", "--as-of", "31/10/2020"], 0),
    (["remind", "--as-of", "31/10/2020"], 0),
    (["edit-visit", "1", "--to", "14/10/2020"], 0),
    (["delete-visit", "1"], 0),
    (["restore-visit", "1"], 0),
    (["history", "--limit", "3"], 0),
    (["undo"], 0),
    (["cadre", "list"], 0),
    (["summary", "--month", "10/2020", "--as-of", "31/10/2020"], 0),
    (["db", "check"], 0),
    (["leave", "delete", "1"], 0),
    (["status", "--cadre", "C01", "--as-of", "31/10/2020", "--explain"], 0),
    (["policy", "show", "ha-noi-2020"], 0),
    (["policy", "show", "ha-noi-2021"], 0),
    (["policy", "list"], 0),
    (["summary", "--year", "2020", "--as-of", "31/10/2020"], 0),
    (["calendar", "--cadre", "C02", "--year", "2020"], 0),
    (["config", "show"], 0),
    (["unit", "list"], 0),
    (["report", "show", "2"], 0),
    (["export", "--out", "{tmp}/all.json"], 0),
    (["import", "{tmp}/all.json"], 0),
    (["export", "--format", "csv", "--out", "{tmp}/csv"], 0),
    (
        [
            "plan",
            "add",
            "--cadre",
            "C01",
            "--unit",
            "ba dinh",
            "--from",
            "10/11/2020",
            "--to",
            "12/11/2020",
            "--kind",
            "sinh hoạt",
        ],
        0,
    ),
    (
        [
            "plan",
            "add",
            "--cadre",
            "C02",
            "--unit",
            "gia lam",
            "--month",
            "12/2020",
            "--days",
            "3",
            "--kind",
            "kiểm tra",
        ],
        0,
    ),
    (["plan", "list"], 0),
    (["plan", "submit", "1"], 0),
    (["plan", "approve", "1"], 0),
    (["plan", "delete", "1"], 1),
    (["plan", "return", "2", "--reason", "Trùng lịch"], 1),
    (["history", "--limit", "2"], 0),
    # errors: the user's language, what is accepted, the command's own help
    (["add-visit", "--cadre", "C01"], 2),
    (["remind", "--ahead", "-1"], 2),
    (
        [
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "ba dinh",
            "--from",
            "05/03/2020",
            "--to",
            "04/03/2020",
            "--kind",
            "chuyen-de",
        ],
        2,
    ),
    (["add-visit", "--cadre", "C01", "--unit", "ba dinh", "--from", "05/03/2020", "--kind", "họp"], 2),
    (["report", "2", "--on", "01/03/2020", "--text", "x", "--replace"], 1),
    (["history", "--limit", "0"], 2),
    (["status", "--bogus"], 2),
    # import errors: the file's own key or header (what to type) and, in Vietnamese, the field's name
    (["import", "{tmp}/bad-date.json"], 2),
    (["import", "{tmp}/visits.csv"], 2),
]
# Files the journey imports, each with one bad cell (written into the test's folder).
BAD_FILES = {
    "bad-date.json": json.dumps(
        {
            "format": "congtac12",
            "format_version": 1,
            "cadres": [{"code": "C09", "name": "Ngô Văn Tú", "department": "Văn phòng", "joined": "31/02/2020"}],
        },
        ensure_ascii=False,
    ),
    "visits.csv": "cadre,unit,start,end,kind\nC01,ba dinh,01/03/2020,02/03/2020,họp\n",
}
# A file's key or header named bare in Vietnamese ("khóa 'joined'", "cột 'kind'"), without the
# field's Vietnamese name beside it ("khóa 'joined' (Ngày bắt đầu công tác)").
BARE_KEY = re.compile(r"(?:khóa|cột(?: [A-Z]{1,3})?) '[a-z_]+'(?! \()")


def _help_runs() -> list[list[str]]:
    from congtac12.cli import COMMANDS, build

    runs = [["--help"]]
    for name, entry in COMMANDS.items():
        runs.append([name, "--help"])
        runs += [[name, sub, "--help"] for sub in getattr(build(name, entry), "commands", {})]
    return runs


def _problems(text: str, *, lang: str, help_text: bool) -> list[str]:
    found = []
    if lang == "vi":
        found += [f"ISO date {m.group()}" for m in ISO_DATE.finditer(text)]
        found += [w for w in ENGLISH_CLICK if w in text]
        if not help_text:  # a help may name the slugs one can type; a result never shows them
            # a file's own key, quoted as the user must find it, with its Vietnamese name beside it
            text = re.sub(r"'[\w.-]+' \(", "(", text)
            found += [w for w in ENGLISH_WORDS if re.search(rf"(?<![\w.-]){re.escape(w)}(?![\w.-])", text)]
            found += [f"slug {s}" for s in SLUGS if re.search(rf"\({re.escape(s)}\)|: {re.escape(s)}\b", text)]
            found += [f"bare key {m.group()}" for m in BARE_KEY.finditer(text)]
    else:
        found += [f"hedged plural {m.group()!r}" for m in HEDGED_PLURAL.finditer(text) if not help_text]
        found += [f"wrong plural {m.group()!r}" for m in WRONG_PLURAL.finditer(text)]
        # English: no Vietnamese words of the interface (names of people, units and policies are data)
        for line in text.splitlines():
            if any(w in line for w in VIETNAMESE_WORDS):
                found.append(line)
    return found


def test_no_message_hedges_its_plural() -> None:
    """Every message of the catalogs says "1 day" or "2 days" (two msgids through the plural
    helper), never "day(s)"."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import i18n_catalog

    hedged = sorted(m for m in i18n_catalog.extract() if HEDGED_PLURAL.search(m))
    assert hedged == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_journey_in_one_language(cli, lang, tmp_path) -> None:
    for name, text in BAD_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    problems = []
    for args, code in JOURNEY:
        run = cli("--lang", lang, *(a.replace("{tmp}", str(tmp_path)) for a in args))
        assert run.crash is None, run
        assert run.code == code, run
        for where, text in (("stdout", run.stdout), ("stderr", run.stderr)):
            problems += [f"{' '.join(args)} ({where}): {p}" for p in _problems(text, lang=lang, help_text=False)]
    for args in _help_runs():
        run = cli("--lang", lang, *args)
        assert run.code == 0, run
        problems += [f"{' '.join(args)}: {p}" for p in _problems(run.stdout, lang=lang, help_text=True)]
    assert problems == []
    if lang == "vi":  # and the JSON keeps ISO dates: a contract for machines
        assert ISO_DATE.search(cli("--lang", "vi", "visits", "--json").stdout)


# --- policy texts by language ------------------------------------------------------

POLICY = """
id = "thu"
title = "Thành đoàn Thử 2020"
source = "Hướng dẫn số 1"
assumptions = ["Window assumed to be the calendar year."]
min_days = 10
report_due_days = 10
window = { start = 2020-01-01, end = 2020-12-31 }

[vi]
assumptions = ["Thời gian thực hiện giả định là năm dương lịch."]

[en]
title = "Test City Youth Union 2020"
"""


def test_a_policy_shows_its_texts_in_the_interface_s_language(cli, tmp_path) -> None:
    path = tmp_path / "thu.toml"
    path.write_text(POLICY, encoding="utf-8")
    vi = cli("--lang", "vi", "policy", "show", str(path)).stdout
    assert "Thành đoàn Thử 2020" in vi and "Thời gian thực hiện giả định là năm dương lịch." in vi
    assert "Window assumed" not in vi
    en = cli("--lang", "en", "policy", "show", str(path)).stdout
    assert "Test City Youth Union 2020" in en and "Window assumed to be the calendar year." in en
    # JSON: the top-level texts, the same in both languages
    assert (
        cli("--lang", "vi", "policy", "show", str(path), "--json").stdout
        == cli("--lang", "en", "policy", "show", str(path), "--json").stdout
    )


def test_every_preset_has_its_assumptions_in_vietnamese() -> None:
    from congtac12.policies import presets

    for p in presets():
        vi = p.in_language("vi")
        assert vi.assumptions and len(vi.assumptions) == len(p.assumptions), p.id
        assert vi.assumptions != p.assumptions, p.id


def test_a_language_table_with_an_unknown_key_is_refused(cli, tmp_path) -> None:
    path = tmp_path / "thu.toml"
    path.write_text(POLICY + 'nonsense = "x"\n', encoding="utf-8")
    run = cli("policy", "check", str(path))
    assert run.code == 2
    assert "unknown key en.nonsense" in run.stderr
