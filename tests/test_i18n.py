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


@pytest.mark.parametrize(("value", "expected"), [
    ("vi", "vi"), ("VI", "vi"), ("vi_VN.UTF-8", "vi"), ("en", "en"), ("en_GB", "en"),
    ("tiếng việt", "vi"), ("fr", None), ("", None), (None, None),
])
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
    base = {k: v for k, v in os.environ.items()
            if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "CONGTAC12_LANG", "CONGTAC12_DB")}
    return subprocess.run([EXE, *args], env={**base, **env}, capture_output=True, text=True,
                          timeout=60)


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
