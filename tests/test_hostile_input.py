"""Hostile input (issue 4, point 7): arbitrary text for every argument of every
command. Never a traceback; exit 0, 1 or 2 only; a refusal is one "Error: …"
line and leaves the database exactly as it was.

One database per test, seeded once and shared by the examples (an accepted
command may change it; a refused one must not).
"""

from __future__ import annotations

import os
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


# --- issue 15, point 6: every bad input below is one line, exit 1 or 2, nothing written, no hang ------


def _files(folder: Path) -> dict[str, str]:
    """The hostile files, made in the test's folder; returns name -> path."""
    import datetime as dt
    import json

    from openpyxl import Workbook

    made = {}

    def export(name: str, text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        made[name] = str(folder / name)

    header = '{"format": "congtac12", "format_version": 1, '
    export("big-cell.csv", "code,name,department\nC02," + "x" * 140_000 + ",VP\n")
    export("nested.json", header + '"cadres": ' + "[" * 100_000 + "]" * 100_000 + "}")
    export("long-number.json", header + '"cadres": [{"code": "C02", "name": "A", "department": "B", "subject": '
           + "9" * 5000 + "}]}")  # fmt: skip
    export("list-as-text.json", header + '"cadres": [{"code": "C02", "name": ["A", "B"], "department": "B"}]}')
    export("date-repr.json", json.dumps({"format": "congtac12", "format_version": 1, "reports": [
        {"cadre": "C01", "unit": "Ba Đình", "start": "2020-03-05", "end": "2020-03-05", "kind": "chuyen-de",
         "reported_on": "2020-03-07", "text": "Khác"}]}, ensure_ascii=False))  # fmt: skip
    for name, start in (("year-9999-date.xlsx", dt.date(9999, 12, 25)), ("year-9999-serial.xlsx", 2958460)):
        wb = Workbook()
        ws = wb.active
        ws.title = "visits"
        ws.append(["cadre", "unit", "start", "end", "kind"])
        ws.append(["C01", "Ba Đình", start, None, "phoi-hop"])  # one bad cell (an empty end is the start)
        wb.save(folder / name)
        made[name] = str(folder / name)
    policy = (Path(__file__).parents[1] / "src/congtac12/policies/ha-noi-2020.toml").read_text(encoding="utf-8")
    export("due-days.toml", policy.replace("report_due_days = 10", "report_due_days = 999999999"))
    assert (folder / "due-days.toml").read_text(encoding="utf-8").count("999999999") == 1
    os.mkfifo(folder / "pipe")
    made["pipe"] = str(folder / "pipe")
    return made


LONG = "a" * 300  # bytes: over the 255 every common file system allows in a name
DIGITS40 = "1234567890123456789012345678901234567890"

HOSTILE = [  # (arguments, with {name} for a hostile file; exit code; what the one line says)
    (["import", "{big-cell.csv}"], 2, "cells of at most 131,072 characters"),
    (["import", "{nested.json}"], 2, "nested too deeply"),
    (["import", "{long-number.json}"], 2, "a number of 5,000 digits; accepted: at most 30"),
    (["import", "{list-as-text.json}"], 2, "is a JSON list, not text"),
    (["import", "{date-repr.json}"], 1, "already recorded with reported_on 2020-03-10; this row has 2020-03-07"),
    (["import", "{year-9999-date.xlsx}"], 2, "'9999-12-25' is out of range; accepted: years 1900 to 2999"),
    (["import", "{year-9999-serial.xlsx}"], 2, "'9999-12-26' is out of range; accepted: years 1900 to 2999"),
    (["import", "{pipe}"], 2, "is a FIFO"),
    (["import", LONG + ".json"], 2, "the file name is 305 bytes long; accepted: at most 255"),
    (["export", "--out", LONG + ".json"], 2, "the file name is 305 bytes long"),
    (["status", "--html", LONG + ".html"], 2, "the file name is 305 bytes long"),
    (["status", "--format", "csv", "--out", LONG + ".csv"], 2, "the file name is 304 bytes long"),
    (["policy", "check", LONG + ".toml"], 2, "the file name is 305 bytes long"),
    (["policy", "show", LONG + ".toml"], 2, "the file name is 305 bytes long"),
    (["config", "set", "policy", LONG + ".toml"], 2, "the file name is 305 bytes long"),
    (["demo", "--out", LONG + ".db"], 2, "the file name is 303 bytes long"),
    (["demo", "--out", "{pipe}"], 2, "is a FIFO"),
    (["export", "--out", "{pipe}", "--format", "json", "--force"], 2, "is a FIFO"),
    (["report", "show", DIGITS40], 1, f"no visit {DIGITS40}"),
    (["leave", "delete", DIGITS40], 1, f"no leave {DIGITS40}"),
    (
        ["policy", "check", "{due-days.toml}"],
        2,
        "report_due_days is 999999999; accepted: a whole number of days, 0 to 3660",
    ),
    (["status", "--policy", "{due-days.toml}"], 2, "report_due_days is 999999999"),
    (["--db", "postgresql://u@localhost:99x/db", "cadre", "list"], 2, "the port in 'localhost:99x' is not valid"),
    (["--db", "", "cadre", "list"], 2, "--db is empty; accepted: a database file path or a postgresql:// URL"),
    (["--db", "{pipe}", "cadre", "list"], 2, "is a FIFO"),
    (["--db", "/dev/null", "cadre", "list"], 2, "is a device"),
    (["unit", "add", "--name", "Quận đoàn Ba Đình\u200b", "--level", "huyen"], 2, "an invisible character"),
    (["cadre", "edit", "C01", "--name", "Nguyễn\u202eVăn An"], 2, "an invisible character"),
    (["report", "1", "--on", "20/03/2020", "--replace", "--text", "a\u2066b"], 2, "a text-direction mark"),
    (["visits", "--cadre", "x" * 120_000], 1, "(120,000 characters)"),  # the echo is cut short
    (
        ["add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "Đ" * 5000, "--kind", "phoi-hop"],
        2,
        "(5,000 characters)",
    ),  # fmt: skip
]


@pytest.mark.parametrize("args, code, message", HOSTILE, ids=lambda v: str(v)[:40] if isinstance(v, list) else None)
def test_each_hostile_input_is_one_line_and_writes_nothing(shared, db, tmp_path: Path, args, code, message) -> None:
    made = _files(tmp_path)
    args = [made[a[1:-1]] if a.startswith("{") and a.endswith("}") else a for a in args]
    before = dump_database(db)
    run = shared(*args)
    assert run.code == code and run.crash is None, str(run)
    assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1 and message in run.stderr, str(run)
    assert "datetime.date(" not in run.stderr and len(run.stderr) < 1000, str(run)
    assert dump_database(db) == before
    assert not any(LONG in p.name for p in tmp_path.iterdir())


@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", ["q?x.db", "a#b.db", "50%20.db", "file:x.db", "x?mode=ro.db", "?immutable=1"])
def test_a_db_name_with_characters_sqlite_uris_treat_specially_is_the_literal_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("--db", name, "cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "VP")
    assert run.code == 0, str(run)
    assert cli("--db", name, "cadre", "list", "--json").code == 0
    made = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert made == [name]  # that file and no other (no "q" from "q?x.db")
    assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
