"""The allowance limits, emergency-fund threshold and training reminders in config.toml, with errors naming the key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from monitor.config import ConfigError, load, parse

ENV = {"MONITOR_DATABASE_URL": "sqlite:///unused.db"}


def test_the_shipped_config_holds_the_2024_to_2026_figures_exactly() -> None:
    cfg = load(env=ENV)
    limits = cfg.allowances.limits
    assert (limits[2024].per_hour, limits[2024].per_hour_under_21) == (Decimal("5.50"), Decimal("3.25"))
    assert (limits[2025].per_hour, limits[2025].per_hour_under_21) == (Decimal("5.60"), Decimal("3.30"))
    assert (limits[2026].per_hour, limits[2026].per_hour_under_21) == (Decimal("5.75"), Decimal("3.40"))
    assert {(y.per_month, y.per_year) for y in (limits[2024], limits[2025])} == {(Decimal(210), Decimal(2100))}
    assert (limits[2026].per_month, limits[2026].per_year) == (Decimal(220), Decimal(2200))
    assert (cfg.allowances.overdue_days, cfg.allowances.fund_low) == (14, Decimal(50))
    assert cfg.training.reminder_days == (60, 14)
    assert cfg.rules.severity["outside_training"] == "warning"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"allowances": {"limits": {"25": {}}}}, 'allowances.limits."25" must be named by a year'),
        (
            {"allowances": {"limits": {"2026": {"per_hour": 6}}}},
            'allowances.limits."2026".per_hour_under_21 is missing',
        ),
        (
            {
                "allowances": {
                    "limits": {"2026": {"per_hour": 5.555, "per_hour_under_21": 3, "per_month": 1, "per_year": 1}}
                }
            },
            'allowances.limits."2026".per_hour must be an amount in euros of zero or more with at most two decimals',
        ),
        ({"emergency_fund": {"low_balance": "lots"}}, "emergency_fund.low_balance must be an amount in euros"),
        ({"training": {"reminder_days": [60, 0]}}, "training.reminder_days must be a list of whole numbers"),
    ],
)
def test_a_wrong_value_names_the_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace('"', '"')):
        parse(data, "config.toml", env=ENV)
