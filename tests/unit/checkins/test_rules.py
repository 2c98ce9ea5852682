"""The check-in prompt rules at their boundaries, the burden-alert hook, and reminders sent once the day before."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, update

from db.engine import unit_of_work
from db.models import Person
from monitor.alerts import evaluation
from monitor.checkins import asking, counselling
from monitor.checkins import rules as checkin_rules
from monitor.config import Settings
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit.checkin_helpers import T0, checkins_of, inbox_of
from tests.unit.factories import Team, team


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    t = team(engine)
    with unit_of_work(engine) as session:  # everyone joined at T0
        session.execute(update(Person).values(created_at=T0))
    return t


def held(engine: Engine, settings: Settings, t: Team, at: datetime, follow_up_on: date | None = None) -> int:
    checkin_id = asking.request_talk(engine, settings, t.coproducer, now=at - timedelta(hours=2))
    counselling.schedule(
        engine, settings, t.counsellor, checkin_id, at - timedelta(hours=1), 30, "phone", now=at - timedelta(hours=2)
    )
    counselling.record_outcome(engine, settings, t.counsellor, checkin_id, "done", follow_up_on, now=at)
    return checkin_id


def codes(engine: Engine, person_id: int) -> list[list[str]]:
    return [[r["code"] for r in json.loads(row.reasons)] for row in checkins_of(engine, person_id)]


def test_no_check_in_for_six_weeks_prompts_at_six_weeks_not_before(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    six_weeks = T0 + timedelta(weeks=6)
    assert checkin_rules.prompt_no_checkin(engine, settings, six_weeks - timedelta(minutes=1)) == []
    opened = checkin_rules.prompt_no_checkin(engine, settings, six_weeks)
    assert len(opened) == 2  # both coproducers; not the leader, counsellor or admin
    assert codes(engine, moerwijk.coproducer.person_id) == [["no_checkin"]]
    assert checkin_rules.prompt_no_checkin(engine, settings, six_weeks + timedelta(days=1)) == []  # still open


def test_the_six_weeks_count_from_the_last_check_in(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    last = T0 + timedelta(weeks=5)
    held(engine, settings, moerwijk, last)
    at_six = T0 + timedelta(weeks=6)
    assert moerwijk.coproducer.person_id not in _people(
        engine, checkin_rules.prompt_no_checkin(engine, settings, at_six)
    )
    opened = checkin_rules.prompt_no_checkin(engine, settings, last + timedelta(weeks=6))
    assert moerwijk.coproducer.person_id in _people(engine, opened)


def test_the_number_of_weeks_comes_from_config(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    four = replace(settings, checkins=replace(settings.checkins, no_checkin_weeks=4))
    assert len(checkin_rules.prompt_no_checkin(engine, four, T0 + timedelta(weeks=4))) == 2
    [row] = counselling.queue(engine, moerwijk.counsellor)[:1]
    assert row.reasons[0].text("en") == "No check-in for 4 weeks"


def test_the_weeks_without_a_check_in_are_counted_not_configured(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    # The rule runs for the first time ten weeks after joining (say the worker was down): the message says ten weeks,
    # not the setting's six.
    assert len(checkin_rules.prompt_no_checkin(engine, settings, T0 + timedelta(weeks=10, days=3))) == 2
    [row] = counselling.queue(engine, moerwijk.counsellor)[:1]
    assert row.reasons[0].text("en") == "No check-in for 10 weeks"


def _people(engine: Engine, checkin_ids: list[int]) -> set[int]:
    from db.engine import reading
    from db.models import Checkin

    with reading(engine) as session:
        return {session.get(Checkin, i).person_id for i in checkin_ids}  # type: ignore[union-attr]


def test_a_follow_up_date_prompts_once_on_that_day(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    held(engine, settings, moerwijk, T0, follow_up_on=date(2026, 3, 16))
    day_before = datetime(2026, 3, 15, 22, 59, tzinfo=UTC)  # 23:59 in Amsterdam
    assert checkin_rules.prompt_follow_ups(engine, settings, day_before) == []
    assert len(checkin_rules.prompt_follow_ups(engine, settings, day_before + timedelta(minutes=1))) == 1
    assert checkin_rules.prompt_follow_ups(engine, settings, day_before + timedelta(hours=5)) == []
    [view] = counselling.queue(engine, moerwijk.counsellor)
    assert view.reasons[0].text("en") == "Follow-up agreed for 16 March"


def test_a_critical_burden_alert_opens_a_check_in_without_a_second_message(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    critical = replace(
        settings, rules=replace(settings.rules, severity={**settings.rules.severity, "night": "critical"})
    )
    me = moerwijk.coproducer
    for day in (1, 2):
        data = RequestInput(10, "phone", ("money",), received_at=datetime(2026, 3, day, 1, 30, tzinfo=UTC))
        requests.log_request(engine, critical, me, me.person_id, data, now=T0)
    evaluation.evaluate(engine, critical, at=T0)

    assert codes(engine, me.person_id) == [["alert_critical"]]
    [view] = counselling.queue(engine, moerwijk.counsellor)
    assert view.reasons[0].text("en") == "Burden alert: Requests at night"
    assert len(inbox_of(engine, moerwijk.counsellor.person_id, "checkin_prompt")) == 1


def test_reminders_go_to_both_the_day_before_once(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    when = datetime(2026, 3, 4, 13, 0, tzinfo=UTC)  # Wednesday 14:00 local
    counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, when, 30, "phone", now=T0)

    assert checkin_rules.send_reminders(engine, settings, datetime(2026, 3, 2, 20, 0, tzinfo=UTC)) == []  # two days
    assert checkin_rules.send_reminders(engine, settings, datetime(2026, 3, 3, 7, 59, tzinfo=UTC)) == []  # 08:59
    tuesday_nine = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert checkin_rules.send_reminders(engine, settings, tuesday_nine) == [checkin_id]
    assert checkin_rules.send_reminders(engine, settings, tuesday_nine + timedelta(minutes=15)) == []
    for person_id in (moerwijk.coproducer.person_id, moerwijk.counsellor.person_id):
        reminders = [n for n in inbox_of(engine, person_id, "checkin") if n.message.startswith("Reminder")]
        assert len(reminders) == 1, person_id

    # Moved to Thursday: a new reminder for the new time.
    counselling.schedule(
        engine, settings, moerwijk.counsellor, checkin_id, when + timedelta(days=1), 30, "phone", now=T0
    )
    assert checkin_rules.send_reminders(engine, settings, tuesday_nine + timedelta(days=1)) == [checkin_id]


def test_two_workers_send_a_reminder_once(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    counselling.schedule(
        engine, settings, moerwijk.counsellor, checkin_id, datetime(2026, 3, 4, 13, 0, tzinfo=UTC), 30, "phone", now=T0
    )
    barrier = threading.Barrier(2)
    results: list[list[int]] = []

    def run() -> None:
        barrier.wait()
        results.append(checkin_rules.send_reminders(engine, settings, datetime(2026, 3, 3, 9, 0, tzinfo=UTC)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(len(r) for r in results) == [0, 1]
    reminders = [n for n in inbox_of(engine, moerwijk.coproducer.person_id) if n.message.startswith("Reminder")]
    assert len(reminders) == 1
