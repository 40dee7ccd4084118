"""Reading and writing the tables as JSON, CSV and XLSX files.

No database here. Writing takes sheets of typed values (``date``, ``bool``,
``int``, ``str``, ``None``); reading gives back raw cells with where each came
from, for ``store.exchange`` to type and check.

Files are written readable by their owner only (0600), through a temporary
file renamed into place, so a failed export leaves no half-written file.

Spreadsheet safety (CSV/formula injection, OWASP): a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be run as a
formula by Excel or LibreOffice.
* XLSX: every text cell is written as a string cell (``t="inlineStr"``),
  never a formula, and a risky one also carries Excel's "quote prefix" style,
  so it stays text even when edited. The value itself is unchanged.
* CSV: a risky value is written with a leading apostrophe ``'``, which both
  programs show as text. So that the round trip stays lossless, a value made
  of apostrophes followed by a risky character gets one apostrophe more, and
  import removes exactly one from such a value (``unescape(escape(s)) == s``).
* CSV files are UTF-8 with a byte-order mark, which Excel needs to read
  Vietnamese correctly; import accepts them with or without it, separated by
  commas or semicolons (Excel's separator in a Vietnamese locale).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from congtac12.errors import InvalidInput
from congtac12.exchange.spec import FORMAT, FORMAT_VERSION, TABLES, Column, vietnamese_header, vietnamese_table
from congtac12.i18n import _

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")
DATE_FORMAT = "DD/MM/YYYY"  # how XLSX shows dates: day first, as Vietnamese readers write them
MAX_IMPORT_BYTES = 200_000_000


@dataclass
class Sheet:
    """One table to write: its name, its columns and its rows of typed values."""

    name: str  # file stem (CSV) and JSON key
    title: str  # sheet name (XLSX)
    columns: Sequence[Column]
    rows: list[Sequence[Any]] = field(default_factory=list)


# --- safety -------------------------------------------------------------------


def risky(text: str) -> bool:
    """Would a spreadsheet take this text for a formula?"""
    return text.startswith(RISKY_START)


def escape_csv(text: str) -> str:
    """The text as a CSV cell that no spreadsheet runs (see the module's docstring)."""
    return "'" + text if _ESCAPED.match(text) else text


def unescape_csv(text: str) -> str:
    """The inverse of ``escape_csv``."""
    return text[1:] if text.startswith("'") and _ESCAPED.match(text, 1) else text


# --- writing ------------------------------------------------------------------


@contextmanager
def private_file(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """Write ``path`` as a new file of mode 0600, replacing it only once fully written (``atomic``)."""
    from congtac12.atomic import atomic_file

    with atomic_file(path, binary=binary) as f:
        yield f


def check_target(path: Path, *, folder: bool, force: bool) -> None:
    """Refuse to overwrite what is there unless ``force``; a folder's parent must exist."""
    from congtac12.atomic import check_output

    check_output(path, "--out")
    parent = path.parent
    if not parent.is_dir():
        raise InvalidInput(_("--out {path}: the folder {parent} does not exist").format(path=path, parent=parent))
    if folder:
        if path.exists() and not path.is_dir():
            raise InvalidInput(
                _("--out {path} is a file; CSV export writes a folder of files, give a folder name").format(path=path)
            )
        if path.is_dir() and any(path.iterdir()) and not force:
            raise InvalidInput(
                _(
                    "--out {path} is a folder that is not empty; give a new folder or --force to overwrite its CSV files"
                ).format(path=path)
            )
        return
    if path.is_dir():
        raise InvalidInput(_("--out {path} is a folder; give a file name").format(path=path))
    if path.exists() and not force:
        raise InvalidInput(_("--out {path} exists; give another name or --force to overwrite it").format(path=path))


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def json_document(sheets: Sequence[Sheet]) -> dict[str, Any]:
    """The JSON export: a versioned document, one list of objects per table."""
    doc: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    for sheet in sheets:
        keys = [c.key for c in sheet.columns]
        doc[sheet.name] = [{k: _json_value(v) for k, v in zip(keys, row, strict=False)} for row in sheet.rows]
    return doc


def write_json(path: Path, sheets: Sequence[Sheet]) -> None:
    from congtac12.exchange.json_write import json_text

    text = json_text(json_document(sheets)) + "\n"
    with private_file(path) as f:
        f.write(text)


def _with_version(sheets: Sequence[Sheet]) -> list[Sheet]:
    """CSV and XLSX state the format's version as the first row of the settings table."""
    out = []
    for sheet in sheets:
        if sheet.name == "settings":
            sheet = Sheet(
                sheet.name, sheet.title, sheet.columns, [("format_version", str(FORMAT_VERSION)), *sheet.rows]
            )
        out.append(sheet)
    return out


# How a yes/no is written in the data exports (export; import reads these and more): the CSV
# speaks its English keys, the workbook its Vietnamese headers. A boolean cell would come back
# from LibreOffice as the formula =TRUE(). Other sheets (the status sheet) keep true/false.
CSV_YES_NO = ("yes", "no")
XLSX_YES_NO = ("có", "không")


def _csv_value(value: Any, yes_no: tuple[str, str] = ("true", "false")) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_csv(value)
    return str(value)


def write_csv(path: Path, sheet: Sheet, *, headers: str = "key", yes_no: tuple[str, str] = ("true", "false")) -> None:
    """One table as one CSV file: UTF-8 with BOM, comma-separated, CRLF rows.

    ``headers`` is "key" (the JSON keys, for data exports) or "header" (the
    Vietnamese headers, for reports handed up).
    """
    with private_file(path) as f:
        f.write("\ufeff")
        writer = csv.writer(f)
        writer.writerow([escape_csv(getattr(c, headers)) for c in sheet.columns])
        for row in sheet.rows:
            writer.writerow([_csv_value(v, yes_no) for v in row])


def write_csv_folder(path: Path, sheets: Sequence[Sheet]) -> list[Path]:
    """One CSV file per table, in a folder (made readable by its owner only)."""
    path.mkdir(mode=0o700, exist_ok=True)
    written = []
    for sheet in _with_version(sheets):
        target = path / f"{sheet.name}.csv"
        write_csv(target, sheet, yes_no=CSV_YES_NO)
        written.append(target)
    return written


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, yes_no: tuple[str, str] | None = None) -> None:
    """One sheet per table: bold frozen header row, real dates, text that never runs.

    ``yes_no``: the texts of a yes/no (the data export's có/không); None, a boolean cell.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in _with_version(sheets):
        ws = wb.create_sheet(sheet.title[:31])  # Excel's limit on a sheet's name
        ws.freeze_panes = "A2"
        # A write-only sheet records no size (<dimension>), and without one openpyxl
        # reads a whole sheet just to learn it; the writer asks this method for it.
        last = f"{get_column_letter(max(1, len(sheet.columns)))}{len(sheet.rows) + 1}"
        ws.calculate_dimension = lambda last=last: f"A1:{last}"
        for i, column in enumerate(sheet.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.data_type = "s"
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, WriteOnlyCell, v, yes_no) for v in row])
    with private_file(path, binary=True) as f:
        wb.save(f)


def _xlsx_cell(ws: Any, cell_class: Any, value: Any, yes_no: tuple[str, str] | None = None) -> Any:
    """A value as openpyxl should write it: plain where that is safe, else a styled cell."""
    if isinstance(value, bool):
        return value if yes_no is None else yes_no[0] if value else yes_no[1]
    if isinstance(value, str):
        if not value.startswith("=") and not risky(value):
            return value  # a plain str is written as a string cell
        cell = cell_class(ws, value=value)
        cell.data_type = "s"  # openpyxl would store "=…" as a formula: never
        cell.quotePrefix = True
        return cell
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = cell_class(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


# --- reading ------------------------------------------------------------------


@dataclass
class SourceTable:
    """Raw rows as found in a file: a JSON list, a CSV file or an XLSX sheet."""

    file: str  # the file's name, as errors show it
    sheet: str | None  # the XLSX sheet, or the JSON key
    headers: list[Any]
    rows: list[tuple[int, Sequence[Any]]]  # (row number as the user sees it, cells)
    kind: str  # "json", "csv" or "xlsx"

    def where(self, row: int | None = None, column: int | None = None) -> str:
        """ "visits.xlsx, sheet 'Đợt đi cơ sở', row 12, column D 'Đến ngày'"."""
        parts = [self.file]
        if self.kind == "xlsx" and self.sheet is not None:
            parts.append(_("sheet {name!r}").format(name=self.sheet))
        if row is not None:
            if self.kind == "json":
                parts.append(_("{table} item {n}").format(table=vietnamese_table(self.sheet), n=row))
            else:
                parts.append(_("row {n}").format(n=row))
        if column is not None:
            header = self.headers[column]
            parts.append(self._column_text(header, column))
        return ", ".join(parts)

    def _column_text(self, header: Any, column: int) -> str:
        """The column as the file names it (what the user must type), and, in Vietnamese, the
        field's Vietnamese name beside a key that is not Vietnamese: "khóa 'department' (Ban)"."""
        text = self._column_literal(header, column)
        name = vietnamese_header(self.sheet or Path(self.file).stem, header)
        return f"{text} ({name})" if name else text

    def _column_literal(self, header: Any, column: int) -> str:
        if self.kind == "xlsx":
            from openpyxl.utils import get_column_letter

            return _("column {letter} {header!r}").format(letter=get_column_letter(column + 1), header=str(header))
        if self.kind == "json":
            return _("key {header!r}").format(header=str(header))
        return _("column {header!r}").format(header=str(header))


def read_path(path: Path) -> list[SourceTable]:
    """Every table in a JSON file, a CSV file, a folder of CSV files or an XLSX workbook."""
    from congtac12.atomic import check_name, check_regular

    check_name(path, _("the file to import"))
    check_regular(path, _("the file to import"))  # a FIFO would be read forever
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if not files:
            raise InvalidInput(
                _(
                    "{path} is a folder without .csv files; accepted: a folder of CSV files, a .csv, .json or .xlsx file"
                ).format(path=path)
            )
        return [read_csv(p, label=f"{path.name}/{p.name}") for p in files]
    data = _read_bytes(path, head=True)
    suffix = path.suffix.lower()
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            _(
                "{path} is an old Excel file (.xls); accepted: .xlsx — open it in Excel and save it as an Excel Workbook (.xlsx)"
            ).format(path=path)
        )
    if suffix in (".xlsx", ".xlsm") or data.startswith(b"PK\x03\x04"):
        return read_xlsx(path, _read_bytes(path))
    if suffix == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        from congtac12.exchange import json_read

        found = json_read.read_stream(path) or json_read.read_whole(path, _read_bytes(path))
        return [SourceTable(path.name, name, headers, rows, "json") for name, headers, rows in found]
    if suffix in (".csv", ".txt", ""):
        return [read_csv(path, data=_read_bytes(path))]
    raise InvalidInput(
        _("{path}: unknown kind of file; accepted: .json, .csv, .xlsx, or a folder of .csv files").format(path=path)
    )


