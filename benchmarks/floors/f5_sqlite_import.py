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
the import's).
"""

import json
import sqlite3
import sys

NOW = "2026-01-01 00:00:00.000000"  # how SQLAlchemy stores a DATETIME in SQLite


def main(db: str, source: str) -> None:
    with open(source, encoding="utf-8") as f:
        doc = json.load(f)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    units = {name: i for i, name in con.execute("SELECT id, name FROM unit")}
    added = {"unit": 0, "cadre": 0, "visit": 0, "report": 0}
    for u in doc["units"]:  # parents come before their children in an export
        if u["name"] not in units:
            cur = con.execute(
                "INSERT INTO unit (name, name_key, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?)",
                (u["name"], u["name"].casefold(), u["level"], units.get(u.get("parent")), NOW),
            )
            units[u["name"]] = cur.lastrowid
            added["unit"] += 1
    cadres = [
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
    con.executemany(
        'INSERT INTO cadre (code, code_key, name, department, email, subject, joined, "left", created_at,'
        " deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cadres,
    )
    added["cadre"] = len(cadres)
    cadre_id = {code: i for i, code in con.execute("SELECT id, code FROM cadre")}
    visits = [
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
    con.executemany(
        'INSERT INTO visit (cadre_id, unit_id, start, "end", kind, topic, order_no, created_at, deleted_at)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        visits,
    )
    added["visit"] = len(visits)
    del visits
    visit_id = {row[1:]: row[0] for row in con.execute('SELECT id, cadre_id, unit_id, start, "end", kind FROM visit')}
    reports = [
        (
            visit_id[cadre_id[r["cadre"]], units[r["unit"]], r["start"], r["end"], r["kind"]],
            r["reported_on"],
            r.get("text") or "",
            NOW,
        )
        for r in doc["reports"]
    ]
    con.executemany("INSERT INTO report (visit_id, reported_on, text, created_at) VALUES (?, ?, ?, ?)", reports)
    added["report"] = len(reports)
    con.execute("COMMIT")
    con.close()
    print(" ".join(f"{table}={n}" for table, n in added.items()))


if __name__ == "__main__":
    main(*sys.argv[1:3])
