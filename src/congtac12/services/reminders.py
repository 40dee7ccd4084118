"""Reminders (nhắc báo cáo): the reports overdue or due soon, the plans (đăng ký) starting soon or
missed, the plans awaiting approval, and the reports' delivery by mail.

``find`` reads (plain SQL, ``store.read``) what is owed as of a day; ``deliver`` mails
it, each reminder (a visit's report in one state) at most once a day to each
recipient: a send is recorded only after the SMTP server accepted it, one message
per transaction, so a failure leaves recorded exactly what was sent. Plain
arguments in, plain results out; the command line and any other front end call these.

Plans are found for the same windows as the reports (``domain.plans.plan_reminders``), each
plan's report window that of its year's policy, as ``plan list`` decides its state. ``deliver``
mails a cadre's plan reminders in the same once-a-day message as its report reminders, and the
digest lists the plans awaiting approval; each is recorded once a day in ``reminder_sent``
(its ``plan_id``, schema 6), like a visit's report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from congtac12.errors import MailError, RecipientRefused
from congtac12.i18n import N_, _
from congtac12.render.formats import plural

if TYPE_CHECKING:
    from sqlmodel import Session

    from congtac12.domain.plans import PlanReminder
    from congtac12.domain.policy import Policy
    from congtac12.domain.results import OwedReport, Reminder
    from congtac12.mail import Mailer, MailSettings
    from congtac12.render.text import CadreReminders
    from congtac12.store.location import PgUrl
    from congtac12.store.read.connect import Reader
    from congtac12.store.read.plan_rows import PlanPerson
    from congtac12.store.rows import VisitRow

Notify = Callable[[str], None]
Sent = set[tuple[int, str, str, str]]  # (visit id, state, channel, recipient) accepted for a day

CADRE = "cadre"  # the message to the cadre
DIGEST = "digest"  # the summary to the department


@dataclass
class PlanNotes:
    """The plans to remind of (by cadre, missed first) and the plans awaiting approval (submitted),
    each with its cadre's name and address."""

    reminders: list[tuple[PlanReminder, PlanPerson]] = field(default_factory=list)
    awaiting: list[PlanPerson] = field(default_factory=list)
    delivery: dict[int, str] = field(default_factory=dict)  # plan id -> what --email did with its reminder


@dataclass
class Found:
    """What is owed as of ``day`` (``groups``: one per cadre, ordered by cadre), and the plans."""

    day: date
    ahead: int
    groups: list[CadreReminders]
    plans: PlanNotes = field(default_factory=PlanNotes)


@dataclass
class Delivered(Found):
    """What a ``deliver`` run handled: the groups still to send today (each with its ``delivery``),
    the lines to show after them (the digest), the refused recipients, and a mail failure."""

    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failure: MailError | None = None


@dataclass
class _Owed:
    policy: Policy
    found: list[Reminder]
    rows: dict[int, VisitRow]
    sent: Sent
    plans: PlanNotes
    plans_sent: Sent  # (plan id, state, channel, recipient)


def windows(r: Reader | Session, policy: str | None, year: int | None, day: date) -> tuple[Policy, list[Policy]]:
    """The policy of the run, and the windows whose trips are still reminded of on ``day``.

    The window of the run and, without --year, the year before's (the ha-noi
    2020 window's December trips are still owed in January 2021), each only
    while ``day`` is at most ``remind_days_after_window`` days after its end:
    a new year does not start with the reminders of every past trip.
    """
    from congtac12.errors import CongtacError
    from congtac12.services.policy import resolve

    current = resolve(r, policy, year, day=day)
    candidates = [current]
    if year is None and current.window_start.year == day.year:
        try:
            before = resolve(r, policy, day.year - 1, day=day)
        except CongtacError:
            before = None  # no policy for the year before: nothing of it to remind
        if before is not None and before.window_end < current.window_start:
            candidates.append(before)
    return current, [p for p in candidates if p.reminds_on(day)]


