"""Vietnamese all the way through the other faces (issue 18): the web pages (the board, a cadre's
page, the reports, the summaries, the plans) rendered by the real app in-process, the PDF of the
report page (Chromium, read back with pdftotext) and the Word documents (python-docx): in
Vietnamese no English word of the list, no ISO date, no slug where a name should be; in English
no Vietnamese word of the interface. The checks are the command-line journey's own."""

from __future__ import annotations

import re
from html import unescape

import pytest
from browser import pdf_text
from test_vietnamese import _problems

AS_OF = "13/11/2020"


def _record(cli) -> None:  # noqa: ANN001 - conftest's Cli
    for args in (
        ["cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức", "--joined", "01/07/2020"],
        ["cadre", "add", "--code", "C02", "--name", "Lê Thị Bình", "--dept", "Văn phòng"],
        ["add-visit", "--cadre", "C01", "--unit", "ba dinh", "--from", "13/10/2020", "--kind", "chuyên đề"],
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
        ],  # fmt: skip
        [
            "add-visit",
            "--cadre",
            "C02",
            "--unit",
            "gia lam",
            "--from",
            "05/10/2020",
            "--to",
            "06/10/2020",
            "--kind",
            "phối hợp",
        ],  # fmt: skip
        ["report", "2", "--on", "10/03/2020", "--text", "Đã khảo sát"],
        ["leave", "add", "--cadre", "C02", "--from", "01/09/2020", "--to", "10/09/2020", "--reason", "ốm đau"],
        [
            "plan",
            "add",
            "--cadre",
            "C01",
            "--unit",
            "ba dinh",
            "--from",
            "16/11/2020",
            "--to",
            "18/11/2020",
            "--kind",
            "sinh hoạt",
        ],  # fmt: skip
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
        ["plan", "submit", "2"],
    ):
        run = cli(*args)
        assert run.code == 0, run


def _visible(html: str) -> str:
    """What a reader meets on a page: its text, and the titles, labels and hints of its elements."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    attributes = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", "\n", html)
    return unescape("\n".join([text, *attributes]))


PAGES = [
    f"/?as_of={AS_OF}",
    f"/cadre/C01?as_of={AS_OF}",
    f"/cadre/C02?as_of={AS_OF}",
    f"/reports?as_of={AS_OF}",
    f"/summary?month=10/2020&as_of={AS_OF}",
    f"/summary?year=2020&as_of={AS_OF}",
    "/plans",
]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_web_pages_in_one_language(cli, db, lang) -> None:
    from starlette.testclient import TestClient

    from congtac12.web.app import create_app

    _record(cli)
    problems = []
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        for path in PAGES:
            page = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
            assert page.status_code == 200, (path, page.text[:300])
            assert f'lang="{lang}"' in page.text
            text = _visible(page.text)
            if path.startswith(("/?", "/cadre/C01", "/plans")):
                assert "Nguyễn Văn An" in text, path
            problems += [f"{path}: {p}" for p in _problems(text, lang=lang, help_text=False)]
    assert problems == []


def test_the_board_shows_each_kind_of_report_in_its_own_headed_column(cli, db) -> None:
    from starlette.testclient import TestClient

    from congtac12.web.app import create_app

    _record(cli)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        page = client.get(f"/?as_of={AS_OF}&lang=vi").text
    tables = re.findall(r"(?s)<thead>(.*?)</thead>", page)
    assert len(tables) == 2  # Ban Tổ chức, Văn phòng
    for head in tables:
        heads = re.findall(r"<th>([^<]*)</th>", head)
        assert heads[-5:] == [
            "Báo cáo đúng hạn",
            "Báo cáo muộn",
            "Báo cáo chưa đến hạn",
            "Báo cáo quá hạn",
            "Trạng thái",
        ]
    # C02 (Văn phòng): visit 2 reported on time, visit 3 (ended 06/10, due 16/10) overdue
    row = re.search(r'(?s)<tr data-code="C02">(.*?)</tr>', page).group(1)
    cells = dict(re.findall(r'<td class="num reports-([a-z-]+)">(\d+)</td>', row))
    assert cells == {"on-time": "1", "late": "0", "pending": "0", "overdue": "1"}
    assert not re.search(r"\d+/\d+/\d+/\d+", _visible(page))  # no compact "1/0/0/1" left


def _docx_text(path) -> str:  # noqa: ANN001
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_pdf_and_the_word_documents_in_one_language(cli, tmp_path, lang) -> None:
    _record(cli)
    pdf, status_docx, year_docx = tmp_path / "status.pdf", tmp_path / "status.docx", tmp_path / "year.docx"
    for args in (
        ["status", "--as-of", AS_OF, "--pdf", str(pdf)],
        ["status", "--as-of", AS_OF, "--docx", str(status_docx)],
        ["summary", "--year", "2020", "--as-of", AS_OF, "--docx", str(year_docx)],
    ):
        run = cli("--lang", lang, *args)
        assert run.code == 0 and run.crash is None, run
    problems = []
    for name, text in (
        ("pdf", pdf_text(pdf)),
        ("status.docx", _docx_text(status_docx)),
        ("year.docx", _docx_text(year_docx)),
    ):
        assert "Nguyễn Văn An" in text and "Lê Thị Bình" in text, name
        problems += [f"{name}: {p}" for p in _problems(text, lang=lang, help_text=False)]
    assert problems == []
