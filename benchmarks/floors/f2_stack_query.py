"""Floor F2: the unavoidable cost of the chosen stack for one cadre's page.

Imports Typer, SQLModel and Rich tables (as any command that reads the
database and prints a table must), runs one indexed SQL query for one cadre's
visits in the 2020 window through ``sqlite3``, and prints them in a Rich table.

    python f2_stack_query.py DB CODE
"""

import sqlite3

import rich.table
import sqlmodel  # noqa: F401 - the import is the point: its cost is part of the floor
import typer
from rich.console import Console

QUERY = """
SELECT v.id, u.name, v.start, v."end", v.kind
FROM cadre c JOIN visit v ON v.cadre_id = c.id JOIN unit u ON u.id = v.unit_id
WHERE c.code = ? AND v."end" >= '2020-03-01' AND v.start <= '2020-12-31'
ORDER BY v.start
"""


def main(db: str, code: str) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(QUERY, (code,)).fetchall()
    con.close()
    table = rich.table.Table("Id", "Unit", "From", "To", "Kind", title=code)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
