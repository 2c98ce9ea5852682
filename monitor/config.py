"""Reads config.toml into typed settings, applies environment overrides and explains what is wrong."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config.toml"

TOPICS = ("mental_health", "money", "addiction", "violence", "housing", "children")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGUAGES = ("nl", "en")
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class ConfigError(Exception):
    """The configuration file cannot be used; the message names the key and what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key} {problem}")
        self.source = source
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class AuthSettings:
    idle_minutes: int = 120
    absolute_hours: int = 12
    failure_window_minutes: int = 15
    slow_after_failures: int = 3
    slowdown_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    # "auto": Secure cookies when the request came over HTTPS (directly, or per a trusted proxy); or always/never.
    secure_cookies: str = "auto"
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.
    trusted_proxies: tuple[str, ...] = ()
    known_device_days: int = 180
    attempts_keep_days: int = 30
    oidc_enabled: bool = False


@dataclass(frozen=True)
class Demarcation:
    hours_per_week: float = 8
    max_outside_requests_per_week: int = 3
    max_night_requests_per_week: int = 1
    topics: tuple[str, ...] = TOPICS
    availability: dict[str, tuple[tuple[time, time], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestSettings:
    earlier_days: int = 14
    undo_seconds: int = 120
    correct_days: int = 7
    max_minutes: int = 720
    import_max_days: int = 730


RULES = (
    "hours_over",
    "outside_hours",
    "night",
    "no_rest_day",
    "rising_load",
    "topics_outside",
    "beyond_role",
    "outside_training",
    "allowance_month",
    "allowance_year",
    "allowance_hourly",
    "allowance_overdue",
    # The Working Hours Act's figures (issue 30).
    "short_rest",
    "long_average",
    "minor_at_night",
)
SEVERITIES = ("warning", "critical")
# A rule whose [rules.severity] is not given is a warning, but for these.
DEFAULT_SEVERITY = {"minor_at_night": "critical"}


@dataclass(frozen=True)
class RuleSettings:
    pending_minutes: int = 0
    resolve_after_minutes: int = 60
    hours_critical_factor: float = 1.25
    rising_factor: float = 1.5
    rising_min_hours: float = 4.0
    beyond_role_times: int = 3
    beyond_role_days: int = 14
    counsellor_after_days: int = 14
    severity: dict[str, str] = field(default_factory=lambda: {**dict.fromkeys(RULES, "warning"), **DEFAULT_SEVERITY})
    # The Working Hours Act's figures as benchmarks (issue 30): rest between two days, the long average, a week and a
    # day at most, and the hours at night in which volunteers under 18 may not work.
    rest_hours: float = 11.0
    average_weeks: int = 16
    average_max_hours: float = 48.0
    week_max_hours: float = 60.0
    day_max_hours: float = 12.0
    minor_night_from: int = 23
    minor_night_until: int = 6
    # Rules a team does not use: team name -> rule names ([rules.off]).
    off: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class EmailSettings:
    enabled: bool = False
    host: str = "localhost"
    port: int = 25
    starttls: bool = False
    username: str = ""
    sender: str = "monitor@example.org"
    password: str = ""  # from MONITOR_SMTP_PASSWORD, never from the file
    digest_hour: int = 8
    app_url: str = "http://localhost:8501"


@dataclass(frozen=True)
class AllowanceLimits:
    """The tax-free volunteer allowance maxima of one year, in euros; all of them must hold at once."""

    year: int
    per_hour: Decimal
    per_hour_under_21: Decimal
    per_month: Decimal
    per_year: Decimal


# Used when config.toml has no [allowances.limits] at all (the figures published by the tax office).
DEFAULT_LIMITS = {
    "2024": {"per_hour": "5.50", "per_hour_under_21": "3.25", "per_month": "210", "per_year": "2100"},
    "2025": {"per_hour": "5.60", "per_hour_under_21": "3.30", "per_month": "210", "per_year": "2100"},
}


@dataclass(frozen=True)
class AllowanceSettings:
    limits: dict[int, AllowanceLimits] = field(default_factory=dict)
    overdue_days: int = 14  # an agreed allowance not paid this many days after its month ended raises an alert
    fund_low: Decimal = Decimal("50")  # the emergency fund's balance below which the leaders are told


@dataclass(frozen=True)
class TrainingSettings:
    reminder_days: tuple[int, ...] = (60, 14)  # remind of a training that stops being valid in this many days
    expiring_days: int = 60  # the overview shows a training as "expiring" this many days ahead


@dataclass(frozen=True)
class CheckinSettings:
    no_checkin_weeks: int = 6  # prompt a check-in when someone had none for this many weeks
    who5_low: int = 50  # a WHO-5 score at or below this prompts a check-in
    who5_drop: int = 10  # ... and so does a drop of this many points or more since the previous score
    pulse_days: int = 14  # the WHO-5 pulse is offered again this many days after the last answer or skip
    reminder_hour: int = 9  # local hour from which the day-before reminders go out
    default_minutes: int = 45
    team_count_min_coproducers: int = 5  # leaders see counts only for teams at least this large


@dataclass(frozen=True)
class RetentionSettings:
    """How long each kind of data is kept ([retention] in config.toml); monitor/privacy/retention.py enforces it."""

    sign_in_attempts_days: int = 30
    ended_sessions_days: int = 7
    request_notes_months: int = 12  # the note and the change history; the request itself stays
    wellbeing_months: int = 24
    checkins_months: int = 24  # after the person's last check-in: the check-ins and the counsellor's notes
    inbox_months: int = 12
    audit_years: int = 2
    payments_years: int = 7  # after the end of the year paid; then a removed person's name is anonymised


@dataclass(frozen=True)
class BackupSettings:
    enabled: bool = True  # the nightly backup job (monitor backup does the same by hand)
    directory: str = str(PROJECT_ROOT / "data" / "backups")
    keep: int = 14  # the nightly job keeps this many of its copies and removes older ones
    hour: int = 3  # local hour from which the night's backup is made


@dataclass(frozen=True)
class ReportSettings:
    min_group: int = 5  # a breakdown with fewer coproducers behind it is merged into "other"


@dataclass(frozen=True)
class CheckupSettings:
    statements_file: str = ""  # an organisation's own wording of the 26 statements (TOML); empty: the built-in one


@dataclass(frozen=True)
class Settings:
    database_url: str
    timezone: str = "Europe/Amsterdam"
    default_language: str = "nl"
    languages: tuple[str, ...] = LANGUAGES
    currency: str = "EUR"
    auth: AuthSettings = field(default_factory=AuthSettings)
    demarcation: Demarcation = field(default_factory=Demarcation)
    requests: RequestSettings = field(default_factory=RequestSettings)
    rules: RuleSettings = field(default_factory=RuleSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    checkins: CheckinSettings = field(default_factory=CheckinSettings)
    allowances: AllowanceSettings = field(default_factory=AllowanceSettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    reports: ReportSettings = field(default_factory=ReportSettings)
    checkup: CheckupSettings = field(default_factory=CheckupSettings)
    scheduler_in_app: bool = True
    # The security log is kept this many days ([audit] keep_days).
    audit_keep_days: int = 730
    source: str = "config.toml"
    backup: BackupSettings = field(default_factory=BackupSettings)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# The largest sensible value of each number (issue 14: 70000 as a port or 1e9 hours a week were accepted, and then
# the mail or every evaluation failed). A number not listed here may be at most DEFAULT_MOST.
MOST: dict[str, float] = {
    "auth.idle_minutes": 7 * 24 * 60,
    "auth.absolute_hours": 30 * 24,
    "auth.failure_window_minutes": 24 * 60,
    "auth.slow_after_failures": 1000,
    "auth.slowdown_seconds": 60,
    "auth.max_delay_seconds": 3600,
    "auth.known_device_days": 10 * 366,
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


class _Reader:
    """Pulls typed values out of the parsed TOML, naming the dotted key in every error."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def _get(self, key: str, default: Any) -> Any:
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
        value = self._get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty text, got {value!r}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def positive_int(self, key: str, default: int, allow_zero: bool = False) -> int:
        value = self._get(key, default)
        low = 0 if allow_zero else 1
        most = int(MOST.get(key, DEFAULT_MOST))
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= most:
            raise self.fail(key, f"must be a whole number from {low} to {most}, got {value!r}")
        return value

    def positive_number(self, key: str, default: float, allow_zero: bool = False) -> float:
        value = self._get(key, default)
        most = MOST.get(key, DEFAULT_MOST)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= most:  # refuses nan
            raise self.fail(key, f"must be a number from 0 to {most:g}, got {value!r}")
        if value == 0 and not allow_zero:
            raise self.fail(key, "must be more than zero")
        return float(value)

    def money(self, key: str, default: Decimal) -> Decimal:
        """An amount in euros with at most two decimals, written as a number (5.50) or a text ("5.50")."""
        return self.money_value(key, self._get(key, default))

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
        value = self._get(key, list(default))
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"must be a non-empty list, got {value!r}")
        for item in value:
            if item not in allowed:
                raise self.fail(key, f"has {item!r}, which is not one of {', '.join(allowed)}")
        return tuple(value)


def _availability(reader: _Reader, key: str) -> dict[str, tuple[tuple[time, time], ...]]:
    raw = reader._get(key, None)
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


def _working_time(r: _Reader) -> dict[str, Any]:
    """The rules from the Working Hours Act's figures (issue 30), and which rules each team switched off."""
    off = r._get("rules.off", {})
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


def _allowances(r: _Reader) -> AllowanceSettings:
    raw = r._get("allowances.limits", DEFAULT_LIMITS)
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


def _training(r: _Reader) -> TrainingSettings:
    days = r._get("training.reminder_days", [60, 14])
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


def parse_window(window: Any, reader: _Reader, key: str) -> tuple[time, time]:
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


def parse(data: dict[str, Any], source: str, env: dict[str, str] | None = None) -> Settings:
    """Turn parsed TOML into Settings; raises ConfigError naming the first wrong key."""
    env = dict(os.environ) if env is None else env
    r = _Reader(data, source)
    url = env.get("MONITOR_DATABASE_URL") or r.string("database.url", "sqlite:///data/monitor.db")
    if "://" not in url:
        raise r.fail("database.url", f"must be a database URL like sqlite:///data/monitor.db, got {url!r}")
    url = _absolute_sqlite(url)
    tz_name = r.string("locale.timezone", "Europe/Amsterdam")
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a folder such as "Europe"
        raise r.fail("locale.timezone", f"is {tz_name!r}, which is not a known time zone") from exc
    languages = r.choices("locale.languages", LANGUAGES, LANGUAGES)
    default_language = r.string("locale.default_language", "nl")
    if default_language not in languages:
        raise r.fail("locale.default_language", f"is {default_language!r}; use one of {', '.join(languages)}")
    auth = AuthSettings(
        idle_minutes=r.positive_int("auth.idle_minutes", 120),
        absolute_hours=r.positive_int("auth.absolute_hours", 12),
        failure_window_minutes=r.positive_int("auth.failure_window_minutes", 15),
        slow_after_failures=r.positive_int("auth.slow_after_failures", 3),
        slowdown_seconds=r.positive_number("auth.slowdown_seconds", 1.0, allow_zero=True),
        max_delay_seconds=r.positive_number("auth.max_delay_seconds", 60.0),
        secure_cookies=_secure_cookies(r),
        trusted_proxies=_trusted_proxies(r),
        known_device_days=r.positive_int("auth.known_device_days", 180),
        attempts_keep_days=r.positive_int("auth.attempts_keep_days", 30),
        oidc_enabled=r.boolean("auth.oidc_enabled", False),
    )
    if auth.idle_minutes > auth.absolute_hours * 60:
        raise r.fail("auth.idle_minutes", "must not be longer than auth.absolute_hours")
    demarcation = Demarcation(
        hours_per_week=r.positive_number("demarcation.hours_per_week", 8),
        max_outside_requests_per_week=r.positive_int("demarcation.max_outside_requests_per_week", 3, allow_zero=True),
        max_night_requests_per_week=r.positive_int("demarcation.max_night_requests_per_week", 1, allow_zero=True),
        topics=r.choices("demarcation.topics", TOPICS, TOPICS),
        availability=_availability(r, "demarcation.availability"),
    )
    requests = RequestSettings(
        earlier_days=r.positive_int("requests.earlier_days", 14),
        undo_seconds=r.positive_int("requests.undo_seconds", 120),
        correct_days=r.positive_int("requests.correct_days", 7),
        max_minutes=r.positive_int("requests.max_minutes", 720),
        import_max_days=r.positive_int("requests.import_max_days", 730),
    )
    severity = {}
    for rule in RULES:
        value = r.string(f"rules.severity.{rule}", DEFAULT_SEVERITY.get(rule, "warning"))
        if value not in SEVERITIES:
            raise r.fail(f"rules.severity.{rule}", f"is {value!r}; use warning or critical")
        severity[rule] = value
    rules = RuleSettings(
        pending_minutes=r.positive_int("rules.pending_minutes", 0, allow_zero=True),
        resolve_after_minutes=r.positive_int("rules.resolve_after_minutes", 60, allow_zero=True),
        hours_critical_factor=r.positive_number("rules.hours_critical_factor", 1.25),
        rising_factor=r.positive_number("rules.rising_factor", 1.5),
        rising_min_hours=r.positive_number("rules.rising_min_hours", 4.0, allow_zero=True),
        beyond_role_times=r.positive_int("rules.beyond_role_times", 3),
        beyond_role_days=r.positive_int("rules.beyond_role_days", 14),
        counsellor_after_days=r.positive_int("rules.counsellor_after_days", 14),
        severity=severity,
        **_working_time(r),
    )
    digest_hour = r.positive_int("email.digest_hour", 8, allow_zero=True)
    if digest_hour > 23:
        raise r.fail("email.digest_hour", f"must be an hour from 0 to 23, got {digest_hour}")
    email = EmailSettings(
        enabled=r.boolean("email.enabled", False),
        host=r.string("email.host", "localhost"),
        port=r.positive_int("email.port", 25),
        starttls=r.boolean("email.starttls", False),
        username=str(r._get("email.username", "")),
        sender=r.string("email.sender", "monitor@example.org"),
        password=env.get("MONITOR_SMTP_PASSWORD", ""),
        digest_hour=digest_hour,
        app_url=r.string("email.app_url", "http://localhost:8501"),
    )
    checkins = _checkins(r)
    return Settings(
        database_url=url,
        timezone=tz_name,
        default_language=default_language,
        languages=languages,
        currency=r.string("locale.currency", "EUR"),
        auth=auth,
        demarcation=demarcation,
        requests=requests,
        rules=rules,
        email=email,
        checkins=checkins,
        allowances=_allowances(r),
        training=_training(r),
        retention=_retention(r),
        reports=ReportSettings(min_group=r.positive_int("reports.min_group", 5)),
        checkup=CheckupSettings(statements_file=_optional_path(r, "checkup.statements_file")),
        scheduler_in_app=r.boolean("scheduler.run_in_app", True),
        audit_keep_days=r.positive_int("audit.keep_days", 730),
        source=source,
        backup=_backup(r),
    )


def _backup(r: _Reader) -> BackupSettings:
    directory = Path(r.string("backup.directory", "data/backups"))
    return BackupSettings(
        enabled=r.boolean("backup.enabled", True),
        directory=str(directory if directory.is_absolute() else PROJECT_ROOT / directory),
        keep=r.positive_int("backup.keep", 14),
        hour=r.positive_int("backup.hour", 3, allow_zero=True),
    )


def _secure_cookies(r: _Reader) -> str:
    value = r._get("auth.secure_cookies", "auto")
    if isinstance(value, bool):
        return "always" if value else "never"
    if value not in ("auto", "always", "never"):
        raise r.fail("auth.secure_cookies", f'must be "auto", true or false, got {value!r}')
    return str(value)


def _trusted_proxies(r: _Reader) -> tuple[str, ...]:
    value = r._get("auth.trusted_proxies", [])
    if not isinstance(value, list):
        raise r.fail("auth.trusted_proxies", f"must be a list of addresses, got {value!r}")
    for item in value:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError:
            raise r.fail("auth.trusted_proxies", f"holds {item!r}, which is not an address or network") from None
    return tuple(str(item) for item in value)


def _checkins(r: _Reader) -> CheckinSettings:
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


def _retention(r: _Reader) -> RetentionSettings:
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


def _optional_path(r: _Reader, key: str) -> str:
    """A file name relative to the project (or absolute), or "" for none."""
    value = r._get(key, "")
    if not isinstance(value, str):
        raise r.fail(key, f'must be a file name in quotes, or "" for none, got {value!r}')
    if value and not (PROJECT_ROOT / value).is_file():
        raise r.fail(key, f"is {value!r}, which is not a file")
    return str(PROJECT_ROOT / value) if value else ""


def _absolute_sqlite(url: str) -> str:
    """Make a relative SQLite path relative to the project, not to wherever the command was started."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(PROJECT_ROOT / url[len(prefix) :])
    return url


def load(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the config file (MONITOR_CONFIG, else config.toml) and apply environment overrides."""
    env = dict(os.environ) if env is None else env
    file = Path(path or env.get("MONITOR_CONFIG") or DEFAULT_CONFIG_PATH)
    source = str(file)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(source, "(file)", "does not exist; set MONITOR_CONFIG to a config file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, "(syntax)", f"is not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, "(file)", f"cannot be read as a UTF-8 text file: {exc}") from exc
    return parse(data, source, env)


@lru_cache(maxsize=1)
def _cached(path: str | None, config_env: str | None, url_env: str | None) -> Settings:
    return load(path)


def settings() -> Settings:
    """The settings of this process, read once per distinct environment."""
    return _cached(None, os.environ.get("MONITOR_CONFIG"), os.environ.get("MONITOR_DATABASE_URL"))
