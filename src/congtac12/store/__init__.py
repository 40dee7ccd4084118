"""Everything that touches the database.

``engine`` opens it, ``models`` are its tables, ``queries`` read the plain facts
the rules take, ``commands`` validate and write, one transaction each.
Nothing here prints.
"""
