"""Policies as data: TOML files, validated into ``rules.Policy``.

Presets ship beside this module as ``<id>.toml``; any other file can be named
by its path. Errors name the key and what it accepts.
"""

from __future__ import annotations

import builtins
import functools
import re
from collections.abc import Iterable
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from congtac12.dates import FIRST_YEAR, LAST_YEAR, in_range, show
from congtac12.domain.policy import ContentMinimum, Exemption, LevelMinimum, Policy, PolicyTexts, ProRating
from congtac12.domain.states import HALF_UP, ROUNDINGS
from congtac12.domain.vocab import KINDS, LEAVE_REASONS, LEVELS
from congtac12.errors import InvalidInput, NotFound
from congtac12.i18n import LANGUAGES, _
from congtac12.text import shown_value

DEFAULT_POLICY = "ha-noi-2020"  # the home preset (the source's year); no longer a fall-back
DEFAULT_SERIES = "ha-noi"  # with no policy chosen: this series' preset of the as-of date's year
REMIND_DAYS_AFTER_WINDOW = 60  # remind of a window's trips until this many days after its end
# Every count of days in a policy (min_days, report_due_days, a minimum's days,
# an exemption's leave days) is at most ten years of days: far beyond any rule,
# and near enough that no date arithmetic on it can leave the years 1900-2999 by much.
MAX_DAYS = 3660


_PRESET_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# The presets' folder: what importlib.resources.files(__name__) is for a package installed as
# files (pip's way), without importing importlib.resources and zipfile on every status.
_HERE = Path(__file__).resolve().parent


