"""Time congtac12 as a user runs it: whole processes, against the stack's own floors.

    python benchmarks/run.py                 # full run (a few minutes); writes BENCHMARKS.md
    python benchmarks/run.py --scale 0.01 --runs 1 --out /tmp/b.md   # a smoke run, seconds

Every figure is the median of ``--runs`` runs after one warm-up run, each run a
new process started with ``posix_spawn`` and reaped with ``wait4`` by the small
``timed.py``, which gives its wall time, CPU time and own peak resident memory.
The light commands are run round-robin with their floors, so a busy moment of
the machine hits floors and commands alike; the import alternates with F5 (the same
rows inserted by ``json`` and ``sqlite3`` alone), each on a fresh copy of one empty
database, and is shown as a ratio to it beside its absolute target. ``--json FILE``
also writes the figures as numbers. A command that this build lacks (``remind``, ``import``) is
shown as "not available" instead of failing the run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402 - beside this file, found through the path set just above

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable
EXE = str(Path(sys.executable).with_name("congtac12"))
AS_OF = "13/11/2020"  # the source's date: inside the 2020 window
BEGIN = "<!-- benchmark results: begin -->"
END = "<!-- benchmark results: end -->"


# --- running one process -----------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    code: int
    stderr: str


def run_process(argv: list[str], *, env: dict[str, str], stdout: str, scratch: Path) -> Sample:
    """Run argv to completion through timed.py: wall and CPU time, peak RSS, exit code."""
    err = scratch / "stderr.txt"
    done = subprocess.run(
        [PYTHON, "-S", str(HERE / "timed.py"), stdout, str(err), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, cpu, peak_kib, code = done.stdout.split()
    return Sample(float(seconds), float(cpu), int(peak_kib) / 1024, int(code), err.read_text(errors="replace"))


@dataclass
class Bench:
    """One thing to time. ``argv(i)`` gives the command of run i; ``prepare(i)`` runs untimed first."""

    key: str
    label: str
    argv: Callable[[int], list[str]]
    env: dict[str, str] = field(default_factory=dict)
    stdout: str = os.devnull
    prepare: Callable[[int], None] | None = None
    floor: str | None = None  # key of the floor it is measured against
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_mb: float | None = None
    available: bool = True
    warmups: int = 1
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None

    def run(self, i: int, scratch: Path) -> None:
        if not self.available or self.failure:
            return
        if self.prepare is not None:
            self.prepare(i)
        sample = run_process(self.argv(i), env={**BASE_ENV, **self.env}, stdout=self.stdout, scratch=scratch)
        if sample.code != 0:
            lines = sample.stderr.strip().splitlines() or ["(no message)"]
            self.failure = f"exit {sample.code}: {lines[-1]}"
        self.samples.append(sample)

    def measured(self) -> list[Sample]:
        return self.samples[self.warmups :]

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.measured())

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.measured())

    @property
    def peak_mb(self) -> float:
        return statistics.median(s.peak_mb for s in self.measured())


# The user's environment, less our own variables, and less PYTHONDONTWRITEBYTECODE: a
# user's Python caches compiled modules, and the warm-up run writes those caches.
BASE_ENV = {
    **{
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONGTAC12", "_CONGTAC12")) and k != "PYTHONDONTWRITEBYTECODE"
    },
    "COLUMNS": "100",
}


def has_command(name: str, scratch: Path) -> bool:
    """Whether this build of congtac12 has the command (its --help exits 0)."""
    sample = run_process([EXE, name, "--help"], env=BASE_ENV, stdout=os.devnull, scratch=scratch)
    return sample.code == 0


# --- the suite ---------------------------------------------------------------


def light_benches(db: Path, scratch: Path, cadre: str) -> list[Bench]:
    """Floors and every command that takes about a second: run round-robin."""
    f1 = str(HERE / "floors" / "f1_typer_help.py")
    f2 = str(HERE / "floors" / "f2_stack_query.py")
    f3 = str(HERE / "floors" / "f3_sqlite_table.py")
    status = [EXE, "--db", str(db), "status", "--as-of", AS_OF]
    # In a year a preset covers (add-visit refuses a year no policy covers, issue 17), inside its
    # window; after AS_OF's year, so no other bench sees these visits.
    first_day = date(2022, 3, 1)

    def add_visit(i: int) -> list[str]:
        day = (first_day + timedelta(days=i)).isoformat()  # a new day each run: no clash
        return [
            EXE,
            "--db",
            str(db),
            "add-visit",
            "--cadre",
            cadre,
            "--unit",
            synth.BENCH_UNIT,
            "--from",
            day,
            "--kind",
            "chuyen-de",
            "--topic",
            "Đo thời gian",
        ]

    completion = {
        "_CONGTAC12_COMPLETE": "complete_bash",
        "COMP_WORDS": "congtac12 status --",
        "COMP_CWORD": "2",
    }
    benches = [
        Bench("F0", "F0: python -c pass", lambda i: [PYTHON, "-c", "pass"]),
        Bench("F1", "F1: minimal Typer app --help", lambda i: [PYTHON, f1, "--help"]),
        Bench("F2", "F2: typer+sqlmodel+rich.table, 1 query, 1 table", lambda i: [PYTHON, f2, str(db), cadre]),
        Bench("F3", "F3: sqlite3+rich.table, 1 query, 1 table", lambda i: [PYTHON, f3, str(db), cadre]),
        Bench("help", "congtac12 --help", lambda i: [EXE, "--help"], floor="F1", max_ratio=1.3),
        Bench("complete", "completion (status --<Tab>)", lambda i: [EXE], env=completion, floor="F1", max_ratio=1.3),
        Bench(
            "status-cadre", f"status --cadre {cadre}", lambda i: [*status, "--cadre", cadre], floor="F3", max_ratio=2.5
        ),
        Bench(
            "status-all",
            "status --json > /dev/null (all cadres)",
            lambda i: [*status, "--json"],
            floor="F3",
            max_ratio=4,
            max_mb=100,
        ),
        Bench("add-visit", "add-visit", add_visit, floor="F2", max_ratio=1.3),
        Bench(
            "remind",
            "remind --json",
            lambda i: [EXE, "--db", str(db), "remind", "--as-of", AS_OF, "--json"],
            floor="F3",
            max_ratio=3,
            available=has_command("remind", scratch),
        ),
        Bench(
            "reports-cadre",
            f"reports --cadre {cadre}",
            lambda i: [EXE, "--db", str(db), "reports", "--cadre", cadre, "--as-of", AS_OF],
            floor="F3",
            max_ratio=3,
        ),
        Bench(
            "visits-cadre",
            f"visits --cadre {cadre}",
            lambda i: [EXE, "--db", str(db), "visits", "--cadre", cadre],
            floor="F3",
            max_ratio=3,
        ),
        Bench(
            "summary-month",
            "summary --month 2020-10",
            lambda i: [EXE, "--db", str(db), "summary", "--month", "2020-10", "--as-of", AS_OF],
            floor="F3",
            max_ratio=4,
        ),
    ]
    return benches


PG_ENV_VAR = "CONGTAC12_BENCH_PG"  # a PostgreSQL URL whose server the benchmark may make a database on


def pg_benches(db: Path, scratch: Path, cadre: str) -> list[Bench]:
    """F4 (psycopg + one query + a Rich table) and ``status --cadre`` on PostgreSQL, when
    $CONGTAC12_BENCH_PG (else $CONGTAC12_TEST_PG, the test server) names a server: the synthetic
    database is copied there with ``db copy``, into a new database dropped at the end."""
    url = os.environ.get(PG_ENV_VAR) or os.environ.get("CONGTAC12_TEST_PG")
    f4 = str(HERE / "floors" / "f4_pg_table.py")
    floor = Bench("F4", "F4: psycopg+rich.table, 1 query, 1 table (PostgreSQL)", lambda i: [], available=False)
    status = Bench(
        "pg-status-cadre",
        f"PostgreSQL: status --cadre {cadre}",
        lambda i: [],
        floor="F4",
        max_ratio=2.5,
        available=False,
    )
    if not url:
        return [floor, status]
    target = pg_database(url)
    copied = run_process(
        [EXE, "--db", str(db), "db", "copy", "--to", target], env=BASE_ENV, stdout=os.devnull, scratch=scratch
    )
    if copied.code != 0:
        floor.available = status.available = True
        floor.failure = status.failure = f"db copy failed: {copied.stderr.strip()[-200:]}"
        return [floor, status]
    floor.available = status.available = True
    floor.argv = lambda i: [PYTHON, f4, target, cadre]
    status.argv = lambda i: [EXE, "--db", target, "status", "--as-of", AS_OF, "--cadre", cadre]
    return [floor, status]


_PG_DATABASE = "congtac12_bench"


def pg_database(url: str) -> str:
    """A new, empty database on the server of ``url`` (replacing the benchmark's own); its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{_PG_DATABASE}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{_PG_DATABASE}"')
    return url.rsplit("/", 1)[0] + "/" + _PG_DATABASE


