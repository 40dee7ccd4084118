"""Policies as data: TOML files, validated into ``rules.Policy``.

Presets ship beside this module as ``<id>.toml``; any other file can be named
by its path. Errors name the key and what it accepts.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from congtac12.errors import InvalidInput, NotFound
from congtac12.rules import ContentMinimum, Policy
from congtac12.vocab import KINDS

DEFAULT_POLICY = "ha-noi-2020"


def preset_ids() -> list[str]:
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml"))


def load_policy(name: str = DEFAULT_POLICY) -> Policy:
    """A preset by id, or a TOML file by path."""
    preset = resources.files(__name__).joinpath(f"{name}.toml")
    if preset.is_file():
        return parse_policy(preset.read_text(encoding="utf-8"), origin=name)
    path = Path(name)
    if path.is_file():
        return parse_policy(path.read_text(encoding="utf-8"), origin=str(path))
    raise NotFound(f"no policy {name!r}; accepted: a file path or one of {', '.join(preset_ids())}")


def parse_policy(text: str, *, origin: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"policy {origin}: not valid TOML ({exc})") from None
    get = _Reader(data, origin)
    window = get.table("window")
    start = get.date(window, "window.start")
    end = get.date(window, "window.end")
    if end < start:
        raise InvalidInput(f"policy {origin}: window.end {end} is before window.start {start}")
    minimums = []
    for i, raw in enumerate(get.list("content_minimums"), 1):
        key = f"content_minimums[{i}]"
        if not isinstance(raw, dict):
            raise InvalidInput(f"policy {origin}: {key} must be a table with kind and share or days")
        kind = raw.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            raise InvalidInput(f"policy {origin}: {key}.kind {kind!r}; accepted: {', '.join(KINDS)}")
        if ("share" in raw) == ("days" in raw):
            raise InvalidInput(f"policy {origin}: {key} needs exactly one of share or days")
        if "share" in raw:
            minimums.append(ContentMinimum(kind, share=_share(raw["share"], origin, f"{key}.share")))
        else:
            minimums.append(ContentMinimum(kind, days=get.count(raw, f"{key}.days")))
    return Policy(
        id=get.text(data, "id"),
        title=get.text(data, "title"),
        source=get.text(data, "source"),
        window_start=start,
        window_end=end,
        min_days=get.count(data, "min_days"),
        report_due_days=get.count(data, "report_due_days"),
        content_minimums=tuple(minimums),
    )


_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")


def _share(value: Any, origin: str, key: str) -> Fraction:
    """"20%", "1/5" or 0.2 -> Fraction(1, 5), exactly (no float rounding)."""
    try:
        if isinstance(value, str) and (m := _PERCENT.fullmatch(value)):
            share = Fraction(m.group(1)) / 100
        elif isinstance(value, (str, float, int)) and not isinstance(value, bool):
            share = Fraction(str(value))
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        share = None
    if share is None or not 0 <= share <= 1:
        raise InvalidInput(f"policy {origin}: {key} {value!r}; accepted: a share such as \"20%\" or 0.2")
    return share


class _Reader:
    def __init__(self, data: dict, origin: str) -> None:
        self.data = data
        self.origin = origin

    def _fail(self, key: str, value: Any, accepted: str) -> InvalidInput:
        shown = "missing" if value is None else repr(value)
        return InvalidInput(f"policy {self.origin}: {key} is {shown}; accepted: {accepted}")

    def table(self, key: str) -> dict:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise self._fail(key, value, "a table")
        return value

    def list(self, key: str) -> list:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self._fail(key, value, "an array of tables")
        return value

    def text(self, table: dict, key: str) -> str:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, value, "a non-empty string")
        return value

    def date(self, table: dict, key: str) -> date:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, date) or isinstance(value, datetime):
            raise self._fail(key, value, "a date such as 2020-03-01")
        return value

    def count(self, table: dict, key: str) -> int:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._fail(key, value, "a whole number of days, 0 or more")
        return value
