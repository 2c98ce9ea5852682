"""A team's load for its leaders: per person and week in SQL, the overview rows, arrivals, exports, permissions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine

from monitor.alerts import actions, evaluation, team_export, team_load
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.requests.agreements import Agreement, agreement_history, check_availability, record_agreement
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # Friday 13:00 in Amsterdam
TODAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 16)


@pytest.fixture
def moerwijk(engine: Engine, settings: Settings) -> Team:
    """Fatima: 9 hours this week (one at 20:00, outside hours), 2 hours three weeks ago; Henk: half an hour."""
    t = team(engine)

    def log(who: Actor, utc: str, minutes: int) -> None:
        received = datetime.fromisoformat(utc).replace(tzinfo=UTC)
        data = RequestInput(minutes=minutes, channel="door", topics=("money",), received_at=received)
        requests.log_request(engine, settings, who, who.person_id, data, now=received)

    log(t.coproducer, "2026-11-16 09:00", 480)  # Monday 10:00
    log(t.coproducer, "2026-11-19 19:00", 60)  # Thursday 20:00, outside hours
    log(t.coproducer, "2026-10-27 09:00", 120)  # Tuesday three weeks before
    log(t.other_coproducer, "2026-11-17 09:00", 30)
    evaluation.evaluate(engine, settings, at=NOW)
    return t


def test_weekly_adds_up_per_person_and_monday(engine: Engine, moerwijk: Team) -> None:
    loads = team_load.weekly(engine, moerwijk.leader, moerwijk.id, date(2026, 10, 26), TODAY)
    got = sorted((w.person_id, w.week, w.minutes, w.requests, w.outside_requests) for w in loads)
    fatima, henk = moerwijk.coproducer.person_id, moerwijk.other_coproducer.person_id
    assert got == sorted(
        [(fatima, date(2026, 10, 26), 120, 1, 0), (fatima, MONDAY, 540, 2, 1), (henk, MONDAY, 30, 1, 0)]
    )


def test_the_overview_has_one_row_per_coproducer_against_their_agreement(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    rows = team_load.overview(engine, settings, moerwijk.leader, moerwijk.id, TODAY)
    by_name = {row.username: row for row in rows}
    fatima, henk = by_name["fatima"], by_name["henk"]
    assert (fatima.week_hours, fatima.outside_7_days, fatima.over_hours, fatima.open_alerts) == (9, 1, True, 2)
    assert fatima.trend == (0, 0, 0, 0, 2.0, 0, 0, 9.0)
    assert (henk.week_hours, henk.over_hours, henk.open_alerts) == (0.5, False, 0)


def test_arrivals_count_the_team_per_weekday_and_hour(engine: Engine, moerwijk: Team) -> None:
    got = team_load.arrivals(engine, moerwijk.leader, moerwijk.id, MONDAY, TODAY)
    assert got == {(0, 10): 1, (3, 20): 1, (1, 10): 1}


def everyone_but_the_leader(engine: Engine, t: Team) -> list[Actor]:
    other = team(engine, "Transvaal", prefix="t-")
    return [other.leader, t.coproducer, t.counsellor]


def test_only_the_teams_leader_sees_its_load(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    for actor in everyone_but_the_leader(engine, moerwijk):
        with pytest.raises(PermissionDenied):
            team_load.overview(engine, settings, actor, moerwijk.id, TODAY)
        with pytest.raises(PermissionDenied):
            team_load.weekly(engine, actor, moerwijk.id, MONDAY, TODAY)
        with pytest.raises(PermissionDenied):
            team_load.arrivals(engine, actor, moerwijk.id, MONDAY, TODAY)
        with pytest.raises(PermissionDenied):
            team_export.load_rows(engine, actor, moerwijk.id, TODAY)


def test_the_weekly_load_export_has_every_week_for_every_coproducer(engine: Engine, moerwijk: Team) -> None:
    rows = team_export.load_rows(engine, moerwijk.leader, moerwijk.id, TODAY, weeks=4)
    assert len(rows) == 8
    assert rows[3] == {
        "username": "fatima",
        "coproducer": "Fatima",
        "week": "2026-11-16",
        "hours": 9.0,
        "requests": 2,
        "outside_requests": 1,
    }
    text = team_export.to_file(rows, team_export.LOAD_COLUMNS, "csv", "load").decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == list(team_export.LOAD_COLUMNS)
    assert team_export.to_file(rows, team_export.LOAD_COLUMNS, "xlsx", "load")[:2] == b"PK"


def test_the_alert_export_keeps_a_note_from_running_as_a_formula(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    [row] = [r for r in actions.team_alerts(engine, moerwijk.leader, moerwijk.id) if r.rule == "hours_over"]
    actions.acknowledge(engine, moerwijk.leader, row.id, '=HYPERLINK("x")', now=NOW)
    rows = actions.team_alerts(engine, moerwijk.leader, moerwijk.id, rule="hours_over")
    [flat] = team_export.alert_rows(rows, settings)
    assert flat["note"] == '\'=HYPERLINK("x")'
    assert (flat["rule"], flat["status"], flat["week"], flat["value"]) == (
        "hours_over",
        "acknowledged",
        "2026-11-16",
        9,
    )


def agreement(valid_from: date, hours: float = 10) -> Agreement:
    return Agreement(
        valid_from=valid_from,
        hours_per_week=hours,
        max_outside_requests_per_week=2,
        max_night_requests_per_week=0,
        topics=("money", "housing"),
        availability={"monday": ((time(9), time(12)), (time(19), time(21)))},
    )


def test_the_versions_of_an_agreement_are_listed_newest_first(engine: Engine, moerwijk: Team) -> None:
    fatima = moerwijk.coproducer.person_id
    record_agreement(engine, moerwijk.leader, fatima, agreement(date(2026, 1, 1), 6))
    record_agreement(engine, moerwijk.admin, fatima, agreement(date(2026, 6, 1), 10))

    history = agreement_history(engine, moerwijk.leader, fatima)
    assert [(v.agreement.valid_from, v.agreement.hours_per_week, v.recorded_by) for v in history] == [
        (date(2026, 6, 1), 10, "Beheer"),
        (date(2026, 1, 1), 6, "Lotte"),
    ]
    assert history[0].agreement.availability["monday"] == ((time(9), time(12)), (time(19), time(21)))
    assert agreement_history(engine, moerwijk.coproducer, fatima)  # she sees her own


def test_only_their_leader_and_themselves_see_the_versions(engine: Engine, moerwijk: Team) -> None:
    fatima = moerwijk.coproducer.person_id
    for actor in [*everyone_but_the_leader(engine, moerwijk)[::2], moerwijk.other_coproducer]:
        with pytest.raises(PermissionDenied):
            agreement_history(engine, actor, fatima)
        with pytest.raises(PermissionDenied):
            record_agreement(engine, actor, fatima, agreement(date(2026, 1, 1)))


@pytest.mark.parametrize(
    "windows",
    [((time(17), time(9)),), ((time(9), time(9)),), ((time(9), time(13)), (time(12), time(17)))],
    ids=["backwards", "empty", "overlapping"],
)
def test_a_window_must_end_after_it_starts_and_not_overlap(windows: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValidationError):
        check_availability({"monday": windows})


def test_two_windows_one_after_the_other_are_fine() -> None:
    check_availability({"monday": ((time(9), time(12)), (time(12), time(17)))})
