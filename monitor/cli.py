"""The `monitor` command: set up the database, manage accounts and load the demo."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.engine import engine_for
from db.migrate import KeysNeeded, upgrade
from db.models import Role
from monitor import scheduler
from monitor.alerts import evaluation as alerts
from monitor.alerts import report as alerts_report
from monitor.checkins import crypto as notes_crypto
from monitor.checkins import notes as checkin_notes
from monitor.checkins import wellbeing
from monitor.config import ConfigError, settings
from monitor.demo import load as demo
from monitor.errors import UserError, database_failure
from monitor.i18n import gettext_for
from monitor.operations import backup
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.privacy import export as privacy_export
from monitor.privacy import removal, retention
from monitor.requests import exporting, importing


class CliError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback."""


def _engine() -> Engine:
    return engine_for(settings().database_url)


def _read_password(args: argparse.Namespace, prompt: str = "Password: ") -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError("No terminal to ask for a password: pass --password-stdin and pipe the password in.")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise CliError("The two passwords are not the same. Nothing was changed.")
    return first


def _person_id(engine: Engine, username: str) -> int:
    person_id = people.person_id_by_username(engine, username)
    if person_id is None:
        raise CliError(f"There is no account called {username!r}. See `monitor user list`.")
    return person_id


def _upgrade(engine: Engine) -> None:
    """Migrate with the notes' keys at hand: a migration may encrypt existing rows (0012: the WHO-5 answers)."""
    try:
        upgrade(engine, keys=notes_crypto.configured_keys())
    except KeysNeeded as error:
        raise CliError(str(error)) from error


def cmd_migrate(_args: argparse.Namespace) -> None:
    _upgrade(_engine())
    print("The database is up to date.")


def cmd_init(args: argparse.Namespace) -> None:
    engine = _engine()
    _upgrade(engine)
    if any(Role.ADMIN in {r for _t, r in p.roles} for p in people.list_people(engine, SYSTEM)):
        print("The database is up to date; an administrator already exists.")
        return
    password = _read_password(args, f"Password for {args.username}: ")
    team_id = people.team_id_by_name(engine, args.team) or people.create_team(engine, SYSTEM, args.team)
    person_id = people.create_person(engine, SYSTEM, args.username, args.name, password, args.language)
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.ADMIN)
    print(f"Created administrator {args.username} in team {args.team}. Sign in with it to add people.")


def cmd_user_add(args: argparse.Namespace) -> None:
    engine = _engine()
    team_id = None
    if args.role:
        if not args.team:
            raise CliError("A role is held in a team: add --team NAME (see the teams in the admin page).")
        team_id = people.team_id_by_name(engine, args.team)
        if team_id is None:
            raise CliError(f"There is no team called {args.team!r}: give an existing team with --team.")
    password = None if args.no_password else _read_password(args)
    person_id = people.create_person(engine, SYSTEM, args.username, args.name, password, args.language, args.email)
    for role in args.role or []:
        people.grant_role(engine, SYSTEM, person_id, team_id, Role(role))
    print(f"Added {args.username}.")


def cmd_user_list(_args: argparse.Namespace) -> None:
    rows = people.list_people(_engine(), SYSTEM)
    print(f"{'username':<16} {'active':<7} {'name':<28} roles")
    for p in rows:
        roles = "; ".join(f"{r.value}@{team}" for team, r in p.roles) or "-"
        print(f"{p.username:<16} {'yes' if p.active else 'no':<7} {p.display_name:<28} {roles}")


def cmd_user_disable(args: argparse.Namespace) -> None:
    engine = _engine()
    people.set_active(engine, SYSTEM, _person_id(engine, args.username), False)
    print(f"Disabled {args.username}; their sessions have ended.")


def cmd_user_enable(args: argparse.Namespace) -> None:
    engine = _engine()
    people.set_active(engine, SYSTEM, _person_id(engine, args.username), True)
    print(f"Enabled {args.username}.")


def cmd_user_password(args: argparse.Namespace) -> None:
    engine = _engine()
    person_id = _person_id(engine, args.username)
    people.set_password(engine, SYSTEM, person_id, _read_password(args, f"New password for {args.username}: "))
    print(f"Password set for {args.username}; their sessions have ended.")


