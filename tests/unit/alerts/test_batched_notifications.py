"""One message per change: the alerts one evaluation opens reach each leader as one message listing them per person,
and each coproducer as one message about themselves; evaluating again adds nothing (the claims stay exactly-once)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Notification
from monitor.alerts import evaluation
from monitor.config import Settings
from monitor.messages.inbox import render
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit.factories import team

T0 = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # Friday 20:00 in Amsterdam


def _long_nights(engine: Engine, settings: Settings, who: Actor) -> None:
    """Two night requests of five hours: over the night limit and over the 8 agreed hours in the week."""
    for day in (17, 18):
        data = RequestInput(300, "phone", ("mental_health",), received_at=datetime(2026, 11, day, 0, 30, tzinfo=UTC))
        requests.log_request(engine, settings, who, who.person_id, data, now=T0)


def _messages(engine: Engine, person_id: int) -> list[Notification]:
    with reading(engine) as session:
        return list(session.scalars(select(Notification).where(Notification.person_id == person_id)).all())


def test_one_evaluation_tells_each_leader_and_coproducer_once(engine: Engine, settings: Settings) -> None:
    mail = replace(settings, email=replace(settings.email, enabled=True))
    moerwijk = team(engine)
    fatima, henk = moerwijk.coproducer, moerwijk.other_coproducer
    _long_nights(engine, mail, fatima)
    _long_nights(engine, mail, henk)

    result = evaluation.evaluate(engine, mail, at=T0)
    assert len(result.opened) >= 4  # at least night and hours_over, for each of them

    [leader_message] = _messages(engine, moerwijk.leader.person_id)
    text = render(leader_message.message, json.loads(leader_message.params), "en")
    assert text.startswith(f"New alerts in your team ({len(result.opened)}):")
    assert text.index("Fatima:") < text.index("Henk:")
    assert text.count("- Requests at night") == 2
    for coproducer in (fatima, henk):
        [own] = _messages(engine, coproducer.person_id)
        own_text = render(own.message, json.loads(own.params), "en")
        assert own_text.startswith("New alerts about your own load")
        assert "Henk" not in own_text and "Fatima" not in own_text

    evaluation.evaluate(engine, mail, at=T0 + timedelta(minutes=15))
    assert len(_messages(engine, moerwijk.leader.person_id)) == 1
    assert len(_messages(engine, fatima.person_id)) == 1


def test_a_single_new_alert_keeps_its_own_short_message(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    fatima = moerwijk.coproducer
    for day in (17, 18):
        data = RequestInput(20, "phone", ("mental_health",), received_at=datetime(2026, 11, day, 1, 30, tzinfo=UTC))
        requests.log_request(engine, settings, fatima, fatima.person_id, data, now=T0)
    evaluation.evaluate(engine, settings, at=T0)
    [message] = _messages(engine, moerwijk.leader.person_id)
    assert render(message.message, json.loads(message.params), "en") == "Fatima: Requests at night."
