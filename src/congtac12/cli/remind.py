"""``congtac12 remind``: reports that are overdue or due soon, listed or mailed (nhắc báo cáo).

Made for cron: it prints nothing when nothing is owed. What is owed, and its delivery
by mail once a day, is ``services.reminders``'; this module parses and shows.
"""

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from congtac12.cli.common import (
    PolicyOption,
    YearOption,
    db_path,
    guarded,
    notice,
    parse_date,
    print_json,
    today,
)
from congtac12.errors import InvalidInput, MailError
from congtac12.i18n import _

if TYPE_CHECKING:
    from congtac12.services.reminders import Found


@guarded
def remind(
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help=_("The day to check (default: today)."))
    ] = None,
    ahead: Annotated[
        int, typer.Option("--ahead", metavar="N", min=0, help=_("Also remind of reports due within N days."))
    ] = 3,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON (always, even when nothing is owed)."))] = False,
    email: Annotated[
        bool,
        typer.Option("--email", help=_("Mail each cadre what they owe (CONGTAC12_SMTP_URL, CONGTAC12_MAIL_FROM).")),
    ] = False,
    summary_to: Annotated[
        str | None,
        typer.Option(
            "--summary-to",
            metavar="ADDRESS",
            help=_("With --email, also mail a digest of all reminders to this address."),
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("With --email, show what would be sent; send and record nothing."))
    ] = False,
    policy: PolicyOption = None,
    year: YearOption = None,
    cron_line: Annotated[
        bool,
        typer.Option(
            "--cron-line",
            help=_("Print the crontab line that runs this command daily on this installation, and do nothing else."),
        ),
    ] = False,
    schedule: Annotated[
        str,
        typer.Option("--schedule", metavar="FIELDS", help=_("With --cron-line: the five crontab time fields.")),
    ] = "30 6 * * 1-5",
) -> None:
    """List result reports that are overdue or due within --ahead days, by cadre; with --email, mail them.

    Prints nothing when nothing is owed (for cron). With --email a reminder for a
    visit's report goes at most once a day; what this run sends, and cadres
    without an address, are listed.

    Plans (đăng ký) too: an approved trip that starts within --ahead days, a
    missed one (its last day and the report window passed with no visit), and
    the plans awaiting approval; with --email a cadre's plans go in its message,
    and the plans awaiting approval in the digest, once a day.

    --cron-line prints the crontab line for this installation (this program's
    absolute path, the database, the language; never a password).

    Example: congtac12 remind --email --summary-to btc@thanhdoan.example
    """
    if (summary_to is not None or dry_run) and not email:
        raise InvalidInput(_("--summary-to and --dry-run go with --email"))
    if cron_line:
        from congtac12.cli.cron import cron_line as line_for

        if as_of is not None or json_:
            raise InvalidInput(_("--cron-line takes no --as-of or --json: the job checks the day it runs"))
        options = (["--email"] if email else []) + (["--summary-to", summary_to] if summary_to else [])
        options += (["--dry-run"] if dry_run else []) + (["--ahead", str(ahead)] if ahead != 3 else [])
        options += (["--policy", policy] if policy else []) + (["--year", str(year)] if year else [])
        sys.stdout.write(line_for(schedule, options, email=email, summary_to=summary_to) + "\n")
        return
    from congtac12.services import reminders

    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    if not email:
        _show(reminders.find(db_path(), day=day, ahead=ahead, policy=policy, year=year, notify=notice), json_)
        return
    from congtac12 import mail  # the mail modules (smtplib, ssl, email) only for mail
    from congtac12.settings import mail_environment

    admin = mail.parse_address(summary_to, what="--summary-to") if summary_to is not None else None
    environ, origin = mail_environment(os.environ)  # the environment wins over the settings file
    settings = mail.settings_from_env(environ, need_server=not dry_run, origin=origin)
    done = reminders.deliver(
        db_path(),
        day=day,
        ahead=ahead,
        settings=settings,
        admin=admin,
        dry_run=dry_run,
        policy=policy,
        year=year,
        notify=notice,
    )
    _show(done, json_, notes=done.notes)
    if done.failure is not None:
        raise done.failure
    if done.refused:
        raise MailError("; ".join(done.refused))


def _show(found: "Found", json_: bool, *, notes: "list[str] | None" = None) -> None:
    """The listing (or ``--json``) of what was found or handled, the plans, then the notes (the digest)."""
    from congtac12.render.json import reminders_dict
    from congtac12.render.plans import plan_reminders_dict, plan_reminders_listing
    from congtac12.render.text import reminders_listing

    if json_:
        print_json({**reminders_dict(found.day, found.groups), "plans": plan_reminders_dict(found.plans)})
        return
    parts = [reminders_listing(found.day, found.ahead, found.groups)] if found.groups else []
    plans = plan_reminders_listing(found.day, found.ahead, found.plans)
    parts += [plans] if plans else []
    sys.stdout.write("\n".join(parts))
    for line in notes or []:
        sys.stdout.write(line + "\n")
