"""The burden rules. Each is a small module with a name, a title, a plain description, a message and find()."""

from __future__ import annotations

from types import ModuleType

from monitor.rules import (
    beyond_role,
    hours_over,
    night,
    no_rest_day,
    outside_hours,
    rising_load,
    topics_outside,
)

ALL: tuple[ModuleType, ...] = (
    hours_over,
    outside_hours,
    night,
    no_rest_day,
    rising_load,
    topics_outside,
    beyond_role,
)
BY_NAME: dict[str, ModuleType] = {rule.name: rule for rule in ALL}
