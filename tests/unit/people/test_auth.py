"""monitor.people.auth: signing in, throttling guessing without locking anyone out, and sessions that end
when they should."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, event, func, select

from db.engine import reading
from db.models import AuthSession, Person, Role, SignInAttempt
from monitor.config import AuthSettings
from monitor.errors import ValidationError
from monitor.people import accounts as people
from monitor.people import auth, passwords, security_log
from monitor.people.access import SYSTEM, Actor
from monitor.people.auth import Outcome

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new sentence"
ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.7"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The README: an address is slowed down after four times as many failures (a community centre's wifi is shared).
ADDRESS_FACTOR = 4

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- helpers -------------------------------------------------------------------------------------------


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


# --- throttling, not locking out -----------------------------------------------------------------------


def test_failures_below_the_threshold_leave_the_account_open(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    fail(engine, auth_settings, auth_settings.slow_after_failures - 1)

    assert auth.account_wait(engine, auth_settings, "fatima", now=T0 + timedelta(seconds=5)) == 0


def test_the_wait_doubles_per_failure_up_to_the_maximum(auth_settings: AuthSettings) -> None:
    n = auth_settings.slow_after_failures
    waits = [auth.account_delay(auth_settings, n + i) for i in range(6)]

    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]  # slowdown 1 s, max_delay 8 s in the fixture
    assert auth.account_delay(auth_settings, n - 1) == 0


def test_an_attempt_during_the_wait_is_not_checked_and_not_counted(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    fail(engine, auth_settings, auth_settings.slow_after_failures + 1)
    recorded = attempt_count(engine)

    during = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0 + timedelta(seconds=3))

    assert during.outcome == Outcome.THROTTLED
    assert during.token is None
    assert during.retry_after_seconds > 0
    assert attempt_count(engine) == recorded


def test_after_the_wait_the_right_password_signs_in(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    fail(engine, auth_settings, auth_settings.slow_after_failures + 1)

    after = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0 + timedelta(seconds=30))

    assert after.outcome == Outcome.SIGNED_IN


def test_a_successful_sign_in_clears_the_count(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    fail(engine, auth_settings, auth_settings.slow_after_failures)
    auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0 + timedelta(minutes=1))

    fail(engine, auth_settings, 1, start=T0 + timedelta(minutes=2))

    assert auth.account_wait(engine, auth_settings, "fatima", now=T0 + timedelta(minutes=2, seconds=1)) == 0


def test_failures_older_than_the_window_no_longer_count(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    fail(engine, auth_settings, auth_settings.slow_after_failures + 1)
    later = T0 + timedelta(minutes=auth_settings.failure_window_minutes, seconds=30)

    assert auth.account_wait(engine, auth_settings, "fatima", now=later) == 0


def test_the_wait_of_one_account_does_not_touch_another(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    add_person(engine, "henk")
    fail(engine, auth_settings, auth_settings.slow_after_failures + 2)

    result = auth.sign_in(engine, auth_settings, "henk", PASSWORD, ADDRESS, now=T0 + timedelta(seconds=5))

    assert result.outcome == Outcome.SIGNED_IN


def test_an_address_is_slowed_down_but_never_refused(engine: Engine, auth_settings: AuthSettings) -> None:
    add_person(engine)
    limit = auth_settings.slow_after_failures * ADDRESS_FACTOR
    results = [
        fail(engine, auth_settings, 1, start=T0 + timedelta(seconds=i), username=f"guess{i}") for i in range(limit + 3)
    ]

    assert results[0].delay_seconds == 0
    assert 0 < results[-1].delay_seconds <= auth.MAX_ADDRESS_DELAY_SECONDS
    here = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, ADDRESS, now=T0 + timedelta(minutes=1))
    assert here.outcome == Outcome.SIGNED_IN


def test_signing_in_with_an_own_account_does_not_reset_the_address_count(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    """Someone on shared wifi cannot guess at others' accounts and clear the address count with their own sign-in."""
    add_person(engine, "insider")
    limit = auth_settings.slow_after_failures * ADDRESS_FACTOR
    for i in range(limit):
        auth.sign_in(engine, auth_settings, f"victim{i}", "guess", "10.0.0.9", now=T0)
        auth.sign_in(engine, auth_settings, "insider", PASSWORD, "10.0.0.9", now=T0)

    result = auth.sign_in(engine, auth_settings, "someone-else", "guess", "10.0.0.9", now=T0)

    assert result.delay_seconds > 0


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


# --- purging attempts ----------------------------------------------------------------------------------


def test_purge_deletes_only_attempts_older_than_attempts_keep_days(
    engine: Engine, auth_settings: AuthSettings, pinned_now: datetime
) -> None:
    add_person(engine)
    now = pinned_now.astimezone(UTC)
    for age in (timedelta(days=40), timedelta(days=31), timedelta(days=29), timedelta(hours=1)):
        auth.sign_in(engine, auth_settings, "fatima", "wrong password!", ADDRESS, now=now - age)

    security_log.purge(engine, attempts_keep_days=30, log_keep_days=3650, now=now)

    with reading(engine) as session:
        left = session.scalars(select(SignInAttempt.attempted_at).order_by(SignInAttempt.attempted_at)).all()
    assert [now - at > timedelta(days=28) for at in left] == [True, False]
