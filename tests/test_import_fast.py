"""The plain rows' path of an import (store/import_fast): on random files, valid and invalid, an import
checked with it and one checked without it (every row typed into a Row and checked the long way) give
the same result — the same new rows in the same order, the same counts, the same progress — or the
same errors, in the same order, with the same file, row, column and value."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from support import succeeded as ok

from congtac12.errors import ManyErrors
from congtac12.exchange.files import SourceTable
from congtac12.store.import_fast import PlainRows
from congtac12.store.importer import Import
from congtac12.store.write.connect import writing

pytestmark = pytest.mark.both_backends

TODAY = date(2026, 12, 2)

# What is recorded before each file is checked: a unit under a district, two cadres (C02 deactivated),
# a visit with its report, and a deleted visit.
RECORD = {
    "format": "congtac12",
    "format_version": 3,
    "units": [
        {"name": "Quận đoàn Ba Đình", "level": "huyen", "parent": None},
        {"name": "Đoàn phường Phúc Xá", "level": "co-so", "parent": "Quận đoàn Ba Đình"},
    ],
    "cadres": [
        {"code": "C01", "name": "Nguyễn Văn An", "department": "Văn phòng", "subject": True},
        {"code": "C02", "name": "Lê Thị Bình", "department": "Văn phòng", "subject": True, "active": False},
    ],
    "visits": [
        {"cadre": "C01", "unit": "Phúc Xá", "start": "2020-03-02", "end": "2020-03-03", "kind": "chuyen-de"},
        {
            "cadre": "C01",
            "unit": "Ba Đình",
            "start": "2020-03-05",
            "end": "2020-03-05",
            "kind": "sinh-hoat",
            "topic": "Họp",
            "deleted": True,
        },
    ],
    "reports": [
        {
            "cadre": "C01",
            "unit": "Phúc Xá",
            "start": "2020-03-02",
            "end": "2020-03-03",
            "kind": "chuyen-de",
            "reported_on": "2020-03-04",
            "text": "Báo cáo.",
        }
    ],
}

# The file's own cadres: one new (C03), one refused (C04, its email: a visit naming it is a knock-on).
FILE_CADRES = [
    ["C03", "Trần Văn Cường", "Văn phòng", None],
    ["C04", "Phạm Thị Dung", "Văn phòng", "dung@"],
]

_text = st.text(st.sampled_from("aăâđêôơưAĐ ễệọữ0/-.,\u0301\u00a0\t\n\r\x00\u200b"), max_size=8)


def _cell(good: list[Any], bad: list[Any]) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """A column's cells: what a plain row holds, and anything a file may hold (the good among it)."""
    return st.sampled_from(good), st.sampled_from(good + bad)


cadre = _cell(["C01", "C03", "C02", "Nguyễn Văn An"], ["c01", " C01", "C04", "X99", "", None, 7, ["C01"]])
unit = _cell(["Phúc Xá", "Đoàn phường Phúc Xá"], ["Ba Đình", " Ba Đình ", "Tây Hồ", "", None, {"x": 1}])
day = _cell(["2020-03-02", "2020-03-05"], ["03/03/2020", "2020-02-30", " 2020-03-04", "", 43893, True])
end = _cell(["2020-03-03", None], ["03/03/2020", "2020-02-30", " 2020-03-04", "", 43893, True])
kind = _cell(["chuyen-de", "sinh-hoat"], ["Chuyên đề", "di-choi", "", None, 1])
line = _cell(["Họp", "Khảo sát", None], [" Họp", "Nguye\u0302\u0303n", "", 5])
mark = _cell([False, True, None, "no"], ["x", "có", "", "maybe", 0, "X"])


def _row(*columns: tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]) -> st.SearchStrategy[tuple[Any, ...]]:
    """Mostly plain rows: each cell most often as a plain row has it, else anything a file may hold
    (so that the cadres, units, days and kinds met before make later rows plain)."""
    return st.tuples(*(st.one_of(good, good, good, any_) for good, any_ in columns))


visit = _row(cadre, unit, day, end, kind, line, line, mark) | st.tuples(
    *(good for good, _any in (cadre, unit, day, end, kind)), _text, _text, mark[0]
)
report = _row(cadre, unit, day, end, kind, day, line) | st.tuples(
    *(good for good, _any in (cadre, unit, day, end, kind, day)), _text
)


def _sources(kind_of_file: str, visits: list[tuple], reports: list[tuple], deleted_column: bool) -> list[SourceTable]:
    """The file as the readers give it (fresh each time: a check consumes the rows)."""
    visit_keys = ["cadre", "unit", "start", "end", "kind", "topic", "order_no", "deleted"]
    if not deleted_column:  # an older file, without the column
        visits, visit_keys = [v[:-1] for v in visits], visit_keys[:-1]
    report_keys = ["cadre", "unit", "start", "end", "kind", "reported_on", "text"]
    name = "in.json" if kind_of_file == "json" else "visits.csv"
    return [
        SourceTable(name, "cadres", ["code", "name", "department", "email"], [], kind_of_file),
        SourceTable(name, "visits", visit_keys, [(n, tuple(v)) for n, v in enumerate(visits, 2)], kind_of_file),
        SourceTable(name, "reports", report_keys, [(n, list(r)) for n, r in enumerate(reports, 2)], kind_of_file),
    ]


