"""Bad input: one line on stderr, the right exit code, no traceback, nothing written.

Exit 2 for a malformed argument (the value is wrong in itself), 1 for an
operation the record refuses (unknown or ambiguous names, duplicates, a report
that contradicts its visit, a file that is not our database).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import dump_database

pytestmark = pytest.mark.both_backends

BTC = "Ban Tổ chức – Kiểm tra"

# Placeholders in the argument lists, replaced by paths the test makes.
TEXT_FILE = "{text_file}"  # a text file, not a database
OTHER_DB = "{other_db}"  # a SQLite database of another program
CORRUPT_DB = "{corrupt_db}"  # SQLite's magic string followed by junk
FOLDER = "{folder}"  # a folder
MISSING_FILE = "{missing_file}"  # a path to nothing

VISIT = ["--cadre", "C01", "--unit", "Ba Đình", "--kind", "chuyen-de"]


@pytest.fixture
def seeded(cli, dump):
    """C01 Nguyễn Văn An, C02 Đặng Thị Đào, C03 Nguyễn Văn Bình; visit 1 (reported), visit 2 (not)."""
    for code, name in [("C01", "Nguyễn Văn An"), ("C02", "Đặng Thị Đào"), ("C03", "Nguyễn Văn Bình")]:
        assert cli("cadre", "add", "--code", code, "--name", name, "--dept", BTC).code == 0
    # Visit 1: C01 at Quận đoàn Ba Đình, 05/03/2020-06/03/2020, chuyen-de; reported 10/03/2020.
    assert cli("add-visit", *VISIT, "--from", "05/03/2020", "--to", "06/03/2020").code == 0
    assert cli("report", "1", "--on", "10/03/2020", "--text", "Đã báo cáo").code == 0
    # Visit 2: C01 at Thị đoàn Sơn Tây, 10/03/2020-12/03/2020, sinh-hoat; no report yet.
    assert (
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Sơn Tây",
            "--from",
            "10/03/2020",
            "--to",
            "12/03/2020",
            "--kind",
            "sinh-hoat",
        ).code
        == 0
    )
    return cli


@pytest.fixture
def foreign(tmp_path: Path) -> dict[str, Path]:
    """Files that are not congtac12 databases, in a folder of their own."""
    folder = tmp_path / "foreign"
    folder.mkdir()
    text = folder / "notes.txt"
    text.write_text("Danh sách cán bộ\nC01 Nguyễn Văn An\n", encoding="utf-8")
    other = folder / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('Nguyễn Văn An')")
    con.commit()
    con.close()
    corrupt = folder / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 84 + b"junk" * 300)
    sub = folder / "a-folder"
    sub.mkdir()
    return {TEXT_FILE: text, OTHER_DB: other, CORRUPT_DB: corrupt, FOLDER: sub, MISSING_FILE: folder / "missing.txt"}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file under ``folder`` with its bytes (None for folders)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def assert_one_line_error(run, code: int, *expected: str) -> None:
    assert run.crash is None, str(run)
    assert "Traceback" not in run.stdout + run.stderr, str(run)
    assert run.code == code, str(run)
    assert run.stdout == "", str(run)
    assert run.stderr.startswith("Error: "), str(run)
    assert run.stderr.endswith("\n") and run.stderr.count("\n") == 1, str(run)
    for text in expected:
        assert text in run.stderr, str(run)


MALFORMED = [  # exit 2
    ("impossible date 31/02", ["add-visit", *VISIT, "--from", "31/02/2020"], ["does not exist", "accepted"]),
    ("month 13", ["add-visit", *VISIT, "--from", "2020-13-01"], ["does not exist", "accepted"]),
    ("not a date", ["add-visit", *VISIT, "--from", "abc"], ["is not a date", "accepted", "YYYY-MM-DD"]),
    ("empty date", ["add-visit", *VISIT, "--from", ""], ["is not a date"]),
    ("month-first date", ["add-visit", *VISIT, "--from", "12/31/2020"], ["does not exist"]),
    ("impossible --to", ["add-visit", *VISIT, "--from", "01/02/2020", "--to", "30/02/2020"], ["--to"]),
    (
        "--to before --from",
        ["add-visit", *VISIT, "--from", "05/03/2020", "--to", "04/03/2020"],
        ["--to 2020-03-04 is before --from 2020-03-05"],
    ),
    ("trip too long", ["add-visit", *VISIT, "--from", "01/01/2020", "--to", "01/06/2021"], ["too long"]),
    (
        "unknown kind",
        ["add-visit", *VISIT[:4], "--kind", "hop-hanh", "--from", "05/03/2020"],
        ["unknown kind 'hop-hanh'", "chuyen-de, phoi-hop, kiem-tra, sinh-hoat"],
    ),
    (
        "unknown level",
        ["unit", "add", "--name", "Đoàn xã Tiên Dương", "--level", "tinh"],
        ["unknown level 'tinh'", "huyen, co-so, chi-doan"],
    ),
    ("visits: bad --from", ["visits", "--from", "2020-13-01"], ["does not exist"]),
    ("visits: bad --to", ["visits", "--to", "abc"], ["is not a date"]),
    ("visits: --to before --from", ["visits", "--from", "10/03/2020", "--to", "01/03/2020"], ["before"]),
    ("status: bad --as-of", ["status", "--as-of", "31/02/2020"], ["does not exist"]),
    ("status: --as-of abc", ["status", "--cadre", "C01", "--as-of", "abc"], ["is not a date"]),
    ("report: bad --on", ["report", "2", "--on", "31/02/2020", "--text", "x"], ["does not exist"]),
    ("report: --on abc", ["report", "2", "--on", "abc", "--text", "x"], ["is not a date"]),
    (
        "report: --text and --file",
        ["report", "2", "--on", "2020-03-20", "--text", "x", "--file", TEXT_FILE],
        ["not both"],
    ),
    ("report: missing --file", ["report", "2", "--on", "2020-03-20", "--file", MISSING_FILE], ["not a file"]),
    ("cadre: bad code", ["cadre", "add", "--code", "C 04", "--name", "Lê Thị Cúc", "--dept", BTC], ["not valid"]),
    ("cadre: empty name", ["cadre", "add", "--code", "C04", "--name", " ", "--dept", BTC], ["name is empty"]),
    (
        "cadre: bad email",
        ["cadre", "add", "--code", "C04", "--name", "Lê Thị Cúc", "--dept", BTC, "--email", "cuc.lt"],
        ["email"],
    ),
]

REFUSED = [  # exit 1
    (
        "unknown cadre, close name",
        ["add-visit", *["--cadre", "nguyen van ann"], *VISIT[2:], "--from", "05/03/2020"],
        ["no cadre matches 'nguyen van ann'", "did you mean", "C01 Nguyễn Văn An"],
    ),
    (
        "unknown cadre, close code",
        ["status", "--cadre", "C09", "--as-of", "2020-11-13"],
        ["no cadre matches 'C09'", "did you mean"],
    ),
    ("unknown cadre in visits", ["visits", "--cadre", "dang thi daoo"], ["no cadre matches", "C02 Đặng Thị Đào"]),
    (
        "ambiguous cadre",
        ["add-visit", "--cadre", "nguyen van", *VISIT[2:], "--from", "05/03/2020"],
        ["matches 2", "C01 Nguyễn Văn An", "C03 Nguyễn Văn Bình"],
    ),
    (
        "unknown unit, close name",
        ["add-visit", "--cadre", "C01", "--unit", "ba dinhh", "--kind", "chuyen-de", "--from", "05/03/2020"],
        ["no unit matches 'ba dinhh'", "did you mean", "Quận đoàn Ba Đình"],
    ),
    (
        "unknown unit, close full name",
        ["add-visit", "--cadre", "C01", "--unit", "Thi doan Son Tai", "--kind", "chuyen-de", "--from", "05/03/2020"],
        ["did you mean", "Thị đoàn Sơn Tây"],
    ),
    (
        "unknown parent unit",
        ["unit", "add", "--name", "Đoàn xã Tiên Dương", "--level", "co-so", "--parent", "dong anhh"],
        ["no unit matches 'dong anhh'", "Huyện đoàn Đông Anh"],
    ),
    (
        "ambiguous unit",
        ["add-visit", "--cadre", "C01", "--unit", "huyen doan", "--kind", "chuyen-de", "--from", "05/03/2020"],
        ["matches 17", "Huyện đoàn Mỹ Đức"],
    ),
    (
        "duplicate cadre code",
        ["cadre", "add", "--code", "C01", "--name", "Lê Thị Cúc", "--dept", BTC],
        ["'C01' is already taken by C01 Nguyễn Văn An"],
    ),
    (
        "duplicate cadre code, other case",
        ["cadre", "add", "--code", "c01", "--name", "Lê Thị Cúc", "--dept", BTC],
        ["already taken"],
    ),
    ("duplicate unit", ["unit", "add", "--name", "quan doan ba dinh", "--level", "huyen"], ["already exists"]),
    (
        "identical visit",
        [
            "add-visit",
            "--cadre",
            "nguyen van an",
            "--unit",
            "ba dinh",
            "--kind",
            "chuyen-de",
            "--from",
            "2020-03-05",
            "--to",
            "6/3/2020",
        ],
        ["visit 1 already records"],
    ),
    ("report for a missing visit", ["report", "99", "--on", "2020-03-20", "--text", "x"], ["no visit 99"]),
    (
        "report before the visit's last day",
        ["report", "2", "--on", "11/03/2020", "--text", "x"],
        ["before the visit's last day 2020-03-12"],
    ),
    (
        "second report",
        ["report", "1", "--on", "2020-03-20", "--text", "x"],
        ["already has a report dated 2020-03-10", "--replace"],
    ),
    ("--db: a text file", ["--db", TEXT_FILE, "cadre", "list"], ["is not a SQLite database"]),
    (
        "--db: a text file, writing",
        ["--db", TEXT_FILE, "cadre", "add", "--code", "C04", "--name", "Lê Thị Cúc", "--dept", BTC],
        ["is not a SQLite database"],
    ),
    ("--db: another program's SQLite", ["--db", OTHER_DB, "status"], ["another program", "untouched"]),
    (
        "--db: another program's SQLite, writing",
        ["--db", OTHER_DB, "unit", "add", "--name", "Đoàn xã Tiên Dương", "--level", "co-so"],
        ["another program"],
    ),
    ("--db: corrupt SQLite", ["--db", CORRUPT_DB, "visits"], ["cannot be read as a SQLite database"]),
    ("--db: a folder", ["--db", FOLDER, "cadre", "list"], ["is a folder"]),
]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [pytest.param(a, 2, e, id=i) for i, a, e in MALFORMED] + [pytest.param(a, 1, e, id=i) for i, a, e in REFUSED],
)
def test_bad_input_is_one_line_and_writes_nothing(seeded, dump, foreign, args, code, expected) -> None:
    args = [str(foreign[a]) if a in foreign else a for a in args]
    folder = foreign[TEXT_FILE].parent
    before, files_before = dump(), snapshot(folder)
    assert before is not None
    run = seeded(*args)
    assert_one_line_error(run, code, *expected)
    assert dump() == before
    assert snapshot(folder) == files_before  # foreign files: same bytes, nothing created beside them


def test_a_refused_command_leaves_every_later_command_working(seeded, dump) -> None:
    """After a refusal the database is still usable and holds exactly what it held."""
    before = dump()
    assert_one_line_error(seeded("report", "1", "--on", "2020-03-20", "--text", "x"), 1)
    assert_one_line_error(seeded("report", "2", "--on", "11/03/2020", "--text", "x"), 1)
    assert dump() == before
    run = seeded("report", "2", "--on", "12/03/2020", "--text", "x")
    assert run.code == 0 and run.stderr == "", str(run)
    assert dump() != before


def test_database_named_by_the_environment_is_checked_too(cli, monkeypatch, foreign) -> None:
    path = foreign[OTHER_DB]
    monkeypatch.setenv("CONGTAC12_DB", str(path))
    before = snapshot(path.parent)
    assert_one_line_error(cli("cadre", "add", "--code", "C01", "--name", "An", "--dept", BTC), 1, "another program")
    assert snapshot(path.parent) == before


def test_usage_errors_exit_2_without_traceback_and_write_nothing(seeded, dump) -> None:
    """Click's own usage errors (a non-integer VISIT_ID, a missing option) still exit 2 cleanly."""
    before = dump()
    for args in (
        ["report", "abc", "--text", "x"],
        ["add-visit", "--cadre", "C01"],
        ["cadre", "add", "--code", "C04"],
        ["status", "--as-of"],
    ):
        run = seeded(*args)
        assert run.code == 2, str(run)
        assert run.crash is None and "Traceback" not in run.stdout + run.stderr, str(run)
        assert run.stderr.strip().splitlines()[-1].startswith("Error: "), str(run)
    assert dump() == before


