"""Reads config.toml into typed settings, applies environment overrides and explains what is wrong.

The settings themselves are in model.py, the typed values and their ranges in reader.py, the sections that need
more than one value in sections.py, and reading the file and the environment in loading.py; every name is
re-exported here, so `from monitor.config import Settings, settings, ...` is the way in.
"""

# _cached too: the tests and the AppTest harness clear its cache when they change the environment.
from monitor.config.loading import _cached as _cached
from monitor.config.loading import load, parse, settings
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
from monitor.config.reader import DEFAULT_MOST, MOST, ConfigError
from monitor.config.sections import parse_window

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
    "DEFAULT_MOST",
    "MOST",
    "ConfigError",
    "parse_window",
]
