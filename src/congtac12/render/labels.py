"""The one label table: how states, kinds and rules are named and styled, and single values shown (dates, marks, fractions).

Translated where shown (``_`` at call time), so that ``--lang`` applies to whatever is printed.
"""

from __future__ import annotations

from datetime import UTC, date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from congtac12.domain.states import (
    BEHIND,
    EXEMPT,
    EXEMPT_LEAVE,
    LATE,
    MET,
    NOT_MET,
    NOT_SUBJECT,
    ON_TIME,
    ON_TRACK,
    OVERDUE,
    PENDING,
    PLAN_APPROVED,
    PLAN_DONE,
    PLAN_DRAFT,
    PLAN_MISSED,
    PLAN_RETURNED,
    PLAN_SUBMITTED,
)
from congtac12.domain.vocab import kind_name, level_name
from congtac12.i18n import N_, _

if TYPE_CHECKING:
    from congtac12.domain.policy import Policy, PolicyTexts
    from congtac12.domain.results import Check


class Shown(NamedTuple):
    """How one state is shown: its name (English, translated where shown), its Rich style,
    and how a sheet handed up to the organisation department writes it (Vietnamese).
    A named tuple (read-only, about 1 ms less to make at start than a frozen dataclass)."""

    label: str
    style: str
    sheet: str = ""


# The one table of the states as shown, keyed by the domain's states, in their order
# (tests/test_render.py checks that every state of the domain is here).
CADRE_STATES: dict[str, Shown] = {
    MET: Shown(N_("met"), "bold green", "Đạt"),
    ON_TRACK: Shown(N_("on track"), "green", "Đúng tiến độ"),
    BEHIND: Shown(N_("behind"), "yellow", "Chậm tiến độ"),
    NOT_MET: Shown(N_("not met"), "bold red", "Không đạt"),
    EXEMPT: Shown(N_("exempt"), "dim", "Miễn"),
    NOT_SUBJECT: Shown(N_("not subject"), "dim", "Không thuộc diện"),
}
# A plan's (đăng ký) states; the sheet's words are those typed in Vietnamese too.
PLAN_STATES_SHOWN: dict[str, Shown] = {
    PLAN_DRAFT: Shown(N_("draft"), "dim", "Nháp"),
    PLAN_SUBMITTED: Shown(N_("submitted"), "yellow", "Đã gửi"),
    PLAN_APPROVED: Shown(N_("approved"), "green", "Đã duyệt"),
    PLAN_RETURNED: Shown(N_("returned"), "red", "Trả lại"),
    PLAN_DONE: Shown(N_("done"), "bold green", "Đã thực hiện"),
    PLAN_MISSED: Shown(N_("missed"), "bold red", "Bỏ lỡ"),
}
REPORT_STATES_SHOWN: dict[str, Shown] = {
    OVERDUE: Shown(N_("overdue"), "bold red"),
    PENDING: Shown(N_("pending"), "yellow"),
    LATE: Shown(N_("late"), "red"),
    ON_TIME: Shown(N_("on time"), "green"),
}


def state_label(state: str) -> str:
    return _(CADRE_STATES[state].label)


def sheet_label(state: str) -> str:
    """A cadre's state as a sheet handed up writes it (always Vietnamese)."""
    return CADRE_STATES[state].sheet


def report_state_cell(state: str) -> str:
    shown = REPORT_STATES_SHOWN[state]
    return f"[{shown.style}]{_(shown.label)}[/]"


def policy_texts(p: Policy) -> PolicyTexts:
    """A policy's title, source and assumptions in the interface's language (its ``[vi]``/``[en]`` table)."""
    from congtac12.i18n import current_language

    return p.in_language(current_language())


def show_date(d: date | None) -> str:
    """A date as people read it (``congtac12.dates.show``): 05/03/2020 in Vietnamese, ISO in English."""
    from congtac12.dates import show

    return show(d)


def show_period(start: date, end: date) -> str:
    """ "05/03/2020 to 07/03/2020"; a one-day trip as its one day (``congtac12.dates.show_period``)."""
    from congtac12.dates import show_period as period

    return period(start, end)


def mark(met: bool) -> str:
    return "✓" if met else "✗"


def pace_text(pace: Fraction | None) -> str:
    if pace is None:
        return _("no available day is left")
    from congtac12.render.formats import decimal

    return _("{pace} days/week").format(pace=decimal(pace, 1))


def state_cell(state: str) -> str:
    return f"[{CADRE_STATES[state].style}]{state_label(state)}[/]"


def exempt_text(reason: str | None) -> str:
    if reason == EXEMPT_LEAVE:
        return _("leave reached the policy's threshold")
    return _("no available day in the window")


def equals(x: Fraction) -> str:
    """``= 36``, ``= 7.2`` or ``≈ 30.196`` (``= 7,2``, ``≈ 30,196`` in Vietnamese): a figure as a person checks it."""
    from congtac12.render.formats import decimal

    if x.denominator == 1:
        return f"= {x.numerator}"
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d == 1:  # a finite decimal: shown exactly
        text = f"{float(x):.6f}".rstrip("0")
        if Fraction(text) == x:
            return f"= {decimal(x, len(text.split('.')[1]))}"
    return f"≈ {decimal(x, 3)}"


def share_text(share: Fraction) -> str:
    """20% for a whole percentage, else the fraction (1/3, 30/60)."""
    from congtac12.render.formats import percent

    hundred = share * 100
    if hundred.denominator == 1:
        return percent(hundred)
    return f"{share.numerator}/{share.denominator}"


ROUNDING_TEXT = {  # translated where shown
    "half-up": N_("rounded to the nearest day, halves up"),
    "up": N_("rounded up"),
    "down": N_("rounded down"),
}


def rule_label(rule: str) -> str:
    if rule == "min_days":
        return _("Days at the base")
    if rule == "reports":
        return _("Reports late or overdue")
    if rule.startswith("level:"):
        return level_name(rule.split(":", 1)[1])
    return kind_name(rule.split(":", 1)[1])


# What ``remind --email`` did for a cadre's reminders, as shown in the listing and the digest.
DELIVERY_LABELS = {
    "sent": N_("reminded by email"),
    "dry_run": N_("would be reminded by email (dry run)"),
    "no_email": N_("no email address: not reminded"),
    "refused": N_("the address was refused: not reminded"),
    "not_sent": N_("not reminded: the run stopped on a mail error"),
}


KIND_LETTERS = {"chuyen-de": "C", "phoi-hop": "P", "kiem-tra": "K", "sinh-hoat": "S"}
KIND_STYLES = {"chuyen-de": "cyan", "phoi-hop": "green", "kiem-tra": "magenta", "sinh-hoat": "yellow"}


def day_first(d: date) -> str:
    """05/03/2020: how dates are written in text a clerk pastes into a report (always, whatever the language)."""
    return d.strftime("%d/%m/%Y")


def as_utc(at: Any) -> Any:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def unreachable_text(k: Check, days_left: int) -> str:
    """Why a minimum can no longer be met: "needs 53 days, only 48 available days left"."""
    what = _("days at the base") if k.rule == "min_days" else rule_label(k.rule)
    from congtac12.render.formats import days_text, plural

    left = plural(days_left, N_("{n} available day"), N_("{n} available days"))
    return _("{what}: needs {needed}, only {left} left").format(what=what, needed=days_text(k.shortfall), left=left)
