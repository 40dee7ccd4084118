"""The fast paths of a large import: the plain visit and report recognised without the validators'
call per field (store/import_lean), a JSON export decoded a batch of items at a time, and the new
visits' ids counted rather than read back — each giving exactly what the slow path gives."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import succeeded as ok

from congtac12.store import commands
from congtac12.store.import_lean import plain_line, plain_report, plain_visit
from congtac12.store.models import ORDER_MAX, TOPIC_MAX
from congtac12.text import clean_field

pytestmark = pytest.mark.both_backends

# Vietnamese letters precomposed and decomposed, every kind of white space and invisible mark
_LETTERS = "aăâđêôơưAĐ ễệọữ0/-.,{}\"'"
_ODD = "\u0301\u0323\u00a0\u3000\t\n\r\x00\x1f\x7f\u200b\u200d\u200e\u202e\u2066\u2063\u00ad\ufeff\u061c\ud800"
_text = st.text(st.sampled_from(_LETTERS + _ODD), max_size=14) | st.text(st.sampled_from(_LETTERS), max_size=14)
_file_text = st.text(st.sampled_from(_LETTERS + _ODD.replace("\ud800", "")), max_size=14)


@given(_text, st.sampled_from([3, 10, TOPIC_MAX]))
def test_a_plain_line_is_what_clean_field_returns_unchanged(value, max_len):
    if plain_line(value, max_len):
        assert clean_field(value, what="topic", max_len=max_len, required=False) == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        " đầu",
        "cuối ",
        "hai  dấu cách",
        "Nguye\u0302\u0303n",  # decomposed: NFC changes it
        "không\u00a0ngắt",
        "rộng\u200bkhông",
        "xuống\ndòng",
        "x" * (TOPIC_MAX + 1),
    ],
)
def test_what_is_not_plain_goes_to_the_validator(value):
    assert not plain_line(value, TOPIC_MAX)


_day = st.dates(date(2019, 1, 1), date(2021, 12, 31))


@given(
    start=_day,
    days=st.integers(-3, 400),
    kind=st.sampled_from(["chuyen-de", "phoi-hop", "kiem-tra", "sinh-hoat", "di-choi"]),
    topic=st.none() | _text,
    order_no=st.none() | _text,
)
def test_a_plain_visit_is_one_check_visit_accepts_as_given(start, days, kind, topic, order_no):
    end = start + timedelta(days=days)
    if plain_visit(start, end, kind, topic, order_no):
        checked = commands.check_visit(start=start, end=end, kind=kind, topic=topic, order_no=order_no)
        assert checked == (topic, order_no)


@given(on=_day, end=_day, text=_text | st.text(max_size=30))
def test_a_plain_report_is_one_check_report_accepts_as_given(on, end, text):
    if plain_report(on, end, text):
        assert commands.check_report(on=on, visit_end=end, text=text) == text


def _export(visits, reports):
    return {
        "format": "congtac12",
        "format_version": 3,
        "units": [{"name": "Đoàn phường Phúc Xá", "level": "co-so", "parent": "Quận đoàn Ba Đình"}],
        "cadres": [{"code": "C01", "name": "Nguyễn Văn An", "department": "Văn phòng", "subject": True}],
        "visits": visits,
        "reports": reports,
    }


def _visit(day: int, **more):
    return {
        "cadre": "C01",
        "unit": "Phúc Xá",
        "start": f"2020-03-{day:02d}",
        "end": f"2020-03-{day + 1:02d}",
        "kind": "chuyen-de",
        **more,
    }


def test_an_unusual_topic_is_stored_as_add_visit_stores_it(cli, tmp_path):
    """Decomposed letters, runs of spaces, spaces at the ends: the validator's normal form, as before."""
    topic = "  Khảo  sát   Nguye\u0302\u0303n  "
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_export([_visit(2, topic=topic, order_no=" 15-CL ")], [])), "utf-8")
    ok(cli("import", str(path)))
    ok(cli("export", "--out", str(tmp_path / "out.json")))
    (visit,) = json.loads((tmp_path / "out.json").read_text())["visits"]
    assert visit["topic"] == clean_field(topic, what="topic", max_len=TOPIC_MAX) == "Khảo sát Nguyễn"
    assert visit["order_no"] == clean_field(" 15-CL ", what="order number", max_len=ORDER_MAX) == "15-CL"


