"""``db copy`` (issue 9, part 4): the demo database up to PostgreSQL and back down,
every record; refusals; a copy that fails midway leaves nothing behind.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import dump_database, invoke, sql
from pg_server import PgServer

from congtac12.store.copy import tables
from congtac12.store.location import PgUrl

AS_OF = "13/11/2020"


@pytest.fixture(scope="module")
def demo(demo_module: Path) -> Path:
    """The demo database (conftest's, made once per session), copied for each test."""
    return demo_module


@pytest.fixture
def source(demo: Path, tmp_path: Path) -> Path:
    """A copy of the demo database of this test's own (opening it may write its WAL)."""
    path = tmp_path / "source.db"
    path.write_bytes(demo.read_bytes())
    return path


@pytest.fixture
def empty_pg(pg: PgServer, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """``empty_pg()``: the URL (without password) of a new empty database, dropped after the test."""
    monkeypatch.setenv("PGPASSWORD", pg.password)
    monkeypatch.setenv("COLUMNS", "200")

    def make() -> PgUrl:
        name = pg.new_database()
        request.addfinalizer(lambda: pg.drop_database(name))
        return PgUrl(pg.url_of(name))

    return make


def on(target, *args: str):
    """``congtac12 --db TARGET ARGS...``"""
    return invoke("--db", str(target.url if isinstance(target, PgUrl) else target), *args)


def copy_to(source, target, *extra: str):
    return on(source, "db", "copy", "--to", target.url if isinstance(target, PgUrl) else str(target), *extra)


def json_of(target, *args: str):
    run = on(target, *args, "--json")
    assert run.code == 0, run
    return json.loads(run.stdout)


def rows(target) -> dict[str, list[tuple]]:
    """Every row of every table of the record, in key order, as SQLite would give it."""
    out = {}
    for table in tables():
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        keys = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        got = sql(target, f'SELECT {columns} FROM "{table.name}" ORDER BY {keys}')  # noqa: S608
        out[table.name] = [tuple(_plain(v) for v in row) for row in got]
    return out


def _plain(value: object) -> object:
    """SQLite keeps booleans as 0/1 and a datetime with microseconds ".000000" sometimes: compare as text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and len(value) == 26 and value[19] == ".":
        return value[:19] if value.endswith(".000000") else value
    return value


def the_same_record(a, b) -> None:
    assert rows(a) == rows(b)
    assert json_of(a, "status", "--as-of", AS_OF) == json_of(b, "status", "--as-of", AS_OF)
    assert json_of(a, "remind", "--as-of", AS_OF) == json_of(b, "remind", "--as-of", AS_OF)
    assert json_of(a, "history", "--limit", "100000") == json_of(b, "history", "--limit", "100000")


def test_the_demo_database_goes_up_to_postgresql_and_back_down_with_every_record(
    source: Path, empty_pg, tmp_path: Path
) -> None:
    before = rows(source)
    assert len(before["visit"]) > 1000 and len(before["change_item"]) > 1000 and before["unit"]
    target = empty_pg()
    began = time.monotonic()
    run = copy_to(source, target, "--json")
    up = time.monotonic() - began
    assert run.code == 0, run
    copied = json.loads(run.stdout)
    assert copied["source"] == str(source) and copied["target"] == target.url
    assert copied["tables"] == {name: len(r) for name, r in before.items()}
    assert copied["rows"] == sum(len(r) for r in before.values())
    the_same_record(source, target)
    assert rows(source) == before  # the source is read, not written; no history entry anywhere

    down = tmp_path / "down" / "copy.db"
    down.parent.mkdir()
    began = time.monotonic()
    run = copy_to(target, down)
    back = time.monotonic() - began
    assert run.code == 0 and run.stderr == "", run
    assert run.stdout.startswith(f"Copied {target.url} to {down}: {copied['rows']:,} rows (")
    assert f"{len(before['visit']):,} visits" in run.stdout  # each table's count, named
    assert down.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in down.parent.iterdir()) == ["copy.db"]  # self-contained, no leftovers
    the_same_record(target, down)
    the_same_record(source, down)
    check = json_of(down, "db", "check")
    assert check["ok"] is True, check
    print(
        f"db copy of the demo database ({copied['rows']:,} rows): up to PostgreSQL {up:.2f} s, "
        f"down to SQLite {back:.2f} s (in-process)"
    )

    # Both copies go on: new rows get new ids (the PostgreSQL sequences were set).
    for copy in (target, down):
        run = on(copy, "add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "01/12/2020", "--kind", "phoi-hop")
        assert run.code == 0, run
        assert f"Added visit {before['visit'][-1][0] + 1}:" in run.stdout
        run = on(copy, "cadre", "add", "--code", "C99", "--name", "Mới", "--dept", "VP")
        assert run.code == 0, run
        history = json_of(copy, "history", "--limit", "100000")
        assert len(history) == len(before["change"]) + 2


def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(source: Path, empty_pg, pg: PgServer) -> None:
    ours = empty_pg()
    assert on(ours, "cadre", "add", "--code", "X1", "--name", "X", "--dept", "VP").code == 0
    other = empty_pg()
    pg.execute("CREATE TABLE notes (id int)", database=other.url.rsplit("/", 1)[1])
    for target in (ours, other):
        before = dump_database(target)
        run = copy_to(source, target)
        assert run.code == 1 and run.stdout == "" and run.crash is None, run
        assert dump_database(target) == before
    assert on(source, "db", "copy", "--to", ours.url).stderr == (
        f"Error: {ours.url} is not empty (it holds a congtac12 record); db copy writes only into "
        "an empty PostgreSQL database or a new SQLite file\n"
    )
    assert copy_to(source, other).stderr == (
        f"Error: {other.url} is a PostgreSQL database of another program, not congtac12 "
        "(it has tables but not ours); it was left untouched\n"
    )


def test_an_existing_file_the_source_itself_and_a_non_database_are_refused(
    source: Path, empty_pg, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.db"
    taken.write_text("mine")
    run = copy_to(source, taken)
    assert (run.code, run.stdout) == (1, "")
    assert run.stderr == f"Error: {taken} exists; congtac12 does not overwrite it (give a new file name)\n"
    assert taken.read_text() == "mine"
    before = source.read_bytes()
    run = copy_to(source, tmp_path / "." / "source.db")
    assert run.stderr == f"Error: {tmp_path}/source.db is the database being copied; give another one\n"
    assert source.read_bytes() == before
    target = empty_pg()
    assert copy_to(source, target).code == 0
    before = dump_database(target)
    # The same database through another spelling of the server's address.
    same = PgUrl(target.url.replace("127.0.0.1", "localhost"))
    run = copy_to(target, same)
    assert run.code == 1 and run.stderr == f"Error: {same} is the database being copied; give another one\n"
    assert dump_database(target) == before
    run = copy_to(source, "mysql://host/db")
    assert run.code == 2 and run.stderr == (
        "Error: --to: mysql:// is not a database congtac12 can use; "
        "accepted: a SQLite file path or a postgresql:// URL\n"
    )
    missing = tmp_path / "missing.db"
    run = copy_to(missing, tmp_path / "out.db")
    assert run.code == 1 and run.stderr == f"Error: {missing} is not a congtac12 database; nothing to copy\n"
    assert not missing.exists() and not (tmp_path / "out.db").exists()


def test_a_password_in_a_url_is_never_shown(source: Path, pg: PgServer, empty_pg) -> None:
    target = empty_pg()
    with_password = pg.url_of(target.url.rsplit("/", 1)[1], login="nobody_here", password="s3cret-pw")
    run = copy_to(source, with_password)
    assert run.code == 1 and "s3cret-pw" not in run.stdout + run.stderr, run
    assert run.stderr.startswith("Error: cannot connect to postgresql://nobody_here:***@"), run
    assert dump_database(target) is None


# --- failures midway -------------------------------------------------------------------


def broken_source(source: Path) -> Path:
    """The source with, at its end, a visit of a cadre that is not there (written with the
    foreign keys off, as a damaged file could be): the target refuses that row."""
    con = sqlite3.connect(source)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute(
        'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, created_at) '
        "VALUES (9999, 1, '2020-05-01', '2020-05-01', 'phoi-hop', '2020-05-01 10:00:00')"
    )
    con.commit()
    con.close()
    return source


def test_a_copy_that_fails_midway_writes_nothing_on_either_backend(source: Path, empty_pg, tmp_path: Path) -> None:
    broken_source(source)
    target = empty_pg()
    run = copy_to(source, target)
    assert run.code == 1 and run.stdout == "" and run.crash is None, run
    assert run.stderr.startswith(f"Error: cannot copy into {target.url}: ") and "foreign key" in run.stderr, run
    assert run.stderr.endswith("; nothing was written\n")
    assert dump_database(target) is None  # not even the schema
    out = tmp_path / "out" / "copy.db"
    out.parent.mkdir()
    run = copy_to(source, out)
    assert run.code == 1 and run.crash is None, run
    assert run.stderr == f"Error: cannot copy into {out}: FOREIGN KEY constraint failed; nothing was written\n"
    assert list(out.parent.iterdir()) == []  # no file, no partial file beside it


# A target database that breaks the copy once its tables are made, with an event trigger
# (a superuser's): every row inserted into change_item raises, or vanishes without a word.
TRAP = """
CREATE FUNCTION public.trap_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {body} END $$;
CREATE FUNCTION public.set_trap() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = 'public.change_item') THEN
    EXECUTE 'CREATE TRIGGER trap BEFORE INSERT ON public.change_item '
            'FOR EACH ROW EXECUTE FUNCTION public.trap_row()';
  END IF;
END $$;
CREATE EVENT TRIGGER set_trap ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.set_trap();
"""


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("RAISE EXCEPTION 'change_item is not writable here';", "change_item is not writable here"),
        ("RETURN NULL;", "the copy of table change_item holds 0 rows instead of"),
    ],
)
def test_a_target_that_fails_or_loses_rows_midway_is_left_empty(
    source: Path, empty_pg, pg: PgServer, body: str, error: str
) -> None:
    target = empty_pg()
    name = target.url.rsplit("/", 1)[1]
    pg.execute(TRAP.format(body=body), database=name)
    run = copy_to(source, target)
    assert run.code == 1 and run.stdout == "" and run.crash is None, run
    assert error in run.stderr and run.stderr.rstrip().endswith("nothing was written"), run
    assert dump_database(target) is None
    # Tables of the record went in before change_item's rows failed: all rolled back.
    assert pg.execute("SELECT count(*) FROM pg_class WHERE relname IN ('cadre', 'visit')", database=name) == [(0,)]
