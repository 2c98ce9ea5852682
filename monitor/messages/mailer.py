"""Sends the e-mails of pending notifications through SMTP, each at most once across workers and restarts.

Every notification is claimed with one conditional UPDATE (pending -> sending) before it is sent, so two workers
never both send it. A claim still 'sending' after STALE_AFTER belongs to a worker that stopped mid-send: the mail may
or may not have gone out, so it is marked failed rather than sent again (at most once, never twice).
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine, select, update

from db.engine import reading
from db.models import Notification, Person
from monitor.config import EmailSettings, Settings
from monitor.i18n import gettext_for
from monitor.messages.inbox import render

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
STALE_ERROR = "worker stopped while sending; check the mail server log"
BATCH = 100
SMTP_TIMEOUT_SECONDS = 30
SUBJECT_MAX = 120

SmtpFactory = Callable[[EmailSettings], smtplib.SMTP]


@dataclass
class MailReport:
    sent: int = 0
    failed: int = 0
    stale: int = 0  # claims of a stopped worker, marked failed


def connect(email: EmailSettings) -> smtplib.SMTP:
    """An SMTP connection with STARTTLS and login as configured."""
    smtp = smtplib.SMTP(email.host, email.port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if email.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if email.username:
            smtp.login(email.username, email.password)
    except Exception:
        smtp.close()
        raise
    return smtp


def fail_stale_claims(engine: Engine, now: datetime) -> int:
    """Mark failed the claims left 'sending' by a worker that stopped; they are not sent again."""
    with engine.begin() as connection:
        result = connection.execute(
            update(Notification)
            .where(Notification.email_status == "sending", Notification.email_claimed_at < now - STALE_AFTER)
            .values(email_status="failed", email_error=STALE_ERROR)
        )
    count = int(result.rowcount or 0)
    if count:
        log.warning("%d e-mails were being sent by a worker that stopped; marked failed, not sent again", count)
    return count


def claim(engine: Engine, notification_id: int, worker: str, now: datetime) -> bool:
    """Take the notification's e-mail for this worker; True only for the one worker whose update changed it."""
    with engine.begin() as connection:
        result = connection.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.email_status == "pending")
            .values(email_status="sending", email_claimed_by=worker, email_claimed_at=now)
        )
    return result.rowcount == 1


def _finish(engine: Engine, notification_id: int, worker: str, error: str | None) -> None:
    values: dict[str, object] = {"email_status": "sent", "email_sent_at": datetime.now(UTC), "email_error": None}
    if error:
        values = {"email_status": "failed", "email_error": error[:1000]}
    with engine.begin() as connection:
        connection.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.email_claimed_by == worker)
            .values(**values)
        )


def compose(settings: Settings, notification: Notification, address: str, language: str) -> EmailMessage:
    """The e-mail for one notification, in the recipient's language, with a link into the app."""
    _ = gettext_for(language)
    text = render(notification.message, json.loads(notification.params or "{}"), language)
    first_line = text.splitlines()[0] if text else ""
    url = settings.email.app_url.rstrip("/")
    if notification.link:
        url = f"{url}/{notification.link}"
    message = EmailMessage()
    message["From"] = settings.email.sender
    message["To"] = address
    message["Subject"] = f"{_('Coproducer monitor')}: {first_line}"[:SUBJECT_MAX]
    message.set_content(
        "\n\n".join(
            [
                text,
                _("Open the monitor: {url}").format(url=url),
                _("You get this e-mail because you use the coproducer monitor. All messages are in the app too."),
            ]
        )
        + "\n"
    )
    return message


def _pending_ids(engine: Engine, limit: int) -> list[int]:
    with reading(engine) as session:
        return list(
            session.scalars(
                select(Notification.id)
                .where(Notification.email_status == "pending")
                .order_by(Notification.id)
                .limit(limit)
            ).all()
        )


def _load(engine: Engine, notification_id: int) -> tuple[Notification, str | None, str]:
    with reading(engine) as session:
        row = session.execute(
            select(Notification, Person.email, Person.language)
            .join(Person, Person.id == Notification.person_id)
            .where(Notification.id == notification_id)
        ).one()
        return row[0], row[1], row[2]


def send_pending(
    engine: Engine,
    settings: Settings,
    worker: str,
    now: datetime | None = None,
    limit: int = BATCH,
    smtp_factory: SmtpFactory = connect,
) -> MailReport:
    """Send up to limit pending e-mails over one SMTP connection; each is claimed first, and sent at most once."""
    now = now or datetime.now(UTC)
    report = MailReport(stale=fail_stale_claims(engine, now))
    if not settings.email.enabled:
        return report
    ids = _pending_ids(engine, limit)
    if not ids:
        return report
    try:
        # Connect before claiming: when the server is down nothing is claimed, and the next run tries again.
        smtp = smtp_factory(settings.email)
    except (OSError, smtplib.SMTPException) as error:
        log.error("cannot reach the mail server %s:%s: %s", settings.email.host, settings.email.port, error)
        return report
    try:
        for notification_id in ids:
            if not claim(engine, notification_id, worker, now):
                continue  # another worker has it
            error, connection_lost = _send_one(engine, settings, smtp, notification_id)
            _finish(engine, notification_id, worker, error)
            if error:
                report.failed += 1
            else:
                report.sent += 1
            if connection_lost:
                break  # leave the rest pending for the next run rather than failing them all
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report


def _send_one(engine: Engine, settings: Settings, smtp: smtplib.SMTP, notification_id: int) -> tuple[str | None, bool]:
    """Send one claimed e-mail: (the error as text or None when the server accepted it, whether the link broke)."""
    try:
        notification, address, language = _load(engine, notification_id)
        if not address:
            return "the person has no e-mail address", False
        smtp.send_message(compose(settings, notification, address, language))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.error("e-mail of notification %d failed: %s", notification_id, error)
        lost = isinstance(error, OSError | smtplib.SMTPServerDisconnected)
        return f"{type(error).__name__}: {error}", lost
    return None, False