def removal_summary(plan: removal.RemovalPlan) -> str:
    """What `monitor user remove` will do, in the words of the admin page's confirmation."""
    kept = (
        f"- {plan.payments} payment record(s) are kept with the name {plan.display_name!r} for the fiscal retention "
        "period (7 years after the year paid); then the retention job removes the name.\n"
        if plan.keeps_name
        else ""
    )
    return (
        f"Removing {plan.username} ({plan.display_name}):\n"
        "- deleted: sign-in, e-mail address, sessions, agreements, alerts, inbox, notes on requests, "
        f"{plan.checkins} check-in(s) with the counsellor's notes, {plan.wellbeing_answers} WHO-5 answer(s), "
        "trainings and allowance agreements;\n"
        f"- {plan.requests} request(s) stay only as anonymous counts for the team, without name or note;\n"
        f"{kept}This cannot be undone."
    )


def cmd_user_remove(args: argparse.Namespace) -> None:
    engine = _engine()
    person_id = _person_id(engine, args.username)
    plan = removal.plan(engine, SYSTEM, person_id)
    print(removal_summary(plan))
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("No terminal to confirm on: pass --yes to remove without asking.")
        if input(f"Type {args.username} to remove them: ").strip() != args.username:
            raise CliError("Not confirmed. Nothing was changed.")
    removal.remove_person(engine, SYSTEM, person_id)
    print(f"Removed {args.username}.")


def cmd_user_export(args: argparse.Namespace) -> None:
    engine = _engine()
    content = privacy_export.export_zip(engine, SYSTEM, settings(), person_id=_person_id(engine, args.username))
    Path(args.output).write_bytes(content)
    print(f"Wrote all data held about {args.username} to {args.output}.")


def cmd_retention(_args: argparse.Namespace) -> None:
    counts = retention.run(_engine(), settings(), worker=scheduler.worker_name())
    if counts is None:
        print("Retention already ran today; nothing to do.")
        return
    print("Deleted or anonymised: " + ", ".join(f"{kind} {n}" for kind, n in counts.items()))


def cmd_user_unlock(args: argparse.Namespace) -> None:
    cleared = auth.unlock(_engine(), SYSTEM, args.username, "cli")
    # The same answer whether or not the name exists: the attempts are kept per typed name.
    print(f"Cleared {cleared} failed sign-in(s) for {args.username}; it can sign in again at once.")


def cmd_demo(_args: argparse.Namespace) -> None:
    engine = _engine()
    key_file = notes_crypto.ensure_demo_key()  # before migrating: a migration may encrypt existing WHO-5 answers
    if key_file:
        print(f"No key for the counsellor's notes was set: wrote a demo key to {key_file} (see README, Check-ins).")
    _upgrade(engine)
    team_added = demo.load_demo(engine)
    added = demo.load_demo_requests(engine, settings())
    if team_added:
        print(f"Demo team {demo.DEMO_TEAM} loaded.")
    elif not added:
        print(f"Demo team {demo.DEMO_TEAM} is already there; nothing changed.")
    if added:
        print(f"Added {added} demo requests of the last 8 weeks.")
    print(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    print("\n".join(demo.sign_in_lines()))


def cmd_notes_key(_args: argparse.Namespace) -> None:
    print(notes_crypto.new_key())


def cmd_rotate_notes(_args: argparse.Namespace) -> None:
    engine = _engine()
    notes = checkin_notes.rotate_all(engine)
    answers = wellbeing.rotate_all(engine)
    print(
        f"Re-encrypted {notes} notes and {answers} WHO-5 answer(s) with the newest key; "
        "the older keys can now be removed."
    )


def cmd_import_requests(args: argparse.Namespace) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"There is no file {path}.")
    report = importing.import_requests(_engine(), settings(), SYSTEM, path.name, path.read_bytes(), args.dry_run)
    english = gettext_for("en")
    if report.file_error is not None:
        raise CliError(f"{path}: {report.file_error.render(english)}")
    for problem in report.problems:
        print(f"{path}: row {problem.row}, column {problem.column}: {problem.error.render(english)}", file=sys.stderr)
    if report.problems:
        raise CliError(f"{len(report.problems)} problems in {report.rows} rows; nothing was imported.")
    if args.dry_run:
        print(f"All {report.rows} rows are good (dry run: nothing was imported).")
    else:
        print(f"Imported {report.imported} requests; {report.skipped_duplicates} were already there.")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as 2026-03-31") from exc


