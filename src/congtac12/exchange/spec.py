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
from congtac12.dates import in_range, out_of_range, parse_date
from congtac12.domain.vocab import (
    KIND_SHORT,
    KINDS,
    LEAVE_REASONS,
    LEVEL_SHORT,
    LEVELS,
    parse_kind,
    parse_leave_reason,
    parse_level,
)
from congtac12.errors import InvalidInput
from congtac12.i18n import _, current_language
from congtac12.text import fold, shown_value

FORMAT = "congtac12"
# The file's "format_version" (JSON: a key; CSV: a column of settings.csv; XLSX: the settings sheet).
# 1: units, cadres, visits, reports. 2 adds the cadres' service period and active flag, leave,
# deleted visits (marked), and the settings that change figures. 3 adds plans (registered trips).
# An older file still imports.
FORMAT_VERSION = 3

TEXT = "text"
DATE = "date"
BOOL = "bool"
KIND = "kind"
LEVEL = "level"
REASON = "reason"
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
            return _("có/không, yes/no, x or empty, true/false, 1/0")
        if self.type == INT:
            return _("a whole number")
        words = {KIND: (KINDS, KIND_SHORT), LEVEL: (LEVELS, LEVEL_SHORT), REASON: (LEAVE_REASONS, LEAVE_REASONS)}
        if self.type in words:
            slugs, names = words[self.type]
            if current_language() == "vi":  # the Vietnamese names first, the slugs a file may hold after
                return _("{names} (or {slugs})").format(names=", ".join(names.values()), slugs=", ".join(slugs))
            return _("{slugs} or their Vietnamese names").format(slugs=", ".join(slugs))
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
        Column(
            "joined",
            "Ngày bắt đầu công tác",
            DATE,
            width=14,
            aliases=("ngày vào", "ngày bắt đầu", "ngày nhận công tác", "first day of service"),
        ),
        Column(
            "left",
            "Ngày kết thúc công tác",
            DATE,
            width=14,
            aliases=("ngày thôi", "ngày nghỉ việc", "ngày chuyển công tác", "last day of service"),
        ),
        # False: deactivated ('cadre delete'), kept with the record, hidden from lists and status.
        Column("active", "Đang theo dõi", BOOL, width=12, default=True, aliases=("còn theo dõi", "hoạt động")),
    ),
    aliases=("can bo", "danh sach can bo", "cadres", "roster"),
)

LEAVE = Table(
    "leave",
    "Nghỉ",
    (
        _VISIT_KEY[0],
        Column("start", "Từ ngày", DATE, required=True, width=12, aliases=("from", "nghỉ từ ngày", "ngày bắt đầu")),
        Column("end", "Đến ngày", DATE, required=True, width=12, aliases=("to", "nghỉ đến ngày", "ngày kết thúc")),
        Column("reason", "Lý do", REASON, required=True, width=16, aliases=("lý do nghỉ", "loại nghỉ")),
    ),
    aliases=("nghi", "nghi phep", "danh sach nghi", "leave"),
)

