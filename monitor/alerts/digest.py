"""The daily digest for leaders: at email.digest_hour local time, one message summarising their teams' open alerts.

Each leader's summary is claimed on its own key (digest:<day>:<leader>, unique in notifications), so two workers
never both make it, a worker that stops half-way leaves nothing behind, and a worker that starts later the same day
still makes it. The day as a whole is never marked done: a run that found nothing to tell (say it ran before the
evaluation had committed the day's new alerts) leaves the day open, and the next run tells whoever is due. The
scheduler runs the digest right after the evaluation of the same beat, so it sees the alerts opened in that beat.
A JobRun row records which worker first told somebody that day; it is not consulted.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Alert, AlertStatus, JobRun, Membership, Notification, Person, Role
from monitor.alerts.rules import BY_NAME
from monitor.config import Settings
from monitor.i18n import N_
from monitor.messages import notify

log = logging.getLogger(__name__)

JOB = "digest"
MESSAGE = N_("Daily summary of your team.\n{summary}\n{lines}")
SUMMARY = N_("Open alerts: {n}.")
LINE = N_("{title_label}: {count}")


def due_day(settings: Settings, now: datetime) -> date | None:
    """The local date whose digest is due at now (from digest_hour until midnight), or None before digest_hour."""
    local = now.astimezone(settings.tz)
    return local.date() if local.hour >= settings.email.digest_hour else None


def _record(session: Session, period: str, worker: str, now: datetime) -> None:
    """Note the first worker that told somebody today (for the operator; the per-leader keys are the claim)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(JobRun)
        .values(job=JOB, period=period, claimed_by=worker, started_at=now, finished_at=now)
        .on_conflict_do_nothing(index_elements=["job", "period"])
    )


def _open_counts(session: Session) -> dict[int, dict[str, int]]:
    """{leader id: {rule: open alerts}} over the teams each active leader leads, counted in SQL."""
    rows = session.execute(
        select(Membership.person_id, Alert.rule, func.count(func.distinct(Alert.id)))
        .join(Alert, Alert.team_id == Membership.team_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == Role.LEADER, Person.active.is_(True), Alert.status == AlertStatus.OPEN)
        .group_by(Membership.person_id, Alert.rule)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for leader_id, rule, count in rows:
        counts.setdefault(leader_id, {})[rule] = int(count)
    return counts


def _params(by_rule: dict[str, int]) -> dict[str, object]:
    total = sum(by_rule.values())
    lines = [
        {"msgid": LINE, "params": {"title_label": BY_NAME[rule].title if rule in BY_NAME else rule, "count": count}}
        for rule, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    ]
    return {"summary": {"msgid": SUMMARY, "params": {"n": total}}, "lines": lines}


def run_digest(engine: Engine, settings: Settings, worker: str, now: datetime | None = None) -> int:
    """Make today's digests if they are due and no worker made them yet; returns how many were created."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    day = due_day(settings, now)
    if day is None:
        return 0
    period = day.isoformat()
    with reading(engine) as session:
        counts = _open_counts(session)
        told = set(
            session.scalars(select(Notification.person_id).where(Notification.key.like(f"digest:{period}:%"))).all()
        )
    if not set(counts) - told:
        return 0  # everyone with open alerts has had today's summary (or nobody has open alerts yet)
    created = 0
    with unit_of_work(engine) as session:
        for leader_id, by_rule in sorted(_open_counts(session).items()):
            key = f"digest:{period}:{leader_id}"  # the claim: one summary per leader per day, across workers
            if notify.add(session, settings, leader_id, key, "digest", MESSAGE, _params(by_rule), "alerts", now=now):
                created += 1
        if created:
            _record(session, period, worker, now)
    log.info("digest of %s: %d leaders told", period, created)
    return created
