"""One source of truth for the reads: the plain SQL of ``store.read`` returns exactly the facts
that ``store.queries`` reads through the SQLModel tables, on random records, on SQLite and on
PostgreSQL; and the read path opens the database as the engine does (schema, errors).

The records are written through the ORM (the models, in one session, as ``demo`` does):
cadres with and without a service period, exempt ones, deactivated ones; leave; visits of
every kind, some deleted (with their report), some reported, some overlapping; settings and
reminders sent.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congtac12.store.location import PgUrl

pytestmark = pytest.mark.both_backends

KINDS = ("chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Đức", "Phạm Thu Hà", "Đỗ Ngọc Ánh", "Nguyễn Văn Anh")
DEPARTMENTS = ("Văn phòng", "Ban Tuyên giáo", "Ban Tổ chức – Kiểm tra")
BASE_UNITS = (("Đoàn xã Đông Dư", "co-so", "Gia Lâm"), ("Chi đoàn lớp 12A1", "co-so", "Ba Đình"))
ORIGIN = date(2019, 11, 1)  # day 0 of the random dates: the records span 2019–2021

days = st.integers(min_value=0, max_value=800)
cadre_st = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "department": st.sampled_from(DEPARTMENTS),
        "email": st.one_of(st.none(), st.just("a@example.vn")),
        "subject": st.booleans(),
        "joined": st.one_of(st.none(), days),
        "served": st.one_of(st.none(), st.integers(min_value=0, max_value=500)),  # left = joined (or 0) + served
        "deactivated": st.booleans(),
        "leave": st.lists(
            st.tuples(st.integers(0, 120), st.integers(0, 90), st.sampled_from(("thai-san", "om-dau"))), max_size=2
        ),
    }
)
visit_st = st.fixed_dictionaries(
    {
        "cadre": st.integers(min_value=0, max_value=5),
        "unit": st.integers(min_value=0, max_value=40),
        "start": days,
        "length": st.integers(min_value=0, max_value=3),
        "kind": st.sampled_from(KINDS),
        "report": st.one_of(st.none(), st.integers(min_value=0, max_value=25)),
        "deleted": st.booleans(),
        "reminded": st.booleans(),
    }
)
plan_st = st.fixed_dictionaries(
    {
        "cadre": st.integers(min_value=0, max_value=5),
        "unit": st.integers(min_value=0, max_value=40),
        "start": days,
        "length": st.integers(min_value=0, max_value=5),
        "kind": st.sampled_from(KINDS),
        "state": st.sampled_from(("draft", "submitted", "approved", "returned")),
        "link": st.booleans(),  # an approved plan fulfilled by one of its cadre's visits
    }
)
record_st = st.fixed_dictionaries(
    {
        "cadres": st.lists(cadre_st, min_size=1, max_size=6),
        "visits": st.lists(visit_st, max_size=14),
        "plans": st.lists(plan_st, max_size=5),
        "policy": st.one_of(st.none(), st.sampled_from(("ha-noi-2020", "quang-tri-2020"))),
    }
)


def day(n: int) -> date:
    return ORIGIN + timedelta(days=n)


def write(target: Path | PgUrl, record: dict) -> None:
    """The record, through the ORM, in one session."""
    from congtac12.store import audit, commands, queries
    from congtac12.store.engine import session
    from congtac12.store.models import Cadre, Leave, Plan, ReminderSent, Report, Setting, Visit

    with session(target, write=True) as s:
        audit.describe(s, "test", "random records")
        for name, level, parent in BASE_UNITS:
            commands.add_unit(s, name=name, level=level, parent=parent)
        units = queries.units(s)
        cadres = []
        for n, c in enumerate(record["cadres"]):
            joined = day(c["joined"]) if c["joined"] is not None else None
            left = (joined or ORIGIN) + timedelta(days=c["served"]) if c["served"] is not None else None
            cadre = Cadre(
                code=f"C{n:02d}",
                name=c["name"],
                department=c["department"],
                email=c["email"],
                subject=c["subject"],
                joined=joined,
                left=left,
            )
            s.add(cadre)
            s.flush()
            cadres.append(cadre)
            start = 0
            for gap, length, reason in c["leave"]:
                start += gap
                s.add(Leave(cadre_id=cadre.id, start=day(start), end=day(start + length), reason=reason))
                start += length + 1
        seen = set()
        visits_of: dict[int, list[int]] = {}
        for v in record["visits"]:
            cadre = cadres[v["cadre"] % len(cadres)]
            same = (cadre.id, v["unit"] % len(units), v["start"], v["length"], v["kind"])
            if same in seen:
                continue  # the same trip twice: the database refuses it (a unique index)
            seen.add(same)
            visit = Visit(
                cadre_id=cadre.id,
                unit_id=units[v["unit"] % len(units)].id,
                start=day(v["start"]),
                end=day(v["start"] + v["length"]),
                kind=v["kind"],
                topic="Khảo sát" if v["kind"] != "sinh-hoat" else None,
            )
            s.add(visit)
            s.flush()
            visits_of.setdefault(cadre.id, []).append(visit.id)
            gone = datetime(2022, 1, 1, tzinfo=UTC) if v["deleted"] else None
            if v["deleted"]:
                visit.deleted_at = gone
            if v["report"] is not None:
                s.add(Report(visit_id=visit.id, reported_on=visit.end + timedelta(days=v["report"]), deleted_at=gone))
            if v["reminded"]:
                s.add(
                    ReminderSent(
                        visit_id=visit.id,
                        state="overdue",
                        sent_on=date(2020, 11, 13),
                        channel="cadre",
                        recipient="x@y.vn",
                    )
                )
        s.flush()
        for p in record.get("plans", []):
            cadre = cadres[p["cadre"] % len(cadres)]
            free = visits_of.get(cadre.id, [])
            link = free.pop(0) if p["link"] and p["state"] == "approved" and free else None
            s.add(
                Plan(
                    cadre_id=cadre.id,
                    unit_id=units[p["unit"] % len(units)].id,
                    start=day(p["start"]),
                    end=day(p["start"] + p["length"]),
                    kind=p["kind"],
                    state=p["state"],
                    visit_id=link,
                    decided_by="btc" if p["state"] in ("approved", "returned") else None,
                    decided_at=datetime(2020, 1, 2, tzinfo=UTC) if p["state"] in ("approved", "returned") else None,
                    reason="Chưa rõ nội dung" if p["state"] == "returned" else None,
                )
            )
        s.flush()
        for cadre, c in zip(cadres, record["cadres"], strict=True):
            if c["deactivated"]:
                cadre.deactivated_at = datetime.now(UTC)
        if record["policy"] is not None:
            s.add(Setting(key="policy", value=record["policy"]))


WINDOWS = [
    (date(2020, 3, 1), date(2020, 12, 31)),
    (date(2020, 1, 1), date(2020, 11, 13)),
    (date(2019, 12, 15), date(2021, 2, 1)),
]


def compare(target: Path | PgUrl, record: dict) -> None:
    """Every read of ``store.read`` equals its twin in ``store.queries``, on this database."""
    from congtac12.store import plans, queries
    from congtac12.store.engine import session
    from congtac12.store.read import cadres, facts, settings, units, visits
    from congtac12.store.read import plans as read_plans
    from congtac12.store.read.connect import reading

    with session(target) as s, reading(target) as r:
        assert settings.setting(r, "policy") == queries.setting(s, "policy") == record["policy"]
        assert settings.setting(r, "lang") is None
        assert settings.reminders_sent(r, on=date(2020, 11, 13)) == queries.reminders_sent(s, on=date(2020, 11, 13))
        orm_ids = [c.id for c in queries.cadres(s, deactivated=True)]
        for cid in [None, *orm_ids]:
            assert cadres.cadre_facts(r, cadre_id=cid) == queries.cadre_facts(s, cadre_id=cid)
            assert cadres.leave_rows(r, cadre_id=cid) == queries.leave_rows(s, cadre_id=cid)
            for first, last in WINDOWS:
                assert read_plans.plan_facts(r, first=first, last=last, cadre_id=cid) == plans.plan_facts(
                    s, first=first, last=last, cadre_id=cid
                )
                sql = facts.facts(r, first=first, last=last, cadre_id=cid)
                assert sql == queries.facts(s, first=first, last=last, cadre_id=cid)
                assert facts.visits_between(r, first=first, last=last, cadre_id=cid) == queries.visits_between(
                    s, first=first, last=last, cadre_id=cid
                )
                # status's one pass: the window's facts and the visits wholly before or after it
                spans = [
                    (first - timedelta(days=60), first - timedelta(days=1)),
                    (last + timedelta(days=1), last + timedelta(days=45)),
                ]
                assert facts.window_facts(r, first=first, last=last, cadre_id=cid, outside=spans) == (
                    *sql,
                    [queries.visits_between(s, first=a, last=b, cadre_id=cid) for a, b in spans],
                )
                for deleted in (False, True):
                    assert visits.visit_rows(
                        r, cadre_id=cid, start=first, end=last, deleted=deleted
                    ) == queries.visit_rows(s, cadre_id=cid, start=first, end=last, deleted=deleted)
                assert visits.visit_rows(r, cadre_id=cid, start=first, end=last, unreported_by=last) == (
                    queries.visit_rows(s, cadre_id=cid, start=first, end=last, unreported_by=last)
                )
                if cid is None:
                    ids = [v.id for v in sql[1]]
                    unit_of = facts.visit_units(r, first=first, last=last)
                    assert {i: unit_of[i] for i in ids} == queries.visit_units(s, ids)
        assert visits.visit_rows(r) == queries.visit_rows(s)
        assert visits.visit_rows(r, deleted=True) == queries.visit_rows(s, deleted=True)
        for vid in range(1, len(record["visits"]) + 2):
            assert visits.visit_rows(r, visit_id=vid) == queries.visit_rows(s, visit_id=vid)
        for deactivated in (False, True):
            assert [vars(c) for c in cadres.cadre_rows(r, deactivated=deactivated)] == [
                {k: getattr(c, k) for k in vars(row)}
                for c, row in zip(
                    queries.cadres(s, deactivated=deactivated),
                    cadres.cadre_rows(r, deactivated=deactivated),
                    strict=True,
                )
            ]
        assert [(u.id, u.name, u.level, u.parent_id) for u in units.unit_rows(r)] == [
            (u.id, u.name, u.level, u.parent_id) for u in queries.units(s)
        ]
        assert units.unit_facts(r) == queries.unit_facts(s)
        for query in ("C00", "c01", "nguyen van", "Trần Thị Bình", "x"):
            assert _found(lambda q: cadres.find_cadre(r, q), query) == _found(lambda q: queries.find_cadre(s, q), query)


def _found(find, query: str) -> tuple:  # noqa: ANN001
    """(id, code, name) of the cadre found, or the error's class and message."""
    from congtac12.errors import CongtacError

    try:
        c = find(query)
    except CongtacError as exc:
        return (type(exc).__name__, exc.message)
    return (c.id, c.code, c.name)


