"""Real processes: concurrent writers, a lock held too long, SIGKILL mid-write and
mid-migration (issue 4, points 5, 6 and 9).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from congtac12.store.engine import SCHEMA_VERSION

HELPERS = Path(__file__).parent / "helpers"
FIXTURE = Path(__file__).parent / "fixtures" / "schema1.db"


def env_for(db: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CONGTAC12_DB": str(db), "COLUMNS": "200", **extra}
    return env


def congtac12(db: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "congtac12", *args],
        env=env_for(db, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def helper(name: str, *args: str, db: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HELPERS / name), *args],
        env=env_for(db, **extra),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def go(proc: subprocess.Popen) -> None:
    """The other half of a helper's handshake (``stdin``): the line it waits for."""
    proc.stdin.write("go\n")
    proc.stdin.flush()


def start_together(name: str, count: int, visits: int, db: Path, *flags: str) -> list[subprocess.Popen]:
    """``count`` writers (add_visits.py), started by handshake: each says ``ready`` once
    imported, and all are told to go at once; returned once each has written its first visit."""
    writers = [helper(name, str(w), str(visits), "stdin", *flags, db=db) for w in range(count)]
    for w in writers:
        wait_for(w, "ready")
    for w in writers:
        go(w)
    for w in writers:
        wait_for(w, "started", timeout=120)
    return writers


def wait_for(proc: subprocess.Popen, line: str, timeout: float = 60) -> None:
    """Read the helper's output until ``line``; fail if it ends first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = proc.stdout.readline()
        if got.strip() == line:
            return
        if not got and proc.poll() is not None:
            raise AssertionError(f"helper ended ({proc.returncode}) before {line!r}: {proc.stderr.read()}")
    raise AssertionError(f"no {line!r} within {timeout} s")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()


def count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def check_passes(db: Path) -> None:
    run = congtac12(db, "db", "check", "--json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout)["ok"] is True


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with cadre C01 and cadres W0..W7 (the writers')."""
    from congtac12.store import commands
    from congtac12.store.engine import session

    path = tmp_path / "shared.db"
    with session(path, write=True) as s:
        for code in ["C01", *(f"W{i}" for i in range(8))]:
            commands.add_cadre(s, code=code, name=f"Cán bộ {code}", department="Văn phòng")
    return path


# --- concurrency -------------------------------------------------------------


def finish_writers(writers: list) -> tuple[list[str], list[list[str]]]:
    """Wait for writer processes; each must exit 0. Returns their outputs and last lines, split."""
    outputs = []
    for w in writers:
        # Wait, then read what is left through the pipe's file object: ``wait_for`` reads it line by
        # line, and its buffer may already hold the last line ("done …", when a writer finished
        # before its "started" was read); ``communicate`` reads the descriptor and would miss it.
        # A writer prints a few lines only, so it cannot block on a full pipe meanwhile.
        w.wait(timeout=600)
        out, err = w.stdout.read(), w.stderr.read()
        w.stdout.close()
        w.stderr.close()
        outputs.append(out)
        assert w.returncode == 0, err
    return outputs, [o.strip().splitlines()[-1].split() for o in outputs]


def test_a_reader_is_not_blocked_by_a_writer_holding_the_lock(db: Path) -> None:
    """WAL: readers wait for nobody. Shown by handshake, not by timing: the write lock is held
    (and released only when told) while status reads everything, and finishes."""
    holder = helper("hold_lock.py", str(db), "stdin", db=db)
    try:
        wait_for(holder, "locked")
        run = congtac12(db, "status", "--as-of", "31/12/2020", "--json")
        assert holder.poll() is None  # the lock was held the whole time
    finally:
        go(holder)
        holder.communicate(timeout=30)
    assert run.returncode == 0, run.stderr
    assert {c["code"] for c in json.loads(run.stdout)["cadres"]} >= {"C01", "W0", "W7"}
    assert count(db, "SELECT count(*) FROM setting WHERE key = 'held'") == 0  # rolled back


