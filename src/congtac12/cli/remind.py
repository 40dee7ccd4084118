"""``congtac12 remind``: reports that are overdue or due soon, listed or mailed (nhắc báo cáo).

Made for cron: it prints nothing when nothing is owed. With ``--email`` each
reminder (a visit's report in one state) goes at most once a day to each
recipient: a send is recorded only after the SMTP server accepted it, one
message per transaction, so a failure leaves recorded exactly what was sent.
"""

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from congtac12.cli.common import (
    PolicyOption,
    YearOption,
    guarded,
    parse_date,
    print_json,
    reader,
    resolve_policy,
    session,
    today,
)
from congtac12.errors import InvalidInput, MailError, RecipientRefused
from congtac12.i18n import N_, _
from congtac12.render.formats import plural

if TYPE_CHECKING:
    from congtac12.domain.policy import Policy
    from congtac12.domain.results import Reminder
    from congtac12.mail import Mailer, MailSettings
    from congtac12.render.text import CadreReminders
    from congtac12.store.queries import VisitRow

CADRE = "cadre"
DIGEST = "digest"


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

    --cron-line prints the crontab line for this installation (this program's
    absolute path, the database, the language; never a password).

    Example: congtac12 remind --email --summary-to btc@thanhdoan.example
    """
    from congtac12.domain.facts import ReportFacts, VisitFacts
    from congtac12.domain.owed import owed_reports, reminders
    from congtac12.render.json import reminders_dict
    from congtac12.render.text import group_reminders, reminders_listing

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
    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    admin = settings = None
    if email:  # the mail modules (smtplib, ssl, email) only for mail
        from congtac12 import mail

        admin = mail.parse_address(summary_to, what="--summary-to") if summary_to is not None else None
        from congtac12.settings import mail_environment

        environ, origin = mail_environment(os.environ)  # the environment wins over the settings file
        settings = mail.settings_from_env(environ, need_server=not dry_run, origin=origin)

    if email:  # the ORM's session: what is sent is recorded, and who may mail is the store's to say
        from congtac12.store import commands
        from congtac12.store.queries import cadre_facts, reminders_sent, visit_rows

        opened = session()
    else:  # a read: plain SQL, no ORM (store.read)
        from congtac12.store.read.cadres import cadre_facts
        from congtac12.store.read.visits import visit_rows

        opened = reader()
    with opened as s:
        rules_of, windows = _windows(policy, year, s, day)
        cadres, _codes = cadre_facts(s)
        owed, by_id = [], {}
        for window in windows:
            # Only a visit with no report seen by the day can be owed a reminder.
            rows = visit_rows(s, start=window.window_start, end=min(day, window.window_end), unreported_by=day)
            rows = [r for r in rows if r.id not in by_id]  # a trip across two windows: reminded once
            by_id.update((r.id, r) for r in rows)
            visits = [VisitFacts(r.id, r.cadre_code, r.start, r.end, r.kind) for r in rows]
            reports = [ReportFacts(r.id, r.reported_on) for r in rows if r.reported_on is not None]
            # Owed exactly as status owes it: a visit none of whose days count owes nothing.
            owed += owed_reports(window, cadres, visits, reports, day)
        sent = reminders_sent(s, on=day) if email else set()
        # Organisation mode: a cadre's login mails its own reminders only, and never the digest.
        own = commands.reminder_scope(s, digest=admin is not None) if email else None
    if own is not None:
        owed = [o for o in owed if o.cadre == own]
    found = reminders(owed, day, ahead)

    if not email:
        groups = group_reminders(found, by_id)
        if json_:
            print_json(reminders_dict(day, groups))
        elif groups:
            sys.stdout.write(reminders_listing(day, ahead, groups))
        return

    # Only what is still to send today: to each cadre (or unreachable), and to the digest.
    groups = group_reminders([m for m in found if not _was_sent(m, by_id[m.visit_id].cadre_email, CADRE, sent)], by_id)
    digest = group_reminders([m for m in found if admin and not _was_sent(m, admin, DIGEST, sent)], by_id)
    if not groups and not digest:
        if json_:
            print_json(reminders_dict(day, []))
        return
    outcome = Delivery(settings, day, ahead, rules_of.report_due_days, dry_run)
    failure: MailError | None = None
    try:
        outcome.run(groups, digest, admin)
    except MailError as exc:
        failure = exc
    if json_:
        print_json(reminders_dict(day, groups))
    else:
        if groups:
            sys.stdout.write(reminders_listing(day, ahead, groups))
        for line in outcome.notes:
            sys.stdout.write(line + "\n")
    if failure is not None:
        raise failure
    if outcome.refused:
        raise MailError("; ".join(outcome.refused))


def _windows(policy: str | None, year: int | None, s, day: date) -> "tuple[Policy, list[Policy]]":  # noqa: ANN001
    """The policy of the run, and the windows whose trips are still reminded of on ``day``.

    The window of the run and, without --year, the year before's (the ha-noi
    2020 window's December trips are still owed in January 2021), each only
    while ``day`` is at most ``remind_days_after_window`` days after its end:
    a new year does not start with the reminders of every past trip.
    """
    from congtac12.errors import CongtacError

    current = resolve_policy(policy, year, s, as_of=day)
    candidates = [current]
    if year is None and current.window_start.year == day.year:
        try:
            before = resolve_policy(policy, day.year - 1, s, as_of=day)
        except CongtacError:
            before = None  # no policy for the year before: nothing of it to remind
        if before is not None and before.window_end < current.window_start:
            candidates.append(before)
    return current, [p for p in candidates if p.reminds_on(day)]


def _was_sent(m: "Reminder", recipient: str | None, channel: str, sent: set) -> bool:
    return recipient is not None and (m.visit_id, m.state, channel, recipient) in sent


class Delivery:
    """Sends one run's messages and keeps what became of them (in each group's ``delivery``)."""

    def __init__(self, settings: "MailSettings", day: date, ahead: int, due_days: int, dry_run: bool) -> None:
        self.settings = settings
        self.day = day
        self.ahead = ahead
        self.due_days = due_days
        self.dry_run = dry_run
        self.notes: list[str] = []  # lines after the listing (the digest)
        self.refused: list[str] = []  # messages of refused recipients
        self.sent = 0

    def run(self, groups: "list[CadreReminders]", digest: "list[CadreReminders]", admin: str | None) -> None:
        from congtac12.mail import Mailer, usable_address

        reachable = []
        for g in groups:
            if not g.email:
                g.delivery = "no_email"
            elif not usable_address(g.email):
                g.delivery = "refused"
                self.refused.append(
                    _("{code}'s email address {address!r} cannot be used; correct it with the cadre's record").format(
                        code=g.code, address=g.email
                    )
                )
            else:
                g.delivery = "dry_run" if self.dry_run else "not_sent"
                reachable.append(g)
        if self.dry_run:
            if digest:
                self.notes.append(
                    _("Dry run: the digest would go to {address}; nothing was sent or recorded.").format(address=admin)
                )
            return
        if not reachable and not digest:
            return  # only cadres without a usable address: no server to talk to
        try:
            with Mailer(self.settings.smtp) as mailer:
                for g in reachable:
                    try:
                        self._send_to_cadre(mailer, g)
                    except RecipientRefused as exc:
                        g.delivery = "refused"
                        self.refused.append(exc.message)
                if digest:
                    self._send_digest(mailer, digest, admin, {g.code: g.delivery for g in groups})
        except MailError as exc:
            if self.sent:
                exc.message += plural(
                    self.sent,
                    N_("; the message sent before is recorded, the rest go on the next run"),
                    N_("; the {n} messages sent before are recorded, the rest go on the next run"),
                )
            raise

    def _send_to_cadre(self, mailer: "Mailer", g: "CadreReminders") -> None:
        from congtac12.mail import cadre_message

        # Under the write lock: a run at the same moment may have sent some already.
        with session(write=True) as s:
            if not self._still_to_send(s, g, CADRE, g.email):
                g.delivery = "sent"
                return
            msg = cadre_message(self.settings, g, self.day, self.due_days)
            mailer.send(msg, sender=self.settings.sender_address, to=g.email)
            self._record(s, g.items, CADRE, g.email)
        g.delivery = "sent"

    def _send_digest(
        self, mailer: "Mailer", digest: "list[CadreReminders]", admin: str, delivery: dict[str, str | None]
    ) -> None:
        from congtac12.mail import digest_message

        for g in digest:
            # A cadre not handled in this run was reminded earlier today, or has no address.
            g.delivery = delivery.get(g.code) or ("sent" if g.email else "no_email")
        with session(write=True) as s:
            digest = [g for g in digest if self._still_to_send(s, g, DIGEST, admin)]
            if not digest:
                return
            msg = digest_message(self.settings, admin, self.day, self.ahead, digest)
            mailer.send(msg, sender=self.settings.sender_address, to=admin)
            self._record(s, [item for g in digest for item in g.items], DIGEST, admin)
        self.notes.append(_("Digest sent to {address}.").format(address=admin))

    def _still_to_send(self, s, g: "CadreReminders", channel: str, recipient: str) -> bool:  # noqa: ANN001
        from congtac12.store import queries

        done = queries.reminders_sent(s, on=self.day)
        g.items = [(m, row) for m, row in g.items if (m.visit_id, m.state, channel, recipient) not in done]
        return bool(g.items)

    def _record(self, s, items: "list[tuple[Reminder, VisitRow]]", channel: str, recipient: str) -> None:  # noqa: ANN001
        from congtac12.store import commands

        commands.record_reminders(
            s,
            sent=[(m.visit_id, m.state) for m, _row in items],
            on=self.day,
            channel=channel,
            recipient=recipient,
        )
        self.sent += 1
