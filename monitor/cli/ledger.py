"""`monitor ledger verify`: walk the money records' hash chains and name the first entry that differs."""

from __future__ import annotations

import argparse

from monitor.cli import common
from monitor.cli.common import CliError
from monitor.money import integrity


def cmd_verify(_args: argparse.Namespace) -> None:
    verdict = integrity.verify(common.engine())
    if not verdict.intact:
        lines = [problem.render() for problem in verdict.problems]
        raise CliError("the money records were changed outside the app: " + "\n  ".join(lines))
    heads = ", ".join(f"{table}: {n} entries, head {head[:16]}" for table, (n, head) in verdict.heads.items())
    print(f"The money records are as the app wrote them ({heads}).")


def add_ledger(sub: argparse._SubParsersAction) -> None:
    """`monitor ledger verify`."""
    ledger = sub.add_parser("ledger", help="check the money records (payments, emergency fund)")
    actions = ledger.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="recompute the hash chains; exit 1 naming the first entry that differs")
    verify.set_defaults(func=cmd_verify)
