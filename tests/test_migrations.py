"""Schema versions: a real schema-1 database (made by main at 001e7dc) upgrades
with every record intact; new databases come from the same revisions; a newer
schema is refused untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import dump_database
from support import old_sqlite_database

from congtac12.store.engine import SCHEMA_VERSION as HEAD

FIXTURE = Path(__file__).parent / "fixtures" / "schema1.db"
TODAY = date.today().isoformat()

# The fixture's records, as tests/fixtures/make_schema1_db.py wrote them.
SCHEMA1_TABLES = {
    "cadre": ["id", "code", "name", "department", "email", "subject", "created_at"],
    "unit": ["id", "name", "level", "parent_id", "created_at"],
    "visit": ["id", "cadre_id", "unit_id", "start", "end", "kind", "topic", "order_no", "created_at"],
    "report": ["id", "visit_id", "reported_on", "text", "created_at"],
    "setting": ["key", "value"],
}


def rows(path: Path, table: str, columns: list[str]) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        cols = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f'SELECT {cols} FROM "{table}" ORDER BY 1').fetchall()
    finally:
        con.close()


def pragma(path: Path, name: str) -> object:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def old_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the schema-1 fixture, the database the commands use."""
    path = tmp_path / "congtac12.db"
    shutil.copyfile(FIXTURE, path)
    os.chmod(path, 0o600)
    monkeypatch.setenv("CONGTAC12_DB", str(path))
    return path


def test_the_fixture_is_a_schema_1_database() -> None:
    assert pragma(FIXTURE, "user_version") == 1
    assert pragma(FIXTURE, "application_id") == 0x43543132
    con = sqlite3.connect(FIXTURE)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert tables == {"cadre", "unit", "visit", "report", "setting"}


def test_schema_version_is_the_newest_revision_and_the_chain_is_linear() -> None:
    from congtac12.store import engine, migrate

    script = migrate.script_directory()
    revisions = sorted(script.walk_revisions(), key=lambda r: r.revision)
    assert [r.revision for r in revisions] == [f"{n:04d}" for n in range(1, engine.SCHEMA_VERSION + 1)]
    assert [r.down_revision for r in revisions] == [None] + [r.revision for r in revisions[:-1]]
    assert migrate.head_version() == engine.SCHEMA_VERSION
    files = sorted(p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("0*.py"))
    assert [f[:4] for f in files] == [r.revision for r in revisions]  # one file per revision


def _schema(path: Path) -> dict[str, object]:
    """Tables, columns, indexes and foreign keys as SQLite reports them (not the DDL text)."""
    con = sqlite3.connect(path)
    try:
        out: dict[str, object] = {}
        for (table,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version' ORDER BY name"
        ):
            indexes = []
            for _seq, name, unique, origin, partial in con.execute(f'PRAGMA index_list("{table}")'):
                cols = [r[2] for r in con.execute(f'PRAGMA index_info("{name}")')]
                indexes.append((unique, origin, partial, tuple(cols), name if origin == "c" else None))
            out[table] = {
                "columns": con.execute(f'PRAGMA table_info("{table}")').fetchall(),
                "indexes": sorted(indexes),
                "foreign_keys": sorted(r[2:5] for r in con.execute(f'PRAGMA foreign_key_list("{table}")')),
            }
        return out
    finally:
        con.close()


def _migrated_to(path: Path, revision: str) -> None:
    from sqlalchemy import create_engine

    from congtac12.store import migrate

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, from_version=0, to=revision)
    engine.dispose()


def test_revision_1_builds_exactly_the_schema_of_main_001e7dc(tmp_path: Path) -> None:
    fresh = tmp_path / "rev1.db"
    _migrated_to(fresh, "0001")
    assert _schema(fresh) == _schema(FIXTURE)


