"""The Working Hours Act's rules at their edges (issue 30): rest between two days (across midnight and both 2026
daylight-saving nights), the long average and the week and day at most, and volunteers under 18 at night."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, select

from db.engine import reading
from db.models import Alert, Notification
from monitor.alerts import evaluation as alerts
from monitor.alerts.findings import context as _context
from monitor.alerts.rules import BY_NAME
from monitor.alerts.rules.base import Finding
from monitor.alerts.rules.minor_at_night import at_night
from monitor.config import Settings
from monitor.messages.inbox import render
from monitor.people import age
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

# Sunday 22 November 2026, 20:00 in Amsterdam; 16 weeks back from it begin on Monday 3 August.
SUNDAY_EVENING = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    return settings


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def local(text: str, cfg: Settings) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=cfg.tz)


def log(engine: Engine, cfg: Settings, who: Team, when: datetime, minutes: int = 15) -> None:
    me = who.coproducer
    data = RequestInput(minutes=minutes, channel="street", topics=("money",), received_at=when)
    requests.log_request(engine, cfg, me, me.person_id, data, now=when + timedelta(minutes=minutes + 1))


def ending(engine: Engine, cfg: Settings, who: Team, end: str, minutes: int = 15) -> None:
    """A request that ends at the local time end."""
    log(engine, cfg, who, local(end, cfg) - timedelta(minutes=minutes), minutes)


def text(finding: Finding, language: str, leader: bool = False) -> str:
    """The alert as its reader sees it (the alert keeps value and threshold beside the params)."""
    rule = BY_NAME[finding.rule]
    message = getattr(rule, "leader_message", rule.message) if leader else rule.message
    return render(message, {**finding.params, "value": finding.value, "threshold": finding.threshold}, language)


def findings(engine: Engine, cfg: Settings, rule: str, at: datetime = SUNDAY_EVENING) -> list[Finding]:
    with reading(engine) as session:
        ctx = _context(session, cfg, at, None)
        return list(BY_NAME[rule].find(session, ctx))


# Rest between two days ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ended", "fires"), [("20:01", True), ("20:00", False)])
def test_short_rest_fires_at_10_59_and_not_at_11_hours(
    engine: Engine, cfg: Settings, moerwijk: Team, ended: str, fires: bool
) -> None:
    log(engine, cfg, moerwijk, local("2026-11-19 10:00", cfg))
    ending(engine, cfg, moerwijk, f"2026-11-19 {ended}")
    log(engine, cfg, moerwijk, local("2026-11-20 07:00", cfg))
    log(engine, cfg, moerwijk, local("2026-11-20 09:00", cfg))  # later that day: the first one counts
    found = findings(engine, cfg, "short_rest")
    if not fires:
        assert found == []
        return
    [short] = found
    assert (short.value, short.threshold, short.severity) == (1, 11.0, "warning")
    assert short.params == {"rest": "10:59", "day": "2026-11-19"}
    assert text(short, "en") == (
        "1 night with less than 11 hours of rest in the last 7 days. "
        "The shortest rest was 10:59 hours, after 19 November 2026."
    )
    assert text(short, "nl") == (
        "1 nacht met minder dan 11 uur rust in de laatste 7 dagen. De kortste rust was 10:59 uur, na 19 november 2026."
    )


@pytest.mark.parametrize(("first", "fires"), [("11:59", True), ("12:00", False)])
def test_short_rest_counts_from_the_end_of_a_request_that_runs_past_midnight(
    engine: Engine, cfg: Settings, moerwijk: Team, first: str, fires: bool
) -> None:
    log(engine, cfg, moerwijk, local("2026-11-18 23:30", cfg), 90)  # until 01:00 on the 19th
    log(engine, cfg, moerwijk, local(f"2026-11-19 {first}", cfg))
    assert bool(findings(engine, cfg, "short_rest")) is fires


def test_the_issue_s_night_23_30_then_07_00_is_a_short_rest(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    log(engine, cfg, moerwijk, local("2026-11-20 23:30", cfg), 30)
    log(engine, cfg, moerwijk, local("2026-11-21 07:00", cfg))
    [short] = findings(engine, cfg, "short_rest")
    assert short.params == {"rest": "7:00", "day": "2026-11-20"}


def test_short_rest_needs_two_days_in_a_row(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    log(engine, cfg, moerwijk, local("2026-11-17 23:30", cfg), 30)
    log(engine, cfg, moerwijk, local("2026-11-19 07:00", cfg))  # Wednesday without requests in between
    assert findings(engine, cfg, "short_rest") == []


@pytest.mark.parametrize(
    ("evening", "morning", "fires"),
    [
        # The clocks go forward on 29 March (02:00 becomes 03:00): 20:01 to 08:00 is 11:59 on the wall, 10:59 in fact.
        ("2026-03-28 20:01", "2026-03-29 08:00", True),
        ("2026-03-28 20:00", "2026-03-29 08:00", False),
        # They go back on 25 October (03:00 becomes 02:00): 21:01 to 07:00 is 9:59 on the wall, 10:59 in fact.
        ("2026-10-24 21:01", "2026-10-25 07:00", True),
        ("2026-10-24 21:00", "2026-10-25 07:00", False),
    ],
)
def test_short_rest_counts_real_hours_on_both_2026_daylight_saving_nights(
    engine: Engine, cfg: Settings, moerwijk: Team, evening: str, morning: str, fires: bool
) -> None:
    ending(engine, cfg, moerwijk, evening)
    log(engine, cfg, moerwijk, local(morning, cfg))
    at = local(morning, cfg) + timedelta(hours=12)
    found = findings(engine, cfg, "short_rest", at=at)
    assert [f.params["rest"] for f in found] == (["10:59"] if fires else [])


def test_short_rest_follows_the_configured_hours(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    ending(engine, cfg, moerwijk, "2026-11-19 22:00")
    log(engine, cfg, moerwijk, local("2026-11-20 07:00", cfg))
    assert [f.params["rest"] for f in findings(engine, cfg, "short_rest")] == ["9:00"]
    nine = replace(cfg, rules=replace(cfg.rules, rest_hours=9.0))
    assert findings(engine, nine, "short_rest") == []


# The long average, a week and a day ------------------------------------------------------------------------------


def _weeks_of(engine: Engine, cfg: Settings, who: Team, minutes_a_day: int) -> None:
    """16 weeks, Monday 3 August to Sunday 22 November: six days a week of minutes_a_day (two requests each)."""
    monday = date(2026, 8, 3)
    for week in range(16):
        for weekday in range(6):
            day = monday + timedelta(weeks=week, days=weekday)
            log(engine, cfg, who, local(f"{day} 08:00", cfg), minutes_a_day // 2)
            log(engine, cfg, who, local(f"{day} 14:00", cfg), minutes_a_day - minutes_a_day // 2)


@pytest.mark.parametrize(("minutes_a_day", "hours"), [(479, None), (481, 48.1)])
def test_long_average_fires_over_48_hours_a_week_over_16_weeks(
    engine: Engine, cfg: Settings, moerwijk: Team, minutes_a_day: int, hours: float | None
) -> None:
    _weeks_of(engine, cfg, moerwijk, minutes_a_day)  # 6 x 479 minutes = 47.9 hours a week; 6 x 481 = 48.1
    log(engine, cfg, moerwijk, local("2026-08-02 09:00", cfg), 720)  # the day before the 16 weeks: never counts
    found = findings(engine, cfg, "long_average")
    assert [(f.value, f.threshold) for f in found] == ([(hours, 48.0)] if hours else [])
    if hours:
        assert "a week on average over the last 16 weeks" in text(found[0], "en")


@pytest.mark.parametrize(("minutes_a_day", "fires"), [(600, False), (610, True)])
def test_long_average_fires_over_60_hours_in_the_last_7_days(
    engine: Engine, cfg: Settings, moerwijk: Team, minutes_a_day: int, fires: bool
) -> None:
    for offset in range(6):  # Monday 16 to Saturday 21 November: 60 hours, or 61
        day = date(2026, 11, 16) + timedelta(days=offset)
        log(engine, cfg, moerwijk, local(f"{day} 08:00", cfg), minutes_a_day // 2)
        log(engine, cfg, moerwijk, local(f"{day} 14:00", cfg), minutes_a_day // 2)
    found = findings(engine, cfg, "long_average")
    assert [(f.value, f.threshold) for f in found] == ([(61.0, 60.0)] if fires else [])
    if fires:
        assert text(found[0], "nl") == (
            "61 uur in de laatste 7 dagen. Dat is meer dan 60 uur, de grens in de Arbeidstijdenwet."
        )


@pytest.mark.parametrize(("minutes", "fires"), [(720, False), (721, True)])
def test_long_average_fires_over_12_hours_in_one_day(
    engine: Engine, cfg: Settings, moerwijk: Team, minutes: int, fires: bool
) -> None:
    log(engine, cfg, moerwijk, local("2026-11-19 07:00", cfg), 360)
    log(engine, cfg, moerwijk, local("2026-11-19 13:00", cfg), minutes - 360)
    found = findings(engine, cfg, "long_average")
    assert [(f.value, f.threshold) for f in found] == ([(12.0, 12.0)] if fires else [])
    if fires:
        assert text(found[0], "en").startswith("12 hours on 19 November 2026.")


# Under 18 at night -----------------------------------------------------------------------------------------------


def _aged(engine: Engine, who: Team, born: date) -> None:
    age.set_birth_month(engine, who.leader, who.coproducer.person_id, born, date(2026, 11, 22))


@pytest.mark.parametrize(
    ("start", "minutes", "fires"),
    [
        ("2026-11-20 22:59", 1, False),  # ends at 23:00
        ("2026-11-20 22:59", 2, True),  # one minute of it at night
        ("2026-11-20 23:00", 15, True),
        ("2026-11-20 22:30", 45, True),
        ("2026-11-21 05:59", 1, True),
        ("2026-11-21 06:00", 15, False),
        ("2026-11-21 12:00", 15, False),
    ],
)
def test_a_17_year_old_at_night_is_critical(
    engine: Engine, cfg: Settings, moerwijk: Team, start: str, minutes: int, fires: bool
) -> None:
    _aged(engine, moerwijk, date(2009, 5, 1))  # 17
    log(engine, cfg, moerwijk, local(start, cfg), minutes)
    found = findings(engine, cfg, "minor_at_night")
    assert [(f.value, f.severity) for f in found] == ([(1, "critical")] if fires else [])
    if fires:
        assert text(found[0], "nl") == (
            "1 hulpvraag tussen 23:00 en 06:00 in de laatste 7 dagen. Onder de 18 mag je 's nachts niet helpen. "
            "Zeg nee, en vertel het je projectleider."
        )
        assert text(found[0], "en", leader=True) == (
            "1 request between 23:00 and 06:00 in the last 7 days, by someone under 18. "
            "The law does not allow this: talk with them today."
        )


def test_under_18_turns_18_on_the_first_day_of_their_birth_month(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    _aged(engine, moerwijk, date(2008, 11, 1))  # turns 18 on 1 November 2026
    log(engine, cfg, moerwijk, local("2026-10-31 23:30", cfg))  # the evening before: 17
    at = local("2026-11-03 20:00", cfg)
    assert [f.value for f in findings(engine, cfg, "minor_at_night", at=at)] == [1]
    log(engine, cfg, moerwijk, local("2026-11-01 23:30", cfg))  # on the day they turn 18: no longer counts
    log(engine, cfg, moerwijk, local("2026-11-02 02:00", cfg))
    assert [f.value for f in findings(engine, cfg, "minor_at_night", at=at)] == [1]


def test_no_age_or_18_and_older_at_night_is_not_this_rule(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    log(engine, cfg, moerwijk, local("2026-11-20 23:30", cfg))
    assert findings(engine, cfg, "minor_at_night") == []  # age not known
    _aged(engine, moerwijk, date(2000, 1, 1))
    assert findings(engine, cfg, "minor_at_night") == []


@pytest.mark.parametrize(
    ("start", "minutes", "inside"),
    [
        ("2026-03-28 22:59", 1, False),
        ("2026-03-29 05:59", 1, True),  # the short night of spring: 23:00 to 06:00 is six hours
        ("2026-03-29 06:00", 30, False),
        ("2026-10-25 02:30", 10, True),  # the long night of autumn
        ("2026-10-25 06:00", 30, False),
        ("2026-11-20 18:00", 301, True),  # a long evening that runs until 23:01
        ("2026-11-20 18:00", 300, False),
    ],
)
def test_the_night_is_local_on_both_daylight_saving_nights(
    settings: Settings, start: str, minutes: int, inside: bool
) -> None:
    came = datetime.fromisoformat(start).replace(tzinfo=settings.tz).astimezone(UTC)
    assert at_night(came, minutes, 23, 6, settings.tz) is inside


def test_a_minor_at_night_opens_a_critical_alert_that_tells_the_leader_and_counsellor_at_once(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    _aged(engine, moerwijk, date(2009, 5, 1))
    log(engine, cfg, moerwijk, local("2026-11-21 23:15", cfg))
    result = alerts.evaluate(engine, cfg, at=SUNDAY_EVENING)
    with reading(engine) as session:
        [alert] = session.scalars(select(Alert).where(Alert.rule == "minor_at_night")).all()
        told = {n.person_id: n.kind for n in session.scalars(select(Notification))}
    assert alert.id in result.opened and alert.id in result.counsellor_prompts
    assert (alert.severity, alert.status) == ("critical", "open")
    assert told[moerwijk.leader.person_id] == "alert"
    assert told[moerwijk.counsellor.person_id] == "checkin_prompt"
    assert told[moerwijk.coproducer.person_id] == "alert"


def test_a_team_can_switch_a_rule_off(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    _aged(engine, moerwijk, date(2009, 5, 1))
    log(engine, cfg, moerwijk, local("2026-11-20 23:30", cfg), 30)
    log(engine, cfg, moerwijk, local("2026-11-21 07:00", cfg))
    off = replace(cfg, rules=replace(cfg.rules, off={"Moerwijk": frozenset({"minor_at_night", "short_rest"})}))
    alerts.evaluate(engine, off, at=SUNDAY_EVENING)
    other_team = replace(cfg, rules=replace(cfg.rules, off={"Elsewhere": frozenset({"minor_at_night"})}))
    with reading(engine) as session:
        assert session.scalars(select(Alert.rule)).all() == []
    alerts.evaluate(engine, other_team, at=SUNDAY_EVENING + timedelta(minutes=15))
    with reading(engine) as session:
        assert sorted(session.scalars(select(Alert.rule)).all()) == ["minor_at_night", "short_rest"]


# How they read ----------------------------------------------------------------------------------------------------


def test_the_three_rules_read_from_the_covering_index(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    """On SQLite every read of help_requests is a search of ix_help_requests_person_date_cover alone."""
    _aged(engine, moerwijk, date(2009, 5, 1))
    log(engine, cfg, moerwijk, local("2026-11-19 23:30", cfg), 30)  # at night, then 7 hours of rest
    log(engine, cfg, moerwijk, local("2026-11-20 07:00", cfg), 720)  # and 13 hours that day
    log(engine, cfg, moerwijk, local("2026-11-20 19:00", cfg), 60)
    statements: list[tuple[str, object]] = []

    def seen(_connection, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert [len(findings(engine, cfg, rule)) for rule in ("short_rest", "long_average", "minor_at_night")] == [
            1,
            1,
            1,
        ]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    reads = [(statement, parameters) for statement, parameters in statements if "FROM help_requests" in statement]
    assert len(reads) == 4  # short_rest 1, long_average 2, minor_at_night 1
    if engine.dialect.name == "sqlite":  # PostgreSQL's plan for a handful of rows is a scan of the table
        with engine.connect() as connection:
            for statement, parameters in reads:
                plan = " | ".join(
                    row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                )
                assert "COVERING INDEX ix_help_requests_person_date_cover" in plan, plan
