"""monitor.config: every number in config.toml has a range, and a value outside it (or nan, inf, a text) stops the
start naming the key (issue 14: a port of 70000 or 1e9 hours a week used to be accepted)."""

from __future__ import annotations

import math
import tomllib
from typing import Any

import pytest

from monitor.config import MOST, PROJECT_ROOT, ConfigError, parse


def numbers(node: dict[str, Any], prefix: str = "") -> dict[str, float]:
    found: dict[str, float] = {}
    for key, value in node.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            found |= numbers(value, dotted)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found[dotted] = value
    return found


def nested(key: str, value: object) -> dict[str, Any]:
    data: dict[str, Any] = {}
    node = data
    *tables, last = key.split(".")
    for table in tables:
        node = node.setdefault(table, {})
    node[last] = value
    return data


def bad(key: str, value: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(nested(key, value), "test.toml", env={"MONITOR_DATABASE_URL": "sqlite:///x.db"})
    return caught.value


REPOSITORY = numbers(tomllib.loads((PROJECT_ROOT / "config.toml").read_text(encoding="utf-8")))
# Amounts in euros are checked as money (two decimals, finite) by their own reader.
COUNTS = sorted(key for key in REPOSITORY if not key.startswith(("allowances.limits.", "emergency_fund.")))


def test_every_number_in_config_toml_has_its_own_range() -> None:
    assert COUNTS and [key for key in COUNTS if key not in MOST] == []


@pytest.mark.parametrize("key", COUNTS)
def test_one_above_the_range_is_refused_naming_the_key(key: str) -> None:
    too_big = MOST[key] + 1 if isinstance(REPOSITORY[key], int) else MOST[key] * 2
    assert bad(key, too_big).key == key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("email.port", 70000),
        ("email.port", 0),
        ("rules.hours_critical_factor", math.nan),
        ("rules.hours_critical_factor", math.inf),
        ("auth.slowdown_seconds", math.inf),
        ("auth.slowdown_seconds", math.nan),
        ("requests.max_minutes", 10**12),
        ("demarcation.hours_per_week", 1e9),
        ("demarcation.hours_per_week", 169),
        ("requests.max_minutes", 1441),
        ("email.port", "25"),
    ],
)
def test_the_values_seen_in_issue_14_are_refused(key: str, value: object) -> None:
    error = bad(key, value)
    assert error.key == key
    assert str(error).startswith(f"test.toml: {key} must be")


def test_the_edges_of_the_ranges_are_allowed() -> None:
    cfg = parse(
        {"email": {"port": 65535}, "demarcation": {"hours_per_week": 168}, "requests": {"max_minutes": 1440}},
        "test.toml",
        env={"MONITOR_DATABASE_URL": "sqlite:///x.db"},
    )
    assert (cfg.email.port, cfg.demarcation.hours_per_week, cfg.requests.max_minutes) == (65535, 168.0, 1440)
