"""`congtac12 remind --email` and plans (đăng ký): a cadre's plan reminders go in its once-a-day
message with its report reminders, and the digest lists the plans awaiting approval; each
recorded in ``reminder_sent`` (``plan_id``, schema 6) once the real SMTP server (aiosmtpd,
tests/smtp_server.py) accepted it.

The scenario is tests/test_remind_plans.py's, as of 13/11/2020 with --ahead 3, counted by hand:
C01 has plan 1 (Ba Đình 16/11-17/11, starts in 3 days) and no report owed; C02 has plan 2 (Gia
Lâm 01/10-02/10, missed: last day 42 days ago) and the report of visit 1 (Sơn Tây 05/10, due
15/10, overdue since 16/10: 29 days); C03 has no address and nothing owed as of 13/11. Plan 5
(C01, Ba Vì 20/11) awaits approval.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import sql
from test_cli_core import ok
from test_remind_plans import build_plans

SENDER = "Ban Tổ chức – Kiểm tra <btc@thanhdoan.example>"
ADMIN = "admin@thanhdoan.example"
pytestmark = pytest.mark.both_backends
AS_OF = "13/11/2020"
C01, C02 = "an.nv@example.vn", "dao.dt@example.vn"


@pytest.fixture
def planned(built):
    return built(build_plans)


@pytest.fixture
def mail_env(monkeypatch):
    def configure(server) -> None:
        monkeypatch.setenv("CONGTAC12_SMTP_URL", server.url())
        monkeypatch.setenv("CONGTAC12_MAIL_FROM", SENDER)

    return configure


def sent_rows(db) -> list[tuple]:
    return sql(
        db,
        "SELECT visit_id, plan_id, state, sent_on, channel, recipient FROM reminder_sent"
        " ORDER BY channel, recipient, COALESCE(visit_id, 0), COALESCE(plan_id, 0)",
    )


C01_BODY = """\
Dear Nguyễn Văn An,

As of 2020-11-13, your planned trips (đăng ký):

  • plan 1: Quận đoàn Ba Đình, 2020-11-16 – 2020-11-17 (Meetings): starts in 3 days

This reminder is sent automatically, at most once a day for each report and each plan.
--\x20
congtac12
"""
C02_PLAN_PART = """
  • Visit 1: Thị đoàn Sơn Tây, on 2020-10-05 (Inspection and supervision)
    Report due 2020-10-15: overdue since 2020-10-16, 29 days.

A result report is due within 10 days after a trip ends. To record one:

    congtac12 report 1

As of 2020-11-13, your planned trips (đăng ký):

  • plan 2: Huyện đoàn Gia Lâm, 2020-10-01 – 2020-10-02 (Co-organising): missed: no visit recorded, last day 42 days ago

If the trip was made, record its visit:

    congtac12 add-visit --plan 2

This reminder is sent automatically, at most once a day for each report and each plan.
"""
AWAITING = """\
Plans awaiting approval: 1.
  plan 5: C01 Nguyễn Văn An (Ban Tổ chức – Kiểm tra) at Huyện đoàn Ba Vì, 2020-11-20 (Inspection)
