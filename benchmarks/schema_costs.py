"""What the schema costs the import and gives the reads: the figures behind schema decisions.

    python benchmarks/schema_costs.py                      # 1,000 cadres, 100,000 visits (minutes)
    python benchmarks/schema_costs.py --scale 0.05 --rounds 1   # a quick look

Builds the benchmark's synthetic database, exports it and imports the export once
(for its history), then measures in this one process, in CPU seconds (minimum and
median of ``--rounds`` rounds, the variants alternated in each round so that a busy
moment of the machine hits all of them):

* the insert of the export's visits and reports (``sqlite3`` alone, one transaction,
  into a fresh copy of a new, empty database, as F5 does) with the schema as it is,
  with the years triggers replaced by a ``CHECK`` (the tables rebuilt), without the
  years triggers, without any insert trigger of the two tables, and with candidate
  read indexes; each by ``executemany`` and by multi-row ``INSERT … VALUES`` of 100 rows;
* the write of the import's history items (``INSERT … SELECT``) with both lookup
  indexes of ``change_item``, with one, with none;
* the facts query of ``status`` of all cadres (``store/read/facts.py``), its plan and
  its time, with and without the candidate read indexes.

Prints Markdown tables. Nothing here is a target: it says what a change to the schema
would gain or cost, measured, before a migration is written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402 - beside this file, found through the path set just above
from floors import f5_sqlite_import as f5  # noqa: E402 - F5's rows: the same, built by the same code

EXE = str(Path(sys.executable).with_name("congtac12"))
INSERT_TRIGGERS = (
    "ck_visit_years_insert",
    "ck_report_years_insert",
    "visit_of_active_cadre_insert",
    "report_after_trip_insert",
)
READ_INDEXES = (
    'CREATE INDEX ix_visit_end_start ON visit ("end", start)',
    "CREATE INDEX ix_report_visit_cover ON report (visit_id, reported_on, deleted_at)",
)
# status --as-of 13/11/2020 of all cadres: the window and the span of its year before it.
FACTS = (
    'SELECT visit.id, visit.cadre_id, visit.start, visit."end", visit.kind, visit.unit_id, report.reported_on'
    " FROM visit LEFT OUTER JOIN report ON report.visit_id = visit.id AND report.deleted_at IS NULL"
    ' WHERE visit.deleted_at IS NULL AND ((visit."end" >= ? AND visit.start <= ?)'
    ' OR (visit.start >= ? AND visit."end" <= ?))'
)
FACTS_PARAMS = ("2020-03-01", "2020-11-13", "2020-01-01", "2020-02-29")


def years_check(column: str) -> str:
    """The years trigger's condition, negated, as a CHECK: what ``ck_*_years_insert`` refuses."""
    return f"({column} IS NULL OR ({column} >= '1900-01-01' AND {column} <= '2999-12-31' AND date({column}, '+0 days') IS {column}))"


