"""outside_training judges each request by the day it was received: a request counts as outside training when no
confirmed training covering its kind of problem was valid on that day, whatever holds on the day of evaluation."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Alert
from monitor.alerts import evaluation
from monitor.config import Settings
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from monitor.training import records as training
from tests.unit import factories

AT = datetime(2025, 6, 20, 12, 0, tzinfo=UTC)  # a Friday; the last 7 days are 14 to 20 June


def _log(engine: Engine, settings: Settings, person_id: int, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=settings.tz).astimezone(UTC)
    data = RequestInput(30, "door", ("money",), received_at=moment)
    requests.log_request(engine, settings, SYSTEM, person_id, data, now=moment)


def _outside(engine: Engine, settings: Settings) -> float | None:
    """The number of requests the outside_training alert counts for Fatima, None without an alert."""
    evaluation.evaluate(engine, settings, at=AT)
    with reading(engine) as session:
        alert = session.scalar(select(Alert).where(Alert.rule == "outside_training"))
    return None if alert is None else alert.value


def _team_with_debt_training(engine: Engine, completed_on: date) -> tuple[factories.Team, int]:
    team = factories.team(engine)
    debt = training.add_training(engine, team.leader, team.id, "Debt-help basics", "", 6, 36, ("money",))
    training.record_training(engine, team.leader, team.coproducer.person_id, debt, completed_on, today=AT.date())
    return team, team.coproducer.person_id


def test_requests_until_the_expiry_day_count_as_trained_and_those_after_do_not(
    engine: Engine, settings: Settings
) -> None:
    # Completed on 16 June 2022 and valid 36 months: the last valid day is 16 June 2025
    team, fatima = _team_with_debt_training(engine, date(2022, 6, 16))
    for day in (date(2025, 6, 15), date(2025, 6, 16), date(2025, 6, 17), date(2025, 6, 19)):
        _log(engine, settings, fatima, day)
    assert _outside(engine, settings) == 2  # 17 and 19 June, after the training expired


def test_a_training_expired_since_still_covers_the_requests_before_it_expired(
    engine: Engine, settings: Settings
) -> None:
    team, fatima = _team_with_debt_training(engine, date(2022, 6, 16))
    _log(engine, settings, fatima, date(2025, 6, 14))
    _log(engine, settings, fatima, date(2025, 6, 16))
    assert _outside(engine, settings) is None


def test_requests_before_a_training_was_completed_count_as_outside_it(engine: Engine, settings: Settings) -> None:
    team, fatima = _team_with_debt_training(engine, date(2025, 6, 18))
    _log(engine, settings, fatima, date(2025, 6, 17))  # the day before the training
    _log(engine, settings, fatima, date(2025, 6, 18))  # the day of the training counts as trained
    _log(engine, settings, fatima, date(2025, 6, 19))
    assert _outside(engine, settings) == 1