"""
ROWS = [
    (None, 1, "starts_soon", "2020-11-13", "cadre", C01),
    (None, 2, "missed", "2020-11-13", "cadre", C02),
    (1, None, "overdue", "2020-11-13", "cadre", C02),
    (None, 5, "submitted", "2020-11-13", "digest", ADMIN),
    (1, None, "overdue", "2020-11-13", "digest", ADMIN),
]


def remind(cli, *args: str, as_of: str = AS_OF):
    return cli("remind", "--as-of", as_of, "--email", *args)


def test_plans_go_in_each_cadres_message_and_the_digest(planned, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    out = ok(remind(planned, "--summary-to", ADMIN))
    # One message a cadre (C02: its report, then its plan; C01: its plan only), then the digest.
    assert [m.rcpt_tos for m in server.received] == [[C02], [C01], [ADMIN]]
    c02, c01, digest = server.received
    assert c02.message["Subject"] == "[congtac12] Đặng Thị Đào: 1 result report overdue"  # as for reports alone
    assert c02.body.startswith("Dear Đặng Thị Đào,\n\nAs of 2020-11-13, no result report")
    assert C02_PLAN_PART in c02.body
    assert c01.message["Subject"] == "[congtac12] Nguyễn Văn An: 1 planned trip to remind of"
    assert c01.message["To"] == "Nguyễn Văn An <an.nv@example.vn>"
    assert c01.body == C01_BODY
    assert digest.message["Subject"] == "[congtac12] Result reports as of 2020-11-13: 1 overdue, 0 due soon"
    assert digest.body.endswith("overdue by 29 days\n\n" + AWAITING)
    assert out.endswith(AWAITING + f"Digest sent to {ADMIN}.\n")
    assert "\nC01 Nguyễn Văn An <an.nv@example.vn> — reminded by email\n  plan 1: Quận đoàn Ba Đình" in out
    assert sent_rows(db) == ROWS


def test_a_second_run_the_same_day_sends_nothing_new_and_the_next_day_again(
    planned, db: Path, smtp_server, mail_env
) -> None:
    server = smtp_server()
    mail_env(server)
    ok(remind(planned, "--summary-to", ADMIN))
    run = remind(planned, "--summary-to", ADMIN)
    assert (run.code, run.stdout, run.stderr) == (0, "", "")  # every cadre with plans has an address
    assert len(server.received) == 3 and sent_rows(db) == ROWS
    # 14/11: plan 1 starts in 2 days, plan 2 is still missed (43), plan 5 still awaits approval.
    ok(remind(planned, "--summary-to", ADMIN, as_of="14/11/2020"))
    assert [m.rcpt_tos for m in server.received[3:]] == [[C02], [C01], [ADMIN]]
    assert "plan 1: Quận đoàn Ba Đình, 2020-11-16 – 2020-11-17 (Meetings): starts in 2 days\n" in (
        server.received[4].body
    )
    assert len(sent_rows(db)) == 2 * len(ROWS)


def test_a_plans_only_digest(planned, db: Path, smtp_server, mail_env) -> None:
    ok(planned("report", "1", "--on", "06/10/2020", "--text", "Đã kiểm tra"))  # C02's report is in
    server = smtp_server()
    mail_env(server)
    ok(remind(planned, "--summary-to", ADMIN))
    digest = server.received[-1]
    assert digest.message["Subject"] == "[congtac12] Plans awaiting approval as of 2020-11-13: 1"
    assert digest.body == AWAITING
    assert [m.message["Subject"] for m in server.received[:2]] == [  # plans only: in the plans' order, by cadre
        "[congtac12] Nguyễn Văn An: 1 planned trip to remind of",
        "[congtac12] Đặng Thị Đào: 1 planned trip to remind of",
    ]


def test_a_failed_send_records_nothing_and_the_next_run_sends_it(planned, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(fail_data={1})  # C02's message answered 451: the run stops there
    mail_env(server)
    run = remind(planned, "--summary-to", ADMIN)
    assert run.code == 1 and run.crash is None
    assert "answered 451" in run.stderr
    assert sent_rows(db) == [] and server.received == []
    again = smtp_server()
    mail_env(again)
    ok(remind(planned, "--summary-to", ADMIN))
    assert sent_rows(db) == ROWS


def test_a_failure_midway_keeps_the_plan_reminder_sent_before(planned, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(fail_data={2})  # C01's message answered 451
    mail_env(server)
    run = remind(planned, "--summary-to", ADMIN)
    assert run.code == 1
    assert sent_rows(db) == [r for r in ROWS if r[5] == C02 and r[4] == "cadre"]


def test_dry_run_records_nothing(planned, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    out = ok(remind(planned, "--summary-to", ADMIN, "--dry-run"))
    assert "plan 1: Quận đoàn Ba Đình" in out and "Dry run: the digest would go to" in out
    assert "C02 Đặng Thị Đào <dao.dt@example.vn> — would be reminded by email (dry run)\n  plan 2:" in out
    assert sent_rows(db) == [] and server.received == []


def test_json_shows_the_plan_part_with_its_delivery(planned, db: Path, smtp_server, mail_env) -> None:
    ok(planned("cadre", "edit", "C01", "--email", ""))  # C01 now has no address
    server = smtp_server()
    mail_env(server)
    doc = json.loads(ok(remind(planned, "--summary-to", ADMIN, "--json")))
    plans = doc["plans"]
    assert [(r["plan_id"], r["cadre"], r["state"], r["days"], r["delivery"]) for r in plans["reminders"]] == [
        (1, "C01", "starts_soon", 3, "no_email"),
        (2, "C02", "missed", 42, "sent"),
    ]
    assert [r["plan_id"] for r in plans["awaiting_approval"]] == [5]
    assert [m.rcpt_tos for m in server.received] == [[C02], [ADMIN]]
    # The report part is as before: its items only.
    assert [(i["visit_id"], i["state"]) for i in doc["items"]] == [(1, "overdue")]
    # The same run again: what was sent is not listed again; C01 (no address) still is.
    doc = json.loads(ok(remind(planned, "--summary-to", ADMIN, "--json")))
    assert [(r["plan_id"], r["delivery"]) for r in doc["plans"]["reminders"]] == [(1, "no_email")]
    assert doc["plans"]["awaiting_approval"] == []


def test_in_vietnamese(planned, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    ok(planned("--lang", "vi", "remind", "--as-of", AS_OF, "--email", "--summary-to", ADMIN))
    c01 = server.received[1]
    assert c01.message["Subject"] == "[congtac12] Nguyễn Văn An: 1 chuyến đi đã đăng ký cần nhắc"
    assert "Tính đến ngày 13/11/2020, các chuyến đi đồng chí đã đăng ký:" in c01.body
    assert "mỗi báo cáo và mỗi đăng ký không quá một lần mỗi ngày." in c01.body
    assert "Nếu chuyến đi đã diễn ra, xin ghi lại đợt đi cơ sở:" in server.received[0].body
    assert "Đăng ký chờ duyệt: 1." in server.received[2].body


@pytest.mark.sqlite_only
def test_the_database_keeps_one_of_visit_and_plan(planned, db: Path) -> None:
    """A row of neither or of both is refused by the CHECK; a plan's reminder goes with its plan
    (PostgreSQL: tests/test_plans_pg.py)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    insert = (
        "INSERT INTO reminder_sent (visit_id, plan_id, state, sent_on, channel, recipient, sent_at)"
        " VALUES (?, ?, 'missed', '2020-11-13', 'cadre', 'x@example.vn', '2020-11-13 06:30:00')"
    )
    for visit, plan in ((None, None), (1, 2)):
        with pytest.raises(sqlite3.IntegrityError, match="ck_reminder_of_one"):
            con.execute(insert, (visit, plan))
    with con:
        con.execute(insert, (None, 6))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        con.execute(insert, (None, 6))  # once a day
    with con:
        con.execute("DELETE FROM plan WHERE id = 6")
    assert con.execute("SELECT count(*) FROM reminder_sent").fetchone() == (0,)
    con.close()
