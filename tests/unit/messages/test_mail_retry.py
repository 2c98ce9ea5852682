"""E-mails the mail server never accepted are tried again by themselves (issue 32), against real local SMTP servers
(aiosmtpd) that cut the connection or answer "try later", with the clock pinned (each run gets its moment): such an
e-mail is tried at 1, 5 and 25 minutes and arrives once; one cut after the whole message went out (it may have
arrived) waits for an administrator at once; nothing is ever sent twice."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from monitor.config import ConfigError, Settings, parse
from monitor.messages import failed_mail, mailer
from monitor.people.access import SYSTEM
from tests.unit.messages.test_mailer import NOW, Inbox, free_port, notification, person, status

pytestmark = pytest.mark.usefixtures("fast_passwords")


class CutBeforeTheEnd(Inbox):
    """Hangs up when asked to take a recipient: the message never reached it."""

    async def handle_RCPT(self, server: Any, *_args: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        server.transport.close()
        return "250 OK"


class TryLater(Inbox):
    """Takes in the whole message, then answers that it cannot take it now (a 4xx code: not accepted)."""

    tries = 0

    async def handle_DATA(self, *_args: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.tries += 1
        return "451 Requested action aborted: try again later"


class TryLaterOnce(Inbox):
    """Answers "try later" to the first message, then takes them."""

    said_later = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        if not self.said_later:
            self.said_later = True
            return "421 Service not available, closing transmission channel"
        return await super().handle_DATA(server, session, envelope)


class CutAfterTheEnd(Inbox):
    """Keeps the whole message, then hangs up before answering: the sender cannot know that it arrived."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        await super().handle_DATA(server, session, envelope)
        server.transport.close()
        return "250 Message accepted for delivery"


@contextmanager
def mail_server(handler: Inbox, settings: Settings) -> Iterator[Settings]:
    """A local SMTP server with this handler, and the settings that send to it."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield dataclasses.replace(settings, email=dataclasses.replace(settings.email, port=port))
    finally:
        controller.stop()


def received(handler: Inbox) -> list[tuple[list[str], EmailMessage]]:
    return handler.messages


@pytest.fixture
def mail_settings(settings: Settings) -> Settings:
    email = dataclasses.replace(settings.email, enabled=True, host="127.0.0.1", retry_minutes=(1, 5, 25))
    return dataclasses.replace(settings, email=email)


def send(settings: Settings, engine: Engine, minutes: float) -> mailer.MailReport:
    return mailer.send_pending(engine, settings, "worker-a", now=NOW + timedelta(minutes=minutes))


def test_a_connection_cut_before_the_message_ended_is_tried_again_after_a_minute_and_arrives_once(
    engine: Engine, mail_settings: Settings
) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")
    good = Inbox()

    with mail_server(CutBeforeTheEnd(), mail_settings) as cutting:
        report = send(cutting, engine, 0)

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    row = status(engine, notification_id)
    assert (row.email_status, row.email_attempts, row.email_retry_at) == ("pending", 1, NOW + timedelta(minutes=1))
    assert row.email_error is not None and "SMTPServerDisconnected" in row.email_error
    with mail_server(good, mail_settings) as working:
        assert send(working, engine, 0.5).sent == 0, "not before its minute"
        assert send(working, engine, 1).sent == 1
        assert send(working, engine, 30).sent == 0
    assert [recipients for recipients, _message in received(good)] == [["fatima@example.org"]]
    assert status(engine, notification_id).email_status == "sent"


def test_a_server_that_refuses_once_gets_the_email_a_minute_later_once(engine: Engine, mail_settings: Settings) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")
    server = TryLaterOnce()

    with mail_server(server, mail_settings) as refusing_once:
        assert send(refusing_once, engine, 0).retried == 1
        assert send(refusing_once, engine, 1).sent == 1
        assert send(refusing_once, engine, 6) == mailer.MailReport()

    assert len(received(server)) == 1
    row = status(engine, notification_id)
    assert (row.email_status, row.email_attempts, row.email_error) == ("sent", 1, None)


def test_try_later_is_tried_at_1_5_and_25_minutes_then_waits_for_an_administrator(
    engine: Engine, mail_settings: Settings
) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")
    busy = TryLater()

    with mail_server(busy, mail_settings) as later:
        for minute, tries in ((0, 1), (0.9, 1), (1, 2), (5.9, 2), (6, 3), (30.9, 3), (31, 4), (600, 4)):
            send(later, engine, minute)
            assert busy.tries == tries, f"at minute {minute}"

    row = status(engine, notification_id)
    assert (row.email_status, row.email_attempts) == ("failed", 4)
    assert (
        row.email_error is not None
        and row.email_error.startswith("not accepted in 4 tries")
        and "451" in row.email_error
    )
    assert [f.id for f in failed_mail.failed_emails(engine, SYSTEM)] == [notification_id]

    failed_mail.send_again(engine, SYSTEM, notification_id)  # the administrator, once the server is well again
    good = Inbox()
    with mail_server(good, mail_settings) as working:
        assert send(working, engine, 601).sent == 1
    assert len(received(good)) == 1


def test_a_cut_after_the_whole_message_went_out_waits_for_an_administrator_and_is_never_sent_twice(
    engine: Engine, mail_settings: Settings
) -> None:
    notification_id = notification(engine, mail_settings, person(engine, "fatima"), "k1")
    cutting = CutAfterTheEnd()

    with mail_server(cutting, mail_settings) as cut:
        report = send(cut, engine, 0)
        for minute in (1, 6, 31, 600):
            assert send(cut, engine, minute) == mailer.MailReport()

    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    assert len(received(cutting)) == 1, "it did arrive, and only once"
    row = status(engine, notification_id)
    assert (row.email_status, row.email_attempts) == ("failed", 0)
    assert [f.id for f in failed_mail.failed_emails(engine, SYSTEM)] == [notification_id]


def test_without_waits_an_email_not_accepted_waits_for_an_administrator_at_once(
    engine: Engine, mail_settings: Settings
) -> None:
    never = dataclasses.replace(mail_settings, email=dataclasses.replace(mail_settings.email, retry_minutes=()))
    notification_id = notification(engine, never, person(engine, "fatima"), "k1")

    with mail_server(CutBeforeTheEnd(), never) as cutting:
        assert send(cutting, engine, 0).failed == 1

    assert status(engine, notification_id).email_status == "failed"


@pytest.mark.parametrize(
    ("value", "expected"),
    [([1, 5, 25], (1, 5, 25)), ([], ()), ([10] * 10, (10,) * 10)],
)
def test_the_waits_are_read_from_the_email_section(value: list[int], expected: tuple[int, ...]) -> None:
    assert parse({"email": {"retry_minutes": value}}, "config.toml").email.retry_minutes == expected
    assert parse({}, "config.toml").email.retry_minutes == (1, 5, 25)


@pytest.mark.parametrize("value", [[0], [1441], [1] * 11, ["5"], [True], 5, [1.5]])
def test_waits_out_of_bounds_are_refused_naming_the_key(value: object) -> None:
    refused = r"email.retry_minutes must be a (list of at most 10|whole number from 1 to 1440)"
    with pytest.raises(ConfigError, match=refused):
        parse({"email": {"retry_minutes": value}}, "config.toml")
