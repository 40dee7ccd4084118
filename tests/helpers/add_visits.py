"""A writer process: ``add_visits.py WORKER COUNT START_AT``.

Waits until the clock reaches START_AT (so that every writer starts at the
same moment), then records COUNT one-day visits of cadre W<WORKER>, one per
day from 01/03/2020, through the CLI in-process (``CONGTAC12_DB`` says where):
the same click command as ``congtac12 add-visit``, built once, as each real
process builds it once.
Prints one line per refused visit and a last line ``done OK FAILED SECONDS``.
"""

import sys
import time
from contextlib import redirect_stdout
from datetime import date, timedelta
from io import StringIO

import typer.main

from congtac12.cli import app

command = typer.main.get_command(app)

worker, count, start_at = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
time.sleep(max(0.0, start_at - time.time()))
began = time.time()
done = failed = 0
for i in range(count):
    day = (date(2020, 3, 1) + timedelta(days=i)).strftime("%d/%m/%Y")
    args = ["add-visit", "--cadre", f"W{worker}", "--unit", "Ba Đình", "--from", day, "--kind", "phoi-hop"]
    try:
        with redirect_stdout(StringIO()):
            command(args)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    if code:
        failed += 1
        print(f"refused {day} exit {code}", flush=True)
    else:
        done += 1
print(f"done {done} {failed} {time.time() - began:.2f}", flush=True)
