"""Hostile input (issue 4, point 7): arbitrary text for every argument of every
command. Never a traceback; exit 0, 1 or 2 only; a refusal is one "Error: …"
line and leaves the database exactly as it was.

One database per test, seeded once and shared by the examples (an accepted
command may change it; a refused one must not).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dump_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.both_backends

# Text a user, a script or a broken terminal might send.
NASTY = [
    "",
    " ",
    "\t",
    "\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\r\n",
    "\u202etxet",
    "\ufeff",
    "\udcff",
    "\ud800",
    "-",
    "--",
    "--help",
    "-h",
    "--json",
    "0",
    "-1",
    "1e9",
    "99999999999999999999999",
    "31/02/2020",
    "29/02/2021",
    "2020-13-01",
    "00/00/0000",
    "1/1/1",
    "today",
    "hôm nay",
    "yesterday",
    "9999-12-31",
    "0001-01-01",
    "05/03/2020",
    "C01",
    "c01",
    "nguyen van an",
    "Nguyễn Văn An",
    "N\u0303guye\u0302\u0303n",
    "Ba Đình",
    "ba dinh",
    "chuyen-de",
    "sinh-hoat",
    "co-so",
    "%s%n",
    "{0}",
    "{id}",
    "'; DROP TABLE visit; --",
    "x" * 600,
    "Đ" * 5000,
    "..",
    ".",
    "~",
    "$HOME",
    "*",
    "[bold]x[/]",
    "\\",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(max_size=2000),
    st.from_regex(r"[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}", fullmatch=True),
)
FILE_NAME = TEXT.map(lambda t: "fuzz-" + t.replace("/", "_"))  # stays in the test's folder
ID = st.one_of(TEXT, st.integers(-5, 10).map(str))

# Each command with a strategy for each of its arguments.
COMMANDS = {
    "cadre add": lambda d: [
        "cadre",
        "add",
        "--code",
        d(TEXT),
        "--name",
        d(TEXT),
        "--dept",
        d(TEXT),
        "--email",
        d(TEXT),
    ],
    "cadre edit": lambda d: ["cadre", "edit", d(TEXT), "--name", d(TEXT), "--email", d(TEXT), "--dept", d(TEXT)],
    "cadre delete/restore": lambda d: ["cadre", d(st.sampled_from(["delete", "restore"])), d(TEXT)],
    "unit add": lambda d: ["unit", "add", "--name", d(TEXT), "--level", d(TEXT), "--parent", d(TEXT)],
    "add-visit": lambda d: [
        "add-visit",
        "--cadre",
        d(TEXT),
        "--unit",
        d(TEXT),
        "--from",
        d(TEXT),
        "--to",
        d(TEXT),
        "--kind",
        d(TEXT),
        "--topic",
        d(TEXT),
        "--order",
        d(TEXT),
    ],
    "add-visit, real names": lambda d: [
        "add-visit",
        "--cadre",
        "C01",
        "--unit",
        "Ba Đình",
        "--from",
        d(TEXT),
        "--kind",
        "phoi-hop",
        "--topic",
        d(TEXT),
        "--order",
        d(TEXT),
    ],
    "edit-visit": lambda d: [
        "edit-visit",
        d(ID),
        "--unit",
        d(TEXT),
        "--from",
        d(TEXT),
        "--to",
        d(TEXT),
        "--kind",
        d(TEXT),
        "--topic",
        d(TEXT),
    ],
    "delete/restore-visit": lambda d: [d(st.sampled_from(["delete-visit", "restore-visit"])), d(ID)],
    "visits": lambda d: ["visits", "--cadre", d(TEXT), "--from", d(TEXT), "--to", d(TEXT)],
    "report --text": lambda d: ["report", d(ID), "--on", d(TEXT), "--text", d(TEXT)],
    "report --file": lambda d: ["report", "1", "--on", "20/03/2020", "--file", d(FILE_NAME), "--replace"],
    "status": lambda d: ["status", "--cadre", d(TEXT), "--as-of", d(TEXT)],
    "history": lambda d: ["history", d(st.sampled_from(["--visit", "--cadre"])), d(TEXT)],
    "undo": lambda d: ["undo", d(ID)],
    "db backup": lambda d: ["db", "backup", d(FILE_NAME)],
    "--db": lambda d: ["--db", d(FILE_NAME), "cadre", "list"],
}


@pytest.fixture
def shared(cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # file names land here, nowhere else
    for args in (
        ["cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "VP"],
        ["add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"],
        ["report", "1", "--on", "10/03/2020", "--text", "Đã báo cáo"],
    ):
        assert cli(*args).code == 0
    return cli


@pytest.mark.parametrize("command", list(COMMANDS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_arbitrary_text_never_breaks_a_command(shared, db: Path, command: str, data) -> None:
    args = COMMANDS[command](lambda strategy: data.draw(strategy))
    before = dump_database(db)
    run = shared(*args)
    assert run.crash is None, str(run)
    assert "Traceback" not in run.stdout + run.stderr, str(run)
    assert run.code in (0, 1, 2), str(run)
    if run.code != 0:
        assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1, str(run)
        assert dump_database(db) == before, str(run)


def test_report_file_limits(shared, db: Path, tmp_path: Path) -> None:
    before = dump_database(db)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1_000_001)  # one byte over 1,000,000
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Báo cáo".encode("latin-1", errors="replace") + b"\xe1")
    control = tmp_path / "control.txt"
    control.write_text("Báo cáo\x1b[2J", encoding="utf-8")
    long_text = tmp_path / "long.txt"
    long_text.write_text("x" * 50_001, encoding="utf-8")  # 50,000 characters is the limit
    for path, message in [
        (big, "is larger than 1,000,000 bytes"),
        (binary, "is not UTF-8 text"),
        (latin, "is not UTF-8 text"),
        (control, "contains control characters"),
        (long_text, "report text is 50001 characters; accepted: at most 50000"),
        (tmp_path, "is not a file"),
    ]:
        run = shared("report", "1", "--on", "20/03/2020", "--replace", "--file", str(path))
        assert run.code == 2 and message in run.stderr and run.stderr.count("\n") == 1, str(run)
    assert dump_database(db) == before
    ok_file = tmp_path / "ok.txt"
    ok_file.write_text("Kết quả:\n\tđã khảo sát\r\n" + "x" * 49_000, encoding="utf-8")
    assert shared("report", "1", "--on", "20/03/2020", "--replace", "--file", str(ok_file)).code == 0


@pytest.mark.parametrize(
    "args, code, message",
    [  # what the properties above found once; kept as plain cases
        (
            ["add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "9999-12-31", "--kind", "phoi-hop"],
            2,
            "--from '9999-12-31' is out of range; accepted: years 1900 to 2999",
        ),
        (["delete-visit", "99999999999999999999999"], 1, "no visit 99999999999999999999999"),
        (["undo", "99999999999999999999999"], 1, "no change #99999999999999999999999"),
        (["db", "backup", "fuzz-\udcff"], 2, "PATH is not valid UTF-8 text"),
        (["--db", "fuzz-\x00", "cadre", "list"], 2, "--db contains a NUL character"),
        (["--db", "x" * 300, "cadre", "list"], 1, "File name too long"),
        (
            ["report", "1", "--on", "20/03/2020", "--file", "fuzz-\n", "--replace"],
            2,
            "--file fuzz-\\n is not a file",
        ),  # the line break shown escaped: still one line
        (
            ["report", "1", "--on", "20/03/2020", "--text", "a\x1b[2Jb", "--replace"],
            2,
            "report text contains control characters",
        ),
    ],
)
def test_cases_found_by_the_properties(shared, db: Path, args, code, message) -> None:
    before = dump_database(db)
    run = shared(*args)
    assert run.code == code and run.crash is None, str(run)
    assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1 and message in run.stderr, str(run)
    assert dump_database(db) == before