class _Progress:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def start(self, what: str, total: int) -> None:
        self.calls.append(("start", what, total))

    def advance(self, n: int = 1) -> None:
        self.calls.append(("advance", n))


def _outcome(target: Any, sources: list[SourceTable], plain: bool, cadres: int = 2) -> tuple[Any, ...]:
    sources[0].rows = [(n, list(c)) for n, c in enumerate(FILE_CADRES[:cadres], 2)]
    progress = _Progress()
    refused: tuple[Any, ...] = ()
    with pytest.MonkeyPatch.context() as patch, writing(target, write=False) as db:
        patch.setattr(PlainRows, "plain_rows", plain)
        job = Import(db, TODAY, progress)
        try:
            job.check(sources)
        except ManyErrors as exc:
            refused = (exc.summary, [e.message for e in exc.errors], exc.details)
    counts = {name: (c.added, c.present, c.repeated) for name, c in job.counts.items()}
    # what was kept is compared too when the file is refused: a plain row is never an error
    kept = (counts, list(job.new_visits.items()), list(job.new_reports.items()), progress.calls)
    return ("refused" if refused else "checked", *kept, refused)


@pytest.fixture
def recorded(cli, db, tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(RECORD, ensure_ascii=False), "utf-8")
    ok(cli("import", str(path)))
    return db


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    visits=st.lists(visit, max_size=25),
    reports=st.lists(report, max_size=10),
    repeats=st.lists(st.integers(0, 24), max_size=10),
    kind_of_file=st.sampled_from(["json", "csv"]),
    deleted_column=st.booleans(),
    cadres=st.sampled_from([1, 2]),
)
@example(  # a plain deleted visit, and a plain report of it, after rows that taught its cells
    visits=[
        ("C01", "Phúc Xá", "2020-03-02", None, "chuyen-de", "Họp", None, False),
        ("C01", "Phúc Xá", "2020-03-05", None, "sinh-hoat", "Họp", None, False),
        ("C01", "Phúc Xá", "2020-03-05", None, "chuyen-de", "Khảo sát", "1-CL", True),
    ],
    reports=[],
    repeats=[0, 2],
    kind_of_file="json",
    deleted_column=True,
    cadres=1,
)
def test_the_plain_rows_path_gives_what_the_general_path_gives(
    recorded, visits, reports, repeats, kind_of_file, deleted_column, cadres
):
    # rows repeated later in the file, as they are, so that "repeated" and "already recorded" happen
    visits = visits + [visits[i] for i in repeats if i < len(visits)]
    reports = reports + [
        (*visits[i][:5], "2020-03-06", "Báo cáo.") for i in repeats if i < len(visits)
    ]  # reports of the file's own visits
    fast = _outcome(recorded, _sources(kind_of_file, visits, reports, deleted_column), True, cadres)
    slow = _outcome(recorded, _sources(kind_of_file, visits, reports, deleted_column), False, cadres)
    assert fast == slow
    event(fast[0])


def test_plain_rows_are_most_rows_of_a_plain_file(recorded):
    """The path is taken: a file of plain rows checks nearly all of them without a Row."""
    from congtac12.store import import_rows

    typed = 0
    general = import_rows.RowReading._typed

    def counting(self, *args):  # noqa: ANN001, ANN202
        nonlocal typed
        typed += 1
        return general(self, *args)

    visits = [
        ("C01", "Phúc Xá", f"2020-04-{d:02d}", None, "chuyen-de", f"Chuyến {d}", "1-CL", False) for d in range(1, 29)
    ]
    reports = [(*v[:4], "chuyen-de", "2020-05-01", "Báo cáo.") for v in visits]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(import_rows.RowReading, "_typed", counting)
        outcome = _outcome(recorded, _sources("json", visits, reports, True), True, cadres=1)
    assert outcome == _outcome(recorded, _sources("json", visits, reports, True), False, cadres=1)
    assert outcome[0] == "checked", outcome[-1]
    assert outcome[1]["visits"] == (28, 0, 0) and outcome[1]["reports"] == (28, 0, 0)
    # the file's cadre; then each row with a day no date column had typed yet (what a text is as
    # a date is learnt once for every date column of every table): each visit, by its first day,
    # and the first report alone, by its report date (its visit's days are the visits' own)
    assert typed == 1 + 28 + 1


def test_a_blank_cell_is_its_own_columns_default(recorded):
    """What a text is as a yes/no (or a date) is learnt once for every column of its type, but a
    blank cell is each column's own default: a cadre's blank "subject" is yes, a visit's blank
    "deleted" no."""
    visit_keys = ["cadre", "unit", "start", "end", "kind", "deleted"]
    sources = [
        SourceTable("in.json", "cadres", ["code", "name", "department", "subject"], [], "json"),
        SourceTable(
            "in.json",
            "visits",
            visit_keys,
            [(n, ("C03", "Phúc Xá", f"2020-04-0{n}", None, "chuyen-de", " ")) for n in (2, 3)],
            "json",
        ),
    ]
    sources[0].rows = [(2, ["C03", "Trần Văn Cường", "Văn phòng", " "])]
    with writing(recorded, write=False) as db:
        job = Import(db, TODAY, _Progress())
        job.check(sources)
    assert [c["subject"] for c in job.new_cadres.values()] == [True]
    assert [deleted for _topic, _order, deleted in job.new_visits.values()] == [False, False]
