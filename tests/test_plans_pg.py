"""Plans (đăng ký) in organisation mode, on a real PostgreSQL server: a cadre's login adds,
submits and deletes only its own plans and approves none; the administrator approves and
returns. Refused by the command first, and by the database itself (row-level security and
the ``plan_rights`` trigger) through a raw psycopg connection logged in as the cadre.

The scenario is test_org's (AN is C01's login, BINH C02's, ADM an administrator), with
plans: 1 AN's draft, 2 AN's submitted, 3 BINH's submitted, 4 AN's approved.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from pg_server import PgServer
from test_org import Org, build, ok, org_copy, org_template, refused

DENIED = psycopg.errors.InsufficientPrivilege
TRIP = ("--unit", "Ba Đình", "--from", "10/11/2020", "--to", "12/11/2020", "--kind", "sinh-hoat")


def build_plans(org: Org) -> None:
    build(org)
    ok(org.run("an", "plan", "add", "--cadre", "C01", *TRIP))  # 1
    ok(
        org.run(
            "an",
            "plan",
            "add",
            "--cadre",
            "C01",
            "--unit",
            "Gia Lâm",
            "--month",
            "12/2020",
            "--days",
            "2",
            "--kind",
            "chuyen-de",
        )
    )  # 2
    ok(org.run("binh", "plan", "add", "--cadre", "C02", *TRIP))  # 3
    ok(
        org.run(
            "an", "plan", "add", "--cadre", "C01", "--unit", "Đống Đa", "--from", "20/11/2020", "--kind", "phoi-hop"
        )
    )  # 4
    ok(org.run("an", "plan", "submit", "2", "4"))
    ok(org.run("binh", "plan", "submit", "3"))
    ok(org.run("adm", "plan", "approve", "4", "--by", "Văn phòng"))


@pytest.fixture(scope="module")
def template(pg: PgServer):
    yield from org_template(pg, build_plans)


@pytest.fixture
def org(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    return org_copy(pg, template, monkeypatch, request)


def states(org: Org) -> dict[int, str]:
    return dict(org.rows("SELECT id, state FROM plan ORDER BY id"))


def test_the_scenario_stands(org: Org) -> None:
    assert states(org) == {1: "draft", 2: "submitted", 3: "submitted", 4: "approved"}


def test_a_cadre_login_is_refused_by_the_command(org: Org) -> None:
    before = org.dump()
    refused(org.run("an", "plan", "add", "--cadre", "C02", *TRIP), "the new plan is C02's", "only C01's records")
    refused(org.run("an", "plan", "submit", "3"), "plan 3 is C02's")
    refused(org.run("an", "plan", "approve", "2"), "plan approvals may be changed only by an administrator login")
    refused(org.run("an", "plan", "return", "2", "--reason", "Không"), "only by an administrator login")
    refused(org.run("binh", "plan", "delete", "1"), "plan 1 is C01's")
    refused(org.run("binh", "add-visit", "--plan", "4"), "the new visit is C01's")  # the plan's cadre by default
    refused(org.run("binh", "add-visit", "--plan", "4", "--cadre", "C02"), "plan 4 is C01's (Nguyễn Văn An), not C02's")
    assert org.dump() == before


def test_the_administrator_approves_and_returns_and_the_cadre_carries_out(org: Org) -> None:
    ok(org.run("adm", "plan", "approve", "2", "--by", "Văn phòng"))
    ok(org.run("adm", "plan", "return", "3", "--reason", "Trùng lịch"))
    assert states(org) == {1: "draft", 2: "approved", 3: "returned", 4: "approved"}
    ok(org.run("binh", "plan", "submit", "3"))  # a returned plan, sent again by its cadre
    ok(org.run("an", "plan", "delete", "1"))  # its own draft
    run = ok(org.run("an", "add-visit", "--plan", "4"))  # the visit links the approved plan
    assert "It fulfils plan 4 (now done)." in run.stdout
    assert org.rows(
        "SELECT p.visit_id = v.id FROM plan p JOIN visit v ON v.cadre_id = p.cadre_id WHERE p.id = 4 AND v.start = '2020-11-20'"
    ) == [(True,)]
    assert states(org) == {2: "approved", 3: "submitted", 4: "approved"}


ATTACKS = [
    # (who, statement, error, message) — each through a raw connection, no program code
    (
        "an",
        "UPDATE plan SET state = 'approved', decided_by = 'an', decided_at = now() WHERE id = 2",
        DENIED,
        "only an administrator login approves",
    ),
    (
        "an",
        "UPDATE plan SET state = 'returned', reason = 'x', decided_by = 'an', decided_at = now() WHERE id = 2",
        DENIED,
        "only an administrator login",
    ),
    (
        "an",
        "UPDATE plan SET \"end\" = '2020-11-30' WHERE id = 4",
        DENIED,
        "an approved plan is changed only by an administrator",
    ),
    ("an", "UPDATE plan SET state = 'draft' WHERE id = 4", DENIED, "an approved plan is changed only"),
    ("an", "UPDATE plan SET days = 1 WHERE id = 2", DENIED, "a submitted plan awaits the decision"),
    (
        "an",
        'INSERT INTO plan (cadre_id, unit_id, start, "end", kind, state, decided_by, created_at) '
        "VALUES (1, 1, '2020-11-01', '2020-11-02', 'phoi-hop', 'approved', 'an', now())",
        DENIED,
        "only an administrator login approves",
    ),
    (
        "an",
        'INSERT INTO plan (cadre_id, unit_id, start, "end", kind, state, created_at) '
        "VALUES (2, 1, '2020-11-01', '2020-11-02', 'phoi-hop', 'draft', now())",
        DENIED,
        "row-level security",
    ),
    ("an", "DELETE FROM plan WHERE id = 1", DENIED, "permission denied"),
    ("an", "SELECT congtac12_delete_own('plan', 3)", DENIED, "plan 3 is not this login's cadre's"),
    # Its own plans sent to the office: the true reason (schema 8), as the command gives it.
    ("an", "SELECT congtac12_delete_own('plan', 2)", DENIED, "plan 2 is in state submitted; only a draft plan can be"),
    ("an", "SELECT congtac12_delete_own('plan', 4)", DENIED, "plan 4 is in state approved; only a draft plan can be"),
    ("binh", "SELECT congtac12_delete_own('plan', 2)", DENIED, "plan 2 is not this login's cadre's"),  # no state told
    ("an", "SELECT congtac12_delete_own('plan', 99)", DENIED, "plan 99 is not this login's cadre's"),
    ("binh", "UPDATE plan SET state = 'submitted' WHERE id = 1", None, None),  # RLS: another's row is not there
]


@pytest.mark.parametrize(("who", "statement", "error", "message"), ATTACKS, ids=[str(i) for i in range(len(ATTACKS))])
def test_the_database_refuses_a_cadre_login_written_around_congtac12(org: Org, who, statement, error, message) -> None:
    before = states(org), org.rows("SELECT count(*) FROM plan")
    with psycopg.connect(org.url(who), autocommit=True) as con:
        if error is None:
            assert con.execute(statement).rowcount == 0
        else:
            with pytest.raises(error, match=message):
                con.execute(statement)
    assert (states(org), org.rows("SELECT count(*) FROM plan")) == before


def test_the_administrator_may_approve_through_a_raw_connection(org: Org) -> None:
    with psycopg.connect(org.url("adm"), autocommit=True) as con:
        con.execute("UPDATE plan SET state = 'approved', decided_by = 'Văn phòng', decided_at = now() WHERE id = 2")
    assert states(org)[2] == "approved"


def test_a_cadre_undoes_only_what_it_may(org: Org) -> None:
    """Undoing the approval (the administrator's change) is refused for AN; its own delete it undoes."""
    before = org.dump()
    refused(org.run("an", "undo"), "may be changed only by an administrator login")  # the latest: an approval
    assert org.dump() == before
    ok(org.run("an", "plan", "delete", "1"))
    ok(org.run("an", "undo"))
    assert states(org)[1] == "draft"


# --- remind: a cadre login cannot silence its plan reminders -------------------------------

SILENCERS = [
    # (statement, error, message): AN trying to make its missed plan 4 (20/11/2020) go quiet
    ("UPDATE plan SET visit_id = 2 WHERE id = 4", psycopg.errors.CheckViolation, "plan-visit-of-another-cadre"),
    ("UPDATE plan SET state = 'draft' WHERE id = 4", DENIED, "an approved plan is changed only"),
    ("UPDATE plan SET \"end\" = '2020-12-31' WHERE id = 4", DENIED, "an approved plan is changed only"),
    ("SELECT congtac12_delete_own('plan', 4)", DENIED, "plan 4 is in state approved; only a draft plan can be"),
    ("DELETE FROM plan WHERE id = 4", DENIED, "permission denied"),
    # and the department's list of plans awaiting approval: plan 2 stays submitted
    ("UPDATE plan SET state = 'draft' WHERE id = 2", DENIED, "a submitted plan awaits the decision"),
    (
        "INSERT INTO reminder_sent (visit_id, state, sent_on, channel, recipient, sent_at) "
        "VALUES (1, 'missed', '2020-12-01', 'digest', 'btc@thanhdoan.example', now())",
        DENIED,
        "row-level security",
    ),
]


def plan_notes(org: Org, who: str) -> tuple[list, list]:
    import json

    doc = json.loads(ok(org.run(who, "remind", "--as-of", "01/12/2020", "--json")).stdout)["plans"]
    return (
        [(r["plan_id"], r["state"], r["days"]) for r in doc["reminders"]],
        [r["plan_id"] for r in doc["awaiting_approval"]],
    )


def test_a_cadre_login_cannot_silence_plan_reminders(org: Org) -> None:
    """As of 01/12/2020 plan 4 (AN's, 20/11, approved, no visit) is missed: 20/11 + 10 = 30/11 was the
    window's last day, 11 days after its last day; plans 2 and 3 await approval. AN, through a
    raw connection, can neither fulfil plan 4 with BINH's visit (a schema rule) nor change, withdraw or delete it,
    nor record a digest; every login's remind still says so. Linking its own visit (what add-visit
    --plan does) is allowed."""
    expected = ([(4, "missed", 11)], [3, 2])  # by first day: plan 3 on 10/11, plan 2 in December
    assert plan_notes(org, "adm") == expected
    before = org.dump()
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        for statement, error, message in SILENCERS:
            with pytest.raises(error, match=message):
                con.execute(statement)
    assert org.dump() == before
    assert plan_notes(org, "an") == plan_notes(org, "binh") == plan_notes(org, "adm") == expected
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        con.execute("UPDATE plan SET visit_id = 1 WHERE id = 4")  # its own visit: the plan is done
    assert plan_notes(org, "adm") == ([], [3, 2])


# (login, statement, error, message): a plan's reminder (schema 6) recorded around congtac12
PLAN_REMINDERS = [
    (  # BINH's plan 3, recorded by AN
        "INSERT INTO reminder_sent (plan_id, state, sent_on, channel, recipient, sent_at) "
        "VALUES (3, 'starts_soon', '2020-12-01', 'cadre', 'an.nv@example.vn', now())",
        DENIED,
        "row-level security",
    ),
    (  # its own plan, to another address
        "INSERT INTO reminder_sent (plan_id, state, sent_on, channel, recipient, sent_at) "
        "VALUES (4, 'missed', '2020-12-01', 'cadre', 'binh.tt@example.vn', now())",
        DENIED,
        "row-level security",
    ),
    (  # the department's digest of the plans awaiting approval
        "INSERT INTO reminder_sent (plan_id, state, sent_on, channel, recipient, sent_at) "
        "VALUES (2, 'submitted', '2020-12-01', 'digest', 'btc@thanhdoan.example', now())",
        DENIED,
        "row-level security",
    ),
    (  # of both its visit and its plan: the CHECK
        "INSERT INTO reminder_sent (visit_id, plan_id, state, sent_on, channel, recipient, sent_at) "
        "VALUES (1, 4, 'missed', '2020-12-01', 'cadre', 'an.nv@example.vn', now())",
        psycopg.errors.CheckViolation,
        "ck_reminder_of_one",
    ),
    (  # of neither
        "INSERT INTO reminder_sent (state, sent_on, channel, recipient, sent_at) "
        "VALUES ('missed', '2020-12-01', 'cadre', 'an.nv@example.vn', now())",
        DENIED,
        "row-level security",
    ),
    ("DELETE FROM reminder_sent", DENIED, "permission denied"),
]


def test_a_cadre_records_only_its_own_plans_reminders_to_itself(org: Org, smtp_server, monkeypatch) -> None:
    """AN's run as of 01/12/2020 mails AN its missed plan 4 and records it (plan_id 4, to AN); AN's raw
    connection can record no one else's plan, to no other address, no digest, and delete nothing."""
    server = smtp_server()
    monkeypatch.setenv("CONGTAC12_SMTP_URL", server.url())
    monkeypatch.setenv("CONGTAC12_MAIL_FROM", "btc@thanhdoan.example")
    ok(org.run("an", "remind", "--email", "--as-of", "01/12/2020"))
    assert [m.rcpt_tos for m in server.received] == [["an.nv@example.vn"]]
    assert "plan 4: Quận đoàn Đống Đa" in server.received[0].body
    query = "SELECT plan_id, state, channel, recipient FROM reminder_sent WHERE plan_id IS NOT NULL"
    assert org.rows(query) == [(4, "missed", "cadre", "an.nv@example.vn")]
    before = org.dump()
    with psycopg.connect(org.url("an"), autocommit=True) as con:
        for statement, error, message in PLAN_REMINDERS:
            with pytest.raises(error, match=message):
                con.execute(statement)
    assert org.dump() == before
    # The administrator's run: BINH has no plan to remind of; the digest lists plans 3 and 2.
    ok(org.run("adm", "remind", "--email", "--as-of", "01/12/2020", "--summary-to", "btc@thanhdoan.example"))
    digest = server.received[-1]
    assert digest.rcpt_tos == ["btc@thanhdoan.example"]
    assert "Plans awaiting approval: 2.\n  plan 3: C02" in digest.body
    assert org.rows(query + " AND channel = 'digest' ORDER BY plan_id") == [
        (2, "submitted", "digest", "btc@thanhdoan.example"),
        (3, "submitted", "digest", "btc@thanhdoan.example"),
    ]


def _plans_file(tmp_path, state: str, **more: str):
    plan = {"cadre": "C01", "unit": "Tây Hồ", "start": "2020-12-01", "end": "2020-12-02", "kind": "chuyen-de"}
    path = tmp_path / f"plans-{state}.json"
    doc = {"format": "congtac12", "format_version": 3, "plans": [{**plan, "state": state, **more}]}
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return str(path)


def test_an_import_by_a_cadre_login_cannot_approve_plans(org: Org, tmp_path) -> None:
    before = org.dump()
    approved = _plans_file(tmp_path, "approved", decided_by="Nguyễn Văn An")
    refused(org.run("an", "import", approved), "plan approvals may be changed only by an administrator login")
    returned = _plans_file(tmp_path, "returned", decided_by="Nguyễn Văn An", reason="Không")
    refused(org.run("an", "import", returned), "only by an administrator login")
    refused(org.run("binh", "import", _plans_file(tmp_path, "draft")), "is C01's")
    assert org.dump() == before
    # the database itself: a cadre login's plan comes in only as a draft or submitted, its own
    with psycopg.connect(org.url("an"), autocommit=True) as con, pytest.raises(DENIED):
        con.execute(
            'INSERT INTO plan (cadre_id, unit_id, start, "end", kind, state, decided_by, created_at)'
            " SELECT c.id, u.id, '2020-12-01', '2020-12-02', 'chuyen-de', 'approved', 'AN', now()"
            " FROM cadre c, unit u WHERE c.code = 'C01' AND u.name = 'Quận đoàn Tây Hồ'"
        )
    assert org.dump() == before
    ok(org.run("an", "import", _plans_file(tmp_path, "draft")))  # its own, not decided: accepted
    assert org.rows("SELECT state FROM plan WHERE id > 4") == [("draft",)]
    assert org.rows("SELECT who, action FROM change ORDER BY id DESC LIMIT 1") == [(org.logins["an"], "import")]
    ok(org.run("an", "undo"))  # its own import of a draft: taken back whole
    assert org.rows("SELECT count(*) FROM plan WHERE id > 4") == [(0,)]
    ok(org.run("adm", "import", approved))  # the administrator may import a decision
    assert org.rows("SELECT state, decided_by FROM plan WHERE id > 4") == [("approved", "Nguyễn Văn An")]
