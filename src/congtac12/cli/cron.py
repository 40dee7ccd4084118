"""``congtac12 remind --cron-line``: the crontab line that works as written on this installation.

Cron runs a job with almost no environment: ``PATH=/usr/bin:/bin``, ``HOME``,
``SHELL=/bin/sh``, no ``LANG``, none of the shell's variables. So the line
names this program by its absolute path, the database and the language as
options, and no secret: the SMTP settings are read from the private settings
file (``congtac12 config set smtp_url``), which cron finds through ``HOME``.
Cron mails whatever a job prints to ``MAILTO``; with ``--summary-to`` the digest
already goes by mail, so the line sends standard output to /dev/null and only
errors reach ``MAILTO``.
"""

import os
import re
import shlex
import sys
from pathlib import Path

from congtac12.cli.common import db_path, notice
from congtac12.errors import InvalidInput
from congtac12.i18n import _, current_language


def executable() -> list[str]:
    """How to start this very program again from cron: its script's absolute path, or python -m."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name.startswith("congtac12") and argv0.is_file() and os.access(argv0, os.X_OK):
        return [str(argv0.resolve())]
    import shutil

    found = shutil.which("congtac12")
    if found:
        return [str(Path(found).resolve())]
    # A virtual environment's python is a symlink: kept as is, it still means the venv.
    return [os.path.abspath(sys.executable), "-m", "congtac12"]


def _without_password(url: str) -> str:
    shown = re.sub(r"^([A-Za-z+]+://[^:/@?#]*):[^@/?#]*@", r"\1@", url)
    return re.sub(r"([?&])password=[^&#]*&?", r"\1", shown).rstrip("?&")


def _schedule_fields(schedule: str) -> str:
    fields = schedule.split()
    if len(fields) != 5 or any("%" in f for f in fields):
        raise InvalidInput(
            _("--schedule {value!r} is not five crontab time fields; accepted: e.g. '30 6 * * 1-5'").format(
                value=schedule
            )
        )
    return " ".join(fields)


def cron_line(schedule: str, options: list[str], *, email: bool, summary_to: str | None) -> str:
    """The crontab line: schedule, [CONGTAC12_CONFIG=…] program --db DB --lang L remind OPTIONS."""
    from congtac12 import settings
    from congtac12.store.location import PgUrl

    when = _schedule_fields(schedule)
    target = db_path()
    if isinstance(target, PgUrl):
        db = _without_password(target.url)
        if db != target.url:
            notice(_("Note: the database URL's password is left out of the line; cron's user needs it in ~/.pgpass."))
    else:
        db = str(Path(target).resolve())
    words = [*executable(), "--db", db, "--lang", current_language(), "remind", *options]
    path = settings.settings_path()
    prefix = "" if settings.is_default_path(path) else f"{settings.ENV_VAR}={shlex.quote(str(path))} "
    if email:
        values = settings.read_settings(path)  # refused now, not at 6:30, if it cannot be used
        missing = [key for key in settings.FILE_KEYS if not values.get(key, "").strip()]
        if missing:
            notice(
                _(
                    "Note: the settings file {path} has no {keys}; cron has none of this shell's variables: "
                    "store them with 'congtac12 config set KEY'"
                ).format(path=path, keys=", ".join(missing))
            )
    command = prefix + " ".join(shlex.quote(w) for w in words)
    if summary_to:
        command += " >/dev/null"  # the digest is the clerk's mail; MAILTO gets only errors
    # In a crontab a bare % ends the command (the rest is its standard input).
    return f"{when} {command.replace('%', chr(92) + '%')}"
