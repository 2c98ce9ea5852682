"""Check-ins: asking to talk, one open check-in per person (also under a race), planning, outcomes, what leaders see."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from db.engine import unit_of_work
from db.models import Checkin, Role
from monitor.checkins import asking, counselling, opening, views
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people import accounts as people
from monitor.people.access import SYSTEM
from tests.unit.checkin_helpers import T0, checkins_of, inbox_of
from tests.unit.factories import Team, person, team


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def prompt(engine: Engine, settings: Settings, t: Team, code: str = "no_checkin", at: datetime = T0) -> int:
    with unit_of_work(engine) as session:
        checkin_id, _created = opening.open_checkin(
            session, settings, t.coproducer.person_id, t.id, code, {"weeks": 6}, at
        )
    return checkin_id


def test_asking_to_talk_opens_a_request_and_tells_the_counsellor(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)

    [row] = checkins_of(engine, moerwijk.coproducer.person_id)
    assert row.id == checkin_id and row.status == "requested" and row.requested_at == T0
    [note] = inbox_of(engine, moerwijk.counsellor.person_id)
    assert note.kind == "checkin_prompt" and note.link == "check-ins" and "Fatima" in note.params
    assert inbox_of(engine, moerwijk.leader.person_id) == []  # the leader hears nothing of it


def test_a_person_never_has_two_open_check_ins(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    first = prompt(engine, settings, moerwijk, "no_checkin")
    second = prompt(engine, settings, moerwijk, "who5_low", T0 + timedelta(hours=1))
    again = prompt(engine, settings, moerwijk, "who5_low", T0 + timedelta(hours=2))
    asked = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0 + timedelta(hours=3))

    assert first == second == again == asked
    [row] = checkins_of(engine, moerwijk.coproducer.person_id)
    assert [r["code"] for r in json.loads(row.reasons)] == ["no_checkin", "who5_low", "asked"]
    assert row.status == "requested" and row.urgency == opening.REASONS["asked"][1]


def test_the_database_refuses_a_second_open_check_in(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    prompt(engine, settings, moerwijk)
    with pytest.raises(IntegrityError), unit_of_work(engine) as session:
        session.add(
            Checkin(person_id=moerwijk.coproducer.person_id, team_id=moerwijk.id, status="requested", reasons="[]")
        )
    # A closed one beside the open one is fine.
    with unit_of_work(engine) as session:
        session.add(Checkin(person_id=moerwijk.coproducer.person_id, team_id=moerwijk.id, status="done", reasons="[]"))
    assert len(checkins_of(engine, moerwijk.coproducer.person_id)) == 2


def test_two_prompts_at_the_same_moment_open_one_check_in(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(code: str) -> None:
        try:
            barrier.wait()
            prompt(engine, settings, moerwijk, code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(code,)) for code in ("no_checkin", "who5_low")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    [row] = checkins_of(engine, moerwijk.coproducer.person_id)
    assert sorted(r["code"] for r in json.loads(row.reasons)) == ["no_checkin", "who5_low"]


def test_the_queue_puts_the_most_urgent_first_then_the_oldest(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    henk = moerwijk.other_coproducer
    third = person(engine, "ahmed", moerwijk.id, Role.COPRODUCER)
    with unit_of_work(engine) as session:
        opening.open_checkin(session, settings, henk.person_id, moerwijk.id, "no_checkin", {"weeks": 6}, T0)
        opening.open_checkin(
            session, settings, third.person_id, moerwijk.id, "no_checkin", {"weeks": 6}, T0 - timedelta(days=1)
        )
    asking.request_talk(engine, settings, moerwijk.coproducer, now=T0 + timedelta(days=1))

    rows = counselling.queue(engine, moerwijk.counsellor)

    assert [r.person_name for r in rows] == ["Fatima", "Ahmed", "Henk"]
    assert rows[0].reasons[0].text("en") == "Asked to talk"
    assert rows[1].reasons[0].text("nl") == "6 weken geen gesprek"


def test_planning_tells_the_coproducer_the_time_in_their_language(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    when = datetime(2026, 3, 4, 13, 30, tzinfo=UTC)  # 14:30 in Amsterdam

    counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, when, 45, "phone", "", now=T0)

    [view] = asking.my_checkins(engine, moerwijk.coproducer)
    assert view.status == "scheduled" and view.scheduled_at == when and view.counsellor_name == "Samira"
    assert view.reasons == ()  # the coproducer's view carries no rule's reasons
    [note] = inbox_of(engine, moerwijk.coproducer.person_id, "checkin")
    assert "woensdag 4 maart, 14:30" in note.params and note.link == "talk"
    assert counselling.queue(engine, moerwijk.counsellor) == []
    week = counselling.calendar(engine, moerwijk.counsellor, T0, T0 + timedelta(days=7))
    assert [r.id for r in week] == [checkin_id]


def test_planning_checks_its_input(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    later = T0 + timedelta(days=1)
    bad = [
        (T0 - timedelta(hours=1), 45, "phone"),
        (later, 5, "phone"),
        (later, 300, "phone"),
        (later, 45, "carrier pigeon"),
    ]
    for when, minutes, mode in bad:
        with pytest.raises(ValidationError):
            counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, when, minutes, mode, now=T0)


def test_outcomes_close_the_check_in_and_a_new_one_can_open(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    with pytest.raises(ValidationError):  # not planned yet
        counselling.record_outcome(engine, settings, moerwijk.counsellor, checkin_id, "done", now=T0)
    counselling.schedule(
        engine, settings, moerwijk.counsellor, checkin_id, T0 + timedelta(hours=2), 30, "in_person", "Buurthuis", now=T0
    )
    with pytest.raises(ValidationError):
        counselling.record_outcome(
            engine, settings, moerwijk.counsellor, checkin_id, "done", follow_up_on=date(2026, 3, 2), now=T0
        )
    counselling.record_outcome(
        engine, settings, moerwijk.counsellor, checkin_id, "done", follow_up_on=date(2026, 3, 30), now=T0
    )
    with pytest.raises(ValidationError):
        counselling.record_outcome(engine, settings, moerwijk.counsellor, checkin_id, "no_show", now=T0)

    second = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0 + timedelta(days=1))
    assert second != checkin_id
    statuses = [(r.status, r.follow_up_on) for r in checkins_of(engine, moerwijk.coproducer.person_id)]
    assert statuses == [("done", date(2026, 3, 30)), ("requested", None)]


def test_cancelling_a_planned_check_in_tells_the_coproducer(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, T0 + timedelta(days=2), 30, "video", now=T0)
    counselling.record_outcome(engine, settings, moerwijk.counsellor, checkin_id, "cancelled", now=T0)
    texts = [n.message for n in inbox_of(engine, moerwijk.coproducer.person_id, "checkin")]
    assert any("cancelled" in t for t in texts)


def test_leaders_see_last_months_count_only_when_five_coproducers_had_a_check_in(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    """Issue 27: a count of 1 told the leader who had been away; and this month's count went up while she watched."""
    march, april = date(2026, 3, 10), date(2026, 4, 1)
    coproducers = [moerwijk.coproducer, moerwijk.other_coproducer] + [
        person(engine, f"extra{i}", moerwijk.id, Role.COPRODUCER) for i in range(3)
    ]

    def held(day: date) -> int | None:
        return views.team_checkins_held(engine, settings, moerwijk.leader, moerwijk.id, day)

    assert held(april) is None  # five coproducers, none had a check-in: "0" would tell when one does
    for n, coproducer in enumerate(coproducers):
        checkin_id = asking.request_talk(engine, settings, coproducer, now=T0)
        at = T0 + timedelta(hours=1 + n)
        counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, at, 30, "phone", now=T0)
        counselling.record_outcome(engine, settings, moerwijk.counsellor, checkin_id, "done", now=at)
        assert held(april) == (5 if n == 4 else None), n  # fewer than five people: not shown
    assert held(march) is None  # March is not over: February's count, of nobody
    people.set_active(engine, SYSTEM, moerwijk.other_coproducer.person_id, False)
    assert held(april) is None  # a team of four


