"""Delivering digests by email: the mark moves only after the SMTP server accepted the message."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from litwatch import digest as digest_mod
from litwatch import formats, mail
from litwatch.errors import ConfigError
from litwatch.models import Digest


def email_digest(
    db: Database,
    d: Digest,
    settings: mail.SmtpSettings,
    recipients: Sequence[str],
    *,
    skip_empty: bool = False,
) -> bool:
    """Send `d` (text + HTML) and record it as delivered; False when skipped because empty (mark unchanged)."""
    if not recipients:
        raise ConfigError("no recipients: pass --email-to ADDR or set LITWATCH_EMAIL_TO / digest.email_to")
    if d.is_empty and skip_empty:
        return False
    message = mail.build_message(
        subject=mail.digest_subject(d),
        text=formats.digest_text(d),
        html=formats.digest_html(d),
        sender=settings.mail_from or "",
        recipients=recipients,
    )
    mail.send(message, settings)  # raises MailError: nothing below runs, the mark stays where it was
    digest_mod.mark_sent(db, d, channel="email", recipients=tuple(recipients))
    return True


def last_good_run(db: Database) -> str | None:
    row = db.execute("SELECT max(last_success_at) FROM query_state").fetchone()
    return row[0] if row else None


def email_failure(
    db: Database,
    what_failed: str,
    settings: mail.SmtpSettings,
    recipients: Sequence[str],
    log_hint: str | None,
) -> None:
    """Tell someone that the unattended run failed (instead of silence, or a digest that reads 'nothing new')."""
    message = mail.failure_message(
        what_failed=what_failed,
        last_good_run=last_good_run(db),
        sender=settings.mail_from or "",
        recipients=recipients,
        log_hint=log_hint,
    )
    mail.send(message, settings)
