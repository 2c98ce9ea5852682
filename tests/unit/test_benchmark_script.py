"""The benchmark script still runs (its timings are not tested: speed targets live in the script, not in tests)."""

from __future__ import annotations

import subprocess
import sys

from monitor.config import PROJECT_ROOT


def test_the_benchmark_fills_a_small_city_and_times_every_target() -> None:
    small = ["--teams", "2", "--per-team", "2", "--years", "1", "--per-week", "3", "--repeat", "1"]
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(PROJECT_ROOT / "scripts" / "benchmark.py"), *small],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "624 requests of 4 coproducers in 2 teams over 1 years" in done.stdout
    assert done.stdout.count(" ms  (target ") == 6