def test_a_counsellor_of_another_team_sees_nothing(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    other = team(engine, "Transvaal", "t_")
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    assert counselling.queue(engine, other.counsellor) == []
    with pytest.raises(PermissionDenied):
        counselling.schedule(
            engine, settings, other.counsellor, checkin_id, T0 + timedelta(days=1), 30, "phone", now=T0
        )
    with pytest.raises(PermissionDenied):
        views.team_checkins_held(engine, settings, other.leader, moerwijk.id)


def test_the_open_check_in_index_is_partial_on_status(engine: Engine) -> None:
    """The predicate is what ON CONFLICT names; both must say the same."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            definition = connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_checkins_one_open_per_person'")
            ).scalar_one()
        else:
            definition = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'uq_checkins_one_open_per_person'")
            ).scalar_one()
    assert "UNIQUE" in definition.upper() and "prompted" in definition and "scheduled" in definition


def test_the_checkins_settings_are_read_and_checked() -> None:
    from monitor.config import ConfigError, parse

    env = {"MONITOR_DATABASE_URL": "sqlite:///x.db"}
    assert parse({}, "t", env).checkins.no_checkin_weeks == 6
    assert parse({"checkins": {"no_checkin_weeks": 8, "who5_low": 40}}, "t", env).checkins.who5_low == 40
    with pytest.raises(ConfigError, match="checkins.who5_low"):
        parse({"checkins": {"who5_low": 101}}, "t", env)
    with pytest.raises(ConfigError, match="checkins.no_checkin_weeks"):
        parse({"checkins": {"no_checkin_weeks": 0}}, "t", env)


def test_a_coproducer_takes_back_a_request_they_alone_made(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    asking.request_talk(engine, settings, me, now=T0)
    with pytest.raises(PermissionDenied):
        asking.withdraw_request(engine, settings, moerwijk.leader, now=T0)
    asking.withdraw_request(engine, settings, me, now=T0 + timedelta(hours=1))
    [row] = checkins_of(engine, me.person_id)
    assert (row.status, row.closed_at) == ("cancelled", T0 + timedelta(hours=1))
    notes = [n.message for n in inbox_of(engine, moerwijk.counsellor.person_id)]
    assert notes[-1] == "{name} no longer needs to talk for now."
    with pytest.raises(ValidationError, match="no request to take back"):
        asking.withdraw_request(engine, settings, me, now=T0 + timedelta(hours=2))
    asking.request_talk(engine, settings, me, now=T0 + timedelta(hours=3))  # asking again opens a new one
    assert [r.status for r in checkins_of(engine, me.person_id)] == ["cancelled", "requested"]


def test_taking_back_a_request_leaves_the_rules_prompt_open(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    prompt(engine, settings, moerwijk, "who5_low")
    asking.request_talk(engine, settings, me, now=T0 + timedelta(hours=1))
    asking.withdraw_request(engine, settings, me, now=T0 + timedelta(hours=2))
    [row] = checkins_of(engine, me.person_id)
    assert row.status == "prompted"
    assert [r["code"] for r in json.loads(row.reasons)] == ["who5_low"]
    assert row.urgency == opening.REASONS["who5_low"][1]


def test_a_planned_check_in_is_not_taken_back_here(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    checkin_id = asking.request_talk(engine, settings, me, now=T0)
    counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, T0 + timedelta(days=2), 45, "phone", now=T0)
    with pytest.raises(ValidationError, match="move or cancel with the counsellor"):
        asking.withdraw_request(engine, settings, me, now=T0)
    assert [r.status for r in checkins_of(engine, me.person_id)] == ["scheduled"]


def test_many_prompts_open_one_check_in_per_person_at_once(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    fatima, henk = moerwijk.coproducer, moerwijk.other_coproducer
    asked = asking.request_talk(engine, settings, fatima, now=T0)
    burden = {"title": "Requests at night"}
    with unit_of_work(engine) as session:
        opened = opening.open_checkins(
            session,
            settings,
            [
                opening.Prompt(fatima.person_id, moerwijk.id, "alert_critical", burden),
                opening.Prompt(henk.person_id, moerwijk.id, "alert_critical", burden),
                opening.Prompt(henk.person_id, moerwijk.id, "alert_critical", {"title": "Hours over"}),
                opening.Prompt(henk.person_id, moerwijk.id, "no_checkin", {"weeks": 6}),
            ],
            T0,
        )

    [henks] = checkins_of(engine, henk.person_id)
    assert opened == {fatima.person_id: (asked, False), henk.person_id: (henks.id, True)}
    assert henks.status == "prompted" and henks.urgency == 3
    assert [r["code"] for r in json.loads(henks.reasons)] == ["alert_critical", "no_checkin"]
    [fatimas] = checkins_of(engine, fatima.person_id)
    assert fatimas.status == "requested" and fatimas.urgency == 4
    assert [r["code"] for r in json.loads(fatimas.reasons)] == ["asked", "alert_critical"]
    # The counsellor hears of Henk's new check-in once, with its first reason; of Fatima's only when she asked.
    keys = [note.key for note in inbox_of(engine, moerwijk.counsellor.person_id)]
    assert keys == [f"checkin:{asked}:asked:{moerwijk.counsellor.person_id}"] + [
        f"checkin:{henks.id}:alert_critical:{moerwijk.counsellor.person_id}"
    ]


def test_a_request_to_talk_is_not_a_prompt(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    with unit_of_work(engine) as session, pytest.raises(ValueError):
        opening.open_checkins(
            session, settings, [opening.Prompt(moerwijk.coproducer.person_id, moerwijk.id, opening.ASKED, {})], T0
        )