def drop_pg_database(url: str | None) -> None:
    if not url:
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{_PG_DATABASE}" WITH (FORCE)')


def import_benches(db: Path, scratch: Path) -> list[Bench]:
    """F5 and the import of everything exported from the synthetic database, each into a fresh
    copy of the same new, empty database before every run (F5: the same rows by ``executemany``)."""
    available = has_command("import", scratch) and has_command("export", scratch)
    data = scratch / "export.json"
    empty = scratch / "empty.db"
    target = scratch / "import.db"
    floor_target = scratch / "f5.db"
    f5 = str(HERE / "floors" / "f5_sqlite_import.py")
    floor = Bench(
        "F5",
        "F5: json+sqlite3 executemany of the same rows",
        lambda i: [PYTHON, f5, str(floor_target), str(data)],
        available=available,
    )
    bench = Bench(
        "import",
        "import (all of the export)",
        lambda i: [EXE, "--db", str(target), "import", str(data)],
        floor="F5",
        max_seconds=2,
        max_mb=200,
        available=available,
    )
    if not available:
        return [floor, bench]
    exported = run_process(
        [EXE, "--db", str(db), "export", "--format", "json", "--out", str(data)],
        env=BASE_ENV,
        stdout=os.devnull,
        scratch=scratch,
    )
    if exported.code != 0:
        floor.failure = bench.failure = f"export failed: {exported.stderr.strip()[-200:]}"
        return [floor, bench]
    synth.create_empty(empty, exe=EXE)

    def fresh(path: Path) -> Callable[[int], None]:
        def prepare(_i: int) -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(empty, path)

        return prepare

    floor.prepare = fresh(floor_target)
    bench.prepare = fresh(target)
    return [floor, bench]


