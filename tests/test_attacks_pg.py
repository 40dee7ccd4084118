"""Attacks on organisation mode by a real client (issue 15): each logs in with psycopg directly,
no program code, as a cadre (and, where it matters, as an administrator), tries what the issue
found possible, and must be refused, with the database's rows unchanged.

The scenario is test_org's (AN is C01's login, BINH C02's, ADM an administrator): visit 1 is
AN's, visits 2 (reported on 10/03/2020: report 1), 3 (deleted) and 4 are BINH's, leave 1 is
BINH's and the latest change.
"""

from __future__ import annotations

import json
import time

import psycopg
import pytest
from pg_server import PgServer
from test_org import Org, build, ok, org_copy, org_template, refused

DENIED = psycopg.errors.InsufficientPrivilege


@pytest.fixture(scope="module")
def template(pg: PgServer):
    yield from org_template(pg, build)


@pytest.fixture
def org(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    return org_copy(pg, template, monkeypatch, request)


def connect(org: Org, who: str, **kw) -> psycopg.Connection:
    return psycopg.connect(org.url(who), autocommit=True, **kw)


def attempt(
    con: psycopg.Connection, statement: str, params: tuple = (), *, error=DENIED, match: str = "permission denied"
) -> None:
    with pytest.raises(error, match=match):
        con.execute(statement, params)  # type: ignore[arg-type]


def history(org: Org, who: str = "adm", *args: str) -> list[dict]:
    return json.loads(ok(org.run(who, "history", "--json", *args)).stdout)


# --- forged history ---------------------------------------------------------------


def test_a_forged_change_cannot_be_written_so_an_undo_cannot_apply_it(org: Org) -> None:
    before = org.dump()
    with connect(org, "an") as con:
        # The attack of the issue: a change about BINH's visit 2 with a made-up "before", then admin's undo.
        attempt(
            con,
            "INSERT INTO change (at, who, action, summary) VALUES (now(), 'x', 'visit.edit', 'x')",
            match="permission denied for table change",
        )
        [(theirs,)] = con.execute("SELECT max(id) FROM change").fetchall()
        attempt(
            con,
            "INSERT INTO change_item (change_id, entity, entity_key, before, after) VALUES (%s, 'visit', '2', %s, %s)",
            (theirs, json.dumps({"start": "2021-01-01"}), json.dumps({"start": "2020-03-04"})),
            match="permission denied for table change_item",
        )
        for statement in ("UPDATE change SET who = 'x'", "DELETE FROM change_item", "TRUNCATE change CASCADE"):
            attempt(con, statement, match="permission denied")
        # Nor the database's own bookkeeping, nor the functions that write it.
        attempt(con, "INSERT INTO congtac12_change_tx VALUES (pg_current_xact_id(), 1)", match="permission denied")
        attempt(con, "SELECT congtac12_audit()", match="permission denied for function congtac12_audit")
        # Naming a change: only this transaction's own, and there is none here.
        assert con.execute("SELECT congtac12_describe('visit.edit', 'forged', NULL)").fetchone() == (None,)
    with connect(org, "adm") as con:  # an administrator cannot write history either
        attempt(con, "INSERT INTO change (at, who, action, summary) VALUES (now(), 'x', 'x', 'x')")
        attempt(con, "DELETE FROM change WHERE id = 1")
    assert org.dump() == before
    # The administrator's undo takes back the real latest change (BINH's leave), nothing forged.
    ok(org.run("adm", "undo"))
    assert org.rows("SELECT start FROM visit WHERE id = 2")[0][0].isoformat() == "2020-03-04"
    assert org.rows("SELECT count(*) FROM leave") == [(0,)]


def test_undo_applies_only_what_the_triggers_wrote(org: Org) -> None:
    """A change in the table that the triggers did not write (written by an older congtac12, when
    logins could insert history, or forged then) is history to read, not to undo."""
    [(last,)] = org.rows("SELECT max(id) FROM change")
    forged = org.rows(
        "INSERT INTO change (at, who, action, summary) VALUES (now(), 'old', 'visit.edit', 'x') RETURNING id"
    )[0][0]
    [(now,)] = org.rows(
        "SELECT after FROM change_item WHERE entity = 'visit' AND entity_key = '2' ORDER BY id DESC LIMIT 1"
    )
    row = json.loads(now)  # visit 2 as it is
    made_up = {**row, "start": "2021-01-04", "end": "2021-01-04"}
    org.rows(
        "INSERT INTO change_item (change_id, entity, entity_key, before, after) VALUES (%s, 'visit', '2', %s, %s)",
        (forged, json.dumps(made_up), json.dumps(row)),
    )
    before = org.dump()
    refused(org.run("adm", "undo", str(forged)), f"change #{forged} was not recorded by this database's history")
    refused(org.run("adm", "undo"), f"change #{forged} was not recorded")
    assert org.dump() == before
    ok(org.run("adm", "undo", str(last)))  # the triggers wrote this one


def test_undo_refuses_a_row_that_no_longer_holds_the_changes_after(org: Org) -> None:
    ok(org.run("binh", "edit-visit", "4", "--topic", "Chuyên đề"))
    [(edit,)] = org.rows("SELECT max(id) FROM change")
    with connect(org, "binh") as con:  # BINH's own row, through psql: allowed, and recorded
        assert con.execute("UPDATE visit SET topic = 'Qua psql' WHERE id = 4").rowcount == 1
    before = org.dump()
    line = refused(org.run("adm", "undo", str(edit)), "visit 4 has changed since change", f"by change #{edit + 1}")
    assert 'topic is "Qua psql", the change left "Chuyên đề"' in line
    assert org.dump() == before


# --- writes around the program are recorded ------------------------------------------


def test_an_update_through_psql_is_in_the_history_and_undoable(org: Org) -> None:
    with connect(org, "an") as con:  # BINH's report: not AN's to change
        assert con.execute("UPDATE report SET reported_on = '2020-03-05' WHERE visit_id = 2").rowcount == 0
    with connect(org, "binh") as con:  # its own late report made on time: allowed for its own rows...
        assert con.execute("UPDATE report SET reported_on = '2020-03-05' WHERE visit_id = 2").rowcount == 1
    # ...but not without a trace: the database wrote the change, naming the login.
    latest = history(org, "adm", "--visit", "2", "--limit", "1")[0]
    assert (latest["who"], latest["action"], latest["summary"]) == (
        org.logins["binh"],
        "sql",
        "changed outside congtac12",
    )
    [item] = latest["items"]
    assert (item["entity"], item["before"]["reported_on"], item["after"]["reported_on"]) == (
        "report",
        "2020-03-10",
        "2020-03-05",
    )
    assert ok(org.run("adm", "db", "check")).code == 0
    ok(org.run("adm", "undo", str(latest["id"])))  # the department takes it back
    assert org.rows("SELECT reported_on FROM report WHERE visit_id = 2")[0][0].isoformat() == "2020-03-10"


def test_two_statements_in_one_transaction_are_one_change(org: Org) -> None:
    [(last,)] = org.rows("SELECT max(id) FROM change")
    with psycopg.connect(org.url("an")) as con:
        con.execute("UPDATE visit SET topic = 'Một' WHERE id = 1")
        con.execute("UPDATE visit SET topic = 'Hai' WHERE id = 1")
        con.execute("UPDATE visit SET order_no = '12/CL' WHERE id = 1")
    with psycopg.connect(org.url("an")) as con:  # back and forth: no change at all
        con.execute("UPDATE visit SET topic = 'x' WHERE id = 1")
        con.execute("UPDATE visit SET topic = 'Hai' WHERE id = 1")
    rows = org.rows("SELECT id, who FROM change WHERE id > %s", (last,))
    assert rows == [(last + 1, org.logins["an"])]
    [item] = org.rows(
        "SELECT entity, entity_key, before::jsonb ->> 'topic', after::jsonb FROM change_item WHERE change_id = %s",
        (last + 1,),
    )
    assert item[:3] == ("visit", "1", "Khảo sát") and (item[3]["topic"], item[3]["order_no"]) == ("Hai", "12/CL")


# --- reminders ---------------------------------------------------------------------


def test_a_cadre_cannot_forge_or_remove_reminder_records(org: Org, smtp_server, monkeypatch) -> None:
    insert = (
        "INSERT INTO reminder_sent (visit_id, state, sent_on, channel, recipient, sent_at) "
        "VALUES (%s, 'overdue', '2020-03-25', %s, %s, now())"
    )
    with connect(org, "an") as con:
        # Another cadre's: refused, to the cadre or to the digest.
        attempt(con, insert, (4, "cadre", "binh.tt@example.vn"), match="row-level security")
        attempt(con, insert, (4, "digest", "btc@thanhdoan.example"), match="row-level security")
        # Its own, to silence the department's digest: refused too.
        attempt(con, insert, (1, "digest", "btc@thanhdoan.example"), match="row-level security")
        attempt(con, insert, (1, "cadre", "someone@example.vn"), match="row-level security")
        attempt(con, insert, (1, "digest", "an.nv@example.vn"), match="row-level security")
        # Its own reminder to itself: allowed (it silences nobody but itself)...
        con.execute(insert, (1, "cadre", "an.nv@example.vn"))
        # ...and no reminder record can be removed or changed.
        attempt(con, "DELETE FROM reminder_sent", match="permission denied")
        attempt(con, "UPDATE reminder_sent SET sent_on = '2020-03-26'", match="permission denied")
        attempt(con, "TRUNCATE reminder_sent", match="permission denied")
    with connect(org, "adm") as con:
        attempt(con, "DELETE FROM reminder_sent", match="permission denied")
    # The digest still lists AN's overdue visit.
    server = smtp_server()
    monkeypatch.setenv("CONGTAC12_SMTP_URL", server.url())
    monkeypatch.setenv("CONGTAC12_MAIL_FROM", "btc@thanhdoan.example")
    ok(org.run("adm", "remind", "--email", "--as-of", "25/03/2020", "--summary-to", "btc@thanhdoan.example"))
    digest = [m for m in server.received if m.rcpt_tos == ["btc@thanhdoan.example"]]
    assert len(digest) == 1 and "C01" in digest[0].body
    assert sorted(m.rcpt_tos[0] for m in server.received) == ["binh.tt@example.vn", "btc@thanhdoan.example"]


# --- the search path -------------------------------------------------------------------


SHADOWS = [
    "CREATE TEMP TABLE pg_class (oid oid, relowner oid, relname name)",
    "CREATE TEMP TABLE change (id int, at timestamp, who text, action text, summary text, undoes int)",
    "CREATE TEMP TABLE change_item (id int, change_id int, entity text, entity_key text, before text, after text)",
    "CREATE TEMP TABLE congtac12_change_tx (txid xid8, change_id int)",
    "CREATE TEMP TABLE org_login (login text, cadre_id int, admin boolean)",
    "CREATE TEMP TABLE visit (id int, cadre_id int)",
]


@pytest.mark.parametrize("who", ["an", "adm"])
def test_temporary_tables_cannot_shadow_what_the_triggers_use(org: Org, who: str) -> None:
    [(last,)] = org.rows("SELECT max(id) FROM change")
    with psycopg.connect(org.url(who)) as con:
        for statement in SHADOWS:
            con.execute(statement)
        # The login tied to BINH's cadre in a shadow org_login; a shadow pg_class that names it owner.
        con.execute("INSERT INTO pg_temp.org_login VALUES (session_user, 2, true)")
        con.execute(
            "INSERT INTO pg_temp.pg_class SELECT oid, (SELECT oid FROM pg_roles WHERE rolname = session_user), "
            "relname FROM pg_catalog.pg_class"
        )
        con.execute("SET search_path = pg_temp, public, pg_catalog")
        assert con.execute("UPDATE public.visit SET topic = 'Của An' WHERE id = 1").rowcount == 1
        assert con.execute("SELECT count(*) FROM pg_temp.change_item").fetchone() == (0,)
        con.commit()
        if who == "an":  # BINH's visit is still not AN's
            assert con.execute("UPDATE public.visit SET topic = 'x' WHERE id = 2").rowcount == 0
            attempt(con, "SELECT public.congtac12_delete_own('visit', 2)", match="is not this login's cadre's")
            con.rollback()
    # The database wrote the change, in the real tables, naming the real login.
    assert org.rows("SELECT who, action FROM change WHERE id > %s", (last,)) == [(org.logins[who], "sql")]
    assert org.rows("SELECT topic FROM visit WHERE id IN (1, 2) ORDER BY id") == [("Của An",), ("Khảo sát",)]


# --- nobody blocks everyone --------------------------------------------------------------


def test_a_cadre_cannot_lock_a_table(org: Org) -> None:
    with connect(org, "an") as con:
        for table in ("visit", "report", "leave", "reminder_sent", "cadre", "unit", "change", "change_item"):
            for mode in ("ACCESS EXCLUSIVE", "EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE"):
                with con.transaction():
                    attempt(con, f"LOCK TABLE {table} IN {mode} MODE", match="permission denied")
                    raise psycopg.Rollback
        # What INSERT allows (ROW EXCLUSIVE) blocks neither readers nor writers: held while BINH works.
        with con.transaction():
            con.execute("LOCK TABLE visit IN ROW EXCLUSIVE MODE")
            con.execute("LOCK TABLE report IN ROW EXCLUSIVE MODE")
            began = time.monotonic()
            ok(org.run("binh", "status", "--as-of", "31/03/2020"))
            ok(org.run("binh", "edit-visit", "4", "--topic", "Vẫn ghi được"))
            assert time.monotonic() - began < 20
    # Another cadre's rows cannot even be locked (FOR UPDATE needs the UPDATE policy).
    with psycopg.connect(org.url("an")) as con:
        assert con.execute("SELECT id FROM visit FOR UPDATE").fetchall() == [(1,)]


def test_a_long_transaction_fails_another_command_in_one_line_not_a_hang(org: Org, monkeypatch) -> None:
    monkeypatch.setenv("CONGTAC12_BUSY_TIMEOUT_MS", "1500")
    before = org.dump()
    with psycopg.connect(org.url("binh")) as con:
        con.execute("UPDATE visit SET topic = 'Giữ khóa' WHERE id = 4")  # a row lock, held: never committed
        began = time.monotonic()
        refused(org.run("adm", "edit-visit", "4", "--topic", "Sửa"), "is locked by another program for more than 1.5 s")
        assert time.monotonic() - began < 15
        # Readers do not wait, nor do writers of other rows.
        ok(org.run("an", "status", "--as-of", "31/03/2020"))
        ok(org.run("an", "visits", "--cadre", "C02"))
        ok(org.run("adm", "edit-visit", "2", "--topic", "Dòng khác"))
        # The statement timeout, when the lock wait is longer than it.
        monkeypatch.setenv("CONGTAC12_BUSY_TIMEOUT_MS", "60000")
        monkeypatch.setenv("CONGTAC12_STATEMENT_TIMEOUT_MS", "1500")
        began = time.monotonic()
        refused(org.run("adm", "edit-visit", "4", "--topic", "Sửa"), "ran for more than 1.5 s and was stopped")
        assert time.monotonic() - began < 15
        con.rollback()
    assert org.rows("SELECT topic FROM visit WHERE id = 4") == [("Khảo sát",)]
    assert org.dump() != before  # visit 2's edit went through


def test_a_held_writers_lock_fails_writers_in_one_line_and_no_reader(org: Org, monkeypatch) -> None:
    """Writers of congtac12 queue on one advisory lock, which any login can take (PostgreSQL lets
    every role call pg_advisory_lock): the queue then fails each writer in one line, within the
    timeout, and readers go on."""
    from congtac12.store.postgres import WRITE_LOCK

    monkeypatch.setenv("CONGTAC12_BUSY_TIMEOUT_MS", "1500")
    before = org.dump()
    with connect(org, "an") as con:
        con.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
        began = time.monotonic()
        refused(org.run("binh", "edit-visit", "4", "--topic", "Sửa"), "is locked by another program for more than")
        assert time.monotonic() - began < 15
        ok(org.run("binh", "status", "--as-of", "31/03/2020"))
    assert org.dump() == before


def test_a_visit_dated_at_the_end_of_the_calendar_crashes_no_reader(org: Org) -> None:
    with connect(org, "an") as con:
        try:
            con.execute("UPDATE visit SET start = '9999-12-25', \"end\" = '9999-12-25' WHERE id = 1")
        except psycopg.errors.CheckViolation:
            pass  # refused by the schema's year bounds: nothing to read
    for args in (("visits",), ("visits", "--json"), ("status", "--as-of", "31/03/2020"), ("reports",), ("history",)):
        run = org.run("binh", *args)
        assert run.crash is None and (run.code == 0 or "\n" not in run.stderr.strip()), run


# --- an organisation database set up by an older congtac12 ------------------------------------


def test_org_init_brings_an_older_organisation_database_to_these_guarantees(org: Org) -> None:
    # As an older org init left it: no history triggers, history and deletes granted to cadres.
    for table in ("cadre", "unit", "visit", "report", "setting", "leave"):
        org.rows(f'DROP TRIGGER congtac12_audit ON "{table}"')
    org.rows("DROP FUNCTION congtac12_describe(text, text, integer)")
    org.rows("GRANT INSERT ON change, change_item TO congtac12_cadre")
    org.rows("GRANT UPDATE, DELETE ON visit, report, leave, reminder_sent TO congtac12_cadre")
    [(last,)] = org.rows("SELECT max(id) FROM change")
    # Until then the program still records its changes itself...
    ok(org.run("an", "edit-visit", "1", "--topic", "Trước khi nâng cấp"))
    assert org.rows("SELECT who, action FROM change WHERE id > %s", (last,)) == [(org.logins["an"], "visit.edit")]
    # ...and the owner's org init sets the database up again.
    ok(org.run("owner", "org", "init"))
    with connect(org, "an") as con:
        attempt(con, "INSERT INTO change (at, who, action, summary) VALUES (now(), 'x', 'x', 'x')")
        with con.transaction():
            attempt(con, "LOCK TABLE visit IN ACCESS EXCLUSIVE MODE")
            raise psycopg.Rollback
        attempt(con, "DELETE FROM reminder_sent")
        assert con.execute("UPDATE visit SET topic = 'Sau khi nâng cấp' WHERE id = 1").rowcount == 1
    assert org.rows("SELECT who, action FROM change WHERE id > %s ORDER BY id", (last,)) == [
        (org.logins["an"], "visit.edit"),
        (org.logins["an"], "sql"),
    ]
    # The change the program wrote before the upgrade is history to read, not to undo.
    refused(org.run("adm", "undo", str(last + 1)), f"change #{last + 1} was not recorded by this database's")
    ok(org.run("adm", "undo"))  # the one the triggers wrote


def test_a_cadre_deletes_its_own_rows_through_the_database_function(org: Org) -> None:
    """With no DELETE grant, a cadre's own deletes (leave delete, an undo of its own add) still work."""
    ok(
        org.run(
            "an", "leave", "add", "--cadre", "C01", "--from", "01/07/2020", "--to", "02/07/2020", "--reason", "khac"
        )
    )
    [(leave,)] = org.rows("SELECT max(id) FROM leave")
    ok(org.run("an", "leave", "delete", str(leave)))
    ok(org.run("an", "report", "1", "--on", "09/03/2020", "--text", "Báo cáo"))
    ok(org.run("an", "undo"))  # the report goes: a delete of its own report
    assert org.rows("SELECT count(*) FROM report r JOIN visit v ON v.id = r.visit_id WHERE v.cadre_id = 1") == [(0,)]
    visit = ("--unit", "Tây Hồ", "--from", "12/03/2020", "--to", "12/03/2020", "--kind", "kiem-tra")
    ok(org.run("an", "add-visit", "--cadre", "C01", *visit))
    ok(org.run("an", "undo"))  # the visit goes
    assert org.rows("SELECT id FROM visit WHERE cadre_id = 1") == [(1,)]
    actions = [(h["who"], h["action"]) for h in history(org)[:6]]
    an = org.logins["an"]
    assert actions == [
        (an, "undo"),
        (an, "visit.add"),
        (an, "undo"),
        (an, "report.add"),
        (an, "leave.delete"),
        (an, "leave.add"),
    ]
    ok(org.run("an", "undo"))  # and back: an undo of an undo is a change like any other
    assert org.rows("SELECT count(*) FROM visit WHERE cadre_id = 1") == [(2,)]


def test_db_upgrade_sets_the_history_triggers_up_too(org: Org) -> None:
    org.rows("DROP TRIGGER congtac12_audit ON visit")
    ok(org.run("owner", "db", "upgrade"))
    from congtac12.store.audit import AUDITED

    assert len(AUDITED) == 7  # cadre, unit, visit, report, setting, leave and plan: one trigger each
    assert org.rows("SELECT count(*) FROM pg_trigger WHERE tgname = 'congtac12_audit' AND NOT tgisinternal") == [
        (len(AUDITED),)
    ]
    [(last,)] = org.rows("SELECT max(id) FROM change")
    with connect(org, "an") as con:
        con.execute("UPDATE visit SET topic = 'Ghi lại' WHERE id = 1")
    assert org.rows("SELECT who, action FROM change WHERE id > %s", (last,)) == [(org.logins["an"], "sql")]


def test_the_triggers_write_time_stamps_as_the_program_does(org: Org) -> None:
    """As ``audit.row_of`` on SQLite: "2020-03-04 10:00:00", microseconds only when there are any."""
    import re

    ok(org.run("binh", "delete-visit", "4"))
    with connect(org, "binh") as con:
        con.execute("UPDATE visit SET deleted_at = '2020-03-05 06:07:08.25' WHERE id = 4")
    deleted, psql = history(org, "adm", "--visit", "4", "--limit", "2")[::-1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", deleted["items"][0]["after"]["deleted_at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", deleted["items"][0]["after"]["created_at"])
    assert psql["items"][0]["after"]["deleted_at"] == "2020-03-05 06:07:08.250000"
    ok(org.run("adm", "undo"))  # the row equals the "after": the stamps compare as written
    ok(org.run("adm", "undo"))  # and the undo of that undo, too
