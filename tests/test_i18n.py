"""Language: how it is chosen, that the installed package finds its catalogs, and dates."""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from congtac12 import i18n
from congtac12.dates import show

EXE = str(Path(sys.executable).with_name("congtac12"))


@pytest.fixture(autouse=True)
def english_after() -> None:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("option", "env", "db_setting", "expected"),
    [
        # --lang beats everything
        ("vi", {"CONGTAC12_LANG": "en", "LANG": "en_US.UTF-8"}, "en", "vi"),
        ("en", {"CONGTAC12_LANG": "vi", "LANG": "vi_VN.UTF-8"}, "vi", "en"),
        # then $CONGTAC12_LANG
        (None, {"CONGTAC12_LANG": "vi", "LANG": "en_US.UTF-8"}, "en", "vi"),
        (None, {"CONGTAC12_LANG": "en", "LANG": "vi_VN.UTF-8"}, "vi", "en"),
        # then the database's setting
        (None, {"LANG": "en_US.UTF-8"}, "vi", "vi"),
        (None, {"LANG": "vi_VN.UTF-8"}, "en", "en"),
        # then the locale: LC_ALL, LC_MESSAGES, LANG, the first one set decides
        (None, {"LANG": "vi_VN.UTF-8"}, None, "vi"),
        (None, {"LC_MESSAGES": "vi_VN", "LANG": "en_US.UTF-8"}, None, "vi"),
        (None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "vi_VN"}, None, "en"),
        (None, {"LC_ALL": "vi", "LANG": "en_US.UTF-8"}, None, "vi"),
        (None, {"LANG": "C.UTF-8"}, None, "en"),
        # else English
        (None, {}, None, "en"),
        # a value that names no language of ours is passed over
        ("fr", {"CONGTAC12_LANG": "vi"}, None, "vi"),
        (None, {"CONGTAC12_LANG": "de"}, None, "en"),
    ],
)
def test_language_is_chosen_in_order(option, env, db_setting, expected) -> None:
    assert i18n.choose_language(option=option, env=env, db_setting=db_setting) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("vi", "vi"),
        ("VI", "vi"),
        ("vi_VN.UTF-8", "vi"),
        ("en", "en"),
        ("en_GB", "en"),
        ("tiếng việt", "vi"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise(value, expected) -> None:
    assert i18n.normalise(value) == expected


def test_the_installed_package_has_compiled_catalogs() -> None:
    # CI installs the package non-editable: the .mo files must come with it.
    for lang in ("vi", "en"):
        mo = resources.files("congtac12") / "locale" / lang / "LC_MESSAGES" / "congtac12.mo"
        assert mo.is_file(), f"no compiled catalog for {lang}"
    localedir = str(resources.files("congtac12") / "locale")
    vi = gettext.translation("congtac12", localedir=localedir, languages=["vi"])
    assert vi.gettext("Show the version and exit.") == "Hiện phiên bản rồi thoát."


def test_dates_are_day_first_in_vietnamese() -> None:
    i18n.set_language("vi")
    assert show(date(2020, 3, 5)) == "05/03/2020"
    i18n.set_language("en")
    assert show(date(2020, 3, 5)) == "2020-03-05"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "CONGTAC12_LANG", "CONGTAC12_DB")
    }
    return subprocess.run([EXE, *args], env={**base, **env}, capture_output=True, text=True, timeout=60)