def _owed(
    target: Path | PgUrl,
    *,
    day: date,
    ahead: int,
    policy: str | None,
    year: int | None,
    mailing: bool,
    digest: bool,
    notify: Notify | None,
) -> _Owed:
    """Everything read for a run, in one reading transaction (plain SQL, no ORM)."""
    from congtac12.domain.facts import ReportFacts, VisitFacts
    from congtac12.domain.owed import owed_reports, reminders
    from congtac12.store.read.cadres import cadre_facts
    from congtac12.store.read.connect import reading
    from congtac12.store.read.rights import reminder_scope
    from congtac12.store.read.settings import plan_reminders_sent, reminders_sent
    from congtac12.store.read.visits import visit_rows

    with reading(target, notify=notify) as r:
        rules_of, reminded = windows(r, policy, year, day)
        cadres, _codes = cadre_facts(r)
        owed: list[OwedReport] = []
        by_id: dict[int, VisitRow] = {}
        for window in reminded:
            # Only a visit with no report seen by the day can be owed a reminder.
            rows = visit_rows(r, start=window.window_start, end=min(day, window.window_end), unreported_by=day)
            rows = [row for row in rows if row.id not in by_id]  # a trip across two windows: reminded once
            by_id.update((row.id, row) for row in rows)
            visits = [VisitFacts(row.id, row.cadre_code, row.start, row.end, row.kind) for row in rows]
            reports = [ReportFacts(row.id, row.reported_on) for row in rows if row.reported_on is not None]
            # Owed exactly as status owes it: a visit none of whose days count owes nothing.
            owed += owed_reports(window, cadres, visits, reports, day)
        sent = reminders_sent(r, on=day) if mailing else set()
        plans_sent = plan_reminders_sent(r, on=day) if mailing else set()
        # Organisation mode: a cadre's login mails its own reminders only, and never the digest.
        own = reminder_scope(r, digest=digest) if mailing else None
        plans = _plans(r, day, ahead, reminded)
    if own is not None:
        owed = [o for o in owed if o.cadre == own]
        plans.reminders = [(m, who) for m, who in plans.reminders if m.cadre == own]
    if mailing and not digest:
        plans.awaiting = []  # listed for the department: in its digest only
    return _Owed(rules_of, reminders(owed, day, ahead), by_id, sent, plans, plans_sent)


def _plans(r: Reader, day: date, ahead: int, reminded: list[Policy]) -> PlanNotes:
    """The plans of the reminded windows (last day on or after the first window's first day)."""
    from congtac12.collation import sort_key
    from congtac12.domain.plans import plan_reminders
    from congtac12.domain.states import PLAN_SUBMITTED
    from congtac12.services.plans import report_windows
    from congtac12.store.read.plans import plans_to_remind

    if not reminded:
        return PlanNotes()
    people = plans_to_remind(r, first=min(w.window_start for w in reminded))
    grace = report_windows(r, {p.facts.end.year for p in people})
    by_id = {p.facts.id: p for p in people}
    found = plan_reminders([p.facts for p in people], day, ahead, lambda f: grace[f.end.year])
    awaiting = [p for p in people if p.facts.state == PLAN_SUBMITTED]
    awaiting.sort(key=lambda p: (p.facts.start, sort_key(p.department), sort_key(p.cadre_name), p.facts.id))
    return PlanNotes([(m, by_id[m.plan_id]) for m in found], awaiting)


def find(
    target: Path | PgUrl,
    *,
    day: date,
    ahead: int,
    policy: str | None = None,
    year: int | None = None,
    notify: Notify | None = None,
) -> Found:
    """The reports overdue or due within ``ahead`` days as of ``day``, by cadre; the approved plans
    starting within ``ahead`` days and the missed ones, by cadre; the plans awaiting approval."""
    from congtac12.render.text import group_reminders

    owed = _owed(target, day=day, ahead=ahead, policy=policy, year=year, mailing=False, digest=False, notify=notify)
    return Found(day, ahead, group_reminders(owed.found, owed.rows), owed.plans)