def test_the_revisions_build_what_the_models_describe(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    from congtac12.store import models  # noqa: F401 - the tables

    def diffs(path: Path) -> list:
        engine = create_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            found = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
        engine.dispose()
        return found

    head = tmp_path / "head.db"
    _migrated_to(head, "head")
    assert diffs(head) == []
    # The comparison can fail: schema 1 lacks what revision 2 adds.
    first = tmp_path / "first.db"
    _migrated_to(first, "0001")
    missing = {d[0] for d in diffs(first)}
    assert {"add_table", "add_column"} <= missing


def test_schema_1_database_upgrades_on_first_open_with_every_record_intact(cli, old_db: Path) -> None:
    original = dump_database(FIXTURE)
    run = cli("visits", "--json")
    assert run.code == 0, str(run)
    backup = old_db.with_name(f"congtac12-schema1-{TODAY}.db")
    # One line on stderr says what happened and where the old copy is.
    assert run.stderr == (f"Upgraded {old_db} from schema 1 to {HEAD}; the schema-1 copy is {backup}\n")
    assert backup.stat().st_mode & 0o777 == 0o600
    assert dump_database(backup) == original  # the copy is the database as it was
    assert pragma(old_db, "user_version") == HEAD
    con = sqlite3.connect(old_db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(f"{HEAD:04d}",)]
    con.close()
    # Every record of every table, field by field.
    for table, columns in SCHEMA1_TABLES.items():
        assert rows(old_db, table, columns) == rows(FIXTURE, table, columns), table
    assert len(rows(old_db, "unit", ["id"])) == 32  # 30 seeded + Phúc Xá + its branch
    # New columns are empty: nothing deleted, nobody deactivated; no history before the upgrade.
    assert rows(old_db, "visit", ["deleted_at"]) == [(None,)] * 5
    assert rows(old_db, "report", ["deleted_at"]) == [(None,)] * 3
    assert rows(old_db, "cadre", ["deactivated_at"]) == [(None,)] * 4
    assert rows(old_db, "change", ["id"]) == []

    visits = json.loads(run.stdout)
    assert [(v["id"], v["cadre"], v["unit"], v["start"], v["end"], v["kind"], v["reported_on"]) for v in visits] == [
        (1, "C01", "Quận đoàn Ba Đình", "2020-02-27", "2020-03-03", "chuyen-de", "2020-03-05"),
        (2, "C01", "Đoàn phường Phúc Xá", "2020-03-10", "2020-03-10", "sinh-hoat", "2020-03-25"),
        (3, "C02", "Huyện đoàn Gia Lâm", "2020-04-05", "2020-04-07", "phoi-hop", "2020-04-10"),
        (4, "C03", "Chi đoàn tổ dân phố số 5", "2020-06-01", "2020-06-01", "kiem-tra", None),
        (5, "C40", "Thị đoàn Sơn Tây", "2020-07-20", "2020-07-21", "phoi-hop", None),
    ]
    # C01 as of 31/12/2020: visit 1 counts 1, 2, 3 March (27-29 Feb are outside
    # the window) = 3 days of chuyen-de; visit 2 counts 1 day of sinh-hoat: 4 days.
    status = cli("status", "--cadre", "C01", "--as-of", "31/12/2020", "--json")
    assert status.stderr == "", str(status)
    c01 = json.loads(status.stdout)["cadres"][0]
    assert (c01["days"], c01["days_by_kind"]["chuyen-de"], c01["days_by_kind"]["sinh-hoat"]) == (4, 3, 1)
    # Report 2 dated 25/03, due 10/03 + 10 = 20/03: late; report 1 on time.
    assert (c01["reports"]["on_time"], c01["reports"]["late"]) == (1, 1)

    # Opened again: nothing more to do, nothing said, no second copy.
    again = cli("cadre", "list")
    assert again.code == 0 and again.stderr == "", str(again)
    assert sorted(p.name for p in old_db.parent.glob("congtac12-schema*")) == [backup.name]
    # The upgraded database takes edits and passes its checks.
    assert cli("edit-visit", "4", "--topic", "Kiểm tra chi đoàn").code == 0
    assert cli("db", "check").code == 0


def test_db_upgrade_does_it_explicitly_then_has_nothing_to_do(cli, old_db: Path) -> None:
    taken = old_db.with_name(f"congtac12-schema1-{TODAY}.db")
    taken.write_bytes(b"an earlier copy, kept")
    run = cli("db", "upgrade")
    backup = old_db.with_name(f"congtac12-schema1-{TODAY}-2.db")  # the first name was taken
    assert (run.code, run.stdout, run.stderr) == (
        0,
        f"Upgraded {old_db} from schema 1 to {HEAD}; the schema-1 copy is {backup}\n",
        "",
    ), str(run)
    assert taken.read_bytes() == b"an earlier copy, kept"
    assert backup.stat().st_mode & 0o777 == 0o600
    run = cli("db", "upgrade")
    assert (run.code, run.stdout) == (
        0,
        f"{old_db} is at schema {HEAD}, the newest this congtac12 knows; nothing to do.\n",
    ), str(run)


def test_db_upgrade_of_no_database_is_refused(cli, db: Path) -> None:
    run = cli("db", "upgrade")
    assert run.code == 1 and run.stderr == f"Error: {db} is not a congtac12 database yet; nothing to upgrade\n"
    assert not db.exists()


def test_a_newer_schema_is_refused_untouched(cli, db: Path) -> None:
    from congtac12.store import engine

    assert cli("cadre", "add", "--code", "C01", "--name", "An", "--dept", "VP").code == 0
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {engine.SCHEMA_VERSION + 1}")
    con.close()
    before = db.read_bytes()
    for args in (
        ["cadre", "list"],
        ["add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"],
        ["db", "upgrade"],
        ["db", "check"],
    ):
        run = cli(*args)
        assert run.code == 1, str(run)
        assert run.stderr == (
            f"Error: {db} has schema version {engine.SCHEMA_VERSION + 1}, newer than this congtac12 "
            f"knows ({engine.SCHEMA_VERSION}); "
            "upgrade congtac12. The file was left untouched\n"
        ), str(run)
    assert db.read_bytes() == before
    assert list(db.parent.glob("*schema*")) == []


def test_a_new_database_is_made_by_the_revisions(cli, db: Path) -> None:
    assert cli("init").code == 0
    assert pragma(db, "user_version") == HEAD
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(f"{HEAD:04d}",)]
    con.close()
    assert db.stat().st_mode & 0o777 == 0o600


