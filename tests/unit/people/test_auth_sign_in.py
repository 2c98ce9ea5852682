"""monitor.people.auth: signing in with the right or a wrong password, and what each attempt leaves behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import AuthSession, SignInAttempt
from monitor.config import AuthSettings
from monitor.people import accounts as people
from monitor.people import auth, passwords
from monitor.people.access import SYSTEM
from monitor.people.auth import Outcome
from tests.unit.people.auth_helpers import (
    ADDRESS,
    OTHER_ADDRESS,
    PASSWORD,
    T0,
    add_person,
    open_sessions,
    session_row,
    stored_hash,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- sign_in -------------------------------------------------------------------------------------------


def test_the_right_password_signs_in_and_opens_a_session(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)

    result = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0)

    assert result.outcome == Outcome.SIGNED_IN
    assert result.person_id == person_id
    assert result.token and len(result.token) >= 32
    assert result.delay_seconds == 0
    row = session_row(engine, result.token)
    assert row.person_id == person_id
    assert row.created_at == T0
    assert row.address == ADDRESS
    assert row.ended_at is None


def test_the_session_is_stored_under_a_hash_of_the_token_not_the_token(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    add_person(engine)
    result = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0)
    assert result.token

    with reading(engine) as session:
        ids = session.scalars(select(AuthSession.id)).all()

    assert ids == [auth.token_id(result.token)]
    assert result.token not in ids


def test_the_username_is_matched_without_regard_to_case_and_spaces(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)

    result = auth.sign_in(engine, auth_settings, "  Fatima ", PASSWORD, ADDRESS, now=T0)

    assert result.outcome == Outcome.SIGNED_IN


def test_a_wrong_password_signs_nobody_in(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)

    result = auth.sign_in(engine, auth_settings, "fatima", "not her password", ADDRESS, now=T0)

    assert result.outcome == Outcome.WRONG
    assert result.token is None
    assert result.person_id is None
    assert open_sessions(engine, person_id) == 0


def test_an_unknown_username_is_answered_like_a_wrong_password(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)

    unknown = auth.sign_in(engine, auth_settings, "nobody", PASSWORD, ADDRESS, now=T0)
    wrong = auth.sign_in(engine, auth_settings, "fatima", "not her password", OTHER_ADDRESS, now=T0)

    assert unknown == wrong
    assert unknown.outcome == Outcome.WRONG


def test_a_disabled_person_cannot_sign_in_with_the_right_password(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    people.set_active(engine, SYSTEM, person_id, False)

    result = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0)

    assert result.outcome == Outcome.WRONG
    assert result.token is None
    assert open_sessions(engine, person_id) == 0


def test_a_person_without_a_password_cannot_sign_in_with_the_dummy_password(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    add_person(engine, password=None)

    result = auth.sign_in(engine, auth_settings, "fatima", "no account has this password", ADDRESS, now=T0)

    assert result.outcome == Outcome.WRONG


def test_every_attempt_is_recorded_with_its_outcome(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    auth.sign_in(engine, auth_settings, "fatima", "not her password", ADDRESS, now=T0)
    auth.sign_in(engine, auth_settings, "Fatima", PASSWORD, ADDRESS, now=T0 + timedelta(seconds=5))

    with reading(engine) as session:
        rows = session.execute(
            select(SignInAttempt.username, SignInAttempt.address, SignInAttempt.succeeded).order_by(
                SignInAttempt.attempted_at
            )
        ).all()

    assert [tuple(r) for r in rows] == [("fatima", ADDRESS, False), ("fatima", ADDRESS, True)]


def test_a_sign_in_upgrades_a_hash_made_with_weaker_parameters(
    engine: Engine, auth_settings: AuthSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    person_id = add_person(engine)
    old_hash = stored_hash(engine, person_id)
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", stronger)
    assert passwords.needs_rehash(old_hash)

    result = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0)

    assert result.outcome == Outcome.SIGNED_IN
    new_hash = stored_hash(engine, person_id)
    assert new_hash != old_hash
    assert not passwords.needs_rehash(new_hash)
    assert passwords.verify_password(new_hash, PASSWORD)
