"""Shared bits for the tests of the `monitor` command: running it as a person at the keyboard would (a password
piped in), the database it writes to, and reading back what it did."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import Engine, func, select

from db.engine import engine_for, reading
from db.models import HelpRequest
from monitor import cli
from monitor.config import AuthSettings
from monitor.people import auth

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new sentence"


@pytest.fixture
def db(database_url: str) -> Engine:
    """The database the command writes to, for checking what it did."""
    return engine_for(database_url)


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(stdin))
            code = cli.main(list(argv))
    else:
        code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> dict[str, list[str]]:
    """`monitor user list` as {username: [active, name and roles...]}."""
    code, out, _err = run(capsys, "user", "list")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["username", "active", "name"]
    return {line.split()[0]: line.split()[1:] for line in lines}


def count_rows(engine: Engine, model: type[HelpRequest]) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def signs_in(engine: Engine, username: str, password: str) -> bool:
    return auth.sign_in(engine, AuthSettings(), username, password, "cli-test").outcome == auth.Outcome.SIGNED_IN


@pytest.fixture
def initialised(capsys: pytest.CaptureFixture[str], db: Engine) -> Engine:
    code, _out, err = run(capsys, "init", "--username", "beheer", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    return db
