"""``--json`` as text: exactly ``json.dumps(obj, ensure_ascii=False, indent=2)``, faster.

With ``indent``, Python's own encoder is pure Python (its C encoder writes compact JSON
only): a ``status --json`` of 1,000 cadres spends most of its encoding time in
``json.encoder._iterencode_dict``. ``dumps`` walks the plain structures the renderers
build (dicts with text keys, lists, text, numbers, booleans, None) itself, with the C
string encoder of the standard library, and gives the same text; anything else (another
key type or value type, a subclass, a circle) is handed whole to ``json.dumps``, which
then decides (the same text, or the same error). A list or dict of plain values only (most of
them: a cadre's days by kind, one check) is written by the standard library's C encoder,
with the item separator of its depth (a comma, a newline and the indentation).
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring  # the C functions when the interpreter has them
from typing import Any

_INFINITY = float("inf")
# Types written the same by both encoders; a subclass of str (a StrEnum: a state) joins on first sight.
_PLAIN = {str, int, float, bool, type(None)}
_LEAF: dict[str, Any] = {}  # the indentation of a leaf's items -> the C encoder writing such a leaf


class _Unsupported(Exception):
    """Something ``json.dumps`` itself must write (or refuse)."""


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, the same text."""
    out: list[str] = []
    try:
        _write(obj, out, "\n")
    except (_Unsupported, RecursionError):
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return "".join(out)


def _scalar(o: Any) -> str:
    t = type(o)
    if t is str:
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if t is int:
        return int.__repr__(o)
    if t is float:
        if o != o:
            return "NaN"
        if o == _INFINITY:
            return "Infinity"
        if o == -_INFINITY:
            return "-Infinity"
        return float.__repr__(o)
    if isinstance(o, str):  # a StrEnum, as json.dumps writes it: its text
        return encode_basestring(o)
    raise _Unsupported


def _plain(values: Any) -> bool:
    """Whether every value is plain (no list or dict, nothing ``json.dumps`` would convert)."""
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
            if type(k) is not str:
                raise _Unsupported
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                out.append(f"{lead}{encode_basestring(k)}: ")
                _write(v, out, inner)
            elif tv is str:
                out.append(f"{lead}{encode_basestring(k)}: {encode_basestring(v)}")
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
    else:
        out.append(_scalar(o))


def _leaf(o: Any, inner: str, nl: str) -> str:
    """A non-empty dict or list of plain values, its items at indentation ``inner``."""
    encode = _LEAF.get(inner)
    if encode is None:
        encode = _LEAF[inner] = _leaf_encoder("," + inner)
    text: str = encode(o)  # "{" item,<inner>item "}": the brackets get their own lines
    return f"{text[0]}{inner}{text[1:-1]}{nl}{text[-1]}"


def _refuse(o: Any) -> Any:
    raise _Unsupported  # never reached: a leaf holds plain values only


def _leaf_encoder(separator: str) -> Any:
    """Compact JSON with ``separator`` between items: the C encoder as ``JSONEncoder`` makes it."""
    if c_make_encoder is None:  # an interpreter without the C encoder
        return json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    # (markers, default, encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan)
    chunks = c_make_encoder(None, _refuse, encode_basestring, None, ": ", separator, False, False, True)
    return lambda o: "".join(chunks(o, 0))