def test_processes_opening_an_old_database_at_once_upgrade_it_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    shutil.copyfile(FIXTURE, path)
    env = {**os.environ, "CONGTAC12_DB": str(path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "congtac12", "cadre", "list", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _out, _err in results] == [0, 0, 0], results
    assert all(len(json.loads(out)) == 4 for _code, out, _err in results)  # C01, C02, C03, C40
    notes = [err for _code, _out, err in results if err]
    assert len(notes) == 1 and notes[0].startswith(f"Upgraded {path} from schema 1 to {HEAD}"), results
    assert len(list(tmp_path.glob("shared-schema1-*.db"))) == 1
    assert pragma(path, "user_version") == HEAD


def test_a_schema_1_database_that_already_holds_leave_and_reminders_upgrades(cli, old_db: Path) -> None:
    """Builds between schema 1 and revision 3 created leave, reminder_sent and the service
    columns without a revision, and still said schema 1: the upgrade keeps what they hold."""
    con = sqlite3.connect(old_db)
    with con:
        con.execute("ALTER TABLE cadre ADD COLUMN joined DATE")
        con.execute('ALTER TABLE cadre ADD COLUMN "left" DATE')
        con.execute("UPDATE cadre SET joined = '2020-07-01' WHERE code = 'C02'")
        con.execute(
            "CREATE TABLE leave (id INTEGER PRIMARY KEY, cadre_id INTEGER NOT NULL REFERENCES cadre(id),"
            ' start DATE NOT NULL, "end" DATE NOT NULL, reason VARCHAR(16) NOT NULL,'
            " created_at DATETIME NOT NULL)"
        )
        con.execute("INSERT INTO leave VALUES (1, 1, '2020-09-01', '2020-09-30', 'om-dau', '2020-08-01 00:00:00')")
        con.execute(
            "CREATE TABLE reminder_sent (id INTEGER PRIMARY KEY, visit_id INTEGER NOT NULL"
            " REFERENCES visit(id) ON DELETE CASCADE, state VARCHAR(16) NOT NULL, sent_on DATE NOT NULL,"
            " channel VARCHAR(16) NOT NULL, recipient VARCHAR(254) NOT NULL, sent_at DATETIME NOT NULL,"
            " CONSTRAINT uq_reminder_once_a_day UNIQUE (visit_id, state, sent_on, channel, recipient))"
        )
    con.close()
    assert pragma(old_db, "user_version") == 1
    run = cli("leave", "list", "--json")
    assert run.code == 0, str(run)
    assert [(x["id"], x["cadre"], x["start"], x["end"], x["reason"]) for x in json.loads(run.stdout)] == [
        (1, "C01", "2020-09-01", "2020-09-30", "om-dau")
    ]
    assert pragma(old_db, "user_version") == HEAD
    cadres = {c["code"]: c for c in json.loads(cli("cadre", "list", "--json").stdout)}
    assert cadres["C02"]["joined"] == "2020-07-01" and cadres["C01"]["joined"] is None


def schema_5_database(path: Path) -> None:
    """A schema-5 database (the revisions up to 0005) holding a visit's reminders, to its cadre and
    in a digest, as congtac12 at schema 5 recorded them."""
    from congtac12.store.models import unit_key

    at = "'2020-11-01 00:00:00'"
    old_sqlite_database(
        path,
        5,
        (
            "INSERT INTO cadre (id, code, name, department, email, subject, created_at, code_key) VALUES "
            f"(1, 'C01', 'Nguyễn Văn An', 'Ban Tổ chức', 'an.nv@example.vn', 1, {at}, 'c01')",
            (),
        ),
        (
            "INSERT INTO unit (id, name, level, created_at, name_key) VALUES (1, 'Quận đoàn Ba Đình', 'huyen', ?, ?)",
            ("2020-11-01 00:00:00", unit_key("Quận đoàn Ba Đình")),
        ),
        (
            'INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at) VALUES '
            f"(1, 1, 1, '2020-10-01', '2020-10-02', 'sinh-hoat', {at})",
            (),
        ),
        *(
            (
                "INSERT INTO reminder_sent (visit_id, state, sent_on, channel, recipient, sent_at) VALUES "
                f"(1, 'overdue', '2020-11-13', '{channel}', '{to}', '2020-11-13 06:30:00')",
                (),
            )
            for channel, to in (("cadre", "an.nv@example.vn"), ("digest", "btc@thanhdoan.example"))
        ),
    )


def test_a_schema_5_database_with_reminders_upgrades_to_plan_reminders(cli, db: Path) -> None:
    schema_5_database(db)
    before = rows(db, "reminder_sent", ["id", "visit_id", "state", "sent_on", "channel", "recipient", "sent_at"])
    assert len(before) == 2
    run = cli("db", "upgrade")
    assert run.code == 0, str(run)
    assert pragma(db, "user_version") == HEAD == 9
    cols = ["id", "visit_id", "state", "sent_on", "channel", "recipient", "sent_at", "plan_id"]
    assert rows(db, "reminder_sent", cols) == [(*r, None) for r in before]  # every row kept, of its visit
    # The same day's run sends none of them again (nothing is mailed: no server is needed for that).
    js = json.loads(cli("remind", "--as-of", "13/11/2020", "--json").stdout)
    assert [i["visit_id"] for i in js["items"]] == [1]
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="ck_reminder_of_one"):
        con.execute(
            "INSERT INTO reminder_sent (state, sent_on, channel, recipient, sent_at)"
            " VALUES ('missed', '2020-11-13', 'cadre', 'an.nv@example.vn', '2020-11-13 06:30:00')"
        )
    # The year rule of schema 4 stands on the copied table.
    with pytest.raises(sqlite3.IntegrityError, match="year-out-of-range"):
        con.execute(
            "INSERT INTO reminder_sent (visit_id, state, sent_on, channel, recipient, sent_at)"
            " VALUES (1, 'due_soon', '3020-11-13', 'cadre', 'an.nv@example.vn', '2020-11-13 06:30:00')"
        )
    con.close()
    check = cli("db", "check")
    assert check.code == 0, str(check)


