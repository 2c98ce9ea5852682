"""Shared bits for the monitor.people.auth tests: passwords and addresses, people to sign in as, failing on
purpose, and reading sessions and attempts back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import AuthSession, Person, Role, SignInAttempt
from monitor.config import AuthSettings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new sentence"
ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.7"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The README: an address is slowed down after four times as many failures (a community centre's wifi is shared).
ADDRESS_FACTOR = 4


def add_person(engine: Engine, username: str = "fatima", password: str | None = PASSWORD) -> int:
    return people.create_person(engine, SYSTEM, username, username.title(), password)


def add_team_member(engine: Engine, username: str, role: Role, team: str = "Moerwijk") -> int:
    team_id = people.team_id_by_name(engine, team) or people.create_team(engine, SYSTEM, team)
    person_id = add_person(engine, username)
    people.grant_role(engine, SYSTEM, person_id, team_id, role)
    return person_id


def fail(engine: Engine, cfg: AuthSettings, times: int, start: datetime = T0, **kwargs: str) -> auth.SignInResult:
    """Sign in with a wrong password `times` times, one second apart; returns the last result."""
    username = kwargs.get("username", "fatima")
    address = kwargs.get("address", ADDRESS)
    result = None
    for i in range(times):
        result = auth.sign_in(engine, cfg, username, "wrong password!", address, now=start + timedelta(seconds=i))
    assert result is not None
    return result


def session_row(engine: Engine, token: str) -> AuthSession:
    with reading(engine) as session:
        row = session.get(AuthSession, auth.token_id(token))
        assert row is not None
        return row


def open_sessions(engine: Engine, person_id: int) -> int:
    with reading(engine) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuthSession)
                .where(AuthSession.person_id == person_id, AuthSession.ended_at.is_(None))
            )
            or 0
        )


def attempt_count(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(SignInAttempt)) or 0


def stored_hash(engine: Engine, person_id: int) -> str:
    with reading(engine) as session:
        person = session.get(Person, person_id)
        assert person is not None and person.password_hash is not None
        return person.password_hash
