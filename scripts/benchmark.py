"""Time what the app does with a city's worth of history: the scheduler's evaluations, the busiest pages' queries, and
many people saving at once.

    .venv/bin/python scripts/benchmark.py                        # a temporary SQLite file, a small city
    .venv/bin/python scripts/benchmark.py --city --check         # 500 coproducers x 1 year (~1.5 M requests), targets
    .venv/bin/python scripts/benchmark.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench  # PostgreSQL

It fills an empty database (on PostgreSQL: it drops and recreates the public schema, so give it a database of its own)
with a city as hard as a real one (scripts/bench/city.py: counsellors, training catalogues whose records expire, a share
on agreements of their own, loads that vary so that some breach and some do not, a share on hourly and monthly
allowances) and years of requests, classified as the app does; runs ANALYZE (no VACUUM) and, on PostgreSQL, moves the id
sequences past the loaded rows. Then it times, as medians of
--repeat runs (at least 5):

- the first evaluation, which opens the alerts (on a fresh copy of the alerts each run), and the longest time it held
  the write lock;
- evaluations at successive moments, 15 minutes apart, as the scheduler runs them, from the city's Sunday 23:50 across
  midnight into a new week (a tenth of the coproducers working late between them), beside the hand-written SQL limit
  (scripts/bench/limit.py: one GROUP BY per rule family over the rules' windows and people) and the ratio, with a
  check that at every moment it finds exactly the rules' (person, rule) pairs;
- the growth with history: the steady evaluation with a year more of history against a copy of the database made
  when it held every request the rules read (a year and the months before it that the allowance checks read, about
  400 days), timed in turns, the median of 5 x --repeat pairs (on PostgreSQL the copy is a database of its own,
  <name>_baseline);
- the queries of My week, the team overview and a quarter's export;
- the pages as Streamlit runs them (AppTest, signed in as the page tests do): the save click on Log a request for a
  coproducer, and a rerun of the team overview for the leader of the last team;
- through the real server (`streamlit run app.py` with deploy/'s production settings, driven over its websocket as a
  browser drives it): a new session's first page and a rerun of the leader's My team and Alerts and the coproducer's
  Log a request, 20 sessions opening My team at once, and the server's memory per session;
- N threads and N processes saving requests through the same service as the page (log_request, then the queue the
  rules' worker drains), with saves per second, errors and rows stored.

`--only saves` loads the first year and times only the save click and the saves (a few minutes instead of ten), to
measure a change to the save path. Timings are for comparing changes on one machine, not promises; on a shared
machine they vary with its load. The parts live in scripts/bench/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.city import CITY, city_now, config, loaded_city, people  # noqa: E402
from bench.evaluation import history_and_evaluations  # noqa: E402
from bench.pages import page_queries, page_runs  # noqa: E402
from bench.report import Report  # noqa: E402
from bench.saving import saves  # noqa: E402
from bench.server import server_timings, set_passwords  # noqa: E402

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--city", action="store_true", help="the city scale of the targets (50 teams x 10, 1 year)")
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--per-team", type=int, default=10)
    parser.add_argument("--years", type=int, default=2, help="a year of history, then years more (growth: last/first)")
    parser.add_argument("--per-week", type=int, default=20, help="requests per coproducer per week")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (at least 5 for --check)")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--saves", type=int, default=25, help="saves per writer")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--only", choices=["saves"], help="saves: load a year, then time only the save click and the saves"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --only saves and --url: time the saves again on the city an earlier run left there (no loading)",
    )
    args = parser.parse_args(argv)
    if args.city:
        args.teams, args.per_team, args.per_week = CITY["teams"], CITY["per_team"], CITY["per_week"]
        args.years = max(args.years, 2)
        args.saves = 500

    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/benchmark.db"
        engine = make_engine(url)
        reused = loaded_city(engine) if args.reuse and args.url and args.only == "saves" else None
        if reused is None and engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        if reused is None:
            upgrade(engine)
        settings = config(url)
        now = city_now(datetime.now(UTC), settings)
        today = now.astimezone(settings.tz).date()
        dialect = engine.dialect.name
        report = Report(dialect, args.check)
        city = reused or people(engine, args.teams, args.per_team, now)
        if reused is None:
            history_and_evaluations(engine, settings, city, now, today, args, report)
        if args.only != "saves":
            page_queries(engine, settings, city, now, today, args.repeat, args.check, report)
        page_runs(engine, city, args, report)
        if args.only != "saves":
            last = len(city.teams) - 1
            people_of = {"leader": f"leader{last}", "coproducer": f"c{last}-0"}
            set_passwords(engine, list(people_of.values()))
            server_timings(url, people_of, args.repeat, report, Path(folder))

        saves(engine, settings, city, args.writers, args.saves, now, args.check, report)
        engine.dispose()
    return 1 if report.missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
