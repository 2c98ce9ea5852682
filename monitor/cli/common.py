"""What every command needs: the configured database, a password typed or piped in, an account by its name,
and the migrations run with the notes' keys at hand."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import Engine

from db.engine import engine_for
from db.migrate import KeysNeeded, upgrade
from monitor.checkins import crypto as notes_crypto
from monitor.config import settings
from monitor.people import accounts as people


class CliError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback."""


class UsageError(CliError):
    """An argument that cannot be used (exit code 2, as argparse gives for one it cannot read)."""


def engine() -> Engine:
    return engine_for(settings().database_url)


def read_password(args: argparse.Namespace, prompt: str = "Password: ") -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError("No terminal to ask for a password: pass --password-stdin and pipe the password in.")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise CliError("The two passwords are not the same. Nothing was changed.")
    return first


def account_id(engine: Engine, username: str) -> int:
    person_id = people.person_id_by_username(engine, username)
    if person_id is None:
        raise CliError(f"There is no account called {username!r}. See `monitor user list`.")
    return person_id


def team_id_or_all(engine: Engine, name: str | None) -> int | None:
    """The id of the team given with --team, or None (all teams) when none was given."""
    team_id = None
    if name:
        team_id = people.team_id_by_name(engine, name)
        if team_id is None:
            raise CliError(f"There is no team called {name!r}.")
    return team_id


def migrate(engine: Engine) -> None:
    """Migrate with the notes' keys at hand: a migration may encrypt existing rows (0012: the WHO-5 answers)."""
    try:
        upgrade(engine, keys=notes_crypto.configured_keys())
    except KeysNeeded as error:
        raise CliError(str(error)) from error
