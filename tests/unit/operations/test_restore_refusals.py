"""A restore proves the copy before it becomes the database: an edited, forged, truncated, bit-flipped or
manifest-less copy, or one that is not a database, is refused in one line (exit 1 on the command line) and the target
stays as it was, on SQLite and PostgreSQL; --force restores it anyway and says what differs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from db.engine import engine_for, make_engine
from monitor import cli, config
from monitor.config import Settings
from monitor.operations import backup
from tests.unit.operations.test_backup import fill, in_folder

# The ways a copy goes wrong: what each does to the copy on SQLite (statements from a plain connection, or bytes).
EDITED = ["UPDATE help_requests SET minutes = minutes + 5"]
# The forgery: amounts moved between payments so that the count and the total stay the same.
FORGED = [
    "UPDATE payments SET amount_cents = amount_cents - 234 WHERE amount_cents = 20000",
    "UPDATE payments SET amount_cents = amount_cents + 234 WHERE amount_cents = 1234",
]


def sqlite_edit(copy: Path, statements: list[str]) -> None:
    db = sqlite3.connect(copy)
    with db:
        if any("payments" in statement for statement in statements):
            db.execute("DROP TRIGGER payments_no_update")  # whoever edits a copy can drop its triggers
        for statement in statements:
            db.execute(statement)
    db.close()


def pg_edit(engine: Engine, copy: Path, statements: list[str]) -> None:
    """Restore the dump into a scratch database, change it there, and dump it over the copy (the manifest stays)."""
    scratch = f"{engine.url.database}_scratch"
    server = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch}"))
        connection.execute(text(f"CREATE DATABASE {scratch}"))
    url = engine.url.set(database=scratch)
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", libpq, str(copy)], check=True, capture_output=True)
        edited = create_engine(url)
        with edited.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # the owner's way past triggers
            for statement in statements:
                connection.execute(text(statement))
        edited.dispose()
        copy.unlink()
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(copy), libpq], check=True, capture_output=True)
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
        server.dispose()


def truncate(copy: Path) -> None:
    with copy.open("r+b") as file:
        file.truncate(copy.stat().st_size // 2)


def flip(copy: Path) -> None:
    """One bit of the ledger's data: in a reference's text on SQLite, in the compressed table data of a dump."""
    data = bytearray(copy.read_bytes())
    at = data.find(b"bank 2026-05") + 1 if copy.suffix == ".db" else len(data) - 100
    data[at] ^= 0x01
    copy.write_bytes(bytes(data))


def not_a_database(copy: Path) -> None:
    copy.write_bytes(b"this is a shopping list, not a database\n" * 100)


def no_manifest(copy: Path) -> None:
    copy.with_name(copy.name + ".json").unlink()


@pytest.fixture
def copy_and_target(
    engine: Engine, settings: Settings, tmp_path: Path
) -> Iterator[tuple[Path, Engine, Callable[[], bool]]]:
    """A backup of a filled database, an empty database to restore into, and a test that it is still empty."""
    if engine.dialect.name == "postgresql" and shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing: make test installs postgresql-client (scripts/ensure_pg_client.sh)")
    fill(engine, settings)
    suffix = ".db" if engine.dialect.name == "sqlite" else ".dump"
    made = backup.backup(in_folder(settings, tmp_path), engine, tmp_path / f"copy{suffix}")
    if engine.dialect.name == "sqlite":
        target = make_engine(f"sqlite:///{tmp_path}/restored.db")
    else:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        target = engine

    def untouched() -> bool:
        target.dispose()
        leftovers = list(tmp_path.glob("*.restoring*"))
        if target.dialect.name == "postgresql":
            with target.connect() as connection:
                leftovers += connection.execute(
                    text("SELECT datname FROM pg_database WHERE datname LIKE '%_restoring'")
                ).all()
        return not inspect(target).get_table_names() and not leftovers

    yield made, target, untouched
    if target is not engine:
        target.dispose()
    else:  # put the migrated schema back for the tests after this one
        from db.migrate import upgrade

        target.dispose()
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)


@pytest.mark.parametrize(
    ("damage", "refusal"),
    [
        ("edited", "rows differ in help_requests"),
        ("forged", "the ledger in the copy: payments #1 (2026-05-02, 197.66): no longer matches its hash"),
        ("truncated", "is damaged"),
        ("bit-flipped", ""),
        ("not-a-database", "is damaged or not a"),
        ("no-manifest", "there is no manifest beside it (copy"),
    ],
)
def test_a_damaged_or_changed_copy_is_refused_and_the_target_stays_as_it_was(
    engine: Engine,
    copy_and_target: tuple[Path, Engine, Callable[[], bool]],
    damage: str,
    refusal: str,
) -> None:
    made, target, untouched = copy_and_target
    sqlite = engine.dialect.name == "sqlite"
    if damage in ("edited", "forged"):
        statements = EDITED if damage == "edited" else FORGED
        sqlite_edit(made, statements) if sqlite else pg_edit(engine, made, statements)
    else:
        {"truncated": truncate, "bit-flipped": flip, "not-a-database": not_a_database, "no-manifest": no_manifest}[
            damage
        ](made)

    with pytest.raises(backup.BackupError) as refused:
        backup.restore(target, made)
    said = str(refused.value)
    print("REFUSAL", damage, said)
    assert "\n" not in said and refusal in said
    assert "nothing was restored" in said
    assert untouched()


def test_force_restores_a_changed_copy_and_says_what_differs(
    engine: Engine, copy_and_target: tuple[Path, Engine, Callable[[], bool]]
) -> None:
    made, target, untouched = copy_and_target
    sqlite_edit(made, EDITED) if engine.dialect.name == "sqlite" else pg_edit(engine, made, EDITED)
    restored = backup.restore(target, made, force=True)
    assert restored.differences == ["rows differ in help_requests"]
    with target.connect() as connection:
        assert connection.execute(text("SELECT minutes FROM help_requests")).scalars().all() == [30]
    assert not untouched()


def test_the_command_line_refuses_a_damaged_copy_in_one_line_and_exit_1(
    sqlite_engine: Engine,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(sqlite_engine, settings)
    made = backup.backup(in_folder(settings, tmp_path), sqlite_engine, tmp_path / "copy.db")
    flip(made)
    target = tmp_path / "new.db"
    config_file = tmp_path / "config.toml"
    config_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(config_file))
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{target}")
    config._cached.cache_clear()
    try:
        assert cli.main(["restore", str(made)]) == 1
        _out, err = capsys.readouterr()
        assert err.count("\n") == 1 and err.startswith(f"Error: {made} does not match what was backed up")
        assert "rows differ in payments" in err and "Traceback" not in err

        assert cli.main(["restore", "--force", str(made)]) == 0
        out, _err = capsys.readouterr()
        assert "restored with --force although it differs from what was backed up: rows differ in payments" in out
    finally:
        engine_for(f"sqlite:///{target}").dispose()
        config._cached.cache_clear()
    assert os.path.getsize(target) > 0
