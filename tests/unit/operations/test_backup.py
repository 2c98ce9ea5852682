"""monitor.operations.backup and `monitor backup` / `monitor restore`: a copy made while the database runs restores
into an empty database with the same rows and the same ledger totals, on SQLite and PostgreSQL; the nightly job keeps
the newest N copies; a database that is away gives one line and exit code 3."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from db import ledger_chain
from db.engine import make_engine, unit_of_work
from db.models import FundEntry, Payment
from monitor import cli, config
from monitor.config import Settings
from monitor.operations import backup
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit import factories

AMS = ZoneInfo("Europe/Amsterdam")
LOGGED = datetime(2026, 5, 2, 12, tzinfo=UTC)


def fill(engine: Engine, settings: Settings) -> None:
    """A team, one request and a small ledger: three payments (one reversed) and a fund top-up."""
    team = factories.team(engine)
    request = RequestInput(25, "street", ("money",), received_at=datetime(2026, 5, 2, 10, tzinfo=UTC))
    requests.log_request(engine, settings, team.coproducer, team.coproducer.person_id, request, now=LOGGED)
    with unit_of_work(engine) as session:
        for cents in (20000, 1234, -1234):
            ledger_chain.append(
                session,
                Payment(
                    person_id=team.coproducer.person_id,
                    team_id=team.id,
                    kind="allowance",
                    period=date(2026, 5, 1),
                    amount_cents=cents,
                    paid_on=date(2026, 5, 2),
                    reference="bank 2026-05",
                ),
            )
        ledger_chain.append(
            session, FundEntry(team_id=team.id, kind="topup", amount_cents=5000, on_date=date(2026, 5, 2))
        )


def in_folder(settings: Settings, folder: Path, keep: int = 14) -> Settings:
    return dataclasses.replace(settings, backup=dataclasses.replace(settings.backup, directory=str(folder), keep=keep))


def test_backup_then_restore_gives_the_same_rows_and_ledger_totals(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    if engine.dialect.name == "postgresql" and shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing: make test installs postgresql-client (scripts/ensure_pg_client.sh)")
    fill(engine, settings)
    before = backup.manifest_of(engine)
    made = backup.backup(in_folder(settings, tmp_path), engine, tmp_path / "copy.bin")
    assert made.is_file() and (tmp_path / "copy.bin.json").is_file()

    if engine.dialect.name == "sqlite":
        target = make_engine(f"sqlite:///{tmp_path}/restored.db")
    else:  # our one PostgreSQL test database, emptied: the restore must start from nothing
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        target = engine
    after = backup.restore(target, made).found

    assert after == before
    assert after.ledger == {"payments": 20000, "fund_entries": 5000}
    assert after.counts["payments"] == 3 and after.counts["people"] > 0
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(target, made)
    if target is not engine:
        target.dispose()


def test_a_restore_that_does_not_match_its_manifest_is_refused(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    fill(sqlite_engine, settings)
    made = backup.backup(in_folder(settings, tmp_path), sqlite_engine, tmp_path / "copy.db")
    manifest = tmp_path / "copy.db.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("20000", "99999"), encoding="utf-8")

    with pytest.raises(backup.BackupError, match="ledger totals differ"):
        backup.restore(make_engine(f"sqlite:///{tmp_path}/restored.db"), made)


def test_the_nightly_job_makes_one_copy_a_night_and_keeps_the_newest(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    cfg = in_folder(settings, tmp_path / "backups", keep=2)
    assert cfg.backup.hour == 3
    assert backup.nightly(cfg, sqlite_engine, datetime(2026, 3, 1, 2, 59, tzinfo=AMS)) is None  # before the hour
    made = [backup.nightly(cfg, sqlite_engine, datetime(2026, 3, day, 3, 0, tzinfo=AMS)) for day in (1, 2, 3)]
    assert backup.nightly(cfg, sqlite_engine, datetime(2026, 3, 3, 4, 0, tzinfo=AMS)) is None  # one a night

    assert all(made)
    left = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert left == [
        "monitor-20260302-030000.db",
        "monitor-20260302-030000.db.json",
        "monitor-20260303-030000.db",
        "monitor-20260303-030000.db.json",
    ]


def test_without_pg_dump_the_message_says_how(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(backup.BackupError, match="apt-get install postgresql-client"):
        backup._tool("pg_dump")


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def point(url: str) -> None:
        config_file = tmp_path / "config.toml"
        config_file.write_text(f'[backup]\ndirectory = "{tmp_path}/backups"\n', encoding="utf-8")
        monkeypatch.setenv("MONITOR_CONFIG", str(config_file))
        monkeypatch.setenv("MONITOR_DATABASE_URL", url)
        config._cached.cache_clear()

    yield point
    config._cached.cache_clear()


def test_monitor_backup_and_restore_on_the_command_line(
    sqlite_engine: Engine,
    settings: Settings,
    tmp_path: Path,
    cli_env,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    fill(sqlite_engine, settings)
    cli_env(str(sqlite_engine.url))
    assert cli.main(["backup"]) == 0
    (made,) = (tmp_path / "backups").glob("monitor-*.db")
    assert f"Backup written to {made}" in capsys.readouterr().out

    cli_env(f"sqlite:///{tmp_path}/new.db")
    assert cli.main(["restore", str(made)]) == 0
    out = capsys.readouterr().out
    assert "payments total 20000 cents, emergency fund total 5000 cents" in out
    assert "every table, checksum and the ledger's chains as in the copy" in out
    assert cli.main(["restore", str(made)]) == 1
    assert "not empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command", [["evaluate"], ["alerts"], ["export-requests"], ["user", "list"], ["backup"], ["migrate"]]
)
def test_every_command_says_in_one_line_that_the_database_is_away_and_exits_3(
    cli_env,
    capsys: pytest.CaptureFixture[str],
    command: list[str],  # type: ignore[no-untyped-def]
) -> None:
    cli_env("postgresql+psycopg://monitor:secret@127.0.0.1:1/monitor")
    assert cli.main(command) == 3
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("cannot reach the database at 127.0.0.1:1: ")
    assert "refused" in err.lower() and "secret" not in err