def _without_years_triggers(dump: str) -> str:
    """A dump less the SQLite years triggers (``ck_<table>_years_insert/update``), which schema 9 rewrote."""
    return "\n".join(
        line for line in dump.splitlines() if not line.startswith("CREATE TRIGGER ck_") or "_years_" not in line
    )


def _triggers(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"))
    finally:
        con.close()


def test_a_schema_7_database_upgrades_to_schema_8_unchanged_but_its_version(cli, db: Path) -> None:
    """Schema 8 changes a PostgreSQL function (tests/test_plan_undo_pg.py): a SQLite file keeps every row
    and table as it was, and says the new version where the read path looks (user_version) and Alembic's;
    schema 9 after it rewrites only the years triggers (the next test)."""
    from congtac12.store.models import cadre_key

    old_sqlite_database(
        db,
        7,
        (
            "INSERT INTO cadre (id, code, name, department, email, subject, created_at, code_key) VALUES "
            f"(1, 'C01', 'Nguyễn Văn An', 'Ban Tổ chức', NULL, 1, '2020-11-01 00:00:00', '{cadre_key('C01')}')",
            (),
        ),
    )
    before = dump_database(db)
    run = cli("db", "upgrade")
    backup = db.with_name(f"congtac12-schema7-{TODAY}.db")
    expected = f"Upgraded {db} from schema 7 to {HEAD}; the schema-7 copy is {backup}\n"
    assert (run.code, run.stdout) == (0, expected), str(run)
    assert pragma(db, "user_version") == HEAD == 9
    after = _without_years_triggers(dump_database(db))
    assert after == _without_years_triggers(before).replace("VALUES('0007')", "VALUES('0009')") != before
    assert dump_database(backup) == before
    listed = cli("cadre", "list", "--json")  # the read path, on the upgraded file
    assert listed.stderr == "" and [c["code"] for c in json.loads(listed.stdout)] == ["C01"], str(listed)


NO_SUCH_DAYS = ("2021-02-29", "2020-04-31", "2019-06-31")


def test_a_schema_8_database_upgrades_to_schema_9_whose_triggers_refuse_a_day_that_does_not_exist(
    cli, db: Path, tmp_path: Path
) -> None:
    """Schema 8's years triggers let sqlite3 store 29 February 2021 (``date(x)`` gives it back as read);
    schema 9's refuse it, with the same tag (so the same line), on every table and column they guard,
    on insert and on update. A row stored so before the upgrade is kept, and ``db check`` lists it."""
    from congtac12.store.models import cadre_key, unit_key

    old_sqlite_database(
        db,
        8,
        (
            "INSERT INTO cadre (id, code, name, department, email, subject, created_at, code_key) VALUES "
            f"(1, 'C01', 'Nguyễn Văn An', 'Ban Tổ chức', NULL, 1, '2020-11-01 00:00:00', '{cadre_key('C01')}')",
            (),
        ),
        (
            "INSERT INTO unit (id, name, level, created_at, name_key) VALUES "
            f"(1, 'Quận đoàn Ba Đình', 'huyen', '2020-11-01 00:00:00', '{unit_key('Quận đoàn Ba Đình')}')",
            (),
        ),
        (
            'INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at) VALUES '
            "(1, 1, 1, '2020-02-28', '2020-02-29', 'sinh-hoat', '2020-11-01 00:00:00'),"
            "(2, 1, 1, '2021-02-27', '2021-02-29', 'sinh-hoat', '2020-11-01 00:00:00')",  # schema 8 let it in
            (),
        ),
        (  # and its plan table's CHECK (date(x) IS x) too
            'INSERT INTO plan (id, cadre_id, unit_id, start, "end", kind, state, created_at) VALUES '
            "(1, 1, 1, '2021-02-01', '2021-02-29', 'sinh-hoat', 'draft', '2020-11-01 00:00:00')",
            (),
        ),
    )
    run = cli("db", "upgrade")
    assert run.code == 0 and run.stdout.startswith(f"Upgraded {db} from schema 8 to 9;"), str(run)
    assert rows(db, "visit", ["id", "start", "end"]) == [
        (1, "2020-02-28", "2020-02-29"),
        (2, "2021-02-27", "2021-02-29"),
    ]
    check = cli("db", "check")
    assert check.code == 1 and check.stdout.count("✗") == 2, str(check)
    assert "✗ visit 2: end 2021-02-29 is not a day that exists\n" in check.stdout, str(check)
    assert "✗ plan 1: end 2021-02-29 is not a day that exists\n" in check.stdout, str(check)
    check = cli("--lang", "vi", "db", "check")
    assert "visit 2: end 2021-02-29 không phải là một ngày có thật\n" in check.stdout, str(check)
    # The upgraded schema is a new database's, triggers included.
    fresh = tmp_path / "fresh.db"
    assert cli("--db", str(fresh), "init").code == 0
    assert _schema(db) == _schema(fresh) and _triggers(db) == _triggers(fresh)
    con = sqlite3.connect(db)
    inserts = {
        ("cadre", "joined"): "INSERT INTO cadre (code, name, department, subject, created_at, code_key, joined)"
        " VALUES ('C02', 'Trần Bình', 'Ban', 1, '2020-11-01 00:00:00', 'c02', ?)",
        ("cadre", "left"): 'INSERT INTO cadre (code, name, department, subject, created_at, code_key, "left")'
        " VALUES ('C03', 'Lê Chi', 'Ban', 1, '2020-11-01 00:00:00', 'c03', ?)",
        ("visit", "start"): 'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, created_at)'
        " VALUES (1, 1, ?, '2021-12-31', 'sinh-hoat', '2020-11-01 00:00:00')",
        ("visit", "end"): 'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, created_at)'
        " VALUES (1, 1, '2019-01-01', ?, 'sinh-hoat', '2020-11-01 00:00:00')",
        ("report", "reported_on"): "INSERT INTO report (visit_id, reported_on, text, created_at)"
        " VALUES (99, ?, '', '2020-11-01 00:00:00')",  # no such visit: only the years trigger speaks
        ("leave", "start"): 'INSERT INTO leave (cadre_id, start, "end", reason, created_at)'
        " VALUES (1, ?, '2021-12-31', 'ốm', '2020-11-01 00:00:00')",
        (
            "reminder_sent",
            "sent_on",
        ): "INSERT INTO reminder_sent (visit_id, state, sent_on, channel, recipient, sent_at)"
        " VALUES (1, 'due_soon', ?, 'cadre', 'an.nv@example.vn', '2020-11-13 06:30:00')",
        ("plan", "start"): 'INSERT INTO plan (cadre_id, unit_id, start, "end", kind, state, created_at)'
        " VALUES (1, 1, ?, '2020-12-31', 'sinh-hoat', 'draft', '2020-11-01 00:00:00')",
        ("plan", "end"): 'INSERT INTO plan (cadre_id, unit_id, start, "end", kind, state, created_at)'
        " VALUES (1, 1, '2019-06-01', ?, 'sinh-hoat', 'draft', '2020-11-01 00:00:00')",
    }
    for (table, column), sql in inserts.items():
        for day in NO_SUCH_DAYS:
            with pytest.raises(sqlite3.IntegrityError, match="^congtac12:year-out-of-range$"):
                con.execute(sql, (day,))
        con.execute("SAVEPOINT real")  # a day that exists goes in, 29 February of a leap year too
        rid = con.execute(sql, ("2020-02-29",)).lastrowid
        for day in NO_SUCH_DAYS:
            with pytest.raises(sqlite3.IntegrityError, match="^congtac12:year-out-of-range$"):
                con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (day, rid))
        con.execute("ROLLBACK TO real")
    con.execute("UPDATE visit SET topic = 'sửa' WHERE id = 1")  # the other rows stay writable
    con.close()


