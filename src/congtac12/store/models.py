"""The tables: cadres (cán bộ), units (đơn vị), visits (đợt đi cơ sở), reports (báo cáo),
leave (nghỉ), plans (đăng ký), reminders sent, and the audit trail of every change (``change`` and its
``change_item`` rows).

A change to these classes needs a migration in ``store/migrations/versions``
(see its README); ``tests/test_migrations.py`` fails while the two disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Table, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from congtac12.store.limits import (  # the length limits, where no ORM is loaded (documented in the README)
    CODE_MAX as CODE_MAX,
)
from congtac12.store.limits import DECIDED_BY_MAX as DECIDED_BY_MAX
from congtac12.store.limits import DEPARTMENT_MAX as DEPARTMENT_MAX
from congtac12.store.limits import EMAIL_MAX as EMAIL_MAX
from congtac12.store.limits import NAME_MAX as NAME_MAX
from congtac12.store.limits import ORDER_MAX as ORDER_MAX
from congtac12.store.limits import REASON_MAX as REASON_MAX
from congtac12.store.limits import REPORT_MAX as REPORT_MAX
from congtac12.store.limits import TOPIC_MAX as TOPIC_MAX
from congtac12.store.limits import UNIT_NAME_MAX as UNIT_NAME_MAX
from congtac12.store.rows import ROW_ID_MAX as ROW_ID_MAX  # defined where no ORM is loaded
from congtac12.store.rows import is_row_id as is_row_id
from congtac12.store.rows import now_utc as now_utc
from congtac12.text import fold

# --- the folded keys (schema 4) ---------------------------------------------------
# Cadre codes and unit names are unique after case, diacritics and invisible
# characters are folded away, exactly as the command line matches them
# (``text.fold``): "K1" and "k1", or "Quận đoàn Ba Đình" and "quan doan ba dinh",
# cannot both exist, whatever writes them (a command, undo, import, psql).
# The key is a stored column with a unique index, filled here on every write:
# by a column default for Core inserts (import, the seed) and by mapper events
# for the ORM (commands, undo). It is derived, so the history leaves it out.
DERIVED_COLUMNS = frozenset({"code_key", "name_key"})


def cadre_key(code: str) -> str:
    """A code's unique key; codes are ASCII, so this is also SQL's lower(code), which the database checks."""
    return fold(code)


def table_of(model: type) -> Table:
    """The Core table of a model class (SQLModel sets ``__table__`` on each table=True class, untyped)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model!r} is not a table model")
    return table


def unit_key(name: str) -> str:
    return fold(name)


def _key_default(source: str, key: Any) -> Any:
    def default(context: Any) -> str:
        return str(key(context.get_current_parameters()[source]))

    return default


class Cadre(SQLModel, table=True):
    """A full-time cadre (cán bộ chuyên trách)."""

    __table_args__ = (Index("uq_cadre_code_key", "code_key", unique=True),)

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    code: str = Field(unique=True, max_length=CODE_MAX)
    code_key: str = Field(max_length=CODE_MAX, sa_column_kwargs={"default": _key_default("code", cadre_key)})
    name: str = Field(max_length=NAME_MAX)
    department: str = Field(max_length=DEPARTMENT_MAX)  # Ban / Văn phòng
    email: str | None = Field(default=None, max_length=EMAIL_MAX)
    subject: bool = True  # thuộc diện: subject to the 1+2 regime
    joined: date | None = None  # first day of service (None: before any window)
    left: date | None = None  # last day of service (None: still serving)
    created_at: datetime = Field(default_factory=now_utc)
    # Set by 'cadre delete': hidden from lists and status, never erased (schema 2).
    deactivated_at: datetime | None = None


class Unit(SQLModel, table=True):
    """A union at the base: district level (huyen), base (co-so) or branch (chi-doan)."""

    __table_args__ = (Index("uq_unit_name_key", "name_key", unique=True),)

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    name: str = Field(unique=True, max_length=UNIT_NAME_MAX)
    name_key: str = Field(max_length=UNIT_NAME_MAX, sa_column_kwargs={"default": _key_default("name", unit_key)})
    level: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="unit.id")
    created_at: datetime = Field(default_factory=now_utc)


