"""Edits, soft deletes, the audit trail and undo (issue 4, points 1 and 2).

Expected values are worked out by hand in the comments. Policy: Hanoi 2020,
window 2020-03-01..2020-12-31, report due on the last day + 10.
"""

from __future__ import annotations

import getpass
import unicodedata

import pytest
from conftest import sql
from test_cli_core import js, ok, refused

from congtac12.store.location import PgUrl

pytestmark = pytest.mark.both_backends

BTC = "Ban Tổ chức – Kiểm tra"


def user_of(db) -> str:
    """Who the history names: the OS user on SQLite, the database login on PostgreSQL."""
    if isinstance(db, PgUrl):
        from urllib.parse import urlsplit

        return urlsplit(db.url).username
    return getpass.getuser()


@pytest.fixture
def seeded(cli):
    """C01 Nguyễn Văn An, C02 Đặng Thị Đào; visit 1 of C01 (reported 10/03), visit 2 of C01."""
    ok(cli("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", BTC))
    ok(
        cli(
            "cadre",
            "add",
            "--code",
            "C02",
            "--name",
            "Đặng Thị Đào",
            "--dept",
            "Văn phòng",
            "--email",
            "dao.dt@example.vn",
        )
    )
    # 1: C01 at Quận đoàn Ba Đình, 05/03-06/03/2020 (2 days), chuyen-de
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "05/03/2020",
            "--to",
            "06/03/2020",
            "--kind",
            "chuyen-de",
            "--topic",
            "Khảo sát đoàn viên",
        )
    )
    ok(cli("report", "1", "--on", "10/03/2020", "--text", "Đã khảo sát"))
    # 2: C01 at Thị đoàn Sơn Tây, 10/03-12/03/2020 (3 days), sinh-hoat, no report
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Sơn Tây",
            "--from",
            "10/03/2020",
            "--to",
            "12/03/2020",
            "--kind",
            "sinh-hoat",
        )
    )
    return cli


def changes(db) -> list[tuple]:
    return sql(db, "SELECT id, who, action, undoes FROM change ORDER BY id")


def status_of(cli, code: str) -> dict:
    return js(cli("status", "--cadre", code, "--as-of", "31/12/2020", "--json"))["cadres"][0]


# --- edit-visit --------------------------------------------------------------


def test_edit_visit_changes_the_fields_and_the_counts(seeded, db) -> None:
    cli = seeded
    # Before: 2 + 3 = 5 days; chuyen-de 2, sinh-hoat 3.
    c = status_of(cli, "C01")
    assert (c["days"], c["days_by_kind"]["chuyen-de"], c["days_by_kind"]["sinh-hoat"]) == (5, 2, 3)
    out = ok(cli("edit-visit", "1", "--to", "07/03/2020", "--unit", "gia lam", "--order", "15-CL/TĐTN"))
    assert out == (
        "Edited visit 1:\n"
        "  unit: Quận đoàn Ba Đình → Huyện đoàn Gia Lâm\n"
        "  last day: 2020-03-06 → 2020-03-07\n"
        "  order number: — → 15-CL/TĐTN\n"
        # 05..07/03 in the window and in service: 3 days; due 07/03 + 10
        "Counts 3 days in the window 2020-03-01 to 2020-12-31. Report due 2020-03-17.\n"
    )
    # After: visit 1 covers 05-07/03 = 3 days: 3 + 3 = 6; chuyen-de 3.
    c = status_of(cli, "C01")
    assert (c["days"], c["days_by_kind"]["chuyen-de"]) == (6, 3)
    v1 = js(cli("visits", "--json"))[0]
    assert (v1["unit"], v1["end"], v1["order"], v1["topic"], v1["report_due"]) == (
        "Huyện đoàn Gia Lâm",
        "2020-03-07",
        "15-CL/TĐTN",
        "Khảo sát đoàn viên",
        "2020-03-17",
    )  # 07/03 + 10
    # Clearing the topic, changing the kind; --json says what changed.
    assert js(cli("edit-visit", "1", "--topic", "", "--kind", "kiem-tra", "--json")) == {
        "id": 1,
        "changed": {
            "kind": {"before": "chuyen-de", "after": "kiem-tra"},
            "topic": {"before": "Khảo sát đoàn viên", "after": None},
        },
        "days_counted": 3,
        "report_due": "2020-03-17",
    }
    # The same values again: nothing changes, nothing is recorded.
    before = len(changes(db))
    assert ok(cli("edit-visit", "1", "--kind", "kiem-tra")) == (
        "Visit 1 already holds these values; nothing changed.\n"
    )
    assert len(changes(db)) == before


