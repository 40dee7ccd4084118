"""SMTP delivery of reminders (nhắc báo cáo): settings, messages, one connection.

Settings come from the environment:

* ``CONGTAC12_SMTP_URL``: ``smtp://[user:password@]host[:port]`` (port 25, or
  587 with ``?starttls=1`` to upgrade the connection to TLS), or
  ``smtps://[user:password@]host[:port]`` for TLS from the first byte (port
  465). User and password are percent-encoded (``@`` is ``%40``). Certificates
  are checked against the system's trusted authorities (``SSL_CERT_FILE`` adds
  a private one).
* ``CONGTAC12_MAIL_FROM``: the sender, ``congtac12@example.vn`` or
  ``Ban Tổ chức <btc@example.vn>``.

No message ever shows the password: the server is named by
:attr:`SmtpSettings.safe_url`, and any text from a failure is masked.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from congtac12.domain.vocab import kind_name
from congtac12.errors import InvalidInput, MailError, RecipientRefused
from congtac12.i18n import N_, _
from congtac12.render.formats import integer, plural
from congtac12.render.labels import show_date, show_period
from congtac12.render.text import CadreReminders, reminder_counts, reminder_text, reminders_listing

SMTP_URL_VAR = "CONGTAC12_SMTP_URL"
MAIL_FROM_VAR = "CONGTAC12_MAIL_FROM"
TIMEOUT_S = 30
ACCEPTED_URL = N_("smtp://[user:password@]host[:port][?starttls=1] or smtps://[user:password@]host[:port]")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: bool = False  # smtps: TLS from the first byte
    starttls: bool = False  # smtp, then STARTTLS
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def safe_url(self) -> str:
        """The server as a URL with the password masked: what messages show."""
        scheme = "smtps" if self.tls else "smtp"
        who = ""
        if self.user is not None:
            who = self.user + (":***" if self.password else "") + "@"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{who}{host}:{self.port}" + ("?starttls=1" if self.starttls else "")

    def mask(self, text: str) -> str:
        """Text with the password (should a server echo it) replaced by ***."""
        return text.replace(self.password, "***") if self.password else text


@dataclass(frozen=True)
class MailSettings:
    smtp: SmtpSettings | None  # None when not configured (a dry run needs no server)
    sender: str  # the From header as given
    sender_address: str  # its bare address, for the envelope


def parse_smtp_url(url: str, *, what: str = SMTP_URL_VAR) -> SmtpSettings:
    """Settings from ``CONGTAC12_SMTP_URL``; InvalidInput (never quoting the password) if malformed."""

    def bad(why: str) -> InvalidInput:
        return InvalidInput(
            _("{var} is not a valid SMTP URL ({why}); accepted: {accepted}").format(
                var=what, why=why, accepted=_(ACCEPTED_URL)
            )
        )

    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise bad(_("the scheme must be smtp or smtps"))
    try:
        port = parts.port
    except ValueError:
        raise bad(_("the port is not a number from 1 to 65535")) from None
    if not parts.hostname:
        raise bad(_("no host"))
    if parts.path not in ("", "/") or parts.fragment:
        raise bad(_("a path or fragment is not accepted"))
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise bad(_("the query is not key=value")) from None
    unknown = sorted(set(query) - {"starttls"})
    if unknown:
        raise bad(_("unknown parameter {name}").format(name=unknown[0]))
    starttls = False
    if "starttls" in query:
        value = query["starttls"][-1].lower()
        if value not in _TRUE | _FALSE:
            raise bad(_("starttls must be 1 or 0"))
        starttls = value in _TRUE
    tls = parts.scheme == "smtps"
    if tls and starttls:
        raise bad(_("smtps is TLS already; starttls goes with smtp://"))
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    if not ((user or "").isascii() and (password or "").isascii()):
        raise bad(_("the user name and password must be ASCII (smtplib logs in with ASCII only)"))
    if port is None:
        port = 465 if tls else 587 if starttls else 25
    if port == 0:
        raise bad(_("the port is not a number from 1 to 65535"))
    return SmtpSettings(parts.hostname, port, tls, starttls, user or None, password or None)


def usable_address(address: str) -> bool:
    """An address this program can put in a message: local@domain.tld, ASCII, one address."""
    local, at, domain = address.rpartition("@")
    if not (at and local and "." in domain and address.isascii()):
        return False
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return False
    return not any(c.isspace() or c in ",;<>" for c in address)


def parse_address(text: str, *, what: str) -> str:
    """The bare address in ``text`` ("Name <a@b.vn>" or "a@b.vn"); InvalidInput if there is none."""
    _name, address = parseaddr(text.strip())
    if not usable_address(address):
        raise InvalidInput(
            _(
                '{what} {value!r} is not an email address; accepted: btc@example.vn or "Ban Tổ chức <btc@example.vn>"'
            ).format(what=what, value=text)
        )
    return address


def settings_from_env(
    environ: Mapping[str, str], *, need_server: bool, origin: Mapping[str, str] | None = None
) -> MailSettings:
    """Mail settings from the environment; the server is required unless ``need_server`` is False.

    ``origin``: where each variable came from, "env" or the settings file's
    path (see ``settings.mail_environment``), for the messages.
    """
    origin = origin or {}

    def what(var: str, key: str) -> str:
        source = origin.get(var, "env")
        return var if source == "env" else _("{key} in {path}").format(key=key, path=source)

    url = environ.get(SMTP_URL_VAR, "").strip()
    sender = environ.get(MAIL_FROM_VAR, "").strip()
    if need_server and not url:
        raise InvalidInput(
            _("--email needs {var}, the SMTP server (or 'congtac12 config set smtp_url'); accepted: {accepted}").format(
                var=SMTP_URL_VAR, accepted=_(ACCEPTED_URL)
            )
        )
    if need_server and not sender:
        raise InvalidInput(
            _(
                "--email needs {var}, the sender's address, e.g. congtac12@example.vn "
                "(or 'congtac12 config set mail_from ADDRESS')"
            ).format(var=MAIL_FROM_VAR)
        )
    smtp = parse_smtp_url(url, what=what(SMTP_URL_VAR, "smtp_url")) if url else None
    address = parse_address(sender, what=what(MAIL_FROM_VAR, "mail_from")) if sender else ""
    return MailSettings(smtp, sender, address)


# --- messages ---------------------------------------------------------------


def _message(sender: MailSettings, to: str, to_name: str | None, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender.sender
    msg["To"] = Address(display_name=to_name or "", addr_spec=to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    # The sender's domain, not socket.getfqdn(): that can wait on DNS for seconds.
    msg["Message-ID"] = make_msgid(domain=sender.sender_address.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    return msg


def cadre_subject(group: CadreReminders) -> str:
    if not group.items:  # plans only
        return "[congtac12] " + plural(
            len(group.plans),
            N_("{name}: {n} planned trip to remind of"),
            N_("{name}: {n} planned trips to remind of"),
            name=group.name,
        )
    overdue, soon = reminder_counts([group])
    if overdue and soon:
        one, many = (
            N_("{name}: {n} result report overdue, {soon} due soon"),
            N_("{name}: {n} result reports overdue, {soon} due soon"),
        )
    elif overdue:
        one, many = N_("{name}: {n} result report overdue"), N_("{name}: {n} result reports overdue")
    else:
        one, many = N_("{name}: {n} result report due soon"), N_("{name}: {n} result reports due soon")
    return "[congtac12] " + plural(overdue or soon, one, many, name=group.name, soon=integer(soon))


def cadre_body(group: CadreReminders, as_of: date, due_days: int) -> str:
    lines = [_("Dear {name},").format(name=group.name)]
    if group.items:
        lines += _report_lines(group, as_of, due_days)
    if group.plans:
        lines += _plan_lines(group, as_of)
    lines += [
        "",
        _("This reminder is sent automatically, at most once a day for each report.")
        if not group.plans
        else _("This reminder is sent automatically, at most once a day for each report and each plan."),
        "-- ",
        "congtac12",
    ]
    return "\n".join(lines) + "\n"


def _plan_lines(group: CadreReminders, as_of: date) -> list[str]:
    from congtac12.domain.states import PLAN_MISSED_REMINDER
    from congtac12.render.plans import plan_reminder_line

    lines = ["", _("As of {date}, your planned trips (đăng ký):").format(date=show_date(as_of))]
    for rem, who in group.plans:
        lines += ["", "  • " + plan_reminder_line(rem, who.facts)]
    missed = [rem.plan_id for rem, _who in group.plans if rem.state == PLAN_MISSED_REMINDER]
    if missed:
        lines += ["", _("If the trip was made, record its visit:"), "", f"    congtac12 add-visit --plan {missed[0]}"]
    return lines


def _report_lines(group: CadreReminders, as_of: date, due_days: int) -> list[str]:
    lines = [
        "",
        _("As of {date}, no result report (báo cáo kết quả) is recorded for these trips:").format(
            date=show_date(as_of)
        ),
    ]
    for rem, row in group.items:
        content = kind_name(row.kind)
        if row.topic:
            content = _("{kind}: {topic}").format(kind=content, topic=row.topic)
        lines += [
            "",
            "  • "
            + _("Visit {id}: {unit}, {when} ({content})").format(
                id=rem.visit_id, unit=row.unit, when=show_period(row.start, rem.end), content=content
            ),
            "    "
            + _("Report due {due}: {state}.").format(due=show_date(rem.due), state=reminder_text(rem, since=True)),
        ]
    first = group.items[0][0].visit_id
    lines += [
        "",
        _("A result report is due within {days} days after a trip ends. To record one:").format(days=due_days),
        "",
        f"    congtac12 report {first}",
    ]
    return lines


def cadre_message(sender: MailSettings, group: CadreReminders, as_of: date, due_days: int) -> EmailMessage:
    """One cadre's reminder: what is owed, for which trip, since when."""
    assert group.email
    return _message(sender, group.email, group.name, cadre_subject(group), cadre_body(group, as_of, due_days))


