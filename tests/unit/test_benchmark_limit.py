"""The benchmark's limit (scripts/bench/limit.py: hand-written SQL, one GROUP BY per family of rules) finds exactly the
(person, rule) pairs the rules find, on a small city of the benchmark's own making, at moments that cross midnight into
a new week and days later: so the limit the evaluation is measured against cannot drift from the rules again."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from monitor.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

from bench.city import analyze, city_now, config, history, people  # noqa: E402
from bench.limit import hand_pairs, rules_pairs  # noqa: E402

# A fixed moment, not the real clock: the city's present is the Sunday before it, 23:20 local time.
REAL = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


def test_the_hand_sql_finds_exactly_the_rules_pairs(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    settings = config(url)
    now = city_now(REAL, settings)
    city = people(engine, 3, 6, now)
    history(engine, city, 30, now, 0, 420)
    analyze(engine)
    found: set[str] = set()
    for at in [now + timedelta(minutes=15 * k) for k in range(6)] + [now + timedelta(days=d) for d in (2, 5, 9)]:
        rules = rules_pairs(engine, settings, at)
        assert hand_pairs(engine, settings, at) == rules, at
        found |= {rule for _person, rule in rules}
    # The city is hard enough that most rules find someone, and by its varied loads some breach and some do not.
    assert len(found) >= 10, found
    over = {person for person, rule in rules_pairs(engine, settings, now) if rule == "hours_over"}
    assert 0 < len(over) < len(city.coproducers), over
