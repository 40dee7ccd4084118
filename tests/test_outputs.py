"""Outputs that are contracts: ``--json`` is the same in every language, and every state has its labels.

JSON is for machines: ISO dates, slugs and numbers whatever ``--lang`` says.
Every command with ``--json`` is run in English and in Vietnamese on the demo
database (the write commands each on a copy of their own, the same steps) and
the two outputs must be equal byte for byte. A command that gains ``--json``
must be added to the tables below (a test walks the command tree for them).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import Cli, invoke

from congtac12.domain.states import REPORT_STATES, STATES
from congtac12.render.labels import CADRE_STATES, REPORT_STATES_SHOWN, sheet_label

AS_OF = "13/11/2020"  # the demo's own date

# Read commands: run on one demo database, in each language.
READS: list[tuple[str, ...]] = [
    ("status", "--as-of", AS_OF, "--json"),
    ("status", "--cadre", "C01", "--as-of", AS_OF, "--json"),
    ("visits", "--json"),
    ("visits", "--cadre", "C02", "--from", "01/03/2020", "--to", "30/06/2020", "--json"),
    ("reports", "--as-of", AS_OF, "--json"),
    ("reports", "--cadre", "C01", "--state", "on_time", "--as-of", AS_OF, "--json"),
    ("report", "show", "{reported_visit}", "--json"),
    ("remind", "--as-of", AS_OF, "--ahead", "7", "--json"),
    ("summary", "--month", "2020-10", "--as-of", AS_OF, "--json"),
    ("summary", "--year", "2020", "--as-of", AS_OF, "--json"),
    ("history", "--limit", "3", "--json"),
    ("cadre", "list", "--all", "--json"),
    ("unit", "list", "--json"),
    ("leave", "list", "--json"),
    ("policy", "list", "--json"),
    ("policy", "show", "ba-ria-vung-tau", "--json"),
    ("config", "show", "--json"),
    ("db", "check", "--json"),
    ("import", "--dry-run", "--json", "{export}"),
    ("db", "copy", "--to", "{copy}", "--json"),
]

# Write commands: the same steps on a fresh copy of the demo per language (a step
# without --json is run, not compared).
WRITES: list[tuple[str, ...]] = [
    (
        "add-visit",
        "--cadre",
        "C01",
        "--unit",
        "Đoàn xã Đông Dư",
        "--from",
        "01/12/2020",
        "--kind",
        "chuyen-de",
        "--json",
    ),
    ("edit-visit", "{new_visit}", "--to", "02/12/2020", "--json"),
    ("report", "{new_visit}", "--on", "03/12/2020", "--text", "Đã làm việc với Đoàn xã."),  # no --json: a step
    ("report", "show", "{new_visit}", "--json"),
    (
        "plan",
        "add",
        "--cadre",
        "C01",
        "--unit",
        "Ba Đình",
        "--month",
        "12/2020",
        "--days",
        "2",
        "--kind",
        "sinh-hoat",
        "--json",
    ),
    ("plan", "submit", "1"),  # a step
    ("plan", "approve", "1", "--by", "Văn phòng"),  # a step
    ("plan", "list", "--as-of", AS_OF, "--json"),
    ("plan", "add", "--cadre", "C02", "--unit", "Gia Lâm", "--from", "30/11/2020", "--kind", "phoi-hop"),  # a step
    ("plan", "submit", "2"),  # a step: awaiting approval
    ("remind", "--as-of", "28/11/2020", "--json"),  # plan 1 (12/2020) starts in 3 days; plan 2 awaits
    ("leave", "add", "--cadre", "C02", "--from", "07/12/2020", "--to", "11/12/2020", "--reason", "om-dau", "--json"),
    ("undo", "--json"),
]

# Commands with --json that need what the demo database is not.
ELSEWHERE = {
    ("org", "list"): "organisation mode, PostgreSQL only (tests/test_org.py)",
}


def commands_with_json() -> set[tuple[str, ...]]:
    """Every command path of the built tree that has a --json option."""
    import typer.main

    from congtac12.cli import app

    root = typer.main.get_command(app)
    ctx = root.make_context("congtac12", ["--help"], resilient_parsing=True)
    found: set[tuple[str, ...]] = set()

    def walk(command, path: tuple[str, ...]) -> None:  # noqa: ANN001
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), (*path, name))
        elif any("--json" in param.opts for param in command.params):
            found.add(path)

    walk(root, ())
    return found


def command_path(args: tuple[str, ...]) -> tuple[str, ...]:
    return args[:2] if args[0] in ("cadre", "unit", "leave", "plan", "policy", "config", "db", "org") else args[:1]


def test_every_command_with_json_is_compared_in_both_languages() -> None:
    covered = {command_path(a) for a in READS + WRITES if "--json" in a} | set(ELSEWHERE)
    assert commands_with_json() == covered


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once for the module (never changed by a read)."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONGTAC12_DB", str(folder / "unused.db"))
        mp.setenv("COLUMNS", "200")
        run = invoke("--lang", "en", "demo", "--out", str(path))
    assert run.code == 0, run
    return path


def one_json(args: tuple[str, ...], db: Path, lang: str) -> str:
    run = invoke("--db", str(db), "--lang", lang, *args)
    assert run.code == 0 and run.crash is None, run
    json.loads(run.stdout)  # it is JSON
    return run.stdout


def test_read_commands_print_the_same_json_in_every_language(demo: Path, tmp_path: Path, cli: Cli) -> None:
    reports = json.loads(one_json(("reports", "--as-of", AS_OF, "--json"), demo, "en"))["visits"]
    fill = {"reported_visit": str(next(r["visit_id"] for r in reports if r["reported_on"]))}
    export = tmp_path / "export.json"
    assert invoke("--db", str(demo), "export", "--format", "json", "--out", str(export)).code == 0
    fill["export"] = str(export)
    outputs: dict[tuple[str, ...], dict[str, str]] = {}
    for args in READS:
        outputs[args] = {}
        for lang in ("en", "vi"):
            copy = tmp_path / f"copy-{len(outputs)}-{lang}" / "copy.db"
            copy.parent.mkdir()
            fill["copy"] = str(copy)
            text = one_json(tuple(a.format(**fill) for a in args), demo, lang)
            # db copy names its target and says how long it took: those are not the language's
            text = re.sub(r'"seconds": [0-9.]+', '"seconds": 0', text.replace(str(copy.parent), "<folder>"))
            outputs[args][lang] = text
    different = [" ".join(args) for args, by_lang in outputs.items() if by_lang["en"] != by_lang["vi"]]
    assert different == []
    # no date written day-first anywhere (dates in JSON are ISO)
    day_first = [" ".join(args) for args, by in outputs.items() if re.search(r"\b\d{2}/\d{2}/\d{4}\b", by["en"])]
    assert day_first == []


def test_write_commands_print_the_same_json_in_every_language(demo: Path, tmp_path: Path, cli: Cli) -> None:
    outputs: dict[str, list[str]] = {}
    for lang in ("en", "vi"):
        db = tmp_path / f"{lang}.db"
        shutil.copyfile(demo, db)
        fill: dict[str, str] = {}
        outputs[lang] = []
        for args in WRITES:
            if "--json" not in args:  # a step between them (its messages are in the language)
                step = invoke("--db", str(db), "--lang", lang, *(a.format(**fill) for a in args))
                assert step.code == 0, step
                continue
            text = one_json(tuple(a.format(**fill) for a in args), db, lang)
            if args[0] == "add-visit":
                fill["new_visit"] = str(json.loads(text)["id"])
            # The time of a change is the clock's, not the language's; and a change's
            # summary is a record written in the language of whoever made the change
            # (data, printed as stored: the read test has history --json the same
            # in every language of the reader).
            text = re.sub(r'"(at|created_at)": "[^"]*"', r'"\1": "<time>"', text)
            outputs[lang].append(re.sub(r'"summary": "[^"]*"', '"summary": "<recorded>"', text))
    assert outputs["en"] == outputs["vi"]


def test_the_reports_json_dates_are_iso_under_vietnamese(demo: Path, cli: Cli) -> None:
    doc = json.loads(one_json(("reports", "--as-of", AS_OF, "--json"), demo, "vi"))
    reported = [v["reported_on"] for v in doc["visits"] if v["reported_on"]]
    assert reported and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in reported)


# --- the label table against the domain's states ------------------------------


def test_every_state_of_the_domain_has_its_labels_in_the_domain_order() -> None:
    assert tuple(CADRE_STATES) == STATES
    assert set(REPORT_STATES_SHOWN) == set(REPORT_STATES)
    for state in STATES:
        shown = CADRE_STATES[state]
        assert shown.label and shown.style and shown.sheet, state
    assert len({s.sheet for s in CADRE_STATES.values()}) == len(STATES)  # no two states alike on a sheet


def exempt_roster(cli: Cli) -> None:
    """Two cadres of one department; C02 is on leave the whole window: exempt (no available day)."""
    assert cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "Ban Tổ chức").code == 0
    assert cli("cadre", "add", "--code", "C02", "--name", "Trần Thị Bình", "--dept", "Ban Tổ chức").code == 0
    run = cli("leave", "add", "--cadre", "C02", "--from", "01/01/2020", "--to", "31/12/2020", "--reason", "thai-san")
    assert run.code == 0, run


def test_status_as_csv_with_an_exempt_cadre(cli: Cli, tmp_path: Path) -> None:
    exempt_roster(cli)
    out = tmp_path / "status.csv"
    run = cli("status", "--as-of", "30/06/2020", "--policy", "ha-noi-2020", "--format", "csv", "--out", str(out))
    assert run.code == 0 and run.crash is None, run
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    states = {row[0]: row[4] for row in rows[1:]}
    assert states == {"C01": sheet_label("behind"), "C02": "Miễn"}


def test_status_as_xlsx_with_an_exempt_cadre(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    exempt_roster(cli)
    out = tmp_path / "status.xlsx"
    run = cli("status", "--as-of", "30/06/2020", "--policy", "ha-noi-2020", "--format", "xlsx", "--out", str(out))
    assert run.code == 0 and run.crash is None, run
    sheet = load_workbook(out, read_only=True).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] in ("C01", "C02")]
    assert {row[0]: row[4] for row in values} == {"C01": "Chậm tiến độ", "C02": "Miễn"}
