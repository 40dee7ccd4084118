"""Hold the database's write lock: ``hold_lock.py DB SECONDS``.

BEGIN IMMEDIATE, write a row, print ``locked``, sleep (or, with SECONDS ``stdin``, wait
for a line on standard input: a handshake), then roll back: the database is as it was,
and every other writer had to wait.
"""

import sqlite3
import sys
import time

con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO setting (key, value) VALUES ('held', 'by hold_lock.py')")
print("locked", flush=True)
if sys.argv[2] == "stdin":
    sys.stdin.readline()
else:
    time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
con.close()
print("released", flush=True)