class Visit(SQLModel, table=True):
    """One trip by one cadre to one unit, first to last day inclusive, of one kind."""

    __table_args__ = (
        UniqueConstraint("cadre_id", "unit_id", "start", "end", "kind", name="uq_visit_identical"),
        Index("ix_visit_cadre_start", "cadre_id", "start"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    cadre_id: int = Field(foreign_key="cadre.id")
    unit_id: int = Field(foreign_key="unit.id")
    start: date
    end: date
    kind: str = Field(max_length=16)
    topic: str | None = Field(default=None, max_length=TOPIC_MAX)
    order_no: str | None = Field(default=None, max_length=ORDER_MAX)  # số công lệnh
    created_at: datetime = Field(default_factory=now_utc)
    # Set by 'delete-visit': a soft delete, hidden from counts and lists (schema 2).
    deleted_at: datetime | None = None


class Report(SQLModel, table=True):
    """The result report (báo cáo kết quả) of one visit."""

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    visit_id: int = Field(foreign_key="visit.id", unique=True)
    reported_on: date
    text: str = ""
    created_at: datetime = Field(default_factory=now_utc)
    # Deleted and restored together with its visit (schema 2).
    deleted_at: datetime | None = None


class Setting(SQLModel, table=True):
    """Database-level settings and markers (key/value)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class Leave(SQLModel, table=True):
    """A period of leave (nghỉ) of one cadre, first to last day inclusive."""

    __table_args__ = (Index("ix_leave_cadre_start", "cadre_id", "start"),)

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    cadre_id: int = Field(foreign_key="cadre.id")
    start: date
    end: date
    reason: str = Field(max_length=16)  # thai-san, hoc-tap, om-dau, khac
    created_at: datetime = Field(default_factory=now_utc)


class Plan(SQLModel, table=True):
    """A registered trip (đăng ký): one cadre's intended visit to one unit (schema 5).

    A dated plan covers ``start``..``end``; a month plan has ``days`` set and
    covers its month (``start`` its first day, ``end`` its last). ``state`` is
    the recorded state (draft, submitted, approved, returned; ``done`` and
    ``missed`` are decided as of a date, see ``domain.plans``); ``visit_id`` the
    visit that fulfils it. The database keeps the rules (migration 0005).
    """

    __table_args__ = (
        Index("ix_plan_cadre_start", "cadre_id", "start"),
        Index("ix_plan_unit_start", "unit_id", "start"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    cadre_id: int = Field(foreign_key="cadre.id")
    unit_id: int = Field(foreign_key="unit.id")
    start: date
    end: date
    days: int | None = None  # a month plan's days; None: every day of start..end
    kind: str = Field(max_length=16)
    topic: str | None = Field(default=None, max_length=TOPIC_MAX)
    state: str = Field(default="draft", max_length=16)
    reason: str | None = Field(default=None, max_length=REASON_MAX)  # why it was returned
    decided_by: str | None = Field(default=None, max_length=DECIDED_BY_MAX)  # who approved or returned it
    decided_at: datetime | None = None
    visit_id: int | None = Field(default=None, foreign_key="visit.id", unique=True)
    created_at: datetime = Field(default_factory=now_utc)


# A reminder is of one visit's report or of one plan, never both nor neither (schema 6).
CK_REMINDER_OF_ONE = "ck_reminder_of_one"
REMINDER_OF_ONE = "(visit_id IS NULL) <> (plan_id IS NULL)"


class ReminderSent(SQLModel, table=True):
    """A reminder that the SMTP server accepted, for one visit's report or one plan in one state.

    Exactly one of ``visit_id`` and ``plan_id`` is set (schema 6: plans). ``channel`` is
    "cadre" (the message to the cadre) or "digest" (the summary to an administrator).
    At most one row per visit (or plan), state, day, channel and recipient: that is
    what keeps ``remind --email`` to one reminder a day (two constraints, since a
    NULL never equals another). ``sent_on`` is the run's as-of day; ``sent_at`` the
    moment it was accepted.
    """

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("visit_id", "state", "sent_on", "channel", "recipient", name="uq_reminder_once_a_day"),
        UniqueConstraint("plan_id", "state", "sent_on", "channel", "recipient", name="uq_plan_reminder_once_a_day"),
        CheckConstraint(REMINDER_OF_ONE, name=CK_REMINDER_OF_ONE),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="CASCADE")
    plan_id: int | None = Field(default=None, foreign_key="plan.id", ondelete="CASCADE")
    state: str = Field(max_length=16)  # overdue, due_soon; a plan's starts_soon, missed; digest: submitted
    sent_on: date
    channel: str = Field(max_length=16)  # cadre or digest
    recipient: str = Field(max_length=EMAIL_MAX)
    sent_at: datetime = Field(default_factory=now_utc)


class Change(SQLModel, table=True):
    """One command's change to the record: who, when, what (schema 2).

    Appended in the same transaction as the change itself; ``undoes`` points at
    the change an ``undo`` reverted.
    """

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    at: datetime = Field(default_factory=now_utc)
    who: str = Field(max_length=64)  # the OS user
    action: str = Field(max_length=32)  # e.g. visit.edit, cadre.delete, undo
    summary: str = Field(max_length=1000)
    undoes: int | None = Field(default=None, foreign_key="change.id")


IX_CHANGE_ITEM_LOOKUP = "ix_change_item_lookup"


class ChangeItem(SQLModel, table=True):
    """One row of one table before and after a change, as JSON (None: no row)."""

    __tablename__ = "change_item"
    # A row's history; the lookup of a row in one change (``pg_history``) and of a change's items (schema 7).
    __table_args__ = (
        Index("ix_change_item_entity", "entity", "entity_key"),
        Index(IX_CHANGE_ITEM_LOOKUP, "change_id", "entity", "entity_key"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the INSERT: typed as what is read
    change_id: int = Field(foreign_key="change.id")
    entity: str = Field(max_length=32)  # the table: cadre, unit, visit, report, setting
    entity_key: str = Field(max_length=256)  # the row's primary key, as text
    before: str | None = None
    after: str | None = None


@event.listens_for(Cadre, "before_insert")
@event.listens_for(Cadre, "before_update")
def _cadre_key(_mapper: Any, _conn: Any, cadre: Cadre) -> None:
    cadre.code_key = cadre_key(cadre.code)


@event.listens_for(Unit, "before_insert")
@event.listens_for(Unit, "before_update")
def _unit_key(_mapper: Any, _conn: Any, unit: Unit) -> None:
    unit.name_key = unit_key(unit.name)
