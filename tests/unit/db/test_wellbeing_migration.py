"""Migration 0012 encrypts the WHO-5 answers a database already holds (SQLite and PostgreSQL), refuses without a key
and changes nothing then, and its downgrade gives the plain rows back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, inspect, text

from db.engine import engine_for
from db.migrate import KeysNeeded, downgrade, is_current, upgrade
from monitor import cli, config
from monitor.checkins import crypto as notes_crypto
from monitor.checkins import wellbeing
from tests.unit.checkin_helpers import KEY_A, KEY_B

PLAIN = [(1, 3, 3, 2, 3, 2, 52), (2, 5, 5, 5, 5, 5, 100), (3, 0, 0, 0, 0, 0, 0)]
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def insert_plain(connection: Connection) -> None:
    """Fatima and her three WHO-5 rows as version 0011 stored them: items and score in plain columns."""
    connection.execute(
        text(
            "INSERT INTO people (id, username, display_name, language, active, created_at)"
            " VALUES (1, 'fatima', 'Fatima', 'nl', true, :at)"
        ),
        {"at": AT},
    )
    for row_id, *items, score in PLAIN:
        connection.execute(
            text(
                "INSERT INTO wellbeing_answers"
                " (id, person_id, answered_at, item1, item2, item3, item4, item5, score)"
                " VALUES (:id, 1, :at, :i1, :i2, :i3, :i4, :i5, :score)"
            ),
            {"id": row_id, "at": AT, "score": score, **{f"i{n}": v for n, v in enumerate(items, start=1)}},
        )


@pytest.fixture
def before_0012(engine: Engine) -> Iterator[Engine]:
    """The database at 0011 with three plain WHO-5 rows, as an installation had them; at head again afterwards."""
    downgrade(engine, "0011")
    with engine.begin() as connection:
        insert_plain(connection)
    yield engine
    upgrade(engine, keys=[KEY_A, KEY_B])


def columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("wellbeing_answers")}


def test_the_migration_encrypts_the_plain_rows_with_the_newest_key(before_0012: Engine) -> None:
    upgrade(before_0012, keys=[KEY_B, KEY_A])

    assert columns(before_0012) == {"id", "person_id", "answered_at", "ciphertext"}
    with before_0012.connect() as connection:
        rows = connection.execute(text("SELECT id, ciphertext FROM wellbeing_answers ORDER BY id")).all()
    assert [row_id for row_id, _token in rows] == [1, 2, 3]
    assert all(token.startswith("gAAAAA") for _id, token in rows)
    opened = [wellbeing.unseal(token, [KEY_B]) for _id, token in rows]  # the newest key alone opens them
    assert [(answers.items, answers.score) for answers in opened] == [(tuple(r[1:6]), r[6]) for r in PLAIN]


def test_without_a_key_the_migration_refuses_and_changes_nothing(before_0012: Engine) -> None:
    with pytest.raises(KeysNeeded, match="MONITOR_NOTES_KEYS"):
        upgrade(before_0012, keys=[])

    assert {"item1", "score"} <= columns(before_0012) and "ciphertext" not in columns(before_0012)
    with before_0012.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0011"
        assert connection.execute(text("SELECT score FROM wellbeing_answers ORDER BY id")).scalars().all() == [
            52,
            100,
            0,
        ]


def test_the_downgrade_gives_the_plain_rows_back(before_0012: Engine) -> None:
    upgrade(before_0012, keys=[KEY_A])
    downgrade(before_0012, "0011", keys=[KEY_A])

    with before_0012.connect() as connection:
        rows = connection.execute(
            text("SELECT id, item1, item2, item3, item4, item5, score FROM wellbeing_answers ORDER BY id")
        ).all()
    assert [tuple(row) for row in rows] == PLAIN


def test_monitor_migrate_passes_the_configured_keys_and_says_when_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("MONITOR_DATABASE_URL", url)
    config._cached.cache_clear()
    engine = engine_for(url)
    try:
        upgrade(engine, "0011")
        with engine.begin() as connection:
            insert_plain(connection)

        monkeypatch.setattr(notes_crypto, "configured_keys", lambda: [])
        assert cli.main(["migrate"]) == 1
        assert "MONITOR_NOTES_KEYS" in capsys.readouterr().err
        assert not is_current(engine)

        monkeypatch.setattr(notes_crypto, "configured_keys", lambda: [KEY_A])
        assert cli.main(["migrate"]) == 0
        assert is_current(engine)
        with engine.connect() as connection:
            tokens = connection.execute(text("SELECT ciphertext FROM wellbeing_answers ORDER BY id")).scalars().all()
        assert [wellbeing.unseal(token, [KEY_A]).score for token in tokens] == [52, 100, 0]
    finally:
        engine.dispose()
        config._cached.cache_clear()
