"""Data in and out: the tables as files (JSON, CSV, XLSX), without the database.

``spec`` says, table by table, which columns a file holds, their Vietnamese
headers, the other headers accepted on import, and how a cell becomes a value;
``files`` reads and writes the three formats, safely (no cell a spreadsheet
could run). ``store.exchange`` moves the rows between these files and the
database. Adding a table or a column is adding it to ``spec.TABLES`` and to
the two functions of ``store.exchange`` that read and write it.
"""
