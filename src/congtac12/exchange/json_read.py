"""Reading a JSON export: streamed, one object at a time, with every error as a whole read gives it.

An export of 100,000 visits is 50 MB of JSON; read whole, it is several
hundred megabytes of Python objects before the first row is checked. So the
file is read in pieces of ``PIECE`` bytes, and each item of each table is
decoded a batch at a time (``JSONDecoder.raw_decode``) and kept only as its tuple of
cells, the short texts that repeat (codes, unit names, days, kinds) shared.

Only a well-formed export takes that path: an object of scalars and lists of
objects, no key twice, no unknown key. Anything else — invalid JSON, a value
nested too deeply, a number too long, a list item that is not an object, an
unknown key — is read again whole by ``read_whole``, so that every message is
exactly the one it always gave (the file is bad, and bad files are small or
refused quickly).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

from congtac12.errors import InvalidInput
from congtac12.exchange.spec import FORMAT, FORMAT_VERSION, TABLES
from congtac12.i18n import _

PIECE = 1 << 20  # bytes read at a time
NUMBER_MAX_DIGITS = 30  # no number in an export has more; a longer one is refused, not converted
_WHITE = " \t\r\n"
# A column of these types alone has its texts shared (no True to be taken for an equal 1)
_SHARED_TYPES = {str, type(None)}
_AFTER = re.compile(r"[ \t\r\n]*([,\]])[ \t\r\n]*")  # what follows an item of a list


class _Whole(Exception):
    """The file is not a plain export: read it whole, for the exact error (or the exact reading)."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > NUMBER_MAX_DIGITS:
        raise InvalidInput(
            _("a number of {n:,} digits; accepted: at most {max}").format(
                n=len(text.lstrip("-")), max=NUMBER_MAX_DIGITS
            )
        )
    return int(text)


class _Stream:
    """The text of a file, decoded piece by piece; ``pos`` moves forward through ``buf``."""

    def __init__(self, f: Any) -> None:
        self.f = f
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        data = self.f.read(PIECE)
        self.eof = not data
        try:
            text = self.decoder.decode(data, final=self.eof)
        except UnicodeDecodeError:
            raise _Whole from None
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return bool(text) or not self.eof

    def skip_white(self) -> str:
        """The next character after white space ('' at the end of the file)."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WHITE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.more():
                return ""

    def expect(self, char: str) -> None:
        if self.skip_white() != char:
            raise _Whole
        self.pos += 1

    def value(self, decoder: json.JSONDecoder) -> Any:
        """One JSON value; more of the file is read while the value runs past the text read so far."""
        self.skip_white()
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self.more():
                    continue
                raise _Whole from None
            except (InvalidInput, RecursionError):
                raise _Whole from None
            if end == len(self.buf) and not self.eof:  # a number may go on in the next piece
                if self.more():
                    continue
            self.pos = end
            return value


Tables = list[tuple[str, list[Any], list[tuple[int, Sequence[Any]]]]]  # (table, headers, rows of cells)


def read_stream(path: Path) -> Tables | None:
    """The tables of a plain export, or None when the file must be read whole."""
    try:
        with path.open("rb") as f:
            return _read(path, _Stream(f))
    except _Whole:
        return None


def _read(path: Path, text: _Stream) -> Tables:
    decoder = json.JSONDecoder(parse_int=_bounded_int)
    known = {t.name: t for t in TABLES}
    scalars: dict[str, Any] = {}
    found: dict[str, tuple[list[str], list[tuple[int, Sequence[Any]]]]] = {}
    shared: dict[Any, Any] = {}
    text.expect("{")
    if text.skip_white() == "}":
        text.pos += 1
    else:
        while True:
            key = text.value(decoder)
            if not isinstance(key, str) or key in scalars or key in found:
                raise _Whole
            text.expect(":")
            if key in known:
                if text.skip_white() != "[":
                    raise _Whole
                text.pos += 1
                found[key] = _items(text, decoder, shared)
            elif key in ("format", "format_version"):
                scalars[key] = text.value(decoder)
            else:
                raise _Whole  # an unknown key: its message comes from the whole reading
            char = text.skip_white()
            text.pos += 1
            if char == "}":
                break
            if char != ",":
                raise _Whole
    if text.skip_white() != "":
        raise _Whole
    check_header(path, scalars)
    tables = []
    for table in TABLES:
        headers, rows = found.get(table.name, ([], []))
        for key in _required(table):  # as empty cells, each named by its row; an optional key no
            if key not in headers:  # item has is a column the file does not have (an older format)
                headers.append(key)
        width = len(headers)
        # A row read before a later item brought a new key: None for it. Rows only ever grow wider
        # (each is as wide as the headers were when it was read), so a full first row means all are.
        if rows and len(rows[0][1]) < width:
            for i, (n, cells) in enumerate(rows):
                if len(cells) < width:
                    rows[i] = (n, (*cells, *[None] * (width - len(cells))))
        tables.append((table.name, headers, rows))
    return tables


def _items(
    text: _Stream, decoder: json.JSONDecoder, shared: dict[Any, Any]
) -> tuple[list[str], list[tuple[int, Sequence[Any]]]]:
    """A table's list: its headers (keys in order of first use) and its rows of cells."""
    headers: list[str] = []
    place: dict[str, int] = {}
    rows: list[tuple[int, Sequence[Any]]] = []
    if text.skip_white() == "]":
        text.pos += 1
        return headers, rows
    keys = place.keys()
    share = shared.setdefault
    scan = decoder.raw_decode
    n = 0

    def add_keys(item: dict[str, Any]) -> None:
        for key in item:  # a key no item had before
            if key not in place:
                place[key] = len(headers)
                headers.append(key)

    def add(items: Sequence[Any], n: int) -> int:
        """The items as rows of cells, numbered after ``n``; the last number. This is the loop over
        every item, run column by column (each a loop in C, not one in Python per item and key)."""
        if set(map(type, items)) - {dict}:
            raise _Whole
        if not keys >= set().union(*items):
            for item in items:  # keys no item had before, in the order of their first use
                if not keys >= item.keys():
                    add_keys(item)
        columns = []
        for key in headers:
            column = list(map(dict.get, items, repeat(key)))
            if set(map(type, column)) <= _SHARED_TYPES:
                # each text the same object as an equal text before it (codes, names, days repeat)
                column = list(map(share, column, column))
            columns.append(column)
        last = n + len(items)
        cells = zip(*columns, strict=True) if columns else repeat((), len(items))
        rows.extend(zip(range(n + 1, last + 1), cells, strict=True))
        return last

    while True:
        batch = _batch(text, scan) if text.buf.startswith("{", text.pos) else None
        if batch is not None:  # the common case: every item wholly in the text read so far, at once
            items, ended = batch
            n = add(items, n)
            if ended:
                return headers, rows
        else:
            n = add((text.value(decoder),), n)  # one item, running past the text read so far
        char = text.skip_white()
        text.pos += 1
        if char == "]":
            return headers, rows
        if char != ",":
            raise _Whole
        text.skip_white()


