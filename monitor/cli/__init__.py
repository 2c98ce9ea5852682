"""The `monitor` command: set up the database, manage accounts and load the demo.

The commands live by what they are about: users.py (accounts), data.py (demo, import and export, retention, the
notes' keys), operations.py (migrations, worker, rules and alerts, backup) and ledger.py (the money records' check);
common.py holds what they share.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import make_url

from monitor.cli import data, ledger, operations, users
from monitor.cli.common import CliError, UsageError
from monitor.config import ConfigError, settings
from monitor.errors import UserError, database_failure, is_read_only


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monitor", description="Coproducer workload and wellbeing monitor.")
    sub = parser.add_subparsers(dest="command", required=True)
    # In the order `monitor --help` has always listed them.
    operations.add_migrate(sub)
    users.add_init(sub)
    users.add_user(sub)
    data.add_demo(sub)
    data.add_retention(sub)
    data.add_notes_keys(sub)
    data.add_requests(sub)
    operations.add_worker(sub)
    operations.add_backup(sub)
    operations.add_alerts(sub)
    ledger.add_ledger(sub)
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
    except UsageError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except (UserError, CliError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        reason = database_failure(error)
        if reason is None:
            raise
        # One line, no traceback: the operator needs to know where and why, not SQLAlchemy's internals.
        where = _where(settings().database_url)
        if is_read_only(reason):
            print(f"the database at {where} is read-only, so nothing was changed: {reason}", file=sys.stderr)
        else:
            print(f"cannot reach the database at {where}: {reason}", file=sys.stderr)
        return EXIT_DATABASE_AWAY
    return 0
