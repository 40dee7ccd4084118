"""A long write in one transaction, to be killed: ``big_write.py DB COUNT [--commit]``.

Adds COUNT visits of cadre C01 in ONE session (one transaction, as an import
would: ORM rows, audited like any others), with a tiny page cache so that
SQLite spills uncommitted pages into the WAL file long before the end. Prints ``added N``
every 500 visits; then, without --commit, ``all added`` and sleeps until
killed; with --commit, commits and prints ``committed``.
"""

import sys
import time
from datetime import date, timedelta
from pathlib import Path

from congtac12.store import audit, queries
from congtac12.store.engine import session
from congtac12.store.models import Visit

path, count, commit = Path(sys.argv[1]), int(sys.argv[2]), "--commit" in sys.argv
with session(path, write=True) as s:
    s.connection().exec_driver_sql("PRAGMA cache_size = 20")  # pages: spill early
    audit.describe(s, "import", f"imported {count} visits")
    cadre = queries.find_cadre(s, "C01")
    units = [u.id for u in queries.units(s)]
    for i in range(count):
        start = date(2019, 1, 1) + timedelta(days=i // len(units))
        s.add(
            Visit(
                cadre_id=cadre.id,
                unit_id=units[i % len(units)],
                start=start,
                end=start,
                kind="phoi-hop",
                topic=f"Nhập dữ liệu số {i}",
            )
        )
        if (i + 1) % 500 == 0:
            s.flush()
            print(f"added {i + 1}", flush=True)
    s.flush()
    if not commit:
        print("all added", flush=True)
        time.sleep(600)
print("committed", flush=True)
