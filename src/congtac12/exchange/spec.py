"""The exported tables, column by column, and how a cell becomes a value.

Pure: no database, no files. A column has a key (JSON key, CSV header), a
Vietnamese header (spreadsheet header) and the other headers an import
accepts, compared without case, diacritics or punctuation: "Họ và tên",
"ho va ten" and "HỌ VÀ TÊN:" are one header. The Vietnamese headers are part
of the file format, like the JSON keys, so they are not translated.

Values are typed here, once, for every format: a date is a ``date``, a flag a
``bool``, a kind or a level its slug; text is text. Rows are identified by
natural keys (a cadre by code, a unit by name, a visit by cadre, unit, first
and last day and kind, a report by its visit), never by database ids, so a
file moves between databases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from congtac12.dates import ACCEPTED as DATES_ACCEPTED
from congtac12.dates import parse_date
from congtac12.domain.vocab import KINDS, LEVELS, parse_kind, parse_level
from congtac12.errors import InvalidInput
from congtac12.i18n import _
from congtac12.text import fold

FORMAT = "congtac12"
FORMAT_VERSION = 1  # the JSON document's "format_version"; raise it when a key changes meaning

TEXT = "text"
DATE = "date"
BOOL = "bool"
KIND = "kind"
LEVEL = "level"
INT = "int"

_TRUE = {"true", "yes", "y", "1", "x", "co", "dung", "thuoc dien"}
_FALSE = {"false", "no", "n", "0", "khong", "sai", "khong thuoc dien"}
# Excel's serial day numbers: 1 is 1900-01-01, 2958465 is 9999-12-31.
_EXCEL_SERIAL = range(1, 2958466)


@dataclass(frozen=True)
class Column:
    key: str  # JSON key and CSV header
    header: str  # spreadsheet header (Vietnamese)
    type: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers accepted on import
    fallback: tuple[str, ...] = ()  # headers used only when none of the above is present
    width: int = 16  # spreadsheet column width, in characters
    default: Any = None  # the value of an empty cell or a missing column

    def accepted(self) -> str:
        """What a cell of this column may hold, for error messages."""
        if self.type == DATE:
            return _("{dates}, or an Excel date").format(dates=_(DATES_ACCEPTED))
        if self.type == BOOL:
            return _("yes/no, có/không, true/false, 1/0")
        if self.type == KIND:
            return _("{slugs} or their Vietnamese names").format(slugs=", ".join(KINDS))
        if self.type == LEVEL:
            return _("{slugs} or their Vietnamese names").format(slugs=", ".join(LEVELS))
        return _("text")


@dataclass(frozen=True)
class Table:
    name: str  # JSON key and CSV file name (without .csv)
    sheet: str  # spreadsheet sheet name (Vietnamese)
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()  # other sheet and file names accepted on import

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


_VISIT_KEY = (
    Column(
        "cadre",
        "Mã cán bộ",
        required=True,
        width=12,
        aliases=("mã", "mã cb", "cán bộ", "cadre code", "code"),
        fallback=("họ và tên", "họ tên", "tên cán bộ", "name"),
    ),
    Column("unit", "Đơn vị", required=True, width=34, aliases=("tên đơn vị", "đơn vị đến", "nơi đến", "cơ sở")),
    Column(
        "start",
        "Từ ngày",
        DATE,
        required=True,
        width=12,
        aliases=("from", "ngày bắt đầu", "ngày đi", "bắt đầu", "first day"),
    ),
    Column("end", "Đến ngày", DATE, width=12, aliases=("to", "ngày kết thúc", "ngày về", "kết thúc", "last day")),
    Column(
        "kind",
        "Nội dung",
        KIND,
        required=True,
        width=26,
        aliases=("loại", "loại nội dung", "nội dung đi cơ sở", "hình thức"),
    ),
)

UNITS = Table(
    "units",
    "Đơn vị",
    (
        Column("name", "Đơn vị", required=True, width=40, aliases=("tên đơn vị", "unit", "tên")),
        Column("level", "Cấp", LEVEL, required=True, width=30, aliases=("cấp đơn vị", "cấp bộ đoàn")),
        Column("parent", "Đơn vị cấp trên", width=40, aliases=("trực thuộc", "cấp trên", "thuộc")),
    ),
    aliases=("đơn vị", "don vi", "units"),
)

CADRES = Table(
    "cadres",
    "Cán bộ",
    (
        Column("code", "Mã", required=True, width=10, aliases=("mã cán bộ", "mã cb", "cadre code")),
        Column("name", "Họ và tên", required=True, width=28, aliases=("họ tên", "tên", "full name")),
        Column(
            "department",
            "Ban",
            required=True,
            width=34,
            aliases=("ban văn phòng", "ban / văn phòng", "phòng ban", "đơn vị công tác", "dept"),
        ),
        Column("email", "Email", width=34, aliases=("e-mail", "thư điện tử", "địa chỉ email")),
        Column(
            "subject", "Thuộc diện", BOOL, width=12, default=True, aliases=("thuộc diện 1+2", "diện 1+2", "áp dụng")
        ),
    ),
    aliases=("can bo", "danh sach can bo", "cadres", "roster"),
)

VISITS = Table(
    "visits",
    "Đợt đi cơ sở",
    (
        *_VISIT_KEY,
        Column("topic", "Chủ đề", width=44, aliases=("nội dung cụ thể", "nội dung chi tiết", "công việc")),
        Column("order_no", "Số công lệnh", width=16, aliases=("công lệnh", "order", "order number")),
    ),
    aliases=("dot di co so", "di co so", "visits", "chuyen di"),
)

REPORTS = Table(
    "reports",
    "Báo cáo",
    (
        *_VISIT_KEY,
        Column(
            "reported_on",
            "Ngày báo cáo",
            DATE,
            required=True,
            width=14,
            aliases=("ngày nộp báo cáo", "báo cáo ngày", "report date", "on"),
        ),
        Column("text", "Nội dung báo cáo", width=60, aliases=("báo cáo", "báo cáo kết quả", "kết quả", "report")),
    ),
    aliases=("bao cao", "bao cao ket qua", "reports"),
)

# In the order an import writes them: units before the cadres, visits after both.
TABLES: tuple[Table, ...] = (UNITS, CADRES, VISITS, REPORTS)


def name_key(text: Any) -> str:
    """A header or sheet name compared loosely: folded, punctuation as space."""
    return fold(re.sub(r"[\s_\-.:;,/()*#\[\]'\"]+", " ", str(text)))


def table_named(name: str) -> Table | None:
    """The table a sheet or file name means ("Cán bộ", "cadres", "can-bo"), if any."""
    key = name_key(name)
    for table in TABLES:
        if key in {name_key(n) for n in (table.name, table.sheet, *table.aliases)}:
            return table
    return None


@dataclass(frozen=True)
class HeaderMatch:
    table: Table
    positions: dict[str, int]  # column key -> index of its cell in a row
    ignored: tuple[str, ...]  # headers that name no column of the table
    missing: tuple[Column, ...]  # required columns without a header


def match_headers(table: Table, headers: Sequence[Any]) -> HeaderMatch:
    """Which cell holds which column; the first header that names a column wins."""
    folded = [name_key(h) if h not in (None, "") else "" for h in headers]
    positions: dict[str, int] = {}
    taken: set[int] = set()
    for use_fallback in (False, True):
        for column in table.columns:
            if column.key in positions:
                continue
            names = column.fallback if use_fallback else (column.key, column.header, *column.aliases)
            wanted = {name_key(n) for n in names}
            for i, f in enumerate(folded):
                if f and f in wanted and i not in taken:
                    positions[column.key] = i
                    taken.add(i)
                    break
    ignored = tuple(str(h) for i, h in enumerate(headers) if i not in taken and h not in (None, ""))
    missing = tuple(c for c in table.columns if c.required and c.key not in positions)
    return HeaderMatch(table, positions, ignored, missing)


def guess_table(headers: Sequence[Any]) -> HeaderMatch | None:
    """The table whose required columns all have a header, the most columns matched first."""
    best: HeaderMatch | None = None
    for table in TABLES:
        found = match_headers(table, headers)
        if found.missing:
            continue
        if best is None or len(found.positions) > len(best.positions):
            best = found
    return best


# --- cells to values --------------------------------------------------------


def parse_cell(column: Column, raw: Any, *, today: date) -> Any:
    """The typed value of one cell (None for an empty one), or InvalidInput saying what is accepted."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        return column.default
    if column.type == TEXT:
        return _text(raw)
    if column.type == DATE:
        return _date(column, raw, today)
    if column.type == BOOL:
        return _bool(column, raw)
    if column.type in (KIND, LEVEL):
        parse = parse_kind if column.type == KIND else parse_level
        try:
            return parse(_text(raw))
        except InvalidInput:
            raise _refuse(column, raw) from None
    return raw


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a code typed as a number in a spreadsheet: 1.0 -> "1"
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def _date(column: Column, raw: Any, today: date) -> date:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise _refuse(column, raw)
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and int(raw) in _EXCEL_SERIAL:
            from openpyxl.utils.datetime import from_excel

            return from_excel(int(raw)).date()
        raise _refuse(column, raw)
    return parse_date(str(raw), today=today, what=_("date"))


def _bool(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    word = name_key(raw)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _refuse(column, raw)


def _refuse(column: Column, raw: Any) -> InvalidInput:
    return InvalidInput(
        _("{value} is not valid here; accepted: {accepted}").format(
            value=repr(raw if not isinstance(raw, (date, datetime)) else raw.isoformat()),
            accepted=column.accepted(),
        )
    )
