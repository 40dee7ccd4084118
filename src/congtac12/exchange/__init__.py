"""Data in and out: the tables as files (JSON, CSV, XLSX), without the database.

``spec`` says, table by table, which columns a file holds, their Vietnamese
headers, the other headers accepted on import, and how a cell becomes a value;
``files`` reads and writes the three formats, safely (no cell a spreadsheet
could run). ``store.exchange`` moves the rows between these files and the
database. Adding a table or a column is adding it to ``spec.TABLES`` and to
the two functions of ``store.exchange`` that read and write it.
"""

import os as _os

# openpyxl writes the same workbook in other bytes when lxml is installed (python-docx brings it in):
# our workbooks are reproducible byte for byte, so openpyxl keeps to its own writer (its environment
# switch OPENPYXL_LXML, read when openpyxl is first imported: always after this package).
_os.environ.setdefault("OPENPYXL_LXML", "False")