VISITS = Table(
    "visits",
    "Đợt đi cơ sở",
    (
        *_VISIT_KEY,
        Column("topic", "Chủ đề", width=44, aliases=("nội dung cụ thể", "nội dung chi tiết", "công việc")),
        Column("order_no", "Số công lệnh", width=16, aliases=("công lệnh", "order", "order number")),
        # True: deleted ('delete-visit'), kept with its report, counted nowhere; 'restore-visit' undoes it.
        Column("deleted", "Đã xoá", BOOL, width=10, default=False, aliases=("đã xóa", "xoá", "xóa")),
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

PLAN_STATES = ("draft", "submitted", "approved", "returned")  # the recorded states (domain.plans)

PLANS = Table(
    "plans",
    "Kế hoạch",
    (
        *_VISIT_KEY[:3],
        Column("end", "Đến ngày", DATE, required=True, width=12, aliases=("to", "ngày kết thúc", "last day")),
        _VISIT_KEY[4],
        # A month plan: its days in the month start..end covers; empty: every day of start..end.
        Column("days", "Số ngày", INT, width=8, aliases=("số ngày trong tháng", "days in month")),
        Column("topic", "Chủ đề", width=44, aliases=("nội dung cụ thể", "công việc")),
        Column("state", "Trạng thái", required=True, width=12, aliases=("tình trạng", "status")),
        Column("reason", "Lý do trả lại", width=40, aliases=("lý do", "returned because")),
        Column("decided_by", "Người duyệt", width=24, aliases=("người quyết định", "approved by")),
        Column("decided_at", "Thời điểm duyệt", width=20, aliases=("ngày duyệt", "decided at")),
        # The visit that fulfils it, by the visit's natural key (empty: none yet).
        Column("visit_cadre", "Đợt đi: mã cán bộ", width=12, aliases=("visit cadre",)),
        Column("visit_unit", "Đợt đi: đơn vị", width=34, aliases=("visit unit",)),
        Column("visit_start", "Đợt đi: từ ngày", DATE, width=12, aliases=("visit start",)),
        Column("visit_end", "Đợt đi: đến ngày", DATE, width=12, aliases=("visit end",)),
        Column("visit_kind", "Đợt đi: nội dung", KIND, width=26, aliases=("visit kind",)),
    ),
    aliases=("ke hoach", "dang ky", "plans", "registered trips"),
)
# A plan's columns by role, from the table itself: the visit that fulfils it (its natural key),
# and what must agree with the record for a plan of the same key (the visit as one field).
PLAN_VISIT: tuple[str, ...] = tuple(c.key for c in PLANS.columns if c.key.startswith("visit_"))
PLAN_FIELDS: tuple[str, ...] = (*(c.key for c in PLANS.columns[5:] if c.key not in PLAN_VISIT), "visit")

# The settings that change figures or words ('config set'), and the file's format version
# (agency and place: who issues the documents, services.documents).
SETTING_KEYS = ("format_version", "lang", "policy", "agency", "place")
ISSUER_KEYS = ("agency", "place")
ISSUER_MAX = 200  # characters: a name that fits the head of a page


def issuer_text(key: str, value: str) -> str:
    """The agency's name or its place as stored: one line of text, trimmed, not empty."""
    text = " ".join(value.split())
    if not text or len(text) > ISSUER_MAX or any(ch in value for ch in "\r\n"):
        raise InvalidInput(
            _("{key} {value!r} is not a name; accepted: one line of 1 to {max} characters").format(
                key=key, value=value[:60], max=ISSUER_MAX
            )
        )
    return text


SETTINGS = Table(
    "settings",
    "Thiết lập",
    (
        Column("key", "Thiết lập", required=True, width=18, aliases=("tên thiết lập", "setting")),
        Column("value", "Giá trị", required=True, width=40, aliases=("value",)),
    ),
    aliases=("thiet lap", "cai dat", "settings", "config"),
)

# In the order an import writes them: settings and units before the cadres, their leave and
# visits after them, reports, then the plans (which may name a visit).
TABLES: tuple[Table, ...] = (SETTINGS, UNITS, CADRES, LEAVE, VISITS, REPORTS, PLANS)


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


def vietnamese_table(name: str | None) -> str | None:
    """A JSON file's table key as the file has it, with its Vietnamese name beside it in
    Vietnamese: "'cadres' (Cán bộ)"; as it is in English."""
    table = table_named(name) if name and current_language() == "vi" else None
    if table is None or name_key(table.sheet) == name_key(name):
        return name
    return f"{name!r} ({table.sheet})"


def vietnamese_header(table_name: str, header: Any) -> str | None:
    """In Vietnamese, the Vietnamese name of the field a file's header (or JSON key) stands for,
    when the header is not that name already ('department' → "Ban"); else None."""
    if current_language() != "vi" or header in (None, ""):
        return None
    key = name_key(header)
    table = table_named(table_name)
    tables = [table] if table is not None else list(TABLES)
    names = {
        c.header
        for t in tables
        for c in t.columns
        if key in {name_key(n) for n in (c.key, c.header, *c.aliases, *c.fallback)}
    }
    if len(names) != 1:
        return None
    (name,) = names
    return None if name_key(name) == key else name


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
    if column.type == INT:
        return _int(column, raw)
    if column.type in (KIND, LEVEL, REASON):
        parse = {KIND: parse_kind, LEVEL: parse_level, REASON: parse_leave_reason}[column.type]
        try:
            return parse(_text(raw))
        except InvalidInput:
            raise _refuse(column, raw) from None
    return raw


def _text(raw: Any) -> str:
    if isinstance(raw, (list, dict)):  # JSON: a list or an object where text belongs
        raise InvalidInput(
            _("{value} is a JSON {kind}, not text; accepted: a string").format(
                value=shown_value(raw), kind=_("list") if isinstance(raw, list) else _("object")
            )
        )
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
        return _in_range(raw.date())
    if isinstance(raw, date):
        return _in_range(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and int(raw) in _EXCEL_SERIAL:
            from openpyxl.utils.datetime import from_excel

            return _in_range(from_excel(int(raw)).date())
        raise _refuse(column, raw)
    text = str(raw)
    if len(text) == 5 and text.isdigit() and text.isascii():
        # A date serial number stored as text (a column formatted as text, or pasted
        # from another program): 10000 to 99999 are 1927-05-18 to 2173-10-14.
        from openpyxl.utils.datetime import from_excel

        return _in_range(from_excel(int(text)).date())
    return parse_date(text, today=today, what=_("date"))


def _in_range(d: date) -> date:
    """A date cell (or an Excel serial) in the years typed dates accept (``dates.FIRST_YEAR`` to ``LAST_YEAR``)."""
    if not in_range(d):
        raise out_of_range(d, what=_("date"))
    return d


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


def _int(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise _refuse(column, raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        return raw
    text = str(raw)
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    raise _refuse(column, raw)


def _refuse(column: Column, raw: Any) -> InvalidInput:
    return InvalidInput(
        _("{value} is not valid here; accepted: {accepted}").format(
            value=shown_value(raw),
            accepted=column.accepted(),
        )
    )
