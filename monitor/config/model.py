"""The settings as typed, frozen dataclasses, a section of config.toml each, with their defaults and the codes
they choose from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config.toml"

TOPICS = ("mental_health", "money", "addiction", "violence", "housing", "children")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGUAGES = ("nl", "en")


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
    known_device_days: int = 90
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