def test_the_command_follows_the_locale_and_the_option(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    vi = run("--help", env={"LANG": "vi_VN.UTF-8", "CONGTAC12_DB": db})
    assert "Hiện phiên bản rồi thoát." in vi.stdout
    en = run("--lang", "en", "--help", env={"LANG": "vi_VN.UTF-8", "CONGTAC12_DB": db})
    assert "Show the version and exit." in en.stdout


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    result = run("--lang", "xx", "status", env={"CONGTAC12_DB": str(tmp_path / "x.db")})
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and "vi" in result.stderr
    assert not (tmp_path / "x.db").exists()


# --- the catalogs are complete ------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import i18n_catalog  # noqa: E402  (the repository's own catalog tool)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_message_has_a_translation_with_the_same_placeholders(lang) -> None:
    # Reads the source itself: a new _() message without a translation fails here.
    assert i18n_catalog.problems(lang) == []


def test_the_extractor_sees_messages_help_and_docstrings() -> None:
    found = i18n_catalog.extract()
    assert "Error: {message}" in found  # a _() call
    assert "Print JSON." in found  # a help= text
    assert any(m.startswith("Record a trip to the base.") for m in found)  # a command docstring


@pytest.mark.parametrize(
    ("source", "translated"),
    [
        ("{n} cadres: {counts}", "{counts} — {n}"),
        ("{a!r} x {b:,}", "{b:,} y {a!r}"),
    ],
)
def test_placeholder_check_allows_reordering(source, translated) -> None:
    assert i18n_catalog.placeholders(source) == i18n_catalog.placeholders(translated)


def test_placeholder_check_catches_a_renamed_placeholder() -> None:
    assert i18n_catalog.placeholders("{days} ngày") != i18n_catalog.placeholders("{n} day(s)")


# --- the same screens in both languages -----------------------------------------


def one_cadre_db(tmp_path: Path) -> str:
    db = str(tmp_path / "x.db")
    env = {"CONGTAC12_DB": db, "COLUMNS": "100"}
    assert (
        run("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Văn phòng", env=env).returncode == 0
    )
    # 02/03 to 04/03: 3 days of chuyên đề; due 04/03 + 10 = 14/03; reported 10/03: on time
    assert (
        run(
            "add-visit",
            "--cadre",
            "nguyen van an",
            "--unit",
            "ba dinh",
            "--from",
            "02/03/2020",
            "--to",
            "04/03/2020",
            "--kind",
            "chuyên đề",
            env=env,
        ).returncode
        == 0
    )
    assert run("report", "1", "--on", "10/03/2020", "--text", "x", env=env).returncode == 0
    return db


STATUS_VI = """\
Thành đoàn Hà Nội 2020 — chủ trương 1+2 — thời gian thực hiện từ 01/03/2020 đến 31/12/2020, tính đến ngày 31/03/2020

Văn phòng
Mã    Họ và tên      Ngày    Chuyên đề  Sinh hoạt  Báo cáo  Trạng thái
─────────────────────────────────────────────────────────────────────────────
C01   Nguyễn Văn An  3/60 ✗  3/12 ✗     0/24 ✗     1/0/0/0  Chậm tiến độ

Báo cáo: đúng hạn/muộn/chưa đến hạn/quá hạn. Số ngày và nội dung: thực tế/yêu cầu.
1 cán bộ: 1 Chậm tiến độ
"""

STATUS_EN = """\
Thành đoàn Hà Nội 2020 — chủ trương 1+2 — window 2020-03-01 to 2020-12-31, as of 2020-03-31

Văn phòng
Code  Name           Days    Thematic  Meetings  Reports  State
──────────────────────────────────────────────────────────────────────
C01   Nguyễn Văn An  3/60 ✗  3/12 ✗    0/24 ✗    1/0/0/0  behind

Reports: on time/late/pending/overdue. Days and content: actual/required.
1 cadre: 1 behind
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "vi_VN.UTF-8"}, STATUS_VI),
        ({"LANG": "vi_VN.UTF-8", "CONGTAC12_LANG": "en"}, STATUS_EN),
    ],
)
def test_the_status_table_in_both_languages(tmp_path: Path, env, expected) -> None:
    db = one_cadre_db(tmp_path)
    # As of 31/03: 3 days (02-04/03), all chuyên đề; the report of 10/03 is on time (due 14/03);
    # 31 window days elapsed, pace line floor(60 × 31 / 306) = 6 > 3 days: behind.
    result = run("status", "--as-of", "31/03/2020", env={**env, "CONGTAC12_DB": db, "COLUMNS": "140"})
    assert result.returncode == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert "\n".join(lines) + "\n" == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "vi",
            "Lỗi: --from '31/02/2020' không tồn tại (ngày 31, tháng 2, năm 2020); chấp nhận: "
            "YYYY-MM-DD, DD/MM/YYYY (ngày trước), 'today'/'hôm nay' hoặc 'yesterday'/'hôm qua'\n",
        ),
        (
            "en",
            "Error: --from '31/02/2020' does not exist (day 31, month 2, year 2020); accepted: "
            "YYYY-MM-DD, DD/MM/YYYY (day first), 'today' or 'yesterday'\n",
        ),
    ],
)
def test_an_error_in_both_languages(tmp_path: Path, lang, expected) -> None:
    result = run(
        "--lang",
        lang,
        "add-visit",
        "--cadre",
        "C01",
        "--unit",
        "Ba Đình",
        "--from",
        "31/02/2020",
        "--kind",
        "chuyen-de",
        env={"CONGTAC12_DB": str(tmp_path / "x.db")},
    )
    assert result.returncode == 2
    assert result.stderr == expected


def test_the_database_setting_chooses_the_language(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert run("config", "set", "lang", "vi", env={"CONGTAC12_DB": db}).returncode == 0
    result = run(
        "cadre", "add", "--code", "C1", "--name", "An", "--dept", "VP", env={"CONGTAC12_DB": db, "LANG": "en_US.UTF-8"}
    )
    assert result.stdout == "Đã thêm cán bộ C1 An (VP).\n"


# --- one process, several languages (CliRunner runs many commands in one process) ---

STATUS_EN = "Show each cadre's days, content minimums, reports and state, grouped by department."
STATUS_VI = "Hiện số ngày, các mức tối thiểu theo nội dung, báo cáo và trạng thái của từng cán bộ, theo ban."


def one_paragraph(text: str) -> str:
    return " ".join(text.split())


def test_a_language_chosen_for_one_run_does_not_stay_for_the_next(cli) -> None:
    vi = cli("--lang", "vi", "status", "--help")
    en = cli("--lang", "en", "status", "--help")
    assert vi.code == en.code == 0
    assert STATUS_VI in one_paragraph(vi.stdout) and STATUS_EN not in one_paragraph(vi.stdout)
    assert STATUS_EN in one_paragraph(en.stdout) and STATUS_VI not in one_paragraph(en.stdout)
    assert "Hiện" not in en.stdout and "Tùy chọn" not in en.stdout


def test_one_built_command_prints_its_help_in_each_language_in_turn(capsys: pytest.CaptureFixture[str]) -> None:
    # What a process that builds the command once does (tests/helpers, a long-lived
    # front end): translating again must start from the English, not from the last language.
    import typer.main

    from congtac12.cli import app

    command = typer.main.get_command(app)
    outputs = []
    try:
        for lang in ("en", "vi", "en", "vi"):
            with pytest.raises(SystemExit) as stop:
                command(["--lang", lang, "status", "--help"], prog_name="congtac12")
            assert stop.value.code == 0
            outputs.append(one_paragraph(capsys.readouterr().out))
    finally:
        i18n.set_language("en")
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert STATUS_EN in outputs[0] and STATUS_VI in outputs[1]
    assert "Show this message and exit." in outputs[2]
