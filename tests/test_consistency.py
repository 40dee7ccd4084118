"""One truth in every output: status, reports, remind, summaries, the month chart,
--explain and add-visit agree, on random records and random as-of dates (issue 14).

Each example is a small database made through the store's own command functions
(cadres with and without service periods, leave, exemptions; overlapping visits
of several kinds and unit levels; reports on and around their due days) under a
random policy file (content and level minimums, pro-rating, an exemption), then
read back through the installed commands, in-process. The outputs are compared
with one another, never with a count of the test's own:

* per cadre and report state, ``reports`` lists as many visits as ``status``
  counts; the late and overdue ones are the ``reports`` check of ``status``;
* ``remind --ahead 0`` lists as overdue exactly what ``reports`` lists as
  overdue, and as due soon exactly what is pending with its due day today;
* the days of the months of ``summary --month`` add up to the ``status`` days,
  and so do the chart's months (``status --cadre``) to the cadre's days, whose
  last pace line is the cadre's own pace line;
* ``summary --year`` tallies every state, as many cadres as ``status`` has;
* ``status --cadre --explain`` shows the figures of ``status --json``;
* ``add-visit --json`` gives a report due day exactly when ``reports`` lists the
  visit (as of the window's last day), and then the same day;
* the months of ``calendar`` add up to the days of ``status`` as of the window's
  last day;
* what is required of each cadre (required days, exemption, available days,
  checks' requirements) is the same at any two as-of dates.

Runs on SQLite and PostgreSQL. One database per backend for the whole test: each
example deactivates the cadres of the one before (as 'cadre delete' does), so
status and every listing see only its own.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congtac12.render.labels import state_label

pytestmark = pytest.mark.both_backends

KINDS = ("chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat")
LEVELS = ("huyen", "co-so", "chi-doan")
REASONS = ("thai-san", "hoc-tap", "om-dau", "khac")
UNITS = {"huyen": "Quận đoàn Ba Đình", "co-so": "Đoàn phường Phúc Xá", "chi-doan": "Chi đoàn Khu dân cư số 1"}
DEPARTMENTS = ("Ban Tổ chức – Kiểm tra", "Văn phòng")
YEAR = 2020
EXAMPLES = 125  # per backend: 250 in all, about two minutes on a quiet 2-core machine


def last_of_month(year: int, month: int) -> date:
    return (date(year, month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


# --- random records ---------------------------------------------------------------


@st.composite
def policies(draw) -> dict:
    first_month = draw(st.integers(1, 10))
    months = draw(st.integers(1, 3))
    start = date(YEAR, first_month, 1)
    end = last_of_month(YEAR, min(12, first_month + months - 1))
    min_days = draw(st.integers(4, 30))

    def minimum(field: str, slug: str) -> dict:
        if draw(st.booleans()):
            return {field: slug, "share": draw(st.sampled_from(["20%", "1/3", "50%", "0.25"]))}
        return {field: slug, "days": draw(st.integers(1, max(1, min_days // 2)))}

    kinds = draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=2))
    levels = draw(st.lists(st.sampled_from(LEVELS), unique=True, max_size=2))
    exemptions = []
    if draw(st.booleans()):
        exemptions.append(
            {
                "reasons": draw(st.lists(st.sampled_from(REASONS), unique=True, min_size=1, max_size=3)),
                "min_leave_days": draw(st.integers(5, 60)),
            }
        )
    return {
        "start": start,
        "end": end,
        "min_days": min_days,
        "report_due_days": draw(st.integers(2, 12)),
        "content": [minimum("kind", k) for k in kinds],
        "levels": [minimum("level", v) for v in levels],
        "pro_rating": {
            "enabled": draw(st.booleans() | st.just(True)),
            "rounding": draw(st.sampled_from(["half-up", "up", "down"])),
            "leave_reasons": draw(st.lists(st.sampled_from(REASONS), unique=True, min_size=1)),
        },
        "exemptions": exemptions,
    }


def policy_toml(p: dict, n: int) -> str:
    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, date)):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v)

    lines = [
        f'id = "consistency-{n}"',
        'title = "Consistency"',
        'source = "tests/test_consistency.py"',
        f"min_days = {p['min_days']}",
        f"report_due_days = {p['report_due_days']}",
        f"window = {{ start = {p['start']}, end = {p['end']} }}",
    ]
    for table, rows in (("content_minimums", p["content"]), ("level_minimums", p["levels"])):
        for row in rows:
            lines.append(f"[[{table}]]")
            lines += [f"{k} = {value(v)}" for k, v in row.items()]
    lines.append("[pro_rating]")
    lines += [f"{k} = {value(v)}" for k, v in p["pro_rating"].items()]
    for row in p["exemptions"]:
        lines.append("[[exemptions]]")
        lines += [f"{k} = {value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


@st.composite
def records(draw) -> dict:
    p = draw(policies())
    around = st.dates(min_value=p["start"] - timedelta(days=20), max_value=p["end"] + timedelta(days=20))
    cadres = []
    for _i in range(draw(st.integers(1, 4))):
        joined = draw(st.none() | around)
        left = draw(st.none() | around)
        if joined and left and left < joined:
            joined, left = left, joined
        leave = [
            (a, a + timedelta(days=draw(st.integers(0, 45))), draw(st.sampled_from(REASONS)))
            for a in draw(st.lists(around, max_size=2))
        ]
        cadres.append(
            {
                "subject": draw(st.booleans() | st.just(True)),
                "department": draw(st.sampled_from(DEPARTMENTS)),
                "joined": joined,
                "left": left,
                "leave": leave,
            }
        )
    visits, seen = [], set()
    for _i in range(draw(st.integers(0, 10))):
        who = draw(st.integers(0, len(cadres) - 1))
        start = draw(around)
        end = start + timedelta(days=draw(st.integers(0, 6)))
        kind, level = draw(st.sampled_from(KINDS)), draw(st.sampled_from(LEVELS))
        if (who, start, end, kind, level) in seen:
            continue  # the store refuses a duplicate
        seen.add((who, start, end, kind, level))
        # a report on, just before or just after the due day, some days late, or none
        offset = draw(st.none() | st.integers(0, p["report_due_days"] + 4))
        visits.append({"cadre": who, "start": start, "end": end, "kind": kind, "level": level, "report": offset})
    as_of = draw(around)
    other = draw(around)
    extra = {
        "cadre": 0,
        "start": (start := draw(around)),
        "end": start + timedelta(days=draw(st.integers(0, 4))),
        "kind": draw(st.sampled_from(KINDS)),
    }
    return {"policy": p, "cadres": cadres, "visits": visits, "as_of": as_of, "other": other, "extra": extra}


# --- the database ------------------------------------------------------------------


_example = itertools.count(1)


class World:
    """The test's one database: units made once, each example's records added to it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.active: list[str] = []
        ok("unit", "add", "--name", UNITS["co-so"], "--level", "co-so", "--parent", "Ba Đình")
        ok("unit", "add", "--name", UNITS["chi-doan"], "--level", "chi-doan", "--parent", UNITS["co-so"])

    def build(self, r: dict) -> tuple[list[str], Path]:
        from congtac12.cli.common import session
        from congtac12.store import commands

        n = next(_example)
        path = self.folder / f"policy-{n}.toml"
        path.write_text(policy_toml(r["policy"], n), encoding="utf-8")
        codes = [f"E{n}K{i}" for i in range(len(r["cadres"]))]
        with session(write=True) as s:
            for code in self.active:  # the last example's cadres leave the stage
                commands.delete_cadre(s, cadre=code)
            commands.set_setting(s, key="policy", value=str(path))
            for code, c in zip(codes, r["cadres"], strict=True):
                commands.add_cadre(
                    s,
                    code=code,
                    name=f"Nguyễn Văn {code}",
                    department=c["department"],
                    subject=c["subject"],
                    joined=c["joined"],
                    left=c["left"],
                )
                for a, b, reason in c["leave"]:
                    commands.add_leave(s, cadre=code, start=a, end=b, reason=reason)
            for v in r["visits"]:
                visit, _c, _u = commands.add_visit(
                    s, cadre=codes[v["cadre"]], unit=UNITS[v["level"]], start=v["start"], end=v["end"], kind=v["kind"]
                )
                if v["report"] is not None:
                    on = v["end"] + timedelta(days=v["report"])
                    commands.add_report(s, visit_id=visit.id, on=on, text="Đã hoàn thành.")
        self.active = codes
        return codes, path