# --- reporting ---------------------------------------------------------------


def target_text(b: Bench) -> str:
    parts = []
    if b.max_ratio is not None:
        parts.append(f"≤ {b.max_ratio} × {b.floor}")
    if b.max_seconds is not None:
        parts.append(f"≤ {b.max_seconds:g} s")
    if b.max_mb is not None:
        parts.append(f"≤ {b.max_mb:g} MB")
    return ", ".join(parts) or "floor"


def verdict(b: Bench, floors: dict[str, Bench]) -> tuple[str, str, bool | None]:
    """(median, ratio, met?) as text; met is None when there is nothing to judge."""
    if not b.available:
        return "not available", "", None
    if b.failure:
        return f"failed ({b.failure})", "", False
    ok = True
    ratio = ""
    floor = floors.get(b.floor) if b.floor is not None else None
    if floor is not None and floor.available and not floor.failure and floor.measured():
        r = b.seconds / floor.seconds
        ratio = f"{r:.2f} × {b.floor}"
        if b.max_ratio is not None:
            ok &= r <= b.max_ratio
    elif b.max_ratio is not None:
        return f"{b.seconds:.3f}", "", False  # a target against a floor that did not run: not met
    if b.max_seconds is not None:
        ok &= b.seconds <= b.max_seconds
    if b.max_mb is not None:
        ok &= b.peak_mb <= b.max_mb
    return f"{b.seconds:.3f}", ratio, ok


HEADER = ["command", "median s", "CPU s", "peak MB", "ratio", "CPU ratio", "target", "result"]