@pytest.mark.parametrize("old", range(5, HEAD))
def test_congtac12_at_an_older_schema_refuses_a_database_of_this_schema(
    cli, db: Path, monkeypatch: pytest.MonkeyPatch, old: int
) -> None:
    """The refusal of a newer schema, from each of the last versions back: what congtac12 at schema
    ``old`` says of this database."""
    from congtac12.store import sqlite_file

    assert cli("cadre", "add", "--code", "C01", "--name", "An", "--dept", "VP").code == 0
    before = db.read_bytes()
    monkeypatch.setattr(sqlite_file, "SCHEMA_VERSION", old)
    run = cli("cadre", "list")
    assert run.code == 1
    assert run.stderr == (
        f"Error: {db} has schema version {HEAD}, newer than this congtac12 knows ({old}); "
        "upgrade congtac12. The file was left untouched\n"
    )
    assert db.read_bytes() == before


def test_a_schema_5_postgresql_database_with_reminders_upgrades(pg, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: the same upgrade in place (ALTER TABLE), the rows kept, the CHECK kept after."""
    import psycopg

    from congtac12.store import migrate
    from congtac12.store.location import PgUrl
    from congtac12.store.models import cadre_key, unit_key
    from congtac12.store.postgres import make_engine

    name = pg.new_database()
    url = pg.url_of(name, password=pg.password)
    engine = make_engine(PgUrl(url), write=True)
    with engine.begin() as conn:
        migrate.upgrade(conn, from_version=0, to="0005")
        run = conn.exec_driver_sql
        run(
            "INSERT INTO cadre (id, code, name, department, email, subject, created_at, code_key) VALUES "
            f"(1, 'C01', 'Nguyễn Văn An', 'Ban Tổ chức', 'an.nv@example.vn', true, now(), '{cadre_key('C01')}')"
        )
        run(
            "INSERT INTO unit (id, name, level, created_at, name_key) VALUES "
            f"(1, 'Quận đoàn Ba Đình', 'huyen', now(), '{unit_key('Quận đoàn Ba Đình')}')"
        )
        run(
            'INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at) VALUES '
            "(1, 1, 1, '2020-10-01', '2020-10-02', 'sinh-hoat', now())"
        )
        run(
            "INSERT INTO reminder_sent (visit_id, state, sent_on, channel, recipient, sent_at) VALUES "
            "(1, 'overdue', '2020-11-13', 'digest', 'btc@thanhdoan.example', now())"
        )
    engine.dispose()
    monkeypatch.setenv("CONGTAC12_DB", pg.url_of(name))
    monkeypatch.setenv("PGPASSWORD", pg.password)
    done = cli("db", "upgrade")
    assert done.code == 0, str(done)
    assert pg.execute("SELECT version_num FROM alembic_version", database=name) == [(f"{HEAD:04d}",)]
    assert pg.execute("SELECT visit_id, plan_id, state, channel FROM reminder_sent", database=name) == [
        (1, None, "overdue", "digest")
    ]
    with psycopg.connect(url, autocommit=True) as con, pytest.raises(psycopg.errors.CheckViolation):
        con.execute(
            "INSERT INTO reminder_sent (visit_id, plan_id, state, sent_on, channel, recipient, sent_at)"
            " VALUES (NULL, NULL, 'missed', '2020-11-13', 'cadre', 'an.nv@example.vn', now())"
        )
    pg.drop_database(name)


def test_a_schema_8_postgresql_database_upgrades_to_schema_9_by_its_version_alone(
    pg, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL stores a ``date``, always a day that exists: revision 0009 changes nothing there but
    the version; the rows are kept and the database still refuses 29 February 2021."""
    import psycopg

    from congtac12.store import migrate
    from congtac12.store.location import PgUrl
    from congtac12.store.models import cadre_key
    from congtac12.store.postgres import make_engine

    name = pg.new_database()
    url = pg.url_of(name, password=pg.password)
    engine = make_engine(PgUrl(url), write=True)
    with engine.begin() as conn:
        migrate.upgrade(conn, from_version=0, to="0008")
        conn.exec_driver_sql(
            "INSERT INTO cadre (id, code, name, department, email, subject, created_at, code_key, joined) VALUES "
            f"(1, 'C01', 'Nguyễn Văn An', 'Ban Tổ chức', NULL, true, now(), '{cadre_key('C01')}', '2020-02-29')"
        )
    engine.dispose()
    before = pg.dump(name).replace("'0008'", "'0009'")
    monkeypatch.setenv("CONGTAC12_DB", pg.url_of(name))
    monkeypatch.setenv("PGPASSWORD", pg.password)
    done = cli("db", "upgrade")
    assert done.code == 0 and "from schema 8 to 9" in done.stdout, str(done)
    assert pg.execute("SELECT version_num FROM alembic_version", database=name) == [("0009",)]
    # The history's transaction table is made by pg_history.install, which follows every upgrade.
    assert pg.dump(name).replace("-- congtac12_change_tx\n", "") == before
    assert pg.execute("SELECT code, joined FROM cadre", database=name) == [("C01", date(2020, 2, 29))]
    with psycopg.connect(url, autocommit=True) as con, pytest.raises(psycopg.errors.DatetimeFieldOverflow):
        con.execute("UPDATE cadre SET joined = '2021-02-29' WHERE id = 1")
    listed = cli("cadre", "list", "--json")
    assert listed.code == 0 and [c["code"] for c in json.loads(listed.stdout)] == ["C01"], str(listed)
    pg.drop_database(name)
