"""Speed that must not rot: a light start-up, heavy imports out of module level, the benchmark.

Timings themselves live in the benchmark (``python benchmarks/run.py``), not in
tests: a test checks what makes them possible. Help and a Tab load none of the
database stack; ruff's TID253 keeps heavy modules out of module level; the
benchmark still runs end to end at a tiny scale.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "openpyxl", "rich.table")

# Runs the root app as the console script does, then names the heavy modules it loaded.
PROBE = """
import json, sys
from congtac12.cli import app
try:
    app(sys.argv[1:], prog_name="congtac12")
except SystemExit:
    pass
print("COMMANDS", json.dumps(sorted(m for m in sys.modules if m.startswith("congtac12.cli."))),
      file=sys.stderr)
print("LOADED", json.dumps(sorted(m for m in %r if m in sys.modules)), file=sys.stderr)
""".replace("%r", repr(HEAVY))


def probe(*args: str, env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """(stdout, heavy modules loaded) of ``congtac12 ARGS`` run in a fresh interpreter."""
    return probe_modules(*args, env=env)[:2]


def probe_modules(*args: str, env: dict[str, str] | None = None) -> tuple[str, list[str], list[str]]:
    """(stdout, heavy modules loaded, modules of congtac12.cli loaded) of ``congtac12 ARGS``."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )
    *_, commands, last = result.stderr.strip().splitlines()
    assert last.startswith("LOADED ") and commands.startswith("COMMANDS "), result.stderr
    return (result.stdout, json.loads(last.removeprefix("LOADED ")), json.loads(commands.removeprefix("COMMANDS ")))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_root_help_imports_no_command_module(lang: str) -> None:
    # The root knows its commands' names and summaries from a table; a
    # command's module is imported when the command is run or asked for help.
    stdout, _, modules = probe_modules("--lang", lang, "--help")
    assert "status" in stdout and "add-visit" in stdout
    # what every command shares (no command of its own): options, Typer compat, Click's texts translated
    shared = ("congtac12.cli.common", "congtac12.cli.compat", "congtac12.cli.click_texts")
    assert [m for m in modules if m not in shared] == []
    _, _, modules = probe_modules("--lang", lang, "status", "--help")
    assert "congtac12.cli.status" in modules and "congtac12.cli.visits" not in modules


