"""Burden alerts: evaluating the rules, the life of an alert, and what leaders do about it.

Life of an alert (after Prometheus/Alertmanager and healthchecks): pending until its condition has held for
rules.pending_minutes, then open; acknowledged by a leader with a note; resolved by itself once the condition has been
clear for rules.resolve_after_minutes, or by a leader; opened again if the condition returns in the same window.
One alert per rule, person and window (the local week its episode began), enforced by a unique constraint.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Alert, AlertEvent, AlertStatus, Membership, Person, Role, Snooze
from monitor.alerts.rules import ALL, BY_NAME, LEADER_ONLY
from monitor.alerts.rules.base import Context, Coproducer, Finding
from monitor.checkins import lifecycle as checkins
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.messages import notify
from monitor.people.access import Actor
from monitor.requests.agreements import in_force, versions_of

ACTIVE = (AlertStatus.PENDING, AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
NOTE_MAX = 1000


@dataclass
class Evaluation:
    at: datetime
    findings: int = 0
    opened: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    counsellor_prompts: list[int] = field(default_factory=list)
    # The alerts opened (or opened again) in this evaluation, told in one message per person at its end.
    announced: list[Alert] = field(default_factory=list, repr=False)


def _context(session: Session, settings: Settings, at: datetime, person_ids: Iterable[int] | None) -> Context:
    query = (
        select(Membership.person_id, Membership.team_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == Role.COPRODUCER, Person.active.is_(True))
        .order_by(Membership.person_id, Membership.team_id)
    )
    if person_ids is not None:
        query = query.where(Membership.person_id.in_(list(person_ids)))
    today = at.astimezone(settings.tz).date()
    teams: dict[int, int] = {}
    for person_id, team_id in session.execute(query).all():
        teams.setdefault(person_id, team_id)  # the first team, as requests.coproducer_team chooses
    history = versions_of(session, teams)  # one query for everyone's agreements, not one per person
    people = {
        person_id: Coproducer(person_id, team_id, in_force(history[person_id], today, settings.demarcation))
        for person_id, team_id in teams.items()
    }
    return Context(at=at, today=today, settings=settings, people=people)


def _snoozed(session: Session, today: date, person_ids: Iterable[int]) -> set[tuple[int, str]]:
    rows = session.execute(
        select(Snooze.person_id, Snooze.rule).where(
            Snooze.person_id.in_(list(person_ids)), Snooze.until >= today, Snooze.ended_at.is_(None)
        )
    ).all()
    return {(person_id, rule) for person_id, rule in rows}


def _event(
    session: Session, alert: Alert, action: str, at: datetime, actor_id: int | None = None, note: str | None = None
) -> None:
    session.add(AlertEvent(alert_id=alert.id, at=at, action=action, actor_id=actor_id, note=note))


def _leaders_and_counsellors(session: Session, team_id: int, role: Role) -> list[int]:
    # Asked once per team and role in a unit of work, not once per alert: an evaluation may open thousands.
    known: dict[tuple[int, Role], list[int]] = session.info.setdefault("team_roles", {})
    if (team_id, role) not in known:
        known[team_id, role] = list(
            session.scalars(
                select(Membership.person_id)
                .join(Person, Person.id == Membership.person_id)
                .where(Membership.team_id == team_id, Membership.role == role, Person.active.is_(True))
            ).all()
        )
    return known[team_id, role]


def _display_name(session: Session, person_id: int) -> str:
    """The person's name for a notification; evaluate() reads everyone's at once (a query per alert also flushed
    the session each time)."""
    names: dict[int, str] = session.info.setdefault("display_names", {})
    if person_id not in names:
        names[person_id] = session.scalar(select(Person.display_name).where(Person.id == person_id)) or "?"
    return names[person_id]


LEADER_BATCH = N_("New alerts in your team ({n}):\n{lines}")
SELF_BATCH = N_("New alerts about your own load ({n}):\n{lines}")
PERSON_LINE = N_("{name}:")
ALERT_LINE = N_("- {title}")


def _params_of(alert: Alert) -> dict:
    return {**json.loads(alert.detail), "value": _number(alert.value), "threshold": _number(alert.threshold)}


def _announce(session: Session, settings: Settings, opened: list[Alert], at: datetime) -> None:
    """Tell the coproducers and their team's leaders about the alerts this evaluation opened: one message each.

    A leader gets one message listing the new alerts per person; a coproducer one about their own. Each message's key
    is that of the first alert (and opening) in it, as when every alert had its own message: every opening is
    announced by the one evaluation that opened it, so the unique key still makes the message exactly-once.
    """
    if not opened:
        return
    person_ids = {alert.person_id for alert in opened}
    names = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(person_ids))).all())
    by_person: dict[int, list[Alert]] = {}
    for alert in sorted(opened, key=lambda a: (a.person_id, a.id)):
        by_person.setdefault(alert.person_id, []).append(alert)
    for person_id, own in by_person.items():
        told = [a for a in own if a.rule not in LEADER_ONLY]
        if not told:
            continue
        first = told[0]
        if len(told) == 1:
            message, params = BY_NAME[first.rule].message, _params_of(first)
        else:
            lines = [{"msgid": BY_NAME[a.rule].message, "params": _params_of(a)} for a in told]
            message, params = SELF_BATCH, {"n": len(told), "lines": lines}
        key = f"alert:{first.id}:{first.times_opened}:self"
        notify.add(session, settings, person_id, key, "alert", message, params, "my-week", first.id, at)
    by_leader: dict[int, list[Alert]] = {}
    for alert in sorted(opened, key=lambda a: (a.person_id, a.id)):
        for leader in _leaders_and_counsellors(session, alert.team_id, Role.LEADER):
            by_leader.setdefault(leader, []).append(alert)
    for leader, theirs in by_leader.items():
        first = theirs[0]
        if len(theirs) == 1:
            name = names.get(first.person_id) or "?"
            message = N_("{name}: {title}.")
            params = {"name": name, "title": BY_NAME[first.rule].title, **_params_of(first)}
        else:
            lines: list[dict] = []
            for person_id in dict.fromkeys(a.person_id for a in theirs):
                lines.append({"msgid": PERSON_LINE, "params": {"name": names.get(person_id) or "?"}})
                lines += [
                    {"msgid": ALERT_LINE, "params": {"title": BY_NAME[a.rule].title}}
                    for a in theirs
                    if a.person_id == person_id
                ]
            message, params = LEADER_BATCH, {"n": len(theirs), "lines": lines}
        key = f"alert:{first.id}:{first.times_opened}:{leader}"
        notify.add(session, settings, leader, key, "alert", message, params, "alerts", first.id, at)


def prompt_counsellor(
    session: Session, settings: Settings, alert: Alert, at: datetime, why: str, reason: str = "alert_critical"
) -> bool:
    """Ask the team's counsellors to check in with the coproducer, once per alert. Says why, not the logs.

    It also opens a check-in (monitor.checkins.lifecycle) for reason, or adds the reason to the person's open one; the
    counsellors are told here, so the check-in does not tell them again.
    """
    if alert.counsellor_prompted_at is not None:
        return False
    alert.counsellor_prompted_at = at
    params = {"title": BY_NAME[alert.rule].title}
    checkins.open_checkin(session, settings, alert.person_id, alert.team_id, reason, params, at, tell_counsellors=False)
    name = _display_name(session, alert.person_id)
    for counsellor in _leaders_and_counsellors(session, alert.team_id, Role.COUNSELLOR):
        notify.add(
            session,
            settings,
            counsellor,
            f"alert:{alert.id}:counsellor:{counsellor}",
            "checkin_prompt",
            why,
            {"name": name, "title": BY_NAME[alert.rule].title},
            "check-ins",
            alert.id,
            at,
        )
    _event(session, alert, "counsellor_prompted", at)
    return True


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


def _upsert_many(
    session: Session, findings: list[Finding], ctx: Context, at: datetime, status: str
) -> set[tuple[str, int]]:
    """Insert the alerts for these findings in this window unless they exist, in one statement (race-safe on both
    databases); returns the (rule, person) of those this call inserted (not those another worker inserted a moment
    ago, nor those resolved earlier in the window)."""
    if not findings:
        return set()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "rule": finding.rule,
            "person_id": finding.person_id,
            "team_id": ctx.people[finding.person_id].team_id,
            "window_start": ctx.week_start,
            "severity": finding.severity,
            "status": status,
            "value": finding.value,
            "threshold": finding.threshold,
            "detail": json.dumps(finding.params),
            "first_seen_at": at,
            "last_seen_at": at,
            "opened_at": at if status == AlertStatus.OPEN else None,
            "times_opened": 1 if status == AlertStatus.OPEN else 0,
        }
        for finding in findings
    ]
    # One cached statement with the rows as parameters: SQLAlchemy sends them as multi-row INSERTs in batches
    # ("insertmanyvalues") and gathers what RETURNING gives back.
    statement = (
        insert(Alert)
        .on_conflict_do_nothing(index_elements=["rule", "person_id", "window_start"])
        .returning(Alert.rule, Alert.person_id)
    )
    return {(rule, person_id) for rule, person_id in session.connection().execute(statement, rows)}


def _in_window(session: Session, findings: list[Finding], window: date) -> dict[tuple[str, int], Alert]:
    """The alerts of this window for these findings' people and rules, in one query."""
    if not findings:
        return {}
    keys = {(finding.rule, finding.person_id) for finding in findings}
    alerts = session.scalars(
        select(Alert).where(
            Alert.window_start == window,
            Alert.person_id.in_(sorted({person_id for _, person_id in keys})),
            Alert.rule.in_(sorted({rule for rule, _ in keys})),
        )
    ).all()
    return {(alert.rule, alert.person_id): alert for alert in alerts if (alert.rule, alert.person_id) in keys}


