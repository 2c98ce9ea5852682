"""db.bulk.insert_rows: the same rows inserted, skipped and returned on SQLite as on PostgreSQL (there through
json_to_recordset), in one statement per batch."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import StatementError

from db.bulk import insert_rows
from db.models import Alert, AlertEvent
from tests.unit.factories import team

AT = datetime(2026, 11, 20, 20, 0, tzinfo=timezone(timedelta(hours=1)))  # 19:00 UTC
ALERTS = Alert.__table__
KEY = ("rule", "person_id", "window_start")


def alert_row(person_id: int, team_id: int, rule: str, value: float, **more: object) -> dict[str, object]:
    return {
        "rule": rule,
        "person_id": person_id,
        "team_id": team_id,
        "window_start": date(2026, 11, 16),
        "severity": "warning",
        "status": "open",
        "value": value,
        "threshold": 8,  # an int in a float column, beside floats
        "detail": json.dumps({"name": 'Fatima "Fa" Öztürk', "path": "a\\b"}),
        "first_seen_at": AT,
        "last_seen_at": AT,
        "opened_at": None,
        "times_opened": 1,
        **more,
    }


def test_it_inserts_the_rows_and_returns_what_it_inserted(engine: Engine) -> None:
    t = team(engine)
    who = t.coproducer.person_id
    rows = [alert_row(who, t.id, "night", 2), alert_row(who, t.id, "hours_over", 9.5, opened_at=AT)]
    statements: list[tuple[str, bool]] = []

    def executed(_connection, _cursor, statement, _parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, executemany))

    event.listen(engine, "before_cursor_execute", executed)
    try:
        with engine.begin() as connection:
            returned = insert_rows(connection, ALERTS, rows, conflict=KEY, returning=("id", "rule"))
    finally:
        event.remove(engine, "before_cursor_execute", executed)

    assert len(statements) == 1  # one statement for the batch
    if engine.dialect.name == "postgresql":  # one execution, not psycopg's executemany (a row at a time)
        assert statements[0][1] is False
    with engine.connect() as connection:
        stored = {row.rule: row for row in connection.execute(select(ALERTS)).all()}
    assert sorted(rule for _id, rule in returned) == ["hours_over", "night"]
    assert {rule: stored[rule].id for rule in stored} == {rule: alert_id for alert_id, rule in returned}
    night, hours = stored["night"], stored["hours_over"]
    assert (night.value, night.threshold, hours.value) == (2.0, 8.0, 9.5)
    assert json.loads(night.detail) == {"name": 'Fatima "Fa" Öztürk', "path": "a\\b"}
    assert night.window_start == date(2026, 11, 16)
    assert night.first_seen_at == datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # stored in UTC, read back aware
    assert night.opened_at is None and hours.opened_at == night.first_seen_at


def test_it_skips_rows_whose_key_exists_and_repeats_within_the_batch(engine: Engine) -> None:
    t = team(engine)
    who = t.coproducer.person_id
    with engine.begin() as connection:
        insert_rows(connection, ALERTS, [alert_row(who, t.id, "night", 2)], conflict=KEY)
    rows = [alert_row(who, t.id, "night", 3), alert_row(who, t.id, "no_rest_day", 7), alert_row(who, t.id, "night", 4)]

    with engine.begin() as connection:
        returned = insert_rows(connection, ALERTS, rows, conflict=KEY, returning=("rule",))

    assert [rule for (rule,) in returned] == ["no_rest_day"]
    with engine.connect() as connection:
        values = dict(connection.execute(select(ALERTS.c.rule, ALERTS.c.value)).all())
    assert values == {"night": 2.0, "no_rest_day": 7.0}  # the first night kept


def test_infinite_values_and_nothing_to_insert(engine: Engine) -> None:
    t = team(engine)
    who = t.coproducer.person_id
    rows = [alert_row(who, t.id, "night", math.inf), alert_row(who, t.id, "hours_over", -math.inf)]

    with engine.begin() as connection:
        assert insert_rows(connection, ALERTS, rows) == []  # without returning
        assert insert_rows(connection, ALERTS, [], returning=("id",)) == []

    with engine.connect() as connection:
        values = dict(connection.execute(select(ALERTS.c.rule, ALERTS.c.value)).all())
    assert values == {"night": math.inf, "hours_over": -math.inf}


def test_it_refuses_naive_times_and_rows_without_the_columns_that_have_defaults(engine: Engine) -> None:
    t = team(engine)
    who = t.coproducer.person_id
    with engine.begin() as connection:
        alert_id = insert_rows(connection, ALERTS, [alert_row(who, t.id, "night", 2)], returning=("id",))[0].id
    event_row = {"alert_id": alert_id, "at": AT.replace(tzinfo=None), "action": "opened", "actor_id": None, "note": ""}

    with pytest.raises((ValueError, StatementError), match="naive"), engine.begin() as connection:
        insert_rows(connection, AlertEvent.__table__, [event_row])
    without_at = {name: value for name, value in event_row.items() if name != "at"}
    with pytest.raises(ValueError, match="defaults: at"), engine.begin() as connection:
        insert_rows(connection, AlertEvent.__table__, [without_at])
