"""Numbers as a person reads them, by language: the one place that writes them.

Vietnamese writes a decimal comma and a dot between thousands (36,08; 1.234);
English a decimal point and a comma between thousands (36.08; 1,234). A
percentage is written the same way in both, the sign right after the number
("58,3%" / "58.3%"). ``--json`` and files for machines never come here.
Dates are ``congtac12.dates.show`` (and ``show_period``), for the same reason.
"""

from __future__ import annotations

from fractions import Fraction

from congtac12.i18n import N_, current_language, ngettext


def _vi() -> bool:
    return current_language() == "vi"


def _swap(text: str) -> str:
    """English separators (1,234.5) to Vietnamese ones (1.234,5)."""
    return text.translate(str.maketrans({",": ".", ".": ","}))


def integer(n: int) -> str:
    """A whole number with its thousands marked: 36,078 (en), 36.078 (vi)."""
    text = f"{n:,}"
    return _swap(text) if _vi() else text


def decimal(x: float | Fraction | int, places: int = 1, *, trim: bool = False) -> str:
    """A number with ``places`` decimals (``trim``: without trailing zeros): 7.2 / 7,2."""
    text = f"{float(x):,.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return _swap(text) if _vi() else text


def percent(value: float | Fraction | int, places: int = 1) -> str:
    """A percentage (``value`` is already × 100): 58.3% / 58,3%; a whole one without decimals: 20%."""
    whole = float(value).is_integer() if isinstance(value, float) else Fraction(value).denominator == 1
    if whole:
        return f"{integer(int(value))}%"
    return f"{decimal(value, places)}%"


def days_text(n: int) -> str:
    """ "1 day", "3 days" ("1 ngày", "3 ngày")."""
    return plural(n, N_("{n} day"), N_("{n} days"))


def plural(n: int, one: str, many: str, **fields: object) -> str:
    """``one`` or ``many`` (English msgids with ``{n}``, marked with ``N_``), translated and
    filled with ``n`` and ``fields``: "1 cadre", "2 cadres". Vietnamese has no plural: its
    catalog gives both the same text ("1 cán bộ", "2 cán bộ")."""
    return ngettext(one, many, n).format(n=integer(n), **fields)
