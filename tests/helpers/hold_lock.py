"""Hold the database's write lock: ``hold_lock.py DB SECONDS``.

BEGIN IMMEDIATE, write a row, print ``locked``, sleep, then roll back: the
database is as it was, and every other writer had to wait.
"""

import sqlite3
import sys
import time

con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO setting (key, value) VALUES ('held', 'by hold_lock.py')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
con.close()
print("released", flush=True)
