"""Data in and out: the tables as files (JSON, CSV, XLSX), without the database.

``spec`` says, table by table, which columns a file holds, their Vietnamese
headers, the other headers accepted on import, and how a cell becomes a value;
``files`` reads and writes the three formats, safely (no cell a spreadsheet
could run). ``store.exchange`` moves the rows between these files and the
database. Adding a table or a column is adding it to ``spec.TABLES`` and to
the two functions of ``store.exchange`` that read and write it.
"""

import os

# openpyxl writes and reads XML through lxml when lxml is installed (python-docx, the docs
# extra, brings it) and through the standard library otherwise, and the two differ (a carriage
# return in a cell survives one and becomes a line feed in the other). The workbooks congtac12
# writes and reads are the same with or without the extra: the standard library's way, as
# before the extra existed. Set before any openpyxl import, all of which are in this package.
os.environ.setdefault("OPENPYXL_LXML", "False")
