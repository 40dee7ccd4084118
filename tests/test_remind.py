"""`congtac12 remind`: what is owed, silence when nothing is, and mail through a real SMTP server.

The SMTP server is aiosmtpd on 127.0.0.1 (tests/smtp_server.py). Expected
values are counted by hand: a report is due on the trip's last day + 10.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import demo_copy, sql
from smtp_server import CERT, SmtpServer
from test_cli_core import BTC, VP, add_cadre, add_visit, js, ok, refused

from congtac12.errors import InvalidInput
from congtac12.mail import SmtpSettings, parse_smtp_url

pytestmark = pytest.mark.both_backends

SENDER = "Ban Tổ chức – Kiểm tra <btc@thanhdoan.example>"
ADMIN = "admin@thanhdoan.example"
AS_OF = "13/11/2020"


def build_owed(cli) -> None:
    """Three cadres and six trips; as of 13/11/2020 (ahead 3) four reports are to remind of.

    1  C01 Ba Đình  01/10-02/10  due 12/10  no report  overdue by 32 (12/10 -> 12/11 = 31, +1)
    2  C01 Sơn Tây  01/11-03/11  due 13/11  no report  due today (0 left)
    3  C02 Gia Lâm  05/11-06/11  due 16/11  no report  due in 3 (16 - 13)
    4  C02 Ba Vì    20/10        due 30/10  reported 29/10: on time, nothing to remind
    5  C03 Đông Anh 25/10        due 04/11  no report  overdue by 9 (13 - 4); C03 has no email
    6  C02 Hà Đông  10/11-12/11  due 22/11  no report  9 left: beyond --ahead 3
    """
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC, "--email", "an.nv@example.vn")
    add_cadre(cli, "C02", "Đặng Thị Đào", VP, "--email", "dao.dt@example.vn")
    add_cadre(cli, "C03", "Lê Văn Kế", VP)
    ok(
        cli(
            "add-visit",
            "--cadre",
            "C01",
            "--unit",
            "Ba Đình",
            "--from",
            "01/10/2020",
            "--to",
            "02/10/2020",
            "--kind",
            "chuyen-de",
            "--topic",
            "Khảo sát đoàn viên",
        )
    )
    add_visit(cli, "C01", "Sơn Tây", "01/11/2020", "03/11/2020", "sinh-hoat")
    add_visit(cli, "C02", "Gia Lâm", "05/11/2020", "06/11/2020", "phoi-hop")
    add_visit(cli, "C02", "Ba Vì", "20/10/2020", "20/10/2020", "kiem-tra")
    add_visit(cli, "C03", "Đông Anh", "25/10/2020", "25/10/2020", "phoi-hop")
    add_visit(cli, "C02", "Hà Đông", "10/11/2020", "12/11/2020", "phoi-hop")
    ok(cli("report", "4", "--on", "29/10/2020", "--text", "Đã kiểm tra"))


@pytest.fixture
def owed(built):
    """The command runner, on a copy of build_owed's database."""
    return built(build_owed)


LINE_1 = "  visit 1: Quận đoàn Ba Đình, ended 2020-10-02; report due 2020-10-12: overdue by 32 days\n"
LINE_2 = "  visit 2: Thị đoàn Sơn Tây, ended 2020-11-03; report due 2020-11-13: due today\n"
LINE_3 = "  visit 3: Huyện đoàn Gia Lâm, ended 2020-11-06; report due 2020-11-16: due in 3 days\n"
LINE_5 = "  visit 5: Huyện đoàn Đông Anh, ended 2020-10-25; report due 2020-11-04: overdue by 9 days\n"


def listing(c01: str = "", c02: str = "", c03: str = " — no email address") -> str:
    return (
        "Result reports owed as of 2020-11-13: 2 overdue, 2 due within 3 days.\n"
        f"\nC01 Nguyễn Văn An <an.nv@example.vn>{c01}\n"
        + LINE_1
        + LINE_2
        + f"\nC02 Đặng Thị Đào <dao.dt@example.vn>{c02}\n"
        + LINE_3
        + f"\nC03 Lê Văn Kế{c03}\n"
        + LINE_5
    )


# No plan is registered in build_owed: remind --json's "plans" is empty (tests/test_remind_plans.py).
NO_PLANS = {"reminders": [], "awaiting_approval": []}


