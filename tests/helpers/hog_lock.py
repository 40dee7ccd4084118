"""Take the write lock again and again: ``hog_lock.py DB ROUNDS SECONDS``.

ROUNDS times: BEGIN IMMEDIATE, write a setting, hold the lock SECONDS, COMMIT, and at once
begin again, so the lock is free only for an instant between rounds (as when writers crowd).
Prints ``locked`` once it holds the lock the first time, and ``done`` at the end.
"""

import sqlite3
import sys
import time

con = sqlite3.connect(sys.argv[1], isolation_level=None)
rounds, seconds = int(sys.argv[2]), float(sys.argv[3])
for i in range(rounds):
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO setting (key, value) VALUES (?, 'by hog_lock.py')", (f"hog{i}",))
    if i == 0:
        print("locked", flush=True)
    time.sleep(seconds)
    con.execute("COMMIT")
con.close()
print("done", flush=True)
