"""The JSON export's text, as ``json.dumps(doc, ensure_ascii=False, indent=2)`` writes it, faster."""

from __future__ import annotations

import json
from typing import Any


class _NotFlat(Exception):
    """A value ``json_text`` does not write itself (a float, a nested list or object)."""


def json_text(doc: dict[str, Any]) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=2)``: the same text, written a value at a time
    (the standard encoder with an indent is pure Python, most of an export's time) where ``doc``
    holds scalars and lists of flat objects (str, int, bool, None), as ``json_document`` makes;
    anything else is left to ``json.dumps``."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # a str goes straight to the C escaper

    def value(v: Any) -> str:
        if type(v) is str:
            return encode(v)
        if v is None:
            return "null"
        if type(v) is bool:
            return "true" if v else "false"
        if type(v) is int:
            return int.__repr__(v)
        raise _NotFlat

    def row(item: Any) -> str:
        if type(item) is not dict:
            raise _NotFlat
        if not item:
            return "    {}"
        return "    {\n" + ",\n".join(f"      {encode(k)}: {value(v)}" for k, v in item.items()) + "\n    }"

    try:
        parts = []
        for key, items in doc.items():
            if type(items) is not list:
                parts.append(f"  {encode(key)}: {value(items)}")
            elif not items:
                parts.append(f"  {encode(key)}: []")
            else:
                parts.append(f"  {encode(key)}: [\n" + ",\n".join(row(item) for item in items) + "\n  ]")
    except _NotFlat:
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return "{\n" + ",\n".join(parts) + "\n}" if parts else "{}"
