"""The contribution report's figures against hand-written SQL on a generated data set, the disclosure rule worked out
by hand, the trend, the periods and who may see it (the access matrix of the report)."""

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
from monitor.reports.periods import Period, months, period_containing, recent
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
    assert (t.requests, t.minutes, t.coproducers) == tuple(int(v) for v in expected[:3])
    assert t.outside_hours in (None, int(expected[3])) and t.night in (None, int(expected[4]))
    assert report.team_names == ("Moerwijk",) and report.left_out == ()  # eight coproducers in every month


def test_all_teams_leaves_out_a_team_too_small_to_report_on_its_own(
    city: tuple[Engine, Team, Team], settings: Settings
) -> None:
    """The issue's subtraction: all teams minus Moerwijk gave the small team's exact figures."""
    engine, big, _small = city
    everyone = contribution.contribution(engine, settings, big.admin, Q3, None)
    moerwijk = contribution.contribution(engine, settings, big.admin, Q3, big.id)
    assert everyone.totals == moerwijk.totals and everyone.breakdowns == moerwijk.breakdowns
    assert everyone.team_names == ("Moerwijk",)
    assert {team for team, _month in everyone.left_out} == {"Laak"}
    assert [month for _team, month in everyone.left_out] == [m.start for m in months(Q3)]
    assert all(row.coproducers >= 5 for rows in everyone.breakdowns.values() for row in rows)


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


def test_merged_kinds_of_problem_are_counted_per_request_in_sql(
    city: tuple[Engine, Team, Team], settings: Settings
) -> None:
    engine, big, _small = city
    strict = dataclasses.replace(settings, reports=ReportSettings(min_group=8))  # only kinds all eight people had
    report = contribution.contribution(engine, strict, big.leader, Q3, big.id)
    rows = {row.key: row for row in report.breakdowns["topic"]}
    assert "other" in rows
    assert report == plain_report(engine, strict, {big.id: "Moerwijk"}, Q3)


# The report worked out the plain way: every live request of the period read into Python, split into team-months and
# added up by hand under the rule of monitor/reports/disclosure.py, written again here as plainly as it reads. -------


def plain_rows(engine: Engine, team_ids: tuple[int, ...], start: date, end: date) -> list[dict]:
    """One dict per live request of team_ids between start and end: its team, month, person, minutes and codes."""
    teams = ", ".join(str(t) for t in team_ids)
    requests = sql(
        engine,
        "SELECT id, team_id, local_date, person_id, minutes, outside_hours, is_night, channel, level, referred_to "
        f"FROM help_requests WHERE team_id IN ({teams}) AND {LIVE}",
        start=start,
        end=end,
    )
    topics: dict[int, set[str]] = {}
    for request_id, topic in sql(engine, "SELECT request_id, topic FROM request_topics"):
        topics.setdefault(request_id, set()).add(topic)
    return [
        {
            "id": request_id,
            "team": team_id,
            "month": (day if isinstance(day, date) else date.fromisoformat(str(day)[:10])).replace(day=1),
            "person": person_id,
            "minutes": minutes,
            "outside": bool(outside),
            "night": bool(night),
            "channel": {channel},
            "level": {level or "not_recorded"},
            "referral": {referred or "not_recorded"},
            "topic": topics.get(request_id, set()),
        }
        for request_id, team_id, day, person_id, minutes, outside, night, channel, level, referred in requests
    ]


def people(rows: list[dict]) -> set[int]:
    return {row["person"] for row in rows}


NEVER = {"referral": {"none", "not_recorded"}}


def plain_shown(rows: list[dict], breakdown: str, min_group: int) -> tuple[set[str], set[str]]:
    """(codes shown, codes under "Other") of one breakdown of one team-month."""
    codes = {code for row in rows for code in row[breakdown]}
    never = NEVER.get(breakdown, set())

    def under(code: str) -> list[dict]:
        return [row for row in rows if code in row[breakdown]]

    shown = {c for c in codes - never if c != "other" and len(people(under(c))) >= min_group}
    while True:
        rest = people([row for row in rows if row[breakdown] - shown])  # under a code not shown
        if not shown or not rest or len(rest) >= min_group:
            return shown, codes - shown - never
        shown.remove(min(shown, key=lambda c: (len(people(under(c))), len(under(c)), c)))


