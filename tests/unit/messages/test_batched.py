"""notify.batched: the notifications of a block in one INSERT at its end, each mailed when its recipient has an
address, whether the caller knew the address already or the batch reads it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from db.engine import reading, unit_of_work
from db.models import Notification, Person
from monitor.config import Settings
from monitor.messages import notify
from tests.unit.factories import team

AT = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)


def test_a_batch_mails_those_with_an_address_known_or_read(engine: Engine, settings: Settings) -> None:
    mail = replace(settings, email=replace(settings.email, enabled=True))
    t = team(engine)
    with engine.begin() as connection:
        for who in (t.leader, t.coproducer):
            connection.execute(update(Person).where(Person.id == who.person_id).values(email=f"{who.username}@x.org"))
    known = {t.leader.person_id: "lotte@x.org", t.counsellor.person_id: None}  # the others' addresses read here

    with unit_of_work(engine) as session, notify.batched(session, mail, known):
        for who in (t.leader, t.counsellor, t.coproducer, t.other_coproducer):
            assert notify.add(session, mail, who.person_id, f"k:{who.person_id}", "alert", "Hello", now=AT)
        notify.add(session, mail, t.leader.person_id, f"k:{t.leader.person_id}", "alert", "Twice", now=AT)

    with reading(engine) as session:
        rows = session.execute(select(Notification.person_id, Notification.message, Notification.email_status)).all()
    assert sorted(rows) == sorted(
        [
            (t.leader.person_id, "Hello", "pending"),  # the first of a key
            (t.counsellor.person_id, "Hello", "none"),
            (t.coproducer.person_id, "Hello", "pending"),
            (t.other_coproducer.person_id, "Hello", "none"),
        ]
    )
