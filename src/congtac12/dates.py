"""Parsing and formatting dates.

Accepted everywhere a date is typed: ISO ``2020-03-05``; day-first
``05/03/2020``, ``5/3/2020``, ``5-3-2020`` or ``5.3.2020`` (never month-first);
and the words ``today``/``hôm nay`` and ``yesterday``/``hôm qua``.
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

from congtac12.errors import InvalidInput
from congtac12.i18n import N_, _

ACCEPTED = N_("YYYY-MM-DD, DD/MM/YYYY (day first), 'today' or 'yesterday'")


@functools.cache  # compiled when a date is first parsed: ``--help`` (which reads FIRST_YEAR) parses none
def _forms() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ISO, and day first."""
    return (
        re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII),
        re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", re.ASCII),
    )


_WORDS = {"today": 0, "hom nay": 0, "yesterday": 1, "hom qua": 1}
# The years a date may have, everywhere: typed, imported, in a policy, and in
# the database's own constraints (migration 0004). Far enough for any record;
# bounded so that date arithmetic (a due date, a window's end) never overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2999
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def in_range(d: date) -> bool:
    """Whether a date's year is one congtac12 accepts (FIRST_YEAR to LAST_YEAR)."""
    return FIRST_DAY <= d <= LAST_DAY


def out_of_range(d: date, *, what: str) -> InvalidInput:
    """The error for a date outside the accepted years, shown as people read dates (no Python repr)."""
    return InvalidInput(
        _("{what} {text!r} is out of range; accepted: years {first} to {last}").format(
            what=_(what), text=show(d), first=FIRST_YEAR, last=LAST_YEAR
        )
    )


def parse_date(text: str, *, today: date, what: str = "date") -> date:
    """Return the date ``text`` names, or raise InvalidInput saying what is accepted."""
    from congtac12.text import excerpt, fold

    raw = text.strip()
    word = fold(raw)
    if word in _WORDS:
        return today - timedelta(days=_WORDS[word])
    iso_form, day_first = _forms()
    if m := iso_form.fullmatch(raw):
        year, month, day = (int(g) for g in m.groups())
    elif m := day_first.fullmatch(raw):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    else:
        raise InvalidInput(
            _("{what} {text!r} is not a date; accepted: {accepted}").format(
                what=_(what), text=excerpt(text), accepted=_(ACCEPTED)
            )
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _("{what} {text!r} is out of range; accepted: years {first} to {last}").format(
                what=_(what), text=excerpt(text), first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            _("{what} {text!r} does not exist (day {day}, month {month}, year {year}); accepted: {accepted}").format(
                what=_(what), text=excerpt(text), day=day, month=month, year=year, accepted=_(ACCEPTED)
            )
        ) from None


def show(d: date | None) -> str:
    """A date as people read it: dd/mm/yyyy in Vietnamese, ISO in English; "—" for none."""
    from congtac12.i18n import current_language

    if d is None:
        return "—"
    return d.strftime("%d/%m/%Y") if current_language() == "vi" else d.isoformat()


def show_month(d: date) -> str:
    """A month as people read it: "03/2020". Both languages write mm/yyyy, the form ``--month``
    accepts in both, so a month read can be typed back (a day's form differs: see ``show``)."""
    return f"{d.month:02d}/{d.year}"


def show_period(start: date, end: date) -> str:
    """A span of days as people read it: "05/03/2020 to 07/03/2020", one day as that day alone."""
    if start == end:
        return _("on {day}").format(day=show(start))
    return _("{start} to {end}").format(start=show(start), end=show(end))


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def days_inclusive(start: date, end: date) -> int:
    """Calendar days from start to end, both counted (0 when end < start)."""
    return max(0, (end - start).days + 1)