@functools.cache
def _preset_ids() -> tuple[str, ...]:
    files = _HERE.iterdir()
    return tuple(sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml")))


def preset_ids() -> list[str]:
    return list(_preset_ids())


@functools.cache
def _preset(name: str) -> Policy:
    """A preset, parsed once per process: the files ship with the package, and a Policy is frozen."""
    preset = _HERE / f"{name}.toml"
    return parse_policy(preset.read_text(encoding="utf-8"), origin=name)


def presets() -> list[Policy]:
    """Every preset shipped in the package, by id."""
    return list(_each_preset())


def _each_preset() -> Iterable[Policy]:
    """The presets by id, each parsed when it is reached: a search that stops early parses no more."""
    return (load_policy(pid) for pid in _preset_ids())


def is_preset(name: str) -> bool:
    return bool(_PRESET_ID.fullmatch(name)) and name in preset_ids()


def load_policy(name: str = DEFAULT_POLICY) -> Policy:
    """A preset by id, or a TOML file by path."""
    if is_preset(name):
        return _preset(name)
    path = Path(name).expanduser()
    from congtac12.atomic import check_name, check_regular

    check_name(path, _("policy"))
    check_regular(path, _("policy"))
    if path.is_file():
        return load_policy_file(path)
    raise NotFound(
        _("no policy {name!r}; accepted: a file path or one of {presets}").format(
            name=name, presets=", ".join(preset_ids())
        )
    )


def load_policy_file(path: Path) -> Policy:
    from congtac12.atomic import check_name, check_regular

    check_name(path, _("policy"))
    check_regular(path, _("policy"))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotFound(
            _("cannot read the policy file {path}: {problem}").format(path=path, problem=exc.strerror)
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            _("policy {origin}: not UTF-8 text; accepted: a UTF-8 TOML file").format(origin=path)
        ) from None
    return parse_policy(text, origin=str(path))


def years_text(policy: Policy) -> str:
    first, last = policy.years
    return str(first) if first == last else f"{first}–{last}"


def preset_of_year(year: int) -> Policy | None:
    """The preset of the default series (``ha-noi``) that covers ``year``, in that year; None if none."""
    for p in _each_preset():
        if p.series == DEFAULT_SERIES and p.covers(year):
            return p.in_year(year)
    return None


def no_policy_for(year: int) -> NotFound:
    """The error of a command that needs a policy when none is chosen and no preset covers the year."""
    years = sorted(y for p in presets() if p.series == DEFAULT_SERIES for y in range(p.years[0], p.years[1] + 1))
    return NotFound(
        _(
            "no policy covers {year}: the {series} presets cover {first}–{last}; choose one with "
            "'congtac12 config set policy ID|FILE' or --policy (the presets: 'congtac12 policy list'), "
            "or write one for {year} (docs/policies.md)"
        ).format(year=year, series=DEFAULT_SERIES, first=years[0], last=years[-1])
    )


def policy_for(name: str, year: int | None, as_of: date) -> Policy:
    """The policy to evaluate with: ``name`` (a preset id or a file), for ``year``.

    * No year: a one-year policy as it is; a yearly repeating one in the year
      whose window holds ``as_of``, else in ``as_of``'s year.
    * A year the policy covers: the policy in that year.
    * Another year: the preset of the same series for that year
      (``ha-noi-2020`` with 2021 -> ``ha-noi-2021``), if there is one.
    """
    base = load_policy(name)
    if year is None:
        if base.repeat_through is None:
            return base
        first, last = base.years
        for y in (as_of.year - 1, as_of.year):
            if base.covers(y) and (p := base.in_year(y)).window_start <= as_of <= p.window_end:
                return p
        if base.covers(as_of.year):
            return base.in_year(as_of.year)
        raise InvalidInput(
            _("policy {id} applies in {years}, and {as_of} is not in them; give --year").format(
                id=base.id, years=years_text(base), as_of=show(as_of)
            )
        )
    if base.covers(year):
        return base.in_year(year)
    if base.series is not None:
        siblings = [p for p in presets() if p.series == base.series]
        for p in siblings:
            if p.covers(year):
                return p.in_year(year)
        offered = ", ".join(f"{p.id} ({years_text(p)})" for p in siblings)
        raise NotFound(
            _(
                "no {series} policy for {year}; the presets of that series are {offered}; "
                "give --policy FILE for another year"
            ).format(series=base.series, year=year, offered=offered)
        )
    raise NotFound(
        _("policy {id} applies in {years}, not {year}; give --policy for {year}").format(
            id=base.id, years=years_text(base), year=year
        )
    )


TOP_KEYS = (
    "id",
    "title",
    "source",
    "assumptions",
    "series",
    "window",
    "repeat_through",
    "min_days",
    "report_due_days",
    "content_minimums",
    "level_minimums",
    "pro_rating",
    "exemptions",
    "remind_days_after_window",
    *LANGUAGES,  # [vi] and [en]: the title, source and assumptions in that language
)
TEXT_KEYS = ("title", "source", "assumptions")


def parse_policy(text: str, *, origin: str) -> Policy:
    import tomllib  # here, not at the top: a command that parses no policy does not load it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            _("policy {origin}: not valid TOML ({problem})").format(origin=origin, problem=exc)
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits, arrays nested thousands deep
        raise InvalidInput(
            _("policy {origin}: not a policy (a number too long or values nested too deeply)").format(origin=origin)
        ) from None
    get = _Reader(data, origin)
    get.known(data, "", TOP_KEYS)
    window = get.table("window")
    get.known(window, "window", ("start", "end"))
    start = get.date(window, "window.start")
    end = get.date(window, "window.end")
    if end < start:
        raise InvalidInput(
            _("policy {origin}: window.end {end} is before window.start {start}").format(
                origin=origin, end=end, start=start
            )
        )
    min_days = get.count(data, "min_days")
    repeat_through = None
    if "repeat_through" in data:
        repeat_through = get.year(data, "repeat_through", at_least=start.year)
        for key, day in (("window.start", start), ("window.end", end)):
            if (day.month, day.day) == (2, 29):
                raise InvalidInput(
                    _(
                        "policy {origin}: {key} is 29 February, which a yearly window cannot "
                        "repeat; accepted: any other day"
                    ).format(origin=origin, key=key)
                )
    content = tuple(
        ContentMinimum(value, share, days)
        for value, share, days in get.minimums("content_minimums", "kind", KINDS, min_days)
    )
    levels = tuple(
        LevelMinimum(value, share, days)
        for value, share, days in get.minimums("level_minimums", "level", LEVELS, min_days)
    )
    return Policy(
        id=get.text(data, "id"),
        title=get.text(data, "title"),
        source=get.text(data, "source"),
        window_start=start,
        window_end=end,
        min_days=min_days,
        report_due_days=get.count(data, "report_due_days"),
        content_minimums=content,
        level_minimums=levels,
        pro_rating=get.pro_rating(),
        exemptions=get.exemptions(),
        assumptions=tuple(get.texts(data, "assumptions")),
        series=get.text(data, "series") if "series" in data else None,
        repeat_through=repeat_through,
        remind_days_after_window=(
            get.count(data, "remind_days_after_window")
            if "remind_days_after_window" in data
            else REMIND_DAYS_AFTER_WINDOW
        ),
        texts=tuple(get.language_texts(lang) for lang in LANGUAGES if lang in data),
    )


_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")


def _share(value: Any, origin: str, key: str) -> Fraction:
    """ "20%", "1/5" or 0.2 -> Fraction(1, 5), exactly (no float rounding)."""
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
        raise InvalidInput(
            _('policy {origin}: {key} {value!r}; accepted: a share such as "20%" or 0.2').format(
                origin=origin, key=key, value=value
            )
        )
    return share


class _Reader:
    """Typed access to a parsed TOML document; every failure names its key."""

    def __init__(self, data: dict[str, Any], origin: str) -> None:
        self.data = data
        self.origin = origin

    def _fail(self, key: str, value: Any, accepted: str) -> InvalidInput:
        shown = _("missing") if value is None else shown_value(value)
        return InvalidInput(
            _("policy {origin}: {key} is {value}; accepted: {accepted}").format(
                origin=self.origin, key=key, value=shown, accepted=accepted
            )
        )

    def _problem(self, key: str, problem: str) -> InvalidInput:
        return InvalidInput(_("policy {origin}: {key} {problem}").format(origin=self.origin, key=key, problem=problem))

    def known(self, table: dict[str, Any], prefix: str, keys: tuple[str, ...]) -> None:
        for key in table:
            if key not in keys:
                name = f"{prefix}.{key}" if prefix else key
                raise InvalidInput(
                    _("policy {origin}: unknown key {key}; accepted here: {accepted}").format(
                        origin=self.origin, key=name, accepted=", ".join(keys)
                    )
                )

    def table(self, key: str, *, required: bool = True) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self._fail(key, value, _("a table"))
        return value

    def list(self, key: str) -> builtins.list[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self._fail(key, value, _("an array of tables"))
        return value

    def text(self, table: dict[str, Any], key: str) -> str:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, value, _("a non-empty string"))
        return value

    def language_texts(self, language: str) -> PolicyTexts:
        """A ``[vi]``/``[en]`` table: title, source, assumptions in that language, each optional."""
        table = self.table(language)
        self.known(table, language, TEXT_KEYS)
        return PolicyTexts(
            language,
            self.text(table, f"{language}.title") if "title" in table else None,
            self.text(table, f"{language}.source") if "source" in table else None,
            tuple(self.texts(table, f"{language}.assumptions")) if "assumptions" in table else None,
        )

    def texts(self, table: dict[str, Any], key: str) -> builtins.list[str]:
        value = table.get(key.rsplit(".", 1)[-1], [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self._fail(key, value, _("an array of non-empty strings"))
        return value

    def date(self, table: dict[str, Any], key: str) -> date:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, date) or isinstance(value, datetime):
            raise self._fail(key, value, _("a date such as 2020-03-01"))
        if not in_range(value):
            raise self._fail(
                key, value, _("a date in the years {first} to {last}").format(first=FIRST_YEAR, last=LAST_YEAR)
            )
        return value

    def count(self, table: dict[str, Any], key: str) -> int:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
            raise self._fail(key, value, _("a whole number of days, 0 to {max}").format(max=MAX_DAYS))
        return value

    def year(self, table: dict[str, Any], key: str, *, at_least: int) -> int:
        value = table.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, int) or isinstance(value, bool) or not at_least <= value <= LAST_YEAR:
            raise self._fail(
                key,
                value,
                _("a year from the window's first year ({year}) to {last}").format(year=at_least, last=LAST_YEAR),
            )
        return value

    def flag(self, table: dict[str, Any], key: str, default: bool) -> bool:
        value = table.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, bool):
            raise self._fail(key, value, _("true or false"))
        return value

    def choice(self, table: dict[str, Any], key: str, choices: Iterable[str], default: str) -> str:
        value = table.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, str) or value not in choices:
            raise self._fail(key, value, ", ".join(choices))
        return value

    def choices(
        self, table: dict[str, Any], key: str, choices: Iterable[str], default: tuple[str, ...]
    ) -> tuple[str, ...]:
        value = table.get(key.rsplit(".", 1)[-1], list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) and v in choices for v in value):
            raise self._fail(key, value, _("an array of some of: {choices}").format(choices=", ".join(choices)))
        return tuple(dict.fromkeys(value))

    def minimums(
        self, key: str, field: str, vocab: dict[str, str], min_days: int
    ) -> builtins.list[tuple[str, Fraction | None, int | None]]:
        """``[[content_minimums]]`` or ``[[level_minimums]]``: (slug, share, days) each."""
        out: builtins.list[tuple[str, Fraction | None, int | None]] = []
        seen: set[str] = set()
        for i, raw in enumerate(self.list(key), 1):
            where = f"{key}[{i}]"
            if not isinstance(raw, dict):
                raise self._problem(where, _("must be a table with {field} and share or days").format(field=field))
            self.known(raw, where, (field, "share", "days"))
            value = raw.get(field)
            if not isinstance(value, str) or value not in vocab:
                raise InvalidInput(
                    _("policy {origin}: {key}.{field} {value!r}; accepted: {accepted}").format(
                        origin=self.origin,
                        key=where,
                        field=field,
                        value=value,
                        accepted=", ".join(vocab),
                    )
                )
            if value in seen:
                raise self._problem(
                    f"{where}.{field}", _("repeats {value!r}; give each at most once").format(value=value)
                )
            seen.add(value)
            if ("share" in raw) == ("days" in raw):
                raise self._problem(where, _("needs exactly one of share or days"))
            if "share" in raw:
                out.append((value, _share(raw["share"], self.origin, f"{where}.share"), None))
                continue
            days = self.count(raw, f"{where}.days")
            if days > min_days:
                # A minimum in days is a share of min_days (pro-rating); more than all is none.
                raise self._fail(f"{where}.days", days, _("at most min_days ({days})").format(days=min_days))
            out.append((value, None, days))
        return out

    def pro_rating(self) -> ProRating:
        table = self.table("pro_rating", required=False)
        self.known(table, "pro_rating", ("enabled", "rounding", "leave_reasons"))
        return ProRating(
            enabled=self.flag(table, "pro_rating.enabled", True),
            rounding=self.choice(table, "pro_rating.rounding", ROUNDINGS, HALF_UP),
            leave_reasons=self.choices(table, "pro_rating.leave_reasons", LEAVE_REASONS, tuple(LEAVE_REASONS)),
        )

    def exemptions(self) -> tuple[Exemption, ...]:
        out = []
        for i, raw in enumerate(self.list("exemptions"), 1):
            where = f"exemptions[{i}]"
            if not isinstance(raw, dict):
                raise self._problem(where, _("must be a table with reasons and min_leave_days"))
            self.known(raw, where, ("reasons", "min_leave_days"))
            if "reasons" not in raw:
                raise self._fail(
                    f"{where}.reasons",
                    None,
                    _("an array of some of: {choices}").format(choices=", ".join(LEAVE_REASONS)),
                )
            reasons = self.choices(raw, f"{where}.reasons", LEAVE_REASONS, ())
            if not reasons:
                raise self._fail(
                    f"{where}.reasons", [], _("an array of some of: {choices}").format(choices=", ".join(LEAVE_REASONS))
                )
            days = self.count(raw, f"{where}.min_leave_days")
            if days == 0:
                raise self._fail(f"{where}.min_leave_days", 0, _("a whole number of days, 1 or more"))
            out.append(Exemption(reasons, days))
        return tuple(out)
