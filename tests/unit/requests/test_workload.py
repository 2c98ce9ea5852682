"""A coproducer's load added up in SQL: week totals, minutes per day, arrival times and kinds of problem."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.requests import log as requests
from monitor.requests import workload
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # Friday 13:00 in Amsterdam
MONDAY, SUNDAY = date(2026, 11, 16), date(2026, 11, 22)


@pytest.fixture
def week(engine: Engine, settings: Settings) -> Team:
    moerwijk = team(engine)
    me = moerwijk.coproducer

    def log(utc: str, minutes: int, *topics: str) -> int:
        received = datetime.fromisoformat(utc).replace(tzinfo=UTC)
        data = RequestInput(minutes=minutes, channel="street", topics=topics, received_at=received)
        return requests.log_request(engine, settings, me, me.person_id, data, now=NOW).id

    log("2026-11-16 09:00", 30, "money")  # Monday 10:00, inside
    log("2026-11-16 19:00", 60, "money", "housing")  # Monday 20:00, evening
    log("2026-11-18 01:30", 45, "violence")  # Wednesday 02:30, night
    gone = log("2026-11-19 10:00", 15, "children")  # deleted below: must not count
    log("2026-11-09 10:00", 120, "addiction")  # the week before
    requests.delete_request(engine, settings, me, gone, now=NOW)
    # Someone else's request never counts for Fatima.
    other = moerwijk.other_coproducer
    requests.log_request(
        engine,
        settings,
        other,
        other.person_id,
        replace(RequestInput(minutes=90, channel="door", topics=("money",)), received_at=NOW - timedelta(hours=1)),
        now=NOW,
    )
    return moerwijk


def test_week_totals_count_minutes_outside_hours_and_nights(engine: Engine, week: Team) -> None:
    me = week.coproducer
    totals = workload.totals(engine, me, me.person_id, MONDAY, SUNDAY)
    assert totals == workload.Totals(
        requests=3, minutes=135, outside_requests=2, outside_minutes=105, night_requests=1, beyond_role=0
    )
    assert totals.hours == pytest.approx(2.25)


def test_minutes_per_day_include_empty_days_and_split_inside_from_outside(engine: Engine, week: Team) -> None:
    me = week.coproducer
    days = workload.by_day(engine, me, me.person_id, MONDAY, SUNDAY)
    assert len(days) == 7
    assert (days[0].inside_minutes, days[0].outside_minutes, days[0].requests) == (30, 60, 2)
    assert (days[2].inside_minutes, days[2].outside_minutes) == (0, 45)
    assert all(d.requests == 0 for d in days[3:])


def test_arrivals_are_counted_by_local_weekday_and_hour(engine: Engine, week: Team) -> None:
    me = week.coproducer
    assert workload.arrivals(engine, me, me.person_id, MONDAY, SUNDAY) == {(0, 10): 1, (0, 20): 1, (2, 2): 1}


def test_topics_count_each_kind_of_problem_of_a_request(engine: Engine, week: Team) -> None:
    me = week.coproducer
    assert workload.topics(engine, me, me.person_id, MONDAY, SUNDAY) == {"money": 2, "housing": 1, "violence": 1}


def test_only_the_person_and_their_leader_see_the_workload(engine: Engine, week: Team) -> None:
    me = week.coproducer
    assert workload.totals(engine, week.leader, me.person_id, MONDAY, SUNDAY).requests == 3
    for outsider in (week.other_coproducer, week.counsellor, week.admin):
        with pytest.raises(PermissionDenied):
            workload.totals(engine, outsider, me.person_id, MONDAY, SUNDAY)