# --- finding ------------------------------------------------------------------


def test_text_groups_by_cadre(owed) -> None:
    assert ok(owed("remind", "--as-of", AS_OF)) == listing()


def test_json_shape(owed) -> None:
    doc = js(owed("remind", "--as-of", AS_OF, "--json"))
    assert doc == {
        "as_of": "2020-11-13",
        "items": [
            {
                "visit_id": 1,
                "cadre": "C01",
                "name": "Nguyễn Văn An",
                "email": "an.nv@example.vn",
                "unit": "Quận đoàn Ba Đình",
                "end": "2020-10-02",
                "due": "2020-10-12",
                "state": "overdue",
                "days": 32,
            },
            {
                "visit_id": 2,
                "cadre": "C01",
                "name": "Nguyễn Văn An",
                "email": "an.nv@example.vn",
                "unit": "Thị đoàn Sơn Tây",
                "end": "2020-11-03",
                "due": "2020-11-13",
                "state": "due_soon",
                "days": 0,
            },
            {
                "visit_id": 3,
                "cadre": "C02",
                "name": "Đặng Thị Đào",
                "email": "dao.dt@example.vn",
                "unit": "Huyện đoàn Gia Lâm",
                "end": "2020-11-06",
                "due": "2020-11-16",
                "state": "due_soon",
                "days": 3,
            },
            {
                "visit_id": 5,
                "cadre": "C03",
                "name": "Lê Văn Kế",
                "email": None,
                "unit": "Huyện đoàn Đông Anh",
                "end": "2020-10-25",
                "due": "2020-11-04",
                "state": "overdue",
                "days": 9,
            },
        ],
        "plans": NO_PLANS,
    }


@pytest.mark.parametrize(
    "ahead, visits", [("0", [1, 2, 5]), ("2", [1, 2, 5]), ("3", [1, 2, 3, 5]), ("9", [1, 2, 3, 6, 5])]
)
def test_ahead(owed, ahead, visits) -> None:
    # 2 is due today (0 left), 3 in 3 days, 6 in 22 - 13 = 9 days; by cadre, then due day.
    doc = js(owed("remind", "--as-of", AS_OF, "--ahead", ahead, "--json"))
    assert [item["visit_id"] for item in doc["items"]] == visits


def test_a_report_dated_after_the_as_of_date_is_still_owed(owed) -> None:
    ok(owed("report", "1", "--on", "20/11/2020", "--text", "Muộn"))
    doc = js(owed("remind", "--as-of", AS_OF, "--json"))
    assert [(i["visit_id"], i["state"]) for i in doc["items"]][0] == (1, "overdue")
    doc = js(owed("remind", "--as-of", "20/11/2020", "--ahead", "0", "--json"))
    # As of 20/11: 1 reported; 2 overdue by 20 - 13 = 7; 3 by 20 - 16 = 4; 5 by 20 - 4 = 16;
    # 6 (due 22/11) 2 days left > 0.
    assert [(i["visit_id"], i["days"]) for i in doc["items"]] == [(2, 7), (3, 4), (5, 16)]


@pytest.mark.parametrize("extra", [[], ["--ahead", "30"], ["--email"]])
def test_silent_when_nothing_is_owed(owed, monkeypatch, extra) -> None:
    # As of 01/10/2020 only trip 1 has begun, and it is not over: nothing to remind of.
    # With --email the server is never contacted (nothing listens on port 9).
    monkeypatch.setenv("CONGTAC12_SMTP_URL", "smtp://127.0.0.1:9")
    monkeypatch.setenv("CONGTAC12_MAIL_FROM", SENDER)
    run = owed("remind", "--as-of", "01/10/2020", *extra)
    assert (run.code, run.stdout, run.stderr, run.crash) == (0, "", "", None)


