"""Time congtac12 as a user runs it: whole processes, against the stack's own floors.

    python benchmarks/run.py                 # full run (a few minutes); writes BENCHMARKS.md
    python benchmarks/run.py --scale 0.01 --runs 1 --out /tmp/b.md   # a smoke run, seconds

Every figure is the median of ``--runs`` runs after one warm-up run, each run a
new process started with ``posix_spawn`` and reaped with ``wait4`` by the small
``timed.py``, which gives its wall time, CPU time and own peak resident memory. The light commands are run
round-robin with their floors, so a busy moment of the machine hits floors and
commands alike. A command that this build lacks (``remind``, ``import``) is
shown as "not available" instead of failing the run.
"""

from __future__ import annotations

import argparse
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
from datetime import date, datetime, timedelta, timezone
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
        env=env, capture_output=True, text=True, check=True,
    )
    seconds, cpu, peak_kib, code = done.stdout.split()
    return Sample(float(seconds), float(cpu), int(peak_kib) / 1024, int(code),
                  err.read_text(errors="replace"))


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
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None

    def run(self, i: int, scratch: Path) -> None:
        if not self.available or self.failure:
            return
        if self.prepare is not None:
            self.prepare(i)
        sample = run_process(self.argv(i), env={**BASE_ENV, **self.env}, stdout=self.stdout,
                             scratch=scratch)
        if sample.code != 0:
            lines = sample.stderr.strip().splitlines() or ["(no message)"]
            self.failure = f"exit {sample.code}: {lines[-1]}"
        self.samples.append(sample)

    def measured(self) -> list[Sample]:
        return self.samples[1:]  # the first run is the warm-up

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
    **{k: v for k, v in os.environ.items()
       if not k.startswith(("CONGTAC12", "_CONGTAC12")) and k != "PYTHONDONTWRITEBYTECODE"},
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
    status = [EXE, "--db", str(db), "status", "--as-of", AS_OF]
    first_day = date(2023, 1, 1)

    def add_visit(i: int) -> list[str]:
        day = (first_day + timedelta(days=i)).isoformat()  # a new day each run: no clash
        return [EXE, "--db", str(db), "add-visit", "--cadre", cadre, "--unit", synth.BENCH_UNIT,
                "--from", day, "--kind", "chuyen-de", "--topic", "Đo thời gian"]

    completion = {
        "_CONGTAC12_COMPLETE": "complete_bash", "COMP_WORDS": "congtac12 status --", "COMP_CWORD": "2",
    }
    benches = [
        Bench("F0", "F0: python -c pass", lambda i: [PYTHON, "-c", "pass"]),
        Bench("F1", "F1: minimal Typer app --help", lambda i: [PYTHON, f1, "--help"]),
        Bench("F2", "F2: typer+sqlmodel+rich.table, 1 query, 1 table",
              lambda i: [PYTHON, f2, str(db), cadre]),
        Bench("help", "congtac12 --help", lambda i: [EXE, "--help"], floor="F1", max_ratio=1.3),
        Bench("complete", "completion (status --<Tab>)", lambda i: [EXE], env=completion,
              floor="F1", max_ratio=1.3),
        Bench("status-cadre", f"status --cadre {cadre}", lambda i: [*status, "--cadre", cadre],
              floor="F2", max_ratio=1.3),
        Bench("status-all", "status --json > /dev/null (all cadres)",
              lambda i: [*status, "--json"], floor="F2", max_ratio=1.6, max_mb=250),
        Bench("add-visit", "add-visit", add_visit, floor="F2", max_ratio=1.3),
        Bench("remind", "remind --json", lambda i: [EXE, "--db", str(db), "remind", "--as-of", AS_OF,
                                                    "--json"],
              floor="F2", max_ratio=1.5, available=has_command("remind", scratch)),
    ]
    return benches


def import_bench(db: Path, scratch: Path) -> Bench:
    """Import everything exported from the synthetic database into a new, empty one."""
    available = has_command("import", scratch) and has_command("export", scratch)
    data = scratch / "export.json"
    empty = scratch / "empty.db"
    target = scratch / "import.db"
    bench = Bench("import", "import (all of the export)", lambda i: [EXE, "--db", str(target),
                                                                      "import", str(data)],
                  max_seconds=20, available=available)
    if not available:
        return bench
    exported = run_process([EXE, "--db", str(db), "export", "--format", "json", "--out", str(data)],
                           env=BASE_ENV, stdout=os.devnull, scratch=scratch)
    if exported.code != 0:
        bench.failure = f"export failed: {exported.stderr.strip()[-200:]}"
        return bench
    synth.create_empty(empty, exe=EXE)

    def fresh(_i: int) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(empty, target)

    bench.prepare = fresh
    return bench


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
    if b.floor is not None:
        r = b.seconds / floors[b.floor].seconds
        ratio = f"{r:.2f}"
        ok &= r <= b.max_ratio
    if b.max_seconds is not None:
        ok &= b.seconds <= b.max_seconds
    if b.max_mb is not None:
        ok &= b.peak_mb <= b.max_mb
    return f"{b.seconds:.3f}", ratio, ok


def result_rows(benches: list[Bench]) -> list[list[str]]:
    floors = {b.key: b for b in benches if b.key.startswith("F")}
    rows = []
    for b in benches:
        median, ratio, ok = verdict(b, floors)
        peak = f"{b.peak_mb:.0f}" if b.available and not b.failure else ""
        met = "" if ok is None or b.key.startswith("F") else ("pass" if ok else "FAIL")
        target = "" if b.key.startswith("F") else target_text(b)
        rows.append([b.label, median, peak, ratio, target, met])
    return rows


