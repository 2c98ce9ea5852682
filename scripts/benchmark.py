"""Speed targets for a city's worth of history: evaluating every rule, and the queries the busiest pages run.

    .venv/bin/python scripts/benchmark.py                      # a temporary SQLite file, the default size
    .venv/bin/python scripts/benchmark.py --teams 40 --years 3 # bigger
    .venv/bin/python scripts/benchmark.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench  # PostgreSQL
    .venv/bin/python scripts/benchmark.py --check              # exit 1 when a target is missed

It fills an empty database (on PostgreSQL: it drops and recreates the public schema, so give it a database of its own)
with teams of coproducers and years of requests, classified as the app does, then times each operation (best of
--repeat runs) against its target. Timings are for comparing changes on one machine, not promises; that is why they
live here and not in the test suite.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import HelpRequest, Membership, Person, RequestTopic, Role, Team  # noqa: E402
from monitor.alerts import lifecycle as alerts  # noqa: E402
from monitor.alerts import team_load  # noqa: E402
from monitor.config import TOPICS, ReportSettings, parse  # noqa: E402
from monitor.people.access import SYSTEM, Actor  # noqa: E402
from monitor.reports import contribution  # noqa: E402
from monitor.reports.periods import period_containing  # noqa: E402
from monitor.requests import exporting, workload  # noqa: E402
from monitor.requests.hours import classify  # noqa: E402


@dataclass(frozen=True)
class Target:
    name: str
    seconds: float
    run: Callable[[], object]


def fill(engine: Engine, teams: int, per_team: int, years: int, per_week: int, now: datetime) -> tuple[int, int]:
    """Insert teams, people and requests in bulk; returns (a team id, a coproducer id) to time single-team pages."""
    settings = parse({}, "benchmark", env={"MONITOR_DATABASE_URL": str(engine.url)})
    rng = random.Random(7)  # noqa: S311 - test data
    availability = settings.demarcation.availability
    next_request = 1
    with engine.begin() as connection:
        for t in range(teams):
            team_id = connection.execute(insert(Team).values(name=f"Team {t:03d}").returning(Team.id)).scalar_one()
            leader = connection.execute(
                insert(Person)
                .values(username=f"leader{t}", display_name=f"Leader {t}", language="nl")
                .returning(Person.id)
            ).scalar_one()
            connection.execute(insert(Membership).values(person_id=leader, team_id=team_id, role=Role.LEADER))
            for c in range(per_team):
                person = connection.execute(
                    insert(Person)
                    .values(username=f"c{t}-{c}", display_name=f"Coproducer {t}-{c}", language="nl")
                    .returning(Person.id)
                ).scalar_one()
                connection.execute(insert(Membership).values(person_id=person, team_id=team_id, role=Role.COPRODUCER))
                rows, topics = [], []
                for _ in range(per_week * 52 * years):
                    moment = now - timedelta(minutes=rng.randrange(1, years * 365 * 24 * 60))
                    judged = classify(moment, settings.tz, availability)
                    rows.append(
                        {
                            "id": next_request,
                            "person_id": person,
                            "team_id": team_id,
                            "received_at": moment,
                            "local_date": judged.local.date(),
                            "local_weekday": judged.local.weekday(),
                            "local_hour": judged.local.hour,
                            "minutes": rng.choice((5, 15, 30, 60)),
                            "channel": "street",
                            "beyond_role": rng.random() < 0.05,
                            "outside_hours": judged.outside,
                            "outside_reason": judged.reason,
                            "is_night": judged.is_night,
                            "source": "import",
                            "created_at": moment,
                        }
                    )
                    topics.append({"request_id": next_request, "topic": rng.choice(TOPICS)})
                    next_request += 1
                connection.execute(insert(HelpRequest), rows)
                connection.execute(insert(RequestTopic), topics)
    return team_id, person


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--per-team", type=int, default=10)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--per-week", type=int, default=8, help="requests per coproducer per week")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/benchmark.db"
        engine = make_engine(url)
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        now = datetime.now(UTC)
        started = time.perf_counter()
        team_id, person_id = fill(engine, args.teams, args.per_team, args.years, args.per_week, now)
        requests = args.teams * args.per_team * args.per_week * 52 * args.years
        print(
            f"{engine.dialect.name}: {requests:,} requests of {args.teams * args.per_team} coproducers in "
            f"{args.teams} teams over {args.years} years, loaded in {time.perf_counter() - started:.1f} s"
        )
        settings = parse({}, "benchmark", env={"MONITOR_DATABASE_URL": url})
        leader = Actor(
            person_id=None, username="bench", display_name="Bench", memberships=frozenset({(team_id, Role.LEADER)})
        )
        today = now.astimezone(settings.tz).date()
        eight_weeks = today - timedelta(weeks=8)
        last_year = period_containing("year", today).previous()
        # A tiny city (the test of this script) has fewer coproducers than the report's minimum group; the work is
        # the same SQL either way.
        report_settings = replace(settings, reports=ReportSettings(min_group=1))
        alerts.evaluate(engine, settings, at=now)  # the first run opens the alerts; time the steady state after it
        targets = [
            Target("evaluate every rule, whole city", 5.0, lambda: alerts.evaluate(engine, settings, at=now)),
            Target(
                "evaluate one person (after logging)",
                0.15,
                lambda: alerts.evaluate(engine, settings, at=now, person_ids=[person_id]),
            ),
            Target(
                "My week: totals + 8 weeks by day + arrivals + topics",
                0.15,
                lambda: (
                    workload.totals(engine, SYSTEM, person_id, today - timedelta(days=6), today),
                    workload.by_day(engine, SYSTEM, person_id, eight_weeks, today),
                    workload.arrivals(engine, SYSTEM, person_id, eight_weeks, today),
                    workload.topics(engine, SYSTEM, person_id, eight_weeks, today),
                ),
            ),
            Target(
                "My team: overview of one team",
                0.3,
                lambda: team_load.overview(engine, settings, leader, team_id, today),
            ),
            Target(
                "export one team, one quarter",
                1.0,
                lambda: exporting.export_rows(engine, settings, SYSTEM, team_id, today - timedelta(days=91), today),
            ),
            Target(
                "contribution report: last year, every team",
                2.0,
                lambda: contribution.contribution(engine, report_settings, SYSTEM, last_year, None),
            ),
        ]
        missed = 0
        for target in targets:
            best = min(_timed(target.run) for _ in range(args.repeat))
            ok = best <= target.seconds
            missed += not ok
            print(
                f"  {'ok  ' if ok else 'SLOW'} {best * 1000:8.1f} ms  (target {target.seconds * 1000:.0f} ms)  "
                f"{target.name}"
            )
        engine.dispose()
    return 1 if missed and args.check else 0


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
