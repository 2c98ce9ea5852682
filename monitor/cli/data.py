"""The data: the demo, requests imported from and exported to files, the daily retention, and the keys of the
counsellor's notes."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from monitor import scheduler
from monitor.checkins import crypto as notes_crypto
from monitor.checkins import notes as checkin_notes
from monitor.checkins import wellbeing
from monitor.cli import common
from monitor.cli.common import CliError
from monitor.config import settings
from monitor.demo import load as demo
from monitor.i18n import gettext_for
from monitor.people.access import SYSTEM
from monitor.privacy import retention
from monitor.requests import exporting, importing


def cmd_retention(_args: argparse.Namespace) -> None:
    counts = retention.run(common.engine(), settings(), worker=scheduler.worker_name())
    if counts is None:
        print("Retention already ran today; nothing to do.")
        return
    print("Deleted or anonymised: " + ", ".join(f"{kind} {n}" for kind, n in counts.items()))


def cmd_demo(_args: argparse.Namespace) -> None:
    engine = common.engine()
    key_file = notes_crypto.ensure_demo_key()  # before migrating: a migration may encrypt existing WHO-5 answers
    if key_file:
        print(f"No key for the counsellor's notes was set: wrote a demo key to {key_file} (see README, Check-ins).")
    common.migrate(engine)
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
    engine = common.engine()
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
    report = importing.import_requests(common.engine(), settings(), SYSTEM, path.name, path.read_bytes(), args.dry_run)
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
    engine = common.engine()
    team_id = common.team_id_or_all(engine, args.team)
    rows = exporting.export_rows(engine, settings(), SYSTEM, team_id, args.date_from, args.date_to)
    content = exporting.export_file(rows, args.format)
    if args.output == "-":
        if args.format == "xlsx":
            raise CliError("An Excel file cannot be written to the terminal: give --output FILE.xlsx.")
        sys.stdout.write(content.decode("utf-8-sig"))
        return
    Path(args.output).write_bytes(content)
    print(f"Wrote {len(rows)} requests to {args.output}.", file=sys.stderr)


def add_demo(sub: argparse._SubParsersAction) -> None:
    """`monitor demo`."""
    sub.add_parser("demo", help="load the demo team, people and requests").set_defaults(func=cmd_demo)


def add_retention(sub: argparse._SubParsersAction) -> None:
    """`monitor retention`."""
    sub.add_parser("retention", help="delete what is past its retention period, once a day").set_defaults(
        func=cmd_retention
    )


def add_notes_keys(sub: argparse._SubParsersAction) -> None:
    """`monitor notes-key` and `monitor rotate-notes`."""
    sub.add_parser("notes-key", help="print a new key for the counsellor's notes").set_defaults(func=cmd_notes_key)
    sub.add_parser("rotate-notes", help="re-encrypt every note and WHO-5 answer with the newest key").set_defaults(
        func=cmd_rotate_notes
    )


def add_requests(sub: argparse._SubParsersAction) -> None:
    """`monitor import-requests` and `monitor export-requests`."""
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
