"""A writer process: ``add_visits.py WORKER COUNT START [--pause-half]``.

START is ``stdin`` (a handshake: print ``ready`` once imported, then wait for a line on
standard input, so that every writer starts when the test says) or a clock time to wait
for. Then it records COUNT one-day visits of cadre W<WORKER>, one per
day from 01/03/2020, through the CLI in-process (``CONGTAC12_DB`` says where):
the same click command as ``congtac12 add-visit``, built once, as each real
process builds it once.
With ``--pause-half`` it prints ``half`` once half of them are recorded and waits for
another line on standard input (a reader then reads the record mid-way, while every
writer is still running). Prints ``started`` once its first visit is recorded, one line per refused visit and a last
line ``done OK FAILED SECONDS``.
"""

import sys
import time
from contextlib import redirect_stdout
from datetime import date, timedelta
from io import StringIO

import typer.main

from congtac12.cli import app

command = typer.main.get_command(app)

worker, count, start = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pause_half = "--pause-half" in sys.argv[4:]
if start == "stdin":
    print("ready", flush=True)
    sys.stdin.readline()
else:
    time.sleep(max(0.0, float(start) - time.time()))
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
    if i == 0:
        print("started", flush=True)
    if pause_half and i == count // 2 - 1:
        print("half", flush=True)
        sys.stdin.readline()
print(f"done {done} {failed} {time.time() - began:.2f}", flush=True)
