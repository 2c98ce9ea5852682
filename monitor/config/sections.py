"""Reads the parts of config.toml that are more than one plain value: availability windows, allowance limits,
reminder days, cookies and proxies, and the sections whose values check each other."""

from __future__ import annotations

import ipaddress
import re
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from monitor.config.model import (
    DEFAULT_LIMITS,
    PROJECT_ROOT,
    RULES,
    WEEKDAYS,
    AllowanceLimits,
    AllowanceSettings,
    BackupSettings,
    CheckinSettings,
    RetentionSettings,
    TrainingSettings,
)
from monitor.config.reader import Reader

_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def read_availability(reader: Reader, key: str) -> dict[str, tuple[tuple[time, time], ...]]:
    raw = reader.raw(key, None)
    if raw is None:
        raw = {day: ["09:00-17:00"] for day in WEEKDAYS[:5]}
    if not isinstance(raw, dict):
        raise reader.fail(key, "must be a table of weekdays")
    result: dict[str, tuple[tuple[time, time], ...]] = {}
    for day, windows in raw.items():
        if day not in WEEKDAYS:
            raise reader.fail(f"{key}.{day}", f"is not a weekday; use one of {', '.join(WEEKDAYS)}")
        if not isinstance(windows, list):
            raise reader.fail(f"{key}.{day}", 'must be a list of windows like ["09:00-17:00"]')
        parsed = []
        for window in windows:
            parsed.append(parse_window(window, reader, f"{key}.{day}"))
        result[day] = tuple(parsed)
    return result


def read_working_time(r: Reader) -> dict[str, Any]:
    """The rules from the Working Hours Act's figures (issue 30), and which rules each team switched off."""
    off = r.raw("rules.off", {})
    if not isinstance(off, dict):
        raise r.fail("rules.off", 'must be a table of team names, like "Moerwijk" = ["minor_at_night"]')
    for team, names in off.items():
        if not isinstance(names, list) or not all(name in RULES for name in names):
            raise r.fail(f'rules.off."{team}"', f"must be a list of rule names from {', '.join(RULES)}, got {names!r}")
    night = r.positive_int("rules.minor_night_from", 23, allow_zero=True)
    morning = r.positive_int("rules.minor_night_until", 6, allow_zero=True)
    if night == morning:
        raise r.fail("rules.minor_night_until", f"must differ from rules.minor_night_from, got {morning}")
    return {
        "rest_hours": r.positive_number("rules.rest_hours", 11.0),
        "average_weeks": r.positive_int("rules.average_weeks", 16),
        "average_max_hours": r.positive_number("rules.average_max_hours", 48.0),
        "week_max_hours": r.positive_number("rules.week_max_hours", 60.0),
        "day_max_hours": r.positive_number("rules.day_max_hours", 12.0),
        "minor_night_from": night,
        "minor_night_until": morning,
        "off": {str(team): frozenset(names) for team, names in off.items()},
    }


def read_allowances(r: Reader) -> AllowanceSettings:
    raw = r.raw("allowances.limits", DEFAULT_LIMITS)
    if not isinstance(raw, dict):
        raise r.fail("allowances.limits", 'must hold a table per year, like [allowances.limits."2025"]')
    limits = {}
    for year_text in raw:
        key = f'allowances.limits."{year_text}"'
        if not (isinstance(year_text, str) and year_text.isdigit() and len(year_text) == 4):
            raise r.fail(key, 'must be named by a year of four digits, like "2025"')
        fields = {}
        for name in ("per_hour", "per_hour_under_21", "per_month", "per_year"):
            if not isinstance(raw[year_text], dict) or name not in raw[year_text]:
                raise r.fail(
                    f"{key}.{name}", "is missing; give all four: per_hour, per_hour_under_21, per_month, per_year"
                )
            fields[name] = r.money_value(f"{key}.{name}", raw[year_text][name])
        limits[int(year_text)] = AllowanceLimits(year=int(year_text), **fields)
    return AllowanceSettings(
        limits=limits,
        overdue_days=r.positive_int("allowances.overdue_days", 14),
        fund_low=r.money("emergency_fund.low_balance", Decimal("50")),
    )


