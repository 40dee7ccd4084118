"""Build the example files: a roster and a season of visits, in every import format.

    python examples/make_examples.py          # rewrites the files beside this script

The records below are written out by hand so that every figure can be
recounted (README, "Examples"). They go through congtac12's own commands into
a temporary database and out through ``congtac12 export``'s code, so the three
files hold the same records and import into the same database:

* ``roster-and-season-2020.json``  the JSON export (format_version 2)
* ``roster-and-season-2020.xlsx``  one sheet per table, Vietnamese headers
* ``csv/``                         units.csv, cadres.csv, visits.csv, reports.csv

Same input, same bytes: the workbook's timestamps are fixed.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2020, 11, 30, 0, 0, 0)

UNITS = [
    ("Đoàn phường Phúc Xá", "co-so", "Quận đoàn Ba Đình"),
    ("Đoàn xã Bát Tràng", "co-so", "Huyện đoàn Gia Lâm"),
    ("Chi đoàn thôn Giang Cao", "chi-doan", "Đoàn xã Bát Tràng"),
]

CADRES = [
    ("TD01", "Nguyễn Thị Mai Anh", "Ban Tổ chức – Kiểm tra", "mai.anh@thanhdoan.example.vn", True),
    ("TD02", "Trần Văn Bình", "Ban Tổ chức – Kiểm tra", "binh.tv@thanhdoan.example.vn", True),
    ("TD03", "Lê Hoàng Cường", "Ban Tuyên giáo", None, True),
    ("TD04", "Phạm Thu Dung", "Ban Thanh niên Trường học", "dung.pt@thanhdoan.example.vn", True),
    ("TD05", "Đỗ Minh Quân", "Văn phòng", None, False),
]

BA_DINH, GIA_LAM, PHUC_XA = "Quận đoàn Ba Đình", "Huyện đoàn Gia Lâm", "Đoàn phường Phúc Xá"
BAT_TRANG, GIANG_CAO = "Đoàn xã Bát Tràng", "Chi đoàn thôn Giang Cao"

# (cadre, unit, first day, last day, kind, topic, days after the last day the report came)
VISITS = [
    # TD01: 60 days (chuyên đề 12, sinh hoạt 25 with 03/03 also a chuyên đề day, phối hợp 20, kiểm tra 4)
    ("TD01", BA_DINH, "02/03/2020", "05/03/2020", "chuyen-de", "Khảo sát tình hình đoàn viên", 3),
    ("TD01", PHUC_XA, "03/03/2020", "03/03/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 3),
    ("TD01", GIANG_CAO, "16/03/2020", "18/03/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 3),
    ("TD01", BA_DINH, "23/03/2020", "27/03/2020", "phoi-hop", "Tháng Thanh niên 2020", 3),
    ("TD01", GIA_LAM, "06/04/2020", "09/04/2020", "chuyen-de", "Nắm tình hình thanh niên nông thôn", 3),
    ("TD01", PHUC_XA, "20/04/2020", "22/04/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BCH", 3),
    ("TD01", BAT_TRANG, "11/05/2020", "14/05/2020", "chuyen-de", "Khảo sát làng nghề", 3),
    ("TD01", GIANG_CAO, "18/05/2020", "20/05/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 3),
    ("TD01", PHUC_XA, "15/06/2020", "17/06/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BTV", 3),
    ("TD01", "Huyện đoàn Đông Anh", "22/06/2020", "26/06/2020", "phoi-hop", "Ngày Chủ nhật xanh", 3),
    ("TD01", GIANG_CAO, "13/07/2020", "15/07/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 3),
    ("TD01", "Quận đoàn Tây Hồ", "20/07/2020", "24/07/2020", "phoi-hop", "Thứ Bảy tình nguyện", 3),
    ("TD01", PHUC_XA, "17/08/2020", "19/08/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 3),
    ("TD01", GIANG_CAO, "14/09/2020", "16/09/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 3),
    ("TD01", GIA_LAM, "21/09/2020", "25/09/2020", "phoi-hop", "Thu thập dữ liệu Bản đồ số", 3),
    ("TD01", PHUC_XA, "12/10/2020", "14/10/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BCH", 3),
    ("TD01", "Quận đoàn Hoàn Kiếm", "19/10/2020", "22/10/2020", "kiem-tra", "Kiểm tra công tác đoàn viên", 3),
    # TD02: 30 days; the first trip starts before the window (27/02–03/03: 3 days count)
    ("TD02", GIA_LAM, "27/02/2020", "03/03/2020", "chuyen-de", "Khảo sát đoàn viên thanh niên công nhân", 5),
    ("TD02", PHUC_XA, "10/03/2020", "11/03/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 5),
    ("TD02", PHUC_XA, "07/04/2020", "08/04/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 5),
    ("TD02", GIANG_CAO, "12/05/2020", "13/05/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 5),
    ("TD02", GIANG_CAO, "09/06/2020", "10/06/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 5),
    ("TD02", PHUC_XA, "07/07/2020", "08/07/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 5),
    ("TD02", GIANG_CAO, "11/08/2020", "12/08/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 5),
    ("TD02", "Huyện đoàn Sóc Sơn", "14/09/2020", "18/09/2020", "phoi-hop", "Đại hội Cháu ngoan Bác Hồ", 5),
    ("TD02", "Quận đoàn Cầu Giấy", "05/10/2020", "09/10/2020", "kiem-tra", "Giám sát thu, nộp đoàn phí", 5),
    ("TD02", BA_DINH, "02/11/2020", "06/11/2020", "chuyen-de", "Khảo sát sinh hoạt đoàn trên địa bàn dân cư", 5),
    # TD03: 58 days, but the report of 13–16/04 came on 05/05 (due 26/04): late
    ("TD03", "Huyện đoàn Ba Vì", "09/03/2020", "14/03/2020", "chuyen-de", "Tìm hiểu tâm tư thanh niên", 2),
    ("TD03", BAT_TRANG, "16/03/2020", "19/03/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BCH", 2),
    ("TD03", BAT_TRANG, "13/04/2020", "16/04/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BTV", 19),
    ("TD03", "Huyện đoàn Ba Vì", "04/05/2020", "09/05/2020", "chuyen-de", "Khảo sát thanh niên dân tộc", 2),
    ("TD03", BAT_TRANG, "11/05/2020", "14/05/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 2),
    ("TD03", GIANG_CAO, "08/06/2020", "11/06/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 2),
    ("TD03", GIANG_CAO, "06/07/2020", "09/07/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 2),
    ("TD03", BAT_TRANG, "03/08/2020", "06/08/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BCH", 2),
    ("TD03", "Huyện đoàn Ba Vì", "01/09/2020", "11/09/2020", "phoi-hop", "Hỗ trợ thu thập dữ liệu Bản đồ số", 2),
    ("TD03", "Thị đoàn Sơn Tây", "05/10/2020", "15/10/2020", "phoi-hop", "Ngày đoàn viên", 2),
    # TD04: 55 days by 30/11 with 10 of chuyên đề (on track); 60 and 15 by 31/12 (met)
    ("TD04", "Quận đoàn Đống Đa", "02/03/2020", "06/03/2020", "chuyen-de", "Khảo sát công tác đoàn trường học", 4),
    ("TD04", "Quận đoàn Đống Đa", "23/03/2020", "27/03/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 4),
    ("TD04", "Quận đoàn Đống Đa", "20/04/2020", "24/04/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 4),
    ("TD04", "Quận đoàn Thanh Xuân", "25/05/2020", "29/05/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 4),
    ("TD04", "Quận đoàn Thanh Xuân", "22/06/2020", "26/06/2020", "sinh-hoat", "Dự sinh hoạt chuyên đề BCH", 4),
    ("TD04", "Quận đoàn Đống Đa", "20/07/2020", "24/07/2020", "sinh-hoat", "Dự sinh hoạt chi đoàn", 4),
    ("TD04", "Quận đoàn Thanh Xuân", "10/08/2020", "19/08/2020", "phoi-hop", "Chuẩn bị năm học mới", 4),
    ("TD04", "Quận đoàn Đống Đa", "07/09/2020", "11/09/2020", "chuyen-de", "Khảo sát an toàn trường học", 4),
    ("TD04", "Quận đoàn Thanh Xuân", "12/10/2020", "21/10/2020", "phoi-hop", "Tháng an toàn giao thông", 4),
    ("TD04", "Quận đoàn Đống Đa", "07/12/2020", "11/12/2020", "chuyen-de", "Tổng kết năm học", 3),
    # TD05: not subject to the regime; 4 days recorded all the same
    ("TD05", BA_DINH, "04/04/2020", "07/04/2020", "phoi-hop", "Tháng Thanh niên 2020", 2),
]


def _day(text: str) -> date:
    d, m, y = (int(x) for x in text.split("/"))
    return date(y, m, d)


def build(out: Path = HERE) -> list[Path]:
    from congtac12.exchange import files
    from congtac12.store import commands
    from congtac12.store.engine import session
    from congtac12.store.read.connect import reading
    from congtac12.store.read.exchange import export_sheets

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "examples.db"
        with session(db, write=True) as s:
            for name, level, parent in UNITS:
                commands.add_unit(s, name=name, level=level, parent=parent)
            for code, name, dept, email, subject in CADRES:
                commands.add_cadre(s, code=code, name=name, department=dept, email=email, subject=subject)
            for cadre, unit, first, last, kind, topic, delay in VISITS:
                visit, _c, _u = commands.add_visit(
                    s, cadre=cadre, unit=unit, start=_day(first), end=_day(last), kind=kind, topic=topic
                )
                commands.add_report(
                    s,
                    visit_id=visit.id,
                    on=visit.end + timedelta(days=delay),
                    text=f"Báo cáo kết quả: {topic}.",
                )
        with reading(db) as r:
            data = export_sheets(r)
            sheets = export_sheets(r, spreadsheet=True)
    json_path = out / "roster-and-season-2020.json"
    xlsx_path = out / "roster-and-season-2020.xlsx"
    files.write_json(json_path, data)
    files.write_csv_folder(out / "csv", data)
    files.write_xlsx(xlsx_path, sheets, yes_no=files.XLSX_YES_NO)
    _fix_times(xlsx_path)
    (out / "csv").chmod(0o755)  # examples are for everyone to read
    for path in [json_path, xlsx_path, *(out / "csv").iterdir()]:
        path.chmod(0o644)
    return [json_path, xlsx_path, out / "csv"]


def _fix_times(path: Path) -> None:
    """The same workbook bytes every time: fixed zip entry times and document dates."""
    stamp = "2020-11-30T00:00:00Z"
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    for written in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written)
