"""Timing the scheduler's evaluations: the first (which opens the alerts) and its longest write transaction, the
steady state beside the hand-written SQL (bench.limit), checked to find exactly the rules' (person, rule) pairs at
every timed moment, and the growth with a year more of history."""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, delete, event, text

from bench.city import City, analyze, copy_of, history, late_work
from bench.limit import hand_pairs, rules_pairs
from bench.report import Report, median_of
from db.models import Alert, AlertEvent, Notification
from monitor.alerts import evaluation as alerts
from monitor.config import Settings
from monitor.money import checks

SCHEDULER_STEP = timedelta(minutes=15)


def forget_alerts(engine: Engine) -> None:
    """Back to no alerts, so the next evaluation opens them all again."""
    with engine.begin() as connection:
        connection.execute(delete(Notification))
        connection.execute(delete(AlertEvent))
        connection.execute(text("DELETE FROM checkins"))
        connection.execute(delete(Alert))


def growth_with_history(baseline: Engine, all_years: Engine, settings: Settings, now: datetime, runs: int) -> float:
    """The steady evaluation with every year of history against the same on a copy made at the baseline, as
    the median of the ratios of pairs timed in turns (the order swapped each pair), so that the machine's speed, which
    drifts over minutes on a shared machine, weighs on both alike. Both are evaluated once first, untimed."""
    engines = (baseline, all_years)
    for engine in engines:
        analyze(engine)
        alerts.evaluate(engine, settings, at=now)
    ratios = []
    for run in range(runs):
        at = now + SCHEDULER_STEP * (run + 1)
        took = [0.0, 0.0]
        for which in (0, 1) if run % 2 == 0 else (1, 0):
            started = time.perf_counter()
            alerts.evaluate(engines[which], settings, at=at)
            took[which] = time.perf_counter() - started
        ratios.append(took[1] / took[0])
    return statistics.median(ratios)


class LockWatch:
    """The longest write transaction (BEGIN IMMEDIATE .. COMMIT on SQLite) while watching."""

    def __init__(self, engine: Engine) -> None:
        self.longest = 0.0
        self.watching = False
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, connection) -> None:  # type: ignore[no-untyped-def]
        if self.watching and not connection.get_execution_options().get("read_only", False):
            connection.info["began"] = time.perf_counter()

    def _end(self, connection) -> None:  # type: ignore[no-untyped-def]
        began = connection.info.pop("began", None)
        if began is not None:
            self.longest = max(self.longest, time.perf_counter() - began)


def pairs_agree(engine: Engine, settings: Settings, moments: list[datetime]) -> int:
    """At how many of the moments the hand SQL's (person, rule) pairs are exactly the rules' (each difference shown)."""
    agreed = 0
    for at in moments:
        hand, rules = hand_pairs(engine, settings, at), rules_pairs(engine, settings, at)
        agreed += hand == rules
        if hand != rules:
            print(
                f"       at {at:%Y-%m-%d %H:%M} UTC: hand SQL only {sorted(hand - rules)[:8]}, "
                f"rules only {sorted(rules - hand)[:8]}"
            )
        else:
            print(f"       at {at:%Y-%m-%d %H:%M} UTC: {len(rules)} pairs, the same")
    return agreed


