"""``history`` and ``policy list``/``show`` read plain SQL (``store.read.history``, ``store.read.settings``)
and print, byte for byte, what they printed through the ORM; the history's entries are the ORM's on
random records and random changes, on SQLite and PostgreSQL; on PostgreSQL every login (a cadre's, an
administrator's, the owner's) sees through the SQL path exactly what the ORM's session showed it.

The ORM's history read (``audit.history`` as it was) is kept in tests/orm_reads.py for these
comparisons only.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import new_pg_database, refused_as_missing, refused_as_newer, upgraded_first
from test_org import Org, build, org_copy, org_template
from test_read_outputs import enrich, populate_demo
from test_read_sql import blank, record_st, write  # noqa: F401 - blank is a fixture

from congtac12.store.location import PgUrl

pytestmark = pytest.mark.both_backends
REPO = Path(__file__).resolve().parents[1]

HISTORY: list[tuple[str, ...]] = [
    ("history",),
    ("history", "--json"),
    ("history", "--limit", "2"),
    ("history", "--limit", "3", "--json"),
    ("history", "--visit", "1", "--json"),
    ("history", "--visit", "45"),
    ("history", "--visit", "99999"),
    ("history", "--visit", "99999999999999999999"),
    ("history", "--cadre", "C02", "--json"),
    ("history", "--cadre", "nguyen", "--json"),
    ("history", "--cadre", "C07"),
    ("history", "--cadre", "nobody at all"),
    ("history", "--cadre", "C01", "--visit", "1"),
    ("history", "--limit", "0"),
]
POLICY: list[tuple[str, ...]] = [
    ("policy", "list"),
    ("policy", "list", "--json"),
    ("policy", "show", "ha-noi-2020"),
    ("policy", "show", "quang-tri-2020", "--json"),
    ("policy", "show", "no-such-policy"),
]


@pytest.fixture
def orm_history(monkeypatch: pytest.MonkeyPatch):
    """``orm_history()``: from now on history and policy list read through the ORM, as before."""

    def install() -> None:
        import orm_reads

        from congtac12.store import queries
        from congtac12.store.engine import session
        from congtac12.store.read import cadres, connect, settings
        from congtac12.store.read import history as read_history

        def reading(target, *, notify=None):  # noqa: ANN001, ANN202
            return session(target, notify=notify, create=False)

        monkeypatch.setattr(connect, "reading", reading)
        monkeypatch.setattr(cadres, "find_cadre", queries.find_cadre)
        monkeypatch.setattr(settings, "setting", queries.setting)
        monkeypatch.setattr(read_history, "history", orm_reads.history)

    return install


def outputs(reads: list[tuple[str, ...]], langs: tuple[str, ...] = ("en", "vi")) -> list[tuple]:
    found = []
    for lang in langs:
        for args in reads:
            run = invoke("--lang", lang, *args)
            assert run.crash is None, run
            found.append((lang, args, run.code, run.stdout, run.stderr))
    return found


def same_outputs(orm_history, reads: list[tuple[str, ...]], langs: tuple[str, ...] = ("en", "vi")) -> list[tuple]:
    sql = outputs(reads, langs)
    orm_history()
    orm = outputs(reads, langs)
    for a, b in zip(sql, orm, strict=True):
        assert a == b
    return sql


def test_history_and_policies_print_the_same_through_sql_and_orm(cli, db, orm_history) -> None:
    populate_demo(db)
    enrich()
    found = same_outputs(orm_history, HISTORY + POLICY)
    assert sum(1 for f in found if f[2] == 0) > len(found) // 2
    assert any('"action": "visit.delete"' in f[3] for f in found)  # the enriched record's changes
    assert any("thai-san" in f[3] for f in found) and any("ha-noi-2020 *" in f[3] for f in found)


def test_no_default_policy_prints_the_same(cli, db, orm_history) -> None:
    populate_demo(db)
    found = same_outputs(orm_history, POLICY[:2])
    assert all(f[2] == 0 for f in found)


def test_a_missing_database_is_refused_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orm_history) -> None:
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("CONGTAC12_DB", str(missing))
    reads = [("history",), ("history", "--cadre", "C01", "--json"), ("policy", "list")]
    sql = outputs(reads)
    refused_as_missing(missing, [o[2:] for o in sql])
    orm_history()
    assert outputs(reads) == sql
    assert not missing.exists()


@pytest.mark.sqlite_only
def test_an_older_schema_is_upgraded_first_and_a_newer_refused(cli, db: Path) -> None:
    for args in (("history", "--json"), ("policy", "list", "--json")):
        run = upgraded_first(cli, db, *args)
        again = cli(*args)
        assert (again.code, again.stdout, again.stderr) == (0, run.stdout, "")
    refused_as_newer(db, cli, [("history",), ("history", "--visit", "1"), ("policy", "list")])


def test_a_newer_postgresql_schema_is_refused(pg, monkeypatch: pytest.MonkeyPatch, request) -> None:  # noqa: ANN001
    target = new_pg_database(pg, monkeypatch, request)
    refused_as_newer(target, invoke, [("history",), ("history", "--json"), ("policy", "list")])


def test_the_stored_rows_come_back_in_the_models_column_order() -> None:
    from congtac12.store.audit import AUDITED
    from congtac12.store.models import table_of
    from congtac12.store.read.history import COLUMNS

    assert COLUMNS == {name: tuple(c.key for c in table_of(model).columns) for name, model in AUDITED.items()}


# --- the entries, on random records and random changes -----------------------------

change_st = st.lists(
    st.tuples(
        st.sampled_from(("delete-visit", "restore-visit", "move-visit", "report", "rename", "drop-leave", "undo")),
        st.integers(min_value=0, max_value=30),
        st.integers(min_value=0, max_value=5),
    ),
    max_size=6,
)


def change(target: Path | PgUrl, what: str, n: int, m: int) -> None:
    """One change through the ORM, in its own session (so its own entry in the history)."""
    from sqlmodel import select

    from congtac12.errors import CongtacError
    from congtac12.store import audit, undo
    from congtac12.store.engine import session
    from congtac12.store.models import Cadre, Change, Leave, Report, Visit, now_utc

    with session(target, write=True) as s:
        audit.describe(s, "test", f"{what} {n} {m}")
        visits = list(s.exec(select(Visit).order_by(Visit.id)))
        cadres = list(s.exec(select(Cadre).order_by(Cadre.id)))
        if what == "undo":
            if s.exec(select(Change)).first() is not None:
                try:
                    undo.undo(s, None)
                except CongtacError:  # an undo refused (a row changed since): no change
                    s.rollback()
            return
        if not cadres:
            return  # an undo took the record back
        if what == "rename":
            cadres[n % len(cadres)].name += " Mới"
            return
        if what == "drop-leave":
            leave = list(s.exec(select(Leave).order_by(Leave.id)))
            if leave:
                audit.delete_row(s, leave[n % len(leave)])
            return
        if not visits:
            return
        visit = visits[n % len(visits)]
        if what == "delete-visit":
            visit.deleted_at = now_utc()
        elif what == "restore-visit":
            visit.deleted_at = None
        elif what == "move-visit":
            visit.cadre_id = cadres[m % len(cadres)].id
        elif what == "report":
            found = s.exec(select(Report).where(Report.visit_id == visit.id)).first()
            if found is None:
                s.add(Report(visit_id=visit.id, reported_on=visit.end + timedelta(days=m)))
            else:
                found.text = f"Đã báo cáo {m}"


def compare(target: Path | PgUrl) -> list:
    """``store.read.history`` equals the ORM's read, for every filter; the entries, unfiltered."""
    import orm_reads

    from congtac12.store.engine import session
    from congtac12.store.read import history
    from congtac12.store.read.connect import reading

    with session(target) as s, reading(target) as r:
        everything = history.history(r)
        assert everything == orm_reads.history(s)
        for limit in (1, 2, 5):
            assert history.history(r, limit=limit) == orm_reads.history(s, limit=limit)
        for vid in range(1, 16):
            assert history.history(r, visit_id=vid) == orm_reads.history(s, visit_id=vid)
            assert history.history(r, visit_id=vid, limit=1) == orm_reads.history(s, visit_id=vid, limit=1)
        for cid in range(1, 8):
            assert history.history(r, cadre_id=cid) == orm_reads.history(s, cadre_id=cid)
            assert history.history(r, cadre_id=cid, limit=2) == orm_reads.history(s, cadre_id=cid, limit=2)
    return everything


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=record_st, changes=change_st)
def test_the_sql_history_returns_the_entries_the_orm_reads(blank, record: dict, changes: list) -> None:  # noqa: F811
    target = blank()
    write(target, record)
    for what, n, m in changes:
        change(target, what, n, m)
    found = compare(target)
    assert found and found[-1].action == "test"  # the record's own change, oldest


