"""Turns config.toml into Settings: reads the file (MONITOR_CONFIG, else config.toml), applies the environment's
overrides (MONITOR_DATABASE_URL, MONITOR_SMTP_PASSWORD) and keeps the settings of this process."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.config.model import (
    DEFAULT_CONFIG_PATH,
    DEFAULT_SEVERITY,
    LANGUAGES,
    PROJECT_ROOT,
    RULES,
    SEVERITIES,
    TOPICS,
    AuthSettings,
    CheckupSettings,
    Demarcation,
    EmailSettings,
    ReportSettings,
    RequestSettings,
    RuleSettings,
    Settings,
)
from monitor.config.reader import ConfigError, Reader
from monitor.config.sections import (
    read_allowances,
    read_availability,
    read_backup,
    read_checkins,
    read_optional_path,
    read_retention,
    read_secure_cookies,
    read_training,
    read_trusted_proxies,
    read_working_time,
)


def parse(data: dict[str, Any], source: str, env: dict[str, str] | None = None) -> Settings:
    """Turn parsed TOML into Settings; raises ConfigError naming the first wrong key."""
    env = dict(os.environ) if env is None else env
    r = Reader(data, source)
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
        secure_cookies=read_secure_cookies(r),
        trusted_proxies=read_trusted_proxies(r),
        known_device_days=r.positive_int("auth.known_device_days", 90),
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
        availability=read_availability(r, "demarcation.availability"),
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
        **read_working_time(r),
    )
    digest_hour = r.positive_int("email.digest_hour", 8, allow_zero=True)
    if digest_hour > 23:
        raise r.fail("email.digest_hour", f"must be an hour from 0 to 23, got {digest_hour}")
    email = EmailSettings(
        enabled=r.boolean("email.enabled", False),
        host=r.string("email.host", "localhost"),
        port=r.positive_int("email.port", 25),
        starttls=r.boolean("email.starttls", False),
        username=str(r.raw("email.username", "")),
        sender=r.string("email.sender", "monitor@example.org"),
        password=env.get("MONITOR_SMTP_PASSWORD", ""),
        digest_hour=digest_hour,
        app_url=r.string("email.app_url", "http://localhost:8501"),
    )
    checkins = read_checkins(r)
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
        allowances=read_allowances(r),
        training=read_training(r),
        retention=read_retention(r),
        reports=ReportSettings(min_group=r.positive_int("reports.min_group", 5)),
        checkup=CheckupSettings(statements_file=read_optional_path(r, "checkup.statements_file")),
        scheduler_in_app=r.boolean("scheduler.run_in_app", True),
        audit_keep_days=r.positive_int("audit.keep_days", 730),
        source=source,
        backup=read_backup(r),
    )


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