def cmd_export_requests(args: argparse.Namespace) -> None:
    engine = _engine()
    team_id = None
    if args.team:
        team_id = people.team_id_by_name(engine, args.team)
        if team_id is None:
            raise CliError(f"There is no team called {args.team!r}.")
    rows = exporting.export_rows(engine, settings(), SYSTEM, team_id, args.date_from, args.date_to)
    content = exporting.export_file(rows, args.format)
    if args.output == "-":
        if args.format == "xlsx":
            raise CliError("An Excel file cannot be written to the terminal: give --output FILE.xlsx.")
        sys.stdout.write(content.decode("utf-8-sig"))
        return
    Path(args.output).write_bytes(content)
    print(f"Wrote {len(rows)} requests to {args.output}.", file=sys.stderr)


def cmd_worker(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cfg = settings()
    if cfg.scheduler_in_app:
        print("Note: [scheduler] run_in_app is true, so the app runs the jobs too; that is safe, but set it to false.")
    name = args.name or scheduler.worker_name()
    print(f"Worker {name} runs the jobs (rules, e-mail, digest). Stop it with Ctrl+C or SIGTERM.", flush=True)
    scheduler.run_worker(cfg, name)
    print("Worker stopped.", flush=True)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time; write it as 2026-03-31T21:30 (local time)") from exc
    return moment  # a time without zone is local: cmd_evaluate attaches the configured zone


def cmd_evaluate(args: argparse.Namespace) -> None:
    at = args.at
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=settings().tz)
    result = alerts.evaluate(_engine(), settings(), at=at)
    opened = len(result.opened) + len(result.reopened)
    print(f"Evaluated the rules at {result.at.astimezone(settings().tz):%Y-%m-%d %H:%M %Z}: ", end="")
    print(f"{opened} alerts opened ({len(result.reopened)} of them again), {len(result.resolved)} resolved.")


def cmd_alerts(args: argparse.Namespace) -> None:
    engine = _engine()
    team_id = None
    if args.team:
        team_id = people.team_id_by_name(engine, args.team)
        if team_id is None:
            raise CliError(f"There is no team called {args.team!r}.")
    rows = alerts_report.list_alerts(engine, SYSTEM, args.status, team_id)
    sys.stdout.write(alerts_report.render(rows, args.format))


def cmd_backup(args: argparse.Namespace) -> None:
    cfg = settings()
    try:
        made = backup.backup(cfg, _engine(), Path(args.path) if args.path else None)
    except backup.BackupError as error:
        raise CliError(str(error)) from error
    print(f"Backup written to {made} (and its manifest {made.name}.json).")


