"""Sends the e-mails of pending notifications through SMTP, each at most once across workers and restarts.

Every notification is claimed with one conditional UPDATE (pending -> sending) before it is sent, so two workers
never both send it. A claim still 'sending' after STALE_AFTER belongs to a worker that stopped mid-send: the mail may
or may not have gone out, so it is marked failed rather than sent again (at most once, never twice).

An e-mail the server certainly did not accept goes back to the queue by itself (issue 32): the connection was cut
before the end of the message went out, or the server answered "try later" (a 4xx code). It is tried again after each
wait of `[email] retry_minutes` (1, 5, 25), then waits for an administrator. A cut after the end of the message went
out, before the server's answer, is the one case where it may have arrived: it waits for an administrator at once.
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

from sqlalchemy import Engine, or_, select, update

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
    retried: int = 0  # not accepted by the server, back in the queue for a later try


@dataclass(frozen=True)
class _Outcome:
    error: str | None = None  # None: the server accepted the message
    retry: bool = False  # the server certainly did not accept it: safe to send again
    connection_lost: bool = False


class TrackingSMTP(smtplib.SMTP):
    """An SMTP connection that knows whether the end of the message (the line with a lone dot) went out: before it, the
    server cannot have accepted the message; after it, the message may have arrived even if no answer came back."""

    message_ended = False

    def send(self, s: str | bytes) -> None:
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # smtplib sends the message and its end in one piece
            self.message_ended = True


def connect(email: EmailSettings) -> smtplib.SMTP:
    """An SMTP connection with STARTTLS and login as configured."""
    smtp = TrackingSMTP(email.host, email.port, timeout=SMTP_TIMEOUT_SECONDS)
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


def _finish(
    engine: Engine, settings: Settings, notification_id: int, worker: str, outcome: _Outcome, now: datetime
) -> str:
    """Record how the try went; the status the e-mail ends up with (sent, pending again, or failed)."""
    values: dict[str, object] = {"email_status": "sent", "email_sent_at": datetime.now(UTC), "email_error": None}
    if outcome.error and outcome.retry:
        with reading(engine) as session:
            tries = int(session.scalar(select(Notification.email_attempts).where(Notification.id == notification_id)))
        waits = settings.email.retry_minutes
        values = {"email_attempts": tries + 1, "email_error": outcome.error[:1000]}
        if tries < len(waits):
            values |= {
                "email_status": "pending",
                "email_retry_at": now + timedelta(minutes=waits[tries]),
                "email_claimed_by": None,
                "email_claimed_at": None,
            }
        else:
            values |= {"email_status": "failed", "email_error": f"not accepted in {tries + 1} tries; {outcome.error}"}
    elif outcome.error:
        values = {"email_status": "failed", "email_error": outcome.error[:1000]}
    with engine.begin() as connection:
        connection.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.email_claimed_by == worker)
            .values(**values)
        )
    return str(values["email_status"])


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


def _pending_ids(engine: Engine, limit: int, now: datetime) -> list[int]:
    with reading(engine) as session:
        return list(
            session.scalars(
                select(Notification.id)
                .where(
                    Notification.email_status == "pending",
                    or_(Notification.email_retry_at.is_(None), Notification.email_retry_at <= now),
                )
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
    ids = _pending_ids(engine, limit, now)
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
            outcome = _send_one(engine, settings, smtp, notification_id)
            status = _finish(engine, settings, notification_id, worker, outcome, now)
            if status == "sent":
                report.sent += 1
            elif status == "pending":
                report.retried += 1
            else:
                report.failed += 1
            if outcome.connection_lost:
                break  # leave the rest pending for the next run rather than failing them all
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report


def _send_one(engine: Engine, settings: Settings, smtp: smtplib.SMTP, notification_id: int) -> _Outcome:
    """Send one claimed e-mail, and say whether the server accepted it, certainly did not, or may have."""
    try:
        notification, address, language = _load(engine, notification_id)
        if not address:
            return _Outcome("the person has no e-mail address")
        message = compose(settings, notification, address, language)
    except ValueError as error:
        log.error("e-mail of notification %d cannot be composed: %s", notification_id, error)
        return _Outcome(f"{type(error).__name__}: {error}")
    if isinstance(smtp, TrackingSMTP):
        smtp.message_ended = False
    try:
        smtp.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        # smtplib's errors are OSErrors too; only a disconnect or a socket error means the connection is gone.
        lost = isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
            error, smtplib.SMTPException | ValueError
        )
        retry = _not_accepted(smtp, error, lost)
        log.error(
            "e-mail of notification %d failed (%s): %s",
            notification_id,
            "not accepted, will try again" if retry else "waits for an administrator",
            error,
        )
        return _Outcome(f"{type(error).__name__}: {error}", retry, lost)
    return _Outcome()


def _not_accepted(smtp: smtplib.SMTP, error: Exception, lost: bool) -> bool:
    """True when the server certainly did not take the message, so sending it again cannot deliver it twice."""
    if lost:
        # Before the end of the message went out the server cannot have accepted it. An SMTP object that does not
        # track this (a test's or another factory's) may have sent it: assume so.
        return not getattr(smtp, "message_ended", True)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500  # "try later"; 5xx is for good
    return False