@pytest.mark.parametrize(
    "args",
    [("--help",), ("-h",), ("--version",), ("status", "--help"), ("cadre", "add", "--help"), ("add-visit", "--help")],
)
def test_help_and_version_load_no_database_stack(args: tuple[str, ...]) -> None:
    stdout, loaded = probe(*args)
    assert stdout.strip(), "the command printed nothing"
    assert loaded == []


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("congtac12 st", 1, "status"),  # a command name
        ("congtac12 status --", 2, "--as-of"),  # an option of a command
        ("congtac12 --db x.db cadre a", 4, "add"),  # after a root option with a value
        ("congtac12 add-visit --kind chuyen-de --", 4, "--unit"),  # after an option's value
    ],
)
def test_bash_completion_answers_without_database_stack(words: str, cword: int, expected: str) -> None:
    # Typer's bash protocol: the line in COMP_WORDS, the word being completed in COMP_CWORD.
    env = {"_CONGTAC12_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    stdout, loaded = probe(env=env)
    assert expected in stdout.split()
    assert loaded == []


# A Typer app with number options and defaults, run with Typer's own conversion
# ("typer") or with ours installed ("lazy"); prints its values, or Typer's error.
NUMBERS = """
import json, sys
import typer
if sys.argv[1] == "lazy":  # importing congtac12.cli installs it; "typer" must not
    from congtac12.cli import compat
    assert compat.install()
app = typer.Typer()
@app.command()
def main(
    ahead: int = typer.Option(3, min=0),
    share: float = typer.Option(float(sys.argv[2]), min=0.5, max=1.0),
    name: str = typer.Option("Đào"),
) -> None:
    print(ahead, share, name)
try:
    app(sys.argv[3:], prog_name="probe")
except SystemExit as exc:
    print("EXIT", exc.code, json.dumps("pydantic" in sys.modules), file=sys.stderr)
"""


def numbers(mode: str, share_default: str, *args: str) -> tuple[str, str, bool]:
    result = subprocess.run(
        [sys.executable, "-c", NUMBERS, mode, share_default, *args], capture_output=True, text=True, timeout=60
    )
    *message, last = result.stderr.strip().splitlines()
    return result.stdout, "\n".join(message) + last.rsplit(" ", 1)[0], json.loads(last.rsplit(" ", 1)[1])


def test_defaults_within_bounds_skip_pydantic_and_everything_else_is_converted_as_before() -> None:
    # Defaults inside their bounds come back as they are, without pydantic,
    # where Typer alone imports it to convert them.
    assert numbers("lazy", "0.75") == ("3 0.75 Đào\n", "EXIT 0", False)
    assert numbers("typer", "0.75") == ("3 0.75 Đào\n", "EXIT 0", True)
    # A default out of bounds (0.25 < 0.5) and text for a number are Typer's to
    # judge: the same output, the same error, with or without ours.
    for args in (("0.25",), ("0.75", "--ahead", "7"), ("0.75", "--ahead", "-1"), ("0.75", "--share", "x")):
        lazy, typer_own = numbers("lazy", *args), numbers("typer", *args)
        assert lazy[:2] == typer_own[:2]
    assert numbers("lazy", "0.25")[1].endswith("EXIT 2")
    assert numbers("lazy", "0.75", "--ahead", "7")[0] == "7 0.75 Đào\n"
    # A whole number typed in plain digits within its bounds is int(text), without pydantic;
    # a sign, a space, an underscore or a number out of bounds is still Typer's to judge.
    assert numbers("lazy", "0.75", "--ahead", "7") == ("7 0.75 Đào\n", "EXIT 0", False)
    assert numbers("lazy", "0.75", "--ahead", "007") == numbers("typer", "0.75", "--ahead", "007")[:2] + (False,)
    for text in ("+7", " 7", "7_0", "-1", "٣", "1" * 12):
        lazy, typer_own = numbers("lazy", "0.75", "--ahead", text), numbers("typer", "0.75", "--ahead", text)
        assert lazy[:2] == typer_own[:2] and lazy[2], text


# The same probe on a Typer the speed hook is not tested with: congtac12.cli.compat
# leaves Typer alone, and everything works as plain Typer does (pydantic and all).
UNTESTED_TYPER = """
import json, sys
import typer
typer.__version__ = "0.0.0"  # a Typer that congtac12.cli.compat does not know
from congtac12.cli import app, compat
from typer import core
hooked = core._TyperParameter.get_runtime_param is compat._get_runtime_param
try:
    app(sys.argv[1:], prog_name="congtac12")
except SystemExit as exc:
    print("EXIT", exc.code, file=sys.stderr)
print("STATE", json.dumps([hooked, "pydantic" in sys.modules]), file=sys.stderr)
"""


def test_the_speed_hook_is_on_for_the_typer_that_ci_installs() -> None:
    # CI installs constraints.txt; compat.TESTED names that Typer's version. A
    # new Typer in constraints.txt needs the hook tested on it (this file) first.
    from congtac12.cli import compat

    assert compat.supported()
    assert not compat.supported("0.30.0") and not compat.supported("1.0.0")


def test_a_typer_without_its_path_conversion_module_runs_on_plain_typer() -> None:
    # compat imports typer._param_types only if it exists; without it the hook is not installed
    # and congtac12 still starts (plain Typer), rather than failing on the import.
    probe = (
        "import sys, typer\n"  # a Typer whose package has no _param_types (this one needs it to load)
        "del typer._param_types; sys.modules['typer._param_types'] = None\n"
        "from congtac12.cli import compat\n"
        "print(compat._param_types is None, compat.supported(), compat.install())\n"
        "from congtac12.cli import app\n"
        "app(['--version'], prog_name='congtac12')\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    first, *rest = run.stdout.splitlines()
    assert first == "True False False" and rest and rest[0].strip()


@pytest.mark.parametrize("args", [("--help",), ("status", "--help"), ("--lang", "vi", "cadre", "add", "--help")])
def test_on_an_untested_typer_congtac12_runs_on_plain_typer(args: tuple[str, ...]) -> None:
    plain = subprocess.run([sys.executable, "-c", UNTESTED_TYPER, *args], capture_output=True, text=True, timeout=60)
    hooked = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    *_, exit_line, state = plain.stderr.strip().splitlines()
    assert exit_line == "EXIT 0", plain.stderr
    hooked_there, _pydantic = json.loads(state.removeprefix("STATE "))
    assert not hooked_there  # plain Typer: its own conversion (pydantic) for every value
    assert plain.stdout == hooked.stdout and plain.stdout.strip()


def test_on_an_untested_typer_a_command_converts_its_values(tmp_path: Path) -> None:
    env = {**os.environ, "CONGTAC12_DB": str(tmp_path / "t.db")}
    run = subprocess.run(
        [sys.executable, "-c", UNTESTED_TYPER, "remind", "--ahead", "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "EXIT 2" in run.stderr and "--ahead" in run.stderr
    # remind only reads: it needs a database that exists
    subprocess.run([sys.executable, "-m", "congtac12", "init"], env=env, check=True, capture_output=True, timeout=60)
    run = subprocess.run(
        [sys.executable, "-c", UNTESTED_TYPER, "remind", "--ahead", "5", "--as-of", "01/06/2020", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "EXIT 0" in run.stderr, run.stderr
    assert json.loads(run.stdout)["as_of"] == "2020-06-01"


def postpones_typer_signatures(source: str) -> bool:
    """Whether a module has ``from __future__ import annotations`` and a function whose
    parameters are declared with ``typer.Option(...)``/``typer.Argument(...)``."""
    tree = ast.parse(source)
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    if not postponed:
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                for part in ast.walk(arg.annotation) if arg.annotation else ():
                    if (
                        isinstance(part, ast.Call)
                        and isinstance(part.func, ast.Attribute)
                        and part.func.attr in ("Option", "Argument")
                    ):
                        return True
    return False


def test_command_modules_keep_annotations_as_objects() -> None:
    # Typer reads every command's annotations at each start; postponed ones
    # (from __future__ import annotations) are strings it evals, ~1 ms per module.
    # Names only imported under TYPE_CHECKING then go in quotes.
    offenders = [
        path.name
        for path in sorted((REPO / "src" / "congtac12" / "cli").glob("*.py"))
        if postpones_typer_signatures(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_annotation_check_can_fail() -> None:
    command = "import typer\ndef c(n: Annotated[int, typer.Option('--n')] = 1) -> None: ...\n"
    assert postpones_typer_signatures("from __future__ import annotations\n" + command)
    assert not postpones_typer_signatures(command)
    alias = "from __future__ import annotations\nN = Annotated[int, typer.Option('--n')]\n"
    assert not postpones_typer_signatures(alias)  # evaluated at import: no eval per start


def ruff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_heavy_module_is_imported_at_module_level() -> None:
    result = ruff("check", "--select", "TID253", "--no-cache", "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ruff_rule_would_catch_a_heavy_import_in_a_command_module() -> None:
    # The check above must be able to fail: the project's configuration bans
    # these at module level in the CLI (the store is exempt, by design).
    source = "import sqlmodel\nfrom rich.table import Table\nfrom openpyxl import Workbook\n"
    result = ruff(
        "check", "--select", "TID253", "--no-cache", "--stdin-filename", "src/congtac12/cli/probe.py", "-", stdin=source
    )
    assert result.returncode == 1
    assert result.stdout.count("TID253") == 3, result.stdout


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_growth_check_passes_linear_and_fails_faster_growth() -> None:
    bench = load_benchmark()
    point = bench.GrowthPoint
    # F2 = 0.5 s. Linear: above the floor 0.5, 1.5 and 11.5 s for 10k, 100k and 1M
    # visits, i.e. 5.0, 1.5 and 1.15 s per 100,000 visits: never climbing.
    linear = [point(10_000, 100, 1.0, 60), point(100_000, 1000, 2.0, 80), point(1_000_000, 10_000, 12.0, 200)]
    rows, ok = bench.growth_rows(linear, 0.5)
    assert ok
    assert [r[4] for r in rows] == ["5.000", "1.500", "1.150"]
    # Quadratic in the last step: 29.5 s above the floor for 1M is 2.95 s per
    # 100,000, more than 1.5 x 1.5 = 2.25: refused.
    faster = [*linear[:2], point(1_000_000, 10_000, 30.0, 200)]
    assert not bench.growth_rows(faster, 0.5)[1]


def test_busy_warning_reads_the_runs_waiting_not_the_runs_own_load() -> None:
    bench = load_benchmark()
    sample = bench.Sample
    quiet, waiting = bench.Bench("a", "a", lambda i: []), bench.Bench("b", "b", lambda i: [])
    quiet.warmups = waiting.warmups = 1
    # The warm-up run (first) is not counted: it waited, the timed runs did not.
    quiet.samples = [sample(3.0, 1.0, 10, 0, ""), sample(1.02, 1.0, 10, 0, ""), sample(2.0, 2.0, 10, 0, "")]
    assert bench.wall_over_cpu([quiet]) == pytest.approx(3.02 / 3.0)
    # A load of 1 after the run is the run itself on 2 cores: no warning from it.
    assert bench.busy_note(0.3, bench.wall_over_cpu([quiet]), cores=2) is None
    waiting.samples = [sample(1.0, 1.0, 10, 0, ""), sample(1.5, 1.0, 10, 0, "")]
    note = bench.busy_note(0.3, bench.wall_over_cpu([quiet, waiting]), cores=2)
    assert note is not None and "× their CPU time" in note and "load average" not in note
    note = bench.busy_note(1.5, 1.0, cores=2)
    assert note is not None and "load average 1.50 on 2 cores" in note and "CPU time)" not in note


def test_benchmark_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--scale",
            "0.005",
            "--runs",
            "1",
            "--warmups",
            "0",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path),
            "--json",
            str(tmp_path / "bench.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # 1 only says that a target was missed, which a tiny, busy run may do.
    assert result.returncode in (0, 1), result.stdout + result.stderr
    report = out.read_text(encoding="utf-8")
    for label in (
        "F0: python -c pass",
        "F1: minimal Typer app --help",
        "F2: ",
        "F3: sqlite3+rich.table",
        "congtac12 --help",
        "completion",
        "status --cadre B00002",
        "status --json",
        "add-visit",
        "remind --json",
        "F5: json+sqlite3",
        "import",
        "× F5",
        "time grows no faster",
        "Machine: ",
    ):
        assert label in report
    assert "failed" not in report  # a command that exists must run
    # 5 cadres x 5 years x 20 visits = 500 visits; the growth runs 2, 5 and 50 cadres.
    assert "5 cadres, 500 visits" in report
    assert "| 5,000 | 50 |" in report
    doc = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    by_key = {r["key"]: r for r in doc["results"]}
    assert by_key["import"]["floor"] == "F5" and by_key["import"]["ratio"] > 0 and by_key["F5"]["seconds"] > 0
    assert by_key["import"]["target"] == "≤ 2 s, ≤ 200 MB" and by_key["status-cadre"]["cpu_ratio"] > 0
    assert [p["visits"] for p in doc["growth"]] == [200, 500, 5000]  # 2 (the least), 5 and 50 cadres


def test_the_schema_costs_script_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    """benchmarks/schema_costs.py (the figures behind schema 9's choices) runs end to end, with its
    years-as-CHECK variant refusing a day that does not exist as the trigger does."""
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "schema_costs.py"), "--scale", "0.005", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for line in (
        "| as it is | executemany |",
        "| years as CHECK (tables rebuilt) | multi-row VALUES (100) |",
        "| no insert triggers | executemany |",
        "| without ix_change_item_lookup |",
        "| + read indexes |",
    ):
        assert line in done.stdout, done.stdout


def test_the_import_floor_inserts_what_the_import_inserts(tmp_path: Path) -> None:
    """F5 (benchmarks/floors/f5_sqlite_import.py) and ``congtac12 import`` of one export, each into
    a new empty database: the same rows in every table they fill (a floor that skipped rows or
    failed half-way would be a floor of less work)."""
    import shutil
    import sqlite3

    from support import synthetic_database

    exe = shutil.which("congtac12")
    assert exe is not None
    visits, _synth = synthetic_database(tmp_path / "source.db", 3)
    with sqlite3.connect(tmp_path / "source.db") as con:  # a deleted visit, a deactivated cadre, a service period
        con.execute("UPDATE visit SET deleted_at = '2020-06-01 00:00:00.000000' WHERE id = 7")
        con.execute(
            "UPDATE cadre SET deactivated_at = '2023-01-01 00:00:00.000000', joined = '2017-05-02' WHERE id = 2"
        )
    export = tmp_path / "export.json"
    run = subprocess.run([exe, "--db", str(tmp_path / "source.db"), "export", "--format", "json", "--out", str(export)])
    assert run.returncode == 0
    for name in ("floor.db", "import.db"):
        assert subprocess.run([exe, "--db", str(tmp_path / name), "init"], capture_output=True).returncode == 0
    floor = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "floors" / "f5_sqlite_import.py"),
            str(tmp_path / "floor.db"),
            str(export),
        ],
        capture_output=True,
        text=True,
    )
    assert floor.returncode == 0, floor.stderr
    imported = subprocess.run([exe, "--db", str(tmp_path / "import.db"), "import", str(export)], capture_output=True)
    assert imported.returncode == 0, imported.stderr
    rows = {
        "unit": "SELECT u.name, u.level, p.name FROM unit u LEFT JOIN unit p ON p.id = u.parent_id",
        "cadre": 'SELECT code, name, department, email, subject, joined, "left", deactivated_at IS NULL FROM cadre',
        "visit": 'SELECT c.code, u.name, v.start, v."end", v.kind, v.topic, v.order_no, v.deleted_at IS NULL'
        " FROM visit v JOIN cadre c ON c.id = v.cadre_id JOIN unit u ON u.id = v.unit_id",
        "report": "SELECT r.visit_id IN (SELECT id FROM visit), r.reported_on, r.text, v.start, c.code"
        " FROM report r JOIN visit v ON v.id = r.visit_id JOIN cadre c ON c.id = v.cadre_id",
    }
    found = {}
    for name in ("floor.db", "import.db"):
        with sqlite3.connect(tmp_path / name) as con:
            found[name] = {table: sorted(con.execute(sql), key=repr) for table, sql in rows.items()}
    assert found["floor.db"] == found["import.db"]
    counts = dict(pair.split("=") for pair in floor.stdout.split())
    assert int(counts["visit"]) == visits == len(found["import.db"]["visit"])
    assert int(counts["report"]) == len(found["import.db"]["report"]) > 0
    assert int(counts["cadre"]) == 3 and int(counts["unit"]) > 0


# --- the read path: no ORM ---------------------------------------------------------
ORM = ("sqlalchemy", "sqlmodel", "pydantic", "alembic")
# Runs the root app as the console script does, then names the ORM's modules still loaded at exit.
ORM_PROBE = """
import json, sys
from congtac12.cli import app
code = 0
try:
    app(sys.argv[1:], prog_name="congtac12")
except SystemExit as exc:
    code = exc.code
print("ORM", json.dumps([code, sorted(m for m in %r if m in sys.modules)]), file=sys.stderr)
""".replace("%r", repr(ORM))
AS_OF = ("--as-of", "13/11/2020")
READ_COMMANDS = [
    ("status", *AS_OF),
    ("status", *AS_OF, "--json"),
    ("status", "--cadre", "C01", *AS_OF),
    ("status", "--cadre", "C01", *AS_OF, "--json"),
    ("status", "--cadre", "nguyen van an", *AS_OF, "--explain"),
    ("remind", *AS_OF, "--ahead", "7"),
    ("remind", *AS_OF, "--json"),
    ("reports", *AS_OF),
    ("reports", "--cadre", "C01", *AS_OF, "--json"),
    ("visits", "--cadre", "C02"),
    ("visits", "--json"),
    ("visits", "--deleted"),
    ("summary", "--month", "2020-10", *AS_OF),
    ("summary", "--year", "2020", *AS_OF, "--json"),
    ("calendar", "--cadre", "C01", "--year", "2020"),
    ("cadre", "list", "--all", "--json"),
    ("unit", "list"),
    ("leave", "list", "--json"),
    ("history",),
    ("history", "--json"),
    ("history", "--cadre", "C01", "--json"),
    ("history", "--visit", "3", "--limit", "1"),
    ("policy", "list"),
    ("policy", "list", "--json"),
    ("policy", "show", "ha-noi-2020"),
    ("policy", "show", "quang-tri-2020", "--json"),
    ("config", "show"),
    ("config", "show", "--json"),
    ("report", "show", "1"),
    ("report", "show", "2", "--json"),
    ("plan", "list", *AS_OF),
    ("plan", "list", "--json"),
    ("plan", "list", "--unit", "Đoàn phường Phúc Xá", "--month", "11/2020", *AS_OF),
    ("plan", "list", "--cadre", "C01", "--dept", "ban", "--quarter", "4/2020", "--state", "approved", "--json"),
    ("calendar", "--unit", "Đoàn phường Phúc Xá", "--year", "2020"),
    ("calendar", "--unit", "hang bac"),
]


def orm_probe(env: dict[str, str], *args: str, probe: str = ORM_PROBE) -> tuple[int, str, list[str]]:
    """(exit code, stdout, the ORM's modules loaded) of ``congtac12 ARGS`` in a fresh interpreter
    (or those of another list: ``probe`` is ``ORM_PROBE`` naming other modules)."""
    result = subprocess.run(
        [sys.executable, "-c", probe, *args],
        env={**os.environ, "COLUMNS": "100", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ORM "), result.stderr
    code, loaded = json.loads(last.removeprefix("ORM "))
    return code, result.stdout, loaded


@pytest.fixture
def demo_env(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment of a command run on a demo database of this backend (already up to date)."""
    from congtac12 import demo
    from congtac12.store.engine import session
    from congtac12.store.location import PgUrl

    if backend == "postgresql":
        server = request.getfixturevalue("pg")
        name = server.new_database()
        request.addfinalizer(lambda: server.drop_database(name))
        target: Path | PgUrl = PgUrl(server.url_of(name))
        env = {"CONGTAC12_DB": target.url, "PGPASSWORD": server.password}
        os.environ.setdefault("PGPASSWORD", server.password)
        request.addfinalizer(lambda: os.environ.pop("PGPASSWORD", None))
    else:
        target = tmp_path / "demo.db"
        env = {"CONGTAC12_DB": str(target)}
    with session(target, write=True) as s:
        demo.populate(s)
    return env


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_read_commands_never_load_the_orm(demo_env: dict[str, str]) -> None:
    # The read commands get their facts with plain SQL (store.read): none of SQLAlchemy,
    # SQLModel, pydantic or Alembic is imported, on either backend.
    for args in READ_COMMANDS:
        code, stdout, loaded = orm_probe(demo_env, *args)
        assert (args, code, loaded) == (args, 0, [])
        assert stdout.strip(), args


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_orm_probe_sees_the_orm_of_a_command_that_writes(demo_env: dict[str, str]) -> None:
    # The guard can fail: a command that writes goes through the ORM, and the probe sees it.
    code, _, loaded = orm_probe(demo_env, "config", "set", "policy", "ha-noi-2020")
    assert code == 0 and {"sqlalchemy", "sqlmodel"} <= set(loaded)
    code, _, loaded = orm_probe(demo_env, "status", *AS_OF, "--json")  # and the read after it, none
    assert (code, loaded) == (0, [])


# Modules of rows that the commands run most often make no use of: each frozen dataclass costs
# about 1 ms to create at import, so they live in modules of their own, imported where made.
ROWS = ("congtac12.store.rows", "congtac12.store.register_rows", "congtac12.store.read.plan_rows")
ROWS_PROBE = ORM_PROBE.replace(repr(ORM), repr(ROWS))


def rows_probe(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    """(exit code, the modules of ``ROWS`` loaded) of ``congtac12 ARGS`` in a fresh interpreter."""
    code, _, loaded = orm_probe(env, *args, probe=ROWS_PROBE)
    return code, loaded


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_status_and_summary_make_no_listing_rows(demo_env: dict[str, str]) -> None:
    assert repr(ROWS) in ROWS_PROBE  # the probe names these modules, not the ORM's
    for args in [("status", *AS_OF), ("status", *AS_OF, "--json"), ("summary", "--month", "2020-10", *AS_OF)]:
        assert rows_probe(demo_env, *args) == (0, [])
    # a cadre found by name is a store.rows.CadreRef; the listings' rows are not made
    assert rows_probe(demo_env, "status", "--cadre", "C01", *AS_OF) == (0, ["congtac12.store.rows"])
    # the probe sees them where they are made
    code, loaded = rows_probe(demo_env, "cadre", "list")
    assert code == 0 and "congtac12.store.register_rows" in loaded
    assert rows_probe(demo_env, "plan", "list", "--json") == (0, ["congtac12.store.read.plan_rows"])


def test_help_compiles_no_pattern_of_ours_and_loads_no_text_module() -> None:
    # --help and a Tab stay near F1: the patterns of click_texts, text and dates are compiled
    # when first used (the root's help shows no default), and dates imports text (folding,
    # matching) only to parse a date.
    probe_code = (
        "import re, sys\n"
        "compiled = []\n"
        "real = re.compile\n"
        "re.compile = lambda *a, **k: compiled.append(sys._getframe(1).f_globals.get('__name__')) or real(*a, **k)\n"
        "from congtac12.cli import app\n"
        "try:\n"
        "    app(['--help'], prog_name='congtac12')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('OURS', sorted({m for m in compiled if (m or '').startswith('congtac12')}),"
        " 'congtac12.text' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe_code], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "OURS [] False", result.stderr
    # and the probe can fail: parsing a date compiles dates' patterns and loads text
    parse = "import congtac12.dates as d\n    d.parse_date('05/03/2020', today=None)"
    probe_code = probe_code.replace("app(['--help'], prog_name='congtac12')", parse)
    result = subprocess.run([sys.executable, "-c", probe_code], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "OURS ['congtac12.dates'] True", result.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_export_never_loads_the_orm(demo_env: dict[str, str], tmp_path: Path) -> None:
    # export reads its tables with plain SQL (store.read.exchange), in every format; its --out,
    # a Path, is converted without pydantic (cli.compat).
    for fmt in ("json", "csv", "xlsx"):
        out = tmp_path / f"all-{fmt}"
        code, stdout, loaded = orm_probe(demo_env, "export", "--format", fmt, "--out", str(out))
        assert (fmt, code, loaded) == (fmt, 0, [])
        assert stdout.startswith("Exported ") and out.exists()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_documents_never_load_the_orm(demo_env: dict[str, str], tmp_path: Path) -> None:
    # --html and --docx of status and summary read the issuer (agency, place) with plain SQL
    # (store.read.settings) beside the status they print.
    for args in [
        ("status", *AS_OF, "--html", str(tmp_path / "status.html")),
        ("status", "--cadre", "C01", *AS_OF, "--docx", str(tmp_path / "c01.docx")),
        ("summary", "--month", "2020-10", *AS_OF, "--html", str(tmp_path / "month.html")),
    ]:
        code, stdout, loaded = orm_probe(demo_env, *args)
        assert (args, code, loaded) == (args, 0, [])
        assert Path(args[-1]).stat().st_size > 1000, args


def add_plans(env: dict[str, str]) -> None:
    """Plans in several states on the demo database of ``env`` (written through the commands, the ORM)."""
    trips = [
        ("--cadre", "C01", "--unit", "Đoàn phường Phúc Xá", "--from", "10/11/2020", "--to", "12/11/2020"),
        ("--cadre", "C02", "--unit", "Đoàn phường Phúc Xá", "--month", "11/2020", "--days", "3"),
        ("--cadre", "C03", "--unit", "Đoàn phường Hàng Bạc", "--from", "02/11/2020"),
    ]
    steps = [("plan", "add", *t, "--kind", "sinh-hoat") for t in trips]
    steps += [
        ("plan", "submit", "1", "2", "3"),
        ("plan", "approve", "1", "2"),
        ("plan", "return", "3", "--reason", "Trùng lịch"),
    ]
    for step in steps:
        run = subprocess.run(
            [sys.executable, "-m", "congtac12", *step], env={**os.environ, **env}, capture_output=True, text=True
        )
        assert run.returncode == 0, (step, run.stderr)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_plan_reads_never_load_the_orm(demo_env: dict[str, str], tmp_path: Path) -> None:
    # plan list (its filters, JSON and sheets) and calendar --unit read plans with plain SQL
    # (store.read.plans), on a record with plans in several states.
    add_plans(demo_env)
    for args in [
        ("plan", "list", *AS_OF),
        ("plan", "list", "--json"),
        (
            "plan",
            "list",
            "--unit",
            "Đoàn phường Phúc Xá",
            "--month",
            "11/2020",
            "--state",
            "approved",
            *AS_OF,
            "--json",
        ),
        ("plan", "list", "--cadre", "C03", "--dept", "ban", "--quarter", "4/2020", "--state", "trả lại"),
        ("calendar", "--unit", "Đoàn phường Phúc Xá", "--year", "2020"),
        ("plan", "list", "--format", "csv", "--out", str(tmp_path / "plans.csv")),
        ("plan", "list", "--format", "xlsx", "--out", str(tmp_path / "plans.xlsx")),
    ]:
        code, stdout, loaded = orm_probe(demo_env, *args)
        assert (args, code, loaded) == (args, 0, [])
        assert "C01" in stdout or "C03" in stdout or stdout.startswith("Wrote 3 plans"), (args, stdout)


# Serves the web pages named in argv from the database of $CONGTAC12_DB, as the tests serve them,
# then names each page's status and the ORM's modules loaded by then.
WEB_PROBE = """
import json, os, sys
from pathlib import Path
from starlette.testclient import TestClient
from congtac12.store.location import PgUrl
from congtac12.web.app import create_app
db = os.environ["CONGTAC12_DB"]
target = PgUrl(db) if db.startswith("postgresql") else Path(db)
with TestClient(create_app(target), base_url="http://127.0.0.1") as client:
    codes = [client.get(path, follow_redirects=False).status_code for path in sys.argv[1:]]
print("ORM", json.dumps([codes, sorted(m for m in %r if m in sys.modules)]), file=sys.stderr)
""".replace("%r", repr(ORM))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_web_pages_of_plans_and_documents_and_the_login_page_never_load_the_orm(demo_env: dict[str, str]) -> None:
    add_plans(demo_env)
    if demo_env["CONGTAC12_DB"].startswith("postgresql"):  # organisation mode: a login first
        pages = {"/login": 200, "/login?next=/plans": 200, "/plans": 303}
    else:
        pages = {
            "/plans?as_of=13/11/2020": 200,
            "/plans?month=11/2020&state=approved&lang=en": 200,
            "/api/plans?as_of=13/11/2020": 200,
            "/api/plans?cadre=C01&month=11/2020": 200,
            "/status.html?as_of=13/11/2020": 200,
            "/api/visits/1/report": 200,
            "/login": 303,  # no logins on a SQLite file: to the board
        }
    result = subprocess.run(
        [sys.executable, "-c", WEB_PROBE, *pages],
        env={**os.environ, **demo_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ORM "), result.stderr
    assert json.loads(last.removeprefix("ORM ")) == [list(pages.values()), []]


# A Typer app with Path options, run with Typer's own conversion ("typer") or with ours ("lazy").
PATHS = """
import json, sys
from pathlib import Path
import typer
if sys.argv[1] == "lazy":
    from congtac12.cli import compat
    assert compat.install()
app = typer.Typer()
@app.command()
def main(
    out: Path = typer.Option(...),
    src: Path = typer.Option(None, exists=True, dir_okay=False),
    folder: Path = typer.Option(None, file_okay=False, resolve_path=True),
) -> None:
    print(repr(out), repr(src), repr(folder))
try:
    app(sys.argv[2:], prog_name="probe")
except SystemExit as exc:
    print("EXIT", exc.code, json.dumps("pydantic" in sys.modules), file=sys.stderr)
"""


def paths(mode: str, *args: str, cwd: Path) -> tuple[str, str, bool]:
    result = subprocess.run(
        [sys.executable, "-c", PATHS, mode, *args], capture_output=True, text=True, timeout=60, cwd=cwd
    )
    *message, last = result.stderr.strip().splitlines()
    return result.stdout, "\n".join(message) + last.rsplit(" ", 1)[0], json.loads(last.rsplit(" ", 1)[1])


def test_a_path_is_converted_as_typer_does_without_pydantic(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("x", encoding="utf-8")
    (tmp_path / "d").mkdir()
    cases = [
        ("--out", "x.json"),
        ("--out", ""),
        ("--out", "~/Tài liệu/báo cáo.xlsx"),
        ("--out", "a/../b/", "--folder", "d"),
        ("--out", "-", "--src", "a.toml"),
        ("--out", "x", "--src", "missing.toml"),  # refused by Typer's own check, as before
        ("--out", "x", "--src", "d"),
        ("--out", "x", "--folder", "a.toml"),
    ]
    for args in cases:
        lazy, typer_own = paths("lazy", *args, cwd=tmp_path), paths("typer", *args, cwd=tmp_path)
        assert lazy[:2] == typer_own[:2], args
        assert not lazy[2] and typer_own[2], args
    assert paths("lazy", "--out", "x", "--src", "missing.toml", cwd=tmp_path)[1].endswith("EXIT 2")


SMALL_IMPORT = {
    "format": "congtac12",
    "format_version": 3,
    "settings": [{"key": "lang", "value": "en"}],
    "units": [{"name": "Chi đoàn thôn Xuân Thu Mới", "level": "chi-doan", "parent": "Quận đoàn Ba Đình"}],
    "cadres": [
        {
            "code": "Z99",
            "name": "Nguyễn Thị Ánh",
            "department": "Văn phòng",
            "email": None,
            "subject": True,
            "joined": "2020-01-02",
            "left": None,
            "active": True,
        }
    ],
    "leave": [{"cadre": "Z99", "start": "2020-06-01", "end": "2020-06-05", "reason": "om-dau"}],
    "visits": [
        {
            "cadre": "Z99",
            "unit": "Chi đoàn thôn Xuân Thu Mới",
            "start": "2020-03-02",
            "end": "2020-03-03",
            "kind": "kiem-tra",
            "topic": "Kiểm tra",
            "order_no": None,
            "deleted": False,
        }
    ],
    "reports": [
        {
            "cadre": "Z99",
            "unit": "Chi đoàn thôn Xuân Thu Mới",
            "start": "2020-03-02",
            "end": "2020-03-03",
            "kind": "kiem-tra",
            "reported_on": "2020-03-06",
            "text": "Báo cáo.",
        }
    ],
}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_import_never_loads_the_orm(demo_env: dict[str, str], tmp_path: Path) -> None:
    # import checks and writes on the driver's connection (store.write): none of SQLAlchemy,
    # SQLModel, pydantic or Alembic, for a dry run, a write, and a file with nothing new.
    small = tmp_path / "small.json"
    small.write_text(json.dumps(SMALL_IMPORT, ensure_ascii=False), encoding="utf-8")
    for args in (("--dry-run",), (), ("--json",)):
        code, stdout, loaded = orm_probe(demo_env, "import", str(small), *args)
        assert (args, code, loaded) == (args, 0, [])
        assert stdout.strip(), args
    code, stdout, _ = orm_probe(demo_env, "history", "--limit", "1", "--json")
    assert code == 0 and json.loads(stdout)[0]["action"] == "import"


def test_an_import_into_an_older_schema_upgrades_it_through_the_orm_first(tmp_path: Path) -> None:
    # An older schema is upgraded once (through the ORM and Alembic, as today); the next import needs neither.
    import shutil

    from support import FIXTURES

    target = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema1.db", target)
    small = tmp_path / "small.json"
    small.write_text(json.dumps(SMALL_IMPORT, ensure_ascii=False), encoding="utf-8")
    env = {"CONGTAC12_DB": str(target)}
    code, stdout, loaded = orm_probe(env, "import", str(small), "--dry-run")
    assert code == 0 and stdout.startswith("Checked ") and {"sqlalchemy", "alembic"} <= set(loaded)
    code, stdout, loaded = orm_probe(env, "import", str(small))
    assert (code, loaded) == (0, []) and stdout.startswith("Imported ")
