"""Each burden rule just under, at and over its threshold, at week boundaries and across a daylight-saving change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, event

from db.engine import reading
from monitor.alerts.findings import context
from monitor.alerts.rules import ALL, BY_NAME
from monitor.alerts.rules.base import Finding
from monitor.config import Settings
from monitor.requests import log as requests
from monitor.requests.agreements import Agreement, record_agreement
from monitor.requests.log import RequestInput
from monitor.training import records as training
from tests.unit.factories import Team, team

# Sunday 22 November 2026, 20:00 in Amsterdam: the week runs from Monday 16 November.
SUNDAY_EVENING = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    """Settings that let tests log requests up to 60 days back, as an import could."""
    return replace(settings, requests=replace(settings.requests, earlier_days=60))


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def local(text: str, cfg: Settings) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=cfg.tz)


def log(engine: Engine, cfg: Settings, who: Team, when: datetime, minutes: int = 15, **extra: object) -> None:
    me = who.coproducer
    data = RequestInput(
        minutes=minutes,
        channel="street",
        topics=extra.pop("topics", ("money",)),  # type: ignore[arg-type]
        received_at=when,
        **extra,
    )  # type: ignore[arg-type]
    requests.log_request(engine, cfg, me, me.person_id, data, now=max(when, SUNDAY_EVENING) + timedelta(minutes=1))


def findings(engine: Engine, cfg: Settings, rule: str, at: datetime = SUNDAY_EVENING) -> list[Finding]:
    with reading(engine) as session:
        ctx = context(session, cfg, at, None)
        return list(BY_NAME[rule].find(session, ctx))


def test_every_rule_has_a_name_title_description_and_message() -> None:
    for rule in ALL:
        assert rule.name and rule.title and rule.description and rule.message


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(479, None), (480, None), (481, "warning"), (600, "warning"), (601, "critical")],
)
def test_hours_over_warns_over_the_agreed_hours_and_is_critical_over_125_percent(
    engine: Engine, cfg: Settings, moerwijk: Team, minutes: int, expected: str | None
) -> None:
    # Default agreement: 8 hours a week; 125% is 10 hours (600 minutes).
    log(engine, cfg, moerwijk, local("2026-11-17 10:00", cfg), minutes - 60)
    log(engine, cfg, moerwijk, local("2026-11-20 10:00", cfg), 60)
    found = findings(engine, cfg, "hours_over")
    assert [f.severity for f in found] == ([expected] if expected else [])


def test_hours_over_counts_the_calendar_week_only(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    log(engine, cfg, moerwijk, local("2026-11-15 21:00", cfg), 500)  # Sunday of the week before: over 8 hours
    log(engine, cfg, moerwijk, local("2026-11-16 10:00", cfg), 300)  # Monday of this week
    assert findings(engine, cfg, "hours_over") == []
    # On that Sunday at 23:00 its own week was over the limit.
    assert [f.value for f in findings(engine, cfg, "hours_over", at=local("2026-11-15 23:00", cfg))] == [8.3]


@pytest.mark.parametrize(("outside", "fires"), [(3, False), (4, True)])
def test_outside_hours_fires_over_the_agreed_number_in_7_days(
    engine: Engine, cfg: Settings, moerwijk: Team, outside: int, fires: bool
) -> None:
    for day in range(outside):
        log(engine, cfg, moerwijk, local(f"2026-11-{17 + day} 20:00", cfg))  # evenings
    log(engine, cfg, moerwijk, local("2026-11-18 11:00", cfg))  # inside hours: never counts
    log(engine, cfg, moerwijk, local("2026-11-15 20:00", cfg))  # 8 days ago: outside the window
    found = findings(engine, cfg, "outside_hours")
    assert [(f.value, f.threshold) for f in found] == ([(4, 3)] if fires else [])


@pytest.mark.parametrize(("nights", "fires"), [(1, False), (2, True)])
def test_night_fires_over_the_agreed_number(
    engine: Engine, cfg: Settings, moerwijk: Team, nights: int, fires: bool
) -> None:
    for day in range(nights):
        log(engine, cfg, moerwijk, local(f"2026-11-{18 + day} 02:30", cfg))
    assert bool(findings(engine, cfg, "night")) is fires


@pytest.mark.parametrize(("days", "fires"), [(6, False), (7, True)])
def test_no_rest_day_fires_when_every_day_of_the_last_7_had_requests(
    engine: Engine, cfg: Settings, moerwijk: Team, days: int, fires: bool
) -> None:
    for offset in range(days):
        log(engine, cfg, moerwijk, local("2026-11-22 10:00", cfg) - timedelta(days=offset))
    assert bool(findings(engine, cfg, "no_rest_day")) is fires


@pytest.mark.parametrize(("recent_minutes", "fires"), [(355, False), (360, True)])
def test_rising_load_fires_at_one_and_a_half_times_the_four_weeks_before(
    engine: Engine, cfg: Settings, moerwijk: Team, recent_minutes: int, fires: bool
) -> None:
    # The four weeks before the last 7 days: 4 hours a week on average (16 hours); 1.5 times that is 6 hours.
    for week in range(1, 5):
        log(engine, cfg, moerwijk, local("2026-11-12 10:00", cfg) - timedelta(weeks=week - 1), 240)
    log(engine, cfg, moerwijk, local("2026-11-18 10:00", cfg), recent_minutes)
    found = findings(engine, cfg, "rising_load")
    assert bool(found) is fires
    if fires:
        assert found[0].params == {"hours": 6.0, "average": 4.0}


def test_rising_load_needs_a_minimum_so_a_quiet_month_then_two_requests_do_not_count(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    log(engine, cfg, moerwijk, local("2026-11-18 10:00", cfg), 60)
    log(engine, cfg, moerwijk, local("2026-11-19 10:00", cfg), 60)
    assert findings(engine, cfg, "rising_load") == []  # infinitely more than nothing, but only 2 hours


def test_topics_outside_the_demarcation_fire_and_other_never_does(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    narrow = replace(
        Agreement.from_defaults(cfg.demarcation), valid_from=date(2026, 11, 1), topics=("money", "housing")
    )
    record_agreement(engine, moerwijk.leader, me.person_id, narrow)
    log(engine, cfg, moerwijk, local("2026-11-18 10:00", cfg), topics=("money", "other"))
    assert findings(engine, cfg, "topics_outside") == []
    log(engine, cfg, moerwijk, local("2026-11-19 10:00", cfg), topics=("violence", "money"))
    log(engine, cfg, moerwijk, local("2026-11-20 10:00", cfg), topics=("violence", "addiction"))
    [found] = findings(engine, cfg, "topics_outside")
    assert (found.value, found.params) == (3, {"topics": ["addiction", "violence"]})


def test_the_kinds_of_problem_are_read_from_the_rules_covering_index_without_request_topics(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    """topics_outside and outside_training read the kinds as bits (topic_mask, migration 0014): joining request_topics
    grew with the years of history. On SQLite the week is read from ix_help_requests_person_date_cover alone."""
    training.add_training(engine, moerwijk.leader, moerwijk.id, "Debt-help basics", "", 6, 36, ("money",))
    narrow = replace(Agreement.from_defaults(cfg.demarcation), valid_from=date(2026, 11, 1), topics=("money",))
    record_agreement(engine, moerwijk.leader, moerwijk.coproducer.person_id, narrow)
    log(engine, cfg, moerwijk, local("2026-11-19 10:00", cfg), topics=("violence", "money", "other"))
    statements: list[tuple[str, object]] = []

    def seen(_connection, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        [outside] = findings(engine, cfg, "topics_outside")
        [untrained] = findings(engine, cfg, "outside_training")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert (outside.value, outside.params) == (1, {"topics": ["violence"]})
    assert (untrained.value, untrained.params["topics"]) == (2, ["money", "violence"])
    assert [statement for statement, _ in statements if "request_topics" in statement] == []
    if engine.dialect.name == "sqlite":  # PostgreSQL's plan for a handful of rows is a scan of the table
        reads = [(statement, parameters) for statement, parameters in statements if "FROM help_requests" in statement]
        assert len(reads) == 2
        with engine.connect() as connection:
            for statement, parameters in reads:
                plan = " | ".join(
                    row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                )
                assert "COVERING INDEX ix_help_requests_person_date_cover" in plan, plan


@pytest.mark.parametrize(("times", "fires"), [(2, False), (3, True)])
def test_beyond_role_fires_when_ticked_three_times_within_14_days(
    engine: Engine, cfg: Settings, moerwijk: Team, times: int, fires: bool
) -> None:
    for offset in range(times):
        log(engine, cfg, moerwijk, local("2026-11-20 10:00", cfg) - timedelta(days=4 * offset), beyond_role=True)
    log(engine, cfg, moerwijk, local("2026-11-08 10:00", cfg), beyond_role=True)  # 15 days ago: too old
    assert bool(findings(engine, cfg, "beyond_role")) is fires


def test_the_7_day_window_follows_local_dates_across_the_autumn_clock_change(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    # Four evening requests from Monday 19 to Thursday 22 October; the clocks go back on Sunday 25 October.
    for day in range(19, 23):
        log(engine, cfg, moerwijk, local(f"2026-10-{day} 21:00", cfg))
    sunday_late = local("2026-10-25 23:30", cfg)  # winter time, UTC+1
    assert [f.value for f in findings(engine, cfg, "outside_hours", at=sunday_late)] == [4]
    monday_early = local("2026-10-26 00:30", cfg)  # 19 October has left the window
    assert findings(engine, cfg, "outside_hours", at=monday_early) == []
    # The same moment in UTC is still Sunday 25th 23:30: the local date decides, not the UTC date.
    assert monday_early.astimezone(UTC).date() == date(2026, 10, 25)


def test_a_person_with_requests_under_every_limit_raises_nothing(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    log(engine, cfg, moerwijk, local("2026-11-18 10:00", cfg), 60)
    log(engine, cfg, moerwijk, local("2026-11-19 14:00", cfg), 30)
    assert all(findings(engine, cfg, rule.name) == [] for rule in ALL)
