"""The web face in a real browser: ``congtac12 web`` as a process, Debian's Chromium headless through Selenium.

Selenium is pointed at /usr/bin/chromium and /usr/bin/chromedriver, so its manager never
downloads a browser or a driver. Screenshots of the board and of a cadre's page (from the
demo database) are kept in ``artifacts/`` ($CONGTAC12_ARTIFACTS), and every character of the
Vietnamese names shown is checked to be drawn by a font (not the empty box of a missing glyph).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import dump_database, invoke
from support import succeeded as ok
from web_support import ARTIFACTS, web_server

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
AS_OF = "13/11/2020"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()) and not os.environ.get("CI"),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never a download
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1800", "--lang=vi", "--force-device-scale-factor=1"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo(demo_module: Path) -> Path:
    """The demo database (conftest's, made once per session), copied for each test."""
    return demo_module


def _copy(demo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "web.db"
    shutil.copyfile(demo, target)
    return target


# A character drawn like a private-use code point (which no font has) is drawn as the missing-glyph box.
NO_TOFU = """
const text = arguments[0], font = getComputedStyle(document.body).fontFamily;
function draw(ch) {
  const c = document.createElement('canvas'); c.width = 40; c.height = 40;
  const g = c.getContext('2d'); g.font = '28px ' + font; g.fillText(ch, 4, 30);
  return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
}
const box = draw('\\uE000');
return Array.from(new Set(text)).filter(ch => ch.trim() && draw(ch) === box);
"""


def _until(driver, fragment: str) -> str:
    """Wait for the page a submitted form leads to (a click does not wait for the navigation)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: fragment in d.current_url)
    return driver.current_url


def _no_tofu(driver, texts: list[str]) -> None:
    assert texts
    missing = driver.execute_script(NO_TOFU, "".join(texts))
    assert missing == [], f"drawn as missing glyphs: {missing}"


def _shot(driver, name: str, *, most: int = 6000) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(900, min(int(height) + 40, most)))
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1800)
    return path


def test_the_board_and_a_cadre_page_of_the_demo(browser, demo, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    with web_server(str(_copy(demo, tmp_path))) as base:
        browser.get(f"{base}/?as_of={AS_OF}")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Bảng trạng thái"
        names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "section.department td:nth-child(2)")]
        assert len(names) == 34 and "Lê Thị Hồng Nhung" in names
        _no_tofu(browser, names + [e.text for e in browser.find_elements(By.TAG_NAME, "h2")])
        assert _shot(browser, "web-board.png").stat().st_size > 20_000
        browser.find_element(By.LINK_TEXT, "C04").click()
        _until(browser, "/cadre/C04")
        assert "Lê Thị Hồng Nhung" in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.find_element(By.CSS_SELECTOR, "svg.chart")
        _no_tofu(browser, [browser.find_element(By.TAG_NAME, "main").text])
        assert _shot(browser, "web-cadre.png", most=1400).stat().st_size > 20_000


def test_recording_a_visit_and_its_report_changes_the_state(browser, demo, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with web_server(str(_copy(demo, tmp_path))) as base:
        browser.get(f"{base}/cadre/C07?as_of={AS_OF}")
        assert browser.find_element(By.ID, "state").get_attribute("data-state") == "behind"
        browser.find_element(By.CSS_SELECTOR, "main a.button").click()
        _until(browser, "/visits/new")
        assert Select(browser.find_element(By.ID, "cadre")).first_selected_option.get_attribute("value") == "C07"
        browser.find_element(By.ID, "unit").send_keys("Ba Đình")
        browser.find_element(By.ID, "from").send_keys("04/11/2020")
        browser.find_element(By.ID, "to").send_keys("10/11/2020")
        Select(browser.find_element(By.ID, "kind")).select_by_value("chuyen-de")
        browser.find_element(By.ID, "topic").send_keys("Tập huấn kỹ năng")
        browser.find_element(By.ID, "save").click()
        new_id = _until(browser, "/cadre/C07?added=").rsplit("=", 1)[1]
        browser.get(f"{base}/cadre/C07?as_of={AS_OF}")
        assert browser.find_element(By.ID, "state").get_attribute("data-state") == "on_track"
        row = browser.find_element(By.ID, f"visit-{new_id}")
        assert "Chưa có báo cáo." in row.text
        row.find_element(By.LINK_TEXT, "Viết báo cáo").click()
        _until(browser, "/report")
        browser.find_element(By.ID, "on").clear()
        browser.find_element(By.ID, "on").send_keys("12/11/2020")
        browser.find_element(By.ID, "text").send_keys("Đã tập huấn cho 40 đoàn viên.")
        browser.find_element(By.ID, "save").click()
        assert _until(browser, "?reported=").endswith(f"/cadre/C07?reported={new_id}")
        browser.get(f"{base}/cadre/C07?as_of={AS_OF}")
        assert "Đã tập huấn cho 40 đoàn viên." in browser.find_element(By.ID, f"visit-{new_id}").text


def test_an_impossible_date_is_named_beside_the_field_and_nothing_is_written(browser, demo, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    db = _copy(demo, tmp_path)
    before = dump_database(db)
    with web_server(str(db)) as base:
        browser.get(f"{base}/visits/new?cadre=C07")
        browser.find_element(By.ID, "unit").send_keys("Ba Đình")
        browser.find_element(By.ID, "from").send_keys("31/02/2020")
        browser.find_element(By.ID, "save").click()
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "error-from"))
        message = browser.find_element(By.ID, "error-from")
        assert "'31/02/2020' không tồn tại" in message.text
        # beside its field: in the same row as the input
        assert message.find_element(By.XPATH, "..").find_element(By.ID, "from").get_attribute("value") == "31/02/2020"
    assert dump_database(db) == before


def test_on_postgresql_a_cadre_logs_in_and_is_refused_on_another_cadres_visit(browser, pg, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    password = "mật-khẩu-trình-duyệt"
    logins = {"an": f"webbr_an_{os.getpid()}", "binh": f"webbr_binh_{os.getpid()}"}
    for login in logins.values():
        pg.create_login(login, password)
    name = pg.new_database()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("CONGTAC12_DB", pg.url_of(name, password=pg.password))
            ok(invoke("org", "init"))
            ok(invoke("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức"))
            ok(invoke("cadre", "add", "--code", "C02", "--name", "Trần Thị Bình", "--dept", "Ban Tổ chức"))
            ok(invoke("org", "grant", "--cadre", "C01", "--login", logins["an"]))
            ok(invoke("org", "grant", "--cadre", "C02", "--login", logins["binh"]))
            ok(
                invoke(
                    "add-visit", "--cadre", "C02", "--unit", "Hoàn Kiếm", "--from", "04/03/2020", "--kind", "sinh-hoat"
                )
            )
        env = {"PGPASSWORD": "", "CONGTAC12_DB": pg.url_of(name)}
        with web_server(pg.url_of(name), env) as base:
            browser.delete_all_cookies()
            browser.get(f"{base}/?as_of={AS_OF}")
            assert "/login" in browser.current_url
            browser.find_element(By.ID, "login").send_keys(logins["an"])
            browser.find_element(By.ID, "password").send_keys(password)
            browser.find_element(By.ID, "log-in").click()
            _until(browser, "as_of=")
            assert browser.find_element(By.TAG_NAME, "h1").text == "Bảng trạng thái"
            assert logins["an"] in browser.find_element(By.CLASS_NAME, "who").text
            browser.get(f"{base}/visits/1/edit")
            message = browser.find_element(By.ID, "error").text
            assert "C02" in message and logins["an"] in message and "chưa ghi gì" in message
            browser.find_element(By.CSS_SELECTOR, "nav form button").click()  # log out
            _until(browser, "/login")
    finally:
        pg.drop_database(name)
        for login in logins.values():
            pg.execute(f'DROP ROLE IF EXISTS "{login}"')
