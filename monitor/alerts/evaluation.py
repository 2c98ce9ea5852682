"""Evaluating the burden rules, and moving each alert along from what they found.

Life of an alert (after Prometheus/Alertmanager and healthchecks): pending until its condition has held for
rules.pending_minutes, then open; acknowledged by a leader with a note; resolved by itself once the condition has been
clear for rules.resolve_after_minutes, or by a leader; opened again if the condition returns in the same window.
One alert per rule, person and window (the local week its episode began), enforced by a unique constraint.

Read this module first to understand an alert: evaluate() runs the rules (rules/, one module each, read together in
monitor.alerts.findings) and _move_along() tells, step by step, what their findings do to the alerts. Whom an opening
is told lives in monitor.alerts.announcing, what leaders do in monitor.alerts.actions, how the rows are written in
monitor.alerts.store.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_
from sqlalchemy.orm import Session

from db.engine import rolled_back, unit_of_work
from db.models import AlertStatus
from monitor.alerts import store
from monitor.alerts.announcing import CRITICAL_WHY, LONG_WHY, Directory, announce, prompt_counsellors
from monitor.alerts.findings import Key, run_rules
from monitor.alerts.rules import LEADER_ONLY
from monitor.alerts.rules.base import Context, Finding, shown
from monitor.alerts.store import ACTIVE, AlertState
from monitor.config import RuleSettings, Settings
from monitor.messages import notify

# The work an evaluation does in one write transaction (whole teams at a time): a new alert counts 1, an alert seen
# again SEEN_WORK (one shared UPDATE). At city scale on SQLite such a transaction holds the write lock for some tens of
# milliseconds, so saves go on between them; a steady evaluation needs only a few.
CHUNK_WORK = 100
# On PostgreSQL a write transaction holds no lock that a save waits for, only the alerts it changes; each one costs a
# commit (a WAL flush), a connection and a dozen round trips, so the first evaluation at city scale writes in three.
CHUNK_WORK_POSTGRESQL = 1000
SEEN_WORK = 0.1


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


def evaluate(
    engine: Engine,
    settings: Settings,
    at: datetime | None = None,
    person_ids: Iterable[int] | None = None,
    dry_run: bool = False,
) -> Evaluation:
    """Run every rule for the coproducers (all, or person_ids) at the moment `at`, and move alerts along.

    The rules read in one read transaction, with whom to tell. The alerts move along in short write transactions of a
    few whole teams each (CHUNK_WORK), so on SQLite no save waits long for the write lock (on PostgreSQL, where none
    waits for it, in fewer: CHUNK_WORK_POSTGRESQL). Each transaction is
    exactly-once on its own and commits its alerts, events, check-ins and messages together: a new alert is an INSERT
    .. ON CONFLICT DO NOTHING on its unique key, the alerts it changes are locked as it reads them, a counsellor is
    prompted through a conditional UPDATE, a check-in through the one-open-per-person index, messages by unique key.
    dry_run: every transaction is rolled back, so the result tells what the evaluation would do and nothing changes
    (no alert opened or resolved, no check-in prompted, no notification).
    """
    at = (at or datetime.now(UTC)).astimezone(UTC)
    result = Evaluation(at=at)
    ctx, findings, people, known = run_rules(engine, settings, at, person_ids)
    if not ctx.people:
        return result
    result.findings = len(findings)
    limit = CHUNK_WORK_POSTGRESQL if engine.dialect.name == "postgresql" else CHUNK_WORK
    for chunk in _chunks(ctx, findings, known, limit):
        with (
            (rolled_back if dry_run else unit_of_work)(engine) as session,
            notify.batched(session, settings, people.emails),
        ):
            _move_along(session, settings, ctx, chunk, findings, people, at, result)
    return result


def _chunks(ctx: Context, findings: dict[Key, Finding], known: set[Key], limit: float) -> Iterator[set[int]]:
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


# Moving the alerts along ----------------------------------------------------------------------------------


def _move_along(
    session: Session,
    settings: Settings,
    ctx: Context,
    chunk: set[int],
    all_findings: dict[Key, Finding],
    people: Directory,
    at: datetime,
    result: Evaluation,
) -> None:
    """One write transaction of evaluate(): the alerts of the people in chunk, in a few statements."""
    findings = {key: finding for key, finding in all_findings.items() if key[1] in chunk}
    step = _Step(settings.rules, at, result)
    active, this_week = _locked(session, ctx, chunk)
    new = [finding for key, finding in findings.items() if key not in active and key not in this_week]
    inserted, raced = _insert_new(session, ctx, new, step.new_status, at)
    this_week |= raced
    for key, finding in findings.items():
        if key in active:
            step.seen_again(active[key], finding)
        elif key in inserted:
            step.found_new(inserted[key], finding)
        elif key in this_week:
            step.found_again(this_week[key], finding)
        # else: removed since it was inserted (the person's data erased): nothing to move along
    step.clear(active, this_week, findings)
    step.prompt_long_open(active.values())
    store.write_changes(session, [*active.values(), *this_week.values()])
    step.tell(session, settings, people)


def _locked(session: Session, ctx: Context, chunk: set[int]) -> tuple[dict[Key, AlertState], dict[Key, AlertState]]:
    """The active alerts of these people, and this window's resolved ones (to open again, or to mark clear), locked,
    in one query."""
    known = store.locked(
        session,
        store.ALERTS.c.person_id.in_(sorted(chunk)),
        or_(store.ALERTS.c.status.in_(ACTIVE), store.ALERTS.c.window_start == ctx.week_start),
    )
    active = {(a.rule, a.person_id): a for a in known if a.status in ACTIVE}
    this_week = {(a.rule, a.person_id): a for a in known if a.status == AlertStatus.RESOLVED}
    return active, this_week


def _insert_new(
    session: Session, ctx: Context, new: list[Finding], status: str, at: datetime
) -> tuple[dict[Key, AlertState], dict[Key, AlertState]]:
    """Insert an alert for each of these findings, which have none this window: (those inserted, those another
    evaluation inserted since this one read, on PostgreSQL, read now locked as if read before)."""
    inserted = store.insert_new(session, new, ctx, at, status)
    keys = {(finding.rule, finding.person_id) for finding in new} - inserted.keys()
    if not keys:
        return inserted, {}
    raced = store.locked(
        session,
        store.ALERTS.c.window_start == ctx.week_start,
        store.ALERTS.c.person_id.in_(sorted({person_id for _, person_id in keys})),
        store.ALERTS.c.rule.in_(sorted({rule for rule, _ in keys})),
    )
    return inserted, {(a.rule, a.person_id): a for a in raced if (a.rule, a.person_id) in keys}


@dataclass
class _Step:
    """What one write transaction does to its alerts, gathered to be written and told at its end."""

    rules: RuleSettings
    at: datetime
    result: Evaluation
    events: list[dict[str, Any]] = field(default_factory=list)
    opened: list[AlertState] = field(default_factory=list)
    prompts: list[tuple[AlertState, str, str]] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)  # new alerts inserted claimed (store.claims_at_once)

    @property
    def new_status(self) -> str:
        return AlertStatus.PENDING if self.rules.pending_minutes else AlertStatus.OPEN

    def found_new(self, alert: AlertState, finding: Finding) -> None:
        """An alert this transaction inserted: it is pending, or open at once (and maybe prompted already)."""
        if alert.counsellor_prompted_at is not None:
            self.claimed.add(alert.id)
            self.prompts.append((alert, CRITICAL_WHY, "alert_critical"))
        if alert.status == AlertStatus.OPEN:
            self._opened(alert, finding)
        else:
            self.events.append(store.event_row(alert.id, "pending", self.at, _summary(finding)))
        self.prompt_if_critical(alert)

    def seen_again(self, alert: AlertState, finding: Finding) -> None:
        """An active alert whose condition still holds: it opens once it has been pending long enough."""
        _refresh(alert, finding, self.at)
        pending_for = self.at - alert.first_seen_at
        if alert.status == AlertStatus.PENDING and pending_for >= timedelta(minutes=self.rules.pending_minutes):
            alert.set(status=AlertStatus.OPEN, opened_at=self.at, times_opened=alert.times_opened + 1)
            self._opened(alert, finding)
        self.prompt_if_critical(alert)

    def found_again(self, alert: AlertState, finding: Finding) -> None:
        """This window's alert, resolved, whose condition holds: it opens again if the condition had cleared (a leader
        resolved it while it held: only if it returns). One another evaluation inserted just now is only seen."""
        if alert.status == AlertStatus.RESOLVED and alert.cleared_at is not None:
            _refresh(alert, finding, self.at)
            alert.set(
                status=AlertStatus.OPEN,
                opened_at=self.at,
                resolved_at=None,
                resolved_by=None,
                acknowledged_at=None,
                acknowledged_by=None,
                times_opened=alert.times_opened + 1,
            )
            self.result.reopened.append(alert.id)
            self.events.append(store.event_row(alert.id, "reopened", self.at, _summary(finding)))
            self.opened.append(alert)
        else:
            _refresh(alert, finding, self.at)
        self.prompt_if_critical(alert)

    def _opened(self, alert: AlertState, finding: Finding) -> None:
        self.result.opened.append(alert.id)
        self.events.append(store.event_row(alert.id, "opened", self.at, _summary(finding)))
        self.opened.append(alert)

    def prompt_if_critical(self, alert: AlertState) -> None:
        """A critical alert past pending prompts the counsellor, once. Only burden alerts concern the coproducer's
        wellbeing; payment alerts are the leader's bookkeeping."""
        if (
            alert.status != AlertStatus.PENDING
            and alert.severity == "critical"
            and alert.rule not in LEADER_ONLY
            and alert.counsellor_prompted_at is None
        ):
            self.prompts.append((alert, CRITICAL_WHY, "alert_critical"))

    def clear(
        self, active: dict[Key, AlertState], this_week: dict[Key, AlertState], findings: dict[Key, Finding]
    ) -> None:
        """The alerts whose condition no longer holds are marked clear; the active ones clear long enough resolve
        by themselves (a pending one is discarded)."""
        for key, alert in active.items():
            if key in findings:
                continue
            if alert.cleared_at is None:
                alert.set(cleared_at=self.at)
            if self.at - alert.cleared_at >= timedelta(minutes=self.rules.resolve_after_minutes):  # type: ignore[operator]
                was_pending = alert.status == AlertStatus.PENDING
                alert.set(status=AlertStatus.RESOLVED, resolved_at=self.at, resolved_by=None)
                action = "discarded" if was_pending else "resolved"
                self.events.append(store.event_row(alert.id, action, self.at, "condition cleared"))
                self.result.resolved.append(alert.id)
        for key, alert in this_week.items():
            if key not in findings and alert.cleared_at is None:
                alert.set(cleared_at=self.at)

    def prompt_long_open(self, active: Iterable[AlertState]) -> None:
        """A burden alert open (or acknowledged) for rules.counsellor_after_days prompts the counsellor too."""
        long_ago = self.at - timedelta(days=self.rules.counsellor_after_days)
        critical = {alert.id for alert, _, _ in self.prompts}
        self.prompts += [
            (alert, LONG_WHY, "alert_long")
            for alert in active
            if alert.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
            and alert.counsellor_prompted_at is None
            and alert.opened_at is not None
            and alert.opened_at <= long_ago
            and alert.rule not in LEADER_ONLY
            and alert.id not in critical
        ]

    def tell(self, session: Session, settings: Settings, people: Directory) -> None:
        """Prompt the counsellors, write the events, and tell the coproducers and leaders of the alerts opened."""
        claimed = frozenset(self.claimed)
        prompted = prompt_counsellors(session, settings, people, self.prompts, self.at, self.events, claimed)
        self.result.counsellor_prompts += prompted
        store.write_events(session, self.events)
        self.result.announced += self.opened
        announce(session, settings, people, self.opened, self.at)


def _summary(finding: Finding) -> str:
    return f"{finding.rule}: {shown(finding.value)} against {shown(finding.threshold)}"


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
