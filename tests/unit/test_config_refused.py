"""monitor.config refuses what issue 32 found accepted or ending in a traceback: misspelt keys and unknown sections
(with the nearest known name), numbers, amounts and lists beyond their bounds, database URLs of a kind the monitor does
not run on, a non-web app_url, a min_group below 5, and file settings that leave the project's folder. Each is one
line naming the key, and nothing starts."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from monitor import cli, config
from monitor.config import PROJECT_ROOT, ConfigError, load, parse

ENV = {"MONITOR_DATABASE_URL": "sqlite:///unused.db"}


def refused(data: dict[str, Any], env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(data, "config.toml", env=ENV if env is None else env)
    error = caught.value
    assert "\n" not in str(error), "one line"
    assert str(error).startswith(f"config.toml: {error.key} ")
    return error


@pytest.mark.parametrize(
    ("data", "key", "says"),
    [
        ({"auth": {"idle_minuts": 30}}, "auth.idle_minuts", "is not a key of [auth]; did you mean idle_minutes?"),
        ({"autth": {"idle_minutes": 30}}, "autth", "is not a section the monitor knows; did you mean [auth]?"),
        ({"colours": {"main": "red"}}, "colours", "the sections are database, locale, auth"),
        ({"rules": {"severty": {"night": "warning"}}}, "rules.severty", "did you mean severity?"),
        ({"rules": {"severity": {"nigth": "warning"}}}, "rules.severity.nigth", "did you mean night?"),
        (
            {"allowances": {"limits": {"2026": {"per_hour": 1}}}},
            'allowances.limits."2026".per_hour_under_21',
            "is missing",
        ),
        (
            {"demarcation": {"availability": {"Monday": ["09:00-17:00"]}}},
            "demarcation.availability.Monday",
            "did you mean monday?",
        ),
        ({"url": "sqlite:///x.db"}, "url", "is not a section the monitor knows; write it under [database]"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value and " " not in value else None,
)
def test_an_unknown_key_or_section_is_refused_with_the_nearest_known_name(
    data: dict[str, Any], key: str, says: str
) -> None:
    error = refused(data)
    assert error.key == key
    assert says in error.problem


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ('allowances.limits."2026".per_hour', 1e30),
        ('allowances.limits."2026".per_month', 10**12),
        ('allowances.limits."2026".per_year', float("inf")),
        ('allowances.limits."2026".per_hour_under_21', -1),
        ("emergency_fund.low_balance", 1e30),
        ("emergency_fund.low_balance", True),
    ],
)
def test_an_amount_beyond_its_bounds_is_refused(key: str, value: object) -> None:
    limits: dict[str, object] = {"per_hour": 5, "per_hour_under_21": 3, "per_month": 200, "per_year": 2000}
    if key.startswith("allowances"):
        limits[key.rsplit(".", 1)[1]] = value
        data: dict[str, Any] = {"allowances": {"limits": {"2026": limits}}}
    else:
        data = {"emergency_fund": {"low_balance": value}}

    error = refused(data)

    assert error.key == key
    assert "must be an amount in euros" in error.problem


REPOSITORY = tomllib.loads((PROJECT_ROOT / "config.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("training", "reminder_days", [9223372036854775807]),
        ("training", "reminder_days", list(range(1, 12))),
        ("training", "reminder_days", []),
        ("locale", "languages", ["nl", "en"] * 50),
        ("demarcation", "topics", ["money"] * 100),
        ("auth", "trusted_proxies", ["127.0.0.1"] * 101),
    ],
    ids=["huge-day", "too-many-days", "no-days", "languages", "topics", "proxies"],
)
def test_a_list_beyond_its_bounds_is_refused(section: str, key: str, value: list[object]) -> None:
    error = refused({section: {key: value}})
    assert error.key == f"{section}.{key}"


def test_a_day_with_too_many_windows_is_refused() -> None:
    error = refused({"demarcation": {"availability": {"monday": ["09:00-10:00"] * 25}}})
    assert error.key == "demarcation.availability.monday"
    assert "at most 24 windows" in error.problem


@pytest.mark.parametrize("min_group", [1, 4, 0, -5])
def test_the_smallest_group_is_never_below_5(min_group: int) -> None:
    error = refused({"reports": {"min_group": min_group}})
    assert error.key == "reports.min_group"
    assert "from 5 to 1000" in error.problem


def test_a_group_of_5_is_allowed() -> None:
    assert parse({"reports": {"min_group": 5}}, "config.toml", env=ENV).reports.min_group == 5


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgres://monitor:secret@db.example.org/monitor", "write postgresql:// instead"),
        ("mysql://monitor:secret@db.example.org/monitor", "SQLite (sqlite:///data/monitor.db) or PostgreSQL"),
        ("nonsense://monitor:secret@x", "is a nonsense:// URL"),
        ("mssql+pyodbc://monitor:secret@x/db", "is a mssql+pyodbc:// URL"),
        ("data/monitor.db", "must be a database URL like sqlite:///data/monitor.db"),
    ],
)
def test_a_database_url_of_a_kind_the_monitor_does_not_run_on_is_refused(url: str, says: str) -> None:
    for error in (refused({"database": {"url": url}}, env={}), refused({}, env={"MONITOR_DATABASE_URL": url})):
        assert error.key == "database.url"
        assert says in error.problem
        assert "secret" not in str(error), "never the password"
    assert "MONITOR_DATABASE_URL" in refused({}, env={"MONITOR_DATABASE_URL": url}).problem


def test_postgresql_urls_are_read_with_psycopg() -> None:
    for url in ("postgresql://monitor@db.example.org/monitor", "postgresql+psycopg://monitor@db.example.org/monitor"):
        assert parse({}, "t", env={"MONITOR_DATABASE_URL": url}).database_url == (
            "postgresql+psycopg://monitor@db.example.org/monitor"
        )


@pytest.mark.parametrize(
    "address", ["javascript:alert(document.cookie)", "ftp://monitor.example.org", "monitor.example.org", "http://"]
)
def test_the_app_url_is_a_web_address(address: str) -> None:
    error = refused({"email": {"app_url": address}})
    assert error.key == "email.app_url"
    assert "must be an http:// or https:// address" in error.problem


def test_an_https_app_url_is_kept_as_written() -> None:
    cfg = parse({"email": {"app_url": "https://monitor.example.org/team"}}, "t", env=ENV)
    assert cfg.email.app_url == "https://monitor.example.org/team"


def test_the_mail_password_is_never_read_from_the_file() -> None:
    error = refused({"email": {"password": "hunter2"}})
    assert error.key == "email.password"
    assert "MONITOR_SMTP_PASSWORD" in error.problem
    assert parse({}, "t", env={**ENV, "MONITOR_SMTP_PASSWORD": "hunter2"}).email.password == "hunter2"


# --- files and folders: inside the project's folder, or written out in full --------------------------------------


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("/etc/passwd", "which is not a .toml file"),
        ("../../etc/statements.toml", "leads out of the project's folder"),
        ("data/../../statements.toml", "leads out of the project's folder"),
        ("data/no-such-file.toml", "which is not a file"),
    ],
)
def test_a_statements_file_outside_the_project_or_not_a_statements_file_is_refused(value: str, says: str) -> None:
    error = refused({"checkup": {"statements_file": value}})
    assert error.key == "checkup.statements_file"
    assert says in error.problem


def test_a_statements_file_in_the_project_is_read_from_the_project_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not from wherever the command was started
    cfg = parse({"checkup": {"statements_file": "config.toml"}}, "t", env=ENV)
    assert cfg.checkup.statements_file == str(PROJECT_ROOT / "config.toml")


def test_a_backup_folder_may_not_leave_the_project_unless_written_in_full(tmp_path: Path) -> None:
    error = refused({"backup": {"directory": "../backups"}})
    assert error.key == "backup.directory"
    assert parse({"backup": {"directory": str(tmp_path)}}, "t", env=ENV).backup.directory == str(tmp_path)
    inside = parse({"backup": {"directory": "data/copies"}}, "t", env=ENV).backup.directory
    assert inside == str(PROJECT_ROOT.resolve() / "data" / "copies")


# --- nothing starts ------------------------------------------------------------------------------------------------


@pytest.fixture
def bad_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MONITOR_CONFIG pointing at a file with a misspelt key, and a database file that must never be made."""
    path = tmp_path / "config.toml"
    path.write_text("[auth]\nidle_minuts = 30\n", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(path))
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path}/never.db")
    config._cached.cache_clear()
    yield path
    config._cached.cache_clear()


