"""Build the digest and failure emails and send them over SMTP (smtplib); no rendering, no database."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, getaddresses, make_msgid, parseaddr

from litwatch import __version__
from litwatch.errors import ConfigError, MailError
from litwatch.models import Digest

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
MASK = "********"


class _Policy(EmailPolicy):
    """The default email policy, except that Subject is folded by email.header.

    The default folder (Python 3.11) drops or doubles a space next to an encoded word in long non-ASCII
    subjects, and moves a subject of about 78 characters onto a continuation line that Python's own parser
    reads back with a leading space; email.header folds between whole encoded words, which round-trips.
    """

    def _fold_subject(self, name: str, value: str) -> str:
        charset = "us-ascii" if value.isascii() else "utf-8"
        header = Header(value, charset, maxlinelen=self.max_line_length, header_name=name)
        encoded = header.encode(linesep=self.linesep)
        if encoded.startswith(self.linesep):  # a first word longer than a line: keep it on the first line
            encoded = encoded[len(self.linesep) :].lstrip(" \t")
        return f"{name}: {encoded}{self.linesep}"

    def fold(self, name, value):
        if name.lower() == "subject":
            return self._fold_subject(name, str(value))
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "subject":
            return self._fold_subject(name, str(value)).encode("ascii")
        return super().fold_binary(name, value)


POLICY = _Policy()


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server; `repr`/`str` mask the password so it never reaches a log or traceback."""

    host: str | None = None
    port: int | None = None  # None: 465 for ssl, 587 for starttls, 25 for none
    user: str | None = None
    password: str | None = None
    security: str = "starttls"  # "starttls" | "ssl" | "none"
    mail_from: str | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "password" and value is not None:
                value = MASK
            parts.append(f"{f.name}={value!r}")
        return f"SmtpSettings({', '.join(parts)})"

    __str__ = __repr__

    @property
    def effective_port(self) -> int:
        """The port to connect to: the configured one, else the usual one for the security mode."""
        return self.port or DEFAULT_PORTS.get(self.security.lower(), 25)


class RecipientsRefused(MailError):
    """The server refused one or more recipients; `accepted` may still have received the message."""

    def __init__(self, line: str, *, accepted: Sequence[str], refused: Mapping[str, tuple[int, bytes]]):
        super().__init__(line)
        self.accepted = list(accepted)
        self.refused = dict(refused)


def _date_part(timestamp: str) -> str:
    return timestamp.replace(" ", "T").split("T", 1)[0]


def digest_subject(digest: Digest) -> str:
    """'litwatch: 3 long-term efficacy, 2 safety, 4 other (2026-11-16 to 2026-11-23)', or 'nothing new'."""
    window = f"{_date_part(digest.since)} to {_date_part(digest.until)}"
    if digest.is_empty:
        return f"litwatch: nothing new ({window})"
    counts = f"{len(digest.long_term_efficacy)} long-term efficacy, {len(digest.safety)} safety"
    if digest.other_on_topic:
        counts += f", {len(digest.other_on_topic)} other"
    return f"litwatch: {counts} ({window})"


def _msgid_domain(sender: str) -> str:
    # make_msgid() without a domain calls socket.getfqdn(), which can stall on a host without DNS.
    domain = parseaddr(sender)[1].rpartition("@")[2]
    return domain.strip("[] ") or "localhost"


