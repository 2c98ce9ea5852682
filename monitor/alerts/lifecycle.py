"""Burden alerts: evaluating the rules, the life of an alert, and what leaders do about it.

Life of an alert (after Prometheus/Alertmanager and healthchecks): pending until its condition has held for
rules.pending_minutes, then open; acknowledged by a leader with a note; resolved by itself once the condition has been
clear for rules.resolve_after_minutes, or by a leader; opened again if the condition returns in the same window.
One alert per rule, person and window (the local week its episode began), enforced by a unique constraint.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Alert, AlertEvent, AlertStatus, Membership, Person, Role, Snooze
from monitor.alerts import store, switches
from monitor.alerts.rules import ALL, BY_NAME, LEADER_ONLY
from monitor.alerts.rules.base import Context, Coproducer, Finding
from monitor.alerts.store import AlertState
from monitor.checkins import lifecycle as checkins
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.messages import notify
from monitor.people.access import Actor
from monitor.requests.agreements import in_force, versions_of

ACTIVE = (AlertStatus.PENDING, AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
NOTE_MAX = 1000
# The work an evaluation does in one write transaction (whole teams at a time): a new alert counts 1, an alert seen
# again SEEN_WORK (one shared UPDATE). At city scale on SQLite such a transaction holds the write lock for some tens of
# milliseconds, so saves go on between them; a steady evaluation needs only a few.
CHUNK_WORK = 100
# On PostgreSQL a write transaction holds no lock that a save waits for, only the alerts it changes; each one costs a
# commit (a WAL flush), a connection and a dozen round trips, so the first evaluation at city scale writes in three.
CHUNK_WORK_POSTGRESQL = 1000
SEEN_WORK = 0.1
CRITICAL_WHY = N_("{name} may need a check-in: {title}.")
LONG_WHY = N_("{name} may need a check-in: {title}, for two weeks or more.")


@dataclass
class Evaluation:
    at: datetime
    findings: int = 0
    opened: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    counsellor_prompts: list[int] = field(default_factory=list)
    # The alerts opened (or opened again) in this evaluation, told in one message per person and write transaction.
    announced: list[AlertState] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Directory:
    """Whom to tell, read with the findings rather than under the write lock: names, the teams' leaders and
    counsellors, and everyone's e-mail address (whether a message is to be mailed, notify.batched)."""

    names: dict[int, str]
    roles: dict[tuple[int, str], list[int]]
    emails: dict[int, str | None] = field(default_factory=dict)

    def name(self, person_id: int) -> str:
        return self.names.get(person_id) or "?"

    def of(self, team_id: int, role: Role) -> list[int]:
        return self.roles.get((team_id, role), [])


def directory(session: Session, person_ids: Iterable[int], team_ids: Iterable[int]) -> Directory:
    """The names of these people and the active leaders and counsellors of these teams, with the e-mail addresses of
    all of them, in two queries."""
    names: dict[int, str] = {}
    emails: dict[int, str | None] = {}
    for person_id, name, email in session.execute(
        select(Person.id, Person.display_name, Person.email).where(Person.id.in_(list(person_ids)))
    ):
        names[person_id], emails[person_id] = name, email
    roles: dict[tuple[int, str], list[int]] = {}
    for team_id, role, person_id, email in session.execute(
        select(Membership.team_id, Membership.role, Membership.person_id, Person.email)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.team_id.in_(sorted(set(team_ids))),
            Membership.role.in_((Role.LEADER, Role.COUNSELLOR)),
            Person.active.is_(True),
        )
        .order_by(Membership.team_id, Membership.person_id)
    ):
        roles.setdefault((team_id, role), []).append(person_id)
        emails[person_id] = email
    return Directory(names, roles, emails)


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


LEADER_BATCH = N_("New alerts in your team ({n}):\n{lines}")
SELF_BATCH = N_("New alerts about your own load ({n}):\n{lines}")
PERSON_LINE = N_("{name}:")
ALERT_LINE = N_("- {title}")


def _params_of(alert: AlertState) -> dict:
    return {**json.loads(alert.detail), "value": _number(alert.value), "threshold": _number(alert.threshold)}