@dataclass(frozen=True)
class GrowthPoint:
    visits: int
    cadres: int
    seconds: float
    peak_mb: float


def growth_rows(points: list[GrowthPoint], f2: float) -> tuple[list[list[str]], bool]:
    """Each size's time, and the time above F2 per 100,000 visits, which must not climb.

    Linear work gives the same cost per visit at every size; a query per cadre or
    a per-day loop over the window would make the later points cost more per
    visit. The check allows 25% for noise, from each size to the next.
    """
    rows, ok = [], True
    previous = None
    for p in points:
        per = max(p.seconds - f2, 0.0) / p.visits * 100_000
        grew = ""
        if previous is not None:
            grew = f"{p.visits / previous.visits:.0f}× visits, {p.seconds / previous.seconds:.2f}× time"
            if previous.seconds - f2 > 0.05:  # too close to the floor to compare below that
                ok &= per <= 1.25 * (max(previous.seconds - f2, 0.0) / previous.visits * 100_000)
        rows.append([f"{p.visits:,}", f"{p.cadres:,}", f"{p.seconds:.3f}", f"{p.peak_mb:.0f}",
                     f"{per:.3f}", grew])
        previous = p
    return rows, ok


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
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
    versions = ", ".join(f"{p} {_version(p)}" for p in ("typer", "sqlmodel", "sqlalchemy", "rich"))
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
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


# --- main --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="Fraction of the full size (1,000 cadres, 100,000 visits); default 1.")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs per command after one warm-up.")
    parser.add_argument("--out", type=Path, default=None,
                        help="Markdown file to write the results into (default: BENCHMARKS.md at "
                             "full scale, none otherwise).")
    parser.add_argument("--no-growth", action="store_true", help="Skip status at 10x and 100x fewer/more visits.")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the databases here.")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.scale <= 0:
        parser.error("--runs must be at least 1 and --scale above 0")
    out = args.out if args.out is not None else (REPO / "BENCHMARKS.md" if args.scale == 1 else None)
    if not Path(EXE).exists():
        parser.error(f"{EXE} not found; install congtac12 into this Python first (pip install -e .)")

    with tempfile.TemporaryDirectory(prefix="congtac12-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        scratch = Path(tmp)
        cadres = max(2, round(1000 * args.scale))
        db = work / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        t = time.perf_counter()
        visits = synth.build(db, exe=EXE, cadres=cadres)
        say(f"built {db.name}: {cadres:,} cadres, {visits:,} visits in {time.perf_counter() - t:.1f} s")
        cadre = synth.cadre_code(cadres // 2)

        benches = light_benches(db, scratch, cadre)
        for i in range(args.runs + 1):
            for b in benches:
                b.run(i, scratch)
            say(f"round {i + 1}/{args.runs + 1} done")
        imp = import_bench(db, scratch)
        for i in range(args.runs + 1):
            imp.run(i, scratch)
        if imp.available and not imp.failure:
            say(f"import: {imp.seconds:.2f} s")
        benches.append(imp)
        floors = {b.key: b for b in benches if b.key.startswith("F")}
        header = ["command", "median s", "peak MB", "ratio", "target", "result"]
        rows = result_rows(benches)
        ok = all(r[-1] != "FAIL" for r in rows)
        report = [
            f"Synthetic database: {cadres:,} cadres, {visits:,} visits (2018–2022), status as of "
            f"{AS_OF}; median of {args.runs} runs after a warm-up.",
            "",
            markdown_table(header, rows),
        ]
        print()
        print(plain_table(header, rows))

        if not args.no_growth:
            points = []
            for factor in (0.1, 1, 10):
                n = max(2, round(cadres * factor))
                path = db if n == cadres else work / f"growth-{n}.db"
                if path != db:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                    count = synth.build(path, exe=EXE, cadres=n)
                else:
                    count = visits
                b = Bench("growth", "status", lambda i, p=path: [EXE, "--db", str(p), "status",
                                                                 "--as-of", AS_OF, "--json"])
                for i in range(args.runs + 1):
                    b.run(i, scratch)
                if b.failure:
                    raise SystemExit(f"status on {count:,} visits failed: {b.failure}")
                points.append(GrowthPoint(count, n, b.seconds, b.peak_mb))
                say(f"status on {count:,} visits: {b.seconds:.2f} s")
            g_header = ["visits", "cadres", "median s", "peak MB", "s above F2 per 100k visits", "growth"]
            g_rows, g_ok = growth_rows(points, floors["F2"].seconds)
            ok &= g_ok
            verdict_line = ("time grows no faster than the number of visits: "
                            + ("pass" if g_ok else "FAIL"))
            report += ["", "`status --json` for all cadres as the database grows (20 visits per "
                       "cadre per year, more cadres):", "", markdown_table(g_header, g_rows), "",
                       verdict_line]
            print()
            print(plain_table(g_header, g_rows))
            print(verdict_line)

        info = machine()
        report += ["", "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + "."]
        print()
        print(report[-1])
        print("all targets met" if ok else "some targets missed")
        if out is not None:
            write_report(out, "\n".join(report))
            say(f"wrote {out}")
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
