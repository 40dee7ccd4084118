"""Schema 4: rules the database keeps itself (issue 15); see ``store/constraints.py``.

cadre.code_key and unit.name_key (the folded code and name) with unique
indexes; year bounds on every date column; a report not dated before its
visit's last day; no live visit recorded after its cadre was deactivated.

First it looks, changing nothing: a database holding rows that break these
rules is refused in one line that lists them, and the transaction is rolled
back (the database stays at schema 3, usable by the congtac12 that made it,
which can fix them: edit-visit, report --replace, delete-visit…).

SQLite cannot add a CHECK to a table in place (it would copy every table), so
there the rules are triggers; PostgreSQL gets CHECK constraints where one row
suffices and triggers (fixed ``search_path``) where another table is read.
"""

import sqlalchemy as sa
from alembic import op

from congtac12.dates import FIRST_DAY, LAST_DAY
from congtac12.errors import DatabaseError
from congtac12.i18n import N_, _, ngettext
from congtac12.store import constraints as c
from congtac12.store.models import cadre_key, unit_key

revision = "0004"
down_revision = "0003"

SHOWN = 5  # violations named in the refusal; db check lists them all


def upgrade() -> None:
    conn = op.get_bind()
    found = c.violations(conn)
    if found:
        listed = "; ".join(v.detail for v in found[:SHOWN])
        more = _(" and {n} more").format(n=len(found) - SHOWN) if len(found) > SHOWN else ""
        raise DatabaseError(
            ngettext(
                N_(
                    "cannot upgrade the database to schema {version}: {n} row breaks rules it now keeps: "
                    "{listed}{more}; nothing was changed (fix it with the congtac12 that made it, then open it again)"
                ),
                N_(
                    "cannot upgrade the database to schema {version}: {n} rows break rules it now keeps: "
                    "{listed}{more}; nothing was changed (fix them with the congtac12 that made it, then open it again)"
                ),
                len(found),
            ).format(version=int(revision), n=len(found), listed=listed, more=more)
        )
    op.add_column("cadre", sa.Column("code_key", sa.String(length=32), nullable=False, server_default=""))
    op.add_column("unit", sa.Column("name_key", sa.String(length=160), nullable=False, server_default=""))
    for table, source, column, key in (
        ("cadre", "code", "code_key", cadre_key),
        ("unit", "name", "name_key", unit_key),
    ):
        t = sa.table(table, sa.column("id"), sa.column(source), sa.column(column))
        rows = conn.execute(sa.select(t.c.id, t.c[source])).all()
        for rid, text in rows:
            conn.execute(sa.update(t).where(t.c.id == rid).values({column: key(text)}))
    op.create_index("uq_cadre_code_key", "cadre", ["code_key"], unique=True)
    op.create_index("uq_unit_name_key", "unit", ["name_key"], unique=True)
    if conn.dialect.name == "postgresql":
        _postgresql(conn)
    else:
        _sqlite(conn)


