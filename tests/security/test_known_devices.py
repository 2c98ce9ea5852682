"""Issue 27: a known-device cookie is forgotten on the server after auth.known_device_days, and when the password is
set by an administrator or changed by the person, so an old or copied cookie no longer skips the wait."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from monitor.config import AuthSettings, ConfigError
from monitor.config.loading import parse
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor
from monitor.people.auth import Outcome
from tests.security.test_throttle_not_lockout import HER_PHONE, PASSWORD, T0, add_fatima, neighbour_guesses

pytestmark = pytest.mark.usefixtures("fast_passwords")
NEW_PASSWORD = "a quiet bicycle in winter"


def _known_then_guessed(engine: Engine, cfg: AuthSettings, at: object) -> str:
    """Fatima signs in from her phone at T0; from `at` on, a neighbour guesses until the account waits."""
    device = auth.sign_in(engine, cfg, "fatima", PASSWORD, HER_PHONE, now=T0).device_token
    assert device
    neighbour_guesses(engine, cfg, 10, start=at)  # type: ignore[arg-type]
    return device


def test_a_device_is_known_until_known_device_days_have_passed(engine: Engine, auth_settings: AuthSettings) -> None:
    cfg = dataclasses.replace(auth_settings, known_device_days=90)
    add_fatima(engine)
    within = T0 + timedelta(days=89, hours=23)
    device = _known_then_guessed(engine, cfg, within)

    inside = auth.sign_in(
        engine, cfg, "fatima", PASSWORD, HER_PHONE, now=within + timedelta(seconds=11), device_token=device
    )
    assert inside.outcome == Outcome.SIGNED_IN

    after = T0 + timedelta(days=90, minutes=1)
    neighbour_guesses(engine, cfg, 10, start=after)
    outside = auth.sign_in(
        engine, cfg, "fatima", PASSWORD, HER_PHONE, now=after + timedelta(seconds=11), device_token=device
    )
    assert outside.outcome == Outcome.THROTTLED


def test_a_device_cookie_400_days_old_skips_nothing(engine: Engine, auth_settings: AuthSettings) -> None:
    add_fatima(engine)
    later = T0 + timedelta(days=400)
    device = _known_then_guessed(engine, auth_settings, later)

    result = auth.sign_in(
        engine, auth_settings, "fatima", PASSWORD, HER_PHONE, now=later + timedelta(seconds=11), device_token=device
    )

    assert result.outcome == Outcome.THROTTLED


def test_an_administrator_setting_the_password_forgets_her_devices(engine: Engine, auth_settings: AuthSettings) -> None:
    fatima = add_fatima(engine)
    soon = T0 + timedelta(minutes=5)
    device = _known_then_guessed(engine, auth_settings, soon)

    people.set_password(engine, SYSTEM, fatima, NEW_PASSWORD)
    result = auth.sign_in(
        engine, auth_settings, "fatima", NEW_PASSWORD, HER_PHONE, now=soon + timedelta(seconds=11), device_token=device
    )

    assert result.outcome == Outcome.THROTTLED


def test_changing_her_own_password_forgets_her_devices(engine: Engine, auth_settings: AuthSettings) -> None:
    fatima = add_fatima(engine)
    first = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, HER_PHONE, now=T0)
    actor = Actor(person_id=fatima, username="fatima", display_name="Fatima")
    people.change_own_password(engine, actor, PASSWORD, NEW_PASSWORD, first.token, auth_settings, now=T0)
    soon = T0 + timedelta(minutes=5)
    neighbour_guesses(engine, auth_settings, 10, start=soon)

    result = auth.sign_in(
        engine,
        auth_settings,
        "fatima",
        NEW_PASSWORD,
        HER_PHONE,
        now=soon + timedelta(seconds=11),
        device_token=first.device_token,
    )

    assert result.outcome == Outcome.THROTTLED


@pytest.mark.parametrize("days", [0, 401])
def test_known_device_days_is_bounded(days: int) -> None:
    with pytest.raises(ConfigError, match="known_device_days"):
        parse({"auth": {"known_device_days": days}}, "test", env={})