def deliver(
    target: Path | PgUrl,
    *,
    day: date,
    ahead: int,
    settings: MailSettings,
    admin: str | None = None,
    dry_run: bool = False,
    policy: str | None = None,
    year: int | None = None,
    notify: Notify | None = None,
) -> Delivered:
    """Mail each cadre what it owes, and ``admin`` (if given) the digest: only what was not sent
    to that recipient yet on ``day``. A mail failure is returned (``failure``) after what was
    sent before it is recorded; nothing is sent or recorded with ``dry_run``."""
    from congtac12.domain.states import PLAN_SUBMITTED
    from congtac12.render.text import CadreReminders, group_reminders

    owed = _owed(
        target, day=day, ahead=ahead, policy=policy, year=year, mailing=True, digest=admin is not None, notify=notify
    )
    found, rows, sent, ps = owed.found, owed.rows, owed.sent, owed.plans_sent
    # Only what is still to send today: to each cadre (or unreachable), and to the digest.
    groups = group_reminders([m for m in found if not _was_sent(m, rows[m.visit_id].cadre_email, CADRE, sent)], rows)
    digest = group_reminders([m for m in found if admin and not _was_sent(m, admin, DIGEST, sent)], rows)
    plans = [(m, who) for m, who in owed.plans.reminders if (m.plan_id, m.state, CADRE, who.cadre_email) not in ps]
    awaiting = [w for w in owed.plans.awaiting if (w.facts.id, PLAN_SUBMITTED, DIGEST, admin) not in ps]
    result = Delivered(day, ahead, groups, PlanNotes(plans, awaiting))
    if not groups and not digest and not plans and not awaiting:
        return result
    # One message a cadre: its report reminders, then its plans (a cadre with plans only gets one too).
    mailed = {g.code: g for g in groups}
    for m, who in plans:
        if m.cadre not in mailed:
            mailed[m.cadre] = CadreReminders(m.cadre, who.cadre_name, who.cadre_email)
        mailed[m.cadre].plans.append((m, who))
    outcome = _Delivery(target, settings, day, ahead, owed.policy.report_due_days, dry_run, notify)
    try:
        outcome.run(list(mailed.values()), digest, admin, awaiting)
    except MailError as exc:
        result.failure = exc
    result.plans.delivery = {m.plan_id: mailed[m.cadre].delivery or "not_sent" for m, _who in plans}
    result.notes, result.refused = outcome.notes, outcome.refused
    return result


def _was_sent(m: Reminder, recipient: str | None, channel: str, sent: Sent) -> bool:
    return recipient is not None and (m.visit_id, m.state, channel, recipient) in sent


