"""`monitor evaluate` and `monitor alerts`: run the rules once at a given time, and list the alerts they raised.

`--at` writes only at the present moment (a past one is a dry run, tests/unit/cli/test_evaluate_dry_run.py), so each
test here moves the clock to the moment it evaluates at."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import Engine, select

from db.engine import engine_for, reading
from db.migrate import upgrade
from db.models import Alert
from monitor import cli, config
from monitor.alerts import actions
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit import factories

pytestmark = pytest.mark.usefixtures("fast_passwords")

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
Evaluate = Callable[[str], tuple[int, str, str]]
SUMMARY = re.compile(r"(\d+) alerts opened \((\d+) of them again\), (\d+) resolved\.")


@pytest.fixture
def db(database_url: str) -> Engine:
    """The command's database (tests/conftest.py: SQLite, a config file of defaults), with a team whose coproducer
    worked 10 hours."""
    engine = engine_for(database_url)
    upgrade(engine)
    team = factories.team(engine)
    for hour in (10, 13):
        moment = MONDAY_10.replace(hour=hour)
        data = RequestInput(minutes=300, channel="centre", topics=("money",), received_at=moment)
        requests.log_request(engine, config.settings(), SYSTEM, team.coproducer.person_id, data, now=moment)
    return engine


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def evaluate(
    capsys: pytest.CaptureFixture[str], time_machine: time_machine.TimeMachineFixture
) -> Callable[[str], tuple[int, str, str]]:
    """`monitor evaluate --at MOMENT` with the clock at that moment, so that it writes."""

    def at(moment: str) -> tuple[int, str, str]:
        when = datetime.fromisoformat(moment)
        time_machine.move_to(when if when.tzinfo else when.replace(tzinfo=AMS), tick=False)
        return run(capsys, "evaluate", "--at", moment)

    return at


def alerts_in(engine: Engine) -> list[Alert]:
    with reading(engine) as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)).all())


def test_evaluate_at_a_local_time_opens_the_alerts_and_says_how_many(db: Engine, evaluate: Evaluate) -> None:
    code, out, err = evaluate("2026-03-02T20:00")

    assert code == 0, err
    match = SUMMARY.search(out)
    assert match, out
    opened = alerts_in(db)
    assert int(match.group(1)) == len(opened) >= 1
    assert "hours_over" in {alert.rule for alert in opened}
    assert all(alert.first_seen_at == datetime(2026, 3, 2, 19, 0, tzinfo=ZoneInfo("UTC")) for alert in opened)
    assert "2026-03-02 20:00 CET" in out

    code, out, _err = evaluate("2026-03-02T20:15+01:00")

    assert code == 0
    assert SUMMARY.search(out).groups() == ("0", "0", "0")  # type: ignore[union-attr]
    assert len(alerts_in(db)) == len(opened), "the same alerts, not new ones"


def test_evaluate_reports_resolved_alerts(db: Engine, evaluate: Evaluate) -> None:
    evaluate("2026-03-02T20:00")
    opened = len(alerts_in(db))

    # Two weeks later the load is gone: the first run sees it clear, the next (after an hour) resolves them.
    evaluate("2026-03-16T09:00")
    code, out, _err = evaluate("2026-03-16T11:00")

    assert code == 0
    assert SUMMARY.search(out).groups() == ("0", "0", str(opened))  # type: ignore[union-attr]


def test_evaluate_refuses_a_time_it_cannot_read(db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "evaluate", "--at", "yesterday evening")

    assert code == 2
    assert "is not a time" in err


def test_alerts_lists_them_as_table_csv_and_json(
    db: Engine, capsys: pytest.CaptureFixture[str], evaluate: Evaluate
) -> None:
    evaluate("2026-03-02T20:00")
    count = len(alerts_in(db))

    code, out, _err = run(capsys, "alerts", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == count
    hours = next(row for row in rows if row["rule"] == "hours_over")
    assert hours["username"] == "fatima"
    assert hours["team"] == "Moerwijk"
    assert (hours["status"], hours["severity"]) == ("open", "warning")
    assert (hours["value"], hours["threshold"]) == (10.0, 8.0)
    assert hours["window_start"] == "2026-03-02"
    assert hours["opened_at"].startswith("2026-03-02T19:00")

    code, out, _err = run(capsys, "alerts", "--format", "csv", "--status", "open", "--team", "Moerwijk")
    assert code == 0
    records = list(csv.DictReader(io.StringIO(out)))
    assert len(records) == count
    assert {"username", "rule", "severity", "status", "window_start", "value", "threshold", "opened_at", "note"} <= set(
        records[0]
    )

    code, out, _err = run(capsys, "alerts")
    header, *lines = out.splitlines()
    assert header.split()[:4] == ["id", "username", "team", "rule"]
    assert len(lines) == count
    assert any("fatima" in line and "hours_over" in line for line in lines)


def test_alerts_filters_on_status_and_team(db: Engine, capsys: pytest.CaptureFixture[str], evaluate: Evaluate) -> None:
    evaluate("2026-03-02T20:00")

    code, out, _err = run(capsys, "alerts", "--status", "resolved", "--format", "json")
    assert code == 0 and json.loads(out) == []

    code, _out, err = run(capsys, "alerts", "--team", "Nergens")
    assert code == 1
    assert "There is no team called 'Nergens'" in err


def test_alerts_shows_the_leaders_note(db: Engine, capsys: pytest.CaptureFixture[str], evaluate: Evaluate) -> None:
    evaluate("2026-03-02T20:00")
    (hours,) = [alert for alert in alerts_in(db) if alert.rule == "hours_over"]
    leader = auth.actor_for_person(db, _leader_id(db))
    assert leader is not None
    actions.acknowledge(db, leader, hours.id, "=spoken with Fatima; case to the social worker")

    code, out, _err = run(capsys, "alerts", "--status", "acknowledged", "--format", "csv")

    assert code == 0
    (record,) = list(csv.DictReader(io.StringIO(out)))
    assert record["note"] == "'=spoken with Fatima; case to the social worker", "a spreadsheet must not run it"


def _leader_id(engine: Engine) -> int:
    person_id = people.person_id_by_username(engine, "lotte")
    assert person_id is not None
    return person_id
