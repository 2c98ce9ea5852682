"""Finding 1: nobody can lock a named person out, and a proxy's address does not lock everyone out.

Throttle, don't lock out: a growing per-account wait that a known device skips, a per-address slow-down that never
refuses, the address behind a trusted proxy, an administrator who can clear an account, one answer for every name.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from db.models import Role
from monitor.config import AuthSettings, Settings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.people.auth import Outcome
from monitor.web.cookies import DEVICE_COOKIE, client_address
from tests.unit.web.route_helpers import build_app, sign_in

PASSWORD = "correct horse battery"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HER_PHONE = "192.0.2.10"
NEIGHBOUR = "198.51.100.7"
PROXY = "10.0.0.1"

pytestmark = pytest.mark.usefixtures("fast_passwords")


def add_fatima(engine: Engine) -> int:
    return people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)


def neighbour_guesses(engine: Engine, cfg: AuthSettings, times: int, start: datetime = T0) -> None:
    for i in range(times):
        auth.sign_in(engine, cfg, "fatima", "is it this one?", NEIGHBOUR, now=start + timedelta(seconds=i))


def test_guesses_from_elsewhere_do_not_keep_her_out_of_a_browser_she_used_before(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    add_fatima(engine)
    first = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, HER_PHONE, now=T0)
    assert first.outcome == Outcome.SIGNED_IN and first.device_token

    neighbour_guesses(engine, auth_settings, 30, start=T0 + timedelta(minutes=1))
    later = T0 + timedelta(minutes=1, seconds=31)

    assert auth.sign_in(engine, auth_settings, "fatima", PASSWORD, NEIGHBOUR, now=later).outcome == Outcome.THROTTLED
    again = auth.sign_in(
        engine, auth_settings, "fatima", PASSWORD, HER_PHONE, now=later, device_token=first.device_token
    )
    assert again.outcome == Outcome.SIGNED_IN


def test_a_device_cookie_of_another_account_does_not_skip_the_wait(engine: Engine, auth_settings: AuthSettings) -> None:
    add_fatima(engine)
    people.create_person(engine, SYSTEM, "henk", "Henk", PASSWORD)
    henks = auth.sign_in(engine, auth_settings, "henk", PASSWORD, NEIGHBOUR, now=T0).device_token
    neighbour_guesses(engine, auth_settings, 10, start=T0 + timedelta(seconds=1))

    result = auth.sign_in(
        engine, auth_settings, "fatima", PASSWORD, NEIGHBOUR, now=T0 + timedelta(seconds=12), device_token=henks
    )

    assert result.outcome == Outcome.THROTTLED


def test_the_wait_is_bounded_so_she_gets_in_after_at_most_a_minute_without_help(engine: Engine) -> None:
    cfg = AuthSettings()  # the shipped values: 1 s doubling, at most 60 s
    add_fatima(engine)
    neighbour_guesses(engine, cfg, 50)

    wait = auth.account_wait(engine, cfg, "fatima", now=T0 + timedelta(seconds=50))
    after = auth.sign_in(engine, cfg, "fatima", PASSWORD, HER_PHONE, now=T0 + timedelta(seconds=49 + 60))

    assert 0 < wait <= 60
    assert after.outcome == Outcome.SIGNED_IN


def test_many_failures_from_one_address_slow_it_down_but_never_refuse_someone_else(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    """Behind a proxy that is not trusted every request has the proxy's address: that must not lock everyone out."""
    add_fatima(engine)
    for i in range(100):
        auth.sign_in(engine, auth_settings, f"guess{i}", "nope", PROXY, now=T0 + timedelta(seconds=i))

    result = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, PROXY, now=T0 + timedelta(seconds=101))

    assert result.outcome == Outcome.SIGNED_IN
    assert result.delay_seconds == 0


def test_the_address_behind_a_trusted_proxy_is_the_persons() -> None:
    assert client_address(PROXY, f"203.0.113.5, {HER_PHONE}", (PROXY,)) == HER_PHONE
    assert client_address(PROXY, HER_PHONE, ("10.0.0.0/8",)) == HER_PHONE
    # A proxy that is not trusted, or a client writing the header itself, is not believed.
    assert client_address(PROXY, HER_PHONE, ()) == PROXY
    assert client_address(NEIGHBOUR, HER_PHONE, (PROXY,)) == NEIGHBOUR


def test_an_administrator_sees_the_slowed_account_and_clears_it(engine: Engine, auth_settings: AuthSettings) -> None:
    add_fatima(engine)
    admin_id = people.create_person(engine, SYSTEM, "beheer", "Beheer", None)
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    people.grant_role(engine, SYSTEM, admin_id, team_id, Role.ADMIN)
    admin = auth.actor_for_person(engine, admin_id)
    assert admin is not None
    neighbour_guesses(engine, auth_settings, 6)
    now = T0 + timedelta(seconds=6)

    slowed = auth.slowed_accounts(engine, admin, auth_settings, now=now)
    assert [row.username for row in slowed] == ["fatima"]
    auth.unlock(engine, admin, "fatima")

    assert auth.slowed_accounts(engine, admin, auth_settings, now=now) == []
    assert auth.sign_in(engine, auth_settings, "fatima", PASSWORD, NEIGHBOUR, now=now).outcome == Outcome.SIGNED_IN


def test_monitor_user_unlock_clears_an_account(
    engine: Engine, auth_settings: AuthSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from monitor import cli
    from monitor.cli import common as cli_common

    add_fatima(engine)
    neighbour_guesses(engine, auth_settings, 6)
    monkeypatch.setattr(cli_common, "engine", lambda: engine)

    cli.main(["user", "unlock", "fatima"])

    assert "Cleared" in capsys.readouterr().out
    assert auth.account_wait(engine, auth_settings, "fatima", now=T0 + timedelta(seconds=6)) == 0


def without_token(html: str) -> str:
    """The page without its CSRF token, which is fresh on every form."""
    return re.sub(r'name="csrf" value="[^"]+"', 'name="csrf"', html)


def test_a_known_and_an_unknown_name_get_the_same_answers(
    settings: Settings, auth_settings: AuthSettings, engine: Engine
) -> None:
    add_fatima(engine)
    slow = dataclasses.replace(settings, auth=dataclasses.replace(auth_settings, slowdown_seconds=30.0))
    answers = {}
    for name in ("fatima", "nosuchuser"):
        with TestClient(build_app(slow, engine), follow_redirects=False) as client:
            wrong = [sign_in(client, name, "not the password") for _ in range(slow.auth.slow_after_failures)]
            throttled = sign_in(client, name, "not the password")
        answers[name] = [(r.status_code, without_token(r.text).replace(name, "NAME")) for r in (*wrong, throttled)]

    assert answers["fatima"] == answers["nosuchuser"]
    assert [status for status, _text in answers["fatima"]][-1] == 429


def test_signing_in_sets_a_long_lived_device_cookie_only_for_the_sign_in_routes(
    settings: Settings, auth_settings: AuthSettings, engine: Engine
) -> None:
    add_fatima(engine)
    with TestClient(build_app(dataclasses.replace(settings, auth=auth_settings), engine), follow_redirects=False) as c:
        response = sign_in(c)

    [cookie] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{DEVICE_COOKIE}=")]
    assert "path=/auth/" in cookie.lower() and "httponly" in cookie.lower()
    assert f"max-age={auth_settings.known_device_days * 86400}" in cookie.lower()
