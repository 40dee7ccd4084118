"""Floor F3: the physical floor of a self-check, whatever the stack.

Python, ``sqlite3``, one indexed query for one cadre's visits in the 2020
window and a Rich table of them: what `status --cadre` cannot go below unless it
stops printing a table. Nothing of Typer, SQLModel, SQLAlchemy or pydantic is
imported (issue 20 measures reads against this floor).

    python f3_sqlite_table.py DB CODE
"""

import sqlite3
import sys

from rich.console import Console
from rich.table import Table

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
    table = Table("Id", "Unit", "From", "To", "Kind", title=code)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    Console().print(table)


if __name__ == "__main__":
    main(*sys.argv[1:3])
