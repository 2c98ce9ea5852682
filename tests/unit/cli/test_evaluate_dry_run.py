"""`monitor evaluate --at` a past moment is a dry run: it says what it would find and leaves alerts, check-ins and
notifications as they were (issue 32: a past moment resolved seven open alerts, which the next run opened again with
four new notifications). Only the present moment (within a minute) writes; an impossible moment is one line, exit 2."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import Engine, select

from db.engine import engine_for, reading
from db.models import Alert, AlertEvent, Checkin, Notification
from monitor import config
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit import factories
from tests.unit.cli.helpers import run

pytestmark = pytest.mark.usefixtures("fast_passwords")

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_EVENING = datetime(2026, 3, 2, 20, 0, tzinfo=AMS)
WHAT_IT_WROTE = (Alert, AlertEvent, Checkin, Notification)


@pytest.fixture
def db(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The command pointed at the test's database (SQLite or PostgreSQL), with a coproducer who worked 10 hours on
    Monday 2 March (agreed: 8 a week), in the evening too."""
    team = factories.team(engine)
    me = team.coproducer
    cfg = config.parse({}, "test", env={"MONITOR_DATABASE_URL": "sqlite://"})
    for hour in (10, 18):
        moment = MONDAY_EVENING.replace(hour=hour)
        data = RequestInput(minutes=300, channel="centre", topics=("money",), received_at=moment)
        requests.log_request(engine, cfg, me, me.person_id, data, now=moment)
    url = engine.url.render_as_string(hide_password=False)
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("MONITOR_DATABASE_URL", url)
    config._cached.cache_clear()
    yield engine
    if engine_for(url) is not engine:
        engine_for(url).dispose()
    config._cached.cache_clear()


def snapshot(engine: Engine) -> dict[str, list[Any]]:
    """Every row the evaluation can write, column by column."""
    with reading(engine) as session:
        return {
            model.__tablename__: [tuple(row) for row in session.execute(select(model.__table__)).all()]
            for model in WHAT_IT_WROTE
        }


def test_a_past_moment_says_what_it_would_find_and_writes_nothing(
    db: Engine, capsys: pytest.CaptureFixture[str], time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=AMS), tick=False)

    code, out, err = run(capsys, "evaluate", "--at", "2026-03-02T20:00")

    assert code == 0, err
    assert out.startswith("Dry run at 2026-03-02 20:00 CET, a moment in the past, so nothing was changed: "), out
    would_open = int(out.split(": ", 1)[1].split()[0])
    assert would_open >= 1
    assert snapshot(db) == {model.__tablename__: [] for model in WHAT_IT_WROTE}


def test_a_past_moment_leaves_open_alerts_and_notifications_as_they_were(
    db: Engine, capsys: pytest.CaptureFixture[str], time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(MONDAY_EVENING, tick=False)
    code, out, err = run(capsys, "evaluate")
    assert code == 0 and out.startswith("Evaluated the rules at 2026-03-02 20:00 CET: "), err
    before = snapshot(db)
    assert before["alerts"] and before["notifications"]

    # Three weeks later the load is gone; evaluating the days after Monday would mark the alerts clear and then
    # resolve them, and the week before would see nothing at all.
    time_machine.move_to(datetime(2026, 3, 23, 9, 0, tzinfo=AMS), tick=False)
    for moment in ("2026-03-16T09:00", "2026-03-16T11:00", "2026-02-20T09:00", "2026-03-02T20:30"):
        code, out, err = run(capsys, "evaluate", "--at", moment)
        assert code == 0, err
        assert out.startswith("Dry run at "), out

    assert snapshot(db) == before


def test_the_present_moment_within_a_minute_writes(
    db: Engine, capsys: pytest.CaptureFixture[str], time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(MONDAY_EVENING.replace(second=50), tick=False)

    code, out, err = run(capsys, "evaluate", "--at", "2026-03-02T20:00")

    assert code == 0, err
    assert out.startswith("Evaluated the rules at 2026-03-02 20:00 CET: "), out
    assert snapshot(db)["alerts"]


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59", "0001-01-01T00:00", "1999-12-31T23:00", "2027-06-01T09:00", "2026-02-30T10:00", "garbage"],
)
def test_an_impossible_moment_is_one_line_and_exit_2(
    db: Engine, capsys: pytest.CaptureFixture[str], time_machine: time_machine.TimeMachineFixture, moment: str
) -> None:
    time_machine.move_to(MONDAY_EVENING, tick=False)

    code, out, err = run(capsys, "evaluate", "--at", moment)

    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"Error: --at {moment!r} is not a time the rules can be evaluated at"), err
    assert "Traceback" not in err
    assert snapshot(db) == {model.__tablename__: [] for model in WHAT_IT_WROTE}
