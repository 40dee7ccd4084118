"""Floor F5: the physical floor of an import, whatever the program around it.

Python, ``json`` and ``sqlite3`` only: the export file read whole with
``json.load``, and its units, cadres, visits and reports inserted with
``executemany`` into a copy of a new, empty congtac12 database (so with the
schema's indexes, unique constraints and triggers), in one transaction, with
no history, no checks of our own and no messages. What ``congtac12 import``
cannot go below unless the schema changes; the benchmark times it in the same
rounds as the import, each on a fresh copy of the same empty database.

    python f5_sqlite_import.py DB EXPORT.json

Prints the number of rows inserted per table (the smoke test compares them with
the import's). ``benchmarks/schema_costs.py`` builds its rows with the functions here.
"""

import json
import sqlite3
import sys

NOW = "2026-01-01 00:00:00.000000"  # how SQLAlchemy stores a DATETIME in SQLite
CADRES = (
    'INSERT INTO cadre (code, code_key, name, department, email, subject, joined, "left", created_at, deactivated_at)'
)
VISITS = 'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, topic, order_no, created_at, deleted_at)'
REPORTS = "INSERT INTO report (visit_id, reported_on, text, created_at)"


def executemany(con: sqlite3.Connection, sql: str, rows: list[tuple]) -> None:
    """``sql`` (an ``INSERT INTO table (columns)``) of every row, by one ``executemany``."""
    if rows:
        con.executemany(sql + " VALUES (" + ", ".join("?" * len(rows[0])) + ")", rows)


def add_units(con: sqlite3.Connection, doc: dict) -> tuple[dict[str, int], int]:
    """Every unit's id by name, the export's units that are not in the database inserted first
    (parents come before their children in an export), and how many those were."""
    units = {name: i for i, name in con.execute("SELECT id, name FROM unit")}
    added = 0
    for u in doc["units"]:
        if u["name"] not in units:
            units[u["name"]] = con.execute(
                "INSERT INTO unit (name, name_key, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?)",
                (u["name"], u["name"].casefold(), u["level"], units.get(u.get("parent")), NOW),
            ).lastrowid
            added += 1
    return units, added


def cadre_rows(doc: dict) -> list[tuple]:
    return [
        (
            c["code"],
            c["code"].lower(),
            c["name"],
            c.get("department") or "",
            c.get("email"),
            bool(c.get("subject", True)),
            c.get("joined"),
            c.get("left"),
            NOW,
            None if c.get("active", True) else NOW,
        )
        for c in doc["cadres"]
    ]


def cadre_ids(con: sqlite3.Connection) -> dict[str, int]:
    return {code: i for i, code in con.execute("SELECT id, code FROM cadre")}


def visit_rows(doc: dict, cadre_id: dict[str, int], units: dict[str, int]) -> list[tuple]:
    return [
        (
            cadre_id[v["cadre"]],
            units[v["unit"]],
            v["start"],
            v["end"],
            v["kind"],
            v.get("topic"),
            v.get("order_no"),
            NOW,
            NOW if v.get("deleted") else None,
        )
        for v in doc["visits"]
    ]


def report_rows(con: sqlite3.Connection, doc: dict, cadre_id: dict[str, int], units: dict[str, int]) -> list[tuple]:
    """The export's reports, each of the visit it names (found by cadre, unit, days and kind)."""
    visit_id = {row[1:]: row[0] for row in con.execute('SELECT id, cadre_id, unit_id, start, "end", kind FROM visit')}
    return [
        (
            visit_id[cadre_id[r["cadre"]], units[r["unit"]], r["start"], r["end"], r["kind"]],
            r["reported_on"],
            r.get("text") or "",
            NOW,
        )
        for r in doc["reports"]
    ]


def main(db: str, source: str) -> None:
    with open(source, encoding="utf-8") as f:
        doc = json.load(f)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    units, added_units = add_units(con, doc)
    cadres = cadre_rows(doc)
    executemany(con, CADRES, cadres)
    cadre_id = cadre_ids(con)
    visits = visit_rows(doc, cadre_id, units)
    executemany(con, VISITS, visits)
    added = {"unit": added_units, "cadre": len(cadres), "visit": len(visits)}
    del visits
    reports = report_rows(con, doc, cadre_id, units)
    executemany(con, REPORTS, reports)
    added["report"] = len(reports)
    con.execute("COMMIT")
    con.close()
    print(" ".join(f"{table}={n}" for table, n in added.items()))


if __name__ == "__main__":
    main(*sys.argv[1:3])
