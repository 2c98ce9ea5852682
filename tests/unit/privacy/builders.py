"""Gives a coproducer one of every kind of data the monitor keeps, so that export and removal can be checked whole.

Made through the services where they exist; alerts, sessions and sign-in attempts are written directly because the
rules and the sign-in form that make them are tested elsewhere. Every free text carries the person's username, so a
test can tell whose data it sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from db.engine import unit_of_work
from db.models import Alert, AlertEvent, AllowanceAgreement, AuthSession, SignInAttempt, Snooze
from monitor.checkins import asking, counselling, notes, wellbeing
from monitor.config import Settings
from monitor.messages import notify
from monitor.money import ledger
from monitor.people.access import Actor
from monitor.requests import log
from monitor.requests.agreements import Agreement, record_agreement
from monitor.training import records
from tests.unit.checkin_helpers import KEY_A

T0 = datetime.fromisoformat("2026-03-04T13:00:00+00:00")  # a Wednesday, 14:00 in Amsterdam


@dataclass(frozen=True)
class Filled:
    request_id: int
    checkin_id: int
    released_note: str
    private_note: str
    payment_id: int


def fill(
    engine: Engine,
    settings: Settings,
    who: Actor,
    leader: Actor,
    counsellor: Actor,
    team_id: int,
    training_id: int,
    now: datetime = T0,
    paid: bool = True,
) -> Filled:
    name = who.username
    assert who.person_id is not None
    person_id = who.person_id
    data = log.RequestInput(minutes=30, channel="street", topics=("money",), note=f"request note of {name}")
    row = log.log_request(engine, settings, who, person_id, data, now=now)
    log.correct_request(engine, settings, who, row.id, log.RequestInput(**{**data.__dict__, "minutes": 45}), now=now)
    agreement = Agreement.from_defaults(settings.demarcation)
    record_agreement(engine, leader, person_id, Agreement(**{**agreement.__dict__, "valid_from": now.date()}))
    wellbeing.submit(engine, settings, who, [1, 1, 1, 1, 1], now=now, keys=[KEY_A])  # low: prompts a check-in
    wellbeing.set_sharing(engine, who, True, now=now)
    checkin = asking.my_checkins(engine, who)[0]
    counselling.schedule(engine, settings, counsellor, checkin.id, now + timedelta(days=1), 45, "phone", now=now)
    released = f"released note about {name}"
    private = f"private note about {name}"
    released_id = notes.add_note(engine, counsellor, checkin.id, released, keys=[KEY_A], now=now)
    notes.add_note(engine, counsellor, checkin.id, private, keys=[KEY_A], now=now)
    notes.release_note(engine, counsellor, released_id, now=now)
    records.record_training(engine, who, person_id, training_id, now.date(), note=f"training note of {name}", now=now)
    payment_id = 0
    if paid:
        payment_id = ledger.record_payment(
            engine,
            leader,
            ledger.PaymentInput(
                person_id, "allowance", now.date(), Decimal("25"), now.date(), reference=f"allowance of {name}"
            ),
            today=now.date(),
            now=now,
        )
    with unit_of_work(engine) as session:
        alert = Alert(
            rule="hours_over",
            person_id=person_id,
            team_id=team_id,
            window_start=now.date() - timedelta(days=2),
            severity="warning",
            status="acknowledged",
            value=10,
            threshold=8,
            detail="{}",
            first_seen_at=now,
            last_seen_at=now,
            opened_at=now,
            acknowledged_at=now,
            acknowledged_by=leader.person_id,
            note=f"alert note about {name}",
        )
        session.add(alert)
        session.flush()
        session.add(AlertEvent(alert_id=alert.id, at=now, action="acknowledge", actor_id=leader.person_id, note="ok"))
        session.add(Snooze(person_id=person_id, rule="night", until=now.date(), reason=f"snooze of {name}"))
        session.add(
            AllowanceAgreement(person_id=person_id, valid_from=date(now.year, 1, 1), kind="monthly", amount_cents=5000)
        )
        session.add(
            AuthSession(id=f"session-{name}", person_id=person_id, created_at=now, last_seen_at=now, address="10.0.0.1")
        )
        session.add(SignInAttempt(username=name, address="10.0.0.1", attempted_at=now, succeeded=True))
        notify.add(session, settings, person_id, f"hello-{name}", "info", "Hello {name}", {"name": name}, now=now)
        # A leader's message that names the coproducer (as the check-in and alert messages do).
        notify.add(
            session,
            settings,
            leader.person_id or 0,
            f"about-{name}",
            "info",
            "{name}",
            {"name": who.display_name},
            now=now,
        )
    return Filled(row.id, checkin.id, released, private, payment_id)