def test_silent_as_a_real_process_too(owed, db: Path) -> None:
    exe = str(Path(sys.executable).with_name("congtac12"))
    result = subprocess.run(
        [exe, "remind", "--as-of", "01/10/2020"],
        capture_output=True,
        text=True,
        env={**os.environ, "CONGTAC12_DB": str(db)},
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_json_when_nothing_is_owed_is_still_json(owed) -> None:
    assert js(owed("remind", "--as-of", "01/10/2020", "--json")) == {
        "as_of": "2020-10-01",
        "items": [],
        "plans": NO_PLANS,
    }


# --- settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp://mail.example.vn", SmtpSettings("mail.example.vn", 25)),
        ("smtp://mail.example.vn?starttls=1", SmtpSettings("mail.example.vn", 587, starttls=True)),
        ("smtps://mail.example.vn", SmtpSettings("mail.example.vn", 465, tls=True)),
        ("smtp://btc:p%40ss%20w@127.0.0.1:2525", SmtpSettings("127.0.0.1", 2525, user="btc", password="p@ss w")),
        (
            "smtps://btc%40thanhdoan.vn:pw@mail.example.vn:1465",
            SmtpSettings("mail.example.vn", 1465, tls=True, user="btc@thanhdoan.vn", password="pw"),
        ),
        ("smtp://[::1]:25?starttls=0", SmtpSettings("::1", 25)),
    ],
)
def test_smtp_url(url, expected) -> None:
    assert parse_smtp_url(url) == expected  # the password too: it is left out of repr only


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://mail.example.vn", "the scheme must be smtp or smtps"),
        ("smtp://u:secret@mail.example.vn:99999", "the port is not a number"),
        ("smtp://u:secret@", "no host"),
        ("smtps://u:secret@mail.example.vn?starttls=1", "smtps is TLS already"),
        ("smtp://mail.example.vn?tls=1", "unknown parameter tls"),
        ("smtp://mail.example.vn?starttls=maybe", "starttls must be 1 or 0"),
        ("smtp://mail.example.vn/inbox", "a path or fragment"),
        ("smtp://u:m%E1%BA%ADt@mail.example.vn", "must be ASCII"),
    ],
)
def test_bad_smtp_url(url, why) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_smtp_url(url)
    assert why in caught.value.message and "CONGTAC12_SMTP_URL" in caught.value.message
    assert "secret" not in caught.value.message


def test_settings_repr_hides_the_password() -> None:
    settings = parse_smtp_url("smtp://btc:secret@mail.example.vn")
    assert "secret" not in repr(settings)
    assert settings.safe_url == "smtp://btc:***@mail.example.vn:25"