def test_a_command_with_a_wrong_config_says_so_in_one_line_and_touches_nothing(
    bad_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["user", "list"])
    out, err = capsys.readouterr()

    assert code == 2
    assert out == ""
    assert err.strip() == (
        f"The configuration cannot be used: {bad_config}: auth.idle_minuts is not a key of [auth]; "
        "did you mean idle_minutes?"
    )
    assert not (bad_config.parent / "never.db").exists()


def test_the_app_does_not_start_with_a_wrong_config(bad_config: Path) -> None:
    started = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )

    assert started.returncode == 2
    assert started.stderr.strip().splitlines()[-1] == (
        f"The monitor cannot start: {bad_config}: auth.idle_minuts is not a key of [auth]; did you mean idle_minutes?"
    )


def test_the_repositorys_config_toml_is_accepted_whole() -> None:
    cfg = load(env={})
    assert cfg.reports.min_group == 5 and REPOSITORY["reports"]["min_group"] == 5


def _keys(node: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for key, value in node.items():
        found += _keys(value, (*prefix, key)) if isinstance(value, dict) and value else [(*prefix, key)]
    return found


def _with(path: tuple[str, ...], value: object) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((PROJECT_ROOT / "config.toml").read_text(encoding="utf-8"))
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


ODD_VALUES = ["", "x" * 5000, -1, 10**30, 1e30, float("nan"), True, [], [None], {}, {"x": 1}]


@pytest.mark.parametrize("path", _keys(REPOSITORY), ids=".".join)
def test_an_odd_value_anywhere_is_one_line_naming_that_key_never_a_traceback(path: tuple[str, ...]) -> None:
    for value in ODD_VALUES:
        try:
            parse(_with(path, value), "config.toml", env={})
        except ConfigError as error:
            assert "\n" not in str(error) and len(str(error)) < 600, str(error)
            assert error.key.replace('"', "").startswith(path[0]), (value, str(error))
            assert "input should" not in error.problem.lower(), "pydantic's words are reworded"
