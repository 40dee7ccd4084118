"""``--json`` as text: exactly ``json.dumps(obj, ensure_ascii=False, indent=2)``, faster.

With ``indent``, Python's own encoder is pure Python (its C encoder writes compact JSON
only): a ``status --json`` of 1,000 cadres spent most of its encoding time in
``json.encoder._iterencode_dict``. This module walks the plain structures the renderers
build (dicts, lists and tuples of text, numbers, booleans and None) as that encoder does,
value type by value type in its order, and hands every list or dict of plain values only
(most of them: a cadre's days by kind, one check) to the standard library's C encoder, with
the item separator of its depth (a comma, a newline and the indentation). What
``json.dumps`` refuses is refused with its ``TypeError``.

``write`` also spares the memory of a large document: the items of a top-level list (the
cadres of a status) are written as they are encoded, never the whole text at once.
"""

from __future__ import annotations

from json import JSONEncoder
from json.encoder import c_make_encoder, encode_basestring  # the C functions when the interpreter has them
from typing import IO, Any

_INFINITY = float("inf")
# Types both encoders write the same; a subclass of str (a StrEnum: a state) joins on first sight.
_PLAIN = {str, int, float, bool, type(None)}
_LEAF: dict[str, Any] = {}  # the indentation of a leaf's items -> the C encoder writing such a leaf
_FLUSH_AT = 4096  # pieces of text (about 100 kB) that ``write`` gathers before writing them


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, the same text."""
    out: list[str] = []
    _write(obj, out, "\n")
    return "".join(out)


def write(obj: Any, file: IO[str], *, end: str = "\n") -> None:
    """``file.write(json.dumps(obj, ensure_ascii=False, indent=2) + end)``, the same text,
    written item by item of a top-level dict's lists (a status: cadre by cadre)."""
    out: list[str] = []
    if type(obj) is dict and obj:
        lead = "{\n  "
        for k, v in obj.items():
            out.append(f"{lead}{_key(k)}: ")
            if type(v) is list and v and not _plain(v):
                item_lead = "[\n    "
                for item in v:
                    out.append(item_lead)
                    _write(item, out, "\n    ")
                    item_lead = ",\n    "
                    if len(out) >= _FLUSH_AT:
                        file.write("".join(out))
                        out.clear()
                out.append("\n  ]")
            else:
                _write(v, out, "\n  ")
            lead = ",\n  "
        out.append("\n}")
    else:
        _write(obj, out, "\n")
    out.append(end)
    file.write("".join(out))


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


def _write(o: Any, out: list[str], nl: str) -> None:
    """Append the text of ``o`` at the indentation ``nl`` (a newline and its spaces)."""
    t = type(o)
    if t is dict:
        if not o:
            out.append("{}")
            return
        inner = nl + "  "
        if _plain(o.values()) and all(type(k) is str for k in o):
            out.append(_leaf(o, inner, nl))
            return
        lead = "{" + inner
        sep = "," + inner
        for k, v in o.items():
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                out.append(f"{lead}{_key(k)}: ")
                _write(v, out, inner)
            else:
                out.append(f"{lead}{_key(k)}: {_scalar(v)}")
            lead = sep
        out.append(nl + "}")
    elif t is list or t is tuple:
        if not o:
            out.append("[]")
            return
        inner = nl + "  "
        if _plain(o):
            out.append(_leaf(o, inner, nl))
            return
        lead = "[" + inner
        sep = "," + inner
        for v in o:
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                out.append(lead)
                _write(v, out, inner)
            else:
                out.append(lead + _scalar(v))
            lead = sep
        out.append(nl + "]")
    elif isinstance(o, (list, tuple, dict)):  # a subclass: as json.dumps takes it, item by item
        _write(dict(o) if isinstance(o, dict) else list(o), out, nl)
    else:
        out.append(_scalar(o))


def _leaf(o: Any, inner: str, nl: str) -> str:
    """A non-empty dict or list of plain values, its items at indentation ``inner``."""
    encode = _LEAF.get(inner)
    if encode is None:
        encode = _LEAF[inner] = _leaf_encoder("," + inner)
    text: str = encode(o)  # "{" item,<inner>item "}": the brackets get their own lines
    return f"{text[0]}{inner}{text[1:-1]}{nl}{text[-1]}"


def _never(o: Any) -> Any:
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")  # a leaf is plain


def _leaf_encoder(separator: str) -> Any:
    """Compact JSON with ``separator`` between items: the C encoder, as ``JSONEncoder`` makes it."""
    if c_make_encoder is None:  # an interpreter without the C encoder
        return JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    # (markers, default, encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan)
    chunks = c_make_encoder(None, _never, encode_basestring, None, ": ", separator, False, False, True)
    return lambda o: "".join(chunks(o, 0))
