"""What people do with alerts: a leader reads their team's alerts and their history, acknowledges one with a note of
what they did, resolves it, or snoozes a rule for a person; a coproducer reads their own.

An acknowledged alert stays active until its condition clears; a resolved one opens again if its condition returns in
the same week (monitor.alerts.evaluation moves alerts along by themselves).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Alert, AlertEvent, AlertStatus, Membership, Person, Role, Snooze
from monitor.alerts.rules import BY_NAME, LEADER_ONLY
from monitor.alerts.rules.base import message_params
from monitor.alerts.store import ACTIVE
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor

NOTE_MAX = 1000
# Events that tell of a check-in: kept for the counsellor's side, never shown to a leader (README, "Who sees what").
CHECKIN_ACTIONS = ("counsellor_prompted",)


@dataclass(frozen=True)
class AlertRow:
    id: int
    rule: str
    person_id: int
    person_name: str
    team_id: int
    window_start: date
    severity: str
    status: str
    value: float
    threshold: float
    params: dict
    first_seen_at: datetime
    opened_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    note: str | None

    @property
    def message_params(self) -> dict:
        return message_params(self.params, self.value, self.threshold)


def _row(alert: Alert, name: str) -> AlertRow:
    return AlertRow(
        id=alert.id,
        rule=alert.rule,
        person_id=alert.person_id,
        person_name=name,
        team_id=alert.team_id,
        window_start=alert.window_start,
        severity=alert.severity,
        status=alert.status,
        value=alert.value,
        threshold=alert.threshold,
        params=json.loads(alert.detail),
        first_seen_at=alert.first_seen_at,
        opened_at=alert.opened_at,
        acknowledged_at=alert.acknowledged_at,
        resolved_at=alert.resolved_at,
        note=alert.note,
    )


# Reading ------------------------------------------------------------------------------------------------------------


def team_alerts(
    engine: Engine,
    actor: Actor,
    team_id: int,
    statuses: Iterable[str] = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
    rule: str | None = None,
    person_id: int | None = None,
) -> list[AlertRow]:
    """A team's alerts for its leaders, most severe and newest first."""
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees its alerts."))
    query = (
        select(Alert, Person.display_name)
        .join(Person, Person.id == Alert.person_id)
        .where(Alert.team_id == team_id, Alert.status.in_(list(statuses)))
    )
    if rule:
        query = query.where(Alert.rule == rule)
    if person_id:
        query = query.where(Alert.person_id == person_id)
    query = query.order_by((Alert.severity == "critical").desc(), Alert.first_seen_at.desc())
    with reading(engine) as session:
        return [_row(alert, name) for alert, name in session.execute(query).all()]


def my_alerts(engine: Engine, actor: Actor) -> list[AlertRow]:
    """The coproducer's own open alerts, to tell them where they stand (not those meant for the leader only)."""
    with reading(engine) as session:
        rows = session.execute(
            select(Alert, Person.display_name)
            .join(Person, Person.id == Alert.person_id)
            .where(
                Alert.person_id == actor.person_id,
                Alert.status.in_((AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)),
                Alert.rule.not_in(LEADER_ONLY),
            )
            .order_by(Alert.first_seen_at.desc())
        ).all()
        return [_row(alert, name) for alert, name in rows]


def history(engine: Engine, actor: Actor, alert_id: int) -> list[tuple[datetime, str, str | None, str | None]]:
    """(when, action, who, note) of one alert, oldest first, for its team's leaders."""
    with reading(engine) as session:
        _leader_alert(session, actor, alert_id)
        rows = session.execute(
            select(AlertEvent.at, AlertEvent.action, Person.display_name, AlertEvent.note)
            .outerjoin(Person, Person.id == AlertEvent.actor_id)
            .where(AlertEvent.alert_id == alert_id, AlertEvent.action.not_in(CHECKIN_ACTIONS))
            .order_by(AlertEvent.at, AlertEvent.id)
        ).all()
        return [(at, action, who, note) for at, action, who, note in rows]


# Acting -------------------------------------------------------------------------------------------------------------


def _leader_alert(session: Session, actor: Actor, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or not actor.has_role(Role.LEADER, alert.team_id):
        raise NotFound(N_("This alert does not exist or is not of your team."))
    return alert


def checked_note(note: str, required: bool = True) -> str:
    """The leader's note of what they did, stripped; a person's error when it is missing or too long."""
    note = (note or "").strip()
    if required and not note:
        raise ValidationError(N_("Write what you did, for example: handed the case to the social worker."))
    if len(note) > NOTE_MAX:
        raise ValidationError(N_("Keep the note to {max} characters."), max=NOTE_MAX)
    return note


def record_event(
    session: Session, alert: Alert, action: str, at: datetime, actor_id: int | None = None, note: str | None = None
) -> None:
    """Add to the alert's history what happened to it, when, by whom and with which note."""
    session.add(AlertEvent(alert_id=alert.id, at=at, action=action, actor_id=actor_id, note=note))


def acknowledge(engine: Engine, actor: Actor, alert_id: int, note: str, now: datetime | None = None) -> None:
    """A leader saw the alert and notes what they did; it stays active until its condition clears."""
    note = checked_note(note)
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        alert = _leader_alert(session, actor, alert_id)
        if alert.status not in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED):
            raise ValidationError(N_("Only an open alert can be acknowledged."))
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = now
        alert.acknowledged_by = actor.person_id
        alert.note = note
        record_event(session, alert, "acknowledged", now, actor.person_id, note)


def resolve(engine: Engine, actor: Actor, alert_id: int, note: str, now: datetime | None = None) -> None:
    """A leader closes the alert; it opens again if its condition returns in the same week."""
    note = checked_note(note)
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        alert = _leader_alert(session, actor, alert_id)
        if alert.status == AlertStatus.RESOLVED:
            raise ValidationError(N_("This alert is already resolved."))
        alert.status = AlertStatus.RESOLVED
        alert.resolved_at = now
        alert.resolved_by = actor.person_id
        alert.note = note
        record_event(session, alert, "resolved", now, actor.person_id, note)


def snooze(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    person_id: int,
    rule: str,
    until: date,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Silence one rule for one person up to and including `until`; active alerts of that rule are resolved."""
    now = now or datetime.now(UTC)
    reason = checked_note(reason)
    if rule not in BY_NAME:
        raise ValidationError(N_("Unknown rule: {rule}."), rule=rule)
    today = now.astimezone(settings.tz).date()
    if until < today:
        raise ValidationError(N_("Choose a date from today on."))
    if until > today + timedelta(days=90):
        raise ValidationError(N_("Snooze for at most 90 days; look again after that."))
    with unit_of_work(engine) as session:
        teams = session.scalars(
            select(Membership.team_id).where(Membership.person_id == person_id, Membership.role == Role.COPRODUCER)
        ).all()
        if not any(actor.has_role(Role.LEADER, team) for team in teams):
            raise PermissionDenied(N_("Only the coproducer's project leader can snooze their alerts."))
        session.add(
            Snooze(
                person_id=person_id, rule=rule, until=until, reason=reason, created_by=actor.person_id, created_at=now
            )
        )
        for alert in session.scalars(
            select(Alert).where(Alert.person_id == person_id, Alert.rule == rule, Alert.status.in_(ACTIVE))
        ).all():
            alert.status = AlertStatus.RESOLVED
            alert.resolved_at = now
            alert.resolved_by = actor.person_id
            record_event(session, alert, "snoozed", now, actor.person_id, f"{until.isoformat()}: {reason}")
