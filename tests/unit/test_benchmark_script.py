"""The benchmark script still runs and reports every section (its timings are not tested: speed targets live in the
script, not in tests); its concurrent saves lose nothing."""

from __future__ import annotations

import re
import subprocess
import sys

from monitor.config import PROJECT_ROOT


def test_the_benchmark_fills_a_small_city_and_times_every_target() -> None:
    small = ["--teams", "2", "--per-team", "2", "--years", "2", "--per-week", "3", "--repeat", "1"]
    small += ["--writers", "2", "--saves", "3"]
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(PROJECT_ROOT / "scripts" / "benchmark.py"), *small],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"[\d,]+ requests of 4 coproducers in 2 teams over 365 days", done.stdout), done.stdout
    # then up to the baseline, which holds every request the rules read, and a year more
    days = [int(n) for n in re.findall(r"in 2 teams over (\d+) days", done.stdout)]
    assert len(days) == 3 and days[0] == 365 < days[1] == days[2] - 365, days
    sections = (
        "first evaluation",
        "at successive moments",
        "hand SQL",
        "moments at which the hand SQL found exactly the rules' (person, rule) pairs",
        "a year more of history / ",
        "My week",
        "export",
    )
    server = ("My team: a new session's first page", "Alerts: a rerun", "20 sessions opening", "MiB a session")
    for line in (*sections, *server, "Log a request: the save click", "rerun of the leader's overview"):
        assert line in done.stdout, line
    assert "threads  : 6 of 6 stored, 0 errors" in done.stdout
    assert "processes: 6 of 6 stored, 0 errors" in done.stdout
