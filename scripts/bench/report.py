"""The targets of issue 17 (and the report's, issue 16) and the lines that say whether a figure meets them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A limit per database; None: not checked on that database."""

    sqlite: float | None
    postgresql: float | None

    def limit(self, dialect: str) -> float | None:
        return self.sqlite if dialect == "sqlite" else self.postgresql


# The targets at city scale (seconds, ratios, saves per second).
TARGETS = {
    "steady": Target(1.0, 1.5),
    "steady/hand": Target(2.0, 2.0),  # against bench.limit, the rules' own windows and people (issue 29)
    "first": Target(2.0, 3.0),
    "growth": Target(1.05, 1.05),
    "saves/s": Target(500, 500),  # 20 threads, one server process
    # 20 server processes: a city runs PostgreSQL behind several; SQLite serves one app process (README "How fast"),
    # so on SQLite the processes' saves are only reported (their rate, errors and rows stored), not checked.
    "saves/s processes": Target(None, 500),
    "lock": Target(0.1, None),
    "report": Target(2.0, None),  # the contribution report for a year of a city (issue 16), on SQLite
    "save click": Target(0.030, 0.030),  # any scale: one person's save and the page's rerun
    "team page": Target(0.150, 0.150),  # any scale: one team of 10
    # Through the real server with deploy/'s production settings (issue 29): a new session's first page, and 20
    # sessions opening at once on one process, all drawn.
    "first page": Target(0.400, 0.400),
    "20 at once": Target(5.0, 5.0),
}


class Report:
    def __init__(self, dialect: str, check: bool) -> None:
        self.dialect = dialect
        self.check = check
        self.missed = 0

    def line(
        self, target: str | None, value: float, name: str, unit: str = "ms", higher_is_better: bool = False
    ) -> None:
        limit = TARGETS[target].limit(self.dialect) if target else None
        shown = f"{value * 1000:9.1f} ms" if unit == "ms" else f"{value:9.2f} {unit:2}"
        if limit is None:
            print(f"       {shown}  {name}")
            return
        ok = value >= limit if higher_is_better else value <= limit
        self.missed += not ok
        wanted = f"{limit * 1000:.0f} ms" if unit == "ms" else f"{limit:g} {unit}"
        print(f"  {'ok  ' if ok else 'MISS'} {shown}  (target {'>=' if higher_is_better else '<='} {wanted})  {name}")

    def require(self, ok: bool, shown: str, name: str) -> None:
        """A condition that holds on every database (e.g. the hand SQL finds the rules' pairs)."""
        self.missed += not ok
        print(f"  {'ok  ' if ok else 'MISS'} {shown:>12}  {name}")


def median_of(runs: int, run: Callable[[], object], before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def wall_and_cpu(runs: int, run: Callable[[], object], before: Callable[[], object] | None = None) -> tuple[float, ...]:
    """Medians of the time taken and of this process's CPU time: on a shared machine the first varies with the load
    (the page waits for a core), the second much less."""
    times: list[tuple[float, float]] = []
    for _ in range(runs):
        if before:
            before()
        started, cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - started, time.process_time() - cpu))
    return statistics.median(t for t, _c in times), statistics.median(c for _t, c in times)
