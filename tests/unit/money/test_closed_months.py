"""The ended months' minutes the allowance checks keep between evaluations (monitor.money.closed_months): what they
return is always what a fresh read returns, after a request is added to an ended month, corrected, or deleted, and
after the table is emptied and filled again under the same database URL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from db.engine import reading
from monitor.config import Settings, load
from monitor.money import allowances, checks, closed_months
from monitor.money.allowances import minutes_by_month
from monitor.money.amounts import month_end
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit import factories

TODAY = date(2025, 6, 20)


def _settings(settings: Settings) -> Settings:
    return replace(settings, allowances=load().allowances)


def _log(engine: Engine, settings: Settings, actor: factories.Actor, day: date, minutes: int) -> int:
    moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=settings.tz).astimezone(UTC)
    data = RequestInput(minutes, "door", ("money",), received_at=moment)
    return requests.log_request(engine, settings, actor, actor.person_id, data, now=moment).id


def _both(engine: Engine, settings: Settings, people: list[int]) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """What the checks read (kept where possible) and a fresh read of the same months."""
    with reading(engine) as session:
        kept = checks.monthly_minutes(session, settings, people, TODAY)
        first = checks.first_day_read(settings, TODAY)
        fresh = minutes_by_month(session, people, first, month_end(TODAY))
    return kept, fresh


def test_kept_minutes_always_equal_a_fresh_read(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(settings)
    closed_months.forget()
    team = factories.team(engine)
    henk = team.coproducer
    allowances.record_terms(engine, team.leader, henk.person_id, date(2025, 1, 1), "hourly", Decimal("5.00"))
    _log(engine, settings, henk, date(2025, 6, 2), 60)
    first = _log(engine, settings, henk, date(2025, 5, 6), 90)
    people = [henk.person_id, team.other_coproducer.person_id]

    kept, fresh = _both(engine, settings, people)
    assert kept == fresh == {(henk.person_id, date(2025, 5, 1)): 90, (henk.person_id, date(2025, 6, 1)): 60}
    reads: list[list[int]] = []

    def counted(session, person_ids, first, last):  # type: ignore[no-untyped-def]
        reads.append(person_ids)
        return minutes_by_month(session, person_ids, first, last)

    monkeypatch.setattr(closed_months, "minutes_by_month", counted)
    assert _both(engine, settings, people)[0] == fresh
    assert reads == []  # nothing changed: the ended months come from what was kept

    # A request added to an ended month, one corrected, one deleted: each is seen at the next read.
    added = _log(engine, settings, henk, date(2025, 4, 30), 30)
    kept, fresh = _both(engine, settings, people)
    assert kept == fresh and kept[(henk.person_id, date(2025, 4, 1))] == 30
    assert reads == [[henk.person_id]]  # only the person whose requests changed is read again
    moment = datetime(2025, 5, 6, 10, 30, tzinfo=UTC)
    requests.correct_request(engine, settings, henk, first, RequestInput(45, "door", ("money",)), now=moment)
    kept, fresh = _both(engine, settings, people)
    assert kept == fresh and kept[(henk.person_id, date(2025, 5, 1))] == 45
    requests.delete_request(engine, settings, henk, added, now=datetime(2025, 5, 1, 9, 0, tzinfo=UTC))
    kept, fresh = _both(engine, settings, people)
    assert kept == fresh and (henk.person_id, date(2025, 4, 1)) not in kept