def ok(*args: str) -> str:
    run = invoke(*args)
    assert run.code == 0 and run.crash is None, str(run)
    return run.stdout


def js(*args: str) -> dict:
    return json.loads(ok(*args, "--json"))


@pytest.fixture
def world(cli, db, tmp_path: Path) -> World:  # noqa: ARG001 - cli sets the console width
    return World(tmp_path)


# --- what each output says ------------------------------------------------------------

_BAR = re.compile(r"^(\d\d)/(\d{4}) .*?\s(\d+) days?,\s+(\d+) so far \(pace line (\d+)\)$")  # "1 day,"


_MONTH = re.compile(r"^\d\d/\d{4} .*?\s(\d+) days?$")


def chart(text: str) -> list[tuple[int, int, int]]:
    """(days, so far, pace line) of each month of the chart under ``status --cadre``."""
    return [(int(m[3]), int(m[4]), int(m[5])) for line in text.splitlines() if (m := _BAR.match(line))]


def explained(text: str) -> dict:
    """The figures of ``status --cadre --explain``."""
    found: dict = {"checks": [], "uncounted_days": 0, "exemption_days": []}
    for line in text.splitlines():
        if m := re.match(r"Available days: (\d+) − (\d+) = (\d+)\.$", line):
            found["service_days"], found["deducted_days"], found["available_days"] = map(int, m.groups())
        elif m := re.match(r"Leave days, overlaps counted once: (\d+); deducted .*: (\d+)\.$", line):
            found["leave_days"] = int(m[1])
        elif m := re.match(r"Exemption: leave of .*: (\d+) days? [≥<] \d+: ", line):
            found["exemption_days"].append(int(m[1]))
        elif m := re.match(r"Required days: .* → (\d+) \(", line) or re.match(r"Required days: (\d+) \(", line):
            found["required_days"] = int(m[1])
        elif m := re.match(r"  .*: required (\d+), counted (\d+) [✓✗]$", line):
            found["checks"].append((int(m[1]), int(m[2])))
        elif m := re.match(r"  .*: .*= (\d+), counted (\d+) [✓✗]$", line) or re.match(
            r"  .*: (\d+) days, counted (\d+) [✓✗]$", line
        ):
            found["checks"].append((int(m[1]), int(m[2])))
        elif m := re.match(r"  .*: (\d+) \(must be 0\) [✓✗]$", line):
            found["checks"].append((0, int(m[1])))
        elif m := re.match(r"Pace: (\d+) of (\d+) available days have passed by .*, (\d+) are left\.$", line):
            found["elapsed_days"], _a, found["days_left"] = map(int, m.groups())
        elif m := re.match(r"  pace line: floor\(\d+ × \d+ ÷ \d+\) = (\d+); counted (\d+)$", line):
            found["expected_days"], found["days"] = int(m[1]), int(m[2])
        elif m := re.match(r"  days needed: max\(.*\) = (\d+); ", line):
            found["days_needed"] = int(m[1])
        elif m := re.match(r"  visit \d+: (?:on .*|.* to .*), (\d+) days? ", line):  # a one-day visit: "on DAY"
            found["uncounted_days"] += int(m[1])
        elif m := re.match(r"State: (.+)$", line):
            found["state"] = m[1]
    return found


