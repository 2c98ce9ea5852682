"""db.direct: statements on SQLite's own connection store and read exactly what SQLAlchemy would, in the writers'
turn, and a failure leaves the database as it was."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError, OperationalError
from time_machine import TimeMachineFixture

from db.direct import Direct
from db.engine import driver_reading, driver_writing, reading, unit_of_work
from db.models import DemarcationVersion, Person, Team
from tests.unit.db.turns import held_by_another_process

WAIT = 10.0


def _raw_rows(engine: Engine, sql: str) -> list[tuple]:
    """What the file holds, as SQLite's own connection reads it (no SQLAlchemy conversions)."""
    connection = sqlite3.connect(str(engine.url.database))
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_a_direct_insert_stores_the_same_values_as_sqlalchemy(sqlite_engine: Engine) -> None:
    # A whole second (no microseconds) and another time zone: the cases where the driver's own conversion would
    # differ from SQLAlchemy's ('2026-11-25 13:00:00' against '2026-11-25 13:00:00.000000').
    whole_second = datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=1)))
    fraction = datetime(2026, 11, 25, 13, 0, 0, 250, tzinfo=UTC)
    rows = [
        {"username": "fatima", "display_name": "Fatima", "language": "nl", "created_at": whole_second},
        {"username": "henk", "display_name": "Henk", "language": "en", "created_at": fraction},
    ]
    with unit_of_work(sqlite_engine) as session:
        session.connection().execute(insert(Person), rows[:1])
    statement = Direct(insert(Person), sqlite_engine.dialect, ("username", "display_name", "language", "created_at"))
    with driver_writing(sqlite_engine) as cursor:
        statement.run_many(cursor, [dict(rows[0], username="fatima2"), rows[1]])

    stored = _raw_rows(sqlite_engine, "SELECT username, display_name, language, created_at FROM people ORDER BY id")
    assert stored[1][1:] == stored[0][1:]  # the same values, byte for byte, whoever wrote them
    assert stored[0][3] == "2026-11-25 13:00:00.000000" and stored[2][3] == "2026-11-25 13:00:00.000250"
    with reading(sqlite_engine) as session:
        assert session.scalars(select(Person.created_at).order_by(Person.id)).all() == [
            whole_second,
            whole_second,
            fraction,
        ]


def test_a_direct_insert_returns_what_it_asked_for_and_a_select_reads_values_as_sqlalchemy_does(
    sqlite_engine: Engine,
) -> None:
    with unit_of_work(sqlite_engine) as session:
        session.add(Person(username="fatima", display_name="Fatima"))
    team = Direct(insert(Team).returning(Team.id, Team.name), sqlite_engine.dialect, ("name",))
    version = Direct(
        insert(DemarcationVersion),
        sqlite_engine.dialect,
        ("person_id", "valid_from", "hours_per_week", "max_outside_requests_per_week", "max_night_requests_per_week")
        + ("topics", "availability", "created_at"),
    )
    created = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    with driver_writing(sqlite_engine) as cursor:
        [returned] = team.rows(cursor, {"name": "Moerwijk"})
        version.run_many(
            cursor,
            [
                {
                    "person_id": 1,
                    "valid_from": date(2026, 11, 19),
                    "hours_per_week": 6.5,
                    "max_outside_requests_per_week": 3,
                    "max_night_requests_per_week": 1,
                    "topics": "money",
                    "availability": "{}",
                    "created_at": created,
                }
            ],
        )
    assert (returned.id, returned.name) == (1, "Moerwijk")

    read = Direct(
        select(DemarcationVersion.valid_from, DemarcationVersion.created_at, DemarcationVersion.hours_per_week).where(
            DemarcationVersion.person_id == bindparam("person")
        ),
        sqlite_engine.dialect,
    )
    [row] = driver_reading(sqlite_engine, lambda cursor: read.rows(cursor, {"person": 1}))
    assert (row.valid_from, row.created_at, row.hours_per_week) == (date(2026, 11, 19), created, 6.5)
    assert row.created_at.tzinfo is UTC  # aware, as UTCDateTime gives it back through SQLAlchemy
    with reading(sqlite_engine) as session:
        assert session.execute(select(DemarcationVersion.valid_from, DemarcationVersion.created_at)).one() == (
            row.valid_from,
            row.created_at,
        )


