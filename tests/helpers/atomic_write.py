"""A congtac12 command stopped inside its atomic write, to be killed: ``atomic_write.py STAGE ARGS...``.

Runs ``congtac12 ARGS...`` in this process; when its output file reaches
STAGE (``begun``: the temporary file made, nothing in it yet; ``written``:
all written, not yet synced; ``synced``; ``renamed``: under its final name,
the folder not yet synced), prints ``at STAGE`` and sleeps until killed.
"""

import sys
import time

from congtac12 import atomic
from congtac12.cli import main

stop_at = sys.argv[1]


def pause(stage: str) -> None:
    if stage == stop_at:
        print(f"at {stage}", flush=True)
        time.sleep(600)


atomic.on_stage = pause
sys.argv = ["congtac12", *sys.argv[2:]]
main()
