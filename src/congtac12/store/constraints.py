"""The rules the database itself keeps (schema 4), on SQLite and PostgreSQL alike.

Migration ``0004_constraints`` adds them; whatever writes the record (a
command, ``undo``, ``import``, psql, sqlite3, a future front end) is held to them:

* cadre codes and unit names are unique after folding (``models.cadre_key``,
  ``models.unit_key``): a stored key column with a unique index; the database
  checks that a code's key is ``lower(code)`` (codes are ASCII) and that a
  unit's key is not empty; ``db check`` that each key is the name's fold;
* every date column holds a year from ``dates.FIRST_YEAR`` to ``dates.LAST_YEAR``
  (a CHECK on PostgreSQL; a trigger on SQLite, which also refuses text that is
  not a real ISO date);
* a report is not dated before its visit's last day (triggers on report and on
  visit, both backends: a CHECK cannot look at another table);
* no live visit recorded after its cadre was deactivated (triggers on visit and
  on cadre, both backends; ``db check`` flags it too);
* a plan (schema 5, ``0005_plans``): years in range, last day on or after the
  first, a dated plan of at most 366 days, a month plan covering exactly its
  month with 1 to that month's days, a recorded state (draft, submitted,
  approved, returned), a known kind, a reason when returned, who decided when
  approved or returned, a linked visit only when approved, and that visit its
  own cadre's (a trigger on both backends).

A trigger refuses with a tag (``congtac12:…``); ``message`` turns a refusal of
the database into the user's one line. ``violations`` lists the rows of a
database that break these rules: the migration refuses to upgrade while there
are any, and ``db check`` reports them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from congtac12.dates import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR
from congtac12.i18n import _
from congtac12.text import excerpt

# (table, column) of every date column.
DATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cadre", "joined"),
    ("cadre", "left"),
    ("visit", "start"),
    ("visit", "end"),
    ("report", "reported_on"),
    ("leave", "start"),
    ("leave", "end"),
    ("reminder_sent", "sent_on"),
)
# The plan's (schema 5: a CHECK of its table, and schema 9's triggers beside it). Apart, since
# 0004_constraints reads DATE_COLUMNS to write schema 4, which has no plan table.
PLAN_DATE_COLUMNS: tuple[tuple[str, str], ...] = (("plan", "start"), ("plan", "end"))
TAG_YEARS = "congtac12:year-out-of-range"
TAG_REPORT = "congtac12:report-before-trip-end"
TAG_DEACTIVATED = "congtac12:visit-of-deactivated-cadre"
TAG_CODE_KEY = "congtac12:code-key"
TAG_NAME_KEY = "congtac12:name-key"
TAG_PLAN_VISIT = "congtac12:plan-visit-of-another-cadre"
CK_PLAN_YEARS = "ck_plan_years"
CK_PLAN_ORDER = "ck_plan_order"
CK_PLAN_LENGTH = "ck_plan_length"
CK_PLAN_MONTH = "ck_plan_month"
CK_PLAN_STATE = "ck_plan_state"
CK_PLAN_KIND = "ck_plan_kind"
CK_PLAN_REASON = "ck_plan_reason"
CK_PLAN_DECIDED = "ck_plan_decided"
CK_PLAN_VISIT = "ck_plan_visit"


def _messages() -> list[tuple[tuple[str, ...], Callable[[], str]]]:
    return [
        ((TAG_YEARS, "_years"), lambda: _("a date is out of range; accepted: years {first} to {last}")),
        ((TAG_REPORT,), lambda: _("a report would be dated before its visit's last day")),
        ((TAG_DEACTIVATED,), lambda: _("a visit would be recorded for a cadre after the cadre was deactivated")),
        ((CK_PLAN_YEARS,), lambda: _("a plan's date is out of range; accepted: years {first} to {last}")),
        ((CK_PLAN_ORDER,), lambda: _("a plan's last day would come before its first")),
        ((CK_PLAN_LENGTH,), lambda: _("a plan would be longer than 366 days")),
        (
            (CK_PLAN_MONTH,),
            lambda: _("a month plan must cover its whole month and plan 1 to the month's days"),
        ),
        ((CK_PLAN_STATE,), lambda: _("a plan's state must be draft, submitted, approved or returned")),
        ((CK_PLAN_KIND,), lambda: _("a plan's kind must be one of the content kinds")),
        ((CK_PLAN_REASON,), lambda: _("a returned plan needs a reason")),
        ((CK_PLAN_DECIDED,), lambda: _("an approved or returned plan needs who decided")),
        ((CK_PLAN_VISIT,), lambda: _("only an approved plan can be fulfilled by a visit")),
        ((TAG_PLAN_VISIT,), lambda: _("a plan can be fulfilled only by a visit of its own cadre")),
        (
            ("uq_cadre_code_key", "cadre.code_key", TAG_CODE_KEY),
            lambda: _("a cadre code would be taken twice (codes are the same whatever their case)"),
        ),
        (
            ("uq_unit_name_key", "unit.name_key", TAG_NAME_KEY),
            lambda: _("a unit name would be taken twice (names are the same whatever their case and diacritics)"),
        ),
    ]


def message(reason: str) -> str | None:
    """The rule a refusal of the database names, in the user's words; None for any other refusal."""
    for marks, text in _messages():
        if any(mark in reason for mark in marks):
            return text().format(first=FIRST_YEAR, last=LAST_YEAR)
    return None


