"""The import on the driver's connection (store/write): the SQL it writes the history with is the
models' (``audit.row_of``), its connection is the engine's (pragmas, lock queue, one transaction,
the same one-line errors), and an older or newer schema is upgraded or refused as today."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import Cli
from support import refused_as_newer, upgraded_first

pytestmark = pytest.mark.both_backends

SMALL = {
    "format": "congtac12",
    "format_version": 3,
    "cadres": [
        {"code": "K1", "name": "Nguyễn Văn Ánh", "department": "Văn phòng", "subject": True, "active": True},
        {"code": "K2", "name": "Trần Thị Bình", "department": "Văn phòng", "subject": False, "active": False},
    ],
    "visits": [
        {"cadre": "K1", "unit": "Ba Đình", "start": "2020-03-02", "end": "2020-03-03", "kind": "kiem-tra"},
    ],
    "reports": [
        {
            "cadre": "K1",
            "unit": "Ba Đình",
            "start": "2020-03-02",
            "end": "2020-03-03",
            "kind": "kiem-tra",
            "reported_on": "2020-03-06",
            "text": "Báo cáo đợt kiểm tra.",
        },
    ],
}


def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    return path


def count(db: Path, query: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(query).fetchone()[0])
    finally:
        con.close()


def test_the_history_sql_spells_every_audited_table_as_row_of_does() -> None:
    # write.history.ROWS is written out (no ORM at run time); it must be the models' row_of, key by
    # key, with booleans and moments where the models have them: a new column cannot drift silently.
    import sqlalchemy as sa

    from congtac12.store import audit
    from congtac12.store.models import table_of
    from congtac12.store.write import history

    assert set(history.ROWS) == set(audit.AUDITED)
    for entity, model in audit.AUDITED.items():
        table = table_of(model)
        name, columns = history.ROWS[entity]
        assert name == table.name
        assert [c for c, _ in columns] == list(audit.row_of(model())), entity
        for column, how in columns:
            kind = table.c[column].type
            kind = kind.impl if isinstance(kind, sa.TypeDecorator) else kind
            expected = (
                history.BOOL
                if isinstance(kind, sa.Boolean)
                else history.MOMENT
                if isinstance(kind, sa.DateTime)
                else history.PLAIN
            )
            assert how == expected, (entity, column)


def test_the_write_connection_keeps_the_engines_constants() -> None:
    from congtac12.store import audit, postgres
    from congtac12.store.write import connect, history

    assert connect.WRITE_LOCK == postgres.WRITE_LOCK
    assert history.SUMMARY_MAX == audit.SUMMARY_MAX


@pytest.mark.sqlite_only
def test_the_values_go_in_as_the_orm_writes_them(cli: Cli, db: Path, tmp_path: Path) -> None:
    # Dates and moments as SQLAlchemy's SQLite types store them; a boolean as 0/1; the folded keys filled.
    assert cli("import", str(small_file(tmp_path))).code == 0
    con = sqlite3.connect(db)
    try:
        cadres = con.execute(
            "SELECT code, code_key, subject, created_at, deactivated_at FROM cadre ORDER BY id"
        ).fetchall()
        visit = con.execute('SELECT start, "end", created_at, deleted_at FROM visit').fetchone()
        report = con.execute("SELECT reported_on, created_at FROM report").fetchone()
    finally:
        con.close()
    stamp = cadres[0][3]
    assert len(stamp) == 26 and stamp.endswith(".000000") and stamp[10] == " "
    assert cadres == [("K1", "k1", 1, stamp, None), ("K2", "k2", 0, stamp, stamp)]
    assert visit == ("2020-03-02", "2020-03-03", stamp, None)
    assert report == ("2020-03-06", stamp)


@pytest.mark.sqlite_only
def test_a_lock_held_too_long_is_the_engines_line_and_writes_nothing(
    cli: Cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("init").code == 0
    before = count(db, "SELECT count(*) FROM change")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setenv("CONGTAC12_BUSY_TIMEOUT_MS", "200")
        run = cli("import", str(small_file(tmp_path)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (run.code, run.stdout) == (1, "")
    assert (
        run.stderr == f"Error: {db} is locked by another program for more than 0.2 s; nothing was written, try again\n"
    )
    assert count(db, "SELECT count(*) FROM cadre") == 0
    assert count(db, "SELECT count(*) FROM change") == before


@pytest.mark.sqlite_only
def test_a_refusal_of_the_database_midway_rolls_everything_back(cli: Cli, db: Path, tmp_path: Path) -> None:
    # The database refuses the report, after the units, cadres and visits went in: nothing is left of them.
    assert cli("init").code == 0
    con = sqlite3.connect(db)
    con.execute("CREATE TRIGGER no_reports BEFORE INSERT ON report BEGIN SELECT RAISE(ABORT, 'no reports today'); END")
    con.commit()
    con.close()
    before = count(db, "SELECT count(*) FROM change")
    run = cli("import", str(small_file(tmp_path)))
    assert (run.code, run.stdout) == (1, "")
    assert run.stderr == "Error: the change contradicts the record (no reports today); nothing was written\n"
    for table in ("cadre", "visit", "report", "change_item"):
        assert count(db, f"SELECT count(*) FROM {table}") == 0, table
    assert count(db, "SELECT count(*) FROM change") == before


@pytest.mark.sqlite_only
def test_a_dry_run_on_a_missing_database_is_refused_and_makes_none(cli: Cli, db: Path, tmp_path: Path) -> None:
    run = cli("import", str(small_file(tmp_path)), "--dry-run")
    assert (run.code, run.stdout) == (1, "")
    assert "no congtac12 database at" in run.stderr and run.stderr.count("\n") == 1
    assert not db.exists()


@pytest.mark.sqlite_only
def test_an_older_schema_is_upgraded_first_and_a_newer_refused(cli: Cli, db: Path, tmp_path: Path) -> None:
    path = small_file(tmp_path)
    upgraded_first(cli, db, "import", str(path))
    again = cli("import", str(path))
    assert (again.code, again.stderr) == (0, "") and again.stdout.startswith("Nothing new")
    refused_as_newer(db, cli, [("import", str(path)), ("import", str(path), "--dry-run")])


def test_an_import_is_undone_as_one_change(cli: Cli, tmp_path: Path) -> None:
    path = small_file(tmp_path)
    assert cli("import", str(path)).code == 0
    shown = json.loads(cli("history", "--json").stdout)
    assert [c["action"] for c in shown][:1] == ["import"]
    undone = cli("undo")
    assert undone.code == 0, str(undone)
    left = cli("cadre", "list", "--all", "--json")
    assert json.loads(left.stdout) == []
    again = cli("import", str(path))
    assert again.code == 0 and again.stdout.startswith("Imported ")


def test_the_validators_and_limits_are_one_truth_whatever_door_names_them() -> None:
    # The import reads them from the ORM-free modules; the commands and models name the same objects.
    from congtac12.store import commands, guards, limits, models, plans, validate, visit_writes

    for name in ("check_visit", "check_report", "check_cadre", "check_unit", "check_service", "deactivated"):
        assert getattr(commands, name) is getattr(validate, name), name
    assert guards.tagged is validate.tagged and guards.deactivated is validate.deactivated
    for name in ("CODE_MAX", "NAME_MAX", "TOPIC_MAX", "ORDER_MAX", "REPORT_MAX", "REASON_MAX", "DECIDED_BY_MAX"):
        assert getattr(models, name) == getattr(limits, name), name
    assert (commands.MAX_VISIT_DAYS, visit_writes.MAX_VISIT_DAYS, plans.MAX_PLAN_DAYS) == (
        limits.MAX_VISIT_DAYS,
        limits.MAX_VISIT_DAYS,
        limits.MAX_PLAN_DAYS,
    )
    assert commands.SETTING_MAX == limits.SETTING_MAX
