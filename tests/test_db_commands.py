"""``db backup`` and ``db check`` (issue 4, point 4), and the issue's "done when":
the demo database after edits, undos and a killed import passes ``db check``.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import demo_copy, dump_database
from test_cli_core import js, ok, refused

HELPERS = Path(__file__).parent / "helpers"


def seed(cli) -> None:
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "VP"))
    ok(cli("cadre", "add", "--code", "C02", "--name", "Đặng Thị Đào", "--dept", "VP"))
    # 1: C01, 05/03/2020, chuyen-de, reported 10/03; 2: C02, 01/04/2020, phoi-hop
    ok(cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"))
    ok(cli("report", "1", "--on", "10/03/2020", "--text", "Đã báo cáo"))
    ok(cli("add-visit", "--cadre", "C02", "--unit", "Sơn Tây", "--from", "01/04/2020", "--kind", "phoi-hop"))


# --- db backup -----------------------------------------------------------------


def test_backup_is_a_full_private_single_file_copy(cli, db: Path, tmp_path: Path) -> None:
    seed(cli)
    target = tmp_path / "saved" / "copy.db"
    target.parent.mkdir()
    assert ok(cli("db", "backup", str(target))) == f"Backed up {db} to {target}.\n"
    assert dump_database(target) == dump_database(db)
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]  # no -wal/-shm beside it
    # The copy is a congtac12 database: it opens, checks clean and takes writes (WAL again).
    assert js(cli("--db", str(target), "db", "check", "--json"))["ok"] is True
    ok(cli("--db", str(target), "cadre", "add", "--code", "C03", "--name", "Trần Minh Đức", "--dept", "VP"))
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()


def test_backup_never_overwrites_and_needs_a_database(cli, db: Path, tmp_path: Path) -> None:
    assert refused(cli("db", "backup", str(tmp_path / "x.db")), 1) == (
        f"Error: no congtac12 database at {db}; a command that only reads never makes one "
        "(make it with 'congtac12 init', or any command that writes); check --db and CONGTAC12_DB\n"
    )
    assert not db.exists() and not (tmp_path / "x.db").exists()
    seed(cli)
    there = tmp_path / "there.db"
    there.write_bytes(b"keep me")
    assert refused(cli("db", "backup", str(there)), 1) == (
        f"Error: {there} exists; congtac12 does not overwrite it (give a new file name)\n"
    )
    assert there.read_bytes() == b"keep me"
    missing = tmp_path / "no" / "such" / "folder" / "x.db"
    assert refused(cli("db", "backup", str(missing)), 1) == (
        f"Error: cannot create the backup {missing}: No such file or directory\n"
    )


def test_backup_while_another_process_writes(cli, db: Path, tmp_path: Path) -> None:
    ok(cli("cadre", "add", "--code", "W0", "--name", "Người ghi", "--dept", "VP"))
    env = {**os.environ, "CONGTAC12_DB": str(db)}
    writer = subprocess.Popen(
        [sys.executable, str(HELPERS / "add_visits.py"), "0", "60", str(time.time())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        while writer.poll() is None and len(copies) < 5:
            target = tmp_path / f"during-{len(copies)}.db"
            ok(cli("db", "backup", str(target)))
            copies.append(target)
    finally:
        out, err = writer.communicate(timeout=120)
    assert out.strip().splitlines()[-1].startswith("done 60 0"), out + err
    counts = []
    for copy in copies:
        con = sqlite3.connect(copy)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        counts.append(con.execute("SELECT count(*) FROM visit").fetchone()[0])
        # Each copy is one consistent moment: one recorded change per visit, no more, no less.
        assert con.execute("SELECT count(*) FROM change WHERE action = 'visit.add'").fetchone()[0] == counts[-1]
        con.close()
    assert copies and counts == sorted(counts) and all(0 <= n <= 60 for n in counts)


# --- db check ------------------------------------------------------------------


def test_check_of_a_sound_database(cli) -> None:
    seed(cli)
    assert ok(cli("db", "check")) == (
        "✓ integrity, foreign keys, visits, reports and trips: nothing wrong "
        "(2 cadres, 30 units, 2 visits, 1 report, 5 changes checked).\n"
    )


def test_check_finds_what_the_commands_never_write(cli, db: Path) -> None:
    seed(cli)
    ok(cli("cadre", "delete", "C02"))  # deactivated, with visit 2 recorded before
    con = sqlite3.connect(db)  # foreign keys off: as another program might write
    # ... after dropping the rules the schema keeps (tests/test_constraints.py shows them refusing these rows)
    for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f'DROP TRIGGER "{trigger}"')
    con.executescript("""
        UPDATE visit SET deleted_at = '2020-05-01 00:00:00.000000' WHERE id = 1;  -- report 1 stays live
        INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at)
            VALUES (3, 99, 1, '2020-03-05', '2020-03-05', 'phoi-hop', '2020-03-05 00:00:00.000000');
        INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at)
            VALUES (4, 1, 1, '2020-03-05', '2020-03-01', 'hop-hanh', '2020-03-05 00:00:00.000000');
        INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at)
            VALUES (5, 1, 2, '2020-01-01', '2021-02-03', 'kiem-tra', '2020-03-05 00:00:00.000000');
        INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, created_at)
            VALUES (6, 2, 3, '2020-06-01', '2020-06-01', 'phoi-hop', '2999-01-01 00:00:00.000000');
        INSERT INTO report (id, visit_id, reported_on, text, created_at)
            VALUES (2, 2, '2020-03-20', '', '2020-03-20 00:00:00.000000');
        UPDATE unit SET level = 'tinh' WHERE id = 30;
    """)
    con.commit()
    con.close()
    run = cli("db", "check", "--json")
    assert run.code == 1, str(run)
    doc = json.loads(run.stdout)
    assert doc["ok"] is False
    assert [(p["check"], p["detail"]) for p in doc["problems"]] == [
        ("foreign-key", "visit row 3 refers to a missing cadre"),
        ("report-of-deleted-visit", "report 1 of visit 1 is live, its visit deleted"),
        ("visit-of-unknown-cadre", "visit 3 is of cadre id 99, which does not exist"),
        # C02 was deactivated today; visit 6 claims to be recorded in 2999, after it.
        ("visit-of-deactivated-cadre", "visit 6 was recorded for C02 after the cadre was deactivated"),
        ("trip-length", "visit 4 ends on 2020-03-01, before it starts on 2020-03-05"),
        # 01/01/2020 to 03/02/2021: 366 days of 2020 (a leap year) + 31 of January + 3 = 400
        ("trip-length", "visit 5 lasts 400 days (2020-01-01 to 2021-02-03); the limit is 366"),
        # visit 2 ends 01/04/2020; its report is dated 20/03
        ("report-before-trip-end", "the report of visit 2 is dated 2020-03-20, before the trip ended on 2020-04-01"),
        ("unknown-kind", "visit 4 has kind 'hop-hanh'; known: chuyen-de, phoi-hop, kiem-tra, sinh-hoat"),
        ("unknown-level", "unit 30 has level 'tinh'; known: huyen, co-so, chi-doan"),
    ]
    text = cli("db", "check")
    assert text.code == 1
    lines = text.stdout.splitlines()
    assert lines[0] == "✗ visit row 3 refers to a missing cadre"
    assert lines[-1] == "9 problems found (2 cadres, 30 units, 6 visits, 2 reports, 6 changes checked)."


def test_check_finds_a_damaged_file(cli, db: Path) -> None:
    seed(cli)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_visit_cadre_start'").fetchone()
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    # Scribble over the index's page (not the table's): the rows are readable, the index is wrong.
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size + 8)
        f.write(b"\x00\x05" + b"\xff" * 40)
    run = cli("db", "check", "--json")
    assert run.code == 1, str(run)
    problems = json.loads(run.stdout)["problems"]
    assert problems and {p["check"] for p in problems} == {"integrity"}, problems


# --- done when -----------------------------------------------------------------


def test_demo_after_edits_undos_and_a_killed_import_checks_clean(cli, tmp_path: Path, demo_database: Path) -> None:
    demo = demo_copy(demo_database, tmp_path / "demo.db")  # conftest's, made by `demo --out` once per session
    use = ["--db", str(demo)]
    ok(cli(*use, "edit-visit", "3", "--topic", "Sửa chủ đề"))
    ok(cli(*use, "delete-visit", "5"))
    ok(cli(*use, "cadre", "delete", "C33"))
    ok(cli(*use, "cadre", "edit", "C02", "--email", ""))
    ok(cli(*use, "undo"))  # the email comes back
    ok(cli(*use, "undo"))  # the undo is undone: the email is removed again
    ok(cli(*use, "undo", "2"))  # the visit 3 edit (change 1 is the demo itself)
    env = {**os.environ, "CONGTAC12_DB": str(demo)}
    importer = subprocess.Popen(
        [sys.executable, str(HELPERS / "big_write.py"), str(demo), "3000"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while importer.stdout.readline().strip() != "added 1500":
        assert importer.poll() is None, importer.stderr.read()
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)
    importer.stdout.close()
    importer.stderr.close()
    report = js(cli(*use, "db", "check", "--json"))
    assert report["ok"] is True and report["problems"] == []
    history = js(cli(*use, "history", "--json"))
    assert [h["action"] for h in history][:3] == ["undo", "undo", "undo"]
    assert not any(h["action"] == "import" for h in history)  # the killed import left nothing