HEAD_BYTES = 4096  # enough to tell the kind of a file


def _read_bytes(path: Path, *, head: bool = False) -> bytes:
    """The file's bytes (``head``: its first HEAD_BYTES), once it is known to be a file of bounded size."""
    try:
        if not path.is_file():
            raise InvalidInput(
                _("{path} does not exist; accepted: a .json, .csv or .xlsx file, or a folder of .csv files").format(
                    path=path
                )
            )
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InvalidInput(
                _("{path} is larger than {limit:,} bytes; split it").format(path=path, limit=MAX_IMPORT_BYTES)
            )
        if head:
            with path.open("rb") as f:
                return f.read(HEAD_BYTES)
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None


CELL_MAX = 131_072  # characters in one CSV cell (Python's csv limit); a report's text is at most 50,000


def read_csv(path: Path, *, data: bytes | None = None, label: str | None = None) -> SourceTable:
    if data is None:
        data = _read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("{path} is not UTF-8 text; accepted: UTF-8 CSV (in Excel: Save As 'CSV UTF-8 (Comma delimited)')").format(
                path=label or path.name
            )
        ) from None
    head = "\n".join(text.split("\n", 10)[:10])  # a title line may stand above the headers
    delimiter = ";" if head.count(";") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [[unescape_csv(cell) for cell in record] for record in reader]
    except csv.Error as exc:  # a cell over CELL_MAX characters, or a NUL
        raise InvalidInput(
            _(
                "{path}, row {n}: cannot be read as CSV ({reason}); accepted: cells of at most {max:,} characters"
            ).format(path=label or path.name, n=reader.line_num, reason=exc, max=CELL_MAX)
        ) from None
    header_at = _header_row([(i, r) for i, r in enumerate(records, 1)])
    headers = records[header_at - 1] if records else []
    rows: list[tuple[int, Sequence[Any]]] = [
        (i, r) for i, r in enumerate(records, 1) if i > header_at and any(c.strip() for c in r)
    ]
    return SourceTable(label or path.name, None, list(headers), rows, "csv")