def test_a_value_written_into_the_statement_is_used_unless_the_caller_gives_one(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        session.add_all([Team(name="Moerwijk"), Team(name="Transvaal")])
    named = Direct(select(Team.id).where(Team.name == "Moerwijk"), sqlite_engine.dialect)
    assert [row.id for row in driver_reading(sqlite_engine, lambda cursor: named.rows(cursor, {}))] == [1]
    with pytest.raises(KeyError):  # a parameter without a value must be given
        Direct(select(Team.id).where(Team.name == bindparam("name")), sqlite_engine.dialect).parameters({})


def test_a_failed_direct_write_rolls_back_and_raises_sqlalchemys_error(sqlite_engine: Engine) -> None:
    team = Direct(insert(Team), sqlite_engine.dialect, ("name",))
    with pytest.raises(IntegrityError), driver_writing(sqlite_engine) as cursor:
        team.run_many(cursor, [{"name": "Moerwijk"}])
        team.run_many(cursor, [{"name": None}])  # NOT NULL
    with pytest.raises(RuntimeError), driver_writing(sqlite_engine) as cursor:
        team.run_many(cursor, [{"name": "Transvaal"}])
        raise RuntimeError("boom")
    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 0
    with driver_writing(sqlite_engine) as cursor:  # the pooled connection is usable again
        team.run_many(cursor, [{"name": "Moerwijk"}])
    with reading(sqlite_engine) as session:
        assert session.scalars(select(Team.name)).all() == ["Moerwijk"]


def test_a_direct_write_waits_for_the_apps_turn_and_holds_sqlites_write_lock(sqlite_engine: Engine) -> None:
    released = held_by_another_process(sqlite_engine)
    team = Direct(insert(Team), sqlite_engine.dialect, ("name",))
    with driver_writing(sqlite_engine) as cursor:
        assert released.is_set()  # it waited for the other process's turn
        team.run_many(cursor, [{"name": "Moerwijk"}])
        intruder = sqlite3.connect(str(sqlite_engine.url.database), timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            intruder.execute("BEGIN IMMEDIATE")  # SQLite's write lock is held from the start
        intruder.close()
    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 1


def test_the_databases_refusal_reaches_the_caller_as_sqlalchemys_operational_error(sqlite_engine: Engine) -> None:
    broken = Direct(select(Team.id).where(Team.name == "x"), sqlite_engine.dialect)
    broken.sql = broken.sql.replace("teams", "no_such_table")
    with pytest.raises(OperationalError, match="no such table"):
        driver_reading(sqlite_engine, lambda cursor: broken.rows(cursor, {}))


def test_direct_statements_are_for_sqlite_alone() -> None:
    with pytest.raises(ValueError, match="SQLite"):
        Direct(select(Team.id), postgresql.psycopg.dialect())


def test_a_reader_does_not_wait_for_a_direct_write_and_sees_its_rows_once_committed(sqlite_engine: Engine) -> None:
    team = Direct(insert(Team), sqlite_engine.dialect, ("name",))
    with driver_writing(sqlite_engine) as cursor:
        team.run_many(cursor, [{"name": "Moerwijk"}])
        with reading(sqlite_engine) as session:  # the uncommitted row is not seen, and the read does not wait
            assert session.scalar(select(func.count()).select_from(Team)) == 0
    assert driver_reading(sqlite_engine, lambda cursor: cursor.execute("SELECT name FROM teams").fetchall()) == [
        ("Moerwijk",)
    ]


def test_a_column_default_in_python_is_computed_when_the_caller_gives_no_value(
    sqlite_engine: Engine, time_machine: TimeMachineFixture
) -> None:
    at = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    time_machine.move_to(at, tick=False)
    with driver_writing(sqlite_engine) as cursor:  # Team.created_at defaults to utcnow, Person.active to True
        Direct(insert(Team), sqlite_engine.dialect, ("name",)).run_many(cursor, [{"name": "Moerwijk"}])
        Direct(insert(Person), sqlite_engine.dialect, ("username", "display_name")).run_many(
            cursor, [{"username": "fatima", "display_name": "Fatima"}]
        )
    with reading(sqlite_engine) as session:
        assert session.scalar(select(Team.created_at)) == at
        assert session.execute(select(Person.active, Person.language, Person.created_at)).one() == (True, "nl", at)