def cpu_ratio(b: Bench, floors: dict[str, Bench]) -> str:
    """The ratio of CPU times to the same floor: what a loaded machine disturbs least (not judged)."""
    floor = floors.get(b.floor) if b.floor is not None else None
    if floor is None or not (b.available and floor.available) or b.failure or floor.failure:
        return ""
    if not (b.measured() and floor.measured()) or floor.cpu_seconds <= 0:
        return ""
    return f"{b.cpu_seconds / floor.cpu_seconds:.2f}"


def result_rows(benches: list[Bench]) -> list[list[str]]:
    floors = {b.key: b for b in benches if b.key.startswith("F")}
    rows = []
    for b in benches:
        median, ratio, ok = verdict(b, floors)
        ran = b.available and not b.failure
        cpu = f"{b.cpu_seconds:.3f}" if ran else ""
        peak = f"{b.peak_mb:.0f}" if ran else ""
        met = "" if ok is None or b.key.startswith("F") else ("pass" if ok else "FAIL")
        target = "" if b.key.startswith("F") else target_text(b)
        rows.append([b.label, median, cpu, peak, ratio, cpu_ratio(b, floors), target, met])
    return rows


def result_records(benches: list[Bench]) -> list[dict[str, object]]:
    """The table's rows for ``--json``: numbers as numbers (None where nothing ran), the ratio to
    the floor (the import's to F5 too, which has no target of its own) and the verdict."""
    floors = {b.key: b for b in benches if b.key.startswith("F")}
    records = []
    for b, row in zip(benches, result_rows(benches), strict=True):
        ran = b.available and not b.failure and bool(b.measured())
        ratio = row[4].split(" × ")[0] if row[4] else None
        records.append(
            {
                "key": b.key,
                "label": b.label,
                "seconds": round(b.seconds, 4) if ran else None,
                "cpu_seconds": round(b.cpu_seconds, 4) if ran else None,
                "peak_mb": round(b.peak_mb, 1) if ran else None,
                "floor": b.floor if b.floor in floors else None,
                "ratio": float(ratio) if ratio else None,
                "cpu_ratio": float(row[5]) if row[5] else None,
                "target": row[6] or None,
                "result": row[7] or None,
                "failure": b.failure,
            }
        )
    return records


@dataclass(frozen=True)
class GrowthPoint:
    visits: int
    cadres: int
    seconds: float
    peak_mb: float


def growth_rows(points: list[GrowthPoint], f2: float) -> tuple[list[list[str]], bool]:
    """Each size's time, and the time above the floor (F3) per 100,000 visits, which must not climb.

    Linear work keeps the cost per visit level from one size to the next (the
    smallest size also carries the fixed cost of our imports); a query per
    cadre or a loop over the window's days for each visit would multiply it by
    up to ten at each step. The check allows half again, for noise and for the
    larger working set of a bigger database.
    """
    rows, ok = [], True
    previous = None
    for p in points:
        per = max(p.seconds - f2, 0.0) / p.visits * 100_000
        grew = ""
        if previous is not None:
            grew = f"{p.visits / previous.visits:.0f}× visits, {p.seconds / previous.seconds:.2f}× time"
            if previous.seconds - f2 > 0.05:  # too close to the floor to compare below that
                ok &= per <= GROWTH_SLACK * (max(previous.seconds - f2, 0.0) / previous.visits * 100_000)
        rows.append([f"{p.visits:,}", f"{p.cadres:,}", f"{p.seconds:.3f}", f"{p.peak_mb:.0f}", f"{per:.3f}", grew])
        previous = p
    return rows, ok


GROWTH_SLACK = 1.5
GROWTH_HEADER = ["visits", "cadres", "median s", "peak MB", "s above F3 per 100k visits", "growth"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [header, ["-" * w for w in widths], *rows])


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = ", ".join(f"{p} {_version(p)}" for p in ("typer", "sqlmodel", "sqlalchemy", "rich", "psycopg"))
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "packages": versions,
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


# Our own processes keep one core busy (the one-minute load after a run is about 1 from the
# run itself), so the load after a run says little; what says that others took the CPU is
# the timed processes waiting: their wall time above their CPU time.
BUSY_LOAD = 0.5  # of the cores, before the run
BUSY_WAIT = 1.10  # total wall time over total CPU time of the timed runs