def digest_message(
    sender: MailSettings,
    to: str,
    as_of: date,
    ahead: int,
    groups: list[CadreReminders],
    awaiting: list[Any] | None = None,
) -> EmailMessage:
    """The administrator's digest: every reminder of the run, by cadre, with what became of it;
    then the plans awaiting approval (``PlanPerson``)."""
    parts = []
    if groups:
        overdue, soon = reminder_counts(groups)
        subject = "[congtac12] " + _("Result reports as of {date}: {overdue} overdue, {soon} due soon").format(
            date=show_date(as_of), overdue=overdue, soon=soon
        )
        parts.append(reminders_listing(as_of, ahead, groups))
    else:
        subject = "[congtac12] " + _("Plans awaiting approval as of {date}: {n}").format(
            date=show_date(as_of), n=integer(len(awaiting or []))
        )
    if awaiting:
        from congtac12.render.plans import plan_reminders_listing

        parts.append(plan_reminders_listing(as_of, ahead, _Awaiting(awaiting)))
    return _message(sender, to, None, subject, "\n".join(parts))


@dataclass
class _Awaiting:
    """The digest's plans: only those awaiting approval."""

    awaiting: list[Any]
    reminders: list[Any] = field(default_factory=list)


# --- delivery ---------------------------------------------------------------


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{exc.smtp_code} {' '.join(str(text).split())}"


