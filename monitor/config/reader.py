"""Pulls typed values out of the parsed TOML, each within its range (MOST), naming the dotted key in every error."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


class ConfigError(Exception):
    """The configuration file cannot be used; the message names the key and what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key} {problem}")
        self.source = source
        self.key = key
        self.problem = problem


# The largest sensible value of each number (issue 14: 70000 as a port or 1e9 hours a week were accepted, and then
# the mail or every evaluation failed). A number not listed here may be at most DEFAULT_MOST.
MOST: dict[str, float] = {
    "auth.idle_minutes": 7 * 24 * 60,
    "auth.absolute_hours": 30 * 24,
    "auth.failure_window_minutes": 24 * 60,
    "auth.slow_after_failures": 1000,
    "auth.slowdown_seconds": 60,
    "auth.max_delay_seconds": 3600,
    "auth.known_device_days": 400,  # browsers keep a cookie 400 days at most
    "auth.attempts_keep_days": 10 * 366,
    "audit.keep_days": 30 * 366,
    "demarcation.hours_per_week": 168,
    "demarcation.max_outside_requests_per_week": 1000,
    "demarcation.max_night_requests_per_week": 1000,
    "requests.earlier_days": 366,
    "requests.undo_seconds": 3600,
    "requests.correct_days": 366,
    "requests.max_minutes": 24 * 60,
    "requests.import_max_days": 10 * 366,
    "rules.pending_minutes": 7 * 24 * 60,
    "rules.resolve_after_minutes": 7 * 24 * 60,
    "rules.hours_critical_factor": 10,
    "rules.rising_factor": 10,
    "rules.rising_min_hours": 168,
    "rules.beyond_role_times": 1000,
    "rules.beyond_role_days": 366,
    "rules.counsellor_after_days": 366,
    "rules.rest_hours": 24,
    "rules.average_weeks": 52,
    "rules.average_max_hours": 168,
    "rules.week_max_hours": 168,
    "rules.day_max_hours": 24,
    "rules.minor_night_from": 23,
    "rules.minor_night_until": 23,
    "email.port": 65535,
    "email.digest_hour": 23,
    "training.expiring_days": 10 * 366,
    "allowances.overdue_days": 366,
    "checkins.no_checkin_weeks": 52,
    "checkins.who5_low": 100,
    "checkins.who5_drop": 100,
    "checkins.pulse_days": 366,
    "checkins.reminder_hour": 23,
    "checkins.default_minutes": 8 * 60,
    "checkins.team_count_min_coproducers": 1000,
    "backup.keep": 365,
    "backup.hour": 23,
    "reports.min_group": 1000,
    "retention.sign_in_attempts_days": 10 * 366,
    "retention.ended_sessions_days": 10 * 366,
    "retention.request_notes_months": 30 * 12,
    "retention.wellbeing_months": 30 * 12,
    "retention.checkins_months": 30 * 12,
    "retention.inbox_months": 30 * 12,
    "retention.audit_years": 30,
    "retention.payments_years": 30,
}
DEFAULT_MOST = 1_000_000


class Reader:
    """Pulls typed values out of the parsed TOML, naming the dotted key in every error."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def raw(self, key: str, default: Any) -> Any:
        """The value as written at the dotted key, or default when it is not there."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict):
                raise ConfigError(self.source, key, "must sit inside a table")
            if part not in node:
                return default
            node = node[part]
        return node

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.source, key, problem)

    def string(self, key: str, default: str) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty text, got {value!r}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def positive_int(self, key: str, default: int, allow_zero: bool = False) -> int:
        value = self.raw(key, default)
        low = 0 if allow_zero else 1
        most = int(MOST.get(key, DEFAULT_MOST))
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= most:
            raise self.fail(key, f"must be a whole number from {low} to {most}, got {value!r}")
        return value

    def positive_number(self, key: str, default: float, allow_zero: bool = False) -> float:
        value = self.raw(key, default)
        most = MOST.get(key, DEFAULT_MOST)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= most:  # refuses nan
            raise self.fail(key, f"must be a number from 0 to {most:g}, got {value!r}")
        if value == 0 and not allow_zero:
            raise self.fail(key, "must be more than zero")
        return float(value)

    def money(self, key: str, default: Decimal) -> Decimal:
        """An amount in euros with at most two decimals, written as a number (5.50) or a text ("5.50")."""
        return self.money_value(key, self.raw(key, default))

    def money_value(self, key: str, value: Any) -> Decimal:
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
                raise InvalidOperation
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise self.fail(key, f"must be an amount in euros like 5.50, got {value!r}") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise self.fail(key, f"must be an amount in euros of zero or more with at most two decimals, got {value!r}")
        return amount

    def choices(self, key: str, default: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
        value = self.raw(key, list(default))
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"must be a non-empty list, got {value!r}")
        for item in value:
            if item not in allowed:
                raise self.fail(key, f"has {item!r}, which is not one of {', '.join(allowed)}")
        return tuple(value)
