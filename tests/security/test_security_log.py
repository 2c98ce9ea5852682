"""Finding 5: security events are logged (who, when, from where, what; never a password) and purged in time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from db.engine import reading
from db.models import Role, SecurityEvent, SignInAttempt
from monitor import scheduler
from monitor.config import AuthSettings, Settings
from monitor.errors import PermissionDenied
from monitor.people import accounts as people
from monitor.people import auth, security_log
from monitor.people.access import SYSTEM
from tests.pages.conftest import World
from tests.unit.web.route_helpers import build_app, sign_in

PASSWORD = "correct horse battery"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("fast_passwords")


def logged(engine: Engine) -> list[tuple[str, str, str]]:
    with reading(engine) as session:
        rows = session.scalars(select(SecurityEvent).order_by(SecurityEvent.id)).all()
        return [(row.kind, row.username, row.address) for row in rows]


def test_sign_in_failure_slow_down_success_and_sign_out_are_logged_without_the_password(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    for i in range(auth_settings.slow_after_failures + 1):
        auth.sign_in(
            engine, auth_settings, "fatima", "secret guess 1", "198.51.100.7", now=T0 + timedelta(milliseconds=i)
        )
    token = auth.sign_in(engine, auth_settings, "fatima", PASSWORD, "192.0.2.10", now=T0 + timedelta(minutes=5)).token
    auth.sign_out(engine, token, now=T0 + timedelta(minutes=6), address="192.0.2.10")

    kinds = [kind for kind, _user, _address in logged(engine)]
    assert kinds[: auth_settings.slow_after_failures] == ["sign_in_failed"] * auth_settings.slow_after_failures
    assert "sign_in_throttled" in kinds
    assert kinds[-2:] == ["signed_in", "signed_out"]
    assert ("signed_in", "fatima", "192.0.2.10") in logged(engine)
    with reading(engine) as session:
        details = " ".join(session.scalars(select(SecurityEvent.detail)).all())
    assert "secret guess" not in details and PASSWORD not in details


def test_ending_someones_sessions_and_changing_a_password_are_logged(engine: Engine) -> None:
    person_id = people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    auth.open_session(engine, person_id)
    people.set_active(engine, SYSTEM, person_id, False)
    people.set_active(engine, SYSTEM, person_id, True)
    actor = auth.actor_for_person(engine, person_id)
    assert actor is not None
    people.change_own_password(engine, actor, PASSWORD, "a sentence she chose herself", keep_token=None)

    kinds = [kind for kind, _user, _address in logged(engine)]
    assert "sessions_ended" in kinds and "password_changed" in kinds


def test_a_refused_page_is_logged(world: World) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))

    world.app("pages/admin.py").run()

    assert ("access_refused", "fatima", "unknown") in logged(world.engine)


def test_a_service_refusal_no_page_expected_is_logged_and_shown(world: World) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionDenied("Only the project leader of a team sees its alerts.")

    world.monkeypatch.setattr("monitor.ui.guard.require", refuse)
    at = world.app().run()

    assert not at.exception
    assert [e.value for e in at.error] == ["Only the project leader of a team sees its alerts."]
    assert [kind for kind, _u, _a in logged(world.engine)] == ["access_refused"]


def test_the_sign_in_route_logs_the_address(settings: Settings, auth_settings: AuthSettings, engine: Engine) -> None:
    people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    app_settings = dataclasses.replace(settings, auth=auth_settings)
    with TestClient(build_app(app_settings, engine), follow_redirects=False) as client:
        sign_in(client)

    assert logged(engine) == [("signed_in", "fatima", "testclient")]


def test_an_administrator_filters_and_exports_the_log(engine: Engine, auth_settings: AuthSettings) -> None:
    people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    auth.sign_in(engine, auth_settings, "fatima", "wrong one!", "198.51.100.7", now=T0)
    auth.sign_in(engine, auth_settings, "=cmd|x", "wrong one!", "198.51.100.7", now=T0 + timedelta(seconds=1))
    auth.sign_in(engine, auth_settings, "fatima", PASSWORD, "192.0.2.10", now=T0 + timedelta(seconds=2))

    failed = security_log.events(engine, SYSTEM, kind="sign_in_failed")
    hers = security_log.events(engine, SYSTEM, username="fati")
    csv = security_log.to_csv(security_log.events(engine, SYSTEM)).decode("utf-8-sig")

    assert [row.username for row in failed] == ["=cmd|x", "fatima"]
    assert [row.kind for row in hers] == ["signed_in", "sign_in_failed"]
    assert "'=cmd|x" in csv and csv.startswith("at_utc,kind,username,address,detail")
    coproducer_id = people.create_person(engine, SYSTEM, "henk", "Henk", None)
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    people.grant_role(engine, SYSTEM, coproducer_id, team_id, Role.COPRODUCER)
    henk = auth.actor_for_person(engine, coproducer_id)
    assert henk is not None
    with pytest.raises(PermissionDenied):
        security_log.events(engine, henk)


def test_the_purge_job_keeps_attempts_30_days_and_the_log_730_days(
    engine: Engine, settings: Settings, pinned_now: datetime
) -> None:
    now = pinned_now.astimezone(UTC)
    with security_log.unit_of_work(engine) as session:
        for days in (29, 31):
            session.add(
                SignInAttempt(username="x", address="a", attempted_at=now - timedelta(days=days), succeeded=False)
            )
        for days in (729, 731):
            security_log.record(session, "signed_in", None, "x", "a", at=now - timedelta(days=days))

    assert settings.auth.attempts_keep_days == 30 and settings.audit_keep_days == 730
    assert scheduler.purge_security_records(engine, settings) == 2
    with reading(engine) as session:
        assert len(session.scalars(select(SignInAttempt)).all()) == 1
        assert len(session.scalars(select(SecurityEvent)).all()) == 1


def test_the_scheduler_runs_the_purge_daily(settings: Settings) -> None:
    sched = scheduler.build(lambda: settings, worker="test")
    assert "security_purge" in {job.id for job in sched.get_jobs()}


def test_the_security_page_shows_a_slowed_account_clears_it_and_lists_the_log(
    world: World, pinned_now: datetime
) -> None:
    from monitor.config import settings as app_settings

    world.person("fatima", "Fatima", Role.COPRODUCER)
    world.sign_in(world.person_in(Role.ADMIN))
    cfg = app_settings().auth
    now = pinned_now.astimezone(UTC)
    for i in range(cfg.slow_after_failures + 1):
        auth.sign_in(world.engine, cfg, "fatima", "wrong guess!", "198.51.100.7", now=now + timedelta(milliseconds=i))

    at = world.app("pages/security.py").run()
    assert not at.exception
    assert any("fatima" in m.value for m in at.markdown)
    [clear] = [b for b in at.button if b.key == "unlock-fatima"]
    clear.click().run()

    assert auth.account_wait(world.engine, cfg, "fatima") == 0
    assert "unlocked" in [kind for kind, _u, _a in logged(world.engine)]
    assert not at.exception
