"""``--json`` as text: exactly ``json.dumps(obj, ensure_ascii=False, indent=2)``, faster.

With ``indent``, Python's own encoder is pure Python (its C encoder writes compact JSON
only): a ``status --json`` of 1,000 cadres spent most of its encoding time in
``json.encoder._iterencode_dict``. This module walks the plain structures the renderers
build (dicts, lists and tuples of text, numbers, booleans and None) as that encoder does,
value type by value type in its order, and leaves every list or dict of plain values only
(most of them: a cadre's days by kind, one check) to the standard library's C encoder: all
the leaves of a stretch of the document in one ``JSONEncoder.encode`` of their list, items
separated by a comma and a NUL (which JSON text never holds raw: a NUL in a string is
written ``\u0000``), then cut apart where a separator follows a closing bracket (inside a
leaf it follows a value) and each NUL replaced by the leaf's indentation. What
``json.dumps`` refuses is refused with its ``TypeError``.

The items of a list of one repeated shape (the cadres of a status: the same keys in the same
order, lists of the same lengths, plain values in the same places) are written from a template:
the text of the first one's keys, punctuation and indentation is made once, then the plain
values of a run of items that match it are encoded in one ``JSONEncoder.encode`` and set in
its gaps; an item of another shape is walked as above, and after more misses than matches
its shape becomes the template.

``write`` also spares the memory of a large document: the items of a top-level list (the
cadres of a status) are written as they are encoded, never the whole text at once.
"""

from __future__ import annotations

from json import JSONEncoder
from json.encoder import encode_basestring  # the C function when the interpreter has it
from typing import IO, Any, cast

_INFINITY = float("inf")
# Types both encoders write the same; a subclass of str (a StrEnum: a state) joins on first sight.
_PLAIN = {str, int, float, bool, type(None)}
_NUL_SEP = ",\0"  # the item separator of leaves encoded together: a comma and a NUL
# A leaf holds no list or dict, so no reference can go round in one: no check for it.
_LEAVES = JSONEncoder(ensure_ascii=False, separators=(_NUL_SEP, ": "), check_circular=False).encode
_BOUNDS = [(c, o) for c in "]}" for o in "[{"]  # a leaf's closing bracket, the next one's opening
_FLUSH_AT = 4096  # pieces of text (about 100 kB) that ``write`` gathers before writing them
_RUN = 32  # the items (about 60 kB of a status) filled from a template at once, at most
_MIN_ITEMS = 8  # a shorter list is walked: a template would not pay
_NO_SHAPE: Any = object()  # a value no template holds (a key that is no text, a subclass of list…)


class _Text:
    """The text of a document in pieces, a leaf's place held by None until ``flush``."""

    def __init__(self) -> None:
        self.pieces: list[str | None] = []
        self.leaves: list[tuple[Any, str, str]] = []  # (leaf, its items' indentation, its own)

    def text(self) -> str:
        """The pieces so far, leaves written in, as text; the collector starts again empty."""
        written: list[str] = [""] * len(self.leaves)
        by_indent: dict[str, list[int]] = {}
        for i, (_leaf, inner, _nl) in enumerate(self.leaves):
            by_indent.setdefault(inner, []).append(i)
        for inner, which in by_indent.items():
            # "[" leaf ",\0" leaf … "]": every separator made the leaves' own (a comma and the
            # indentation), then each closing bracket followed by one (between two leaves:
            # inside a leaf a separator follows a value) given its line and cut after
            nl = inner[:-2]
            text = _LEAVES([self.leaves[i][0] for i in which])[1:-1].replace(_NUL_SEP, "," + inner)
            for close, opening in _BOUNDS:
                text = text.replace(f"{close},{inner}{opening}", f"{nl}{close}\0{opening}{inner}")
            for i, leaf in zip(which, text.split("\0"), strict=True):
                written[i] = leaf
            first, last = which[0], which[-1]
            head = written[first]
            written[first] = f"{head[0]}{inner}{head[1:]}"
            tail = written[last]
            written[last] = f"{tail[:-1]}{nl}{tail[-1]}"
        leaves = iter(written)
        text = "".join([next(leaves) if p is None else p for p in self.pieces])
        self.pieces.clear()
        self.leaves.clear()
        return text


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, the same text."""
    out = _Text()
    _write(obj, out, "\n")
    return out.text()


def write(obj: Any, file: IO[str], *, end: str = "\n") -> None:
    """``file.write(json.dumps(obj, ensure_ascii=False, indent=2) + end)``, the same text,
    written item by item of a top-level dict's lists (a status: cadre by cadre)."""
    out = _Text()
    pieces = out.pieces
    if type(obj) is dict and obj:
        lead = "{\n  "
        for k, v in obj.items():
            pieces.append(f"{lead}{_key(k)}: ")
            if type(v) is list and v and not _plain(v):
                pieces.append("[\n    ")
                _items(v, out, "\n    ", file)
                pieces.append("\n  ]")
            else:
                _write(v, out, "\n  ")
            lead = ",\n  "
        pieces.append("\n}")
    else:
        _write(obj, out, "\n")
    pieces.append(end)
    file.write(out.text())