@pytest.mark.parametrize(
    "add_args, edit_args, code",
    [
        (["--kind", "hop-hanh"], ["--kind", "hop-hanh"], 2),
        (["--from", "05/03/2020", "--to", "04/03/2020"], ["--to", "04/03/2020"], 2),
        (["--from", "01/01/2020", "--to", "01/06/2021"], ["--from", "01/01/2020", "--to", "01/06/2021"], 2),
        (["--from", "31/02/2020"], ["--from", "31/02/2020"], 2),
        (["--unit", "Quận đoàn Atlantis"], ["--unit", "Quận đoàn Atlantis"], 1),
        (["--topic", "x" * 501], ["--topic", "x" * 501], 2),
        (["--topic", "a\x1b[31mb"], ["--topic", "a\x1b[31mb"], 2),
        (["--order", "o" * 65], ["--order", "o" * 65], 2),
        # the same as visit 2: a duplicate, for add-visit and for an edit of visit 1 alike
        (
            ["--unit", "Sơn Tây", "--from", "10/03/2020", "--to", "12/03/2020", "--kind", "sinh-hoat"],
            ["--unit", "Sơn Tây", "--from", "10/03/2020", "--to", "12/03/2020", "--kind", "sinh-hoat"],
            1,
        ),
    ],
)
def test_edit_visit_refuses_what_add_visit_refuses_with_the_same_message(
    seeded, dump, add_args, edit_args, code
) -> None:
    cli = seeded
    base = {"--cadre": "C01", "--unit": "Ba Đình", "--from": "05/03/2020", "--kind": "chuyen-de"}
    for i in range(0, len(add_args), 2):
        base[add_args[i]] = add_args[i + 1]
    snapshot = dump()
    added = refused(cli("add-visit", *[x for kv in base.items() for x in kv]), code)
    edited = refused(cli("edit-visit", "1", *edit_args), code)
    if "already records" in added:  # the duplicate names itself: visit 2 in both
        assert "visit 2 already records C01 at Thị đoàn Sơn Tây from 2020-03-10 to 2020-03-12" in added
    assert edited == added
    assert dump() == snapshot


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["edit-visit", "9"], 2, "nothing to change"),
        (["edit-visit", "9", "--kind", "kiem-tra"], 1, "no visit 9"),
        # visit 1's report is dated 10/03: it cannot end after that
        (
            ["edit-visit", "1", "--to", "11/03/2020"],
            1,
            "visit 1's report is dated 2020-03-10, before the new last day 2020-03-11",
        ),
        (["edit-visit", "abc", "--kind", "kiem-tra"], 2, "VISIT_ID"),
        (["delete-visit", "9"], 1, "no visit 9"),
        (["restore-visit", "2"], 1, "visit 2 is not deleted; nothing to restore"),
    ],
)
def test_edit_delete_restore_refusals(seeded, dump, args, code, message) -> None:
    snapshot = dump()
    assert message in refused(seeded(*args), code)
    assert dump() == snapshot


# --- delete-visit / restore-visit -------------------------------------------------


def test_delete_visit_hides_it_from_counts_and_lists_and_restore_brings_it_back(seeded) -> None:
    cli = seeded
    assert ok(cli("delete-visit", "1")) == (
        "Deleted visit 1 and its report; it no longer counts. Undo with: congtac12 restore-visit 1\n"
    )
    assert [v["id"] for v in js(cli("visits", "--json"))] == [2]
    # Only visit 2 counts: 3 days of sinh-hoat; its report is pending, the deleted one is gone.
    c = status_of(cli, "C01")
    assert (c["days"], c["days_by_kind"]["chuyen-de"], c["reports"]["on_time"]) == (3, 0, 0)
    deleted = js(cli("visits", "--deleted", "--json"))
    assert [(v["id"], v["reported_on"]) for v in deleted] == [(1, "2020-03-10")]
    # A deleted visit takes no edit, no report, no second delete.
    assert "visit 1 is deleted; cannot edit it" in refused(cli("edit-visit", "1", "--kind", "kiem-tra"), 1)
    assert "restore-visit 1" in refused(cli("report", "1", "--on", "20/03/2020", "--text", "x", "--replace"), 1)
    assert "visit 1 is deleted" in refused(cli("delete-visit", "1"), 1)
    # Adding the same trip again points at the deleted one.
    msg = refused(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "05/03/2020",
            "--to",
            "06/03/2020",
            "--kind",
            "chuyen-de",
        ),
        1,
    )
    assert "visit 1 (deleted; bring it back with 'congtac12 restore-visit 1') already records" in msg
    assert ok(cli("restore-visit", "1")) == "Restored visit 1 and its report.\n"
    c = status_of(cli, "C01")
    assert (c["days"], c["days_by_kind"]["chuyen-de"], c["reports"]["on_time"]) == (5, 2, 1)
    assert js(cli("visits", "--deleted", "--json")) == []


