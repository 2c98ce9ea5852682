"""monitor.config: the Working Hours Act's figures for the rules of issue 30, and the rules a team switched off."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.config import ConfigError, RuleSettings, load, parse

URL = {"MONITOR_DATABASE_URL": "sqlite:///x.db"}


def rules(data: dict[str, Any]) -> RuleSettings:
    return parse({"rules": data}, "test.toml", env=URL).rules


def problem(data: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        rules(data)
    return caught.value


def test_the_repository_s_config_holds_the_act_s_figures() -> None:
    found = load(env={}).rules
    assert (found.rest_hours, found.average_weeks, found.average_max_hours) == (11, 16, 48)
    assert (found.week_max_hours, found.day_max_hours) == (60, 12)
    assert (found.minor_night_from, found.minor_night_until) == (23, 6)
    assert found.off == {}
    assert [found.severity[rule] for rule in ("short_rest", "long_average", "minor_at_night")] == [
        "warning",
        "warning",
        "critical",
    ]


def test_without_a_severity_under_18_at_night_is_still_critical() -> None:
    assert rules({}).severity["minor_at_night"] == "critical"
    assert RuleSettings().severity["minor_at_night"] == "critical"


def test_a_team_switches_rules_off_by_its_name() -> None:
    found = rules({"off": {"Moerwijk": ["minor_at_night", "short_rest"], "Laak": []}})
    assert found.off == {"Moerwijk": frozenset({"minor_at_night", "short_rest"}), "Laak": frozenset()}


@pytest.mark.parametrize(
    ("data", "key", "says"),
    [
        ({"off": {"Moerwijk": ["sleep"]}}, 'rules.off."Moerwijk"', "must be a list of rule names"),
        ({"off": {"Moerwijk": "short_rest"}}, 'rules.off."Moerwijk"', "must be a list of rule names"),
        ({"off": ["short_rest"]}, "rules.off", "must be a table of team names"),
        ({"minor_night_from": 6, "minor_night_until": 6}, "rules.minor_night_until", "must differ"),
        ({"rest_hours": 25}, "rules.rest_hours", "from 0 to 24"),
        ({"average_weeks": 0}, "rules.average_weeks", "from 1 to 52"),
        ({"day_max_hours": float("nan")}, "rules.day_max_hours", "from 0 to 24"),
    ],
)
def test_a_wrong_value_names_its_key(data: dict[str, Any], key: str, says: str) -> None:
    error = problem(data)
    assert error.key == key and says in str(error)
