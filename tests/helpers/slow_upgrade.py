"""An upgrade to be killed half-way: ``slow_upgrade.py DB``.

Runs engine.ensure_schema (what opening an old or new database does) and,
after each revision is applied but before the transaction commits, prints
``applied N`` and sleeps, so that the test can SIGKILL it there.
"""

import sys
import time
from pathlib import Path

from congtac12.store.engine import ensure_schema


def pause(version: int) -> None:
    print(f"applied {version}", flush=True)
    time.sleep(600)


path = Path(sys.argv[1])
if not path.exists():
    path.touch(mode=0o600)
ensure_schema(path, on_step=pause)