@pytest.mark.parametrize(
    "env, args, words",
    [
        ({}, ["--email"], ["--email needs CONGTAC12_SMTP_URL"]),
        ({"CONGTAC12_SMTP_URL": "smtp://127.0.0.1:2525"}, ["--email"], ["--email needs CONGTAC12_MAIL_FROM"]),
        (
            {"CONGTAC12_SMTP_URL": "smtp://u:secret@127.0.0.1:0", "CONGTAC12_MAIL_FROM": SENDER},
            ["--email"],
            ["not a valid SMTP URL"],
        ),
        (
            {"CONGTAC12_SMTP_URL": "smtp://127.0.0.1:2525", "CONGTAC12_MAIL_FROM": "btc"},
            ["--email"],
            ["CONGTAC12_MAIL_FROM 'btc' is not an email address"],
        ),
        ({}, ["--summary-to", ADMIN], ["--summary-to and --dry-run go with --email"]),
        ({}, ["--dry-run"], ["--summary-to and --dry-run go with --email"]),
        ({}, ["--email", "--dry-run", "--summary-to", "admin"], ["--summary-to 'admin' is not an email address"]),
    ],
)
def test_setting_errors_exit_2_and_send_nothing(owed, dump, monkeypatch, env, args, words) -> None:
    for var in ("CONGTAC12_SMTP_URL", "CONGTAC12_MAIL_FROM"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    before = dump()
    message = refused(owed("remind", "--as-of", AS_OF, *args), 2)
    for word in words:
        assert word in message
    assert "secret" not in message
    assert dump() == before


def test_negative_ahead_is_refused(owed) -> None:
    assert owed("remind", "--ahead", "-1").code == 2


# --- mail -----------------------------------------------------------------------


@pytest.fixture
def mail_env(monkeypatch):
    """Point the command at a server: ``mail_env(server, user=None, password=None)``."""

    def configure(server: SmtpServer, **login) -> None:
        monkeypatch.setenv("CONGTAC12_SMTP_URL", server.url(**login))
        monkeypatch.setenv("CONGTAC12_MAIL_FROM", SENDER)

    return configure


def sent_rows(db) -> list[tuple]:
    return sql(
        db,
        "SELECT visit_id, state, sent_on, channel, recipient FROM reminder_sent ORDER BY channel, recipient, visit_id",
    )


C01_ROWS = [
    (1, "overdue", "2020-11-13", "cadre", "an.nv@example.vn"),
    (2, "due_soon", "2020-11-13", "cadre", "an.nv@example.vn"),
]
C02_ROWS = [(3, "due_soon", "2020-11-13", "cadre", "dao.dt@example.vn")]
DIGEST_ROWS = [
    (v, s, "2020-11-13", "digest", ADMIN) for v, s in ((1, "overdue"), (2, "due_soon"), (3, "due_soon"), (5, "overdue"))
]

C01_BODY = """\
Dear Nguyễn Văn An,

As of 2020-11-13, no result report (báo cáo kết quả) is recorded for these trips:

  • Visit 1: Quận đoàn Ba Đình, 2020-10-01 to 2020-10-02 (Thematic work: Khảo sát đoàn viên)
    Report due 2020-10-12: overdue since 2020-10-13, 32 days.

  • Visit 2: Thị đoàn Sơn Tây, 2020-11-01 to 2020-11-03 (Attending meetings)
    Report due 2020-11-13: due today.

A result report is due within 10 days after a trip ends. To record one:

    congtac12 report 1

This reminder is sent automatically, at most once a day for each report.
-- 
congtac12
"""


def test_one_message_per_cadre_and_a_digest(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    out = ok(owed("remind", "--as-of", AS_OF, "--email", "--summary-to", ADMIN))
    assert [(m.mail_from, m.rcpt_tos) for m in server.received] == [
        ("btc@thanhdoan.example", ["an.nv@example.vn"]),
        ("btc@thanhdoan.example", ["dao.dt@example.vn"]),
        ("btc@thanhdoan.example", [ADMIN]),
    ]
    c01, c02, digest = server.received
    # Vietnamese intact: decoded headers and body are the exact text.
    assert c01.message["Subject"] == "[congtac12] Nguyễn Văn An: 1 result report overdue, 1 due soon"
    assert c01.message["From"] == SENDER
    assert c01.message["To"] == "Nguyễn Văn An <an.nv@example.vn>"
    assert c01.message.get_content_charset() == "utf-8"
    assert c01.body == C01_BODY
    assert c02.message["Subject"] == "[congtac12] Đặng Thị Đào: 1 result report due soon"
    assert (
        "  • Visit 3: Huyện đoàn Gia Lâm, 2020-11-05 to 2020-11-06 (Co-organising activities)\n"
        "    Report due 2020-11-16: due in 3 days.\n" in c02.body
    )
    # On the wire: headers in 7-bit (RFC 2047 words), the UTF-8 subject encoded, not mangled.
    head = c01.raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in c01.raw else c01.raw.split(b"\n\n", 1)[0]
    assert head.isascii() and b"=?utf-8?" in head
    # The digest: every item, and what became of each cadre's.
    expected = listing(" — reminded by email", " — reminded by email", " — no email address: not reminded")
    assert digest.message["Subject"] == "[congtac12] Result reports as of 2020-11-13: 2 overdue, 2 due soon"
    assert digest.body == expected
    assert out == expected + f"Digest sent to {ADMIN}.\n"
    assert sent_rows(db) == C01_ROWS + C02_ROWS + DIGEST_ROWS


def test_a_second_run_the_same_day_sends_nothing(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    ok(owed("remind", "--as-of", AS_OF, "--email", "--summary-to", ADMIN))
    rows = sent_rows(db)
    out = ok(owed("remind", "--as-of", AS_OF, "--email", "--summary-to", ADMIN))
    assert len(server.received) == 3  # no new message
    assert sent_rows(db) == rows
    # Only the cadre who cannot be mailed is still listed (1 overdue: visit 5).
    assert out == (
        "Result reports owed as of 2020-11-13: 1 overdue, 0 due within 3 days.\n"
        "\nC03 Lê Văn Kế — no email address: not reminded\n" + LINE_5
    )
    # The next day is a new day: C01 and C02 are reminded again, and the digest goes again.
    ok(owed("remind", "--as-of", "14/11/2020", "--email", "--summary-to", ADMIN))
    assert [m.rcpt_tos for m in server.received[3:]] == [["an.nv@example.vn"], ["dao.dt@example.vn"], [ADMIN]]
    # 14/11: visit 2 (due 13/11) is now overdue by 1.
    assert server.received[3].message["Subject"] == "[congtac12] Nguyễn Văn An: 2 result reports overdue"


def test_when_all_cadres_have_mail_a_second_run_prints_nothing(owed, smtp_server, mail_env) -> None:
    ok(owed("cadre", "add", "--code", "C09", "--name", "Ngô Thị Hạnh", "--dept", VP))  # keeps no trip
    ok(owed("report", "5", "--on", "10/11/2020", "--text", "x"))  # C03's only report is in
    server = smtp_server()
    mail_env(server)
    assert ok(owed("remind", "--as-of", AS_OF, "--email")) != ""
    run = owed("remind", "--as-of", AS_OF, "--email")
    assert (run.code, run.stdout, run.stderr) == (0, "", "")
    assert len(server.received) == 2


def test_a_stopped_server_fails_cleanly_and_a_later_run_sends_what_was_missed(
    owed, db: Path, smtp_server, mail_env
) -> None:
    server = smtp_server()
    port = server.port
    mail_env(server)
    server.stop()
    run = owed("remind", "--as-of", AS_OF, "--email")
    assert run.code == 1 and run.crash is None
    assert run.stderr == f"Error: cannot connect to the SMTP server smtp://127.0.0.1:{port}: connection refused\n"
    stopped = " — not reminded: the run stopped on a mail error"
    assert run.stdout == listing(stopped, stopped, " — no email address: not reminded")
    assert sent_rows(db) == []
    again = smtp_server(port=port)
    ok(owed("remind", "--as-of", AS_OF, "--email"))
    assert [m.rcpt_tos for m in again.received] == [["an.nv@example.vn"], ["dao.dt@example.vn"]]
    assert sent_rows(db) == C01_ROWS + C02_ROWS


def test_a_failure_midway_keeps_what_was_sent_before(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(fail_data={2})  # the second message is answered 451
    mail_env(server)
    run = owed("remind", "--as-of", AS_OF, "--email")
    assert run.code == 1 and run.crash is None
    assert run.stderr == (
        f"Error: the SMTP server smtp://127.0.0.1:{server.port} answered 451 4.3.0 temporary failure, "
        "try again later; the message sent before is recorded, the rest go on the next run\n"
    )
    assert run.stdout == listing(
        " — reminded by email", " — not reminded: the run stopped on a mail error", " — no email address: not reminded"
    )
    assert sent_rows(db) == C01_ROWS
    ok(owed("remind", "--as-of", AS_OF, "--email"))  # the third DATA is accepted
    assert [m.rcpt_tos for m in server.received] == [["an.nv@example.vn"], ["dao.dt@example.vn"]]
    assert sent_rows(db) == C01_ROWS + C02_ROWS


def test_a_refused_recipient(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(reject={"dao.dt@example.vn"})
    mail_env(server)
    run = owed("remind", "--as-of", AS_OF, "--email", "--summary-to", ADMIN)
    assert run.code == 1 and run.crash is None
    assert run.stderr == (
        f"Error: the SMTP server smtp://127.0.0.1:{server.port} refused the recipient dao.dt@example.vn: "
        "550 5.1.1 <dao.dt@example.vn>: mailbox unavailable\n"
    )
    expected = listing(
        " — reminded by email", " — the address was refused: not reminded", " — no email address: not reminded"
    )
    assert run.stdout == expected + f"Digest sent to {ADMIN}.\n"
    assert [m.rcpt_tos for m in server.received] == [["an.nv@example.vn"], [ADMIN]]
    assert server.received[1].body == expected  # the administrator learns of it
    assert sent_rows(db) == C01_ROWS + DIGEST_ROWS  # nothing recorded for C02
    run = owed("remind", "--as-of", AS_OF, "--email", "--summary-to", ADMIN)
    assert run.code == 1 and "refused the recipient dao.dt@example.vn" in run.stderr
    assert len(server.received) == 2  # C01 and the digest are not sent again


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(login=("btc", "p@ss w0rd"))
    mail_env(server, user="btc", password="p%40ss%20w0rd")
    ok(owed("remind", "--as-of", AS_OF, "--email"))
    assert len(server.received) == 2


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_names_no_password(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(login=("btc", "right"))
    mail_env(server, user="btc", password="wrong-secret")
    run = owed("remind", "--as-of", AS_OF, "--email")
    assert run.code == 1 and run.crash is None
    assert run.stderr.startswith(
        f"Error: the SMTP server smtp://btc:***@127.0.0.1:{server.port} refused the login of btc: 535 "
    )
    assert run.stderr.count("\n") == 1
    assert "wrong-secret" not in run.stdout + run.stderr
    assert server.received == [] and sent_rows(db) == []


def test_smtps_with_a_trusted_certificate(owed, smtp_server, mail_env, monkeypatch) -> None:
    server = smtp_server(mode="smtps")
    mail_env(server)
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT))  # trust the test's own certificate
    ok(owed("remind", "--as-of", AS_OF, "--email"))
    assert len(server.received) == 2


def test_smtps_refuses_an_untrusted_certificate(owed, db: Path, smtp_server, mail_env) -> None:
    server = smtp_server(mode="smtps")
    mail_env(server)
    run = owed("remind", "--as-of", AS_OF, "--email")
    assert run.code == 1 and run.crash is None
    assert run.stderr.startswith(f"Error: TLS with the SMTP server smtps://127.0.0.1:{server.port} failed: ")
    assert "CERTIFICATE_VERIFY_FAILED" in run.stderr
    assert server.received == [] and sent_rows(db) == []


def test_starttls_then_login(owed, smtp_server, mail_env, monkeypatch) -> None:
    server = smtp_server(mode="starttls", login=("btc", "pw"))
    mail_env(server, user="btc", password="pw")
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT))
    ok(owed("remind", "--as-of", AS_OF, "--email"))
    assert len(server.received) == 2


def test_dry_run_sends_and_records_nothing(owed, db: Path, monkeypatch) -> None:
    monkeypatch.delenv("CONGTAC12_SMTP_URL", raising=False)  # a dry run needs no server
    out = ok(owed("remind", "--as-of", AS_OF, "--email", "--dry-run", "--summary-to", ADMIN))
    would = " — would be reminded by email (dry run)"
    assert out == listing(would, would, " — no email address: not reminded") + (
        f"Dry run: the digest would go to {ADMIN}; nothing was sent or recorded.\n"
    )
    assert sent_rows(db) == []


def test_json_with_email_lists_what_this_run_handled(owed, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    doc = js(owed("remind", "--as-of", AS_OF, "--email", "--json"))
    assert [i["visit_id"] for i in doc["items"]] == [1, 2, 3, 5]
    doc = js(owed("remind", "--as-of", AS_OF, "--email", "--json"))
    assert [i["visit_id"] for i in doc["items"]] == [5]  # only the unreachable cadre's


# --- the README's cron line, against the demo ----------------------------------


def expected_recipients(db: Path, as_of: str, ahead: int = 3) -> set[str]:
    """Cadres owed a reminder, worked out with SQL from the rule (not by the program)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            """
            SELECT DISTINCT c.email FROM visit v JOIN cadre c ON c.id = v.cadre_id
            LEFT JOIN report r ON r.visit_id = v.id AND r.reported_on <= :d
            WHERE r.id IS NULL AND v.start <= :d AND v."end" >= '2020-03-01' AND v.start <= '2020-12-31'
              AND v."end" <= :d AND date(v."end", '+10 days') <= date(:d, '+' || :ahead || ' days')
            """,
            {"d": as_of, "ahead": ahead},
        ).fetchall()
    finally:
        con.close()
    return {email for (email,) in rows}


def test_cron_line_twice_on_the_demo_mails_each_cadre_once(tmp_path: Path, smtp_server, demo_database: Path) -> None:
    exe = str(Path(sys.executable).with_name("congtac12"))
    server = smtp_server()
    env = {k: v for k, v in os.environ.items() if k != "CONGTAC12_DB"}
    env.update(CONGTAC12_SMTP_URL=server.url(), CONGTAC12_MAIL_FROM="congtac12@thanhdoan.example")
    demo = demo_copy(demo_database, tmp_path / "congtac12-demo.db")  # conftest's: `demo` once per session
    # The README's crontab command, with --as-of: the demo is as of 13/11/2020.
    cron = [exe, "--db", str(demo), "remind", "--as-of", "2020-11-13", "--email", "--summary-to", ADMIN]
    first = subprocess.run(cron, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0 and first.stderr == "", first.stderr
    second = subprocess.run(cron, env=env, capture_output=True, text=True, timeout=60)
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")

    cadres = [m.rcpt_tos[0] for m in server.received if m.rcpt_tos != [ADMIN]]
    assert sorted(cadres) == sorted(set(cadres))  # exactly once each
    assert set(cadres) == expected_recipients(demo, "2020-11-13")
    # demo.py gives the profile with a report never written to C08, C18 and C28.
    overdue = {m.rcpt_tos[0] for m in server.received if m.rcpt_tos != [ADMIN] and "overdue" in m.message["Subject"]}
    assert overdue == {f"c{n}@thanhdoan.hanoi.example" for n in ("08", "18", "28")}
    assert [m.rcpt_tos for m in server.received].count([ADMIN]) == 1
    # A day with nothing owed (before any trip of the demo): nothing at all.
    quiet = subprocess.run([*cron[:5], "2020-03-01", *cron[6:]], env=env, capture_output=True, text=True, timeout=60)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


# --- a visit none of whose days count owes nothing, and is never mailed --------------------


def build_limited(cli) -> None:
    """C04 joined 01/07/2020, left 30/11/2020, sick 01/09-10/09/2020; as of 31/12/2020:

    1  20/06-30/06  before joining: no day counts, owes nothing
    2  02/09-05/09  on leave: no day counts, owes nothing
    3  09/09-12/09  11, 12 Sep count: due 22/09, overdue by 100 (8 + 31 + 30 + 31)
    4  01/12-03/12  after leaving: no day counts, owes nothing
    5  28/11-30/11  counts 3 days: due 10/12, overdue by 21 (31 - 10)
    """
    add_cadre(cli, "C04", "Trần Thị Hoa", VP, "--email", "hoa.tt@example.vn", "--joined", "01/07/2020")
    ok(cli("cadre", "edit", "C04", "--left", "30/11/2020"))
    ok(cli("leave", "add", "--cadre", "C04", "--from", "01/09/2020", "--to", "10/09/2020", "--reason", "om-dau"))
    add_visit(cli, "C04", "Ba Đình", "20/06/2020", "30/06/2020", "phoi-hop")
    add_visit(cli, "C04", "Gia Lâm", "02/09/2020", "05/09/2020", "chuyen-de")
    add_visit(cli, "C04", "Sơn Tây", "09/09/2020", "12/09/2020", "sinh-hoat")
    add_visit(cli, "C04", "Ba Vì", "01/12/2020", "03/12/2020", "kiem-tra")
    add_visit(cli, "C04", "Đông Anh", "28/11/2020", "30/11/2020", "phoi-hop")


@pytest.fixture
def limited(built):
    return built(build_limited)


@pytest.mark.parametrize(
    "as_of, owed",
    [
        ("31/12/2020", [(3, 100), (5, 21)]),
        ("30/06/2020", []),  # visit 1 is all before joining: nothing owed yet
        ("16/09/2020", []),  # visit 2 all on leave; visit 3 due 22/09: 6 days left, beyond --ahead 3
        ("23/09/2020", [(3, 1)]),  # 23 - 22 = 1
    ],
)
def test_visits_that_count_no_day_are_not_reminded(limited, as_of, owed) -> None:
    doc = js(limited("remind", "--as-of", as_of, "--json"))
    assert [(i["visit_id"], i["days"]) for i in doc["items"]] == owed
    # reports lists the same overdue visits, and status counts them, no more
    listed = js(limited("reports", "--as-of", as_of, "--state", "overdue", "--json"))["visits"]
    assert [(v["visit_id"], v["days_late"]) for v in listed] == owed
    (c04,) = js(limited("status", "--as-of", as_of, "--json"))["cadres"]
    assert c04["reports"]["overdue"] == len(owed)


def test_the_mail_lists_only_what_is_owed(limited, smtp_server, mail_env) -> None:
    server = smtp_server()
    mail_env(server)
    ok(limited("remind", "--as-of", "31/12/2020", "--email"))
    (message,) = server.received
    assert message.message["Subject"] == "[congtac12] Trần Thị Hoa: 2 result reports overdue"
    assert "Visit 3: Thị đoàn Sơn Tây" in message.body and "Visit 5: Huyện đoàn Đông Anh" in message.body
    for visit in ("Visit 1:", "Visit 2:", "Visit 4:"):
        assert visit not in message.body
