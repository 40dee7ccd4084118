"""``export`` reads plain SQL (``store.read.exchange``) and writes, byte for byte, the files it wrote
when it read through the ORM: JSON and CSV compared as bytes, XLSX cell by cell, on the demo and on
a record with service periods, leave, exempt and deactivated cadres, deleted visits and plans in
every state, on SQLite and PostgreSQL; the rows of every table are the ORM's on random records.

The ORM's export queries (``store.exchange``'s ``_export_*`` as they were) are kept in
tests/orm_reads.py for these comparisons only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import new_pg_database, refused_as_missing, refused_as_newer, upgraded_first
from test_read_outputs import enrich, populate_demo
from test_read_sql import blank, record_st, write  # noqa: F401 - blank is a fixture

from congtac12.store.location import PgUrl

pytestmark = pytest.mark.both_backends
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def orm_export(monkeypatch: pytest.MonkeyPatch):
    """``orm_export()``: from now on export reads its tables through the ORM, as before."""

    def install() -> None:
        import orm_reads

        from congtac12.store.engine import session
        from congtac12.store.read import connect
        from congtac12.store.read import exchange as read_exchange

        def reading(target, *, notify=None):  # noqa: ANN001, ANN202
            return session(target, notify=notify, create=False)

        monkeypatch.setattr(connect, "reading", reading)
        monkeypatch.setattr(read_exchange, "export_sheets", orm_reads.export_sheets)

    return install


def with_plans() -> None:
    """Plans in every state: a draft, a submitted one, an approved one fulfilled by a visit, a returned one."""
    for args in (
        ("--cadre", "C01", "--unit", "Ba Đình", "--from", "10/11/2020", "--to", "12/11/2020", "--kind", "sinh-hoat"),
        ("--cadre", "C02", "--unit", "Ba Đình", "--month", "11/2020", "--days", "3", "--kind", "chuyên đề"),
        ("--cadre", "C03", "--unit", "Gia Lâm", "--from", "02/11/2020", "--kind", "phoi-hop", "--topic", "=1+1"),
        ("--cadre", "C01", "--unit", "Gia Lâm", "--from", "01/12/2020", "--to", "04/12/2020", "--kind", "chuyen-de"),
    ):
        run = invoke("plan", "add", *args)
        assert run.code == 0, run
    for args in (
        ("plan", "submit", "1", "2", "3"),
        ("plan", "approve", "1", "2", "--by", "Văn phòng"),
        ("plan", "return", "3", "--reason", "Trùng lịch Đại hội"),
        ("add-visit", "--plan", "2", "--from", "17/11/2020", "--to", "18/11/2020"),
    ):
        run = invoke(*args)
        assert run.code == 0, run


def exported(tmp: Path) -> dict[str, object]:
    """Each format's export of $CONGTAC12_DB under ``tmp``: (exit code, stdout, stderr, the file's content)."""
    from openpyxl import load_workbook

    found: dict[str, object] = {}
    for fmt, name in (("json", "all.json"), ("csv", "all-csv"), ("xlsx", "all.xlsx")):
        out = tmp / name
        run = invoke("export", "--format", fmt, "--out", str(out))
        assert run.crash is None, run
        content: object = None
        if run.code == 0 and fmt == "json":
            content = out.read_bytes()
        elif run.code == 0 and fmt == "csv":
            content = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        elif run.code == 0:
            wb = load_workbook(out)
            content = [
                (
                    ws.title,
                    [[(c.value, c.data_type, c.number_format, c.quotePrefix) for c in row] for row in ws.iter_rows()],
                )
                for ws in wb.worksheets
            ]
        found[fmt] = (run.code, run.stdout.replace(str(tmp), "TMP"), run.stderr.replace(str(tmp), "TMP"), content)
    return found


def same_files(tmp_path: Path, orm_export) -> dict[str, object]:
    (tmp_path / "sql").mkdir()
    (tmp_path / "orm").mkdir()
    sql = exported(tmp_path / "sql")
    orm_export()
    orm = exported(tmp_path / "orm")
    for fmt in sql:
        assert sql[fmt] == orm[fmt], fmt
    return sql


def test_the_demo_exports_the_same_files(cli, db, orm_export, tmp_path: Path) -> None:
    populate_demo(db)
    found = same_files(tmp_path, orm_export)
    assert all(f[0] == 0 for f in found.values()) and len(found["json"][3]) > 100_000


def test_a_record_with_service_leave_deletions_and_plans_exports_the_same_files(
    cli, db, orm_export, tmp_path: Path
) -> None:
    populate_demo(db)
    enrich()
    with_plans()
    found = same_files(tmp_path, orm_export)
    text = found["json"][3].decode()
    for part in ('"reason": "thai-san"', '"deleted": true', '"active": false', '"state": "returned"', "=1+1"):
        assert part in text, part
    assert "'=1+1" in found["csv"][3]["plans.csv"].decode("utf-8-sig")


def test_a_missing_database_exports_nothing_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orm_export) -> None:
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("CONGTAC12_DB", str(missing))
    (tmp_path / "sql").mkdir()
    (tmp_path / "orm").mkdir()
    sql = exported(tmp_path / "sql")
    refused_as_missing(missing, [f[:3] for f in sql.values()])
    orm_export()
    assert exported(tmp_path / "orm") == sql
    assert not missing.exists() and not any((tmp_path / "sql").iterdir())


@pytest.mark.sqlite_only
def test_an_older_schema_is_upgraded_first_and_a_newer_refused(cli, db: Path, tmp_path: Path) -> None:
    upgraded_first(cli, db, "export", "--out", str(tmp_path / "a.json"))
    again = cli("export", "--out", str(tmp_path / "b.json"))
    assert (again.code, again.stderr) == (0, "")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    formats = ("json", "csv", "xlsx")
    refused_as_newer(db, cli, [("export", "--format", f, "--out", str(tmp_path / f"new-{f}")) for f in formats])
    assert not [f for f in formats if (tmp_path / f"new-{f}").exists()]


def test_a_newer_postgresql_schema_is_refused(pg, monkeypatch: pytest.MonkeyPatch, request, tmp_path: Path) -> None:  # noqa: ANN001
    target = new_pg_database(pg, monkeypatch, request)
    refused_as_newer(target, invoke, [("export", "--out", str(tmp_path / "x.json"))])
    assert not (tmp_path / "x.json").exists()


# --- the rows, on random records ----------------------------------------------------


def compare(target: Path | PgUrl) -> list:
    import orm_reads

    from congtac12.store.engine import session
    from congtac12.store.read import exchange
    from congtac12.store.read.connect import reading

    with session(target) as s, reading(target) as r:
        sheets = exchange.export_sheets(r)
        assert sheets == orm_reads.export_sheets(s)
        assert exchange.export_sheets(r, spreadsheet=True) == orm_reads.export_sheets(s, spreadsheet=True)
    return sheets


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=record_st)
def test_the_sql_export_returns_the_rows_the_orm_reads(blank, record: dict) -> None:  # noqa: F811
    target = blank()
    write(target, record)
    sheets = {sheet.name: sheet.rows for sheet in compare(target)}
    assert len(sheets["cadres"]) == len(record["cadres"]) and len(sheets["units"]) > 30


def test_the_export_comparison_sees_a_difference(blank) -> None:  # noqa: F811
    import orm_reads

    from congtac12.store.engine import session
    from congtac12.store.read import exchange
    from congtac12.store.read.connect import reading

    target = blank()
    cadre = {"name": "Nguyễn Văn An", "department": "Văn phòng", "email": None, "subject": True, "joined": 3,
             "served": 400, "deactivated": True, "leave": [(10, 5, "om-dau")]}  # fmt: skip
    visit = {"cadre": 0, "unit": 3, "start": 200, "length": 1, "kind": "kiem-tra", "report": 4, "deleted": True,
             "reminded": False}  # fmt: skip
    plan = {"cadre": 0, "unit": 3, "start": 300, "length": 2, "kind": "chuyen-de", "state": "approved", "link": True}
    write(target, {"cadres": [cadre], "visits": [visit], "plans": [plan], "policy": "ha-noi-2020"})
    sheets = {sheet.name: sheet.rows for sheet in compare(target)}
    assert all(len(sheets[t]) == 1 for t in ("cadres", "leave", "visits", "reports", "plans", "settings"))
    assert sheets["plans"][0][10] == "2020-01-02 00:00:00+00:00" and sheets["plans"][0][11] == "C00"
    with session(target) as s:
        before = orm_reads.export_sheets(s)
    with session(target, write=True) as s:
        s.connection().exec_driver_sql("UPDATE leave SET reason = 'thai-san'")
    with reading(target) as r:
        assert exchange.export_sheets(r) != before


# --- the JSON text, written a value at a time ---------------------------------------

scalar_st = st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.floats(allow_nan=False))
doc_st = st.dictionaries(
    st.text(),
    st.one_of(
        scalar_st,
        st.lists(st.dictionaries(st.text(), scalar_st, max_size=4), max_size=4),
        st.lists(st.integers(), max_size=2),  # not written by the export: json.dumps writes it
        st.lists(st.dictionaries(st.text(), st.lists(st.integers()), max_size=2), max_size=2),
    ),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(doc=doc_st)
def test_the_json_text_is_what_json_dumps_writes(doc: dict) -> None:
    from congtac12.exchange.json_write import json_text

    assert json_text(doc) == json.dumps(doc, ensure_ascii=False, indent=2)


def test_an_export_is_written_as_json_dumps_wrote_it(cli, db, tmp_path: Path) -> None:
    populate_demo(db)
    enrich()
    with_plans()
    out = tmp_path / "all.json"
    assert invoke("export", "--out", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert '"deleted": true' in text and '"decided_at": "' in text and '"format_version": ' in text