def _findings(
    engine: Engine, settings: Settings, at: datetime, person_ids: Iterable[int] | None
) -> tuple[Context, dict[tuple[str, int], Finding]]:
    """Run every rule in a read transaction: on SQLite it takes no write lock, so saves go on while the rules read."""
    with reading(engine) as session:
        ctx = _context(session, settings, at, person_ids)
        if not ctx.people:
            return ctx, {}
        snoozed = _snoozed(session, ctx.today, ctx.people)
        findings = {
            (f.rule, f.person_id): f
            for rule in ALL
            for f in rule.find(session, ctx)
            if (f.person_id, f.rule) not in snoozed
        }
    return ctx, findings


def evaluate(
    engine: Engine, settings: Settings, at: datetime | None = None, person_ids: Iterable[int] | None = None
) -> Evaluation:
    """Run every rule for the coproducers (all, or person_ids) at the moment `at`, and move alerts along.

    The rules read in one read transaction; only moving the alerts along takes the write transaction, briefly: new
    alerts go in with one INSERT per evaluation and their notifications with one more (notify.batched).
    """
    at = (at or datetime.now(UTC)).astimezone(UTC)
    result = Evaluation(at=at)
    rules = settings.rules
    ctx, findings = _findings(engine, settings, at, person_ids)
    if not ctx.people:
        return result
    result.findings = len(findings)
    with unit_of_work(engine) as session, notify.batched(session, settings):
        if findings:
            session.info["display_names"] = {
                person_id: name or "?"
                for person_id, name in session.execute(
                    select(Person.id, Person.display_name).where(Person.id.in_({p for _, p in findings}))
                )
            }
        active = {
            (a.rule, a.person_id): a
            for a in session.scalars(
                select(Alert)
                .where(Alert.person_id.in_(list(ctx.people)), Alert.status.in_(ACTIVE))
                .order_by(Alert.window_start)
            ).all()
        }
        status = AlertStatus.PENDING if rules.pending_minutes else AlertStatus.OPEN
        new = [finding for key, finding in findings.items() if key not in active]
        inserted = _upsert_many(session, new, ctx, at, status)
        in_window = _in_window(session, new, ctx.week_start)
        for key, finding in findings.items():
            alert = active.get(key)
            if alert is None:
                alert = in_window[key]
                if key in inserted:
                    if status == AlertStatus.OPEN:
                        result.opened.append(alert.id)
                        _event(session, alert, "opened", at, note=_summary(finding))
                        result.announced.append(alert)
                    else:
                        _event(session, alert, "pending", at, note=_summary(finding))
                elif alert.status == AlertStatus.RESOLVED and alert.cleared_at is None:
                    _refresh(alert, finding, at)  # a leader resolved it while it held: reopen only if it returns
                elif alert.status == AlertStatus.RESOLVED:
                    _reopen(session, settings, alert, finding, at, result)
                else:
                    _refresh(alert, finding, at)
            else:
                _refresh(alert, finding, at)
                if alert.status == AlertStatus.PENDING and at - alert.first_seen_at >= timedelta(
                    minutes=rules.pending_minutes
                ):
                    alert.status = AlertStatus.OPEN
                    alert.opened_at = at
                    alert.times_opened += 1
                    result.opened.append(alert.id)
                    _event(session, alert, "opened", at, note=_summary(finding))
                    result.announced.append(alert)
            # Only burden alerts concern the coproducer's wellbeing; payment alerts are the leader's bookkeeping.
            critical = (
                alert.status != AlertStatus.PENDING and alert.severity == "critical" and alert.rule not in LEADER_ONLY
            )
            why = N_("{name} may need a check-in: {title}.")
            if critical and prompt_counsellor(session, settings, alert, at, why):
                result.counsellor_prompts.append(alert.id)
        for key, alert in active.items():
            if key in findings:
                continue
            if alert.cleared_at is None:
                alert.cleared_at = at
            if at - alert.cleared_at >= timedelta(minutes=rules.resolve_after_minutes):
                was_pending = alert.status == AlertStatus.PENDING
                alert.status = AlertStatus.RESOLVED
                alert.resolved_at = at
                alert.resolved_by = None
                _event(session, alert, "discarded" if was_pending else "resolved", at, note="condition cleared")
                result.resolved.append(alert.id)
        for alert in session.scalars(
            select(Alert).where(
                Alert.person_id.in_(list(ctx.people)),
                Alert.status == AlertStatus.RESOLVED,
                Alert.window_start == ctx.week_start,
                Alert.cleared_at.is_(None),
            )
        ).all():
            if (alert.rule, alert.person_id) not in findings:
                alert.cleared_at = at
        long_open = session.scalars(
            select(Alert).where(
                Alert.person_id.in_(list(ctx.people)),
                Alert.status.in_((AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)),
                Alert.counsellor_prompted_at.is_(None),
                Alert.opened_at <= at - timedelta(days=rules.counsellor_after_days),
                Alert.rule.not_in(list(LEADER_ONLY)),
            )
        ).all()
        for alert in long_open:
            why = N_("{name} may need a check-in: {title}, for two weeks or more.")
            if prompt_counsellor(session, settings, alert, at, why, reason="alert_long"):
                result.counsellor_prompts.append(alert.id)
        _announce(session, settings, result.announced, at)
    return result


