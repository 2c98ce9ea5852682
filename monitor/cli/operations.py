"""Running the monitor: migrations and the database's roles, the worker, evaluating the rules and listing the alerts
they raised, and backup and restore."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor import scheduler
from monitor.alerts import evaluation as alerts
from monitor.alerts import report as alerts_report
from monitor.cli import common
from monitor.cli.common import CliError, UsageError
from monitor.config import settings
from monitor.operations import backup, db_roles
from monitor.people.access import SYSTEM


def cmd_migrate(_args: argparse.Namespace) -> None:
    common.migrate(common.engine())
    print("The database is up to date.")


def cmd_worker(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cfg = settings()
    if cfg.scheduler_in_app:
        print("Note: [scheduler] run_in_app is true, so the app runs the jobs too; that is safe, but set it to false.")
    name = args.name or scheduler.worker_name()
    print(f"Worker {name} runs the jobs (rules, e-mail, digest). Stop it with Ctrl+C or SIGTERM.", flush=True)
    scheduler.run_worker(cfg, name)
    print("Worker stopped.", flush=True)


# `monitor evaluate --at` writes only at the present moment (within this much of it); a moment before that is a dry
# run: evaluating the past on the live database resolved alerts that the next normal run opened again (issue 32).
NOW_WITHIN = timedelta(minutes=1)
# The moments the rules can be evaluated at: the monitor holds nothing before 2000, and a year ahead is the furthest
# that makes sense (the rules' windows reach a year back and a week ahead, and a date near 9999 cannot be computed).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
AHEAD_AT_MOST = timedelta(days=366)


def _moment(text: str, now: datetime) -> datetime:
    """The moment `--at` names (local time unless it carries a zone), or a UsageError saying why it cannot be used."""
    example = "write it as 2026-03-31T21:30 (local time)"
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=settings().tz)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise UsageError(f"--at {text!r} is not a time the rules can be evaluated at; {example}") from None
    if not EARLIEST <= moment <= now + AHEAD_AT_MOST:
        raise UsageError(
            f"--at {text!r} is not a time the rules can be evaluated at: give one from 2000 to a year ahead"
        )
    return moment


def cmd_evaluate(args: argparse.Namespace) -> None:
    now = datetime.now(UTC)
    at = _moment(args.at, now) if args.at is not None else now
    dry_run = at < now - NOW_WITHIN
    result = alerts.evaluate(common.engine(), settings(), at=at, dry_run=dry_run)
    opened = len(result.opened) + len(result.reopened)
    when = f"{result.at.astimezone(settings().tz):%Y-%m-%d %H:%M %Z}"
    if dry_run:
        print(
            f"Dry run at {when}, a moment in the past, so nothing was changed: {opened} alerts would open "
            f"({len(result.reopened)} of them again), {len(result.resolved)} would be resolved."
        )
        return
    print(f"Evaluated the rules at {when}: ", end="")
    print(f"{opened} alerts opened ({len(result.reopened)} of them again), {len(result.resolved)} resolved.")


def cmd_alerts(args: argparse.Namespace) -> None:
    engine = common.engine()
    team_id = common.team_id_or_all(engine, args.team)
    rows = alerts_report.list_alerts(engine, SYSTEM, args.status, team_id)
    sys.stdout.write(alerts_report.render(rows, args.format))


def cmd_backup(args: argparse.Namespace) -> None:
    cfg = settings()
    try:
        made = backup.backup(cfg, common.engine(), Path(args.path) if args.path else None)
    except backup.BackupError as error:
        raise CliError(str(error)) from error
    print(f"Backup written to {made} (and its manifest {made.name}.json).")


def cmd_restore(args: argparse.Namespace) -> None:
    try:
        restored = backup.restore(common.engine(), Path(args.path), force=args.force)
    except backup.BackupError as error:
        raise CliError(str(error)) from error
    found = restored.found
    rows = sum(found.counts.values())
    print(
        f"Restored {args.path}: migration {', '.join(found.heads)}, {rows} rows, payments total "
        f"{found.ledger['payments']} cents, emergency fund total {found.ledger['fund_entries']} cents; ",
        end="",
    )
    if restored.differences:
        print(f"restored with --force although it differs from what was backed up: {'; '.join(restored.differences)}.")
    else:
        print("every table, checksum and the ledger's chains as in the copy.")
    if restored.migrate_note:
        print(f"Note: {restored.migrate_note}.")


def cmd_db_roles(args: argparse.Namespace) -> None:
    engine = common.engine()
    if engine.dialect.name != "postgresql":
        raise CliError("database roles are for PostgreSQL; on SQLite, protect the file (its folder) instead.")
    try:
        sql = db_roles.roles_sql(args.app_role, engine.url.database or "", args.schema)
    except ValueError as error:
        raise CliError(str(error)) from error
    if not args.apply:
        print(sql, end="")
        return
    with engine.begin() as connection:
        connection.exec_driver_sql(sql)
    print(
        f"{args.app_role} may now run the app: it reads and writes the tables and only adds to the money records. "
        f"Give it a password (psql: \\password {args.app_role}) and put it in the app's MONITOR_DATABASE_URL."
    )


def add_migrate(sub: argparse._SubParsersAction) -> None:
    """`monitor migrate`."""
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    database = sub.add_parser("db", help="the database's roles (PostgreSQL)")
    actions = database.add_subparsers(dest="action", required=True)
    roles = actions.add_parser(
        "roles", help="print (or --apply) the SQL that makes a role for the app that owns nothing"
    )
    roles.add_argument("--app-role", default="monitor_app", help="the app's role (default: monitor_app)")
    roles.add_argument("--schema", default="public")
    roles.add_argument("--apply", action="store_true", help="run it now, as the configured (owner) role")
    roles.set_defaults(func=cmd_db_roles)


def add_worker(sub: argparse._SubParsersAction) -> None:
    """`monitor worker` and `monitor evaluate`."""
    worker = sub.add_parser("worker", help="run the scheduled jobs in the foreground (rules, e-mail, digest)")
    worker.add_argument("--name", help="name of this worker in the claims (default: host:pid)")
    worker.set_defaults(func=cmd_worker)

    evaluate = sub.add_parser("evaluate", help="evaluate the burden rules once (at a past moment: a dry run)")
    evaluate.add_argument(
        "--at", help="the moment to evaluate at, e.g. 2026-03-31T21:30 (local time); in the past nothing is changed"
    )
    evaluate.set_defaults(func=cmd_evaluate)


def add_backup(sub: argparse._SubParsersAction) -> None:
    """`monitor backup` and `monitor restore`."""
    back = sub.add_parser("backup", help="copy the database consistently while it runs (SQLite; pg_dump -Fc)")
    back.add_argument("path", nargs="?", help="file to write (default: a dated file in [backup] directory)")
    back.set_defaults(func=cmd_backup)
    rest = sub.add_parser("restore", help="check a backup against its manifest, then restore it into an empty database")
    rest.add_argument("path")
    rest.add_argument("--force", action="store_true", help="restore even when it differs from its manifest (says what)")
    rest.set_defaults(func=cmd_restore)


def add_alerts(sub: argparse._SubParsersAction) -> None:
    """`monitor alerts`."""
    alert_list = sub.add_parser("alerts", help="list burden alerts")
    alert_list.add_argument("--status", choices=alerts_report.STATUSES)
    alert_list.add_argument("--team", help="team name (default: all teams)")
    alert_list.add_argument("--format", choices=alerts_report.FORMATS, default="table")
    alert_list.set_defaults(func=cmd_alerts)
