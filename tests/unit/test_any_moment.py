"""The time-sensitive parts judged at the pinned moments of tests/conftest.py (the night, both ends of the week, both
2026 daylight-saving nights, New Year's Eve, King's Day): a request logged "now" gets the local date, week and
reason the agreement's wall clock says, the night rule fires for night requests only, the evaluation and the
scheduler run. Each test runs once per moment, on SQLite and PostgreSQL, as part of the ordinary suite."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Alert, HelpRequest
from monitor import scheduler
from monitor.alerts import digest, evaluation
from monitor.config import Settings
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests import workload
from monitor.requests.log import RequestInput
from tests.conftest import PINNED_MOMENTS
from tests.unit import factories

# Why a request at each moment is outside the agreed hours (Monday to Friday 09:00-17:00), written out by hand.
REASON = {
    "night-0330": "night",
    "monday-0005": "night",
    "sunday-2359": "weekend",
    "dst-spring-0330": "night",
    "dst-autumn-0230": "night",
    "new-years-eve-2359": "evening",  # 31 December is a working day in the Netherlands
    "kings-day-1200": "holiday",
    "ordinary": None,
}
LOCAL_DATE = {
    "night-0330": date(2026, 11, 25),
    "monday-0005": date(2026, 11, 23),
    "sunday-2359": date(2026, 11, 29),
    "dst-spring-0330": date(2026, 3, 29),
    "dst-autumn-0230": date(2026, 10, 25),
    "new-years-eve-2359": date(2026, 12, 31),
    "kings-day-1200": date(2026, 4, 27),
    "ordinary": date(2026, 11, 25),
}


def name_of(moment: datetime) -> str:
    (name,) = [key for key, value in PINNED_MOMENTS.items() if value == moment and value.fold == moment.fold]
    return name


def test_every_pinned_moment_is_judged_here() -> None:
    assert set(REASON) == set(LOCAL_DATE) == set(PINNED_MOMENTS)


def test_a_request_logged_now_gets_the_local_date_week_and_reason(
    engine: Engine, settings: Settings, moment: datetime
) -> None:
    name = name_of(moment)
    crew = factories.team(engine)
    person = crew.coproducer.person_id
    requests.log_request(engine, settings, SYSTEM, person, RequestInput(20, "door", ("money",)))  # received "now"

    with reading(engine) as session:
        (row,) = session.scalars(select(HelpRequest)).all()
    assert row.local_date == LOCAL_DATE[name]
    assert row.outside_reason == REASON[name]
    assert row.is_night is (REASON[name] == "night")

    monday = LOCAL_DATE[name] - timedelta(days=LOCAL_DATE[name].weekday())
    this_week = workload.totals(engine, SYSTEM, person, monday, monday + timedelta(days=6))
    last_week = workload.totals(engine, SYSTEM, person, monday - timedelta(days=7), monday - timedelta(days=1))
    assert (this_week.minutes, last_week.minutes) == (20, 0)


def test_the_night_rule_fires_for_night_requests_only(engine: Engine, settings: Settings, moment: datetime) -> None:
    name = name_of(moment)
    crew = factories.team(engine)
    for minutes_ago in (2, 1):  # two requests a minute apart; the agreement allows one night request a week
        data = RequestInput(15, "door", ("money",), received_at=moment - timedelta(minutes=minutes_ago))
        requests.log_request(engine, settings, SYSTEM, crew.coproducer.person_id, data)

    first = evaluation.evaluate(engine, settings)
    again = evaluation.evaluate(engine, settings)

    with reading(engine) as session:
        rules = set(session.scalars(select(Alert.rule)).all())
    assert ("night" in rules) is (REASON[name] == "night")
    assert first.at == moment.astimezone(UTC)  # in UTC: a time in the autumn fold never equals one in another zone
    assert (again.opened, again.reopened) == ([], []), "a second evaluation at the same moment opens nothing"


def test_the_scheduler_and_the_digest_at_each_moment(settings: Settings, moment: datetime) -> None:
    local = moment.astimezone(settings.tz)
    assert digest.due_day(settings, moment) == (local.date() if local.hour >= settings.email.digest_hour else None)
    sched = scheduler.build(lambda: settings, worker="test")
    sched.start(paused=True)
    try:
        firsts = {job.id: job.next_run_time for job in sched.get_jobs()}
    finally:
        sched.shutdown(wait=False)
    assert firsts and all(first.astimezone(UTC) == moment.astimezone(UTC) for first in firsts.values()), "at start"
