"""Shared fixtures: a migrated database on SQLite and, when MONITOR_TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from sqlalchemy import Engine, text

from db.engine import engine_for, make_engine
from db.migrate import upgrade
from db.models import Base
from monitor import config
from monitor.checkins import crypto as notes_crypto
from monitor.config import AuthSettings, Settings, parse
from monitor.people import passwords

POSTGRES_URL = os.environ.get("MONITOR_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# An ordinary moment: a Wednesday afternoon, inside the default agreed hours, far from any week or day boundary.
ORDINARY_MOMENT = datetime(2026, 11, 25, 14, 0, tzinfo=AMSTERDAM)
# The moments at which the time-sensitive tests also run (the `moment` fixture): the night, both ends of the week,
# both 2026 daylight-saving nights, the turn of the year and a public holiday. A test that passes at all of them
# does not depend on the hour the suite happens to run.
PINNED_MOMENTS = {
    "night-0330": datetime(2026, 11, 25, 3, 30, tzinfo=AMSTERDAM),
    "monday-0005": datetime(2026, 11, 23, 0, 5, tzinfo=AMSTERDAM),
    "sunday-2359": datetime(2026, 11, 29, 23, 59, tzinfo=AMSTERDAM),
    "dst-spring-0330": datetime(2026, 3, 29, 3, 30, tzinfo=AMSTERDAM),  # 02:00 became 03:00 an hour before
    "dst-autumn-0230": datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMSTERDAM),  # the second 02:30 of that night
    "new-years-eve-2359": datetime(2026, 12, 31, 23, 59, tzinfo=AMSTERDAM),
    "kings-day-1200": datetime(2026, 4, 27, 12, 0, tzinfo=AMSTERDAM),
    "ordinary": ORDINARY_MOMENT,
}


# The notes' key of every test (WHO-5 answers are encrypted with it too); a test may set others with monkeypatch.
TEST_NOTES_KEY = Fernet.generate_key().decode()


@pytest.fixture(scope="session", autouse=True)
def notes_key() -> Iterator[str]:
    """One notes key for the whole run, set before any other fixture, so that no test depends on (or writes) a
    developer's key file or secrets, and the demo servers of the browser tests inherit the same key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(notes_crypto.ENV_KEYS, TEST_NOTES_KEY)
        yield TEST_NOTES_KEY


@pytest.fixture
def pinned_now(time_machine: time_machine.TimeMachineFixture) -> datetime:
    """The clock stands at ORDINARY_MOMENT (and ticks on from it), so no test result depends on the real clock."""
    time_machine.move_to(ORDINARY_MOMENT, tick=True)
    return ORDINARY_MOMENT


@pytest.fixture(params=list(PINNED_MOMENTS.values()), ids=list(PINNED_MOMENTS))
def moment(request: pytest.FixtureRequest, time_machine: time_machine.TimeMachineFixture) -> datetime:
    """Runs the test once at each of PINNED_MOMENTS, with the clock standing still at that moment."""
    at: datetime = request.param
    time_machine.move_to(at, tick=False)
    return at


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test run; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI=true but MONITOR_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI")
        pytest.skip("PostgreSQL tests skipped: set MONITOR_TEST_POSTGRES_URL to run them")
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        # The ledger refuses TRUNCATE (a trigger); replica mode, for superusers only, lets the tests start afresh.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database; every test that uses it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        eng = make_engine(f"sqlite:///{path}")
        yield eng
        eng.dispose()
    else:
        eng = request.getfixturevalue("postgres_engine")
        _truncate_all(eng)
        yield eng


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty SQLite database, for tests about SQLite itself or the UI."""
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def auth_settings() -> AuthSettings:
    """Small numbers, so that throttling and expiry are easy to reach in a test."""
    return AuthSettings(
        idle_minutes=30,
        absolute_hours=8,
        failure_window_minutes=15,
        slow_after_failures=2,
        slowdown_seconds=1.0,
        max_delay_seconds=8.0,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return parse({}, "test", env={"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path}/unused.db"})


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Argon2id with the smallest costs, so that tests about sign-in logic do not wait on hashing.

    test_passwords.py checks the real hasher; this only makes each hash take a millisecond instead of ~100.
    """
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", hasher)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", hasher.hash("no account has this password"))
    return hasher


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The `monitor` command pointed at a fresh SQLite file, with a config file of defaults (so config.toml cannot
    interfere); the cached config and engine are dropped afterwards."""
    url = f"sqlite:///{tmp_path}/cli.db"
    config_file = tmp_path / "config.toml"
    config_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(config_file))
    monkeypatch.setenv("MONITOR_DATABASE_URL", url)
    config._cached.cache_clear()
    yield url
    engine_for(url).dispose()
    config._cached.cache_clear()


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Put sys.modules["__main__"] back after each test. Streamlit's script runner (AppTest) replaces it with the
    script it ran and leaves it there; a test that then starts processes with "spawn" made each child run that
    script as its main module (AppTest.from_function's script failed there: the four-process tests failed after the
    page tests, in a whole run only)."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
