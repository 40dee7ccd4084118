"""The rules the database keeps itself (issue 15, point 3; store/constraints.py).

Written around congtac12, with the database's own client (SQL on the test
database: sqlite3, or psycopg on the test server), each breaking row is
refused by the schema; an old database holding such rows is not upgraded, in
one line that names them, and is left exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import dump_database, sql

pytestmark = pytest.mark.both_backends
FIXTURE = Path(__file__).parent / "fixtures" / "schema1.db"


def ok(run) -> str:
    assert run.code == 0, str(run)
    return run.stdout


@pytest.fixture
def record(cli):
    """K1 with a visit of 5-6/3/2020 reported on 10/3, K2 deactivated with one visit, and a unit."""
    ok(cli("cadre", "add", "--code", "K1", "--name", "Nguyễn Văn An", "--dept", "VP"))
    ok(cli("cadre", "add", "--code", "K2", "--name", "Trần Thị Bình", "--dept", "VP"))
    ok(cli("add-visit", "--cadre", "K1", "--unit", "Ba Đình", "--from", "05/03/2020", "--to", "06/03/2020",
           "--kind", "chuyen-de"))  # fmt: skip
    ok(cli("report", "1", "--on", "10/03/2020", "--text", "Đã báo cáo"))
    ok(cli("add-visit", "--cadre", "K2", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"))
    ok(cli("cadre", "delete", "K2"))
    return cli


def refused(db, statement: str, params: tuple = ()) -> str:
    """Run one statement as another client would; returns the database's refusal."""
    before = dump_database(db)
    with pytest.raises(Exception) as caught:  # sqlite3.IntegrityError, psycopg's CheckViolation/UniqueViolation
        sql(db, statement, params)
    assert dump_database(db) == before
    return str(caught.value)


NOW = "2999-01-01 00:00:00"  # after anything the commands wrote


@pytest.mark.parametrize(
    "statement, params, rule",
    [
        (  # a code taken in another case
            "INSERT INTO cadre (code, code_key, name, department, subject, created_at) VALUES (?, ?, 'X', 'VP', ?, ?)",
            ("k1", "k1", True, NOW),
            "code_key",
        ),
        (  # a key that is not the code's fold
            "INSERT INTO cadre (code, code_key, name, department, subject, created_at) VALUES (?, ?, 'X', 'VP', ?, ?)",
            ("K3", "zz", True, NOW),
            "code",
        ),
        (  # a unit name that differs only in case and diacritics
            "INSERT INTO unit (name, name_key, level, created_at) VALUES (?, ?, 'huyen', ?)",
            ("QUAN DOAN BA DINH", "quan doan ba dinh", NOW),
            "name_key",
        ),
        ('UPDATE visit SET start = ?, "end" = ? WHERE id = 2', ("9999-12-25", "9999-12-25"), "year"),
        ("UPDATE cadre SET joined = ? WHERE id = 1", ("1899-12-31",), "year"),
        ("UPDATE report SET reported_on = ? WHERE visit_id = 1", ("2020-03-05",), "report-before-trip-end"),
        ('UPDATE visit SET "end" = ? WHERE id = 1', ("2020-03-11",), "report-before-trip-end"),
        (  # a visit recorded for K2 after K2 was deactivated
            "INSERT INTO visit (cadre_id, unit_id, start, \"end\", kind, created_at) VALUES (2, 1, ?, ?, 'phoi-hop', ?)",
            ("2020-04-01", "2020-04-01", NOW),
            "deactivated",
        ),
        (  # K1 deactivated before its visit was recorded
            "UPDATE cadre SET deactivated_at = ? WHERE id = 1",
            ("2000-01-01 00:00:00",),
            "deactivated",
        ),
    ],
)
def test_a_row_breaking_a_rule_is_refused_by_the_database_itself(record, db, statement, params, rule) -> None:
    reason = refused(db, statement, params)
    assert rule in reason, reason
    assert ok(record("db", "check"))


def test_an_undo_the_rules_refuse_is_one_line_naming_the_rule(record, db) -> None:
    ok(record("report", "1", "--on", "12/03/2020", "--replace", "--text", "Bổ sung"))  # change 7
    ok(record("edit-visit", "1", "--to", "12/03/2020"))  # change 8: the trip now ends on the 12th
    before = dump_database(db)
    run = record("undo", "7")  # the report back to the 10th: before the trip's new end
    assert (run.code, run.stderr) == (
        1,
        "Error: undoing change #7 would break a rule of the record: "
        "a report would be dated before its visit's last day; nothing was changed\n",
    ), str(run)
    assert dump_database(db) == before
    assert ok(record("db", "check"))


@pytest.mark.sqlite_only
def test_an_old_database_breaking_the_rules_is_not_upgraded_and_left_untouched(
    cli, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, path)
    os.chmod(path, 0o600)
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO cadre (id, code, name, department, subject, created_at)
            VALUES (9, 'c01', 'Trùng mã', 'VP', 1, '2020-03-01 00:00:00.000000');
        UPDATE visit SET "end" = '9999-12-25' WHERE id = 5;
        UPDATE report SET reported_on = '2020-04-06' WHERE visit_id = 3;
    """)
    con.commit()
    con.close()
    before = path.read_bytes()
    monkeypatch.setenv("CONGTAC12_DB", str(path))
    run = cli("cadre", "list")
    assert run.code == 1 and run.stderr.count("\n") == 1, str(run)
    # the step that brings these rules (schema 4) refuses, whatever the head is now
    assert run.stderr.startswith("Error: cannot upgrade the database to schema 4: 3 rows break rules"), str(run)
    for named in (
        "cadre codes 'C01', 'c01' are the same once case and diacritics are ignored (ids 1, 9)",
        "visit 5: end 9999-12-25 is outside the years 1900 to 2999",
        "the report of visit 3 is dated 2020-04-06, before the trip ended on 2020-04-07",
    ):
        assert named in run.stderr, str(run)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]  # no upgrade copy left either
