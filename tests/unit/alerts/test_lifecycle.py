"""The life of a burden alert: pending, open, acknowledged, resolved, opened again; who hears about it; races."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import Alert, AlertEvent, AlertStatus, Notification
from monitor.alerts import actions, evaluation
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

MONDAY = date(2026, 11, 16)
T0 = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # Friday 20:00 in Amsterdam


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    return replace(settings, rules=replace(settings.rules, resolve_after_minutes=60))


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def nights(engine: Engine, cfg: Settings, who: Team, count: int, now: datetime = T0) -> list[int]:
    """count night requests this week: over the default limit of 1 from the second on."""
    me = who.coproducer
    ids = []
    for i in range(count):
        when = datetime(2026, 11, 17 + i, 1, 30, tzinfo=UTC)  # 02:30 local
        data = RequestInput(minutes=20, channel="phone", topics=("mental_health",), received_at=when)
        ids.append(requests.log_request(engine, cfg, me, me.person_id, data, now=now).id)
    return ids


def night_alerts(engine: Engine) -> list[Alert]:
    with reading(engine) as session:
        return list(session.scalars(select(Alert).where(Alert.rule == "night").order_by(Alert.id)).all())


def events(engine: Engine, alert_id: int) -> list[str]:
    with reading(engine) as session:
        return list(
            session.scalars(
                select(AlertEvent.action).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
            ).all()
        )


def inbox(engine: Engine, person_id: int) -> list[str]:
    with reading(engine) as session:
        return list(session.scalars(select(Notification.key).where(Notification.person_id == person_id)).all())


def test_an_alert_opens_once_and_tells_the_coproducer_and_the_leader(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    nights(engine, cfg, moerwijk, 2)
    first = evaluation.evaluate(engine, cfg, at=T0)
    second = evaluation.evaluate(engine, cfg, at=T0 + timedelta(minutes=15))
    [alert] = night_alerts(engine)
    assert first.opened == [alert.id] and second.opened == []
    assert (alert.status, alert.window_start, alert.value, alert.threshold) == ("open", MONDAY, 2, 1)
    assert events(engine, alert.id) == ["opened"]
    assert len(inbox(engine, moerwijk.coproducer.person_id)) == 1
    assert len(inbox(engine, moerwijk.leader.person_id)) == 1
    assert inbox(engine, moerwijk.other_coproducer.person_id) == []
    assert inbox(engine, moerwijk.admin.person_id) == []


def test_a_pending_alert_opens_only_when_the_condition_has_held_long_enough(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    waiting = replace(cfg, rules=replace(cfg.rules, pending_minutes=30))
    nights(engine, waiting, moerwijk, 2)
    evaluation.evaluate(engine, waiting, at=T0)
    assert [a.status for a in night_alerts(engine)] == ["pending"]
    assert inbox(engine, moerwijk.leader.person_id) == []
    evaluation.evaluate(engine, waiting, at=T0 + timedelta(minutes=29))
    assert [a.status for a in night_alerts(engine)] == ["pending"]
    result = evaluation.evaluate(engine, waiting, at=T0 + timedelta(minutes=30))
    [alert] = night_alerts(engine)
    assert alert.status == "open" and result.opened == [alert.id]
    assert events(engine, alert.id) == ["pending", "opened"]
    assert len(inbox(engine, moerwijk.leader.person_id)) == 1


def test_the_leader_acknowledges_with_a_note_and_others_cannot(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    [alert] = night_alerts(engine)
    with pytest.raises(ValidationError, match="Write what you did"):
        actions.acknowledge(engine, moerwijk.leader, alert.id, "   ")
    for outsider in (moerwijk.coproducer, moerwijk.counsellor, moerwijk.admin, team(engine, "Transvaal", "t_").leader):
        with pytest.raises(NotFound):
            actions.acknowledge(engine, outsider, alert.id, "I looked")
    actions.acknowledge(engine, moerwijk.leader, alert.id, "Handed the night calls to the social worker", now=T0)
    [alert] = night_alerts(engine)
    assert (alert.status, alert.note, alert.acknowledged_by) == (
        "acknowledged",
        "Handed the night calls to the social worker",
        moerwijk.leader.person_id,
    )
    history = actions.history(engine, moerwijk.leader, alert.id)
    assert [(action, who) for _at, action, who, _note in history] == [("opened", None), ("acknowledged", "Lotte")]


def test_an_alert_resolves_itself_once_clear_long_enough_and_opens_again_when_it_returns(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    first, second = nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    requests.delete_request(engine, cfg, me, second, now=T0 + timedelta(minutes=1))
    evaluation.evaluate(engine, cfg, at=T0 + timedelta(minutes=15))
    assert [a.status for a in night_alerts(engine)] == ["open"]  # cleared, but not long enough
    result = evaluation.evaluate(engine, cfg, at=T0 + timedelta(minutes=75))
    [alert] = night_alerts(engine)
    assert alert.status == "resolved" and result.resolved == [alert.id]

    data = RequestInput(
        minutes=20, channel="phone", topics=("money",), received_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    )  # Saturday 00:30 local
    requests.log_request(engine, cfg, me, me.person_id, data, now=T0 + timedelta(hours=5))
    result = evaluation.evaluate(engine, cfg, at=T0 + timedelta(hours=5))
    [alert] = night_alerts(engine)  # the same alert for this week, opened again
    assert (alert.status, alert.times_opened) == ("open", 2) and result.reopened == [alert.id]
    assert events(engine, alert.id) == ["opened", "resolved", "reopened"]
    assert len(inbox(engine, me.person_id)) == 2  # told again


def test_a_leader_who_resolves_a_holding_alert_is_not_overruled_until_it_returns(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    [alert] = night_alerts(engine)
    actions.resolve(engine, moerwijk.leader, alert.id, "Talked it through; the calls were one family", now=T0)
    evaluation.evaluate(engine, cfg, at=T0 + timedelta(minutes=15))
    assert [a.status for a in night_alerts(engine)] == ["resolved"]
    with pytest.raises(ValidationError, match="already resolved"):
        actions.resolve(engine, moerwijk.leader, alert.id, "again")


def test_a_new_week_continues_an_alert_that_is_still_active(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    # Monday 23 November: the 7-day window still holds both nights, so the alert of last week goes on.
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    evaluation.evaluate(engine, cfg, at=monday)
    [alert] = night_alerts(engine)
    assert (alert.window_start, alert.status, alert.last_seen_at) == (MONDAY, "open", monday)
    assert len(inbox(engine, me.person_id)) == 1


def test_snoozing_a_rule_resolves_its_alert_and_keeps_it_quiet_until_the_date(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    with pytest.raises(PermissionDenied):
        actions.snooze(engine, cfg, me, me.person_id, "night", date(2026, 11, 27), "I am fine", now=T0)
    with pytest.raises(ValidationError, match="from today"):
        actions.snooze(engine, cfg, moerwijk.leader, me.person_id, "night", date(2026, 11, 1), "x", now=T0)
    actions.snooze(
        engine,
        cfg,
        moerwijk.leader,
        me.person_id,
        "night",
        date(2026, 11, 27),
        "Night duty week agreed with the team",
        now=T0,
    )
    result = evaluation.evaluate(engine, cfg, at=T0 + timedelta(hours=1))
    assert result.findings == 0
    [alert] = night_alerts(engine)
    assert alert.status == "resolved"
    assert events(engine, alert.id) == ["opened", "snoozed"]


def test_a_critical_alert_prompts_the_counsellor_once_without_the_logs(
    engine: Engine, cfg: Settings, moerwijk: Team
) -> None:
    critical = replace(cfg, rules=replace(cfg.rules, severity={**cfg.rules.severity, "night": "critical"}))
    nights(engine, critical, moerwijk, 2)
    first = evaluation.evaluate(engine, critical, at=T0)
    evaluation.evaluate(engine, critical, at=T0 + timedelta(minutes=15))
    [alert] = night_alerts(engine)
    assert first.counsellor_prompts == [alert.id]
    with reading(engine) as session:
        [note] = session.scalars(
            select(Notification).where(Notification.person_id == moerwijk.counsellor.person_id)
        ).all()
    assert note.kind == "checkin_prompt" and "Fatima" in note.params and "02:30" not in note.params


def test_an_alert_open_for_two_weeks_prompts_the_counsellor(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    [alert] = night_alerts(engine)
    with reading(engine) as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.person_id == moerwijk.counsellor.person_id)
            )
            == 0
        )
    # Keep the condition alive (more nights) and look again after 14 days.
    later = T0 + timedelta(days=14)
    me = moerwijk.coproducer
    for i in range(2):
        data = RequestInput(
            minutes=10, channel="phone", topics=("money",), received_at=later - timedelta(days=1 + i, hours=18)
        )
        requests.log_request(engine, cfg, me, me.person_id, data, now=later)
    result = evaluation.evaluate(engine, cfg, at=later)
    assert result.counsellor_prompts == [alert.id]
    assert len(inbox(engine, moerwijk.counsellor.person_id)) == 1


def test_two_evaluations_at_the_same_moment_raise_one_alert(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    nights(engine, cfg, moerwijk, 2)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            evaluation.evaluate(engine, cfg, at=T0)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    [alert] = night_alerts(engine)
    assert events(engine, alert.id) == ["opened"]
    assert len(inbox(engine, moerwijk.leader.person_id)) == 1


def test_leaders_see_their_team_alerts_and_coproducers_their_own(engine: Engine, cfg: Settings, moerwijk: Team) -> None:
    nights(engine, cfg, moerwijk, 2)
    evaluation.evaluate(engine, cfg, at=T0)
    [row] = actions.team_alerts(engine, moerwijk.leader, moerwijk.id)
    assert (row.rule, row.person_name, row.message_params) == ("night", "Fatima", {"value": 2, "threshold": 1})
    assert [r.rule for r in actions.my_alerts(engine, moerwijk.coproducer)] == ["night"]
    assert actions.my_alerts(engine, moerwijk.other_coproducer) == []
    for outsider in (moerwijk.coproducer, moerwijk.counsellor, moerwijk.admin):
        with pytest.raises(PermissionDenied):
            actions.team_alerts(engine, outsider, moerwijk.id)
    assert actions.team_alerts(engine, moerwijk.leader, moerwijk.id, statuses=[AlertStatus.RESOLVED]) == []
