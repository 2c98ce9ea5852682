"""The leader's alerts per coproducer: most urgent first, one acknowledgement with one note for all of a person's
open alerts, and the moment the leader last looked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from monitor.alerts import actions, by_person, evaluation
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit.factories import team

T0 = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)


def _long_nights(engine: Engine, settings: Settings, who, hours: int = 5) -> None:  # type: ignore[no-untyped-def]
    for day in (17, 18):
        data = RequestInput(
            hours * 60, "phone", ("mental_health",), received_at=datetime(2026, 11, day, 0, 30, tzinfo=UTC)
        )
        requests.log_request(engine, settings, who, who.person_id, data, now=T0)


def test_the_leader_acknowledges_all_of_a_persons_open_alerts_with_one_note(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    fatima, henk = moerwijk.coproducer, moerwijk.other_coproducer
    _long_nights(engine, settings, fatima)
    _long_nights(engine, settings, henk)
    evaluation.evaluate(engine, settings, at=T0)
    leader = moerwijk.leader

    with pytest.raises(ValidationError, match="Write what you did"):
        by_person.acknowledge_person(engine, leader, moerwijk.id, fatima.person_id, "  ")
    with pytest.raises(PermissionDenied):
        by_person.acknowledge_person(engine, moerwijk.counsellor, moerwijk.id, fatima.person_id, "x")
    count = by_person.acknowledge_person(engine, leader, moerwijk.id, fatima.person_id, "Talked over coffee", now=T0)
    assert count >= 2

    groups = by_person.group(actions.team_alerts(engine, leader, moerwijk.id))
    assert [g.name for g in groups] == ["Henk", "Fatima"]  # who still needs attention comes first
    henks, fatimas = groups
    assert henks.open and not fatimas.open
    assert {(a.status, a.note) for a in fatimas.alerts} == {("acknowledged", "Talked over coffee")}
    with pytest.raises(ValidationError):
        by_person.acknowledge_person(engine, leader, moerwijk.id, fatima.person_id, "again")


def test_critical_first_then_longest_open(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    fatima, henk = moerwijk.coproducer, moerwijk.other_coproducer
    _long_nights(engine, settings, fatima)
    evaluation.evaluate(engine, settings, at=T0)
    _long_nights(engine, settings, henk, hours=2)
    evaluation.evaluate(engine, settings, at=T0 + timedelta(hours=1))
    groups = by_person.group(actions.team_alerts(engine, moerwijk.leader, moerwijk.id))
    assert [g.name for g in groups] == ["Fatima", "Henk"]  # both open; Fatima's are older
    assert groups[0].new_since(None) and not groups[0].new_since(T0 + timedelta(minutes=30))
    assert groups[1].new_since(T0 + timedelta(minutes=30))


def test_the_moment_a_leader_last_looked_is_kept(engine: Engine) -> None:
    moerwijk = team(engine)
    assert by_person.last_looked(engine, moerwijk.leader) is None
    by_person.record_look(engine, moerwijk.leader, now=T0)
    assert by_person.last_looked(engine, moerwijk.leader) == T0
