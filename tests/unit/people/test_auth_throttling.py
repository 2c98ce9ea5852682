"""monitor.people.auth: throttling guessing without locking anyone out, and purging old attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import SignInAttempt
from monitor.config import AuthSettings
from monitor.people import auth, security_log
from monitor.people.auth import Outcome
from tests.unit.people.auth_helpers import ADDRESS, ADDRESS_FACTOR, PASSWORD, T0, add_person, attempt_count, fail

pytestmark = pytest.mark.usefixtures("fast_passwords")


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
