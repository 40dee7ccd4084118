"""The benchmark's synthetic database: deterministic, built in seconds.

The file is first created by the real tool (``congtac12 --db PATH cadre list``),
so its schema, pragmas and seeded district unions are exactly the tool's; the
rows are then written straight through ``sqlite3`` with ``executemany`` in one
transaction, because going through the CLI a row at a time would take hours.

Shape (``cadres`` = 1,000 at full scale): cadres over eight departments, five
years 2018-2022, 20 visits per cadre per year of 1 to 3 days each, all four
kinds, to the 30 district unions and 60 base unions, and a report for about 9
visits in 10 (some late). The same arguments give the same rows, byte for byte.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
from datetime import date, timedelta
from pathlib import Path

YEARS = range(2018, 2023)
VISITS_PER_YEAR = 20
KINDS = ("chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat")
KIND_WEIGHTS = (2, 3, 1, 4)  # meetings are the most frequent trips
DEPARTMENTS = (
    "Văn phòng",
    "Ban Tổ chức – Kiểm tra",
    "Ban Tuyên giáo",
    "Ban Công nhân lao động và Đô thị",
    "Ban Thanh niên Nông thôn",
    "Ban Thanh niên Trường học",
    "Ban Công tác Thiếu nhi",
    "Ban Đoàn kết tập hợp thanh niên",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Minh", "Hữu", "Thu", "Quang", "Ngọc", "Đức")
GIVEN = (
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Đào",
    "Giang",
    "Hà",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nhung",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
)
BASE_UNITS_PER_DISTRICT = 2
CREATED = "2018-01-01 00:00:00.000000"  # how SQLAlchemy stores a DATETIME in SQLite
BENCH_UNIT = "Đoàn phường Thử nghiệm"  # never visited: add-visit runs there without clashes


def cadre_code(i: int) -> str:
    return f"B{i:05d}"


def create_empty(path: Path, *, exe: str) -> None:
    """A new database made by congtac12 itself: its schema and its seeded district unions."""
    created = subprocess.run([exe, "--db", str(path), "init"], capture_output=True, text=True)
    if created.returncode != 0:
        raise RuntimeError(f"congtac12 could not create {path}: {created.stderr.strip()}")


def build(path: Path, *, exe: str, cadres: int, seed: int = 2020) -> int:
    """Create the database at ``path`` (which must not exist); returns the number of visits."""
    create_empty(path, exe=exe)
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous = OFF")
        con.execute("BEGIN")
        districts = [row[0] for row in con.execute("SELECT id FROM unit ORDER BY id")]
        units = _add_units(con, districts)
        _add_cadres(con, rng, cadres)
        cadre_ids = [row[0] for row in con.execute("SELECT id FROM cadre ORDER BY id")]
        count = _add_visits(con, rng, cadre_ids, units)
        con.execute("COMMIT")
    finally:
        con.close()
    return count


def _add_units(con: sqlite3.Connection, districts: list[int]) -> list[int]:
    names = {row[0]: row[1] for row in con.execute("SELECT id, name FROM unit")}
    rows = []
    for d in districts:
        place = names[d].split(" ", 2)[-1]  # "Quận đoàn Ba Đình" -> "Ba Đình"
        for n in range(1, BASE_UNITS_PER_DISTRICT + 1):
            rows.append((f"Đoàn phường {place} {n}", "co-so", d, CREATED))
    rows.append((BENCH_UNIT, "co-so", districts[0], CREATED))
    con.executemany("INSERT INTO unit (name, level, parent_id, created_at) VALUES (?, ?, ?, ?)", rows)
    return [row[0] for row in con.execute("SELECT id FROM unit WHERE name != ? ORDER BY id", (BENCH_UNIT,))]


def _add_cadres(con: sqlite3.Connection, rng: random.Random, count: int) -> None:
    rows = []
    for i in range(1, count + 1):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        code = cadre_code(i)
        subject = 0 if i % 50 == 0 else 1  # a few cadres are not subject to the regime
        rows.append(
            (code, name, DEPARTMENTS[i % len(DEPARTMENTS)], f"{code.lower()}@thanhdoan.example", subject, CREATED)
        )
    con.executemany(
        "INSERT INTO cadre (code, name, department, email, subject, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def _add_visits(con: sqlite3.Connection, rng: random.Random, cadre_ids: list[int], units: list[int]) -> int:
    visit_id = 0
    visits: list[tuple] = []
    reports: list[tuple] = []
    for cadre_id in cadre_ids:
        for year in YEARS:
            first = date(year, 1, 1)
            seen: set[tuple] = set()
            while len(seen) < VISITS_PER_YEAR:
                start = first + timedelta(days=rng.randrange(363))
                end = start + timedelta(days=rng.randrange(3))
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                unit = rng.choice(units)
                key = (unit, start, end, kind)
                if key in seen:
                    continue  # the table refuses identical visits
                seen.add(key)
                visit_id += 1
                visits.append(
                    (
                        visit_id,
                        cadre_id,
                        unit,
                        start.isoformat(),
                        end.isoformat(),
                        kind,
                        f"Chuyến công tác số {visit_id}",
                        f"{visit_id % 480 + 1}-CL/TĐTN",
                        CREATED,
                    )
                )
                if rng.random() < 0.9:
                    delay = rng.choice((1, 2, 3, 5, 7, 9, 10, 12, 15))  # 12 and 15: late
                    reports.append(
                        (
                            visit_id,
                            (end + timedelta(days=delay)).isoformat(),
                            "Báo cáo kết quả chuyến công tác.",
                            CREATED,
                        )
                    )
    con.executemany(
        'INSERT INTO visit (id, cadre_id, unit_id, start, "end", kind, topic, order_no, created_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        visits,
    )
    con.executemany(
        "INSERT INTO report (visit_id, reported_on, text, created_at) VALUES (?, ?, ?, ?)",
        reports,
    )
    return len(visits)