def _scalar(o: Any) -> str:
    """A value that is no list, tuple or dict, in ``json.encoder._make_iterencode``'s order."""
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return _float(o)
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INFINITY:
        return "Infinity"
    if o == -_INFINITY:
        return "-Infinity"
    return float.__repr__(o)


def _key(k: Any) -> str:
    """A dict key as ``json.dumps`` writes it (a number, a boolean or None becomes text)."""
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, float):
        return encode_basestring(_float(k))
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return encode_basestring(int.__repr__(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _plain(values: Any) -> bool:
    """Whether every value is plain: no container, nothing the two encoders write differently."""
    for v in values:
        t = type(v)
        if t not in _PLAIN:
            if not issubclass(t, str):
                return False
            _PLAIN.add(t)
    return True


def _write(o: Any, text: _Text, nl: str) -> None:
    """Append the text of ``o`` at the indentation ``nl`` (a newline and its spaces)."""
    out = text.pieces
    t = type(o)
    if t is dict:
        if not o:
            out.append("{}")
            return
        inner = nl + "  "
        if _plain(o.values()) and all(type(k) is str for k in o):
            out.append(None)
            text.leaves.append((o, inner, nl))
            return
        lead = "{" + inner
        sep = "," + inner
        if not all(type(k) is str for k in o):
            for k, v in o.items():
                tv = type(v)
                if tv is dict or tv is list or tv is tuple:
                    out.append(f"{lead}{_key(k)}: ")
                    _write(v, text, inner)
                else:
                    out.append(f"{lead}{_key(k)}: {_scalar(v)}")
                lead = sep
            out.append(nl + "}")
            return
        for k, v in o.items():  # text keys (every dict of a status): the common values without a call
            tv = type(v)
            if tv is str:
                out.append(f"{lead}{encode_basestring(k)}: {encode_basestring(v)}")
            elif tv is int:
                out.append(f"{lead}{encode_basestring(k)}: {int.__repr__(v)}")
            elif v is None:
                out.append(f"{lead}{encode_basestring(k)}: null")
            elif tv is dict or tv is list or tv is tuple:
                out.append(f"{lead}{encode_basestring(k)}: ")
                _write(v, text, inner)
            else:
                out.append(f"{lead}{encode_basestring(k)}: {_scalar(v)}")
            lead = sep
        out.append(nl + "}")
    elif t is list or t is tuple:
        if not o:
            out.append("[]")
            return
        inner = nl + "  "
        if _plain(o):
            out.append(None)
            text.leaves.append((o, inner, nl))
            return
        out.append("[" + inner)
        _items(o, text, inner)
        out.append(nl + "]")
    elif isinstance(o, (list, tuple, dict)):  # a subclass: as json.dumps takes it, item by item
        _write(dict(o) if isinstance(o, dict) else list(o), text, nl)
    else:
        out.append(_scalar(o))


def _items(items: Any, text: _Text, inner: str, file: IO[str] | None = None) -> None:
    """Append the items of a list at the indentation ``inner``, separated by a comma and it, each
    item of the template's shape from the template; into ``file`` as they are made, if given."""
    out = text.pieces
    sep = "," + inner
    template: _Template | None = None
    values: list[Any] = []  # the plain values of the run: the items matched since the last fill
    run = hits = misses = 0
    lead = ""
    for v in items:
        tv = type(v)
        container = tv is dict or tv is list or tv is tuple
        if container and template is not None and template.match(v, values):
            if not run:
                out.append(lead)
            run += 1
            hits += 1
            if run == _RUN:
                out.append(template.fill(values, run, sep))
                run = 0
                if file is not None:
                    file.write(text.text())
            lead = sep
            continue
        if run:  # the run ends: its text before this item's
            out.append(template.fill(values, run, sep))  # type: ignore[union-attr]
            run = 0
        out.append(lead)
        _write(v, text, inner)  # a plain value, an item of another shape or a subclass of dict…
        if container:
            misses += 1
            if misses > hits and len(items) >= _MIN_ITEMS:
                template = _Template.of(v, inner)
                hits = misses = 0
            if file is not None and len(out) >= _FLUSH_AT:
                file.write(text.text())
        lead = sep
    if run:
        out.append(template.fill(values, run, sep))  # type: ignore[union-attr]


class _Template:
    """The text of one shape of item at one indentation, a gap for each plain value."""

    def __init__(self, shape: Any, gaps: list[str]) -> None:
        self.shape = shape
        self.gaps = len(gaps) - 1
        self.first = gaps[0]
        self.unit: list[str | None] = []  # an item after ``first``: a gap, a text, … a gap, the last text
        for g in gaps[1:]:
            self.unit += (None, g)
        self.last = gaps[-1]

    @classmethod
    def of(cls, item: Any, nl: str) -> _Template | None:
        """The template of ``item``'s shape, or None if a value of it is not for a template."""
        gaps = [""]
        shape = _shape(item, nl, gaps)
        return None if shape is _NO_SHAPE else cls(shape, gaps)

    def match(self, item: Any, values: list[Any]) -> bool:
        """Whether ``item`` has the template's shape; if so its plain values are appended to ``values``."""
        mark = len(values)
        if _match(item, self.shape, values):
            return True
        del values[mark:]
        return False

    def fill(self, values: list[Any], count: int, sep: str) -> str:
        """The text of ``count`` items whose plain values are ``values``, separated by ``sep``; ``values`` emptied."""
        if not self.gaps:
            return sep.join([self.first] * count)
        unit = self.unit
        unit[-1] = f"{self.last}{sep}{self.first}"
        pieces = [self.first, *unit * count]
        pieces[1::2] = _LEAVES(values)[1:-1].split(_NUL_SEP)
        pieces[-1] = self.last
        values.clear()
        return "".join(cast("list[str]", pieces))  # every gap (None) filled by the slice above


def _shape(o: Any, nl: str, gaps: list[str]) -> Any:
    """The shape of ``o`` at the indentation ``nl``, its text added to ``gaps`` (a new one after each
    plain value); ``_NO_SHAPE`` if some value of it is not for a template. A plain value's shape is
    None; a list's, tuple's or dict's: its type, its keys (a dict's) or None, its length, and its
    values' shapes (None when they are all plain)."""
    t = type(o)
    if t is dict or t is list or t is tuple:
        if not o:
            gaps[-1] += "{}" if t is dict else "[]"
            return (t, () if t is dict else None, 0, None)
        if t is dict and not all(type(k) is str for k in o):
            return _NO_SHAPE
        inner = nl + "  "
        lead = ("{" if t is dict else "[") + inner
        subs = []
        for k, v in o.items() if t is dict else enumerate(o):
            gaps[-1] += f"{lead}{encode_basestring(cast(str, k))}: " if t is dict else lead
            sub = _shape(v, inner, gaps)
            if sub is _NO_SHAPE:
                return _NO_SHAPE
            subs.append(sub)
            lead = "," + inner
        gaps[-1] += nl + ("}" if t is dict else "]")
        plain = all(sub is None for sub in subs)
        return (t, tuple(o) if t is dict else None, len(o), None if plain else tuple(subs))
    if _plain((o,)):
        gaps.append("")
        return None
    return _NO_SHAPE


def _match(o: Any, shape: Any, values: list[Any]) -> bool:
    """Whether ``o`` has the (container's) ``shape``, its plain values appended to ``values`` as found."""
    t, keys, n, subs = shape
    if type(o) is not t or len(o) != n:
        return False
    if keys is not None:
        if tuple(o) != keys:
            return False
        o = o.values()
    if subs is None:
        if not (_PLAIN.issuperset(map(type, o)) or _plain(o)):
            return False
        values += o
        return True
    for v, sub in zip(o, subs, strict=True):
        if sub is None:
            if type(v) not in _PLAIN and not _plain((v,)):
                return False
            values.append(v)
        elif not _match(v, sub, values):
            return False
    return True