class _Delivery:
    """Sends one run's messages and keeps what became of them (in each group's ``delivery``)."""

    def __init__(
        self,
        target: Path | PgUrl,
        settings: MailSettings,
        day: date,
        ahead: int,
        due_days: int,
        dry_run: bool,
        notify: Notify | None,
    ) -> None:
        self.target = target
        self.settings = settings
        self.day = day
        self.ahead = ahead
        self.due_days = due_days
        self.dry_run = dry_run
        self.notify = notify
        self.notes: list[str] = []  # lines after the listing (the digest)
        self.refused: list[str] = []  # messages of refused recipients
        self.sent = 0

    def _writing(self) -> AbstractContextManager[Session]:
        from congtac12.store.engine import session

        return session(self.target, write=True, notify=self.notify, create=True)

    def run(
        self,
        groups: list[CadreReminders],
        digest: list[CadreReminders],
        admin: str | None,
        awaiting: list[PlanPerson] | None = None,
    ) -> None:
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
        awaiting = awaiting or []
        if self.dry_run:
            if digest or awaiting:
                self.notes.append(
                    _("Dry run: the digest would go to {address}; nothing was sent or recorded.").format(address=admin)
                )
            return
        if not reachable and not digest and not awaiting:
            return  # only cadres without a usable address: no server to talk to
        assert self.settings.smtp is not None  # required unless a dry run (settings_from_env)
        try:
            with Mailer(self.settings.smtp) as mailer:
                for g in reachable:
                    try:
                        self._send_to_cadre(mailer, g)
                    except RecipientRefused as exc:
                        g.delivery = "refused"
                        self.refused.append(exc.message)
                if (digest or awaiting) and admin is not None:
                    self._send_digest(mailer, digest, admin, {g.code: g.delivery for g in groups}, awaiting)
        except MailError as exc:
            if self.sent:
                exc.message += plural(
                    self.sent,
                    N_("; the message sent before is recorded, the rest go on the next run"),
                    N_("; the {n} messages sent before are recorded, the rest go on the next run"),
                )
            raise

    def _send_to_cadre(self, mailer: Mailer, g: CadreReminders) -> None:
        from congtac12.mail import cadre_message

        assert g.email is not None
        # Under the write lock: a run at the same moment may have sent some already.
        with self._writing() as s:
            if not self._still_to_send(s, g, CADRE, g.email):
                g.delivery = "sent"
                return
            msg = cadre_message(self.settings, g, self.day, self.due_days)
            mailer.send(msg, sender=self.settings.sender_address, to=g.email)
            self._record(s, g.items, CADRE, g.email, [(m.plan_id, m.state) for m, _who in g.plans])
        g.delivery = "sent"

    def _send_digest(
        self,
        mailer: Mailer,
        digest: list[CadreReminders],
        admin: str,
        delivery: dict[str, str | None],
        awaiting: list[PlanPerson],
    ) -> None:
        from congtac12.domain.states import PLAN_SUBMITTED
        from congtac12.mail import digest_message
        from congtac12.store import queries

        for g in digest:
            # A cadre not handled in this run was reminded earlier today, or has no address.
            g.delivery = delivery.get(g.code) or ("sent" if g.email else "no_email")
        with self._writing() as s:
            digest = [g for g in digest if self._still_to_send(s, g, DIGEST, admin)]
            done = queries.plan_reminders_sent(s, on=self.day)
            awaiting = [w for w in awaiting if (w.facts.id, PLAN_SUBMITTED, DIGEST, admin) not in done]
            if not digest and not awaiting:
                return
            msg = digest_message(self.settings, admin, self.day, self.ahead, digest, awaiting)
            mailer.send(msg, sender=self.settings.sender_address, to=admin)
            plans = [(w.facts.id, PLAN_SUBMITTED) for w in awaiting]
            self._record(s, [item for g in digest for item in g.items], DIGEST, admin, plans)
        self.notes.append(_("Digest sent to {address}.").format(address=admin))

    def _still_to_send(self, s: Session, g: CadreReminders, channel: str, recipient: str) -> bool:
        from congtac12.store import queries

        done = queries.reminders_sent(s, on=self.day)
        g.items = [(m, row) for m, row in g.items if (m.visit_id, m.state, channel, recipient) not in done]
        if g.plans:
            plans_done = queries.plan_reminders_sent(s, on=self.day)
            g.plans = [(m, w) for m, w in g.plans if (m.plan_id, m.state, channel, recipient) not in plans_done]
        return bool(g.items) or bool(g.plans)

    def _record(
        self,
        s: Session,
        items: list[tuple[Reminder, VisitRow]],
        channel: str,
        recipient: str,
        plans: Sequence[tuple[int, str]] = (),
    ) -> None:
        from congtac12.store import commands

        commands.record_reminders(
            s,
            sent=[(m.visit_id, m.state) for m, _row in items],
            on=self.day,
            channel=channel,
            recipient=recipient,
            plans=plans,
        )
        self.sent += 1