def _announce(session: Session, settings: Settings, people: Directory, opened: list[AlertState], at: datetime) -> None:
    """Tell the coproducers and their team's leaders about the alerts this evaluation opened: one message each.

    A leader gets one message listing the new alerts per person; a coproducer one about their own. Each message's key
    is that of the first alert (and opening) in it, as when every alert had its own message: every opening is
    announced by the one evaluation that opened it, so the unique key still makes the message exactly-once. An
    evaluation announces in each of its write transactions what that transaction opened (whole teams at a time).
    """
    if not opened:
        return
    by_person: dict[int, list[AlertState]] = {}
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
    by_leader: dict[int, list[AlertState]] = {}
    for alert in sorted(opened, key=lambda a: (a.person_id, a.id)):
        for leader in people.of(alert.team_id, Role.LEADER):
            by_leader.setdefault(leader, []).append(alert)
    for leader, theirs in by_leader.items():
        first = theirs[0]
        if len(theirs) == 1:
            message = N_("{name}: {title}.")
            params = {"name": people.name(first.person_id), "title": BY_NAME[first.rule].title, **_params_of(first)}
        else:
            lines: list[dict] = []
            for person_id in dict.fromkeys(a.person_id for a in theirs):
                lines.append({"msgid": PERSON_LINE, "params": {"name": people.name(person_id)}})
                lines += [
                    {"msgid": ALERT_LINE, "params": {"title": BY_NAME[a.rule].title}}
                    for a in theirs
                    if a.person_id == person_id
                ]
            message, params = LEADER_BATCH, {"n": len(theirs), "lines": lines}
        key = f"alert:{first.id}:{first.times_opened}:{leader}"
        notify.add(session, settings, leader, key, "alert", message, params, "alerts", first.id, at)


def _prompt_counsellors(
    session: Session,
    settings: Settings,
    people: Directory,
    prompts: list[tuple[AlertState, str, str]],
    at: datetime,
    events: list[dict[str, Any]],
    claimed: frozenset[int] = frozenset(),
) -> list[int]:
    """Ask the teams' counsellors to check in with the coproducers of these (alert, why, reason), once per alert;
    the ids of the alerts prompted now. Says why, not the logs.

    Each alert is claimed with one conditional UPDATE of counsellor_prompted_at (from unset), so two evaluations never
    both prompt for it, unless claimed holds it: inserted by this transaction with counsellor_prompted_at set (see
    store.claims_at_once), no other could claim it. A check-in is opened for the reason
    (monitor.checkins.lifecycle.open_checkins, in bulk), or the reason added to the person's open one; the counsellors
    are told here, so the check-in does not tell them again.
    """
    if not prompts:
        return []
    claimed |= store.claim(session, [alert.id for alert, _, _ in prompts if alert.id not in claimed], at)
    prompts = [(alert, why, reason) for alert, why, reason in prompts if alert.id in claimed]
    checkins.open_checkins(
        session,
        settings,
        [
            checkins.Prompt(alert.person_id, alert.team_id, reason, {"title": BY_NAME[alert.rule].title})
            for alert, _, reason in prompts
        ],
        at,
        tell_counsellors=False,
    )
    for alert, why, _ in prompts:
        alert.counsellor_prompted_at = at
        params = {"name": people.name(alert.person_id), "title": BY_NAME[alert.rule].title}
        for counsellor in people.of(alert.team_id, Role.COUNSELLOR):
            key = f"alert:{alert.id}:counsellor:{counsellor}"
            notify.add(session, settings, counsellor, key, "checkin_prompt", why, params, "check-ins", alert.id, at)
        events.append(store.event_row(alert.id, "counsellor_prompted", at))
    return [alert.id for alert, _, _ in prompts]


def prompt_counsellor(
    session: Session, settings: Settings, alert: Alert, at: datetime, why: str, reason: str = "alert_critical"
) -> bool:
    """Ask the team's counsellors to check in with the coproducer of this one alert, once (see _prompt_counsellors)."""
    session.flush()
    state = store.state_of(alert)
    events: list[dict[str, Any]] = []
    people = directory(session, [alert.person_id], [alert.team_id])
    with notify.batched(session, settings, people.emails):
        prompted = _prompt_counsellors(session, settings, people, [(state, why, reason)], at, events)
    store.write_events(session, events)
    if prompted:
        alert.counsellor_prompted_at = at
    return bool(prompted)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


def _findings(
    engine: Engine, settings: Settings, at: datetime, person_ids: Iterable[int] | None
) -> tuple[Context, dict[tuple[str, int], Finding], Directory, set[tuple[str, int]]]:
    """Run every rule in a read transaction: on SQLite it takes no write lock, so saves go on while the rules read.
    Whom to tell is read there too, and which alerts are active."""
    with reading(engine) as session:
        ctx = _context(session, settings, at, person_ids)
        if not ctx.people:
            return ctx, {}, Directory({}, {}), set()
        snoozed = _snoozed(session, ctx.today, ctx.people) | switches.switched_off(session, settings, ctx.people)
        findings = {
            (f.rule, f.person_id): f
            for rule in ALL
            for f in rule.find(session, ctx)
            if (f.person_id, f.rule) not in snoozed
        }
        people = directory(session, ctx.people, {coproducer.team_id for coproducer in ctx.people.values()})
        known = _active_keys(session, ctx.people)
    return ctx, findings, people, known