_TRIES = 4  # cuts tried before one item at a time is read instead


def _batch(text: _Stream, scan: Any) -> tuple[list[Any], bool] | None:
    """The items of a list wholly in the text read so far, decoded in one call, and whether the
    list ended among them; None when no cut decodes (then items are read one at a time).

    The text is cut after a "}" and decoded as a list: when it decodes to its end, the cut fell
    between two items (a "}" inside a text would leave that text unclosed); when the list
    closes before the cut, its "]" was the table's own and every item of the table is read.
    """
    buf, pos = text.buf, text.pos
    end = len(buf)
    for _try in range(_TRIES):
        cut = buf.rfind("}", pos, end)
        if cut < 0:
            return None
        segment = "[" + buf[pos : cut + 1] + "]"
        try:
            items, stop = scan(segment, 0)
        except (ValueError, RecursionError, InvalidInput):
            end = cut
            continue
        if stop == len(segment):
            text.pos = cut + 1
            return items, False
        text.pos = pos + stop - 1  # just after the list's own "]"
        return items, True
    return None


def _required(table: Any) -> list[str]:
    return [c.key for c in table.columns if c.required]


def check_header(path: Path, doc: dict[str, Any]) -> None:
    """A congtac12 export of a version this program reads, else one line saying what is wrong."""
    if doc.get("format") != FORMAT or "format_version" not in doc:
        raise InvalidInput(
            _(
                '{path} is not a congtac12 export; accepted: a JSON object with "format": "{format}" and a "format_version"'
            ).format(path=path.name, format=FORMAT)
        )
    version = doc["format_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(
            _("{path}: format_version {version!r} is not valid; accepted: 1 to {latest}").format(
                path=path.name, version=version, latest=FORMAT_VERSION
            )
        )
    if version > FORMAT_VERSION:
        raise InvalidInput(
            _(
                "{path} has format_version {version}, newer than this congtac12 reads ({latest}); upgrade congtac12"
            ).format(path=path.name, version=version, latest=FORMAT_VERSION)
        )


def read_whole(path: Path, data: bytes) -> Tables:
    """The whole file at once (a file the stream declines), with the messages of every problem."""
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_int=_bounded_int)
    except InvalidInput as exc:  # a number too long
        raise exc.located(path.name) from None
    except RecursionError:
        raise InvalidInput(
            _("{path}: values nested too deeply; accepted: a congtac12 export (lists of flat objects)").format(
                path=path.name
            )
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            _("{path} is not UTF-8 text; accepted: a JSON file in UTF-8").format(path=path.name)
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            _("{path}, line {line}: not valid JSON ({reason})").format(path=path.name, line=exc.lineno, reason=exc.msg)
        ) from None
    if not isinstance(doc, dict):
        doc = {}  # not an object: check_header says it is not an export
    check_header(path, doc)
    known = {t.name for t in TABLES}
    unknown = [k for k in doc if k not in known and k not in ("format", "format_version")]
    if unknown:
        raise InvalidInput(
            _("{path}: unknown key {key!r}; accepted: format, format_version, {tables}").format(
                path=path.name, key=unknown[0], tables=", ".join(t.name for t in TABLES)
            )
        )
    tables = []
    for table in TABLES:
        items = doc.get(table.name, [])
        if not isinstance(items, list):
            raise InvalidInput(_("{path}: {table} must be a list of objects").format(path=path.name, table=table.name))
        headers: list[str] = []
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict):
                raise InvalidInput(
                    _("{path}, {table} item {n}: not an object; accepted: an object with the keys {keys}").format(
                        path=path.name, table=table.name, n=n, keys=", ".join(table.keys)
                    )
                )
            headers.extend(k for k in item if k not in headers)
        for key in _required(table):  # as empty cells, each named by its row; an optional key no
            if key not in headers:  # item has is a column the file does not have (an older format)
                headers.append(key)
        rows: list[tuple[int, Sequence[Any]]] = [
            (n, tuple(item.get(h) for h in headers)) for n, item in enumerate(items, 1)
        ]
        tables.append((table.name, headers, rows))
    return tables
