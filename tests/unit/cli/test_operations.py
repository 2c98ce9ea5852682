"""`monitor migrate` against a SQLite file, and a configuration the command cannot use."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from db.migrate import is_current
from tests.unit.cli.helpers import run

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- migrate -------------------------------------------------------------------------------------------


def test_migrate_creates_the_schema_in_an_empty_file(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    assert "people" not in inspect(db).get_table_names()

    code, out, _err = run(capsys, "migrate")

    assert code == 0
    assert "up to date" in out
    assert is_current(db)
    assert {"people", "teams", "memberships", "auth_sessions"} <= set(inspect(db).get_table_names())


def test_migrate_twice_changes_nothing_the_second_time(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    assert run(capsys, "migrate")[0] == 0

    code, _out, _err = run(capsys, "migrate")

    assert code == 0
    assert is_current(db)


def test_a_wrong_database_url_stops_with_a_configuration_message(
    capsys: pytest.CaptureFixture[str], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_DATABASE_URL", "data/monitor.db")

    code, _out, err = run(capsys, "migrate")

    assert code == 2
    assert "The configuration cannot be used" in err
    assert "database.url must be a database URL" in err