def build_message(
    *,
    subject: str,
    text: str,
    html: str | None,
    sender: str,
    recipients: Sequence[str],
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A multipart/alternative message (plain text, then HTML), marked auto-generated for autoresponders.

    Bodies go out quoted-printable so long HTML lines and non-ASCII text survive any relay.
    `headers` adds or replaces headers (e.g. List-Id).
    """
    if not sender or not sender.strip():
        raise ConfigError("mail sender not set: set LITWATCH_MAIL_FROM or smtp.mail_from in the config file")
    if isinstance(recipients, str):
        recipients = [recipients]
    recipients = [r.strip() for r in recipients if r and r.strip()]
    if not recipients:
        raise ConfigError("no mail recipients: set LITWATCH_EMAIL_TO or digest.email_to in the config file")
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(idstring="litwatch", domain=_msgid_domain(sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders must not answer
    message["X-Mailer"] = f"litwatch/{__version__}"
    for name, value in (headers or {}).items():
        del message[name]
        message[name] = value
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def _short(what: str, limit: int = 60) -> str:
    line = " ".join(what.strip().splitlines()[0].split()) if what.strip() else "unknown error"
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut.rstrip(" ,;:") + "..."


def failure_message(
    *,
    what_failed: str,
    last_good_run: str | None,
    sender: str,
    recipients: Sequence[str],
    log_hint: str | None,
) -> EmailMessage:
    """A short plain-text notice for a failed scheduled run, so a silent cron never reads as 'nothing new'."""
    last = last_good_run or "never"
    if log_hint:
        todo = f"Look at {log_hint} for details, fix the cause, then run litwatch again."
    else:
        todo = (
            "Run the same litwatch command by hand to see the full error, fix the cause, then run it again."
        )
    text = (
        "The weekly litwatch run failed.\n\n"
        f"What failed: {what_failed.strip() or 'unknown error'}\n"
        f"Last good run: {last}\n\n"
        "No digest was sent and the last-digest mark did not move, so nothing is lost: the next run that\n"
        "succeeds will include every study found since the last digest.\n\n"
        f"What to do: {todo}\n"
    )
    return build_message(
        subject=f"litwatch: weekly run FAILED ({_short(what_failed)})",
        text=text,
        html=None,
        sender=sender,
        recipients=recipients,
    )


def _check(settings: SmtpSettings) -> str:
    """Fail with a ConfigError (exit 2) before any connection if the settings cannot work; return the mode."""
    if not settings.host or not settings.host.strip():
        raise ConfigError("SMTP host not set: set LITWATCH_SMTP_HOST or smtp.host in the config file")
    if not settings.mail_from or not settings.mail_from.strip():
        raise ConfigError("mail sender not set: set LITWATCH_MAIL_FROM or smtp.mail_from in the config file")
    security = (settings.security or "").strip().lower()
    if security not in SECURITIES:
        raise ConfigError(
            f"unknown SMTP security {settings.security!r}: use one of {', '.join(SECURITIES)} "
            "(LITWATCH_SMTP_SECURITY or smtp.security in the config file)"
        )
    if settings.port is not None and not 0 < settings.port < 65536:
        raise ConfigError(f"SMTP port {settings.port} is not a valid port number (1-65535)")
    if settings.user and settings.password is None:
        raise ConfigError(
            f"SMTP user {settings.user!r} set but no password: set LITWATCH_SMTP_PASSWORD or smtp.password"
        )
    if settings.user and not (settings.user + (settings.password or "")).isascii():
        # smtplib encodes AUTH as ASCII and would crash mid-session with a UnicodeEncodeError.
        raise ConfigError("SMTP user name and password must be ASCII (smtplib cannot send other characters)")
    return security


def _recipients(message: EmailMessage) -> list[str]:
    values = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(values) if address]


def _envelope_sender(settings: SmtpSettings) -> str:
    """The bare address of `mail_from` ('litwatch <lw@example.org>' -> 'lw@example.org'), for MAIL FROM."""
    return parseaddr(settings.mail_from or "")[1] or (settings.mail_from or "").strip()


def _timed_out(err: BaseException) -> bool:
    # smtplib turns a read timeout into SMTPServerDisconnected; the TimeoutError is its context.
    return isinstance(err, TimeoutError) or isinstance(err.__context__, TimeoutError)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _explain(err: OSError, settings: SmtpSettings, where: str) -> str:
    """One line saying what went wrong with which server, in the user's terms."""
    if _timed_out(err):
        return f"SMTP server {where} did not answer within {settings.timeout:g} s"
    if isinstance(err, smtplib.SMTPResponseException):
        reply = _reply(err.smtp_code, err.smtp_error)
        if isinstance(err, smtplib.SMTPAuthenticationError):
            return f"SMTP server {where} refused the login for user {settings.user!r} ({reply})"
        if isinstance(err, smtplib.SMTPSenderRefused):
            return f"SMTP server {where} refused the sender {err.sender} ({reply})"
        if isinstance(err, smtplib.SMTPDataError):
            return f"SMTP server {where} refused the message ({reply})"
        if isinstance(err, smtplib.SMTPConnectError):
            return f"SMTP server {where} refused the connection ({reply})"
        if isinstance(err, smtplib.SMTPHeloError):
            return f"SMTP server {where} refused the greeting ({reply})"
        return f"SMTP server {where} answered with an error ({reply})"
    if isinstance(err, smtplib.SMTPNotSupportedError):
        return f"SMTP server {where} does not support what litwatch needs: {err}"
    if isinstance(err, smtplib.SMTPServerDisconnected):
        return f"SMTP server {where} closed the connection unexpectedly ({err or 'no reason given'})"
    if isinstance(err, smtplib.SMTPException):
        return f"SMTP exchange with {where} failed: {err}"
    if isinstance(err, ssl.SSLCertVerificationError):
        reason = err.verify_message or err.reason
        return f"TLS certificate of SMTP server {where} could not be verified: {reason}"
    if isinstance(err, ssl.SSLError):
        return f"TLS with SMTP server {where} failed: {err.reason or err}"
    if isinstance(err, socket.gaierror):
        return f"cannot connect to SMTP server {where}: host name not found ({err.strerror or err})"
    if isinstance(err, ConnectionRefusedError):
        return f"cannot connect to SMTP server {where}: Connection refused"
    return f"cannot talk to SMTP server {where}: {err.strerror or err}"


def _redact(line: str, settings: SmtpSettings) -> str:
    # Belt and braces: no server reply or OS message may carry the password into a log line.
    return line.replace(settings.password, MASK) if settings.password else line


def _connect(settings: SmtpSettings, security: str, host: str, port: int) -> smtplib.SMTP:
    if security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=settings.timeout, context=ssl.create_default_context())
    return smtplib.SMTP(host, port, timeout=settings.timeout)


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _session(
    smtp: smtplib.SMTP,
    message: EmailMessage,
    settings: SmtpSettings,
    security: str,
    where: str,
    recipients: list[str],
) -> dict[str, tuple[int, bytes]]:
    if security == "starttls":
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise MailError(
                f"SMTP server {where} does not offer STARTTLS; not sending in plaintext "
                "(use security 'ssl' for port 465, or 'none' only for a trusted local relay)"
            )
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()
    if settings.user:
        smtp.login(settings.user, settings.password or "")
    return smtp.send_message(message, from_addr=_envelope_sender(settings), to_addrs=recipients)


