"""The private settings file, `config set|show|unset` of it, and `remind --cron-line` run as cron runs it.

The cron test starts the installed program as a real process, prints its
crontab line, and runs that line with ``sh -c`` in an environment like cron's
(``env -i`` with only PATH=/usr/bin:/bin, HOME and SHELL=/bin/sh; no LANG)
against a real SMTP server (aiosmtpd, tests/smtp_server.py).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from smtp_server import SmtpServer
from test_cli_core import BTC, add_cadre, js, ok, refused

from congtac12 import settings

EXE = str(Path(sys.executable).with_name("congtac12"))
PASSWORD = "mat-khau-Bi-Mat-42"
SENDER = "Ban Tổ chức – Kiểm tra <btc@thanhdoan.example>"
ADMIN = "btc@thanhdoan.example"


def settings_file() -> Path:
    return Path(os.environ[settings.ENV_VAR])


# --- config set / show / unset of the file ---------------------------------------------


def test_config_set_smtp_url_from_stdin_writes_a_private_file_and_show_masks_it(cli) -> None:
    ok(cli("init"))  # config show reads the database too: it must exist
    url = f"smtp://btc:{PASSWORD}@mail.thanhdoan.example:587?starttls=1"
    out = ok(cli("config", "set", "smtp_url", input=url + "\n"))
    path = settings_file()
    assert out == f"smtp_url = smtp://btc:***@mail.thanhdoan.example:587?starttls=1 (in {path})\n"
    assert PASSWORD not in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    ok(cli("config", "set", "mail_from", SENDER))
    assert settings.read_settings(path) == {"smtp_url": url, "mail_from": SENDER}

    shown = ok(cli("config", "show"))
    assert PASSWORD not in shown
    assert f"smtp_url = smtp://btc:***@mail.thanhdoan.example:587?starttls=1 (from {path})\n" in shown
    assert f"mail_from = {SENDER} (from {path})\n" in shown
    doc = js(cli("config", "show", "--json"))
    assert doc["smtp_url"] == {
        "value": "smtp://btc:***@mail.thanhdoan.example:587?starttls=1",
        "default": False,
        "source": str(path),
    }
    assert doc["settings_file"] == str(path)

    assert ok(cli("config", "unset", "smtp_url")) == "smtp_url = not set (default)\n"
    assert settings.read_settings(path) == {"mail_from": SENDER}


def test_the_environment_wins_over_the_file(cli, monkeypatch) -> None:
    ok(cli("init"))  # config show reads the database too: it must exist
    ok(cli("config", "set", "smtp_url", input=f"smtp://btc:{PASSWORD}@file.example:25\n"))
    monkeypatch.setenv("CONGTAC12_SMTP_URL", "smtp://env.example:2525")
    shown = ok(cli("config", "show"))
    assert "smtp_url = smtp://env.example:2525 (from CONGTAC12_SMTP_URL)\n" in shown
    merged, origin = settings.mail_environment(os.environ)
    assert merged["CONGTAC12_SMTP_URL"] == "smtp://env.example:2525" and origin["CONGTAC12_SMTP_URL"] == "env"


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("smtp_url", "http://mail.example", ["smtp_url is not a valid SMTP URL"]),
        ("mail_from", "btc", ["mail_from 'btc' is not an email address"]),
    ],
)
def test_config_set_refuses_a_bad_value_and_writes_nothing(cli, key, value, words) -> None:
    message = refused(cli("config", "set", key, value), 2)
    for word in words:
        assert word in message
    assert not settings_file().exists()


def _write(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


@pytest.mark.parametrize(
    "text, mode, words",
    [
        # others may read a password: refused, and said how to fix it
        (f'smtp_url = "smtp://u:{PASSWORD}@h.example"\n', 0o644, ["others may read it (mode 644)", "chmod 600"]),
        (f'smtp_url = "smtp://u:{PASSWORD}@h.example"\n', 0o640, ["others may read it (mode 640)", "chmod 600"]),
        ('smtp_url = "smtp://u@h.example\n', 0o600, ["is not valid TOML"]),
        ('colour = "red"\n', 0o600, ["unknown key 'colour'", "accepted: smtp_url, mail_from"]),
        ("smtp_url = 25\n", 0o600, ["smtp_url must be a string"]),
        (b"smtp_url = '\xff'\n", 0o600, ["is not UTF-8 text"]),
        (None, 0o700, ["is not a regular file"]),  # a folder where the file should be
    ],
)
def test_a_settings_file_that_cannot_be_used_is_one_line_naming_it(cli, dump, text, mode, words) -> None:
    path = settings_file()
    if text is None:
        path.mkdir(parents=True)
    elif isinstance(text, bytes):
        _write(path, "", 0o600)
        path.write_bytes(text)
        path.chmod(mode)
    else:
        _write(path, text, mode)
    before = dump()
    for args in (("config", "show"), ("remind", "--email", "--as-of", "13/11/2020")):
        message = refused(cli(*args), 1)
        assert str(path) in message, message
        for word in words:
            assert word in message, message
        assert PASSWORD not in message
    assert dump() == before


def test_a_settings_file_that_cannot_be_opened(cli, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(settings.ENV_VAR, str(blocker / "settings.toml"))  # its "folder" is a file
    message = refused(cli("config", "show"), 1)
    assert str(blocker / "settings.toml") in message and "cannot be read (Not a directory)" in message


def test_a_settings_file_of_another_user_is_refused(cli) -> None:
    if os.geteuid() != 0:  # CI runs as root, so this runs there
        pytest.skip("only root can give a file away")
    path = settings_file()
    _write(path, 'mail_from = "btc@thanhdoan.example"\n', 0o600)
    os.chown(path, 65534, 65534)
    message = refused(cli("config", "show"), 1)
    assert str(path) in message and "belongs to user id 65534" in message


def test_a_world_readable_file_without_a_password_is_used(cli) -> None:
    ok(cli("init"))  # config show reads the database too: it must exist
    _write(settings_file(), 'smtp_url = "smtp://127.0.0.1:2525"\nmail_from = "btc@thanhdoan.example"\n', 0o644)
    assert "smtp_url = smtp://127.0.0.1:2525 (from" in ok(cli("config", "show"))


def test_remind_reads_the_server_from_the_file(cli, smtp_server) -> None:
    server: SmtpServer = smtp_server(login=("btc", PASSWORD))
    ok(cli("config", "set", "smtp_url", input=server.url(user="btc", password=PASSWORD) + "\n"))
    ok(cli("config", "set", "mail_from", SENDER))
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC, "--email", "an.nv@example.vn")
    ok(cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "01/10/2020", "--kind", "chuyen-de"))
    run = cli("remind", "--as-of", "13/11/2020", "--email")
    assert run.code == 0, str(run)
    assert [m.rcpt_tos for m in server.received] == [["an.nv@example.vn"]]
    assert PASSWORD not in run.stdout + run.stderr


# --- the cron line ------------------------------------------------------------------------


def cron_env(home: Path) -> dict[str, str]:
    """What cron gives a job: no LANG, no CONGTAC12_*, nothing of the user's shell."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "SHELL": "/bin/sh"}


