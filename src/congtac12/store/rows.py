"""Rows a listing shows: plain values that the ORM's reads (``queries``) and the SQL reads
(``read``) both return, so a command renders them alike whichever path read them.

Here a cadre found by name and a visit (``status --cadre``, ``visits``, ``reports``, ``remind``);
the rows of ``cadre list``, ``leave list`` and ``unit list`` are in ``register_rows``, so
that the commands run most often do not make their classes (about 1 ms each at start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

ROW_ID_MAX = 2**63 - 1  # SQLite's largest integer


def is_row_id(n: int) -> bool:
    """Whether ``n`` can be a row id at all (a larger number cannot even be looked up)."""
    return 1 <= n <= ROW_ID_MAX


def now_utc() -> datetime:
    """Now, aware in UTC, to the second: what a row's ``created_at`` and a change's ``at`` record."""
    return datetime.now(UTC).replace(microsecond=0)


def utc(value: datetime) -> datetime:
    """A stored moment in UTC, as SQLModel's UTCDateTime reads it: one without an offset is UTC."""
    # never astimezone() on a naive value: that would read it as the machine's local time
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


class CadreRef(NamedTuple):
    """A cadre found by what a user typed: its id, code and name (a named tuple: read by
    attribute, and quicker to make than a frozen dataclass when ``status --cadre`` starts)."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class VisitRow:
    id: int
    cadre_code: str
    cadre_name: str
    unit: str
    start: date
    end: date
    kind: str
    topic: str | None
    order_no: str | None
    reported_on: date | None
    cadre_email: str | None = None