@dataclass(frozen=True)
class Violation:
    check: str  # a slug, as db check shows it
    detail: str


def _rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.exec_driver_sql(sql)]


def violations(conn: Connection) -> list[Violation]:
    """Every row that breaks one of the rules above (none in a database these rules guard)."""
    return duplicates(conn) + dates_out_of_range(conn) + visits_of_deactivated(conn) + reports_before_trips(conn)


def duplicates(conn: Connection) -> list[Violation]:
    from congtac12.store.models import cadre_key, unit_key

    return _same_key(
        conn, "SELECT id, code FROM cadre ORDER BY id", cadre_key, "duplicate-code", _("cadre codes")
    ) + _same_key(conn, "SELECT id, name FROM unit ORDER BY id", unit_key, "duplicate-unit", _("unit names"))


def not_a_real_day(expr: str) -> str:
    """SQLite: ``expr`` is not ISO text of a day that exists. ``date(x)`` alone gives back a day of 1 to
    31 of any month as it was read (``2021-02-29``); with a modifier it normalizes (schema 9)."""
    return f"date({expr}, '+0 days') IS NOT {expr}"


def dates_out_of_range(conn: Connection) -> list[Violation]:
    sqlite = conn.dialect.name == "sqlite"
    found = []
    columns = DATE_COLUMNS
    if sa.inspect(conn).has_table("plan"):  # db check runs in the migrations too, before schema 5 made it
        columns += PLAN_DATE_COLUMNS
    for table, column in columns:
        bad = f"\"{column}\" < '{FIRST_DAY.isoformat()}' OR \"{column}\" > '{LAST_DAY.isoformat()}'"
        if sqlite:  # text on SQLite: also anything that is not a day that exists, written as ISO
            bad += " OR " + not_a_real_day(f'"{column}"')
        for rid, value in _rows(
            conn, f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL AND ({bad}) ORDER BY id'
        ):  # noqa: S608 - our own table and column names
            text = str(value)
            if sqlite and FIRST_DAY.isoformat() <= text <= LAST_DAY.isoformat():  # in the years: no such day
                detail = _("{table} {id}: {column} {value} is not a day that exists").format(
                    table=table, id=rid, column=column, value=excerpt(text, 20)
                )
            else:
                detail = _("{table} {id}: {column} {value} is outside the years {first} to {last}").format(
                    table=table, id=rid, column=column, value=excerpt(text, 20), first=FIRST_YEAR, last=LAST_YEAR
                )
            found.append(Violation("date-out-of-range", detail))
    return found


def reports_before_trips(conn: Connection) -> list[Violation]:
    return [
        Violation(
            "report-before-trip-end",
            _("the report of visit {vid} is dated {on}, before the trip ended on {end}").format(
                vid=vid, on=on, end=end
            ),
        )
        for vid, on, end in _rows(
            conn,
            """SELECT v.id, r.reported_on, v."end" FROM report r JOIN visit v ON v.id = r.visit_id
               WHERE r.reported_on < v."end" ORDER BY v.id""",
        )
    ]


def visits_of_deactivated(conn: Connection) -> list[Violation]:
    return [
        Violation(
            "visit-of-deactivated-cadre",
            _("visit {vid} was recorded for {code} after the cadre was deactivated").format(vid=vid, code=code),
        )
        for vid, code in _rows(
            conn,
            """SELECT v.id, c.code FROM visit v JOIN cadre c ON c.id = v.cadre_id
               WHERE v.deleted_at IS NULL AND c.deactivated_at IS NOT NULL
                 AND v.created_at > c.deactivated_at ORDER BY v.id""",
        )
    ]


def _same_key(conn: Connection, sql: str, key: Callable[[str], str], check: str, what: str) -> list[Violation]:
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for rid, text in _rows(conn, sql):
        groups[key(text)].append((rid, text))
    return [
        Violation(
            check,
            _("{what} {names} are the same once case and diacritics are ignored (ids {ids})").format(
                what=what,
                names=", ".join(repr(excerpt(t, 40)) for _i, t in rows),
                ids=", ".join(str(i) for i, _t in rows),
            ),
        )
        for rows in groups.values()
        if len(rows) > 1
    ]


def stale_keys(conn: Connection) -> list[Violation]:
    """Keys that are not their code's or name's fold (written around congtac12, e.g. by psql)."""
    from congtac12.store.models import cadre_key, unit_key

    found = []
    for table, source, column, key in (
        ("cadre", "code", "code_key", cadre_key),
        ("unit", "name", "name_key", unit_key),
    ):
        for rid, text, stored in _rows(conn, f"SELECT id, {source}, {column} FROM {table} ORDER BY id"):  # noqa: S608
            if stored != key(text):
                found.append(
                    Violation(
                        "stale-key",
                        _("{table} {id}: the key {stored!r} is not the folded {source} {text!r}").format(
                            table=table, id=rid, stored=excerpt(str(stored), 40), source=source, text=excerpt(text, 40)
                        ),
                    )
                )
    return found
