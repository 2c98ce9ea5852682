"""Backups and restore: a consistent online copy of the database, and a checked restore into an empty one.

SQLite: the sqlite3 backup API copies the file page by page while the app keeps running (readers and writers wait
at most a moment). PostgreSQL: pg_dump -Fc (custom format), restored with pg_restore; both must be installed
(Debian: apt-get install postgresql-client). Next to each copy a manifest (<copy>.json) records the migration heads,
the row count of every table and the ledger totals, so that a restore can prove it brought back the same data.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.engine import create_engine, make_url

from db.migrate import alembic_config
from db.models import Base, FundEntry, Payment
from monitor.config import Settings

PREFIX = "monitor-"


class BackupError(Exception):
    """A backup or restore that cannot be made or does not check out; the message says what to do."""


@dataclass(frozen=True)
class Manifest:
    heads: list[str]
    counts: dict[str, int]
    ledger: dict[str, int]  # sum of amount_cents of payments and of fund_entries

    def to_json(self) -> str:
        return json.dumps({"heads": self.heads, "counts": self.counts, "ledger": self.ledger}, indent=1)


def manifest_of(engine: Engine) -> Manifest:
    """What a database holds: migration heads, rows per table, ledger totals."""
    with engine.connect() as connection:
        return _manifest(connection)


def _manifest(connection: Connection) -> Manifest:
    heads = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    counts = {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in Base.metadata.sorted_tables
    }
    ledger = {
        "payments": int(connection.execute(select(func.coalesce(func.sum(Payment.amount_cents), 0))).scalar_one()),
        "fund_entries": int(
            connection.execute(select(func.coalesce(func.sum(FundEntry.amount_cents), 0))).scalar_one()
        ),
    }
    return Manifest(heads, counts, ledger)


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore read it (postgresql://...)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed. Install the PostgreSQL client (Debian: apt-get install postgresql-client) "
            f"or run it yourself: {name} {'-Fc -f FILE' if name == 'pg_dump' else '-d DATABASE FILE'} (see the README)."
        )
    return found


def default_path(settings: Settings, now: datetime | None = None) -> Path:
    now = (now or datetime.now(UTC)).astimezone(settings.tz)
    suffix = ".db" if make_url(settings.database_url).get_backend_name() == "sqlite" else ".dump"
    return Path(settings.backup.directory) / f"{PREFIX}{now:%Y%m%d-%H%M%S}{suffix}"


def backup(settings: Settings, engine: Engine, path: Path | None = None) -> Path:
    """Copy the database to path (default: a timestamped file in [backup] directory) with its manifest."""
    path = Path(path) if path is not None else default_path(settings)
    if path.exists():
        raise BackupError(f"{path} exists already; choose another name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            raise BackupError("only a SQLite database in a file can be backed up")
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")  # an unreachable database fails here, as the others do
        source = sqlite3.connect(database)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # one consistent snapshot, taken while the app keeps running
            target.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file, no -wal beside it
        finally:
            target.close()
            source.close()
        copy = create_engine(f"sqlite:///file:{partial}?immutable=1&uri=true")
        try:
            manifest = manifest_of(copy)  # counted in the copy itself, so it matches it exactly
        finally:
            copy.dispose()
    else:
        tool = _tool("pg_dump")
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            # pg_dump reads the same snapshot as the manifest's counts, so both describe one moment.
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            manifest = _manifest(connection)
            url = _libpq_url(engine.url.render_as_string(hide_password=False))
            command = [tool, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(partial), url]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            why = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
            raise BackupError(f"pg_dump failed: {why}")
    partial.replace(path)
    path.with_name(path.name + ".json").write_text(manifest.to_json(), encoding="utf-8")
    return path


def _is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def restore(engine: Engine, path: Path) -> Manifest:
    """Restore the copy at path into the empty database of engine, then check it against the copy's manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if not _is_empty(engine):
        raise BackupError("the database to restore into is not empty; restore only into a new, empty database.")
    manifest_file = path.with_name(path.name + ".json")
    expected = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else None
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            raise BackupError("restore into a SQLite database in a file")
        engine.dispose()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(database)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        command = [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "-d",
            _libpq_url(engine.url.render_as_string(hide_password=False)),
            str(path),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
    engine.dispose()
    return check(engine, expected)


def check(engine: Engine, expected: dict[str, object] | None) -> Manifest:
    """The restored database is at the newest migration and holds what the manifest says."""
    from alembic.script import ScriptDirectory

    found = manifest_of(engine)
    heads = sorted(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    if found.heads != heads:
        raise BackupError(
            f"the copy is at migration {', '.join(found.heads)}, this program at {', '.join(heads)}: "
            "run `monitor migrate` after restoring, with the program version that made the copy at hand"
        )
    if expected is not None:
        if found.counts != expected["counts"]:
            differ = sorted(k for k in found.counts if found.counts[k] != expected["counts"].get(k))  # type: ignore[attr-defined]
            raise BackupError(f"row counts differ from the copy's manifest in: {', '.join(differ)}")
        if found.ledger != expected["ledger"]:
            raise BackupError(f"ledger totals differ from the copy's manifest: {found.ledger} != {expected['ledger']}")
    return found


def prune(settings: Settings) -> list[Path]:
    """Remove all but the newest [backup] keep copies made by the nightly job; returns what was removed."""
    folder = Path(settings.backup.directory)
    copies = sorted(p for p in folder.glob(f"{PREFIX}*") if p.suffix in (".db", ".dump"))
    removed = copies[: max(len(copies) - settings.backup.keep, 0)]
    for old in removed:
        old.unlink(missing_ok=True)
        old.with_name(old.name + ".json").unlink(missing_ok=True)
    return removed


def nightly(settings: Settings, engine: Engine, now: datetime | None = None) -> Path | None:
    """The scheduled job: once a night, from [backup] hour, a copy in [backup] directory; then keep the newest N."""
    if not settings.backup.enabled:
        return None
    local = (now or datetime.now(UTC)).astimezone(settings.tz)
    if local.hour < settings.backup.hour:
        return None
    folder = Path(settings.backup.directory)
    if any(folder.glob(f"{PREFIX}{local:%Y%m%d}-*")):
        return None  # tonight's copy exists
    made = backup(settings, engine, default_path(settings, local))
    prune(settings)
    return made
