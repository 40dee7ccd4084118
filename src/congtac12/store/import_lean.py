"""The common case of an imported visit's and report's checks, decided without the call per field.

An import checks every row with the validators of ``store.commands`` (``check_visit``,
``check_report``): one truth for what is accepted. Most rows of a large file are plain
— a known kind, a first day on or before the last, a topic that is printable, trimmed,
single-spaced and in NFC — and for those the validators would return the values
unchanged. These predicates recognise such rows in a few string methods; any row they
do not recognise goes to the validators, for the exact normalisation or the exact
error. They only ever say "unchanged" where the validator would (tests/test_import_lean.py
checks them against the validators on random text).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from congtac12.domain.vocab import KINDS
from congtac12.store.limits import MAX_VISIT_DAYS, ORDER_MAX, REPORT_MAX, TOPIC_MAX


def plain_line(value: str, max_len: int) -> bool:
    """Would ``text.clean_field(value, max_len=max_len, required=False)`` return ``value`` itself?

    Printable (no control, zero-width or text-direction character, no white space but the
    space), not empty, no space at either end nor two in a row, in NFC, not too long.
    """
    return (
        0 < len(value) <= max_len
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
        and unicodedata.is_normalized("NFC", value)
    )


def plain_visit(start: date, end: date, kind: str, topic: str | None, order_no: str | None) -> bool:
    """Would ``commands.check_visit`` accept these fields and return the topic and order number as given?"""
    return (
        kind in KINDS
        and start <= end
        and (end - start).days < MAX_VISIT_DAYS
        and (topic is None or plain_line(topic, TOPIC_MAX))
        and (order_no is None or plain_line(order_no, ORDER_MAX))
    )


def plain_report(on: date, visit_end: date, text: str) -> bool:
    """Would ``commands.check_report`` accept the report and return its text as given?

    Printable once its line breaks and tabs are set aside (so no carriage return), nothing
    to trim at either end, in NFC, not too long, dated on or after the visit's last day.
    """
    return (
        on >= visit_end
        and len(text) <= REPORT_MAX
        and (text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable())
        and text == text.strip()
        and unicodedata.is_normalized("NFC", text)
    )