def cmd_restore(args: argparse.Namespace) -> None:
    try:
        found = backup.restore(_engine(), Path(args.path))
    except backup.BackupError as error:
        raise CliError(str(error)) from error
    rows = sum(found.counts.values())
    print(
        f"Restored {args.path}: migration {', '.join(found.heads)}, {rows} rows, payments total "
        f"{found.ledger['payments']} cents, emergency fund total {found.ledger['fund_entries']} cents; "
        "all as in the copy."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monitor", description="Coproducer workload and wellbeing monitor.")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    init = sub.add_parser("init", help="apply migrations and create the first administrator")
    init.add_argument("--username", default="admin")
    init.add_argument("--name", default="Administrator")
    init.add_argument("--team", default="Beheer", help="team the administrator belongs to (created if missing)")
    init.add_argument("--language", default="nl", choices=people.LANGUAGES)
    init.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    init.set_defaults(func=cmd_init)

    user = sub.add_parser("user", help="manage accounts").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="name to show")
    add.add_argument("--team", help="team for the roles")
    add.add_argument("--role", action="append", choices=[r.value for r in Role], help="may be repeated")
    add.add_argument("--language", default="nl", choices=people.LANGUAGES)
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument("--no-password", action="store_true", help="signs in only through the identity provider")
    add.set_defaults(func=cmd_user_add)
    user.add_parser("list", help="list accounts").set_defaults(func=cmd_user_list)
    for name, func, text in (
        ("disable", cmd_user_disable, "disable an account and end its sessions"),
        ("enable", cmd_user_enable, "enable a disabled account"),
        ("unlock", cmd_user_unlock, "clear an account's failed sign-ins, so that it is no longer slowed down"),
    ):
        cmd = user.add_parser(name, help=text)
        cmd.add_argument("username")
        cmd.set_defaults(func=func)
    remove = user.add_parser("remove", help="remove someone who leaves (erasure; payments are kept 7 years)")
    remove.add_argument("username")
    remove.add_argument("--yes", action="store_true", help="do not ask to confirm")
    remove.set_defaults(func=cmd_user_remove)
    user_export = user.add_parser("export", help="write all data held about someone to a zip (xlsx and json)")
    user_export.add_argument("username")
    user_export.add_argument("-o", "--output", required=True)
    user_export.set_defaults(func=cmd_user_export)
    password = user.add_parser("password", help="set an account's password (ends its sessions)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(func=cmd_user_password)

    sub.add_parser("demo", help="load the demo team, people and requests").set_defaults(func=cmd_demo)
    sub.add_parser("retention", help="delete what is past its retention period, once a day").set_defaults(
        func=cmd_retention
    )
    sub.add_parser("notes-key", help="print a new key for the counsellor's notes").set_defaults(func=cmd_notes_key)
    sub.add_parser("rotate-notes", help="re-encrypt every note and WHO-5 answer with the newest key").set_defaults(
        func=cmd_rotate_notes
    )

    imp = sub.add_parser("import-requests", help="import requests from a CSV or .xlsx file (all rows or none)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
    imp.set_defaults(func=cmd_import_requests)

    exp = sub.add_parser("export-requests", help="export requests with whether they came outside hours and why")
    exp.add_argument("--team", help="team name (default: all teams)")
    exp.add_argument("--from", dest="date_from", type=_date, help="first local date, e.g. 2026-01-01")
    exp.add_argument("--to", dest="date_to", type=_date, help="last local date, e.g. 2026-03-31")
    exp.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    exp.add_argument("--output", "-o", default="-", help="file to write (default: the terminal, csv only)")
    exp.set_defaults(func=cmd_export_requests)

    worker = sub.add_parser("worker", help="run the scheduled jobs in the foreground (rules, e-mail, digest)")
    worker.add_argument("--name", help="name of this worker in the claims (default: host:pid)")
    worker.set_defaults(func=cmd_worker)

    evaluate = sub.add_parser("evaluate", help="evaluate the burden rules once")
    evaluate.add_argument("--at", type=_moment, help="the moment to evaluate at, e.g. 2026-03-31T21:30 (local time)")
    evaluate.set_defaults(func=cmd_evaluate)

    back = sub.add_parser("backup", help="copy the database consistently while it runs (SQLite; pg_dump -Fc)")
    back.add_argument("path", nargs="?", help="file to write (default: a dated file in [backup] directory)")
    back.set_defaults(func=cmd_backup)
    rest = sub.add_parser("restore", help="restore a backup into an empty database and check it")
    rest.add_argument("path")
    rest.set_defaults(func=cmd_restore)

    alert_list = sub.add_parser("alerts", help="list burden alerts")
    alert_list.add_argument("--status", choices=alerts_report.STATUSES)
    alert_list.add_argument("--team", help="team name (default: all teams)")
    alert_list.add_argument("--format", choices=alerts_report.FORMATS, default="table")
    alert_list.set_defaults(func=cmd_alerts)
    return parser


EXIT_DATABASE_AWAY = 3


def _where(url: str) -> str:
    """HOST:PORT of a server database, or the file of a SQLite one; never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except ConfigError as error:
        print(f"The configuration cannot be used: {error}", file=sys.stderr)
        return 2
    except (UserError, CliError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        reason = database_failure(error)
        if reason is None:
            raise
        # One line, no traceback: the operator needs to know where and why, not SQLAlchemy's internals.
        print(f"cannot reach the database at {_where(settings().database_url)}: {reason}", file=sys.stderr)
        return EXIT_DATABASE_AWAY
    return 0


if __name__ == "__main__":
    sys.exit(main())