def wall_over_cpu(benches: list[Bench]) -> float:
    """Total wall time over total CPU time of every timed (not warm-up) run; 1 on an idle machine."""
    samples = [s for b in benches for s in b.measured()]
    cpu = sum(s.cpu_seconds for s in samples)
    return sum(s.seconds for s in samples) / cpu if cpu > 0 else 1.0


def busy_note(load_before: float, waited: float, cores: int | None = None) -> str | None:
    """The warning line when other programs kept the machine busy, saying how it shows; else None."""
    cores = cores or os.cpu_count() or 1
    signs = []
    if load_before > BUSY_LOAD * cores:
        signs.append(f"load average {load_before:.2f} on {cores} cores before the run")
    if waited > BUSY_WAIT:
        signs.append(f"the timed runs took {waited:.2f} × their CPU time")
    if not signs:
        return None
    return (
        "Warning: other programs kept the machine busy during this run ("
        + "; ".join(signs)
        + "); wall times and their ratios are less reliable than on an idle machine: compare CPU s."
    )


# --- main --------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Fraction of the full size (1,000 cadres, 100,000 visits); default 1."
    )
    parser.add_argument("--runs", type=int, default=7, help="Timed runs per command (default 7).")
    parser.add_argument(
        "--warmups", type=int, default=1, help="Untimed runs before them, which also write Python's caches (default 1)."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="Markdown file to write the results into (default: BENCHMARKS.md at full scale, none otherwise).",
    )
    parser.add_argument(
        "--no-growth", action="store_true", help="Skip status on 10 times fewer and 10 times more visits."
    )
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the databases here.")
    parser.add_argument(
        "--json", type=Path, default=None, help="Also write the results as JSON to this file (figures as numbers)."
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmups < 0 or args.scale <= 0:
        parser.error("--runs must be at least 1, --warmups 0 or more and --scale above 0")
    if not Path(EXE).exists():
        parser.error(f"{EXE} not found; install congtac12 into this Python first (pip install -e .)")
    if args.out is None and args.scale == 1:
        args.out = REPO / "BENCHMARKS.md"
    return args


def fresh_database(path: Path, cadres: int) -> int:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    visits = synth.build(path, exe=EXE, cadres=cadres)
    say(f"built {path.name}: {cadres:,} cadres, {visits:,} visits in {time.perf_counter() - start:.1f} s")
    return visits


def run_all(benches: list[Bench], rounds: int, scratch: Path) -> None:
    """Round-robin: a busy moment of the machine hits floors and commands alike."""
    for i in range(rounds):
        for b in benches:
            b.run(i, scratch)
        say(f"round {i + 1}/{rounds} done")


def growth(
    db: Path, cadres: int, visits: int, args: argparse.Namespace, scratch: Path, work: Path
) -> tuple[list[GrowthPoint], float]:
    """``status --json`` on a tenth of the cadres, all of them and ten times as many, and F3.

    Run round-robin with F3 like the rest, so that each size is compared with
    a floor timed under the same conditions. Returns the points and F3's median.
    """
    sizes = []
    for n in (max(2, round(cadres / 10)), cadres, cadres * 10):
        path = db if n == cadres else work / f"growth-{n}.db"
        sizes.append((n, path, visits if path == db else fresh_database(path, n)))
    f3 = Bench(
        "F3",
        "F3",
        lambda i: [PYTHON, str(HERE / "floors" / "f3_sqlite_table.py"), str(db), synth.cadre_code(cadres // 2)],
        warmups=args.warmups,
    )
    benches = [f3] + [
        Bench(
            "growth",
            f"status on {count:,} visits",
            lambda i, p=path: [EXE, "--db", str(p), "status", "--as-of", AS_OF, "--json"],
            warmups=args.warmups,
        )
        for _, path, count in sizes
    ]
    run_all(benches, args.warmups + args.runs, scratch)
    for b in benches:
        if b.failure:
            raise SystemExit(f"{b.label} failed: {b.failure}")
    points = [GrowthPoint(count, n, b.seconds, b.peak_mb) for (n, _, count), b in zip(sizes, benches[1:], strict=False)]
    return points, f3.seconds


# ``status`` of all cadres on the largest database (1,000,000 visits at full scale).
LARGEST_MAX_SECONDS = 3.0
LARGEST_MAX_MB = 150


def largest_line(points: list[GrowthPoint]) -> tuple[str, bool]:
    p = points[-1]
    ok = p.seconds <= LARGEST_MAX_SECONDS and p.peak_mb <= LARGEST_MAX_MB
    return (
        f"`status --json` at {p.visits:,} visits: {p.seconds:.3f} s, {p.peak_mb:.0f} MB "
        f"(target ≤ {LARGEST_MAX_SECONDS:g} s, ≤ {LARGEST_MAX_MB} MB): " + ("pass" if ok else "FAIL"),
        ok,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rounds = args.warmups + args.runs
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="congtac12-bench-") as tmp:
        scratch = Path(tmp)
        work = args.workdir or scratch
        work.mkdir(parents=True, exist_ok=True)
        cadres = max(2, round(1000 * args.scale))
        db = work / "bench.db"
        visits = fresh_database(db, cadres)

        benches = light_benches(db, scratch, synth.cadre_code(cadres // 2))
        pg = pg_benches(db, scratch, synth.cadre_code(cadres // 2))
        benches += pg
        imports = import_benches(db, scratch)
        for b in [*benches, *imports]:
            b.warmups = args.warmups
        try:
            run_all(benches, rounds, scratch)
        finally:
            if pg[0].available:
                drop_pg_database(os.environ.get(PG_ENV_VAR) or os.environ.get("CONGTAC12_TEST_PG"))
        run_all(imports, rounds, scratch)  # the import and its floor in the same rounds
        benches += imports
        rows = result_rows(benches)
        records = {"results": result_records(benches)}
        ok = all(r[-1] != "FAIL" for r in rows)
        report = [
            f"Synthetic database: {cadres:,} cadres, {visits:,} visits (2018–2022), status as of "
            f"{AS_OF}; median of {args.runs} runs after {args.warmups} warm-up run(s).",
            "",
            markdown_table(HEADER, rows),
        ]
        print()
        print(plain_table(HEADER, rows))

        if not args.no_growth:
            points, f3 = growth(db, cadres, visits, args, scratch, work)
            g_rows, g_ok = growth_rows(points, f3)
            largest, l_ok = largest_line(points)
            ok &= g_ok and l_ok
            records["growth"] = [
                {"visits": p.visits, "cadres": p.cadres, "seconds": round(p.seconds, 4), "peak_mb": round(p.peak_mb, 1)}
                for p in points
            ]
            line = "time grows no faster than the number of visits: " + ("pass" if g_ok else "FAIL")
            report += [
                "",
                "`status --json` for all cadres as the database grows (20 visits per "
                f"cadre per year; more cadres), round-robin with F3 ({f3:.3f} s here):",
                "",
                markdown_table(GROWTH_HEADER, g_rows),
                "",
                line,
                "",
                largest,
            ]
            print()
            print(plain_table(GROWTH_HEADER, g_rows))
            print(line)
            print(largest)

    info = machine()
    load_after = os.getloadavg()[0]
    info["load average (1 min) before/after"] = f"{load_before:.2f}/{load_after:.2f}"
    waited = wall_over_cpu(benches)
    info["wall time over CPU time"] = f"{waited:.2f}"
    notes = ["Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + "."]
    busy = busy_note(load_before, waited)
    if busy:
        notes.append(busy)
    for note in notes:
        report += ["", note]
        print()
        print(note)
    print("all targets met" if ok else "some targets missed")
    if args.out is not None:
        write_report(args.out, "\n".join(report))
        say(f"wrote {args.out}")
    if args.json is not None:
        doc = {"machine": info, "scale": args.scale, "runs": args.runs, "warmups": args.warmups, **records}
        doc["notes"], doc["all_met"] = notes[1:], ok
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        say(f"wrote {args.json}")
    return 0 if ok else 1


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_report(path: Path, body: str) -> None:
    """Replace the results between the markers, keeping the prose around them."""
    block = f"{BEGIN}\n{body}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = (text or "# Benchmarks\n\nWritten by `python benchmarks/run.py`.\n") + "\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