# --- cadres ------------------------------------------------------------------


def test_cadre_edit(seeded, db) -> None:
    cli = seeded
    out = ok(
        cli(
            "cadre",
            "edit",
            "C02",
            "--name",
            "Đặng Thị  Đào ",
            "--email",
            "",
            "--not-subject",
            "--dept",
            "Ban Tuyên giáo",
        )
    )
    # The name is the same once trimmed and collapsed: not a change.
    assert out == (
        "Edited cadre C02:\n"
        "  department: Văn phòng → Ban Tuyên giáo\n"
        "  email: dao.dt@example.vn → —\n"
        "  subject to the regime: yes → no\n"
    )
    c02 = [c for c in js(cli("cadre", "list", "--json")) if c["code"] == "C02"][0]
    assert c02 == {
        "code": "C02",
        "name": "Đặng Thị Đào",
        "department": "Ban Tuyên giáo",
        "email": None,
        "subject": False,
        "joined": None,
        "left": None,
        "active": True,
    }
    assert "nothing to change" in refused(cli("cadre", "edit", "C02"), 2)
    assert "email 'dao@' is not valid" in refused(cli("cadre", "edit", "C02", "--email", "dao@"), 2)
    assert "no cadre matches 'C09'" in refused(cli("cadre", "edit", "C09", "--name", "X"), 1)


def test_cadre_delete_deactivates_never_erases(seeded, db) -> None:
    cli = seeded
    assert ok(cli("cadre", "delete", "nguyen van an")) == (
        "Deactivated cadre C01 Nguyễn Văn An; 2 visits stay recorded. Undo with: congtac12 cadre restore C01\n"
    )
    # Hidden from the list, the status of all, and the visit list of all...
    assert [c["code"] for c in js(cli("cadre", "list", "--json"))] == ["C02"]
    assert [(c["code"], c["active"]) for c in js(cli("cadre", "list", "--all", "--json"))] == [
        ("C01", False),
        ("C02", True),
    ]
    everyone = js(cli("status", "--as-of", "31/12/2020", "--json"))["cadres"]
    assert [c["code"] for c in everyone] == ["C02"]
    assert js(cli("visits", "--json")) == []
    # ...but there when asked by name, with its visits intact: 2 + 3 = 5 days.
    assert status_of(cli, "C01")["days"] == 5
    assert [v["id"] for v in js(cli("visits", "--cadre", "C01", "--json"))] == [1, 2]
    assert sql(db, "SELECT count(*) FROM cadre WHERE code = 'C01'") == [(1,)]
    # A deactivated cadre takes no visit and no edit; its code stays taken.
    assert "cadre C01 Nguyễn Văn An is deactivated; cannot record visits" in refused(
        cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "01/04/2020", "--kind", "phoi-hop"), 1
    )
    assert "cannot edit" in refused(cli("cadre", "edit", "C01", "--name", "An"), 1)
    assert "already deactivated" in refused(cli("cadre", "delete", "C01"), 1)
    assert "(deactivated; bring it back with 'congtac12 cadre restore C01')" in refused(
        cli("cadre", "add", "--code", "c01", "--name", "Người khác", "--dept", BTC), 1
    )
    assert ok(cli("cadre", "restore", "C01")) == "Restored cadre C01 Nguyễn Văn An.\n"
    assert "is active; nothing to restore" in refused(cli("cadre", "restore", "C01"), 1)
    assert [c["code"] for c in js(cli("status", "--as-of", "31/12/2020", "--json"))["cadres"]] == ["C01", "C02"]


# --- history -----------------------------------------------------------------


