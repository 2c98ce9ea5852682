"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from db.migrate import downgrade, upgrade
from db.models import Base
from monitor.config import Settings
from monitor.demo import load as demo
from tests.conftest import TEST_NOTES_KEY


def test_the_migrations_and_the_models_do_not_differ(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations differ; write a migration: {differences}"


def test_every_query_window_of_the_request_pages_has_an_index(engine: Engine) -> None:
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("help_requests")}
    assert indexes["ix_help_requests_person_date_cover"][:2] == ["person_id", "local_date"]
    assert indexes["ix_help_requests_team_date"] == ["team_id", "local_date"]


TABLES = ("people", "memberships", "help_requests", "request_topics", "request_changes", "demarcations")


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES}  # noqa: S608 - our table names


def test_going_back_and_forth_through_the_migrations_loses_no_row(engine: Engine, settings: Settings) -> None:
    """On SQLite a batch migration copies a table and drops the old one; with foreign keys on, that drop deleted every
    row referring to it (taking 0011 back emptied memberships). db.migrate turns them off while it runs."""
    demo.load_demo(engine)
    assert demo.load_demo_requests(engine, settings, now=datetime(2026, 11, 18, 20, tzinfo=UTC)) > 20
    before = _counts(engine)
    for revision in ("0013", "0010", "0008", "0006"):
        downgrade(engine, revision, keys=[TEST_NOTES_KEY])
        assert _counts(engine) == before, revision
    upgrade(engine, keys=[TEST_NOTES_KEY])
    assert _counts(engine) == before
    if engine.dialect.name == "sqlite":  # and the pool's connections check references again
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