def test_a_report_before_its_trip_ended_is_one_line_and_nothing_is_written(cli, tmp_path):
    ok(cli("unit", "add", "--name", "Đoàn phường Tây Hồ", "--level", "co-so", "--parent", "Ba Đình"))
    path = tmp_path / "in.json"
    report = {**_visit(2), "reported_on": "2020-03-02", "text": "Báo cáo."}
    path.write_text(json.dumps(_export([_visit(2)], [report])), "utf-8")
    run = cli("import", str(path))
    assert run.code == 1, run
    assert run.stderr.strip().splitlines() == [
        "Error: in.json, reports item 1, key 'reported_on': report date 2020-03-02 is before the visit's"
        " last day 2020-03-03; a report is written after the trip (nothing was imported)"
    ]
    ok(cli("export", "--out", str(tmp_path / "out.json")))
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["cadres"] == [] and out["visits"] == [] and out["reports"] == []


def test_reports_find_their_new_visits_whatever_ids_the_database_gives(cli, db, backend, tmp_path):
    """The new visits' ids are counted from the first when the database gave them in a run (always on
    SQLite); on PostgreSQL a sequence ahead of the table gives other ids, and they are read back."""
    ok(cli("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so", "--parent", "Ba Đình"))
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(db.url, autocommit=True) as con:
            con.execute("SELECT setval(pg_get_serial_sequence('visit', 'id'), 500)")
    visits = [_visit(d, topic=f"Chuyến {d}") for d in (2, 5, 9, 14)]
    reports = [{**_visit(d), "reported_on": f"2020-03-{d + 3:02d}", "text": f"Báo cáo {d}"} for d in (9, 2, 14)]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_export(visits, reports)), "utf-8")
    ok(cli("import", str(path)))
    ok(cli("export", "--out", str(tmp_path / "out.json")))
    out = json.loads((tmp_path / "out.json").read_text())
    by_start = {r["start"]: (r["reported_on"], r["text"]) for r in out["reports"]}
    assert by_start == {
        "2020-03-02": ("2020-03-05", "Báo cáo 2"),
        "2020-03-09": ("2020-03-12", "Báo cáo 9"),
        "2020-03-14": ("2020-03-17", "Báo cáo 14"),
    }
    ok(cli("undo"))
    ok(cli("export", "--out", str(tmp_path / "undone.json"), "--force"))
    undone = json.loads((tmp_path / "undone.json").read_text())
    assert undone["visits"] == [] and undone["reports"] == []


@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"cadre": st.sampled_from(["C01", "C}02", 'C\\"03']), "text": _file_text, "n": st.integers(0, 99)}
        ),
        max_size=40,
    ),
    piece=st.integers(16, 700),
    indent=st.sampled_from([None, 2]),
)
def test_json_batches_of_many_items_read_as_the_whole_file(items, piece, indent, tmp_path_factory):
    """Pieces large enough for several items at a time, texts holding '}' and quotes where a cut falls."""
    from congtac12.exchange import json_read

    path = tmp_path_factory.mktemp("batch") / "export.json"
    doc = {"format": "congtac12", "format_version": 3, "visits": items, "reports": items[::-1]}
    path.write_text(json.dumps(doc, indent=indent, ensure_ascii=False), "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_read, "PIECE", piece)
        streamed = json_read.read_stream(path)
    assert streamed is not None
    assert streamed == json_read.read_whole(path, path.read_bytes())


def test_a_plans_columns_by_role_come_from_the_table_itself():
    """The import's lists of a plan's fields are the table's columns (exchange.spec), not a copy."""
    from congtac12.exchange import spec

    assert spec.PLAN_VISIT == ("visit_cadre", "visit_unit", "visit_start", "visit_end", "visit_kind")
    assert spec.PLAN_FIELDS == ("days", "topic", "state", "reason", "decided_by", "decided_at", "visit")
    keys = [c.key for c in spec.PLANS.columns]
    assert keys == [*keys[:5], *spec.PLAN_FIELDS[:-1], *spec.PLAN_VISIT]