def test_eight_writers_at_once_all_succeed_and_a_reader_is_not_blocked(db: Path) -> None:
    # Each writer imports, says ready, and all go at once (a handshake on their stdin). Halfway
    # each says so and waits: a status read then runs while every writer is still running (a
    # handshake, not a race); then they go on, and status reads again while they write.
    writers = start_together("add_visits.py", 8, 50, db, "--pause-half")
    for w in writers:
        wait_for(w, "half", timeout=300)
    run = congtac12(db, "status", "--as-of", "31/12/2020", "--json")
    assert run.returncode == 0, run.stderr
    assert {c["code"] for c in json.loads(run.stdout)["cadres"]} >= {"C01", "W0", "W7"}
    reads_during = int(all(w.poll() is None for w in writers))  # all 8 waiting for their go
    for w in writers:
        go(w)
    while any(w.poll() is None for w in writers) and reads_during < 3:  # a few: they cost CPU too
        run = congtac12(db, "status", "--as-of", "31/12/2020", "--json")
        assert run.returncode == 0, run.stderr
        assert {c["code"] for c in json.loads(run.stdout)["cadres"]} >= {"C01", "W0", "W7"}
        reads_during += 1
    outputs, lasts = finish_writers(writers)
    print(
        f"8 x 50 add-visit: writer wall times {[float(last[3]) for last in lasts]} s; "
        f"{reads_during} status runs during the writing"
    )
    # Each writer: 50 recorded, 0 refused (no "database is locked").
    assert [(last[0], last[1], last[2]) for last in lasts] == [("done", "50", "0")] * 8, outputs
    assert count(db, "SELECT count(*) FROM visit") == 400  # 8 x 50
    for w in range(8):
        assert (
            count(db, f"SELECT count(*) FROM visit JOIN cadre ON cadre.id = visit.cadre_id WHERE code = 'W{w}'") == 50
        )
    # One change recorded per visit, besides the 9 cadre adds (one change).
    assert count(db, "SELECT count(*) FROM change") == 400 + 1
    assert reads_during >= 1
    check_passes(db)


def test_a_lock_held_longer_than_the_timeout_is_a_clear_error_and_loses_nothing(db: Path) -> None:
    before = count(db, "SELECT count(*) FROM change")
    holder = helper("hold_lock.py", str(db), "30", db=db)
    try:
        wait_for(holder, "locked")
        began = time.time()
        run = congtac12(
            db,
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "05/03/2020",
            "--kind",
            "chuyen-de",
            CONGTAC12_BUSY_TIMEOUT_MS="300",
        )
        waited = time.time() - began
    finally:
        kill(holder)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == (
        f"Error: {db} is locked by another program for more than 0.3 s; nothing was written, try again\n"
    )
    assert waited < 10
    assert count(db, "SELECT count(*) FROM visit") == 0
    assert count(db, "SELECT count(*) FROM change") == before
    # Once the lock is gone the same command goes through; the holder's row was never committed.
    run = congtac12(
        db, "add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"
    )
    assert run.returncode == 0, run.stderr
    assert count(db, "SELECT count(*) FROM setting WHERE key = 'held'") == 0


def test_a_writer_waits_its_turn_while_others_commit_longer_than_the_timeout(db: Path) -> None:
    """The queue moving is not a lock held too long: another writer takes the lock again and
    again (free for an instant between its commits, 10 x 0.25 s), longer in all than this
    writer's busy timeout (0.3 s), but each hold is shorter. SQLite's own busy handler polls and
    loses those races; congtac12 waits again while others commit, and writes."""
    hog = helper("hog_lock.py", str(db), "10", "0.25", db=db)
    wait_for(hog, "locked")
    run = congtac12(
        db,
        "add-visit",
        "--cadre",
        "C01",
        "--unit",
        "Ba Đình",
        "--from",
        "05/03/2020",
        "--kind",
        "chuyen-de",
        CONGTAC12_BUSY_TIMEOUT_MS="300",
    )
    hog.communicate(timeout=60)
    assert hog.returncode == 0
    assert run.returncode == 0, run.stderr
    assert count(db, "SELECT count(*) FROM visit") == 1
    assert count(db, "SELECT count(*) FROM setting WHERE key LIKE 'hog%'") == 10  # every one of its writes too


