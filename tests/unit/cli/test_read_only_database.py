"""Every `monitor` command on a database that refuses changes (a read-only SQLite file, PostgreSQL with
default_transaction_read_only) says so in one line and exits with code 3, without a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine

from db.engine import engine_for
from monitor import config
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit import factories
from tests.unit.cli.helpers import run
from tests.unit.web.test_read_only_database import read_only_url

pytestmark = pytest.mark.usefixtures("fast_passwords")

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def read_only(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A team whose coproducer worked 10 hours on Monday, then the `monitor` command pointed at the same database
    opened read-only."""
    team = factories.team(engine)
    cfg = config.parse({}, "test", env={"MONITOR_DATABASE_URL": "sqlite://"})
    me = team.coproducer
    for hour in (9, 12):
        moment = MONDAY.replace(hour=hour)
        data = RequestInput(minutes=300, channel="centre", topics=("money",), received_at=moment)
        requests.log_request(engine, cfg, me, me.person_id, data, now=moment)
    url = read_only_url(engine)
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("MONITOR_DATABASE_URL", url)
    config._cached.cache_clear()
    yield url
    engine_for(url).dispose()
    config._cached.cache_clear()


@pytest.mark.parametrize(
    "argv",
    [
        ("evaluate",),
        ("user", "disable", "fatima"),
        ("user", "add", "noor", "--name", "Noor", "--no-password"),
        ("retention",),
    ],
    ids=lambda argv: " ".join(argv),
)
def test_a_command_says_the_database_is_read_only_in_one_line_and_exits_3(
    read_only: str,
    capsys: pytest.CaptureFixture[str],
    time_machine: time_machine.TimeMachineFixture,
    argv: tuple[str, ...],
) -> None:
    time_machine.move_to(MONDAY.replace(hour=19), tick=False)  # the evening of the long day: the rules find work

    code, _out, err = run(capsys, *argv)

    assert code == 3, err
    assert len(err.strip().splitlines()) == 1, err
    assert "is read-only, so nothing was changed" in err
    assert "Traceback" not in err
