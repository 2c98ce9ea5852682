"""The burden rules. Each is a small module with a name, a title, a plain description, a message and find().

A rule module may set `audience = "leader"` (the allowance rules): its alerts go to the team's leaders only and are
not shown to the coproducer, because they are about paying correctly, not about the coproducer's load.

ALL is ordered by the person's burden: the wellbeing rules (hours, nights, outside hours, rest, rising load, beyond
the role) come first, the administration rules (allowances, tax-free limits, overdue payments) last; the leader's
Alerts page and the digest show the administration in a section of its own, after the wellbeing.
"""

from __future__ import annotations

from types import ModuleType

from monitor.alerts.rules import (
    allowance_hourly,
    allowance_month,
    allowance_overdue,
    allowance_year,
    beyond_role,
    hours_over,
    long_average,
    minor_at_night,
    night,
    no_rest_day,
    outside_hours,
    outside_training,
    rising_load,
    short_rest,
    topics_outside,
)

ALL: tuple[ModuleType, ...] = (
    hours_over,
    outside_hours,
    night,
    no_rest_day,
    short_rest,
    long_average,
    minor_at_night,
    rising_load,
    topics_outside,
    beyond_role,
    outside_training,
    allowance_month,
    allowance_year,
    allowance_hourly,
    allowance_overdue,
)
BY_NAME: dict[str, ModuleType] = {rule.name: rule for rule in ALL}
LEADER_ONLY: frozenset[str] = frozenset(rule.name for rule in ALL if getattr(rule, "audience", "") == "leader")

# Paying correctly, not the person's load: shown after the wellbeing alerts, in a section of their own.
ADMINISTRATION: frozenset[str] = frozenset(
    rule.name for rule in (allowance_month, allowance_year, allowance_hourly, allowance_overdue)
)
BURDEN_ORDER: dict[str, int] = {rule.name: i for i, rule in enumerate(ALL)}


def is_administration(rule: str) -> bool:
    return rule in ADMINISTRATION


def burden_rank(rule: str) -> int:
    """Where a rule comes in the order of the person's burden (ALL's order; an unknown rule last)."""
    return BURDEN_ORDER.get(rule, len(ALL))