def read_xlsx(path: Path, data: bytes) -> list[SourceTable]:
    import zipfile

    from openpyxl import load_workbook

    _check_zip(path, data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(
            _("{path} cannot be read as an Excel workbook ({reason}); accepted: an .xlsx file").format(
                path=path.name, reason=exc
            )
        ) from None
    tables = []
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # trust the rows, not a size some programs write wrong
            records: list[tuple[int, list[Any]]] = []
            for number, row in enumerate(ws.iter_rows(), 1):
                cells: list[Any] = []
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        cells.append(_formula_value(str(cell.value)))
                    else:
                        cells.append(cell.value)
                if any(c not in (None, "") for c in cells):
                    records.append((number, cells))
            if not records:
                continue
            header_at = _header_row(records)
            headers = next(r for n, r in records if n == header_at)
            rows: list[tuple[int, Sequence[Any]]] = [(n, r) for n, r in records if n > header_at]
            tables.append(SourceTable(path.name, ws.title, list(headers), rows, "xlsx"))
    finally:
        wb.close()
    return tables


MAX_UNPACKED_BYTES = 512_000_000  # a workbook's parts, unpacked: far above 1,000,000 rows of ours
MAX_RATIO = 200  # unpacked / packed for one part over MAX_PLAIN_PART: a zip bomb, not a table
MAX_PLAIN_PART = 16_000_000


def _check_zip(path: Path, data: bytes) -> None:
    """Refuse, before anything is unpacked, a zip whose parts would unpack to too much."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput(
            _("{path} cannot be read as an Excel workbook ({reason}); accepted: an .xlsx file").format(
                path=path.name, reason=exc
            )
        ) from None
    total = sum(p.file_size for p in parts)
    bomb = any(p.file_size > MAX_PLAIN_PART and p.file_size > MAX_RATIO * max(1, p.compress_size) for p in parts)
    if total > MAX_UNPACKED_BYTES or bomb:
        raise InvalidInput(
            _(
                "{path} would unpack to {size:,} bytes, more than a workbook of congtac12 records holds "
                "(at most {limit:,}, and no part packed more than {ratio} to 1); accepted: an .xlsx file"
            ).format(path=path.name, size=total, limit=MAX_UNPACKED_BYTES, ratio=MAX_RATIO)
        )


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: refused on import (its value would be a guess)."""

    text: str


# LibreOffice Calc saves a yes/no cell as the formula =TRUE() or =FALSE(): a constant, not a
# computation, so it is read as its value. Every other formula is refused (never evaluated).
_BOOLEAN_FORMULA = re.compile(r"=\s*(TRUE|FALSE)\s*(\(\s*\))?\s*", re.IGNORECASE)


def _formula_value(text: str) -> bool | Formula:
    found = _BOOLEAN_FORMULA.fullmatch(text)
    if found is None:
        return Formula(text)
    return found.group(1).upper() == "TRUE"


def _header_row(records: Sequence[tuple[int, Sequence[Any]]]) -> int:
    """The row holding the headers: the first of the first ten that names columns of a table.

    Sheets often carry a title ("DANH SÁCH CÁN BỘ…") above the header row.
    """
    from congtac12.exchange.spec import guess_table, match_headers

    for number, cells in records[:10]:
        if guess_table(cells) is not None:
            return number
        if any(len(match_headers(t, cells).positions) >= 2 for t in TABLES):
            return number
    return records[0][0] if records else 1