def _active_keys(session: Session, person_ids: Iterable[int]) -> set[tuple[str, int]]:
    """(rule, person) of the active alerts, to size the write transactions (they read them again, locked)."""
    rows = session.execute(
        select(Alert.rule, Alert.person_id).where(Alert.person_id.in_(list(person_ids)), Alert.status.in_(ACTIVE))
    )
    return {(rule, person_id) for rule, person_id in rows}


def _chunks(
    ctx: Context, findings: dict[tuple[str, int], Finding], known: set[tuple[str, int]], limit: float
) -> Iterator[set[int]]:
    """The people in groups of whole teams with about limit of work each (known: the active alerts' keys when the
    rules read); whole teams, so that a leader hears of their team's new alerts in one message."""
    work: Counter[int] = Counter()
    for key in findings.keys() | known:
        work[key[1]] += SEEN_WORK if key in known else 1
    teams: dict[int, list[int]] = {}
    for person_id, coproducer in ctx.people.items():
        teams.setdefault(coproducer.team_id, []).append(person_id)
    chunk: set[int] = set()
    size = 0.0
    for team_id in sorted(teams):
        chunk.update(teams[team_id])
        size += sum(SEEN_WORK + work[person_id] for person_id in teams[team_id])
        if size >= limit:
            yield chunk
            chunk, size = set(), 0
    if chunk:
        yield chunk


def evaluate(
    engine: Engine, settings: Settings, at: datetime | None = None, person_ids: Iterable[int] | None = None
) -> Evaluation:
    """Run every rule for the coproducers (all, or person_ids) at the moment `at`, and move alerts along.

    The rules read in one read transaction, with whom to tell. The alerts move along in short write transactions of a
    few whole teams each (CHUNK_WORK), so on SQLite no save waits long for the write lock (on PostgreSQL, where none
    waits for it, in fewer: CHUNK_WORK_POSTGRESQL). Each transaction is
    exactly-once on its own and commits its alerts, events, check-ins and messages together: a new alert is an INSERT
    .. ON CONFLICT DO NOTHING on its unique key, the alerts it changes are locked as it reads them, a counsellor is
    prompted through a conditional UPDATE, a check-in through the one-open-per-person index, messages by unique key.
    """
    at = (at or datetime.now(UTC)).astimezone(UTC)
    result = Evaluation(at=at)
    ctx, findings, people, known = _findings(engine, settings, at, person_ids)
    if not ctx.people:
        return result
    result.findings = len(findings)
    limit = CHUNK_WORK_POSTGRESQL if engine.dialect.name == "postgresql" else CHUNK_WORK
    for chunk in _chunks(ctx, findings, known, limit):
        with unit_of_work(engine) as session, notify.batched(session, settings, people.emails):
            _move_along(session, settings, ctx, chunk, findings, people, at, result)
    return result