def _raise_sqlite(tag: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{tag}'); END"


def _sqlite(conn: sa.Connection) -> None:
    run = conn.exec_driver_sql
    for event in ("INSERT", "UPDATE"):
        on = event.lower()
        run(
            f"CREATE TRIGGER ck_cadre_code_key_{on} BEFORE {event} ON cadre "
            f"WHEN NEW.code_key IS NOT lower(NEW.code) {_raise_sqlite(c.TAG_CODE_KEY)}"
        )
        run(
            f"CREATE TRIGGER ck_unit_name_key_{on} BEFORE {event} ON unit "
            f"WHEN NEW.name_key IS NULL OR NEW.name_key = '' {_raise_sqlite(c.TAG_NAME_KEY)}"
        )
    tables: dict[str, list[str]] = {}
    for table, column in c.DATE_COLUMNS:
        tables.setdefault(table, []).append(column)
    lo, hi = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
    for table, columns in tables.items():
        bad = " OR ".join(
            f'(NEW."{col}" IS NOT NULL AND (NEW."{col}" < \'{lo}\' OR NEW."{col}" > \'{hi}\' '
            f'OR date(NEW."{col}") IS NOT NEW."{col}"))'
            for col in columns
        )
        for event in ("INSERT", "UPDATE"):
            run(
                f'CREATE TRIGGER ck_{table}_years_{event.lower()} BEFORE {event} ON "{table}" '
                f"WHEN {bad} {_raise_sqlite(c.TAG_YEARS)}"
            )
    early = 'NEW.reported_on < (SELECT "end" FROM visit WHERE id = NEW.visit_id)'
    run(f"CREATE TRIGGER report_after_trip_insert BEFORE INSERT ON report WHEN {early} {_raise_sqlite(c.TAG_REPORT)}")
    run(
        "CREATE TRIGGER report_after_trip_update BEFORE UPDATE OF reported_on, visit_id ON report "
        f"WHEN {early} {_raise_sqlite(c.TAG_REPORT)}"
    )
    run(
        'CREATE TRIGGER visit_end_before_report BEFORE UPDATE OF "end" ON visit '
        'WHEN EXISTS (SELECT 1 FROM report WHERE visit_id = NEW.id AND reported_on < NEW."end") '
        f"{_raise_sqlite(c.TAG_REPORT)}"
    )
    after = (
        "NEW.deleted_at IS NULL AND EXISTS (SELECT 1 FROM cadre WHERE id = NEW.cadre_id "
        "AND deactivated_at IS NOT NULL AND NEW.created_at > deactivated_at)"
    )
    run(
        f"CREATE TRIGGER visit_of_active_cadre_insert BEFORE INSERT ON visit WHEN {after} {_raise_sqlite(c.TAG_DEACTIVATED)}"
    )
    run(
        "CREATE TRIGGER visit_of_active_cadre_update BEFORE UPDATE OF deleted_at, created_at, cadre_id ON visit "
        f"WHEN {after} {_raise_sqlite(c.TAG_DEACTIVATED)}"
    )
    run(
        "CREATE TRIGGER cadre_deactivated_after_visits BEFORE UPDATE OF deactivated_at ON cadre "
        "WHEN NEW.deactivated_at IS NOT NULL AND EXISTS (SELECT 1 FROM visit WHERE cadre_id = NEW.id "
        f"AND deleted_at IS NULL AND created_at > NEW.deactivated_at) {_raise_sqlite(c.TAG_DEACTIVATED)}"
    )


def _postgresql(conn: sa.Connection) -> None:
    run = conn.exec_driver_sql
    schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
    # pg_temp last: left out, it would be searched first, and a temporary table could stand in for ours.
    path = 'pg_catalog, "' + schema.replace('"', '""') + '", pg_temp'
    for table in ("cadre", "unit"):
        column = "code_key" if table == "cadre" else "name_key"
        run(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
    run("ALTER TABLE cadre ADD CONSTRAINT ck_cadre_code_key CHECK (code_key = lower(code))")
    run("ALTER TABLE unit ADD CONSTRAINT ck_unit_name_key CHECK (name_key <> '')")
    lo, hi = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
    for table, column in c.DATE_COLUMNS:
        run(
            f'ALTER TABLE "{table}" ADD CONSTRAINT ck_{table}_{column}_years '
            f"CHECK (\"{column}\" BETWEEN DATE '{lo}' AND DATE '{hi}')"
        )

    def function(name: str, body: str) -> None:
        # SECURITY DEFINER: the rule sees every row whatever the login's row-level
        # policies hide; a fixed search_path, so no temporary table can stand in.
        run(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            f"SET search_path = {path} AS $body$ BEGIN {body} RETURN NEW; END $body$"
        )

    def refuse(tag: str) -> str:
        return f"RAISE EXCEPTION '{tag}' USING ERRCODE = 'check_violation';"

    function(
        "congtac12_report_after_trip",
        "IF TG_TABLE_NAME = 'report' THEN "
        'IF EXISTS (SELECT 1 FROM visit v WHERE v.id = NEW.visit_id AND NEW.reported_on < v."end") THEN '
        f"{refuse(c.TAG_REPORT)} END IF; "
        'ELSIF EXISTS (SELECT 1 FROM report r WHERE r.visit_id = NEW.id AND r.reported_on < NEW."end") THEN '
        f"{refuse(c.TAG_REPORT)} END IF;",
    )
    function(
        "congtac12_visit_of_active_cadre",
        "IF TG_TABLE_NAME = 'visit' THEN "
        "IF NEW.deleted_at IS NULL AND EXISTS (SELECT 1 FROM cadre k WHERE k.id = NEW.cadre_id "
        "AND k.deactivated_at IS NOT NULL AND NEW.created_at > k.deactivated_at) THEN "
        f"{refuse(c.TAG_DEACTIVATED)} END IF; "
        "ELSIF NEW.deactivated_at IS NOT NULL AND EXISTS (SELECT 1 FROM visit v WHERE v.cadre_id = NEW.id "
        "AND v.deleted_at IS NULL AND v.created_at > NEW.deactivated_at) THEN "
        f"{refuse(c.TAG_DEACTIVATED)} END IF;",
    )
    for name, when, table, fn in (
        ("report_after_trip", "INSERT OR UPDATE OF reported_on, visit_id", "report", "congtac12_report_after_trip"),
        ("visit_end_before_report", 'UPDATE OF "end"', "visit", "congtac12_report_after_trip"),
        (
            "visit_of_active_cadre",
            "INSERT OR UPDATE OF deleted_at, created_at, cadre_id",
            "visit",
            "congtac12_visit_of_active_cadre",
        ),
        ("cadre_deactivated_after_visits", "UPDATE OF deactivated_at", "cadre", "congtac12_visit_of_active_cadre"),
    ):
        run(f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {fn}()")
    # Only the triggers call these.
    for fn in ("congtac12_report_after_trip", "congtac12_visit_of_active_cadre"):
        run(f"REVOKE ALL ON FUNCTION {fn}() FROM PUBLIC")


def downgrade() -> None:
    raise NotImplementedError("congtac12 never downgrades; restore the backup made before the upgrade")
