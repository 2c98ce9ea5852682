"""The settings as typed, frozen dataclasses, a section of config.toml each, with their defaults, the codes they
choose from, and the bounds of every value (monitor.config.kinds).

They are plain dataclasses (the app and the tests build and replace them freely); pydantic checks them against their
annotations only when config.toml is read (monitor.config.loading), and refuses any key they do not have.
"""

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, with_config

from monitor.config.kinds import (
    PROJECT_ROOT,
    Flag,
    Folder,
    Proxies,
    SecureCookies,
    StatementsFile,
    WebAddress,
    Windows,
    choices,
    hour,
    number,
    one_of,
    plainly,
    text,
    whole,
)

DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config.toml"
Hour = hour()
STRICT = ConfigDict(extra="forbid")
DAY = 24 * 60
YEARS = 10 * 366

TOPICS = ("mental_health", "money", "addiction", "violence", "housing", "children")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGUAGES = ("nl", "en")


@with_config(STRICT)
@dataclass(frozen=True)
class AuthSettings:
    idle_minutes: whole(1, 7 * DAY) = 120
    absolute_hours: whole(1, 30 * 24) = 12
    failure_window_minutes: whole(1, DAY) = 15
    slow_after_failures: whole(1, 1000) = 3
    slowdown_seconds: number(60, zero_allowed=True) = 1.0
    max_delay_seconds: number(3600) = 60.0
    # "auto": Secure cookies when the request came over HTTPS (directly, or per a trusted proxy); or always/never.
    secure_cookies: SecureCookies = "auto"
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.
    trusted_proxies: Proxies = ()
    known_device_days: whole(1, 400) = 90  # browsers keep a cookie 400 days at most
    attempts_keep_days: whole(1, YEARS) = 30
    oidc_enabled: Flag = False


def office_hours() -> dict[str, tuple[tuple[time, time], ...]]:
    """The availability of a demarcation that gives none: 09:00-17:00 on weekdays."""
    return {day: ((time(9), time(17)),) for day in WEEKDAYS[:5]}


@with_config(STRICT)
@dataclass(frozen=True)
class Demarcation:
    hours_per_week: number(168) = 8
    max_outside_requests_per_week: whole(0, 1000) = 3
    max_night_requests_per_week: whole(0, 1000) = 1
    topics: choices(TOPICS, "a kind of problem") = TOPICS
    # A weekday that is missing is a day off.
    availability: Annotated[
        dict[one_of(WEEKDAYS, "a weekday"), Windows],
        plainly("must be a table of weekdays", parts_too=False),
    ] = field(default_factory=office_hours)


@with_config(STRICT)
@dataclass(frozen=True)
class RequestSettings:
    earlier_days: whole(1, 366) = 14
    undo_seconds: whole(1, 3600) = 120
    correct_days: whole(1, 366) = 7
    max_minutes: whole(1, DAY) = 720
    import_max_days: whole(1, YEARS) = 730


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


def default_severities() -> dict[str, str]:
    return {**dict.fromkeys(RULES, "warning"), **DEFAULT_SEVERITY}


def _with_default_severities(given: Any) -> Any:
    """[rules.severity] names the rules it changes; the others keep their default."""
    return {**default_severities(), **given} if isinstance(given, dict) else given


Rule = one_of(RULES, "a rule")
TeamName = Annotated[str, Field(strict=True, min_length=1, max_length=200)]
RulesOff = Annotated[
    frozenset[Rule], Field(max_length=len(RULES)), plainly(f"must be a list of rule names from {', '.join(RULES)}")
]


@with_config(STRICT)
@dataclass(frozen=True)
class RuleSettings:
    pending_minutes: whole(0, 7 * DAY) = 0
    resolve_after_minutes: whole(0, 7 * DAY) = 60
    hours_critical_factor: number(10) = 1.25
    rising_factor: number(10) = 1.5
    rising_min_hours: number(168, zero_allowed=True) = 4.0
    beyond_role_times: whole(1, 1000) = 3
    beyond_role_days: whole(1, 366) = 14
    counsellor_after_days: whole(1, 366) = 14
    severity: Annotated[
        dict[Rule, one_of(SEVERITIES, "a severity")],
        BeforeValidator(_with_default_severities),
        plainly('must be a table of rules, like night = "critical"', parts_too=False),
    ] = field(default_factory=default_severities)
    # The Working Hours Act's figures as benchmarks (issue 30): rest between two days, the long average, a week and a
    # day at most, and the hours at night in which volunteers under 18 may not work.
    rest_hours: number(24) = 11.0
    average_weeks: whole(1, 52) = 16
    average_max_hours: number(168) = 48.0
    week_max_hours: number(168) = 60.0
    day_max_hours: number(24) = 12.0
    minor_night_from: Hour = 23
    minor_night_until: Hour = 6
    # Rules a team does not use: team name -> rule names ([rules.off]).
    off: Annotated[
        dict[TeamName, RulesOff],
        Field(max_length=1000),
        plainly('must be a table of team names, like "Moerwijk" = ["minor_at_night"]', parts_too=False),
    ] = field(default_factory=dict)