def run(args: list[str], env: dict[str, str], input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, input=input, capture_output=True, text=True, timeout=120)


def run_line(line: str, home: Path) -> subprocess.CompletedProcess:
    """Run a crontab line's command as cron does: /bin/sh -c, in cron's environment."""
    fields = line.split(None, 5)
    assert len(fields) == 6, line
    command = fields[5].replace("\\%", "%")  # cron's own unescaping of %
    env = ["env", "-i", *(f"{k}={v}" for k, v in cron_env(home).items())]
    return subprocess.run([*env, "sh", "-c", command], capture_output=True, text=True, timeout=120)


def this_year_policy(path: Path, today: date) -> Path:
    """A policy whose window holds today (no preset covers the current year)."""
    path.write_text(
        f"""id = "thu-nghiem"
title = "Chính sách thử nghiệm"
source = "tests"
min_days = 60
report_due_days = 10
window = {{ start = {(today - timedelta(days=200)).isoformat()}, end = {(today + timedelta(days=100)).isoformat()} }}
""",
        encoding="utf-8",
    )
    return path


def test_the_printed_cron_line_works_in_cron_s_environment(tmp_path: Path, smtp_server) -> None:
    server: SmtpServer = smtp_server(login=("btc", PASSWORD))
    home = tmp_path / "home"
    home.mkdir()
    db = tmp_path / "srv" / "congtac12.db"
    db.parent.mkdir()
    # The user's own shell: a locale, but no settings variables (they are in the file).
    user = cron_env(home) | {"LANG": "en_US.UTF-8", "CONGTAC12_DB": str(db)}
    today = date.today()
    for args in (
        ["cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", BTC, "--email", "an.nv@example.vn"],
        ["cadre", "add", "--code", "C02", "--name", "Đặng Thị Đào", "--dept", BTC, "--email", "dao.dt@example.vn"],
        ["config", "set", "policy", str(this_year_policy(tmp_path / "policy.toml", today))],
        ["config", "set", "lang", "vi"],
        ["config", "set", "mail_from", SENDER],
    ):
        assert run([EXE, *args], user).returncode == 0, args
    done = run([EXE, "config", "set", "smtp_url"], user, input=server.url(user="btc", password=PASSWORD) + "\n")
    assert done.returncode == 0 and PASSWORD not in done.stdout + done.stderr
    assert (home / ".config" / "congtac12" / "settings.toml").is_file()

    printed = run([EXE, "remind", "--email", "--summary-to", ADMIN, "--cron-line"], user)
    assert printed.returncode == 0 and printed.stderr == "", printed.stderr
    line = printed.stdout.rstrip("\n")
    assert "\n" not in line
    assert line.startswith(f"30 6 * * 1-5 {Path(EXE).resolve()} --db {db.resolve()} --lang vi remind --email ")
    assert line.endswith(f"--summary-to {ADMIN} >/dev/null")
    assert PASSWORD not in line and "SMTP" not in line.upper().replace("SMTP_", "")  # no secret, no server
    assert "=" not in line.split(" remind ")[0]  # the line sets no variable at all

    # Nothing owed: silent, no mail.
    quiet = run_line(line, home)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert server.received == []

    # C01: a trip that ended 12 days ago (overdue by 2); C02: one that ended 8 days ago (due in 2).
    for code, end in (("C01", today - timedelta(days=12)), ("C02", today - timedelta(days=8))):
        args = ["add-visit", "--cadre", code, "--unit", "Ba Đình", "--from", end.isoformat(), "--kind", "chuyen-de"]
        assert run([EXE, *args], user).returncode == 0
    first = run_line(line, home)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    to_cadres = sorted(m.rcpt_tos[0] for m in server.received if m.rcpt_tos != [ADMIN])
    assert to_cadres == ["an.nv@example.vn", "dao.dt@example.vn"]
    assert [m.rcpt_tos for m in server.received].count([ADMIN]) == 1
    an = next(m for m in server.received if m.rcpt_tos == ["an.nv@example.vn"])
    assert an.message["Subject"] == "[congtac12] Nguyễn Văn An: 1 báo cáo kết quả quá hạn"
    assert an.body.startswith("Kính gửi đồng chí Nguyễn Văn An,\n")

    # The same day again: one mail per cadre per day, so nothing more.
    second = run_line(line, home)
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    assert len(server.received) == 3
    for m in server.received:
        assert PASSWORD.encode() not in m.raw