def plain_report(engine: Engine, settings: Settings, teams: dict[int, str], period: Period) -> contribution.Report:
    min_group = settings.reports.min_group

    def figures(chosen: Period) -> tuple[dict, list, dict, set]:
        rows = plain_rows(engine, tuple(teams), chosen.start, chosen.end)
        kept: list[dict] = []
        counts: dict[str, int | None] = {"outside": 0, "night": 0}
        left_out, by_code, included = [], {b: {} for b in KNOWN}, set()
        for team_id in teams:
            for month in months(chosen):
                cell = [row for row in rows if row["team"] == team_id and row["month"] == month.start]
                if not cell:
                    continue
                if len(people(cell)) < min_group:
                    left_out.append((teams[team_id], month.start))
                    continue
                included.add(team_id)
                kept += cell
                for flag in counts:
                    part = [row for row in cell if row[flag]]
                    rest = [row for row in cell if not row[flag]]
                    fine = not part or (len(people(part)) >= min_group and (not rest or len(people(rest)) >= min_group))
                    counts[flag] = counts[flag] + len(part) if counts[flag] is not None and fine else None
                for breakdown in KNOWN:
                    shown, pooled = plain_shown(cell, breakdown, min_group)
                    for code in shown:
                        by_code[breakdown].setdefault(code, []).extend(r for r in cell if code in r[breakdown])
                    other = [row for row in cell if row[breakdown] & pooled]
                    if len(people(other)) >= min_group:
                        by_code[breakdown].setdefault("other", []).extend(other)
        totals = contribution.Totals(
            len(kept), sum(r["minutes"] for r in kept), len(people(kept)), counts["outside"], counts["night"]
        )
        return totals, left_out, by_code, included

    totals, left_out, by_code, included = figures(period)
    before, _left, _codes, before_teams = figures(period.previous())
    breakdowns = {}
    for breakdown, groups in by_code.items():
        rows = [
            contribution.Row(code, len(g), sum(r["minutes"] for r in g), len(people(g)))
            for code, g in groups.items()
            if code != "other"
        ]
        rows.sort(key=lambda row: (-row.requests, row.key))
        if "other" in groups:
            g = groups["other"]
            rows.append(contribution.Row("other", len(g), sum(r["minutes"] for r in g), len(people(g))))
        breakdowns[breakdown] = rows
    order = [team for team in teams if team in included]
    return contribution.Report(
        period=period,
        team_ids=tuple(order),
        team_names=tuple(teams[t] for t in order),
        totals=totals,
        previous=before if before_teams else None,
        breakdowns=breakdowns,
        min_group=min_group,
        left_out=tuple(left_out),
    )


KNOWN = ("channel", "level", "referral", "topic")


@pytest.mark.parametrize("min_group", [1, 3, 5, 8])
def test_every_figure_is_the_one_worked_out_by_hand(
    city: tuple[Engine, Team, Team], settings: Settings, min_group: int
) -> None:
    engine, big, small = city
    # One coproducer of the big team also logs for the small one (counted once).
    generate(engine, small, [big.coproducer.person_id], 3, (date(2026, 6, 1), date(2026, 8, 31)))
    chosen = dataclasses.replace(settings, reports=ReportSettings(min_group=min_group))
    for actor, team_id, teams in (
        (big.admin, None, {big.id: "Moerwijk", small.id: "Laak"}),
        (big.leader, big.id, {big.id: "Moerwijk"}),
    ):
        for period in (Q3, months(Q3)[1], period_containing("year", Q3.start)):
            report = contribution.contribution(engine, chosen, actor, period, team_id)
            assert report == plain_report(engine, chosen, dict(sorted(teams.items(), key=lambda t: t[1])), period)


def test_on_sqlite_the_year_is_read_from_the_covering_index_without_sorting(
    sqlite_engine: Engine, settings: Settings
) -> None:
    """The report's speed at city scale rests on this plan (migrations 0013 and 0014): each read of a month is one
    pass over ix_help_requests_report in its (team, coproducer) order, never the table, never a sort, and the kinds of
    problem come from the same index (topic_mask), not from request_topics."""
    engine, big, _small = _city(sqlite_engine)  # SQLite's plan; PostgreSQL hashes
    strict = dataclasses.replace(settings, reports=ReportSettings(min_group=8))  # kinds of problem merged: a recount
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
    # Each month of the period, each month of the period before (totals only), and the months whose pooled kinds of
    # problem are counted again.
    assert 6 < len(plans) <= 9, plans
    for plan in plans:
        assert "COVERING INDEX ix_help_requests_report" in plan and "TEMP B-TREE" not in plan, plan