def send(message: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Send `message` to the addresses in its To/Cc/Bcc headers; return the recipients the server accepted.

    Any failure raises MailError with one line naming the server (never the password). A refused recipient
    is a failure even when others accepted the message (RecipientsRefused, with `.accepted` and `.refused`):
    litwatch would rather send a digest twice than let one reader silently miss it, so the caller should
    treat the run as failed and keep the last-digest mark where it was.
    The envelope sender is `settings.mail_from`; starttls never falls back to plaintext.
    """
    security = _check(settings)
    recipients = _recipients(message)
    if not recipients:
        raise ConfigError("the message has no recipients (To, Cc or Bcc)")
    host, port = settings.host.strip(), settings.effective_port
    where = f"{host}:{port}"
    try:
        smtp = _connect(settings, security, host, port)
        try:
            refused = _session(smtp, message, settings, security, where, recipients)
        except BaseException:
            smtp.close()  # no QUIT: after a failed TLS handshake it could wait out the whole timeout
            raise
        _close(smtp)
    except MailError:
        raise
    except smtplib.SMTPRecipientsRefused as err:
        raise _refused(where, [], err.recipients, settings) from err
    except OSError as err:  # smtplib, ssl and socket errors are all OSErrors
        raise MailError(_redact(_explain(err, settings, where), settings)) from err
    if refused:
        raise _refused(where, [r for r in recipients if r not in refused], refused, settings)
    return recipients


def _refused(
    where: str, accepted: list[str], refused: Mapping[str, tuple[int, bytes]], settings: SmtpSettings
) -> RecipientsRefused:
    named = "; ".join(f"{address} ({_reply(code, text)})" for address, (code, text) in refused.items())
    line = f"SMTP server {where} refused recipient(s): {named}"
    line += f"; the message went only to {', '.join(accepted)}" if accepted else "; nothing was sent"
    return RecipientsRefused(_redact(line, settings), accepted=accepted, refused=refused)
