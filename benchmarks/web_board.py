"""The web face's latency on the benchmark's synthetic database (1,000 cadres, 100,000 visits).

    python benchmarks/web_board.py [--cadres 1000] [--runs 7]

Builds the database with ``synth.build``, starts ``congtac12 web`` on a free loopback port,
and times whole HTTP requests from a client on the same machine (the median of ``--runs``
after one warm-up each): the status board, one cadre's page, ``/api/status`` and, for
comparison, ``status --json`` as a process. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

EXE = str(Path(sys.executable).with_name("congtac12"))
AS_OF = "2020-11-13"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(fn, runs: int) -> tuple[float, int]:  # noqa: ANN001
    fn()  # warm-up
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        size = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="congtac12-web-bench-") as folder:
        db = Path(folder) / "synth.db"
        visits = synth.build(db, exe=EXE, cadres=args.cadres)
        port = free_port()
        env = {**os.environ, "CONGTAC12_DB": str(db)}
        proc = subprocess.Popen([EXE, "web", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("congtac12 web did not start") from None
                    time.sleep(0.1)
            rows = []
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as c:
                code = synth.cadre_code(args.cadres // 2)
                for label, path in (
                    ("GET / (the board, every cadre)", f"/?as_of={AS_OF}"),
                    (f"GET /cadre/{code}", f"/cadre/{code}?as_of={AS_OF}"),
                    ("GET /api/status", f"/api/status?as_of={AS_OF}"),
                ):

                    def get(path: str = path) -> int:
                        r = c.get(path)
                        assert r.status_code == 200, r.text[:300]
                        return len(r.content)

                    median, size = timed(get, args.runs)
                    rows.append((label, median, size))

            def cli() -> int:
                done = subprocess.run([EXE, "--db", str(db), "status", "--json", "--as-of", AS_OF],
                                      capture_output=True, check=True)  # fmt: skip
                return len(done.stdout)

            median, size = timed(cli, args.runs)
            rows.append(("status --json (a process, for comparison)", median, size))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"Synthetic database: {args.cadres:,} cadres, {visits:,} visits; as of 13/11/2020; "
          f"median of {args.runs} requests after 1 warm-up.\n")  # fmt: skip
    print("| request | median s | bytes |")
    print("| --- | --- | --- |")
    for label, median, size in rows:
        print(f"| {label} | {median:.3f} | {size:,} |")


if __name__ == "__main__":
    main()
