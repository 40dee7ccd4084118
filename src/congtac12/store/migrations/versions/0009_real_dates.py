"""Schema 9: on SQLite the years triggers refuse a day that does not exist (29 February 2021).

Schema 4 refused, on SQLite, a date that is not a real ISO date by comparing it
with ``date(x)``; but SQLite's ``date()`` without a modifier gives back the day
it read, checked only for a day of 1 to 31: ``date('2021-02-29')`` and
``date('2020-04-31')`` are themselves, so a psql-like client (``sqlite3``) could
store them, ``db check`` found nothing wrong, and every command reading the row
stopped with a traceback. ``date(x, '+0 days')`` normalizes (``2021-03-01``),
so ``date(x, '+0 days') IS NOT x`` refuses them, and anything that is not a
date, as before; the year bounds are the same, and so is the refusal
(``congtac12:year-out-of-range``, which ``store/translate.py`` turns into the
same line). The triggers are dropped and written again, insert and update, for
every date column schema 8 has one for; the plan's dates, kept by a CHECK of the
plan table (``0005_plans``, ``date(start) IS start``, with the same gap), get the
same pair of triggers beside that CHECK (a CHECK cannot change without rebuilding
the table), so a plan refuses such a day with the same line.

Rows already holding such a day are kept: the upgrade refuses nothing, and
``db check`` (``constraints.dates_out_of_range``, with the same test) lists them.

PostgreSQL stores a ``date``, which is always a real day: there the schema changes
in its version alone.

Measured before writing it (issue 20, ``benchmarks/schema_costs.py``): the
years as a ``CHECK`` (the tables rebuilt) is no cheaper for a bulk insert than
these triggers, so they stay triggers; the indexes proposed for the reads
(``visit("end", start)``, ``report(visit_id, reported_on, deleted_at)``) made the
facts query of ``status`` slower or were not used, and are not added.
"""

from alembic import op

revision = "0009"
down_revision = "0008"

# Written here as schema 9 has them: a revision does not change when the code does.
TAG_YEARS = "congtac12:year-out-of-range"
FIRST_DAY, LAST_DAY = "1900-01-01", "2999-12-31"
DATE_COLUMNS = {
    "cadre": ("joined", "left"),
    "visit": ("start", "end"),
    "report": ("reported_on",),
    "leave": ("start", "end"),
    "reminder_sent": ("sent_on",),
    "plan": ("start", "end"),
}


def years_refused(columns: tuple[str, ...]) -> str:
    """The trigger's WHEN: a column out of the years, or not a day that exists, as ISO text."""
    return " OR ".join(
        f'(NEW."{col}" IS NOT NULL AND (NEW."{col}" < \'{FIRST_DAY}\' OR NEW."{col}" > \'{LAST_DAY}\' '
        f'OR date(NEW."{col}", \'+0 days\') IS NOT NEW."{col}"))'
        for col in columns
    )


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        return
    for table, columns in DATE_COLUMNS.items():
        for event in ("INSERT", "UPDATE"):
            name = f"ck_{table}_years_{event.lower()}"
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
            conn.exec_driver_sql(
                f'CREATE TRIGGER {name} BEFORE {event} ON "{table}" WHEN {years_refused(columns)} '
                f"BEGIN SELECT RAISE(ABORT, '{TAG_YEARS}'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
