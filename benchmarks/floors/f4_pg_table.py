"""Floor F4: the physical floor of a self-check on PostgreSQL, whatever the stack.

Python, ``psycopg``, a connection to the server, one indexed query for one cadre's
visits in the 2020 window and a Rich table of them (F3's query and table, over the
network instead of a file): what ``status --cadre`` on PostgreSQL cannot go below.
Nothing of Typer, SQLModel, SQLAlchemy or pydantic is imported.

    python f4_pg_table.py URL CODE
"""

import sys

import psycopg
from rich.console import Console
from rich.table import Table

QUERY = """
SELECT v.id, u.name, v.start, v."end", v.kind
FROM cadre c JOIN visit v ON v.cadre_id = c.id JOIN unit u ON u.id = v.unit_id
WHERE c.code = %s AND v."end" >= '2020-03-01' AND v.start <= '2020-12-31'
ORDER BY v.start
"""


def main(url: str, code: str) -> None:
    with psycopg.connect(url, connect_timeout=10) as con:
        rows = con.execute(QUERY, (code,)).fetchall()
    table = Table("Id", "Unit", "From", "To", "Kind", title=code)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    Console().print(table)


if __name__ == "__main__":
    main(*sys.argv[1:3])
