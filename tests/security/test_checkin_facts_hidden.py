"""Finding 2: a leader never learns that a counsellor was asked to check in with someone.

The access matrix for check-in facts: what a leader reads (alert history, inbox, the team's alert export) holds no
trace of the prompt, while the counsellor is told.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from db.engine import reading, unit_of_work
from db.models import Alert, AlertStatus, Notification
from monitor.alerts import actions, announcing, team_export
from monitor.config import Settings
from monitor.messages import inbox
from tests.unit.checkin_helpers import T0
from tests.unit.factories import team

CHECKIN_WORDS = ("counsellor", "check-in", "check in", "checkin", "vertrouwens", "gesprek")


def _prompted_alert(engine: Engine, settings: Settings) -> tuple[object, int]:
    world = team(engine)
    with unit_of_work(engine) as session:
        alert = Alert(
            rule="night",
            person_id=world.coproducer.person_id,
            team_id=world.id,
            window_start=T0.date(),
            severity="critical",
            status=AlertStatus.OPEN,
            value=2,
            threshold=1,
            first_seen_at=T0,
            last_seen_at=T0,
            opened_at=T0,
        )
        session.add(alert)
        session.flush()
        announcing.prompt_counsellor(session, settings, alert, T0, "why")
        alert_id = alert.id
    return world, alert_id


def _has_checkin_fact(text: str) -> bool:
    return any(word in text.lower() for word in CHECKIN_WORDS)


def test_the_alert_history_a_leader_reads_holds_no_counsellor_prompt(engine: Engine, settings: Settings) -> None:
    world, alert_id = _prompted_alert(engine, settings)
    history = actions.history(engine, world.leader, alert_id)
    assert all("counsellor" not in action for _at, action, _who, _note in history)


def test_the_leaders_inbox_holds_no_checkin_fact_while_the_counsellor_is_told(
    engine: Engine, settings: Settings
) -> None:
    world, _alert_id = _prompted_alert(engine, settings)
    leader_items = inbox.list_notifications(engine, world.leader)
    assert not any(_has_checkin_fact(f"{item.text} {item.link}") for item in leader_items)
    with reading(engine) as session:
        kinds = session.scalars(
            select(Notification.kind).where(Notification.person_id == world.counsellor.person_id)
        ).all()
    assert "checkin_prompt" in kinds


def test_the_team_alert_export_holds_no_checkin_fact(engine: Engine, settings: Settings) -> None:
    world, _alert_id = _prompted_alert(engine, settings)
    rows = team_export.alert_rows(actions.team_alerts(engine, world.leader, world.id), settings)
    data = team_export.to_file(rows, team_export.ALERT_COLUMNS, "csv", "alerts").decode("utf-8-sig")
    assert rows and not _has_checkin_fact(data)