def requirement(c: dict) -> tuple:
    """What is required of a cadre: known facts, not the as-of date, decide it."""
    a = c["availability"]
    return (
        c["state"] in ("exempt", "not_subject"),
        c["exempt"],
        c["required_days"],
        [(k["rule"], k["required"]) for k in c["checks"]],
        a["available_days"],
        a["leave_days"],
        a["exemption_leave_days"],
    )


# --- the property ---------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(r=records())
def test_every_output_tells_the_same_truth(world: World, r: dict) -> None:
    codes, _path = world.build(r)
    p = r["policy"]
    day = r["as_of"].isoformat()
    status = js("status", "--as-of", day)
    cadres = {c["code"]: c for c in status["cadres"]}
    assert sorted(cadres) == sorted(codes)

    # reports and remind owe what status owes
    listed = js("reports", "--as-of", day)["visits"]
    for code, c in cadres.items():
        mine = Counter(v["state"] for v in listed if v["cadre"] == code)
        assert {s: mine[s] for s in c["reports"]} == c["reports"], code
        bad = [k for k in c["checks"] if k["rule"] == "reports"]
        if bad:
            assert bad[0]["actual"] == c["reports"]["late"] + c["reports"]["overdue"]
    reminded = js("remind", "--as-of", day, "--ahead", "0")["items"]
    assert sorted(m["visit_id"] for m in reminded if m["state"] == "overdue") == sorted(
        v["visit_id"] for v in listed if v["state"] == "overdue"
    )
    assert sorted(m["visit_id"] for m in reminded if m["state"] == "due_soon") == sorted(
        v["visit_id"] for v in listed if v["state"] == "pending" and v["due"] == day
    )

    # the year summary tallies every state and counts the status days
    year = js("summary", "--year", str(YEAR), "--as-of", day)["total"]
    states = Counter(c["state"] for c in cadres.values())
    assert set(states) <= set(year["states"])
    assert year["states"] == {s: states[s] for s in year["states"]}
    assert sum(year["states"].values()) == year["cadres"] == len(cadres)
    total_days = sum(c["days"] for c in cadres.values())
    assert year["days"] == year["days_so_far"] == total_days
    assert year["reports"] == {s: sum(c["reports"][s] for c in cadres.values()) for s in year["reports"]}

    # the months of the briefing add up to the status days
    months, month = [], p["start"]
    while month <= min(p["end"], r["as_of"]):
        months.append(js("summary", "--month", f"{month:%Y-%m}", "--as-of", day)["total"]["days"])
        month = (month + timedelta(days=32)).replace(day=1)
    assert sum(months) == total_days

    # one cadre: the chart and the explanation read the same evaluation
    code = codes[0]
    c = cadres[code]
    text = ok("status", "--cadre", code, "--as-of", day)
    bars = chart(text)
    if c["subject"] and r["as_of"] >= p["start"]:
        assert sum(b[0] for b in bars) == c["days"] == bars[-1][1]
        assert bars[-1][2] == c["expected_days"]
    else:
        assert bars == []
    why = explained(ok("status", "--cadre", code, "--as-of", day, "--explain"))
    a = c["availability"]
    assert (why["service_days"], why["deducted_days"], why["available_days"]) == (
        a["service"]["days"],
        a["deducted_days"],
        a["available_days"],
    )
    assert why.get("leave_days", 0) == a["leave_days"]
    assert why["exemption_days"] == a["exemption_leave_days"]
    assert why["uncounted_days"] == sum(u["days"] for u in c["uncounted"])
    assert why["state"] == state_label(c["state"])
    if c["checks"]:
        assert why["required_days"] == c["required_days"]
        assert why["checks"] == [(k["required"], k["actual"]) for k in c["checks"]]
        assert (why["elapsed_days"], why["days_left"], why["expected_days"], why["days"], why["days_needed"]) == (
            c["elapsed_days"],
            c["days_left"],
            c["expected_days"],
            c["days"],
            c["days_needed"],
        )
    else:
        assert "required_days" not in why and why["checks"] == []

    # add-visit: a due day exactly when the visit owes a report
    e = r["extra"]
    if not any(
        v["cadre"] == 0 and (v["start"], v["end"], v["kind"], v["level"]) == (e["start"], e["end"], e["kind"], "huyen")
        for v in r["visits"]
    ):
        added = js(
            "add-visit",
            "--cadre",
            code,
            "--unit",
            UNITS["huyen"],
            "--from",
            e["start"].isoformat(),
            "--to",
            e["end"].isoformat(),
            "--kind",
            e["kind"],
        )
        owed = {v["visit_id"]: v for v in js("reports", "--as-of", p["end"].isoformat())["visits"]}
        if added["report_due"] is None:
            assert added["id"] not in owed and added["days_counted"] == 0
        else:
            assert owed[added["id"]]["due"] == added["report_due"] and added["days_counted"] > 0

    # the calendar's months hold the days status counts, every recorded day seen (as of the window's end)
    end = js("status", "--cadre", code, "--as-of", p["end"].isoformat())["cadres"][0]
    months = [int(m[1]) for line in ok("calendar", "--cadre", code).splitlines() if (m := _MONTH.match(line))]
    assert sum(months) == end["days"]

    # the requirement does not move with the as-of date
    later = {c["code"]: c for c in js("status", "--as-of", r["other"].isoformat())["cadres"]}
    for code, c in cadres.items():
        assert requirement(later[code]) == requirement(c), code
