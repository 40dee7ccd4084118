"""``render.json_text``: the text of ``json.dumps(obj, ensure_ascii=False, indent=2)``, byte for byte.

Every ``--json`` goes through it (``cli.common.print_json``), so it is checked against the
standard library on random documents (hypothesis): nested dicts, lists and tuples of
Vietnamese text with quotes, escapes and control characters, integers of any size,
floats (NaN and infinities too), booleans, None, a StrEnum, keys that are numbers,
booleans or None; and on what it refuses, with ``json.dumps``'s own error. Lists of many items
of one shape (written from a template) are checked with a few items of other shapes among them:
the keys in another order, a list one longer, a plain value become a list or dict, another document.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congtac12.render.json_text import dumps, write


class Colour(StrEnum):
    RED = "đỏ"
    BLUE = 'xanh "lam"'


class Level(IntEnum):
    LOW = 1


def expected(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["Nguyễn Văn An", "Huyện đoàn Ba Vì", 'a "b" \\ c', "dòng\nmới\t", "\x00\x1f\u2028", ""]
)
scalars = (
    texts
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.none()
    | st.sampled_from([Colour.RED, Colour.BLUE, Level.LOW])
)
keys = texts | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(keys, inner, max_size=5)
        | st.dictionaries(texts, inner, max_size=5)
    ),
    max_leaves=40,
)


def refilled(o: Any, new: Iterator[Any]) -> Any:
    """``o`` with its plain values replaced, in order, by the next of ``new`` (kept once it runs out)."""
    if type(o) is dict:
        return {k: refilled(v, new) for k, v in o.items()}
    if type(o) in (list, tuple):
        return type(o)(refilled(v, new) for v in o)
    return next(new, o)


def changed(o: Any, how: str) -> Any:
    """``o`` with its first list one item longer (``how`` "longer") or its first plain value a
    list or dict ("retyped"); ``o`` itself when it has none."""
    t = type(o)
    if how == "longer" and t is list:
        return [*o, "thêm"]
    if t is dict or t is list or t is tuple:
        pairs = list(o.items()) if t is dict else list(enumerate(o))
        for i, (k, v) in enumerate(pairs):
            new = changed(v, how)
            if new is not v:
                pairs[i] = (k, new)
                return dict(pairs) if t is dict else t(v for _k, v in pairs)
        return o
    return [o] if how == "retyped" and not isinstance(o, dict) else o


@st.composite
def repeated_items(draw: st.DrawFn) -> list[Any]:
    """Many items of one shape (a dict of nested values), its plain values drawn anew each time,
    and a few of other shapes."""
    base = draw(st.dictionaries(texts, documents, min_size=1, max_size=6))
    items = []
    for _ in range(draw(st.integers(min_value=8, max_value=40))):
        how = draw(st.sampled_from(["same"] * 8 + ["reordered", "other", "longer", "retyped"]))
        item = refilled(base, iter(draw(st.lists(scalars, max_size=30))))
        if how == "reordered":
            item = dict(reversed(item.items()))
        elif how == "other":
            item = draw(documents)
        elif how != "same":
            item = changed(item, how)
        items.append(item)
    return items


@settings(max_examples=300, deadline=None)
@given(repeated_items(), st.dictionaries(texts, documents, max_size=2))
def test_items_of_one_shape_are_json_dumps(items: list[Any], top: dict[str, Any]) -> None:
    assert dumps(items) == expected(items)
    assert dumps({"x": [items, items]}) == expected({"x": [items, items]})
    doc = {**top, "cadres": items}
    out = io.StringIO()
    write(doc, out)
    assert out.getvalue() == expected(doc) + "\n"


def test_a_long_status_like_list() -> None:
    """More cadres than one template run holds, a few of other shapes, written as it is made."""

    def cadre(i: int) -> dict[str, Any]:
        return {
            "code": f"B{i:05}",
            "name": 'Nguyễn "Văn" \\ An\x00\n' if i % 7 else "Trần Minh An",
            "state": Colour.RED if i % 2 else Colour.BLUE,
            "exempt": None,
            "days": i,
            "checks": [{"rule": "min_days", "required": 60, "actual": i, "met": i > 60}] * (4 if i % 50 else 0),
            "availability": {"service": {"start": "2020-03-01", "days": 306}, "leave": []} if i % 90 else None,
            "pace_per_week": i / 7 if i % 30 else None,
            "planned": {"days_by_kind": {}, "plans": []},
        }

    doc = {"as_of": "2020-11-13", "cadres": [cadre(i) for i in range(700)]}
    out = io.StringIO()
    write(doc, out)
    assert out.getvalue() == expected(doc) + "\n"
    assert dumps(doc) == expected(doc)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_dumps_is_json_dumps(obj: Any) -> None:
    assert dumps(obj) == expected(obj)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(texts, documents, max_size=4), st.lists(documents, max_size=6))
def test_write_is_json_dumps_and_a_newline(top: dict[str, Any], items: list[Any]) -> None:
    """``write`` writes a top-level dict's lists item by item: the same text as one ``json.dumps``."""
    doc = {**top, "cadres": items}
    out = io.StringIO()
    write(doc, out)
    assert out.getvalue() == expected(doc) + "\n"
    for other in (items, "văn bản", 7, None, {}):
        out = io.StringIO()
        write(other, out)
        assert out.getvalue() == expected(other) + "\n"


def test_hand_counted_shapes() -> None:
    """The shapes written by hand, as ``json.dumps`` writes them."""
    assert dumps({"a": [], "b": {}, "c": [1, {"d": None}]}) == (
        '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": null\n    }\n  ]\n}'
    )
    assert dumps({"state": Colour.RED, "pace": 5.4, "n": 10**40}) == (
        '{\n  "state": "đỏ",\n  "pace": 5.4,\n  "n": ' + str(10**40) + "\n}"
    )
    keyed = {7: "bảy", False: "f", None: "n", 2.5: "x", "chữ": [1.0, True]}
    assert dumps(keyed) == expected(keyed)


@pytest.mark.parametrize("bad", [{"d": object()}, [1, {2, 3}], {("a",): 1}, {"x": [b"bytes"]}])
def test_refused_as_json_dumps_refuses(bad: Any) -> None:
    with pytest.raises(TypeError) as ours:
        dumps(bad)
    with pytest.raises(TypeError) as theirs:
        expected(bad)
    assert str(ours.value) == str(theirs.value)
