"""A real headless Chromium driven by Selenium, and poppler's pdftotext, for the tests of the report page.

Debian's ``chromium`` and ``chromedriver`` (``.ci/run`` installs them): Selenium is pointed at
both binaries, so Selenium Manager never runs and nothing is downloaded (the tests also make
sure it is not consulted). In CI (``$CI`` set) a missing program fails the tests that need it;
elsewhere they are skipped with a message saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

HOW = "browser tests need Debian's chromium, chromium-driver and poppler-utils: apt-get install {what}"
PROGRAMS = {
    "chromium": "chromium",
    "chromedriver": "chromium-driver",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
}


def program(name: str) -> str:
    """The program's path; skipped (failed in CI) where there is none."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is missing. " + HOW.format(what=PROGRAMS.get(name, name))
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and {message}")
        pytest.skip(message)
    return found


@contextmanager
def chromium(width: int = 1400, height: int = 1800) -> Iterator[Any]:
    """A headless Chromium through chromedriver, with the browser's console log kept; quit afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    browser, driver_path = program("chromium"), program("chromedriver")

    def no_download(self: Any, args: list) -> dict:
        raise AssertionError(f"Selenium Manager was consulted ({args}): it may download a browser or a driver")

    options = Options()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        f"--window-size={width},{height}",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium's sandbox refuses root
    profile = tempfile.mkdtemp(prefix="congtac12-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    original = SeleniumManager.binary_paths
    SeleniumManager.binary_paths = no_download  # type: ignore[method-assign]
    try:
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        SeleniumManager.binary_paths = original  # type: ignore[method-assign]
        shutil.rmtree(profile, ignore_errors=True)


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler's pdftotext reads it (UTF-8)."""
    run = subprocess.run(
        [program("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120, check=True
    )
    return run.stdout.decode("utf-8")


def pdf_fonts(path: Path) -> list[list[str]]:
    """pdffonts' table: one row of columns per font (name, type, encoding, emb, sub, uni, …)."""
    run = subprocess.run([program("pdffonts"), str(path)], capture_output=True, text=True, timeout=60, check=True)
    return [line.split() for line in run.stdout.splitlines()[2:] if line.strip()]
