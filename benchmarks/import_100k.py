"""How long an import of 100,000 visits takes, in each format.

    python benchmarks/import_100k.py [--reports] [--formats json,csv,xlsx]

Makes 500 cadres with 200 visits each (and, with --reports, a report for every
visit) in a JSON file, imports it into an empty database, exports that as CSV
and XLSX, and times the import of each into another empty database, through
the real command line (a new process each time). Prints wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

KINDS = ("chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat")


def make(path: Path, *, reports: bool) -> int:
    rng = random.Random(1)
    units = [{"name": f"Đoàn phường số {i}", "level": "co-so", "parent": "Quận đoàn Ba Đình"} for i in range(200)]
    cadres = [
        {"code": f"K{i:04d}", "name": f"Nguyễn Văn {i}", "department": f"Ban {i % 8}", "email": None, "subject": True}
        for i in range(500)
    ]
    visits, report_rows = [], []
    for cadre in cadres:
        day = date(2020, 1, 1)
        for _ in range(200):
            day += timedelta(days=1)
            end = day + timedelta(days=rng.choice((0, 0, 1)))
            visit = {
                "cadre": cadre["code"],
                "unit": rng.choice(units)["name"],
                "start": day.isoformat(),
                "end": end.isoformat(),
                "kind": rng.choice(KINDS),
                "topic": "Khảo sát tình hình đoàn viên thanh niên",
                "order_no": None,
            }
            visits.append(visit)
            if reports:
                report_rows.append(
                    {
                        **{k: visit[k] for k in ("cadre", "unit", "start", "end", "kind")},
                        "reported_on": (end + timedelta(days=3)).isoformat(),
                        "text": "Báo cáo kết quả.",
                    }
                )
            day = end
    doc = {
        "format": "congtac12",
        "format_version": 1,
        "units": units,
        "cadres": cadres,
        "visits": visits,
        "reports": report_rows,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return len(visits)


def run(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one congtac12 command in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "congtac12", *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", action="store_true", help="a report for every visit too")
    parser.add_argument("--formats", default="json,csv,xlsx")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "big.json"
        n = make(source, reports=args.reports)
        print(f"{n:,} visits{' and as many reports' if args.reports else ''}")
        run("--db", str(folder / "source.db"), "import", str(source))
        files = {"json": source, "csv": folder / "big-csv", "xlsx": folder / "big.xlsx"}
        for fmt in ("csv", "xlsx"):
            if fmt in args.formats:
                wall, cpu = run("--db", str(folder / "source.db"), "export", "--out", str(files[fmt]))
                print(f"export {fmt:>4}: {wall:6.1f} s wall, {cpu:6.1f} s CPU")
        for fmt in args.formats.split(","):
            wall, cpu = run("--db", str(folder / f"{fmt}.db"), "import", str(files[fmt]))
            print(f"import {fmt:>4}: {wall:6.1f} s wall, {cpu:6.1f} s CPU")


if __name__ == "__main__":
    main()