@pytest.fixture
def blank(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """``blank()``: a new database of the current schema with nothing recorded (a copy of one made once)."""
    from congtac12.store.engine import session

    if backend == "postgresql":
        server = request.getfixturevalue("pg")
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setenv("PGPASSWORD", server.password)
        template = server.new_database()
        request.addfinalizer(lambda: server.drop_database(template))
        with session(PgUrl(server.url_of(template)), write=True):
            pass

        def make_pg() -> PgUrl:
            name = server.new_database(template=template)
            request.addfinalizer(lambda: server.drop_database(name))
            return PgUrl(server.url_of(name))

        return make_pg
    folder = tmp_path_factory.mktemp("read-sql")
    template = folder / "template.db"
    with session(template, write=True):
        pass
    count = iter(range(10_000))

    def make_sqlite() -> Path:
        path = folder / f"r{next(count)}.db"
        shutil.copyfile(template, path)
        return path

    return make_sqlite


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=record_st)
def test_the_sql_reads_return_the_facts_the_orm_reads(blank, record: dict) -> None:
    target = blank()
    write(target, record)
    compare(target, record)


def test_the_comparison_sees_a_difference(blank) -> None:
    # Not two empty answers compared: a record with facts in every read, and a read that
    # differs (a report moved by one day behind the ORM's back) is caught.
    from congtac12.store import queries
    from congtac12.store.engine import session
    from congtac12.store.read import facts
    from congtac12.store.read.connect import reading

    target = blank()
    record = {
        "cadres": [
            {"name": "Nguyễn Văn An", "department": "Văn phòng", "email": None, "subject": True, "joined": None,
             "served": None, "deactivated": False, "leave": [(10, 5, "om-dau")]},
        ],
        "visits": [{"cadre": 0, "unit": 3, "start": 200, "length": 1, "kind": "kiem-tra", "report": 4,
                    "deleted": False, "reminded": False}],
        "policy": None,
    }  # fmt: skip
    write(target, record)
    first, last = WINDOWS[0]
    with session(target) as s, reading(target) as r:
        sql = facts.facts(r, first=first, last=last)
        assert sql == queries.facts(s, first=first, last=last)
    assert len(sql[0]) == 1 and len(sql[0][0].leave) == 1 and len(sql[1]) == 1 and len(sql[2]) == 1
    with session(target, write=True) as s:
        report = queries.report_of(s, sql[1][0].id)
        report.reported_on += timedelta(days=1)
    with reading(target) as r:
        assert facts.facts(r, first=first, last=last) != sql


@pytest.mark.parametrize("postgres", [False, True])
def test_a_stored_moment_without_an_offset_is_utc_whatever_the_machine_clock(
    monkeypatch: pytest.MonkeyPatch, postgres: bool
) -> None:
    # psycopg gives a naive datetime for a timestamp without time zone and SQLite gives text;
    # both are UTC as SQLModel's UTCDateTime reads them, never the machine's local time.
    import time
    from datetime import UTC, datetime

    from congtac12.store.read.connect import Reader

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        reader = Reader(None, None, postgres=postgres)  # type: ignore[arg-type]
        stored = datetime(2026, 3, 8, 9, 30) if postgres else "2026-03-08 09:30:00"
        assert reader.moment(stored) == datetime(2026, 3, 8, 9, 30, tzinfo=UTC)
        assert reader.moment(None) is None
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
