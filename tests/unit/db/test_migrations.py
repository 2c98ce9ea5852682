"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from db.models import Base


def test_the_migrations_and_the_models_do_not_differ(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations differ; write a migration: {differences}"


def test_every_query_window_of_the_request_pages_has_an_index(engine: Engine) -> None:
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("help_requests")}
    assert indexes["ix_help_requests_person_date_cover"][:2] == ["person_id", "local_date"]
    assert indexes["ix_help_requests_team_date"] == ["team_id", "local_date"]