def with_years_check(con: sqlite3.Connection) -> None:
    """Visit and report rebuilt (create, copy, drop, rename) with the years as a CHECK, every index
    and every other trigger kept."""
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _sql in triggers:
        con.execute(f'DROP TRIGGER "{name}"')
    for table, columns in (("visit", ("start", '"end"')), ("report", ("reported_on",))):
        (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        indexes = con.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type = 'index' AND sql IS NOT NULL", (table,)
        ).fetchall()
        check = " AND ".join(years_check(c) for c in columns)
        new = sql.rstrip().rstrip(")").rstrip() + f',\n\tCONSTRAINT "congtac12:year-out-of-range" CHECK ({check})\n)'
        con.execute(new.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_new", 1))
        con.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        for (index,) in indexes:
            con.execute(index)
    for name, sql in triggers:
        if name not in ("ck_visit_years_insert", "ck_report_years_insert"):
            con.execute(sql)
    # The CHECK refuses what the trigger refused, with its tag in the message.
    con.execute("SAVEPOINT probe")
    try:
        con.execute("INSERT INTO report (visit_id, reported_on, text, created_at) VALUES (0, '2020-02-30', '', '')")
    except sqlite3.IntegrityError as exc:
        assert "congtac12:year-out-of-range" in str(exc), exc
    else:
        raise AssertionError("the years CHECK let 30 February through")
    con.execute("ROLLBACK TO probe")
    con.execute("RELEASE probe")


def dropping(*triggers: str) -> Callable[[sqlite3.Connection], None]:
    def change(con: sqlite3.Connection) -> None:
        for name in triggers:
            con.execute(f'DROP TRIGGER "{name}"')

    return change


def adding(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def change(con: sqlite3.Connection) -> None:
        for sql in statements:
            con.execute(sql)

    return change


SCHEMAS: dict[str, Callable[[sqlite3.Connection], None] | None] = {
    "as it is": None,
    "years as CHECK (tables rebuilt)": with_years_check,
    "no years triggers": dropping("ck_visit_years_insert", "ck_report_years_insert"),
    "no insert triggers": dropping(*INSERT_TRIGGERS),
    "+ read indexes": adding(*READ_INDEXES),
}


def variant(empty: Path, path: Path, change: Callable[[sqlite3.Connection], None] | None) -> Path:
    shutil.copyfile(empty, path)
    if change is not None:
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("BEGIN")
        change(con)
        con.execute("COMMIT")
        con.close()
    return path


def multi_row(con: sqlite3.Connection, sql: str, rows: list[tuple], per: int = 100) -> None:
    one = "(" + ", ".join("?" * len(rows[0])) + ")"
    for i in range(0, len(rows), per):
        chunk = rows[i : i + per]
        con.execute(sql + " VALUES " + ", ".join([one] * len(chunk)), [x for row in chunk for x in row])


def insert_seconds(db: Path, doc: dict, write: Callable[[sqlite3.Connection, str, list[tuple]], None]) -> float:
    """CPU seconds of writing F5's visits and reports (and the commit) into ``db``, after its units and cadres."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    units, _added = f5.add_units(con, doc)
    f5.executemany(con, f5.CADRES, f5.cadre_rows(doc))
    cadre_id = f5.cadre_ids(con)
    visits = f5.visit_rows(doc, cadre_id, units)
    start = time.process_time()
    write(con, f5.VISITS, visits)
    spent = time.process_time() - start
    reports = f5.report_rows(con, doc, cadre_id, units)
    start = time.process_time()
    write(con, f5.REPORTS, reports)
    con.execute("COMMIT")
    spent += time.process_time() - start
    con.close()
    return spent


def history_seconds(source: Path, db: Path, drop: tuple[str, ...]) -> float:
    """CPU seconds of ``INSERT … SELECT`` of the import's history items into an empty ``change_item``."""
    shutil.copyfile(source, db)
    con = sqlite3.connect(db, isolation_level=None)
    for name in drop:
        con.execute(f"DROP INDEX {name}")
    con.execute("BEGIN")
    start = time.process_time()
    con.execute("INSERT INTO change_item SELECT * FROM saved_item")
    con.execute("COMMIT")
    spent = time.process_time() - start
    con.close()
    return spent


def facts_seconds(db: Path, runs: int) -> tuple[str, float]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    plan = "; ".join(row[3] for row in con.execute("EXPLAIN QUERY PLAN " + FACTS, FACTS_PARAMS))
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        con.execute(FACTS, FACTS_PARAMS).fetchall()
        best = min(best, time.process_time() - start)
    con.close()
    return plan, best


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def figures(samples: list[float]) -> list[str]:
    return [f"{min(samples):.3f}", f"{statistics.median(samples):.3f}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="Fraction of 1,000 cadres (100,000 visits).")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of every variant (default 3).")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the databases here.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="congtac12-schema-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        source, empty, export = work / "source.db", work / "empty.db", work / "export.json"
        for path in (source, empty, export, work / "imported.db"):
            path.unlink(missing_ok=True)
        visits = synth.build(source, exe=EXE, cadres=max(2, round(1000 * args.scale)))
        synth.create_empty(empty, exe=EXE)
        subprocess.run(
            [EXE, "--db", str(source), "export", "--format", "json", "--out", str(export)],
            check=True,
            capture_output=True,
        )
        doc = json.loads(export.read_text(encoding="utf-8"))
        print(
            f"{len(doc['cadres']):,} cadres, {visits:,} visits, {len(doc['reports']):,} reports; CPU seconds,"
            f" minimum and median of {args.rounds} rounds\n"
        )

        empties = {
            name: variant(empty, work / f"empty-{i}.db", change) for i, (name, change) in enumerate(SCHEMAS.items())
        }
        ways = {"executemany": f5.executemany, "multi-row VALUES (100)": multi_row}
        inserted: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for name, path in empties.items():
                for way, write in ways.items():
                    shutil.copyfile(path, work / "insert.db")
                    inserted.setdefault((name, way), []).append(insert_seconds(work / "insert.db", doc, write))
        print("Visits and reports inserted (sqlite3 alone, one transaction):\n")
        print(table(["schema", "by", "min s", "median s"], [[n, w, *figures(s)] for (n, w), s in inserted.items()]))

        imported = work / "imported.db"
        shutil.copyfile(empty, imported)
        subprocess.run([EXE, "--db", str(imported), "import", str(export)], check=True, capture_output=True)
        con = sqlite3.connect(imported, isolation_level=None)
        con.execute("CREATE TABLE saved_item AS SELECT * FROM change_item ORDER BY id")
        con.execute("DELETE FROM change_item")
        items = con.execute("SELECT count(*) FROM saved_item").fetchone()[0]
        con.close()
        drops = {
            "both": (),
            "without ix_change_item_entity": ("ix_change_item_entity",),
            "without ix_change_item_lookup": ("ix_change_item_lookup",),
            "neither": ("ix_change_item_entity", "ix_change_item_lookup"),
        }
        written: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, drop in drops.items():
                written.setdefault(name, []).append(history_seconds(imported, work / "history.db", drop))
        print(f"\nThe import's {items:,} history items written (INSERT … SELECT), by the indexes of change_item:\n")
        print(table(["indexes", "min s", "median s"], [[n, *figures(s)] for n, s in written.items()]))

        indexed = work / "indexed.db"
        variant(source, indexed, adding(*READ_INDEXES))
        rows = []
        for name, path in (("as it is", source), ("+ read indexes", indexed)):
            plan, best = facts_seconds(path, max(5, 5 * args.rounds))
            rows.append([name, f"{best * 1000:.1f}", plan])
        print("\nThe facts query of `status --json` (all cadres, as of 13/11/2020):\n")
        print(table(["schema", "min ms", "plan"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
