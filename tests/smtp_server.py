"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the reminder tests.

It keeps every message it accepted, parsed, with its envelope; it can refuse
recipients, require a login, speak TLS from the start (smtps) or after
STARTTLS, fail the DATA of chosen messages, and be stopped and started again
on the same port.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

DATA = Path(__file__).with_name("data")
CERT = DATA / "smtp-test-cert.pem"  # self-signed for 127.0.0.1 and localhost, 2000-2100
KEY = DATA / "smtp-test-key.pem"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes  # as it came over the wire

    @property
    def body(self) -> str:
        """The decoded text, with SMTP's CRLF line ends as "\\n"."""
        return self.message.get_content().replace("\r\n", "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Handler:
    server: SmtpServer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ANN001
        if address in self.server.reject:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.server.data_count += 1
        if self.server.data_count in self.server.fail_data:
            return "451 4.3.0 temporary failure, try again later"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.server.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.original_content)
        )
        return "250 OK"


@dataclass
class SmtpServer:
    port: int = field(default_factory=free_port)
    reject: set[str] = field(default_factory=set)  # recipients refused with 550
    login: tuple[str, str] | None = None  # (user, password) required to send
    mode: str = "plain"  # plain, smtps or starttls
    fail_data: set[int] = field(default_factory=set)  # the n-th DATA (1-based) answered 451
    received: list[Received] = field(default_factory=list)
    data_count: int = 0
    _controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):  # noqa: ANN001
        ok = (
            isinstance(auth_data, LoginPassword)
            and self.login is not None
            and (auth_data.login.decode(), auth_data.password.decode()) == self.login
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    def start(self) -> SmtpServer:
        kwargs: dict = {}
        context = None
        if self.mode in ("smtps", "starttls"):
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(CERT, KEY)
        if self.mode == "smtps":
            kwargs["ssl_context"] = context
        elif self.mode == "starttls":
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = True
        if self.login is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=self.mode != "plain")
        self._controller = Controller(Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def url(self, *, user: str | None = None, password: str | None = None) -> str:
        scheme = "smtps" if self.mode == "smtps" else "smtp"
        who = f"{user}:{password}@" if user is not None else ""
        query = "?starttls=1" if self.mode == "starttls" else ""
        return f"{scheme}://{who}127.0.0.1:{self.port}{query}"