def _summary(finding: Finding) -> str:
    return f"{finding.rule}: {_number(finding.value)} against {_number(finding.threshold)}"


def _refresh(alert: Alert, finding: Finding, at: datetime) -> None:
    alert.last_seen_at = at
    alert.cleared_at = None
    alert.value = finding.value
    alert.threshold = finding.threshold
    alert.detail = json.dumps(finding.params)
    if finding.severity == "critical":
        alert.severity = "critical"


def _reopen(
    session: Session, settings: Settings, alert: Alert, finding: Finding, at: datetime, result: Evaluation
) -> None:
    _refresh(alert, finding, at)
    alert.status = AlertStatus.OPEN
    alert.opened_at = at
    alert.resolved_at = None
    alert.resolved_by = None
    alert.acknowledged_at = None
    alert.acknowledged_by = None
    alert.times_opened += 1
    result.reopened.append(alert.id)
    _event(session, alert, "reopened", at, note=_summary(finding))
    result.announced.append(alert)


# What leaders do --------------------------------------------------------------------------------------------------


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
        return {**self.params, "value": _number(self.value), "threshold": _number(self.threshold)}


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


def _leader_alert(session: Session, actor: Actor, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or not actor.has_role(Role.LEADER, alert.team_id):
        raise NotFound(N_("This alert does not exist or is not of your team."))
    return alert


def _note(note: str, required: bool = True) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError(N_("Write what you did, for example: handed the case to the social worker."))
    if len(note) > NOTE_MAX:
        raise ValidationError(N_("Keep the note to {max} characters."), max=NOTE_MAX)
    return note


def acknowledge(engine: Engine, actor: Actor, alert_id: int, note: str, now: datetime | None = None) -> None:
    """A leader saw the alert and notes what they did; it stays active until its condition clears."""
    note = _note(note)
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        alert = _leader_alert(session, actor, alert_id)
        if alert.status not in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED):
            raise ValidationError(N_("Only an open alert can be acknowledged."))
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = now
        alert.acknowledged_by = actor.person_id
        alert.note = note
        _event(session, alert, "acknowledged", now, actor.person_id, note)


def resolve(engine: Engine, actor: Actor, alert_id: int, note: str, now: datetime | None = None) -> None:
    """A leader closes the alert; it opens again if its condition returns in the same week."""
    note = _note(note)
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        alert = _leader_alert(session, actor, alert_id)
        if alert.status == AlertStatus.RESOLVED:
            raise ValidationError(N_("This alert is already resolved."))
        alert.status = AlertStatus.RESOLVED
        alert.resolved_at = now
        alert.resolved_by = actor.person_id
        alert.note = note
        _event(session, alert, "resolved", now, actor.person_id, note)


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
    reason = _note(reason)
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
            _event(session, alert, "snoozed", now, actor.person_id, f"{until.isoformat()}: {reason}")


# Events that tell of a check-in: kept for the counsellor's side, never shown to a leader (README, "Who sees what").
CHECKIN_ACTIONS = ("counsellor_prompted",)


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