RETRY_PROBLEM = "must be a list of at most 10 whole numbers of minutes from 1 to 1440, like [1, 5, 25]"


@with_config(STRICT)
@dataclass(frozen=True)
class EmailSettings:
    enabled: Flag = False
    host: text(253) = "localhost"
    port: whole(1, 65535) = 25
    starttls: Flag = False
    username: Annotated[str, Field(strict=True, max_length=320), plainly("must be a text")] = ""
    sender: text(320) = "monitor@example.org"
    password: str = ""  # from MONITOR_SMTP_PASSWORD, never from the file
    digest_hour: Hour = 8
    app_url: WebAddress = "http://localhost:8501"
    # Minutes to wait before each new try of an e-mail the mail server never accepted; then it waits for a person.
    retry_minutes: Annotated[
        tuple[whole(1, 1440), ...],
        Field(max_length=10),
        plainly(
            "must be a list of at most 10 whole numbers of minutes from 1 to 1440, like [1, 5, 25]", parts_too=False
        ),
    ] = (1, 5, 25)


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
    """[allowances] and [emergency_fund] together; monitor.config.sections reads them."""

    limits: dict[int, AllowanceLimits] = field(default_factory=dict)
    overdue_days: int = 14  # an agreed allowance not paid this many days after its month ended raises an alert
    fund_low: Decimal = Decimal("50")  # the emergency fund's balance below which the leaders are told


def _newest_first(days: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(set(days), reverse=True))


@with_config(STRICT)
@dataclass(frozen=True)
class TrainingSettings:
    # Remind of a training that stops being valid in this many days.
    reminder_days: Annotated[
        tuple[whole(1, YEARS), ...],
        Field(min_length=1, max_length=10),
        plainly(f"must be a list of whole numbers of days, 1 to {YEARS}, at most 10 of them"),
        AfterValidator(_newest_first),
    ] = (60, 14)
    expiring_days: whole(1, YEARS) = 60  # the overview shows a training as "expiring" this many days ahead


@with_config(STRICT)
@dataclass(frozen=True)
class CheckinSettings:
    no_checkin_weeks: whole(1, 52) = 6  # prompt a check-in when someone had none for this many weeks
    who5_low: whole(0, 100, "must be a WHO-5 score from 0 to 100") = 50  # a score at or below this prompts one
    who5_drop: whole(1, 100) = 10  # ... and so does a drop of this many points or more since the previous score
    pulse_days: whole(1, 366) = 14  # the WHO-5 pulse is offered again this many days after the last answer or skip
    reminder_hour: Hour = 9  # local hour from which the day-before reminders go out
    default_minutes: whole(1, 8 * 60) = 45
    team_count_min_coproducers: whole(1, 1000) = 5  # leaders see counts only for teams at least this large


@with_config(STRICT)
@dataclass(frozen=True)
class RetentionSettings:
    """How long each kind of data is kept ([retention] in config.toml); monitor/privacy/retention.py enforces it."""

    sign_in_attempts_days: whole(1, YEARS) = 30
    ended_sessions_days: whole(1, YEARS) = 7
    request_notes_months: whole(1, 30 * 12) = 12  # the note and the change history; the request itself stays
    wellbeing_months: whole(1, 30 * 12) = 24
    checkins_months: whole(1, 30 * 12) = 24  # after the person's last check-in: the check-ins and the notes
    inbox_months: whole(1, 30 * 12) = 12
    audit_years: whole(1, 30) = 2
    payments_years: whole(1, 30) = 7  # after the end of the year paid; then a removed person's name is anonymised


@with_config(STRICT)
@dataclass(frozen=True)
class BackupSettings:
    enabled: Flag = True  # the nightly backup job (monitor backup does the same by hand)
    # Relative to the project's folder (and inside it), or a full path from / for a place elsewhere.
    directory: Folder = str(PROJECT_ROOT / "data" / "backups")
    keep: whole(1, 365) = 14  # the nightly job keeps this many of its copies and removes older ones
    hour: Hour = 3  # local hour from which the night's backup is made


@with_config(STRICT)
@dataclass(frozen=True)
class ReportSettings:
    # The smallest group a shared figure may describe (monitor/reports/disclosure.py). Never below 5 in config.toml,
    # so that nobody can be recognised in the figures (the tests may choose smaller groups to check the rule).
    min_group: whole(5, 1000, "must be a whole number from 5 to 1000 (smaller groups could show a person)") = 5


@with_config(STRICT)
@dataclass(frozen=True)
class CheckupSettings:
    # An organisation's own wording of the 26 statements (a .toml file); empty: the built-in one.
    statements_file: StatementsFile = ""


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