@pytest.mark.parametrize(
    "args",
    [("report", "abc", "--text", "x"), ("add-visit", "--cadre", "C01"), ("status", "--bogus"), ("no-such-command",)],
)
def test_usage_errors_are_one_line(seeded, args) -> None:
    run = seeded(*args)
    assert run.code == 2, str(run)
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("Error: "), str(run)


EXE = str(Path(sys.executable).with_name("congtac12"))


@pytest.mark.parametrize("kind", [TEXT_FILE, OTHER_DB])
def test_the_installed_command_refuses_a_foreign_file(foreign, kind) -> None:
    """The same as a real process: exit 1, one line, no traceback, the file untouched."""
    path = foreign[kind]
    before = snapshot(path.parent)
    env = {k: v for k, v in os.environ.items() if k != "CONGTAC12_DB"}
    result = subprocess.run(
        [EXE, "--db", str(path), "cadre", "add", "--code", "C01", "--name", "An", "--dept", BTC],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert snapshot(path.parent) == before


def test_dump_helper_sees_rows(seeded, db: Path) -> None:
    """Guard for the helper itself: the dump holds the rows the tests compare."""
    text = dump_database(db)
    assert "Nguyễn Văn An" in text and "Đã báo cáo" in text and "Quận đoàn Ba Đình" in text