def test_a_lock_held_shorter_than_the_timeout_is_waited_for(db: Path) -> None:
    holder = helper("hold_lock.py", str(db), "1", db=db)
    wait_for(holder, "locked")
    run = congtac12(
        db,
        "add-visit",
        "--cadre",
        "C01",
        "--unit",
        "Ba Đình",
        "--from",
        "05/03/2020",
        "--kind",
        "chuyen-de",
        CONGTAC12_BUSY_TIMEOUT_MS="20000",
    )
    holder.communicate(timeout=30)
    assert run.returncode == 0, run.stderr
    assert count(db, "SELECT count(*) FROM visit") == 1


def test_a_malformed_busy_timeout_is_refused(db: Path) -> None:
    run = congtac12(db, "cadre", "list", CONGTAC12_BUSY_TIMEOUT_MS="ten")
    assert run.returncode == 2
    assert run.stderr == (
        "Error: CONGTAC12_BUSY_TIMEOUT_MS='ten' is not valid; accepted: a whole number of milliseconds\n"
    )


# --- SIGKILL -----------------------------------------------------------------


def test_a_big_write_killed_midway_leaves_none_of_it(db: Path) -> None:
    before = count(db, "SELECT count(*) FROM change")
    writer = helper("big_write.py", str(db), "5000", db=db)
    wait_for(writer, "added 2500")
    kill(writer)
    # Uncommitted pages had spilled into the WAL; SQLite ignores them on the next open.
    assert Path(f"{db}-wal").stat().st_size > 0
    check_passes(db)
    assert count(db, "SELECT count(*) FROM visit") == 0
    assert count(db, "SELECT count(*) FROM change") == before


def test_a_big_write_killed_after_it_finished_but_before_commit_leaves_none(db: Path) -> None:
    writer = helper("big_write.py", str(db), "2000", db=db)
    wait_for(writer, "all added", timeout=120)
    kill(writer)
    check_passes(db)
    assert count(db, "SELECT count(*) FROM visit") == 0


def test_a_big_write_that_commits_holds_all_of_it(db: Path) -> None:
    writer = helper("big_write.py", str(db), "2000", "--commit", db=db)
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0 and out.strip().endswith("committed"), err
    assert count(db, "SELECT count(*) FROM visit") == 2000
    # The whole write is one change of 2000 rows, as an import should be.
    assert count(db, "SELECT count(*) FROM change_item WHERE change_id = (SELECT max(id) FROM change)") == 2000
    check_passes(db)


def test_an_upgrade_killed_midway_leaves_the_old_schema_intact(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, path)
    con = sqlite3.connect(FIXTURE)
    original = list(con.iterdump())
    con.close()
    proc = helper("slow_upgrade.py", str(path), db=path)
    wait_for(proc, "applied 2")  # revision 2 applied, not committed
    kill(proc)
    # All or none: none. Schema 1, the same rows, no table of revision 2.
    assert count(path, "PRAGMA user_version") == 1
    con = sqlite3.connect(path)
    assert list(con.iterdump()) == original
    con.close()
    (backup,) = tmp_path.glob("old-schema1-*.db")  # the copy made before the upgrade began
    assert backup.stat().st_mode & 0o777 == 0o600
    # The next open upgrades it for good, and everything is there.
    run = congtac12(path, "db", "check")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr.startswith(f"Upgraded {path} from schema 1 to {SCHEMA_VERSION}")
    assert count(path, "SELECT count(*) FROM visit") == 5
    assert count(path, "SELECT count(*) FROM report") == 3