class Mailer:
    """One connection to the SMTP server, opened on ``with``, closed after it."""

    def __init__(self, settings: SmtpSettings, *, timeout: float = TIMEOUT_S) -> None:
        self.settings = settings
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        try:
            if s.tls:
                self._smtp = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                self._smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            self._smtp.ehlo()
            if s.starttls:
                self._smtp.starttls(context=ssl.create_default_context())
                self._smtp.ehlo()
            if s.user is not None:
                self._smtp.login(s.user, s.password or "")
        except BaseException as exc:
            self._close()
            if isinstance(exc, (OSError, smtplib.SMTPException)):
                raise self._failure(exc) from None
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (OSError, smtplib.SMTPException):
            self._smtp.close()
        self._smtp = None

    def send(self, msg: EmailMessage, *, sender: str, to: str) -> None:
        """Send one message to one recipient; returns only once the server accepted it."""
        assert self._smtp is not None, "use Mailer in a with block"
        try:
            self._smtp.send_message(msg, from_addr=sender, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as exc:
            reply = ", ".join(
                f"{code} {(text.decode('utf-8', 'replace') if isinstance(text, bytes) else text)}"
                for code, text in exc.recipients.values()
            )
            raise RecipientRefused(
                self.settings.mask(
                    _("the SMTP server {server} refused the recipient {to}: {reply}").format(
                        server=self.settings.safe_url, to=to, reply=reply
                    )
                )
            ) from None
        except smtplib.SMTPSenderRefused as exc:
            raise MailError(
                self.settings.mask(
                    _("the SMTP server {server} refused the sender {sender}: {reply}").format(
                        server=self.settings.safe_url, sender=sender, reply=_reply(exc)
                    )
                )
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise self._failure(exc) from None

    def _failure(self, exc: BaseException) -> MailError:
        server = self.settings.safe_url
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            text = _("the SMTP server {server} refused the login of {user}: {reply}").format(
                server=server, user=self.settings.user, reply=_reply(exc)
            )
        elif isinstance(exc, smtplib.SMTPServerDisconnected):
            text = _("the SMTP server {server} closed the connection").format(server=server)
        elif isinstance(exc, smtplib.SMTPNotSupportedError):
            text = _("the SMTP server {server} does not support what was asked: {reason}").format(
                server=server, reason=str(exc)
            )
        elif isinstance(exc, smtplib.SMTPResponseException):
            text = _("the SMTP server {server} answered {reply}").format(server=server, reply=_reply(exc))
        elif isinstance(exc, ssl.SSLError):
            text = _("TLS with the SMTP server {server} failed: {reason}").format(
                server=server, reason=exc.reason or str(exc)
            )
        elif isinstance(exc, ConnectionRefusedError):
            text = _("cannot connect to the SMTP server {server}: connection refused").format(server=server)
        elif isinstance(exc, socket.gaierror):
            text = _("cannot find the SMTP server's host {host}").format(host=self.settings.host)
        elif isinstance(exc, TimeoutError):
            text = _("the SMTP server {server} did not answer within {seconds} s").format(
                server=server, seconds=self.timeout
            )
        elif isinstance(exc, OSError):
            text = _("cannot talk to the SMTP server {server}: {reason}").format(
                server=server, reason=exc.strerror or str(exc)
            )
        else:
            text = _("the SMTP server {server} failed: {reason}").format(server=server, reason=str(exc))
        return MailError(self.settings.mask(text))
