"""Logging, validating, correcting and seeing requests, with who may do what."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import HelpRequest, RequestChange
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import gettext_for
from monitor.requests import log as requests
from monitor.requests.agreements import Agreement, current_agreement, record_agreement
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

# Wednesday 18 November 2026, 21:00 in Amsterdam.
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
QUICK = RequestInput(minutes=15, channel="street", topics=("money",))

ENGLISH = gettext_for("en")


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def count(engine: Engine, model=HelpRequest) -> int:  # type: ignore[no-untyped-def]
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_coproducer_logs_a_request_with_three_choices_and_it_is_classified(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    saved = requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    assert saved.received_at == NOW
    assert (saved.local.hour, saved.outside_hours, saved.outside_reason) == (21, True, "evening")
    assert saved.topics == ("money",)
    with reading(engine) as session:
        row = session.get(HelpRequest, saved.id)
        assert row is not None
        assert (row.local_date, row.local_weekday, row.local_hour, row.team_id) == (
            date(2026, 11, 18),
            2,
            21,
            moerwijk.id,
        )
        change = session.scalars(select(RequestChange).where(RequestChange.request_id == saved.id)).one()
        assert change.action == "create"
        assert json.loads(change.after or "{}")["topics"] == ["money"]


def test_the_optional_details_are_kept(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    data = RequestInput(
        minutes=45,
        channel="door",
        topics=("violence", "addiction"),
        level="group",
        beyond_role=True,
        referred_to="police",
        note="  Neighbour scared at night  ",
    )
    saved = requests.log_request(engine, settings, me, me.person_id, data, now=NOW)
    assert saved.topics == ("addiction", "violence")
    assert (saved.level, saved.beyond_role, saved.referred_to, saved.note) == (
        "group",
        True,
        "police",
        "Neighbour scared at night",
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"received_at": NOW + timedelta(hours=2)}, "received_at", "future"),
        ({"received_at": NOW - timedelta(days=15)}, "received_at", "more than 14 days"),
        ({"minutes": 0}, "minutes", "at least 1 minute"),
        ({"minutes": -15}, "minutes", "at least 1 minute"),
        ({"minutes": 100_000}, "minutes", "more than one request can take"),
        ({"topics": ()}, "topics", "at least one"),
        ({"topics": ("money", "witchcraft")}, "topics", "Unknown kind of problem: witchcraft"),
        ({"channel": "pigeon"}, "channel", "how you were approached"),
        ({"note": "x" * 281}, "note", "281 characters"),
        ({"level": "planet"}, "level", "Unknown level"),
        ({"referred_to": "mayor"}, "referred_to", "Unknown referral"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(
    engine: Engine, settings: Settings, moerwijk: Team, change: dict, field: str, words: str
) -> None:
    me = moerwijk.coproducer
    data = replace(QUICK, **change)
    found = requests.problems(data, NOW, settings, settings.requests.earlier_days)
    assert [p.field for p in found] == [field]
    with pytest.raises(ValidationError) as raised:
        requests.log_request(engine, settings, me, me.person_id, data, now=NOW)
    assert words in raised.value.render(ENGLISH)  # in English, with the plural its count takes
    assert count(engine) == 0


def test_a_request_from_earlier_today_or_two_weeks_ago_is_accepted(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    for earlier in (NOW - timedelta(hours=3), NOW - timedelta(days=13, hours=23)):
        requests.log_request(engine, settings, me, me.person_id, replace(QUICK, received_at=earlier), now=NOW)
    assert count(engine) == 2


def test_nobody_else_logs_for_a_coproducer_except_their_leader(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    for stranger in (moerwijk.other_coproducer, moerwijk.counsellor, moerwijk.admin):
        with pytest.raises(PermissionDenied):
            requests.log_request(engine, settings, stranger, me.person_id, QUICK, now=NOW)
    requests.log_request(engine, settings, moerwijk.leader, me.person_id, QUICK, now=NOW)
    with pytest.raises(PermissionDenied, match="Only coproducers"):
        requests.log_request(engine, settings, moerwijk.leader, moerwijk.leader.person_id, QUICK, now=NOW)
    assert count(engine) == 1


def test_only_the_person_and_their_leader_see_the_entries(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    day = date(2026, 11, 18)
    assert len(requests.list_requests(engine, settings, me, me.person_id, day, day, now=NOW)) == 1
    assert len(requests.list_requests(engine, settings, moerwijk.leader, me.person_id, day, day, now=NOW)) == 1
    other_team = team(engine, "Transvaal", prefix="t_")
    for outsider in (moerwijk.other_coproducer, moerwijk.counsellor, moerwijk.admin, other_team.leader):
        with pytest.raises(PermissionDenied):
            requests.list_requests(engine, settings, outsider, me.person_id, day, day, now=NOW)


def test_undo_takes_back_a_request_only_for_a_short_while(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    first = requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    second = requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    requests.undo_request(engine, settings, me, first.id, now=NOW + timedelta(seconds=30))
    with pytest.raises(ValidationError, match="too late to undo"):
        requests.undo_request(engine, settings, me, second.id, now=NOW + timedelta(minutes=10))
    with pytest.raises(NotFound):
        requests.undo_request(engine, settings, moerwijk.other_coproducer, second.id, now=NOW)
    day = date(2026, 11, 18)
    assert [r.id for r in requests.list_requests(engine, settings, me, me.person_id, day, day, now=NOW)] == [second.id]
    assert [action for _at, action, _b, _a in requests.history(engine, me, first.id)] == ["create", "undo"]


def test_a_correction_within_seven_days_is_judged_again_and_kept_in_the_audit_trail(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    saved = requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    afternoon = datetime(2026, 11, 18, 13, 0, tzinfo=UTC)  # 14:00 local, inside the window
    later = NOW + timedelta(days=6)
    fixed = requests.correct_request(
        engine, settings, me, saved.id, replace(QUICK, minutes=30, received_at=afternoon), now=later
    )
    assert (fixed.minutes, fixed.outside_hours, fixed.outside_reason) == (30, False, None)
    trail = requests.history(engine, moerwijk.leader, saved.id)
    assert [action for _at, action, _b, _a in trail] == ["create", "correct"]
    before, after = json.loads(trail[1][2] or "{}"), json.loads(trail[1][3] or "{}")
    assert (before["minutes"], after["minutes"]) == (15, 30)
    assert (before["outside_reason"], after["outside_reason"]) == ("evening", None)


def test_after_seven_days_a_request_can_no_longer_be_changed(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    saved = requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    too_late = NOW + timedelta(days=7, minutes=1)
    with pytest.raises(ValidationError) as deleting:
        requests.delete_request(engine, settings, me, saved.id, now=too_late)
    assert "more than 7 days ago" in deleting.value.render(ENGLISH)
    with pytest.raises(ValidationError) as correcting:
        requests.correct_request(engine, settings, me, saved.id, replace(QUICK, minutes=60), now=too_late)
    assert "more than 7 days ago" in correcting.value.render(ENGLISH)
    rows = requests.list_requests(
        engine, settings, me, me.person_id, date(2026, 11, 18), date(2026, 11, 30), now=too_late
    )
    assert [(r.minutes, r.can_correct) for r in rows] == [(15, False)]


def test_delete_keeps_the_request_in_the_audit_trail_but_removes_it_from_lists(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    saved = requests.log_request(engine, settings, me, me.person_id, QUICK, now=NOW)
    with pytest.raises(PermissionDenied):
        requests.delete_request(engine, settings, moerwijk.leader, saved.id, now=NOW)
    with pytest.raises(NotFound):
        requests.delete_request(engine, settings, moerwijk.other_coproducer, saved.id, now=NOW)
    requests.delete_request(engine, settings, me, saved.id, now=NOW + timedelta(days=1))
    day = date(2026, 11, 18)
    assert requests.list_requests(engine, settings, me, me.person_id, day, day, now=NOW) == []
    assert count(engine) == 1
    assert [action for _at, action, _b, _a in requests.history(engine, me, saved.id)] == ["create", "delete"]


def test_an_agreement_changed_in_the_middle_of_a_week_judges_each_request_by_the_version_then_in_force(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    # From Thursday 19 November 2026 Fatima is also available in the evenings.
    evenings = {day: ((time(9), time(22)),) for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    new = replace(Agreement.from_defaults(settings.demarcation), valid_from=date(2026, 11, 19), availability=evenings)
    with pytest.raises(PermissionDenied):
        record_agreement(engine, me, me.person_id, new)
    record_agreement(engine, moerwijk.leader, me.person_id, new)
    wednesday_evening = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)  # 21:00 local, old agreement
    thursday_evening = datetime(2026, 11, 19, 20, 0, tzinfo=UTC)  # 21:00 local, new agreement
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    old = requests.log_request(
        engine, settings, me, me.person_id, replace(QUICK, received_at=wednesday_evening), now=now
    )
    fresh = requests.log_request(
        engine, settings, me, me.person_id, replace(QUICK, received_at=thursday_evening), now=now
    )
    assert (old.outside_hours, old.outside_reason) == (True, "evening")
    assert (fresh.outside_hours, fresh.outside_reason) == (False, None)
    assert current_agreement(engine, me, me.person_id, date(2026, 11, 18), settings.demarcation).valid_from is None
    assert current_agreement(engine, me, me.person_id, date(2026, 11, 20), settings.demarcation).availability == (
        evenings
    )
