"""Reads config.toml into typed settings, applies environment overrides and explains what is wrong (pydantic-settings).

The settings themselves, with the bounds of each value, are in model.py; the kinds of value and their wording in
kinds.py; the file as a whole (its other sections, the values that check each other) in sections.py; reading the file
and the environment, and the one-line errors, in loading.py. Every name is re-exported here, so
`from monitor.config import Settings, settings, ...` is the way in.
"""

# _cached too: the tests and the AppTest harness clear its cache when they change the environment.
from monitor.config.kinds import ConfigError
from monitor.config.loading import MOST, load, parse, settings
from monitor.config.loading import _cached as _cached
from monitor.config.model import (
    DEFAULT_CONFIG_PATH,
    DEFAULT_LIMITS,
    LANGUAGES,
    PROJECT_ROOT,
    RULES,
    SEVERITIES,
    TOPICS,
    WEEKDAYS,
    AllowanceLimits,
    AllowanceSettings,
    AuthSettings,
    BackupSettings,
    CheckinSettings,
    CheckupSettings,
    Demarcation,
    EmailSettings,
    ReportSettings,
    RequestSettings,
    RetentionSettings,
    RuleSettings,
    Settings,
    TrainingSettings,
)

__all__ = [
    "load",
    "parse",
    "settings",
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_LIMITS",
    "LANGUAGES",
    "PROJECT_ROOT",
    "RULES",
    "SEVERITIES",
    "TOPICS",
    "WEEKDAYS",
    "AllowanceLimits",
    "AllowanceSettings",
    "AuthSettings",
    "BackupSettings",
    "CheckinSettings",
    "CheckupSettings",
    "Demarcation",
    "EmailSettings",
    "ReportSettings",
    "RequestSettings",
    "RetentionSettings",
    "RuleSettings",
    "Settings",
    "TrainingSettings",
    "MOST",
    "ConfigError",
]
