"""monitor.people.auth: sessions that resume and end when they should, also when a password changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, event

from db.models import Role
from monitor.config import AuthSettings
from monitor.errors import ValidationError
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor
from monitor.people.auth import Outcome
from tests.unit.people.auth_helpers import (
    ADDRESS,
    NEW_PASSWORD,
    OTHER_ADDRESS,
    PASSWORD,
    T0,
    add_person,
    add_team_member,
    open_sessions,
    session_row,
    stored_hash,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- resume and the end of sessions --------------------------------------------------------------------


def test_a_valid_token_resumes_as_the_person_with_their_roles(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_team_member(engine, "lotte", Role.LEADER)
    team_id = people.team_id_by_name(engine, "Moerwijk")
    assert team_id is not None
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.COUNSELLOR)
    token = auth.sign_in(engine, auth_settings, "lotte", PASSWORD, ADDRESS, now=T0).token

    actor = auth.resume(engine, auth_settings, token, now=T0 + timedelta(minutes=1))

    assert isinstance(actor, Actor)
    assert actor.person_id == person_id
    assert actor.username == "lotte"
    assert actor.memberships == frozenset({(team_id, Role.LEADER), (team_id, Role.COUNSELLOR)})
    assert actor.has_role(Role.LEADER, team_id)
    assert not actor.is_admin


def test_resuming_a_session_reads_it_with_the_person_and_their_roles_in_one_statement(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    """Every run of every page resumes the session: one query, not three in two transactions."""
    person_id = add_team_member(engine, "lotte", Role.LEADER)
    token = auth.sign_in(engine, auth_settings, "lotte", PASSWORD, ADDRESS, now=T0).token
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (connection, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    actor = auth.resume(engine, auth_settings, token, now=T0 + timedelta(seconds=5))
    event.remove(engine, "before_cursor_execute", listener)

    assert actor is not None and actor.person_id == person_id and len(actor.memberships) == 1
    assert len([s for s in statements if s != "BEGIN DEFERRED"]) == 1  # SQLite's BEGIN DEFERRED aside


def test_a_person_without_a_team_resumes_with_no_roles(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id, now=T0)
    actor = auth.resume(engine, auth_settings, token, now=T0 + timedelta(minutes=1))
    assert actor is not None and actor.person_id == person_id and actor.memberships == frozenset()


@pytest.mark.parametrize("token", [None, "", "not-a-token-anybody-was-given"])
def test_a_missing_or_unknown_token_resumes_nobody(engine: Engine, auth_settings: AuthSettings, token: str) -> None:
    add_person(engine)
    auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0)

    assert auth.resume(engine, auth_settings, token, now=T0) is None


def test_a_session_ends_after_idle_minutes_without_use(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id, now=T0)
    idle = timedelta(minutes=auth_settings.idle_minutes)

    assert auth.resume(engine, auth_settings, token, now=T0 + idle - timedelta(seconds=1)) is not None
    # that use counted: idle time starts again from it
    assert auth.resume(engine, auth_settings, token, now=T0 + idle + idle - timedelta(seconds=2)) is not None
    assert auth.resume(engine, auth_settings, token, now=T0 + 3 * idle) is None

    row = session_row(engine, token)
    assert row.ended_reason == "idle"
    assert row.ended_at == T0 + 3 * idle


def test_an_ended_session_does_not_come_back(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id, now=T0)
    assert auth.resume(engine, auth_settings, token, now=T0 + timedelta(minutes=auth_settings.idle_minutes)) is None

    assert auth.resume(engine, auth_settings, token, now=T0 + timedelta(minutes=1)) is None


def test_use_within_a_minute_is_not_written_to_the_database(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id, now=T0)

    auth.resume(engine, auth_settings, token, now=T0 + auth.TOUCH_EVERY - timedelta(seconds=1))
    assert session_row(engine, token).last_seen_at == T0

    auth.resume(engine, auth_settings, token, now=T0 + auth.TOUCH_EVERY)
    assert session_row(engine, token).last_seen_at == T0 + auth.TOUCH_EVERY


def test_a_session_ends_after_absolute_hours_even_when_in_use(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id, now=T0)
    lifetime = timedelta(hours=auth_settings.absolute_hours)
    step = timedelta(minutes=auth_settings.idle_minutes // 2)

    now = T0
    while now + step < T0 + lifetime:
        now += step
        assert auth.resume(engine, auth_settings, token, now=now) is not None, f"ended early at {now}"

    assert auth.resume(engine, auth_settings, token, now=T0 + lifetime) is None
    assert session_row(engine, token).ended_reason == "lifetime"


def test_a_disabled_persons_session_resumes_nobody(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id)
    assert auth.resume(engine, auth_settings, token) is not None

    people.set_active(engine, SYSTEM, person_id, False)

    assert auth.resume(engine, auth_settings, token) is None


def test_signing_out_ends_the_session_on_the_server(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id, now=T0)
    other = auth.open_session(engine, person_id, now=T0)

    auth.sign_out(engine, token, now=T0 + timedelta(minutes=1))

    assert auth.resume(engine, auth_settings, token, now=T0 + timedelta(minutes=2)) is None
    row = session_row(engine, token)
    assert row.ended_reason == "signed_out"
    assert row.ended_at == T0 + timedelta(minutes=1)
    assert auth.resume(engine, auth_settings, other, now=T0 + timedelta(minutes=2)) is not None


def test_signing_out_without_a_token_changes_nothing(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.open_session(engine, person_id)

    auth.sign_out(engine, None)
    auth.sign_out(engine, "")

    assert auth.resume(engine, auth_settings, token) is not None


def test_end_sessions_of_ends_all_but_the_kept_one(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    other_person = add_person(engine, "henk")
    keep, phone, laptop = (auth.open_session(engine, person_id, now=T0) for _ in range(3))
    henks = auth.open_session(engine, other_person, now=T0)

    ended = auth.end_sessions_of(engine, person_id, "password", keep_token=keep, now=T0 + timedelta(minutes=1))

    assert ended == 2
    assert auth.resume(engine, auth_settings, keep, now=T0 + timedelta(minutes=2)) is not None
    assert auth.resume(engine, auth_settings, phone, now=T0 + timedelta(minutes=2)) is None
    assert auth.resume(engine, auth_settings, laptop, now=T0 + timedelta(minutes=2)) is None
    assert session_row(engine, phone).ended_reason == "password"
    assert auth.resume(engine, auth_settings, henks, now=T0 + timedelta(minutes=2)) is not None


def test_end_sessions_of_without_a_kept_token_ends_them_all(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    for _ in range(2):
        auth.open_session(engine, person_id)

    assert auth.end_sessions_of(engine, person_id, "disabled") == 2
    assert open_sessions(engine, person_id) == 0
    assert auth.end_sessions_of(engine, person_id, "disabled") == 0


# --- passwords and sessions ----------------------------------------------------------------------------


def test_an_administrator_setting_a_password_ends_all_of_that_persons_sessions(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    person_id = add_person(engine)
    tokens = [auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS).token for _ in range(2)]

    people.set_password(engine, SYSTEM, person_id, NEW_PASSWORD)

    assert [auth.resume(engine, auth_settings, t) for t in tokens] == [None, None]
    assert auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS).outcome == Outcome.WRONG
    assert auth.sign_in(engine, auth_settings, "fatima", NEW_PASSWORD, ADDRESS).outcome == Outcome.SIGNED_IN


def test_changing_ones_own_password_keeps_the_current_session_and_ends_the_others(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    add_person(engine)
    current = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS).token
    other = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, OTHER_ADDRESS).token
    actor = auth.resume(engine, auth_settings, current)
    assert actor is not None

    people.change_own_password(engine, actor, PASSWORD, NEW_PASSWORD, keep_token=current)

    assert auth.resume(engine, auth_settings, current) is not None
    assert auth.resume(engine, auth_settings, other) is None
    assert auth.sign_in(engine, auth_settings, "fatima", NEW_PASSWORD, ADDRESS).outcome == Outcome.SIGNED_IN


def test_a_wrong_current_password_changes_nothing_and_ends_no_session(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    person_id = add_person(engine)
    current = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS).token
    other = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, OTHER_ADDRESS).token
    actor = auth.resume(engine, auth_settings, current)
    assert actor is not None
    before = stored_hash(engine, person_id)

    with pytest.raises(ValidationError, match="current password is not right"):
        people.change_own_password(engine, actor, "not my password", NEW_PASSWORD, keep_token=current)

    assert stored_hash(engine, person_id) == before
    assert auth.resume(engine, auth_settings, other) is not None


def test_a_new_password_that_is_too_short_is_refused(engine: Engine, auth_settings: AuthSettings) -> None:
    person_id = add_person(engine)
    token = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS).token
    actor = auth.resume(engine, auth_settings, token)
    assert actor is not None

    with pytest.raises(ValidationError, match="at least 10 characters"):
        people.change_own_password(engine, actor, PASSWORD, "short", keep_token=token)
    with pytest.raises(ValidationError, match="at least 10 characters"):
        people.set_password(engine, SYSTEM, person_id, "short")

    assert auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS).outcome == Outcome.SIGNED_IN
