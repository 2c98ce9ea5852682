"""monitor.messages.failed_mail: administrators see the e-mails marked failed and can put one back in the queue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from db.engine import reading, unit_of_work
from db.models import Notification
from monitor.errors import NotFound, PermissionDenied
from monitor.messages import failed_mail
from monitor.messages.mailer import STALE_ERROR
from monitor.people.access import Actor, Role
from tests.unit import factories

AT = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def admin_of(crew: factories.Team) -> Actor:
    return Actor(
        person_id=crew.leader.person_id,
        username="beheer",
        display_name="Beheer",
        language="en",
        memberships=frozenset({(crew.id, Role.ADMIN)}),
    )


def add(engine: Engine, person_id: int, key: str, status: str, error: str | None = None) -> int:
    with unit_of_work(engine) as session:
        note = Notification(
            key=key,
            person_id=person_id,
            kind="digest",
            message="m",
            created_at=AT,
            email_status=status,
            email_error=error,
        )
        session.add(note)
        session.flush()
        return note.id


def test_failed_emails_are_listed_and_sent_again(engine: Engine) -> None:
    crew = factories.team(engine)
    admin = admin_of(crew)
    failed = add(engine, crew.leader.person_id, "a", "failed", STALE_ERROR)
    add(engine, crew.leader.person_id, "b", "sent")

    assert failed_mail.count_failed(engine, admin) == 1
    (row,) = failed_mail.failed_emails(engine, admin)
    assert (row.id, row.kind, row.error, row.created_at) == (failed, "digest", STALE_ERROR, AT)

    failed_mail.send_again(engine, admin, failed)
    with reading(engine) as session:
        assert session.scalar(select(Notification.email_status).where(Notification.id == failed)) == "pending"
    assert failed_mail.count_failed(engine, admin) == 0
    with pytest.raises(NotFound):
        failed_mail.send_again(engine, admin, failed)  # not failed any more: nothing to send again


def test_only_administrators_see_or_resend_failed_emails(engine: Engine) -> None:
    crew = factories.team(engine)
    failed = add(engine, crew.leader.person_id, "a", "failed", "refused")
    for who in (crew.leader, crew.coproducer):
        with pytest.raises(PermissionDenied):
            failed_mail.failed_emails(engine, who)
        with pytest.raises(PermissionDenied):
            failed_mail.send_again(engine, who, failed)