def test_the_history_comparison_sees_a_difference(blank) -> None:  # noqa: F811
    # Not two empty answers: entries with items, and a change to one item's stored row is caught.
    import orm_reads

    from congtac12.store.engine import session
    from congtac12.store.read import history
    from congtac12.store.read.connect import reading

    target = blank()
    cadre = {"name": "Nguyễn Văn An", "department": "Văn phòng", "email": None, "subject": True, "joined": None,
             "served": None, "deactivated": False, "leave": [(10, 5, "om-dau")]}  # fmt: skip
    write(target, {"cadres": [cadre], "visits": [], "plans": [], "policy": "ha-noi-2020"})
    change(target, "rename", 0, 0)
    found = compare(target)
    assert len(found) == 2 and found[0].items and found[1].items
    with session(target) as s:
        before = orm_reads.history(s)
    with session(target, write=True) as s:
        s.connection().exec_driver_sql("UPDATE change SET summary = 'other' WHERE id = 1")
    with reading(target) as r:
        assert history.history(r) != before


# --- PostgreSQL: what each login may see ---------------------------------------------


@pytest.fixture(scope="module")
def org_db(pg):  # noqa: ANN001, ANN201
    yield from org_template(pg, build)


LOGIN_READS: list[tuple[str, ...]] = [
    ("history",),
    ("history", "--json"),
    ("history", "--visit", "2", "--json"),
    ("history", "--cadre", "C02"),
    ("history", "--cadre", "C01", "--limit", "1", "--json"),
    ("policy", "list", "--json"),
]
WHO = ("an", "binh", "adm", "owner")