def test_every_write_is_recorded_with_who_and_what(seeded, db) -> None:
    USER = user_of(db)
    cli = seeded
    ok(cli("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so", "--parent", "Ba Đình"))
    ok(cli("report", "1", "--on", "11/03/2020", "--text", "Bổ sung", "--replace"))
    refused(
        cli("add-visit", "--cadre", "C09", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"), 1
    )  # refused: recorded nowhere
    assert changes(db) == [
        (1, USER, "cadre.add", None),
        (2, USER, "cadre.add", None),
        (3, USER, "visit.add", None),
        (4, USER, "report.add", None),
        (5, USER, "visit.add", None),
        (6, USER, "unit.add", None),
        (7, USER, "report.replace", None),
    ]
    history = js(cli("history", "--json"))
    assert [h["id"] for h in history] == [7, 6, 5, 4, 3, 2, 1]  # newest first
    replace = history[0]
    assert replace["summary"] == "replaced the report of visit 1, now dated 2020-03-11"
    (item,) = replace["items"]
    assert (item["entity"], item["key"]) == ("report", "1")
    assert (item["before"]["reported_on"], item["before"]["text"]) == ("2020-03-10", "Đã khảo sát")
    assert (item["after"]["reported_on"], item["after"]["text"]) == ("2020-03-11", "Bổ sung")
    assert replace["who"] == USER and replace["at"].endswith("Z")
    added = history[2]
    assert added["summary"] == "added visit 2: C01 at Thị đoàn Sơn Tây, 2020-03-10 to 2020-03-12 (Attending meetings)"
    assert added["items"][0]["before"] is None
    assert added["items"][0]["after"]["kind"] == "sinh-hoat"


def test_history_of_a_visit_and_of_a_cadre(seeded, db) -> None:
    USER = user_of(db)
    cli = seeded
    ok(cli("edit-visit", "2", "--to", "13/03/2020"))
    ok(cli("delete-visit", "1"))
    # Visit 1: added (#3), reported (#4), deleted with its report (#7).
    v1 = js(cli("history", "--visit", "1", "--json"))
    assert [(h["id"], h["action"]) for h in v1] == [(7, "visit.delete"), (4, "report.add"), (3, "visit.add")]
    assert [(i["entity"], i["key"]) for i in v1[0]["items"]] == [("visit", "1"), ("report", "1")]
    # C01: its own add (#1), its visits and their report; not C02's add (#2).
    c01 = js(cli("history", "--cadre", "C01", "--json"))
    assert [h["id"] for h in c01] == [7, 6, 5, 4, 3, 1]
    assert [h["id"] for h in js(cli("history", "--cadre", "dang thi dao", "--json"))] == [2]
    assert [h["id"] for h in js(cli("history", "--limit", "2", "--json"))] == [7, 6]
    text = ok(cli("history", "--visit", "2"))
    lines = text.splitlines()
    assert (
        lines[0].startswith("#6  ") and f"  {USER}  visit edited  edited visit 2: C01 at Thị đoàn Sơn Tây" in lines[0]
    )
    assert lines[1] == "    ~ visit 2: last day: 2020-03-12 → 2020-03-13"
    assert lines[2].startswith("#5  ") and lines[3] == "    + visit 2"
    assert "not both" in refused(cli("history", "--visit", "1", "--cadre", "C01"), 2)


# --- undo --------------------------------------------------------------------


def test_undo_reverts_the_latest_change_and_says_exactly_what(seeded, db, dump) -> None:
    USER = user_of(db)
    cli = seeded
    visit_rows_before = sql(db, "SELECT * FROM visit ORDER BY id")
    ok(cli("edit-visit", "1", "--to", "08/03/2020", "--kind", "kiem-tra"))  # change #6
    out = ok(cli("undo"))
    lines = out.splitlines()
    assert lines[0].startswith("Undid change #6 (visit edited, ")
    assert lines[0].endswith(
        f", by {USER}): edited visit 1: C01 at Quận đoàn Ba Đình, 2020-03-05 to 2020-03-06 (Thematic work)"
    )
    assert lines[1:] == [
        "    ~ visit 1: last day: 2020-03-08 → 2020-03-06",
        "    ~ visit 1: kind: Inspection and supervision → Thematic work",
    ]
    v1 = js(cli("visits", "--json"))[0]
    assert (v1["end"], v1["kind"]) == ("2020-03-06", "chuyen-de")
    # The undo is change #7 and undoes #6; undoing it (#8) redoes the edit.
    assert changes(db)[-1] == (7, USER, "undo", 6)
    assert ok(cli("undo")).startswith("Undid change #7 (undo, ")
    v1 = js(cli("visits", "--json"))[0]
    assert (v1["end"], v1["kind"]) == ("2020-03-08", "kiem-tra")
    assert changes(db)[-1] == (8, USER, "undo", 7)
    # And once more back: the visit rows are as before the edit.
    ok(cli("undo"))
    assert sql(db, "SELECT * FROM visit ORDER BY id") == visit_rows_before


def test_undo_of_adds_removes_them_and_brings_them_back(seeded, db) -> None:
    cli = seeded
    out = ok(cli("undo"))  # #5: the add of visit 2
    assert out.splitlines()[1:] == ["    - visit 2"]
    assert [v["id"] for v in js(cli("visits", "--json"))] == [1]
    out = ok(cli("undo"))  # the undo of that: visit 2 comes back with its id and fields
    assert out.splitlines()[1:] == ["    + visit 2"]
    v2 = js(cli("visits", "--json"))[1]
    assert (v2["id"], v2["unit"], v2["start"], v2["end"], v2["kind"]) == (
        2,
        "Thị đoàn Sơn Tây",
        "2020-03-10",
        "2020-03-12",
        "sinh-hoat",
    )
    assert ok(cli("db", "check")).startswith("✓")


def test_undo_of_a_deletion_brings_back_the_visit_and_its_report(seeded) -> None:
    cli = seeded
    ok(cli("delete-visit", "1"))
    ok(cli("undo"))
    v1 = js(cli("visits", "--json"))[0]
    assert (v1["id"], v1["reported_on"]) == (1, "2020-03-10")


def test_undo_of_an_older_change_only_when_nothing_later_touched_it(seeded, db, dump) -> None:
    cli = seeded
    ok(cli("edit-visit", "2", "--topic", "Sinh hoạt chuyên đề"))  # #6
    ok(cli("edit-visit", "2", "--topic", "Sinh hoạt chi đoàn"))  # #7
    ok(cli("cadre", "edit", "C02", "--dept", "Ban Tuyên giáo"))  # #8
    snapshot = dump()
    # #6 touched visit 2, which #7 changed again: refused, nothing written.
    assert refused(cli("undo", "6"), 1) == (
        'Error: visit 2 has changed since change #6 by change #7 (topic is "Sinh hoạt chi đoàn", '
        'the change left "Sinh hoạt chuyên đề"); undo the later change first\n'
    )
    assert dump() == snapshot
    # #7 is the newest change to visit 2 (#8 is about C02): it can be undone.
    ok(cli("undo", "7"))
    assert js(cli("visits", "--json"))[1]["topic"] == "Sinh hoạt chuyên đề"
    assert [c["department"] for c in js(cli("cadre", "list", "--json")) if c["code"] == "C02"] == ["Ban Tuyên giáo"]
    # An add whose record has dependants cannot be undone on its own: visit 1 has its report (#4).
    snapshot = dump()
    assert refused(cli("undo", "3"), 1) == (
        "Error: undoing change #3 would leave report 1 without its visit; undo the later change that added it first\n"
    )
    assert dump() == snapshot
    assert "no change #99" in refused(cli("undo", "99"), 1)


def test_undo_with_no_history(cli) -> None:
    assert refused(cli("undo"), 1) == "Error: nothing to undo: no change has been recorded\n"


# --- NFC ---------------------------------------------------------------------


def test_names_typed_decomposed_are_stored_composed_and_are_the_same_name(cli) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert nfd != "Nguyễn Văn An"
    ok(cli("cadre", "add", "--code", "C01", "--name", nfd, "--dept", unicodedata.normalize("NFD", BTC)))
    c = js(cli("cadre", "list", "--json"))[0]
    assert (c["name"], c["department"]) == ("Nguyễn Văn An", BTC)
    # A unit typed both ways is one unit.
    ok(cli("unit", "add", "--name", "Đoàn phường Phúc Xá", "--level", "co-so"))
    msg = refused(
        cli("unit", "add", "--name", unicodedata.normalize("NFD", "Đoàn phường Phúc Xá"), "--level", "co-so"), 1
    )
    assert "already exists" in msg
    ok(
        cli(
            "add-visit",
            "--cadre",
            nfd,
            "--unit",
            unicodedata.normalize("NFD", "Phúc Xá"),
            "--from",
            "05/03/2020",
            "--kind",
            "phoi-hop",
            "--topic",
            unicodedata.normalize("NFD", "Tháng Thanh niên"),
        )
    )
    v = js(cli("visits", "--json"))[0]
    assert (v["cadre"], v["unit"], v["topic"]) == ("C01", "Đoàn phường Phúc Xá", "Tháng Thanh niên")