def read_training(r: Reader) -> TrainingSettings:
    days = r.raw("training.reminder_days", [60, 14])
    if (
        not isinstance(days, list)
        or not days
        or any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in days)
    ):
        raise r.fail("training.reminder_days", f"must be a list of whole numbers of days, 1 or more, got {days!r}")
    return TrainingSettings(
        reminder_days=tuple(sorted(set(days), reverse=True)),
        expiring_days=r.positive_int("training.expiring_days", 60),
    )


def parse_window(window: Any, reader: Reader, key: str) -> tuple[time, time]:
    match = _WINDOW.match(window) if isinstance(window, str) else None
    if not match:
        raise reader.fail(key, f'has {window!r}; write a window as "HH:MM-HH:MM", e.g. "09:00-17:00"')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2 != 0):
        raise reader.fail(key, f"has {window!r}, which is not a time of day")
    start = time(h1, m1)
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise reader.fail(key, f"has {window!r}, which ends before it starts")
    return start, end


def read_backup(r: Reader) -> BackupSettings:
    directory = Path(r.string("backup.directory", "data/backups"))
    return BackupSettings(
        enabled=r.boolean("backup.enabled", True),
        directory=str(directory if directory.is_absolute() else PROJECT_ROOT / directory),
        keep=r.positive_int("backup.keep", 14),
        hour=r.positive_int("backup.hour", 3, allow_zero=True),
    )


def read_secure_cookies(r: Reader) -> str:
    value = r.raw("auth.secure_cookies", "auto")
    if isinstance(value, bool):
        return "always" if value else "never"
    if value not in ("auto", "always", "never"):
        raise r.fail("auth.secure_cookies", f'must be "auto", true or false, got {value!r}')
    return str(value)


def read_trusted_proxies(r: Reader) -> tuple[str, ...]:
    value = r.raw("auth.trusted_proxies", [])
    if not isinstance(value, list):
        raise r.fail("auth.trusted_proxies", f"must be a list of addresses, got {value!r}")
    for item in value:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError:
            raise r.fail("auth.trusted_proxies", f"holds {item!r}, which is not an address or network") from None
    return tuple(str(item) for item in value)


def read_checkins(r: Reader) -> CheckinSettings:
    reminder_hour = r.positive_int("checkins.reminder_hour", 9, allow_zero=True)
    if reminder_hour > 23:
        raise r.fail("checkins.reminder_hour", f"must be an hour from 0 to 23, got {reminder_hour}")
    who5_low = r.positive_int("checkins.who5_low", 50, allow_zero=True)
    if who5_low > 100:
        raise r.fail("checkins.who5_low", f"must be a WHO-5 score from 0 to 100, got {who5_low}")
    return CheckinSettings(
        no_checkin_weeks=r.positive_int("checkins.no_checkin_weeks", 6),
        who5_low=who5_low,
        who5_drop=r.positive_int("checkins.who5_drop", 10),
        pulse_days=r.positive_int("checkins.pulse_days", 14),
        reminder_hour=reminder_hour,
        default_minutes=r.positive_int("checkins.default_minutes", 45),
        team_count_min_coproducers=r.positive_int("checkins.team_count_min_coproducers", 5),
    )


def read_retention(r: Reader) -> RetentionSettings:
    return RetentionSettings(
        sign_in_attempts_days=r.positive_int("retention.sign_in_attempts_days", 30),
        ended_sessions_days=r.positive_int("retention.ended_sessions_days", 7),
        request_notes_months=r.positive_int("retention.request_notes_months", 12),
        wellbeing_months=r.positive_int("retention.wellbeing_months", 24),
        checkins_months=r.positive_int("retention.checkins_months", 24),
        inbox_months=r.positive_int("retention.inbox_months", 12),
        audit_years=r.positive_int("retention.audit_years", 2),
        payments_years=r.positive_int("retention.payments_years", 7),
    )


def read_optional_path(r: Reader, key: str) -> str:
    """A file name relative to the project (or absolute), or "" for none."""
    value = r.raw(key, "")
    if not isinstance(value, str):
        raise r.fail(key, f'must be a file name in quotes, or "" for none, got {value!r}')
    if value and not (PROJECT_ROOT / value).is_file():
        raise r.fail(key, f"is {value!r}, which is not a file")
    return str(PROJECT_ROOT / value) if value else ""
