"""monitor.messages.mailer against a real SMTP server (aiosmtpd, local): each e-mail arrives once, and never twice."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select, update

from db.engine import reading, unit_of_work
from db.models import Notification, Role
from monitor.config import Settings
from monitor.i18n import gettext_for
from monitor.messages import mailer, notify
from monitor.messages.inbox import render
from monitor.people import accounts as people
from monitor.people.access import SYSTEM

pytestmark = pytest.mark.usefixtures("fast_passwords")

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MESSAGE = "A password needs at least {n} characters. A short sentence is easy to remember."  # translated in nl


class Inbox:
    """The aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def mail_settings(settings: Settings, smtp_server: tuple[Inbox, int]) -> Settings:
    _handler, port = smtp_server
    email_settings = dataclasses.replace(
        settings.email, enabled=True, host="127.0.0.1", port=port, app_url="https://monitor.example.org/"
    )
    return dataclasses.replace(settings, email=email_settings)


@pytest.fixture
def received(smtp_server: tuple[Inbox, int]) -> list[tuple[list[str], EmailMessage]]:
    return smtp_server[0].messages


def person(engine: Engine, username: str, language: str = "en", address: str | None = "auto") -> int:
    team_id = people.team_id_by_name(engine, "Moerwijk") or people.create_team(engine, SYSTEM, "Moerwijk")
    address = f"{username}@example.org" if address == "auto" else address
    person_id = people.create_person(engine, SYSTEM, username, username.title(), None, language, address)
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.COPRODUCER)
    return person_id


def notification(engine: Engine, settings: Settings, person_id: int, key: str, n: int = 10) -> int:
    with unit_of_work(engine) as session:
        assert notify.add(session, settings, person_id, key, "alert", MESSAGE, {"n": n}, link="my-week", now=NOW)
        return int(session.scalar(select(Notification.id).where(Notification.key == key)) or 0)


def status(engine: Engine, notification_id: int) -> Notification:
    with reading(engine) as session:
        row = session.get(Notification, notification_id)
        assert row is not None
        return row


def test_it_sends_the_email_once_in_the_recipients_language(
    engine: Engine, mail_settings: Settings, received: list[tuple[list[str], EmailMessage]]
) -> None:
    fatima = person(engine, "fatima", "nl")
    notification_id = notification(engine, mail_settings, fatima, "k1")
    assert status(engine, notification_id).email_status == "pending"

    report = mailer.send_pending(engine, mail_settings, "worker-a", now=NOW)

    assert (report.sent, report.failed) == (1, 0)
    assert len(received) == 1
    recipients, message = received[0]
    assert recipients == ["fatima@example.org"]
    assert message["To"] == "fatima@example.org"
    assert message["From"] == mail_settings.email.sender
    nl = gettext_for("nl")
    text = render(MESSAGE, {"n": 10}, "nl")
    assert text == nl(MESSAGE).format(n=10) and text != MESSAGE.format(n=10)
    assert message["Subject"] == f"{nl('Coproducer monitor')}: {text}"
    body = message.get_content()
    assert text in body
    assert "https://monitor.example.org/my-week" in body
    row = status(engine, notification_id)
    assert (row.email_status, row.email_claimed_by, row.email_error) == ("sent", "worker-a", None)
    assert row.email_sent_at is not None

    again = mailer.send_pending(engine, mail_settings, "worker-a", now=NOW + timedelta(minutes=1))

    assert (again.sent, again.failed) == (0, 0)
    assert len(received) == 1, "a second run sends nothing"


