"""The documents in the programs that open them (issue 19): the report page in a real headless
Chromium (Selenium through Debian's chromedriver), its PDFs read by pdftotext, the Word report
opened by python-docx and converted by a real LibreOffice.

On the demo database (34 cadres of a Thành đoàn agency in 2020, names with every tone mark),
made and read by the installed ``congtac12`` command in real processes. A screenshot of the page
is kept under tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import pytest
from browser import chromium, pdf_fonts, pdf_text
from libreoffice import convert

AS_OF = "13/11/2020"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PROGRAM = str(Path(sys.executable).parent / "congtac12")


def congtac12(db: Path, *args: str, lang: str = "vi") -> subprocess.CompletedProcess:
    env = dict(os.environ, CONGTAC12_LANG=lang, COLUMNS="250")
    env.pop("CONGTAC12_DB", None)
    run = subprocess.run(
        [PROGRAM, "--db", str(db), "--lang", lang, *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, (args, run.stdout, run.stderr)
    return run


@pytest.fixture(scope="module")
def demo(demo_module: Path) -> Path:
    """The demo database (conftest's, made once per session): this module's copy."""
    return demo_module


@pytest.fixture(scope="module")
def cadres(demo) -> list[dict]:
    return json.loads(congtac12(demo, "status", "--as-of", AS_OF, "--json").stdout)["cadres"]


def test_the_page_in_a_real_browser(demo, cadres, tmp_path):
    page = tmp_path / "tinh-hinh.html"
    congtac12(demo, "status", "--as-of", AS_OF, "--html", str(page))
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    with chromium() as driver:
        driver.get(page.as_uri())
        assert driver.title.startswith("congtac12 ") and driver.title.endswith(" 13/11/2020")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
        errors = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        assert errors == []
        rows = driver.find_elements(By.CSS_SELECTOR, "section.department tbody tr")
        seen = {
            (row.find_element(By.CSS_SELECTOR, "td.code").text, row.find_element(By.CSS_SELECTOR, "th.name").text)
            for row in rows
        }
        assert len(rows) == len(cadres) == 34
        assert seen == {(c["code"], c["name"]) for c in cadres}
        # every state as a word in its row, as status --json has it
        labels = {
            "met": "Đạt",
            "on_track": "Đúng tiến độ",
            "behind": "Chậm tiến độ",
            "not_met": "Không đạt",
            "exempt": "Miễn",
            "not_subject": "Không thuộc diện",
        }
        states = {
            row.find_element(By.CSS_SELECTOR, "td.code").text: row.find_element(By.CSS_SELECTOR, ".state").text
            for row in rows
        }
        assert states == {c["code"]: labels[c["state"]] for c in cadres}
        # the fonts the page asks for are system fonts: nothing was fetched
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "status-page-vi.png"
        driver.save_screenshot(str(shot))
        print(f"screenshot of the report page: {shot}")
        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7  # A4, in cm
        options.background = True
        printed = tmp_path / "printed.pdf"
        printed.write_bytes(base64.b64decode(driver.print_page(options)))
    text = pdf_text(printed)
    for c in cadres:
        assert c["name"] in text, c["name"]  # every tone mark as stored (NFC), none broken off
    assert unicodedata.is_normalized("NFC", text)
    assert text.count("\f") >= 7  # one page per department at least (a page break between them)


def test_status_pdf_is_printed_from_the_page_with_its_fonts_embedded(demo, cadres, tmp_path):
    pdf = tmp_path / "tinh-hinh.pdf"
    run = congtac12(demo, "status", "--as-of", AS_OF, "--pdf", str(pdf))
    assert run.stdout == f"Đã ghi {pdf}.\n"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdf)
    for c in cadres:
        assert c["name"] in text, c["name"]
    assert "Tính đến ngày 13/11/2020." in text and "BCH ĐOÀN TP HÀ NỘI" in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # the "emb" column: every font embedded
    english = tmp_path / "status.pdf"
    congtac12(demo, "summary", "--month", "2020-10", "--as-of", AS_OF, "--pdf", str(english), lang="en")
    assert "Field work at the base under the 1+2 policy: 10/2020" in " ".join(pdf_text(english).split())


def test_the_year_end_report_opens_in_word_tools_and_converts_in_libreoffice(demo, cadres, tmp_path):
    path = tmp_path / "bao-cao-2020.docx"
    congtac12(demo, "summary", "--year", "2020", "--as-of", AS_OF, "--docx", str(path))
    document = docx.Document(str(path))  # python-docx opens it
    assert document.paragraphs[1].text == "BÁO CÁO"
    converted = convert(path, tmp_path / "lo", "pdf")
    text = " ".join(pdf_text(converted).split())
    data = json.loads(congtac12(demo, "summary", "--year", "2020", "--as-of", AS_OF, "--json").stdout)
    t = data["total"]

    def vi(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    for c in cadres:
        assert c["name"] in text, c["name"]
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in text and "Hà Nội, ngày 13 tháng 11 năm 2020" in text
    assert "Kết quả thực hiện chế độ đi công tác cơ sở theo chủ trương 1+2 năm 2020" in text
    subject = t["cadres"] - t["states"]["not_subject"]
    assert f"Số cán bộ thuộc diện thực hiện: {subject} (trên tổng số {t['cadres']} cán bộ;" in text
    s = t["states"]
    assert f"Đạt: {s['met']}; không đạt: {s['not_met']};" in text and f"miễn: {s['exempt']}." in text
    assert f"Số ngày đi cơ sở: {vi(t['days'])} ngày trong {vi(data['trips'])} đợt" in text
    r = t["reports"]
    assert f"Báo cáo kết quả: {vi(r['on_time'])} đúng hạn, {vi(r['late'])} muộn," in text
    assert "TM. BAN THƯỜNG VỤ" in text
