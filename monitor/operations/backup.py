"""Backups and restore: a consistent online copy of the database, and a restore that proves itself.

SQLite: the sqlite3 backup API copies the file page by page while the app keeps running (readers and writers wait
at most a moment). PostgreSQL: pg_dump -Fc (custom format), restored with pg_restore; both must be installed
(Debian: apt-get install postgresql-client). Next to each copy a manifest (<copy>.json, monitor/operations/manifest.py)
records the migration, each table's row count and SHA-256, the ledger totals and its hash chains' heads.

A restore goes into a staging database first (a new file beside the target; a new PostgreSQL database), is checked
there against the manifest and the ledger's chains, and only then becomes the target (the file is moved into place;
on PostgreSQL the checked copy is restored in one transaction), so a refused or damaged copy leaves the target as it
was. --force restores a copy that does not match, and says what differs.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import create_engine, make_url
from sqlalchemy.exc import DBAPIError

from db.migrate import alembic_config
from monitor.config import Settings
from monitor.money import integrity
from monitor.operations import manifest
from monitor.operations.manifest import Manifest

PREFIX = "monitor-"


class BackupError(Exception):
    """A backup or restore that cannot be made or does not check out; the message says what to do."""


def manifest_of(engine: Engine) -> Manifest:
    """What a database holds: migration heads, rows per table and their checksums, ledger totals and chain heads."""
    return manifest.of(engine)


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
            made = manifest_of(copy)  # counted in the copy itself, so it matches it exactly
        finally:
            copy.dispose()
    else:
        tool = _tool("pg_dump")
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            # pg_dump reads the same snapshot as the manifest's counts, so both describe one moment.
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            made = manifest.read(connection)
            url = _libpq_url(engine.url.render_as_string(hide_password=False))
            command = [tool, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(partial), url]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            why = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
            raise BackupError(f"pg_dump failed: {why}")
    partial.replace(path)
    path.with_name(path.name + ".json").write_text(made.to_json(), encoding="utf-8")
    return path


def _is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


@dataclass(frozen=True)
class Restored:
    found: Manifest
    differences: list[str] = field(default_factory=list)  # what differs from the manifest (restored with --force)
    migrate_note: str | None = None  # the copy is at another migration than this program


def _one_line(error: BaseException) -> str:
    text_ = str(getattr(error, "orig", None) or error).strip()
    return (text_.splitlines() or [type(error).__name__])[-1][:300]


def _expected(path: Path) -> dict[str, Any] | None:
    manifest_file = path.with_name(path.name + ".json")
    if not manifest_file.is_file():
        return None
    try:
        found = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{manifest_file} cannot be read ({error}); nothing was restored.") from error
    return found if isinstance(found, dict) else {}


def _judge(staging: Engine, path: Path, expected: dict[str, Any] | None) -> Restored:
    """Check the staged copy: it reads, its ledger's chains hold, and it is what its manifest says."""
    try:
        found = manifest.of(staging)
        verdict = integrity.verify(staging)
    except (DBAPIError, ValueError) as error:  # ValueError: a stored date or time that no longer parses
        raise BackupError(f"{path} is damaged: {_one_line(error)}; nothing was restored.") from error
    said = [] if expected is not None else [f"there is no manifest beside it ({path.name}.json)"]
    if expected is not None:
        said += manifest.differences(expected, found)
    said += [f"the ledger in the copy: {problem.render().rstrip('.')}" for problem in verdict.problems]
    return Restored(found, said, _migration_note(staging, found))


def _migration_note(engine: Engine, found: Manifest) -> str | None:
    from alembic.script import ScriptDirectory

    heads = sorted(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    if found.heads == heads:
        return None
    return (
        f"the copy is at migration {', '.join(found.heads)}, this program at {', '.join(heads)}: "
        "run `monitor migrate` now"
    )


def restore(engine: Engine, path: Path, force: bool = False) -> Restored:
    """Restore the copy at path into the empty database of engine, after checking it in a staging database against
    its manifest and the ledger's chains; a difference refuses it (unless force) and leaves the target as it was."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if not _is_empty(engine):
        raise BackupError("the database to restore into is not empty; restore only into a new, empty database.")
    expected = _expected(path)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        return _restore_sqlite(engine, path, expected, force)
    return _restore_postgres(engine, path, expected, force)


def _refuse_unless_forced(path: Path, restored: Restored, force: bool) -> None:
    if restored.differences and not force:
        raise BackupError(
            f"{path} does not match what was backed up, so nothing was restored: {'; '.join(restored.differences)}. "
            "Restore it anyway with --force."
        )


def _restore_sqlite(engine: Engine, path: Path, expected: dict[str, Any] | None, force: bool) -> Restored:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("restore into a SQLite database in a file")
    target = Path(database)
    staging = target.with_name(target.name + ".restoring")
    for leftover in (staging, Path(f"{staging}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            checked = source.execute("PRAGMA quick_check").fetchone()
            if checked is None or checked[0] != "ok":
                raise sqlite3.DatabaseError(f"the copy's own check says: {checked[0] if checked else 'nothing'}")
            copy = sqlite3.connect(staging)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, to be moved into place
            finally:
                copy.close()
        finally:
            source.close()
        staged = create_engine(f"sqlite:///{staging}")
        try:
            restored = _judge(staged, path, expected)
        finally:
            staged.dispose()
        _refuse_unless_forced(path, restored, force)
    except sqlite3.DatabaseError as error:
        staging.unlink(missing_ok=True)
        raise BackupError(
            f"{path} is damaged or not a SQLite copy ({_one_line(error)}); nothing was restored."
        ) from error
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    for beside in (Path(f"{target}-wal"), Path(f"{target}-shm")):  # of the empty target: not to be read with the copy
        beside.unlink(missing_ok=True)
    os.replace(staging, target)
    return restored


def _admin_url(engine: Engine, database: str) -> str:
    return engine.url.set(database=database).render_as_string(hide_password=False)


def _restore_postgres(engine: Engine, path: Path, expected: dict[str, Any] | None, force: bool) -> Restored:
    tool = _tool("pg_restore")
    name = f"{engine.url.database}_restoring"[:63]
    server = create_engine(_admin_url(engine, engine.url.database or "postgres"), isolation_level="AUTOCOMMIT")
    quoted = server.dialect.identifier_preparer.quote(name)
    try:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
            try:
                connection.execute(text(f"CREATE DATABASE {quoted}"))
            except DBAPIError as error:
                raise BackupError(
                    f"cannot make the database {name} to check the copy in ({_one_line(error)}): restore as the "
                    "database's owner, a role that may create databases (see the README)."
                ) from error
        staging_url = _admin_url(engine, name)
        try:
            result = subprocess.run(
                [tool, "--no-owner", "--exit-on-error", "-d", _libpq_url(staging_url), str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                why = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
                raise BackupError(f"{path} is damaged or not a pg_dump copy ({why}); nothing was restored.")
            staged = create_engine(staging_url)
            try:
                restored = _judge(staged, path, expected)
            finally:
                staged.dispose()
            _refuse_unless_forced(path, restored, force)
            command = [tool, "--no-owner", "--exit-on-error", "--single-transaction", "-d"]
            result = subprocess.run(
                [*command, _libpq_url(engine.url.render_as_string(hide_password=False)), str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:  # one transaction: the target stays as it was
                raise BackupError(f"pg_restore failed, nothing was restored: {result.stderr.strip()[-300:]}")
        finally:
            with server.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
    finally:
        server.dispose()
    engine.dispose()
    return restored


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