def first_year(
    engine: Engine,
    settings: Settings,
    city: City,
    now: datetime,
    args: argparse.Namespace,
    report: Report,
) -> None:
    """With one year loaded: the steady state (after an untimed evaluation that opens the alerts) against the hand SQL,
    and the evaluation that opens the alerts. The steady moments start at the city's Sunday 23:20 and cross midnight
    into a new week, with a tenth of the coproducers working late between them (untimed), so alerts open and resolve;
    at each one the hand SQL must find exactly the rules' pairs."""
    alerts.evaluate(engine, settings, at=now)
    moments = [now + SCHEDULER_STEP * (k + 1) for k in range(max(args.repeat, 5))]
    steady_runs = iter(moments)
    working = iter(moments)
    changes = {"opened": 0, "reopened": 0, "resolved": 0}

    def steady_run() -> None:
        done = alerts.evaluate(engine, settings, at=next(steady_runs))
        for what in changes:
            changes[what] += len(getattr(done, what))

    steady = median_of(len(moments), steady_run, before=lambda: late_work(engine, city, next(working)))
    watch = LockWatch(engine)
    opened: list[int] = []
    longest: list[float] = []  # each run's longest write transaction

    def first() -> None:
        watch.watching, watch.longest = True, 0.0
        opened.append(len(alerts.evaluate(engine, settings, at=now).opened))
        watch.watching = False
        longest.append(watch.longest)

    report.line("first", median_of(args.repeat, first, before=lambda: forget_alerts(engine)), "first evaluation")
    print(f"       ({opened[-1]:,} alerts opened each time)")
    if engine.dialect.name == "sqlite":
        # Per evaluation, as a median like every other figure; the worst run beside it (a pause of the machine or of
        # Python's garbage collector lands in one transaction now and then).
        report.line(
            "lock", statistics.median(longest), "longest write transaction of an evaluation (SQLite write lock)"
        )
        report.line(None, max(longest), "  the same, the worst of the runs")
    report.line("steady", steady, "evaluate every rule, whole city, at successive moments")
    local = [f"{m.astimezone(settings.tz):%a %H:%M}" for m in moments]
    print(
        f"       (moments {', '.join(local)}: {changes['opened']} alerts opened, {changes['reopened']} reopened, "
        f"{changes['resolved']} resolved)"
    )
    hand_runs = iter(moments)
    hand = median_of(len(moments), lambda: hand_pairs(engine, settings, next(hand_runs)))
    report.line(None, hand, "hand-written SQL: one GROUP BY per rule family, the rules' windows and people")
    report.line("steady/hand", steady / hand, "evaluation / hand SQL", unit="x")
    same = pairs_agree(engine, settings, moments)
    report.require(
        same == len(moments),
        f"{same}/{len(moments)}",
        "moments at which the hand SQL found exactly the rules' (person, rule) pairs",
    )


def history_and_evaluations(
    engine: Engine,
    settings: Settings,
    city: City,
    now: datetime,
    today: date,
    args: argparse.Namespace,
    report: Report,
) -> None:
    """Load the history a year at a time; with the first year, time the evaluations; then the growth with a year more
    (with --only saves: the first year alone, nothing timed)."""
    only_saves = args.only == "saves"
    dialect = engine.dialect.name
    # The growth compares the evaluation before and after a year more of history, from a baseline that already
    # holds every request the rules read (the allowance checks go back up to 13 months and a half): with only a
    # year loaded, the first of those months would be empty, and the "growth" would be those requests.
    baseline = max(365, (today - checks.first_day_read(settings, today)).days + 8)
    loads = [(0, 365), *([(365, baseline)] if args.years > 1 and baseline > 365 else [])]
    loads += [(baseline + 365 * (y - 1), baseline + 365 * y) for y in range(1, args.years)]
    if only_saves:
        loads = loads[:1]
    with contextlib.ExitStack() as stack:
        before: Engine | None = None
        loaded = 0
        for first_day, last_day in loads:
            started = time.perf_counter()
            loaded += history(engine, city, args.per_week, now, first_day, last_day)
            analyze(engine)
            print(
                f"{dialect}: {loaded:,} requests of {len(city.coproducers)} coproducers in {args.teams} teams "
                f"over {last_day} days, loaded in {time.perf_counter() - started:.1f} s"
            )
            if first_day == 0 and not only_saves:
                first_year(engine, settings, city, now, args, report)
            if last_day == baseline and args.years > 1:
                before = stack.enter_context(copy_of(engine))
        if before is not None:
            # A pair's ratio varies more than one timing (on this 2-core machine, 15 pairs gave 0.99 to 1.08 in
            # full runs of the same code, 0.99 to 1.04 in a process doing nothing else): five times the pairs.
            growth = growth_with_history(before, engine, settings, now, 5 * args.repeat)
            more = f"{args.years - 1} more year(s)" if args.years > 2 else "a year more"
            report.line("growth", growth, f"evaluation with {more} of history / {baseline} days", unit="x")