def test_cron_line_without_summary_keeps_the_listing_for_mailto(cli, db, tmp_path) -> None:
    """Without --summary-to the listing is the clerk's mail (cron's MAILTO): nothing is thrown away."""
    add_cadre(cli, "C01", "Nguyễn Văn An", BTC)
    done = cli("remind", "--email", "--cron-line", "--schedule", "0 7 * * *")
    assert done.code == 0, str(done)
    # Mail settings only in this shell's environment would be lost on cron: said on stderr.
    assert done.stderr.startswith("Note: the settings file ") and "has no smtp_url, mail_from" in done.stderr
    out = done.stdout
    assert out.startswith("0 7 * * * ") and ">/dev/null" not in out
    assert " remind --email\n" in out
    # CONGTAC12_CONFIG points elsewhere than cron would look: the line says where.
    assert f"CONGTAC12_CONFIG={settings_file()} " in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["--schedule", "every day"], ["--schedule 'every day' is not five crontab time fields"]),
        (["--schedule", "30 6 * * %"], ["is not five crontab time fields"]),
        (["--as-of", "13/11/2020"], ["--cron-line takes no --as-of or --json"]),
    ],
)
def test_cron_line_bad_input(cli, args, words) -> None:
    message = refused(cli("remind", "--cron-line", *args), 2)
    for word in words:
        assert word in message


def test_cron_line_escapes_percent_for_crontab(cli, tmp_path, monkeypatch) -> None:
    path = tmp_path / "50%" / "congtac12.db"
    path.parent.mkdir()
    monkeypatch.setenv("CONGTAC12_DB", str(path))
    out = ok(cli("remind", "--cron-line"))
    assert "50\\%" in out and "50%/" not in out.replace("50\\%", "")


def test_cron_line_drops_a_database_url_password(cli, monkeypatch) -> None:
    from congtac12.cli.cron import _without_password

    assert _without_password("postgresql://an:secret@db.example/congtac12") == "postgresql://an@db.example/congtac12"
    assert _without_password("postgresql://db.example/c?password=secret&sslmode=require") == (
        "postgresql://db.example/c?sslmode=require"
    )
    assert json.dumps(_without_password("postgresql://db.example/c")) == '"postgresql://db.example/c"'
