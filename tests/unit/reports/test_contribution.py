"""The contribution report's figures against hand-written SQL on a generated data set, the minimum-group rule, the
trend, the periods and who may see it (the access matrix of the report)."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, event, insert, text

from db.models import HelpRequest, RequestTopic, Role
from monitor.config import ReportSettings, Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.reports import contribution, files
from monitor.reports.contribution import merge_small_groups
from monitor.reports.periods import period_containing, recent
from monitor.requests.vocab import CHANNELS, LEVELS, REFERRALS, TOPIC_BITS, TOPICS, topic_mask
from tests.unit.factories import Team, person, team

Q3 = period_containing("quarter", date(2026, 8, 15))


def generate(engine: Engine, t: Team, people: list[int], seed: int, days: tuple[date, date]) -> None:
    """Random requests for people in team t between days (both inclusive), one of them with a rare topic."""
    rng = random.Random(seed)  # noqa: S311 - test data
    rows, topics = [], []
    span = (days[1] - days[0]).days
    with engine.begin() as connection:
        next_id = (connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM help_requests")).scalar() or 0) + 1
        for person_id in people:
            for _ in range(rng.randrange(10, 30)):
                day = days[0] + timedelta(days=rng.randrange(span + 1))
                hour = rng.randrange(24)
                rows.append(
                    {
                        "id": next_id,
                        "person_id": person_id,
                        "team_id": t.id,
                        "received_at": datetime.combine(day, time(hour), tzinfo=UTC),
                        "local_date": day,
                        "local_weekday": day.weekday(),
                        "local_hour": hour,
                        "minutes": rng.choice((5, 15, 30, 60, 120)),
                        "channel": rng.choice(CHANNELS),
                        "level": rng.choice((*LEVELS, None)),
                        "referred_to": rng.choice((*REFERRALS, None)),
                        "beyond_role": False,
                        "outside_hours": hour < 9 or hour >= 17,
                        "outside_reason": None,
                        "is_night": hour < 6,
                        "source": "import",
                        "deleted_at": datetime(2026, 9, 1, tzinfo=UTC) if rng.random() < 0.05 else None,
                    }
                )
                about = rng.sample(TOPICS[:6], rng.randrange(1, 3))
                topics += [{"request_id": next_id, "topic": topic} for topic in about]
                rows[-1]["topic_mask"] = topic_mask(about)
                next_id += 1
        # Only the first person ever logs "something else": a group of one, which must not show on its own.
        topics.append({"request_id": rows[0]["id"], "topic": "other"})
        rows[0]["topic_mask"] |= TOPIC_BITS["other"]
        connection.execute(insert(HelpRequest), rows)
        connection.execute(insert(RequestTopic), topics)


@pytest.fixture
def city(engine: Engine) -> tuple[Engine, Team, Team]:
    return _city(engine)


def _city(engine: Engine) -> tuple[Engine, Team, Team]:
    big, small = team(engine), team(engine, "Laak", prefix="l-")
    big_people = [big.coproducer.person_id, big.other_coproducer.person_id] + [
        person(engine, f"extra{i}", big.id, Role.COPRODUCER).person_id for i in range(6)
    ]
    small_people = [small.coproducer.person_id, small.other_coproducer.person_id]
    generate(engine, big, big_people, 1, (date(2026, 4, 1), date(2026, 9, 30)))
    generate(engine, small, small_people, 2, (date(2026, 4, 1), date(2026, 9, 30)))
    return engine, big, small


def sql(engine: Engine, query: str, **params: object) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query), params)]


LIVE = "deleted_at IS NULL AND local_date BETWEEN :start AND :end"


def test_the_totals_match_hand_written_sql(city: tuple[Engine, Team, Team], settings: Settings) -> None:
    engine, big, _small = city
    report = contribution.contribution(engine, settings, big.leader, Q3, big.id)
    expected = sql(
        engine,
        "SELECT COUNT(*), SUM(minutes), COUNT(DISTINCT person_id), "
        "SUM(CASE WHEN outside_hours THEN 1 ELSE 0 END), SUM(CASE WHEN is_night THEN 1 ELSE 0 END) "
        f"FROM help_requests WHERE team_id = :team AND {LIVE}",
        team=big.id,
        start=Q3.start,
        end=Q3.end,
    )[0]
    t = report.totals
    assert (t.requests, t.minutes, t.coproducers, t.outside_hours, t.night) == tuple(int(v) for v in expected)
    assert report.team_names == ("Moerwijk",)


def test_breakdowns_match_sql_and_merge_groups_under_five_into_other(
    city: tuple[Engine, Team, Team], settings: Settings
) -> None:
    engine, big, small = city
    report = contribution.contribution(engine, settings, big.admin, Q3, None)  # both teams: 10 coproducers
    topics = sql(
        engine,
        "SELECT t.topic, COUNT(*), SUM(r.minutes), COUNT(DISTINCT r.person_id) FROM help_requests r "
        "JOIN request_topics t ON t.request_id = r.id WHERE r.team_id IN (:a, :b) AND r.deleted_at IS NULL "
        "AND r.local_date BETWEEN :start AND :end "
        "GROUP BY t.topic",
        a=big.id,
        b=small.id,
        start=Q3.start,
        end=Q3.end,
    )
    big_enough = {key: (n, minutes) for key, n, minutes, people in topics if people >= 5 and key != "other"}
    shown = {row.key: (row.requests, row.minutes) for row in report.breakdowns["topic"] if row.key != "other"}
    assert shown == big_enough
    assert all(row.coproducers >= 5 for rows in report.breakdowns.values() for row in rows)
    levels = sql(
        engine,
        "SELECT COALESCE(level, 'not_recorded'), COUNT(*) FROM help_requests "
        f"WHERE team_id IN (:a, :b) AND {LIVE} GROUP BY 1",
        a=big.id,
        b=small.id,
        start=Q3.start,
        end=Q3.end,
    )
    assert {row.key: row.requests for row in report.breakdowns["level"]} == dict(levels)
    referred = sql(
        engine,
        f"SELECT COUNT(*) FROM help_requests WHERE team_id IN (:a, :b) AND {LIVE} "
        "AND referred_to IS NOT NULL AND referred_to <> 'none'",
        a=big.id,
        b=small.id,
        start=Q3.start,
        end=Q3.end,
    )[0][0]
    assert sum(row.requests for row in report.breakdowns["referral"]) <= referred
    assert "none" not in {row.key for row in report.breakdowns["referral"]}


def test_merging_keeps_big_groups_and_drops_an_other_too_small_to_hide_in() -> None:
    rows = [("money", p, 2, 30) for p in range(5)] + [("housing", 1, 4, 60), ("violence", 2, 1, 5)]
    merged = merge_small_groups(rows, 5)
    assert [(r.key, r.requests, r.coproducers) for r in merged] == [("money", 10, 5)]  # "other" has 2 people: left out
    rows += [("children", p, 1, 15) for p in range(3, 8)]
    assert [r.key for r in merge_small_groups(rows, 5)] == ["money", "children"]
    rows += [("addiction", 9, 1, 5), ("addiction", 10, 1, 5), ("addiction", 11, 1, 5)]
    other = merge_small_groups(rows, 5)[-1]
    assert (other.key, other.requests, other.coproducers) == ("other", 8, 5)


def test_a_team_of_fewer_than_five_coproducers_gets_no_report(
    city: tuple[Engine, Team, Team], settings: Settings
) -> None:
    engine, _big, small = city
    with pytest.raises(ValidationError):
        contribution.contribution(engine, settings, small.leader, Q3, small.id)


def test_the_trend_compares_with_the_period_before(city: tuple[Engine, Team, Team], settings: Settings) -> None:
    engine, big, _small = city
    report = contribution.contribution(engine, settings, big.leader, Q3, big.id)
    q2 = sql(
        engine,
        f"SELECT COUNT(*) FROM help_requests WHERE team_id = :team AND {LIVE}",
        team=big.id,
        start=date(2026, 4, 1),
        end=date(2026, 6, 30),
    )[0][0]
    assert report.previous is not None and report.previous.requests == q2
    q1 = period_containing("quarter", date(2026, 5, 1))
    assert contribution.contribution(engine, settings, big.leader, q1, big.id).previous is None  # nobody before


ROLES = ("coproducer", "counsellor", "leader", "admin", "other team's leader")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_report(city: tuple[Engine, Team, Team], settings: Settings, role: str) -> None:
    engine, big, small = city
    actor = {
        "coproducer": big.coproducer,
        "counsellor": big.counsellor,
        "leader": big.leader,
        "admin": big.admin,
        "other team's leader": small.leader,
    }[role]
    if role in ("leader", "admin"):
        assert contribution.contribution(engine, settings, actor, Q3, big.id).totals.requests > 0
    else:
        with pytest.raises(PermissionDenied):
            contribution.contribution(engine, settings, actor, Q3, big.id)


def test_the_files_open_and_hold_no_names(city: tuple[Engine, Team, Team], settings: Settings) -> None:
    engine, big, _small = city
    report = contribution.contribution(engine, settings, big.leader, Q3, big.id)
    workbook = files.workbook(report, "nl", lambda breakdown, key: key)
    pdf = files.pdf(report, "en", lambda breakdown, key: key)
    assert workbook[:2] == b"PK" and pdf[:5] == b"%PDF-"
    assert b"Fatima" not in workbook and b"Extra0" not in pdf


def test_periods() -> None:
    assert period_containing("month", date(2026, 2, 14)).end == date(2026, 2, 28)
    assert period_containing("quarter", date(2026, 11, 29)).start == date(2026, 10, 1)
    assert period_containing("year", date(2026, 1, 1)).previous().start == date(2025, 1, 1)
    assert [p.start.month for p in recent("quarter", date(2026, 2, 1), 3)] == [1, 10, 7]


def test_a_request_about_two_merged_kinds_of_problem_counts_once_in_other() -> None:
    rows = [("money", p, 2, 30) for p in range(3)] + [("housing", p, 2, 30) for p in range(2, 6)]
    asked: list[list[str]] = []

    def recount(keys: list[str]) -> tuple[int, int]:
        asked.append(keys)
        return 11, 150

    [other] = merge_small_groups(rows, 5, recount)
    assert asked == [["housing", "money"]]
    assert (other.key, other.requests, other.minutes, other.coproducers) == ("other", 11, 150, 6)


def test_merged_kinds_of_problem_are_counted_per_request_in_sql(
    city: tuple[Engine, Team, Team], settings: Settings
) -> None:
    engine, big, small = city
    strict = dataclasses.replace(settings, reports=ReportSettings(min_group=10))  # only groups of all ten people
    report = contribution.contribution(engine, strict, big.admin, Q3, None)
    by_topic = sql(
        engine,
        "SELECT t.topic, COUNT(DISTINCT r.person_id) FROM help_requests r JOIN request_topics t ON t.request_id = r.id "
        "WHERE r.team_id IN (:a, :b) AND r.deleted_at IS NULL AND r.local_date BETWEEN :start AND :end GROUP BY 1",
        a=big.id,
        b=small.id,
        start=Q3.start,
        end=Q3.end,
    )
    merged = sorted(topic for topic, people in by_topic if people < 10 or topic == "other")
    rows = {row.key: row for row in report.breakdowns["topic"]}
    assert len(merged) > 1 and "other" in rows  # the data set has kinds of problem of fewer than ten people
    keys = ", ".join(f"'{k}'" for k in merged)
    expected = sql(
        engine,
        "SELECT COUNT(*) FROM help_requests WHERE team_id IN (:a, :b) AND deleted_at IS NULL "
        "AND local_date BETWEEN :start AND :end "
        f"AND id IN (SELECT request_id FROM request_topics WHERE topic IN ({keys}))",
        a=big.id,
        b=small.id,
        start=Q3.start,
        end=Q3.end,
    )[0][0]
    assert rows["other"].requests == expected
    assert set(rows) - {"other"} == {topic for topic, people in by_topic if people >= 10 and topic != "other"}


# The report worked out the plain way: every live request of the period read into Python and added up by hand. -------


def plain_rows(engine: Engine, team_ids: tuple[int, ...], start: date, end: date) -> list[dict]:
    """One dict per live request of team_ids between start and end: its person, minutes, codes and topics."""
    teams = ", ".join(str(t) for t in team_ids)
    requests = sql(
        engine,
        "SELECT id, person_id, minutes, outside_hours, is_night, channel, level, referred_to FROM help_requests "
        f"WHERE team_id IN ({teams}) AND {LIVE}",
        start=start,
        end=end,
    )
    topics: dict[int, set[str]] = {}
    for request_id, topic in sql(engine, "SELECT request_id, topic FROM request_topics"):
        topics.setdefault(request_id, set()).add(topic)
    return [
        {
            "id": request_id,
            "person": person_id,
            "minutes": minutes,
            "outside": bool(outside),
            "night": bool(night),
            "channel": {channel},
            "level": {level or "not_recorded"},
            "referral": {referred} - {None, "none"},
            "topic": topics.get(request_id, set()),
        }
        for request_id, person_id, minutes, outside, night, channel, level, referred in requests
    ]


def plain_totals(rows: list[dict]) -> contribution.Totals:
    return contribution.Totals(
        requests=len(rows),
        minutes=sum(row["minutes"] for row in rows),
        coproducers=len({row["person"] for row in rows}),
        outside_hours=sum(row["outside"] for row in rows),
        night=sum(row["night"] for row in rows),
    )


def plain_breakdown(rows: list[dict], breakdown: str, known: tuple[str, ...], min_group: int) -> list[contribution.Row]:
    """Groups of at least min_group people; the rest together as "other" (each request once), if that is big enough."""
    keys = {key for row in rows for key in row[breakdown] if breakdown == "topic" or key in known}

    def about(chosen: set[str]) -> list[dict]:
        return [row for row in rows if row[breakdown] & chosen]

    shown, merged = [], set()
    for key in keys:
        group = about({key})
        if key != "other" and len({row["person"] for row in group}) >= min_group:
            shown.append(
                contribution.Row(key, len(group), sum(r["minutes"] for r in group), len({r["person"] for r in group}))
            )
        else:
            merged.add(key)
    shown.sort(key=lambda row: (-row.requests, row.key))
    other = about(merged)
    if other and len({row["person"] for row in other}) >= min_group:
        people = len({row["person"] for row in other})
        shown.append(contribution.Row("other", len(other), sum(row["minutes"] for row in other), people))
    return shown


KNOWN = {
    "channel": CHANNELS,
    "level": (*LEVELS, "not_recorded"),
    "referral": tuple(code for code in REFERRALS if code != "none"),
    "topic": (),
}


@pytest.mark.parametrize("min_group", [1, 3, 5, 8])
def test_every_figure_is_the_one_worked_out_by_hand(
    city: tuple[Engine, Team, Team], settings: Settings, min_group: int
) -> None:
    engine, big, small = city
    # One coproducer of the big team also logs for the small one (counted once).
    generate(engine, small, [big.coproducer.person_id], 3, (date(2026, 6, 1), date(2026, 8, 31)))
    chosen = dataclasses.replace(settings, reports=ReportSettings(min_group=min_group))
    for actor, team_id in ((big.admin, None), (big.leader, big.id)):
        report = contribution.contribution(engine, chosen, actor, Q3, team_id)
        rows = plain_rows(engine, report.team_ids, Q3.start, Q3.end)
        assert report.totals == plain_totals(rows)
        before = plain_totals(plain_rows(engine, report.team_ids, Q3.previous().start, Q3.previous().end))
        assert report.previous == (before if before.coproducers >= min_group else None)
        for breakdown, known in KNOWN.items():
            assert report.breakdowns[breakdown] == plain_breakdown(rows, breakdown, known, min_group), breakdown


def test_on_sqlite_the_year_is_read_from_the_covering_index_without_sorting(
    sqlite_engine: Engine, settings: Settings
) -> None:
    """The report's speed at city scale rests on this plan (migrations 0013 and 0014): each read of the period is one
    pass over ix_help_requests_report in its (team, coproducer) order, never the table, never a sort, and the kinds of
    problem come from the same index (topic_mask), not from request_topics."""
    engine, big, _small = _city(sqlite_engine)  # SQLite's plan; PostgreSQL hashes
    strict = dataclasses.replace(settings, reports=ReportSettings(min_group=10))  # kinds of problem merged: a recount
    statements: list[tuple[str, object]] = []

    def seen(_connection, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if "help_requests" in statement or "request_topics" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        contribution.contribution(engine, strict, big.admin, Q3, None)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert not [statement for statement, _parameters in statements if "request_topics" in statement]
    with engine.connect() as connection:
        plans = [
            " | ".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
            for statement, parameters in statements
        ]
    assert len(plans) == 3, plans  # the period, the period before (totals only), the merged kinds of problem again
    for plan in plans:
        assert "COVERING INDEX ix_help_requests_report" in plan and "TEMP B-TREE" not in plan, plan