def seen(org: Org) -> dict[str, list[tuple]]:
    return {
        who: [(args, run.code, run.stdout, run.stderr) for args in LOGIN_READS for run in [org.run(who, *args)]]
        for who in WHO
    }


def test_every_login_sees_through_sql_the_history_the_orm_showed_it(pg, org_db, monkeypatch, request, orm_history):  # noqa: ANN001
    org = org_copy(pg, org_db, monkeypatch, request)
    sql = seen(org)
    assert all(code == 0 and out for runs in sql.values() for _, code, out, _ in runs), sql
    assert '"who": "' + org.logins["binh"] + '"' in sql["an"][1][2]  # a cadre reads every change, as before
    # the database decides what a login reads: without SELECT on the history, a cadre reads none of it
    org.pg.execute("REVOKE SELECT ON change_item FROM congtac12_cadre", database=org.name)
    refused = seen(org)
    for who in ("an", "binh"):
        assert all(code == 1 and out == "" and err.count("\n") == 1 for args, code, out, err in refused[who][:5])
        assert all("permission denied" in err for _, _, _, err in refused[who][:5]), refused[who]
    assert refused["adm"] == sql["adm"] and refused["owner"] == sql["owner"]
    orm_history()
    assert seen(org) == refused
    org.pg.execute("GRANT SELECT ON change_item TO congtac12_cadre", database=org.name)
    assert seen(org) == sql