def _move_along(
    session: Session,
    settings: Settings,
    ctx: Context,
    chunk: set[int],
    all_findings: dict[tuple[str, int], Finding],
    people: Directory,
    at: datetime,
    result: Evaluation,
) -> None:
    """One write transaction of evaluate(): the alerts of the people in chunk, in a few statements."""
    rules = settings.rules
    findings = {key: finding for key, finding in all_findings.items() if key[1] in chunk}
    # The active alerts, and this window's resolved ones (to open again, or to mark clear), in one query.
    known = store.locked(
        session,
        store.ALERTS.c.person_id.in_(sorted(chunk)),
        or_(store.ALERTS.c.status.in_(ACTIVE), store.ALERTS.c.window_start == ctx.week_start),
    )
    active = {(a.rule, a.person_id): a for a in known if a.status in ACTIVE}
    this_week = {(a.rule, a.person_id): a for a in known if a.status == AlertStatus.RESOLVED}
    status = AlertStatus.PENDING if rules.pending_minutes else AlertStatus.OPEN
    new = [finding for key, finding in findings.items() if key not in active and key not in this_week]
    inserted = store.insert_new(session, new, ctx, at, status)
    raced = [finding for finding in new if (finding.rule, finding.person_id) not in inserted]
    if raced:  # inserted by another evaluation since this one read (on PostgreSQL): as if read before
        keys = {(finding.rule, finding.person_id) for finding in raced}
        this_week |= {
            (a.rule, a.person_id): a
            for a in store.locked(
                session,
                store.ALERTS.c.window_start == ctx.week_start,
                store.ALERTS.c.person_id.in_(sorted({person_id for _, person_id in keys})),
                store.ALERTS.c.rule.in_(sorted({rule for rule, _ in keys})),
            )
            if (a.rule, a.person_id) in keys
        }
    events: list[dict[str, Any]] = []
    opened: list[AlertState] = []
    seen: list[AlertState] = []
    prompts: list[tuple[AlertState, str, str]] = []
    claimed: set[int] = set()  # new alerts inserted claimed (store.claims_at_once)
    for key, finding in findings.items():
        alert = active.get(key)
        if alert is None and key in inserted:
            alert = inserted[key]
            if alert.counsellor_prompted_at is not None:
                claimed.add(alert.id)
                prompts.append((alert, CRITICAL_WHY, "alert_critical"))
            if status == AlertStatus.OPEN:
                result.opened.append(alert.id)
                events.append(store.event_row(alert.id, "opened", at, _summary(finding)))
                opened.append(alert)
            else:
                events.append(store.event_row(alert.id, "pending", at, _summary(finding)))
        elif alert is None:
            alert = this_week.get(key)
            if alert is None:
                continue  # removed since it was inserted (the person's data erased): nothing to move along
            if alert.status == AlertStatus.RESOLVED and alert.cleared_at is None:
                _refresh(alert, finding, at)  # a leader resolved it while it held: reopen only if it returns
            elif alert.status == AlertStatus.RESOLVED:
                _reopen(alert, finding, at, result, events)
                opened.append(alert)
            else:
                _refresh(alert, finding, at)
        else:
            _refresh(alert, finding, at)
            if alert.status == AlertStatus.PENDING and at - alert.first_seen_at >= timedelta(
                minutes=rules.pending_minutes
            ):
                alert.set(status=AlertStatus.OPEN, opened_at=at, times_opened=alert.times_opened + 1)
                result.opened.append(alert.id)
                events.append(store.event_row(alert.id, "opened", at, _summary(finding)))
                opened.append(alert)
        seen.append(alert)
        # Only burden alerts concern the coproducer's wellbeing; payment alerts are the leader's bookkeeping.
        if (
            alert.status != AlertStatus.PENDING
            and alert.severity == "critical"
            and alert.rule not in LEADER_ONLY
            and alert.counsellor_prompted_at is None
        ):
            prompts.append((alert, CRITICAL_WHY, "alert_critical"))
    for key, alert in active.items():
        if key in findings:
            continue
        if alert.cleared_at is None:
            alert.set(cleared_at=at)
        if at - alert.cleared_at >= timedelta(minutes=rules.resolve_after_minutes):  # type: ignore[operator]
            was_pending = alert.status == AlertStatus.PENDING
            alert.set(status=AlertStatus.RESOLVED, resolved_at=at, resolved_by=None)
            events.append(
                store.event_row(alert.id, "discarded" if was_pending else "resolved", at, "condition cleared")
            )
            result.resolved.append(alert.id)
    for key, alert in this_week.items():
        if key not in findings and alert.cleared_at is None:
            alert.set(cleared_at=at)
    long_ago = at - timedelta(days=rules.counsellor_after_days)
    critical = {alert.id for alert, _, _ in prompts}
    prompts += [
        (alert, LONG_WHY, "alert_long")
        for alert in active.values()
        if alert.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
        and alert.counsellor_prompted_at is None
        and alert.opened_at is not None
        and alert.opened_at <= long_ago
        and alert.rule not in LEADER_ONLY
        and alert.id not in critical
    ]
    store.write_changes(session, [*active.values(), *this_week.values()])
    result.counsellor_prompts += _prompt_counsellors(session, settings, people, prompts, at, events, frozenset(claimed))
    store.write_events(session, events)
    result.announced += opened
    _announce(session, settings, people, opened, at)


def _summary(finding: Finding) -> str:
    return f"{finding.rule}: {_number(finding.value)} against {_number(finding.threshold)}"


def _refresh(alert: AlertState, finding: Finding, at: datetime) -> None:
    alert.set(
        last_seen_at=at,
        cleared_at=None,
        value=finding.value,
        threshold=finding.threshold,
        detail=json.dumps(finding.params),
    )
    if finding.severity == "critical":
        alert.set(severity="critical")


def _reopen(alert: AlertState, finding: Finding, at: datetime, result: Evaluation, events: list[dict]) -> None:
    _refresh(alert, finding, at)
    alert.set(
        status=AlertStatus.OPEN,
        opened_at=at,
        resolved_at=None,
        resolved_by=None,
        acknowledged_at=None,
        acknowledged_by=None,
        times_opened=alert.times_opened + 1,
    )
    result.reopened.append(alert.id)
    events.append(store.event_row(alert.id, "reopened", at, _summary(finding)))


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
