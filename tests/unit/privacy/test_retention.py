"""Retention: each kind of data is kept while it is at most its period old, and goes a second later.

Every kind is tried at its period exactly, one second before and one second after, with the clock pinned.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, func, select

from db.engine import reading, unit_of_work
from db.models import (
    AuditEvent,
    AuthSession,
    Checkin,
    CheckinNote,
    HelpRequest,
    Notification,
    Person,
    RequestChange,
    Role,
    SignInAttempt,
    WellbeingAnswer,
)
from monitor.checkins import wellbeing
from monitor.config import Settings
from monitor.money import ledger
from monitor.people import accounts
from monitor.people.access import SYSTEM
from monitor.privacy import removal, retention
from monitor.privacy.removal import PLACEHOLDER_NAME
from tests.unit import factories

T = datetime(2025, 3, 4, 13, 0, tzinfo=UTC)  # when each row was made
SECOND = timedelta(seconds=1)


def _count(engine: Engine, statement) -> int:  # type: ignore[no-untyped-def]
    with reading(engine) as session:
        return int(session.scalar(statement) or 0)


def _request(session, person_id: int, team_id: int) -> HelpRequest:  # type: ignore[no-untyped-def]
    row = HelpRequest(
        person_id=person_id,
        team_id=team_id,
        received_at=T,
        local_date=T.date(),
        local_weekday=T.weekday(),
        local_hour=14,
        minutes=30,
        channel="street",
        note="a note",
        outside_hours=False,
    )
    session.add(row)
    session.flush()
    return row


def _make(kind: str, person_id: int, team_id: int, session) -> None:  # type: ignore[no-untyped-def]
    if kind == "sign_in_attempts":
        session.add(SignInAttempt(username="fatima", address="10.0.0.1", attempted_at=T, succeeded=False))
    elif kind == "ended_sessions":
        session.add(
            AuthSession(id="s1", person_id=person_id, created_at=T - timedelta(hours=1), last_seen_at=T, ended_at=T)
        )
    elif kind == "request_notes":
        _request(session, person_id, team_id)
    elif kind == "request_changes":
        row = _request(session, person_id, team_id)
        session.add(RequestChange(request_id=row.id, at=T, action="create", after="{}"))
    elif kind == "wellbeing_answers":
        session.add(WellbeingAnswer(person_id=person_id, answered_at=T, ciphertext=wellbeing.seal([3] * 5, 60)))
    elif kind == "checkins":
        row = Checkin(
            person_id=person_id,
            team_id=team_id,
            status="done",
            created_at=T - timedelta(days=3),
            scheduled_at=T - timedelta(hours=1),
            closed_at=T,
        )
        session.add(row)
        session.flush()
        session.add(CheckinNote(checkin_id=row.id, ciphertext="x", created_at=T - timedelta(hours=1)))
    elif kind == "inbox_messages":
        session.add(Notification(key="k1", person_id=person_id, kind="info", message="Hello", created_at=T))
    elif kind == "audit_events":
        session.add(AuditEvent(at=T, action="person.create", detail="x"))


REMAINING: dict[str, Callable[[], object]] = {
    "sign_in_attempts": lambda: select(func.count()).select_from(SignInAttempt),
    "ended_sessions": lambda: select(func.count()).select_from(AuthSession),
    "request_notes": lambda: select(func.count()).where(HelpRequest.note.is_not(None)),
    "request_changes": lambda: select(func.count()).select_from(RequestChange),
    "wellbeing_answers": lambda: select(func.count()).select_from(WellbeingAnswer),
    "checkins": lambda: select(func.count()).select_from(Checkin),
    "inbox_messages": lambda: select(func.count()).select_from(Notification),
    "audit_events": lambda: select(func.count()).where(AuditEvent.at == T),
}
PERIOD = {
    "sign_in_attempts": relativedelta(days=30),
    "ended_sessions": relativedelta(days=7),
    "request_notes": relativedelta(months=12),
    "request_changes": relativedelta(months=12),
    "wellbeing_answers": relativedelta(months=24),
    "checkins": relativedelta(months=24),
    "inbox_messages": relativedelta(months=12),
    "audit_events": relativedelta(years=2),
}


@pytest.mark.parametrize("kind", sorted(PERIOD))
@pytest.mark.parametrize(
    ("offset", "kept"), [(-SECOND, 1), (timedelta(0), 1), (SECOND, 0)], ids=["before", "at", "after"]
)
def test_each_kind_is_kept_for_its_period_and_not_a_second_longer(
    engine: Engine,
    settings: Settings,
    time_machine: time_machine.TimeMachineFixture,
    kind: str,
    offset: timedelta,
    kept: int,
) -> None:
    team_id = accounts.create_team(engine, SYSTEM, "Moerwijk")
    person = factories.person(engine, "fatima", team_id, Role.COPRODUCER)
    with unit_of_work(engine) as session:
        _make(kind, person.person_id or 0, team_id, session)
    assert _count(engine, REMAINING[kind]()) == 1

    time_machine.move_to(T + PERIOD[kind] + offset, tick=False)
    counts = retention.run(engine, settings)

    assert counts is not None
    assert _count(engine, REMAINING[kind]()) == kept
    assert counts[kind] == 1 - kept
    if kind == "checkins":
        assert counts["checkin_notes"] == 1 - kept
        assert _count(engine, select(func.count()).select_from(CheckinNote)) == kept
    if kind == "request_notes":
        assert _count(engine, select(func.count()).select_from(HelpRequest)) == 1  # the request itself stays


@pytest.mark.parametrize(
    ("moment", "anonymised"),
    [
        (datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), False),  # 23:59:59 on 31 December 2026 in Amsterdam
        (datetime(2026, 12, 31, 23, 0, 0, tzinfo=UTC), True),  # midnight: 2019 + 7 years have ended
        (datetime(2027, 1, 1, 11, 0, 0, tzinfo=UTC), True),
    ],
    ids=["before", "at", "after"],
)
def test_a_removed_persons_name_stays_on_payments_for_seven_years_after_the_year_paid(
    engine: Engine,
    settings: Settings,
    time_machine: time_machine.TimeMachineFixture,
    moment: datetime,
    anonymised: bool,
) -> None:
    team = factories.team(engine)
    fatima = team.coproducer
    paid = date(2019, 12, 31)
    time_machine.move_to(datetime(2019, 12, 31, 12, tzinfo=UTC), tick=False)
    ledger.record_payment(
        engine,
        team.leader,
        ledger.PaymentInput(fatima.person_id or 0, "allowance", paid, Decimal("20"), paid),
        today=paid,
    )
    removal.remove_person(engine, team.admin, fatima.person_id or 0, now=datetime(2020, 2, 1, tzinfo=UTC))

    time_machine.move_to(moment, tick=False)
    counts = retention.run(engine, settings)

    with reading(engine) as session:
        name = session.scalar(select(Person.display_name).where(Person.id == fatima.person_id))
    assert name == (PLACEHOLDER_NAME if anonymised else "Fatima")
    assert counts is not None and counts["removed_names"] == int(anonymised)


def test_an_open_checkin_keeps_the_persons_old_ones(
    engine: Engine, settings: Settings, time_machine: time_machine.TimeMachineFixture
) -> None:
    team_id = accounts.create_team(engine, SYSTEM, "Moerwijk")
    person = factories.person(engine, "fatima", team_id, Role.COPRODUCER)
    with unit_of_work(engine) as session:
        _make("checkins", person.person_id or 0, team_id, session)
        session.add(Checkin(person_id=person.person_id, team_id=team_id, status="requested", created_at=T))
    time_machine.move_to(T + relativedelta(years=3), tick=False)
    retention.run(engine, settings)
    assert _count(engine, select(func.count()).select_from(Checkin)) == 2


def test_the_job_runs_once_a_day_and_writes_one_audit_line_with_the_counts(
    engine: Engine, settings: Settings, time_machine: time_machine.TimeMachineFixture
) -> None:
    with unit_of_work(engine) as session:
        session.add(SignInAttempt(username="x", address="10.0.0.1", attempted_at=T, succeeded=False))
    time_machine.move_to(T + timedelta(days=40), tick=False)
    first = retention.run(engine, settings, worker="a")
    second = retention.run(engine, settings, worker="b")
    assert first is not None and first["sign_in_attempts"] == 1
    assert second is None
    with reading(engine) as session:
        lines = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == retention.ACTION)).all()
    assert [json.loads(line)["sign_in_attempts"] for line in lines] == [1]
    time_machine.move_to(T + timedelta(days=41), tick=False)
    assert retention.run(engine, settings, worker="b") == dict.fromkeys(retention.KINDS, 0)