def test_a_new_database_killed_while_being_made_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    proc = helper("slow_upgrade.py", str(path), db=path)
    wait_for(proc, "applied 1")
    kill(proc)
    assert count(path, "SELECT count(*) FROM sqlite_master") == 0  # nothing committed
    run = congtac12(path, "cadre", "add", "--code", "C01", "--name", "An", "--dept", "VP")
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert count(path, "SELECT count(*) FROM unit") == 30
    check_passes(path)


# --- import killed midway; remind during writing ----------------------------


def wal_size(db: Path) -> int:
    try:
        return Path(f"{db}-wal").stat().st_size
    except FileNotFoundError:
        return 0


def write_import_file(db: Path, path: Path, visits: int, first_day: date) -> Path:
    """A JSON file in the format ``export --format json`` writes: this database's units and
    cadres (already recorded: skipped) and ``visits`` new one-day visits of C01."""
    from datetime import timedelta

    exported = path.with_name("exported.json")
    if not exported.exists():
        run = congtac12(db, "export", "--format", "json", "--out", str(exported))
        assert run.returncode == 0, run.stderr
    doc = json.loads(exported.read_text(encoding="utf-8"))
    assert doc["format"] == "congtac12" and set(doc) >= {"units", "cadres", "visits", "reports"}
    units = [u["name"] for u in doc["units"]]
    doc["visits"] = []
    for i in range(visits):
        day = (first_day + timedelta(days=i // len(units))).isoformat()
        doc["visits"].append(
            {
                "cadre": "C01",
                "unit": units[i % len(units)],
                "start": day,
                "end": day,
                "kind": "phoi-hop",
                "topic": f"Nhập dữ liệu số {i}",
                "order_no": None,
            }
        )
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def import_process(db: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "congtac12", "--db", str(db), "import", str(path)],
        env=env_for(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_import_killed_while_writing_leaves_all_or_nothing_and_can_be_run_again(db: Path, tmp_path: Path) -> None:
    from datetime import date, timedelta

    # One visit recorded before, so that "nothing" is not simply an empty table.
    run = congtac12(
        db, "add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"
    )
    assert run.returncode == 0, run.stderr
    first_day = date(2005, 1, 1)
    killed: Path | None = None
    rows = 0
    tries = []
    for size in (30_000, 90_000):  # a bigger file when the first finished before the kill
        path = write_import_file(db, tmp_path / f"import-{size}.json", size, first_day)
        first_day += timedelta(days=size // 30 + 1)  # the next file's visits are new ones
        visits, changes = count(db, "SELECT count(*) FROM visit"), count(db, "SELECT count(*) FROM change")
        wal_before = wal_size(db)
        began = time.time()
        proc = import_process(db, path)
        # Writing has begun when uncommitted pages spill into the WAL (the checking before
        # writes nothing); kill it then, well before the end of a 30,000-row write.
        while proc.poll() is None and wal_size(db) < wal_before + 512 * 1024 and time.time() - began < 120:
            time.sleep(0.002)
        waited = time.time() - began
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        err = proc.stderr.read()
        proc.stderr.close()
        check_passes(db)
        after = count(db, "SELECT count(*) FROM visit")
        tries.append((size, round(waited, 2), proc.returncode, after - visits))
        # All or nothing, whatever the moment of the kill: the visits and the audit trail.
        if proc.returncode == -signal.SIGKILL and after == visits:
            assert count(db, "SELECT count(*) FROM change") == changes
            killed, rows = path, size
            break
        assert proc.returncode in (0, -signal.SIGKILL), err
        assert after == visits + size, tries
        assert count(db, "SELECT count(*) FROM change") == changes + 1
    print(f"import killed midway: (rows, s to kill, exit, rows written) {tries}")
    assert killed is not None, f"every import finished before it could be killed: {tries}"
    # The same import again, to the end: every row of it, as one change named "import".
    visits, changes = count(db, "SELECT count(*) FROM visit"), count(db, "SELECT count(*) FROM change")
    run = congtac12(db, "--db", str(db), "import", str(killed))  # --db, as a user would
    assert run.returncode == 0, run.stderr
    assert f"{rows:,} visits added" in run.stdout
    assert count(db, "SELECT count(*) FROM visit") == visits + rows
    assert count(db, "SELECT count(*) FROM change") == changes + 1
    assert count(db, "SELECT count(*) FROM change_item WHERE change_id = (SELECT max(id) FROM change)") == rows
    history = congtac12(db, "history", "--limit", "1")
    assert history.returncode == 0, history.stderr
    assert f"import  imported {rows:,} visits" in history.stdout.splitlines()[0]
    check_passes(db)
    # Importing it once more adds nothing.
    run = congtac12(db, "import", str(killed))
    assert run.returncode == 0 and run.stdout.startswith("Nothing new"), run.stdout + run.stderr
    assert count(db, "SELECT count(*) FROM visit") == visits + rows


def test_remind_by_email_while_four_writers_write(db: Path, smtp_server) -> None:
    from datetime import date

    from congtac12.store import commands
    from congtac12.store.engine import session

    # Two cadres with an email and a trip in early March 2020 (the rules' window begins on
    # 01/03), overdue as of 15/03/2020. The writers' cadres have no email: their visits may
    # be listed, as the writing goes, but are never mailed.
    with session(db, write=True) as s:
        commands.add_cadre(s, code="R01", name="Nguyễn Văn An", department="Văn phòng", email="an@example.vn")
        commands.add_cadre(s, code="R02", name="Đặng Thị Đào", department="Văn phòng", email="dao@example.vn")
        commands.add_visit(
            s, cadre="R01", unit="Ba Đình", start=date(2020, 3, 2), end=date(2020, 3, 3), kind="phoi-hop"
        )
        commands.add_visit(
            s, cadre="R02", unit="Sơn Tây", start=date(2020, 3, 4), end=date(2020, 3, 4), kind="kiem-tra"
        )
    server = smtp_server()
    mail = {"CONGTAC12_SMTP_URL": server.url(), "CONGTAC12_MAIL_FROM": "Ban Tổ chức <btc@thanhdoan.example>"}
    writers = start_together("add_visits.py", 4, 30, db)  # each has written its first visit
    running_at_start = sum(w.poll() is None for w in writers)
    began = time.time()
    run = congtac12(db, "remind", "--as-of", "15/03/2020", "--email", **mail)
    took = time.time() - began
    running_at_end = sum(w.poll() is None for w in writers)
    outputs, lasts = finish_writers(writers)
    print(
        f"remind --email took {took:.2f} s with {running_at_start} writers running at its start, "
        f"{running_at_end} at its end; writer wall times {[float(last[3]) for last in lasts]} s"
    )
    assert running_at_start == 4
    assert run.returncode == 0 and run.stderr == "", run.stdout + run.stderr
    assert "R01 Nguyễn Văn An <an@example.vn> — reminded by email" in run.stdout
    assert "R02 Đặng Thị Đào <dao@example.vn> — reminded by email" in run.stdout
    assert sorted(m.rcpt_tos[0] for m in server.received) == ["an@example.vn", "dao@example.vn"]
    assert all(m.mail_from == "btc@thanhdoan.example" for m in server.received)
    assert count(db, "SELECT count(*) FROM reminder_sent WHERE channel = 'cadre'") == 2
    # Every writer: 30 recorded, none refused for a lock.
    assert [(last[0], last[1], last[2]) for last in lasts] == [("done", "30", "0")] * 4, outputs
    for w in range(4):
        assert (
            count(db, f"SELECT count(*) FROM visit JOIN cadre ON cadre.id = visit.cadre_id WHERE code = 'W{w}'") == 30
        )
    check_passes(db)
