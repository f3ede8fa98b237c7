"""A recording SMTP server (aiosmtpd) on 127.0.0.1, as a fixture factory: `smtp_server(login=..., refuse=...)`."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from litwatch.mail import SmtpSettings

SENDER = "litwatch <litwatch@watch.example.org>"
USER, PASSWORD = "reader", "hunter2-correct-horse"


# --- a recording SMTP server -------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    authenticated: bool

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)


@dataclass
class Recorder:
    """aiosmtpd handler: keeps each delivered envelope; can refuse given recipients, the sender or data."""

    refuse: tuple[str, ...] = ()
    refuse_sender: bool = False
    refuse_data: bool = False
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return "553 5.7.1 sender not allowed here"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return "554 5.6.0 message looks like spam"
        self.received.append(
            Received(
                envelope.mail_from, list(envelope.rcpt_tos), envelope.content, bool(session.authenticated)
            )
        )
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.login.decode())
        good = (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
        return AuthResult(success=good, handled=False)  # handled=False: aiosmtpd sends the 535 itself


@dataclass
class Server:
    host: str
    port: int
    handler: Recorder

    def settings(self, **overrides) -> SmtpSettings:
        options = dict(host=self.host, port=self.port, security="none", mail_from=SENDER, timeout=10.0)
        return SmtpSettings(**(options | overrides))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Factory: start aiosmtpd on loopback with the given faults, login and TLS; stop them all after."""
    controllers = []

    def start(*, login=False, starttls=None, implicit_tls=None, **faults) -> Server:
        handler = Recorder(**faults)
        options = {}
        if login:
            # Without TLS the server must offer AUTH in plaintext; with STARTTLS it offers AUTH only after it.
            options.update(authenticator=handler.authenticate, auth_require_tls=starttls is not None)
        if starttls is not None:
            options["tls_context"] = starttls
        controller = Controller(
            handler, hostname="127.0.0.1", port=free_port(), ssl_context=implicit_tls, **options
        )
        controller.start()
        controllers.append(controller)
        return Server("127.0.0.1", controller.port, handler)

    yield start
    for controller in controllers:
        controller.stop()
