"""``render.json_text``: the text of ``json.dumps(obj, ensure_ascii=False, indent=2)``, byte for byte.

Every ``--json`` goes through it (``cli.common.print_json``), so it is checked against the
standard library on random documents (hypothesis): nested dicts, lists and tuples of
Vietnamese text with quotes, escapes and control characters, integers of any size,
floats (NaN and infinities too), booleans, None, a StrEnum, keys that are numbers,
booleans or None; and on what it refuses, with ``json.dumps``'s own error.
"""

from __future__ import annotations

import io
import json
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
