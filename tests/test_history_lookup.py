"""Schema 7: the history's lookup of one row in its change goes through an index (issue 20).

On PostgreSQL every write to an audited table runs ``congtac12_audit``
(``store/pg_history.py``), which looks up the item of that row in the change of
its transaction. With ``change_id`` alone indexed the lookup walked every item
of the change so far: one import of n visits took time in n². These tests read
the plan of that lookup and the indexes themselves, not a clock.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from support import old_sqlite_database

from congtac12.store.sqlite_file import SCHEMA_VERSION

# The index of schema 7, and what change_item is indexed by on both backends.
LOOKUP = "ix_change_item_lookup"
INDEXES = {LOOKUP: ["change_id", "entity", "entity_key"], "ix_change_item_entity": ["entity", "entity_key"]}
# The trigger's statement, as pg_history writes it into the function.
TRIGGER_LOOKUP = "WHERE i.change_id = cid AND i.entity = e AND i.entity_key = k"


def sqlite_indexes(path: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM pragma_index_list('change_item') WHERE origin = 'c'")]
        return {
            n: [r[0] for r in con.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", (n,))] for n in names
        }
    finally:
        con.close()


def pg_indexes(pg, name: str) -> dict[str, list[str]]:
    found = pg.execute(
        "SELECT i.relname, array_agg(a.attname ORDER BY k.n) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "WHERE t.relname = 'change_item' AND NOT x.indisprimary GROUP BY i.relname",
        database=name,
    )
    return {n: list(cols) for n, cols in found}


def schema_6_database(path: Path) -> None:
    """A schema-6 database (the revisions up to 0006) with a cadre added in a change of two items
    of the same row (not written by congtac12, which keeps one: the upgrade must not refuse it)."""
    from congtac12.store.models import cadre_key

    old_sqlite_database(
        path,
        6,
        (
            "INSERT INTO cadre (id, code, name, department, email, subject, created_at, code_key) VALUES "
            f"(1, 'C01', 'Nguyễn Văn An', 'Ban Tổ chức', NULL, 1, '2020-11-01 00:00:00', '{cadre_key('C01')}')",
            (),
        ),
        (
            "INSERT INTO change (id, at, who, action, summary) VALUES "
            "(1, '2020-11-01 00:00:00', 'an', 'cadre.add', 'thêm cán bộ C01')",
            (),
        ),
        *(
            (
                "INSERT INTO change_item (change_id, entity, entity_key, before, after) VALUES (1, 'cadre', '1', NULL, ?)",
                (after,),
            )
            for after in ('{"id": 1, "code": "C01"}', '{"id": 1, "code": "C01", "name": "Nguyễn Văn An"}')
        ),
    )


def test_a_new_sqlite_database_has_the_lookup_index(cli, db: Path) -> None:
    assert cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức").code == 0
    assert sqlite_indexes(db) == INDEXES


def test_a_schema_6_database_upgrades_to_the_lookup_index_with_its_history(cli, db: Path) -> None:
    schema_6_database(db)
    before = sqlite3.connect(db).execute("SELECT * FROM change_item ORDER BY id").fetchall()
    assert len(before) == 2
    run = cli("db", "upgrade")
    assert run.code == 0, str(run)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT * FROM change_item ORDER BY id").fetchall() == before  # every item kept
    con.close()
    assert sqlite_indexes(db) == INDEXES  # ix_change_item_change_id replaced
    # History and undo work on the upgraded file as before.
    assert cli("cadre", "add", "--code", "C02", "--name", "Trần Thị Bình", "--dept", "Văn phòng").code == 0
    undone = cli("undo", "--json")
    assert undone.code == 0, str(undone)
    codes = [c["code"] for c in json.loads(cli("cadre", "list", "--json").stdout)]
    assert codes == ["C01"]
    assert cli("db", "check").code == 0


def test_the_trigger_finds_an_item_of_a_large_change_by_the_index(pg, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a schema-6 database upgraded, then set up (org init); the trigger's lookup in a change
    of 20,000 items, planned as plpgsql plans it (a generic plan: parameters, not values), uses the index
    on all three columns, and does not walk the change."""
    import psycopg

    from congtac12.store import migrate
    from congtac12.store.location import PgUrl
    from congtac12.store.postgres import make_engine

    name = pg.new_database()
    url = pg.url_of(name, password=pg.password)
    engine = make_engine(PgUrl(url), write=True)
    with engine.begin() as conn:
        migrate.upgrade(conn, from_version=0, to="0006")
    engine.dispose()
    assert "ix_change_item_change_id" in pg_indexes(pg, name)
    monkeypatch.setenv("CONGTAC12_DB", pg.url_of(name))
    monkeypatch.setenv("PGPASSWORD", pg.password)
    for args in (("db", "upgrade"), ("org", "init")):
        run = cli(*args)
        assert run.code == 0, str(run)
    assert pg.execute("SELECT version_num FROM alembic_version", database=name) == [(f"{SCHEMA_VERSION:04d}",)]
    assert pg_indexes(pg, name) == INDEXES
    (source,) = pg.execute("SELECT prosrc FROM pg_proc WHERE proname = 'congtac12_audit'", database=name)[0]
    assert TRIGGER_LOOKUP in " ".join(source.split())
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("INSERT INTO change (id, at, who, action, summary) VALUES (1, now(), 'an', 'import', 'nhập')")
        con.execute(
            "INSERT INTO change_item (change_id, entity, entity_key, before, after) "
            "SELECT 1, 'visit', g::text, NULL, '{}' FROM generate_series(1, 20000) g"
        )
        con.execute("ANALYZE change_item")
        con.execute("SET plan_cache_mode = force_generic_plan")
        con.execute(
            "PREPARE lookup(integer, text, text) AS SELECT i.id, i.before FROM change_item i "
            + TRIGGER_LOOKUP.replace("= cid", "= $1").replace("= e", "= $2").replace("= k", "= $3")
        )
        plan = "\n".join(
            r[0] for r in con.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE lookup(1, 'visit', '19999')")
        )
    assert f"Index Scan using {LOOKUP} on change_item" in plan, plan
    assert "Index Cond: ((change_id = $1) AND ((entity)::text = $2) AND ((entity_key)::text = $3))" in plan, plan
    assert "Rows Removed by Filter" not in plan, plan  # no item of the change but the one looked up was read
    pg.drop_database(name)
