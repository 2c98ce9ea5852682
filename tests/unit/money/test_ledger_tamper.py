"""The payments ledger and the emergency fund stay append-only against every way of rewriting a row: REPLACE, UPSERT,
UPDATE, DELETE and TRUNCATE, on SQLite (also from a plain sqlite3 connection, without our engine's pragmas) and on
PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from db.engine import unit_of_work
from tests.unit import factories

COLUMNS = {
    "payments": "id, person_id, team_id, kind, period, amount_cents, paid_on, reference, recorded_at, chain_hash",
    "fund_entries": "id, team_id, kind, amount_cents, on_date, recorded_at, chain_hash",
}
HASH = "a" * 64  # these tests are about the triggers; monitor ledger verify would name such a row


def values(table: str, team: factories.Team, cents: int) -> str:
    if table == "payments":
        return (
            f"1, {team.coproducer.person_id}, {team.id}, 'allowance', '2026-05-01', {cents}, '2026-05-02', 'bank', "
            f"'2026-05-02 10:00:00', '{HASH}'"
        )
    return f"1, {team.id}, 'topup', {cents}, '2026-05-02', '2026-05-02 10:00:00', '{HASH}'"


def attacks(table: str, team: factories.Team, dialect: str) -> dict[str, str]:
    replacing = values(table, team, 99999)
    found = {
        "upsert": f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({replacing}) "
        "ON CONFLICT (id) DO UPDATE SET amount_cents = 99999",
        "update": f"UPDATE {table} SET amount_cents = 99999",
        "delete": f"DELETE FROM {table}",
    }
    if dialect == "sqlite":
        found["replace"] = f"INSERT OR REPLACE INTO {table} ({COLUMNS[table]}) VALUES ({replacing})"
        found["replace-into"] = f"REPLACE INTO {table} ({COLUMNS[table]}) VALUES ({replacing})"
    else:
        found["truncate"] = f"TRUNCATE {table} CASCADE"
        found["truncate-restart"] = f"TRUNCATE {table} RESTART IDENTITY CASCADE"
    return found


def amounts(engine: Engine, table: str) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(text(f"SELECT amount_cents FROM {table}")).scalars())


@pytest.mark.parametrize("table", ["payments", "fund_entries"])
def test_no_statement_rewrites_a_ledger_row(engine: Engine, table: str) -> None:
    team = factories.team(engine)
    with unit_of_work(engine) as session:
        session.execute(text(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({values(table, team, 20000)})"))

    tried = attacks(table, team, engine.dialect.name)
    assert len(tried) == 5
    for name, statement in tried.items():
        with pytest.raises(DBAPIError, match="append-only"), unit_of_work(engine) as session:
            session.execute(text(statement))
        assert amounts(engine, table) == [20000], name


@pytest.mark.parametrize("table", ["payments", "fund_entries"])
def test_a_plain_sqlite_connection_cannot_replace_a_row_either(sqlite_engine: Engine, table: str) -> None:
    team = factories.team(sqlite_engine)
    with unit_of_work(sqlite_engine) as session:
        session.execute(text(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({values(table, team, 20000)})"))
    database = sqlite_engine.url.database
    assert database
    sqlite_engine.dispose()

    plain = sqlite3.connect(database)  # no recursive_triggers, no foreign keys: only the schema protects the rows
    try:
        tries: list[Callable[[], object]] = [
            lambda: plain.execute(
                f"INSERT OR REPLACE INTO {table} ({COLUMNS[table]}) VALUES ({values(table, team, 99999)})"
            ),
            lambda: plain.execute(f"UPDATE {table} SET amount_cents = 99999"),
            lambda: plain.execute(f"DELETE FROM {table}"),
        ]
        for attempt in tries:
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                attempt()
            plain.rollback()
        assert [row[0] for row in plain.execute(f"SELECT amount_cents FROM {table}")] == [20000]
    finally:
        plain.close()


def test_our_sqlite_engine_fires_delete_triggers_on_replace(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