def test_a_claim_left_sending_by_a_stopped_worker_is_marked_failed_and_not_sent_again(
    engine: Engine, mail_settings: Settings, received: list[tuple[list[str], EmailMessage]]
) -> None:
    fatima = person(engine, "fatima")
    stale = notification(engine, mail_settings, fatima, "stale")
    recent = notification(engine, mail_settings, fatima, "recent")
    with engine.begin() as connection:
        for notification_id, claimed_at in ((stale, NOW - timedelta(minutes=11)), (recent, NOW - timedelta(minutes=5))):
            connection.execute(
                update(Notification)
                .where(Notification.id == notification_id)
                .values(email_status="sending", email_claimed_by="dead-worker", email_claimed_at=claimed_at)
            )

    report = mailer.send_pending(engine, mail_settings, "worker-b", now=NOW)

    assert (report.sent, report.stale) == (0, 1)
    assert received == []
    assert (status(engine, stale).email_status, status(engine, stale).email_error) == ("failed", mailer.STALE_ERROR)
    assert status(engine, recent).email_status == "sending", "a claim younger than 10 minutes may still be sending"

    mailer.send_pending(engine, mail_settings, "worker-b", now=NOW + timedelta(minutes=30))

    assert received == [], "neither is ever sent by another worker"
    assert status(engine, recent).email_status == "failed"


def test_only_one_of_two_claimers_gets_the_email(engine: Engine, mail_settings: Settings) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")

    assert mailer.claim(engine, notification_id, "worker-a", NOW)
    assert not mailer.claim(engine, notification_id, "worker-b", NOW)
    assert status(engine, notification_id).email_claimed_by == "worker-a"


def test_two_workers_at_once_send_each_email_once(
    engine: Engine, mail_settings: Settings, received: list[tuple[list[str], EmailMessage]]
) -> None:
    ids = [notification(engine, mail_settings, person(engine, f"person{index}"), f"k{index}") for index in range(6)]
    start = threading.Barrier(2)
    reports: list[mailer.MailReport] = []

    def work(name: str) -> None:
        start.wait()
        reports.append(mailer.send_pending(engine, mail_settings, name, now=NOW))

    threads = [threading.Thread(target=work, args=(name,)) for name in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(report.sent for report in reports) == 6
    assert sorted(recipients[0] for recipients, _message in received) == sorted(
        f"person{index}@example.org" for index in range(6)
    )
    assert {status(engine, notification_id).email_status for notification_id in ids} == {"sent"}


def test_with_email_disabled_nothing_is_queued_or_sent(
    engine: Engine, settings: Settings, mail_settings: Settings, received: list[tuple[list[str], EmailMessage]]
) -> None:
    notification_id = notification(engine, settings, person(engine, "fatima"), "k1")

    mailer.send_pending(engine, settings, "worker-a", now=NOW)
    mailer.send_pending(engine, mail_settings, "worker-a", now=NOW)

    assert status(engine, notification_id).email_status == "none"
    assert received == []


def test_a_person_without_an_address_gets_no_email(engine: Engine, mail_settings: Settings) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima", address=None), "k1")

    mailer.send_pending(engine, mail_settings, "worker-a", now=NOW)

    assert status(engine, notification_id).email_status == "none"


def test_when_the_server_is_down_nothing_is_claimed_and_the_next_run_sends_it(
    engine: Engine, mail_settings: Settings, received: list[tuple[list[str], EmailMessage]]
) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")
    down = dataclasses.replace(mail_settings, email=dataclasses.replace(mail_settings.email, port=free_port()))

    report = mailer.send_pending(engine, down, "worker-a", now=NOW)

    assert (report.sent, report.failed) == (0, 0)
    assert status(engine, notification_id).email_status == "pending"

    mailer.send_pending(engine, mail_settings, "worker-a", now=NOW + timedelta(minutes=1))

    assert status(engine, notification_id).email_status == "sent"
    assert len(received) == 1


def test_a_refused_recipient_is_marked_failed_with_the_error(engine: Engine, mail_settings: Settings) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")

    class Refusing(Inbox):
        async def handle_RCPT(self, *_args: Any) -> str:  # noqa: N802 (aiosmtpd's name)
            return "550 No such user"

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        refusing = dataclasses.replace(mail_settings, email=dataclasses.replace(mail_settings.email, port=port))
        report = mailer.send_pending(engine, refusing, "worker-a", now=NOW)
    finally:
        controller.stop()

    assert report.failed == 1
    row = status(engine, notification_id)
    assert row.email_status == "failed"
    assert row.email_error is not None and "550" in row.email_error
