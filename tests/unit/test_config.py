"""monitor.config: defaults from config.toml, environment overrides, and errors that name the wrong key."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest

from monitor import config
from monitor.config import (
    DEFAULT_CONFIG_PATH,
    LANGUAGES,
    PROJECT_ROOT,
    TOPICS,
    WEEKDAYS,
    AuthSettings,
    ConfigError,
    load,
    parse,
)

PG_URL = "postgresql+psycopg://monitor:secret@db.example.org:5432/monitor"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def parse_error(data: dict[str, Any], env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(data, "test.toml", env={} if env is None else env)
    return caught.value


# --- defaults ------------------------------------------------------------------------------------------


def test_the_defaults_load_from_the_repositorys_config_toml() -> None:
    settings = load(env={})

    assert settings.source == str(DEFAULT_CONFIG_PATH)
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'monitor.db'}"
    assert settings.timezone == "Europe/Amsterdam"
    assert settings.tz.key == "Europe/Amsterdam"
    assert settings.default_language == "nl"
    assert settings.languages == ("nl", "en")
    assert settings.currency == "EUR"
    assert settings.scheduler_in_app is True


def test_the_repositorys_auth_settings_match_the_documented_values() -> None:
    auth = load(env={}).auth

    assert auth == AuthSettings(
        idle_minutes=120,
        absolute_hours=12,
        failure_window_minutes=15,
        slow_after_failures=3,
        slowdown_seconds=1.0,
        max_delay_seconds=60.0,
        secure_cookies="auto",
        trusted_proxies=(),
        known_device_days=90,
        attempts_keep_days=30,
        oidc_enabled=False,
    )


def test_the_repositorys_demarcation_is_office_hours_on_weekdays() -> None:
    demarcation = load(env={}).demarcation

    assert demarcation.hours_per_week == 8.0
    assert demarcation.max_outside_requests_per_week == 3
    assert demarcation.max_night_requests_per_week == 1
    assert demarcation.topics == TOPICS
    assert set(demarcation.availability) == set(WEEKDAYS[:5])
    assert all(windows == ((time(9), time(17)),) for windows in demarcation.availability.values())


def test_an_empty_file_gives_the_built_in_defaults(tmp_path: Path) -> None:
    settings = load(write(tmp_path, ""), env={})

    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'monitor.db'}"
    assert settings.timezone == "Europe/Amsterdam"
    assert settings.languages == LANGUAGES
    assert settings.auth == AuthSettings()
    assert settings.demarcation.availability == {day: ((time(9), time(17)),) for day in WEEKDAYS[:5]}


# --- environment overrides -----------------------------------------------------------------------------


def test_monitor_database_url_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite:///data/other.db"\n')

    settings = load(path, env={"MONITOR_DATABASE_URL": PG_URL})

    assert settings.database_url == PG_URL


def test_monitor_database_url_overrides_when_parsing_too() -> None:
    settings = parse({"database": {"url": "sqlite:///x.db"}}, "t", env={"MONITOR_DATABASE_URL": PG_URL})

    assert settings.database_url == PG_URL


def test_an_empty_monitor_database_url_falls_back_to_the_file() -> None:
    settings = parse({"database": {"url": PG_URL}}, "t", env={"MONITOR_DATABASE_URL": ""})

    assert settings.database_url == PG_URL


def test_monitor_config_chooses_another_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[locale]\ntimezone = "Europe/London"\ndefault_language = "en"\n', "other.toml")

    settings = load(env={"MONITOR_CONFIG": str(path)})

    assert settings.timezone == "Europe/London"
    assert settings.default_language == "en"
    assert settings.source == str(path)


def test_an_explicit_path_wins_over_monitor_config(tmp_path: Path) -> None:
    chosen = write(tmp_path, '[locale]\ncurrency = "GBP"\n', "chosen.toml")
    ignored = write(tmp_path, '[locale]\ncurrency = "USD"\n', "ignored.toml")

    settings = load(chosen, env={"MONITOR_CONFIG": str(ignored)})

    assert settings.currency == "GBP"


def test_settings_are_read_again_when_the_environment_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = write(tmp_path, '[locale]\ncurrency = "GBP"\n', "first.toml")
    second = write(tmp_path, '[locale]\ncurrency = "USD"\n', "second.toml")
    monkeypatch.delenv("MONITOR_DATABASE_URL", raising=False)
    config._cached.cache_clear()
    try:
        monkeypatch.setenv("MONITOR_CONFIG", str(first))
        assert config.settings().currency == "GBP"
        assert config.settings() is config.settings()
        monkeypatch.setenv("MONITOR_CONFIG", str(second))
        assert config.settings().currency == "USD"
    finally:
        config._cached.cache_clear()


# --- database URLs -------------------------------------------------------------------------------------


def test_a_relative_sqlite_path_becomes_absolute_under_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not where the command happens to be started

    settings = parse({"database": {"url": "sqlite:///data/monitor.db"}}, "t", env={})

    assert settings.database_url == f"sqlite:///{PROJECT_ROOT}/data/monitor.db"
    assert Path(settings.database_url.removeprefix("sqlite:///")).is_absolute()


def test_a_relative_sqlite_path_from_the_environment_becomes_absolute_too() -> None:
    settings = parse({}, "t", env={"MONITOR_DATABASE_URL": "sqlite:///var/test.db"})

    assert settings.database_url == f"sqlite:///{PROJECT_ROOT}/var/test.db"


@pytest.mark.parametrize(
    "url",
    ["sqlite:////srv/monitor/monitor.db", "sqlite:///:memory:", "sqlite://", PG_URL],
    ids=["absolute-sqlite", "memory", "bare-memory", "postgresql"],
)
def test_other_database_urls_are_left_as_they_are(url: str) -> None:
    assert parse({}, "t", env={"MONITOR_DATABASE_URL": url}).database_url == url


def test_a_database_url_without_a_scheme_is_refused() -> None:
    error = parse_error({"database": {"url": "data/monitor.db"}})

    assert error.key == "database.url"
    assert "database.url" in str(error)


def test_a_database_url_without_a_scheme_from_the_environment_is_refused() -> None:
    error = parse_error({}, env={"MONITOR_DATABASE_URL": "monitor.db"})

    assert error.key == "database.url"


# --- bad values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"auth": {"idle_minutes": "abc"}}, "auth.idle_minutes"),
        ({"auth": {"idle_minutes": 0}}, "auth.idle_minutes"),
        ({"auth": {"idle_minutes": True}}, "auth.idle_minutes"),
        ({"auth": {"absolute_hours": 1.5}}, "auth.absolute_hours"),
        ({"auth": {"slow_after_failures": -1}}, "auth.slow_after_failures"),
        ({"auth": {"trusted_proxies": ["not an address"]}}, "auth.trusted_proxies"),
        ({"auth": {"slowdown_seconds": -0.5}}, "auth.slowdown_seconds"),
        ({"auth": {"slowdown_seconds": "1"}}, "auth.slowdown_seconds"),
        ({"auth": {"secure_cookies": "yes"}}, "auth.secure_cookies"),
        ({"auth": {"oidc_enabled": 1}}, "auth.oidc_enabled"),
        ({"auth": 5}, "auth"),  # a section written as a value: the section is named
        ({"database": {"url": ""}}, "database.url"),
        ({"locale": {"timezone": "Mars/Olympus"}}, "locale.timezone"),
        ({"locale": {"timezone": "Europe"}}, "locale.timezone"),
        ({"locale": {"timezone": "../etc/passwd"}}, "locale.timezone"),
        ({"locale": {"timezone": 1}}, "locale.timezone"),
        ({"locale": {"languages": ["nl", "fr"]}}, "locale.languages"),
        ({"locale": {"languages": []}}, "locale.languages"),
        ({"locale": {"languages": "nl"}}, "locale.languages"),
        ({"locale": {"default_language": "de"}}, "locale.default_language"),
        ({"locale": {"languages": ["nl"], "default_language": "en"}}, "locale.default_language"),
        ({"locale": {"currency": " "}}, "locale.currency"),
        ({"demarcation": {"hours_per_week": 0}}, "demarcation.hours_per_week"),
        ({"demarcation": {"max_outside_requests_per_week": -1}}, "demarcation.max_outside_requests_per_week"),
        ({"demarcation": {"max_night_requests_per_week": 0.5}}, "demarcation.max_night_requests_per_week"),
        ({"demarcation": {"topics": ["money", "gardening"]}}, "demarcation.topics"),
        ({"demarcation": {"availability": ["09:00-17:00"]}}, "demarcation.availability"),
        ({"demarcation": {"availability": {"funday": ["09:00-17:00"]}}}, "demarcation.availability.funday"),
        ({"demarcation": {"availability": {"Monday": ["09:00-17:00"]}}}, "demarcation.availability.Monday"),
        ({"demarcation": {"availability": {"monday": "09:00-17:00"}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"monday": ["17:00-09:00"]}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"monday": ["09:00-09:00"]}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"monday": ["9-17"]}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"monday": ["25:00-26:00"]}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"monday": ["09:60-17:00"]}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"monday": ["09:00-24:30"]}}}, "demarcation.availability.monday"),
        ({"demarcation": {"availability": {"tuesday": [900]}}}, "demarcation.availability.tuesday"),
        ({"scheduler": {"run_in_app": "false"}}, "scheduler.run_in_app"),
    ],
    ids=lambda value: None if isinstance(value, dict) else value,
)
def test_a_bad_value_raises_a_config_error_naming_the_dotted_key(data: dict[str, Any], key: str) -> None:
    error = parse_error(data)

    assert error.key == key
    assert error.source == "test.toml"
    assert str(error).startswith(f"test.toml: {key} ")
    assert error.problem


def test_the_message_for_an_unknown_time_zone_quotes_the_value() -> None:
    error = parse_error({"locale": {"timezone": "Mars/Olympus"}})

    assert "'Mars/Olympus'" in str(error)
    assert "time zone" in error.problem


def test_the_message_for_a_backwards_window_says_it_ends_before_it_starts() -> None:
    error = parse_error({"demarcation": {"availability": {"monday": ["17:00-09:00"]}}})

    assert "'17:00-09:00'" in error.problem
    assert "ends before it starts" in error.problem


def test_the_message_for_an_unknown_weekday_lists_the_weekdays() -> None:
    error = parse_error({"demarcation": {"availability": {"funday": ["09:00-17:00"]}}})

    assert "monday" in error.problem and "sunday" in error.problem


def test_the_message_for_an_unknown_topic_names_the_topic() -> None:
    error = parse_error({"demarcation": {"topics": ["gardening"]}})

    assert "'gardening'" in error.problem


def test_an_idle_time_longer_than_the_absolute_lifetime_is_refused() -> None:
    error = parse_error({"auth": {"idle_minutes": 12 * 60 + 1, "absolute_hours": 12}})

    assert error.key == "auth.idle_minutes"
    assert "auth.absolute_hours" in error.problem


def test_an_idle_time_equal_to_the_absolute_lifetime_is_allowed() -> None:
    auth = parse({"auth": {"idle_minutes": 60, "absolute_hours": 1}}, "t", env={}).auth

    assert (auth.idle_minutes, auth.absolute_hours) == (60, 1)


def test_a_window_may_run_until_midnight() -> None:
    demarcation = parse({"demarcation": {"availability": {"saturday": ["20:00-24:00"]}}}, "t", env={}).demarcation

    assert demarcation.availability == {"saturday": ((time(20), time(23, 59, 59)),)}


def test_a_day_can_have_several_windows_and_an_empty_list_is_a_day_off() -> None:
    availability = parse(
        {"demarcation": {"availability": {"monday": ["09:00-12:00", "13:30-17:00"], "sunday": []}}}, "t", env={}
    ).demarcation.availability

    assert availability == {"monday": ((time(9), time(12)), (time(13, 30), time(17))), "sunday": ()}


def test_zero_slowdown_and_zero_outside_hours_are_allowed() -> None:
    settings = parse(
        {"auth": {"slowdown_seconds": 0}, "demarcation": {"max_outside_requests_per_week": 0}}, "t", env={}
    )

    assert settings.auth.slowdown_seconds == 0.0
    assert settings.demarcation.max_outside_requests_per_week == 0


# --- files ---------------------------------------------------------------------------------------------


def test_invalid_toml_syntax_raises_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[auth\nidle_minutes = 5\n")

    with pytest.raises(ConfigError) as caught:
        load(path, env={})

    assert caught.value.key == "(syntax)"
    assert caught.value.source == str(path)
    assert "not valid TOML" in str(caught.value)


def test_a_bad_value_in_a_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[auth]\nidle_minutes = "abc"\n')

    with pytest.raises(ConfigError) as caught:
        load(path, env={})

    assert str(caught.value).startswith(f"{path}: auth.idle_minutes ")


def test_a_missing_file_raises_a_config_error_that_mentions_monitor_config(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"

    with pytest.raises(ConfigError) as caught:
        load(env={"MONITOR_CONFIG": str(missing)})

    assert caught.value.key == "(file)"
    assert caught.value.source == str(missing)
    assert "MONITOR_CONFIG" in str(caught.value)


def test_a_folder_instead_of_a_file_raises_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(env={"MONITOR_CONFIG": str(tmp_path)})

    assert caught.value.key == "(file)"


def test_a_file_that_is_not_utf8_raises_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[locale]\ncurrency = "€"\n'.encode("cp1252"))

    with pytest.raises(ConfigError) as caught:
        load(path, env={})

    assert caught.value.key == "(file)"
