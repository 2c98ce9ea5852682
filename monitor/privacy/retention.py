"""Retention, enforced: delete or anonymise what is older than its period in [retention] (config.toml).

Each kind is kept while it is at most its period old and goes after that: a sign-in attempt made exactly 30 days ago
stays, one made 30 days and a second ago goes. Payments are the exception: the ledger is append-only and kept for
bookkeeping, so what ends after `payments_years` (counted from the end of the year paid) is the name of a removed
person it refers to. The daily job runs once per local day across workers (a job_runs claim) and writes one audit line
with the counts.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.engine import unit_of_work
from db.models import (
    AuditEvent,
    AuthSession,
    Checkin,
    CheckinNote,
    CheckinStatus,
    FundEntry,
    HelpRequest,
    JobRun,
    Notification,
    Payment,
    Person,
    RequestChange,
    SignInAttempt,
    WellbeingAnswer,
)
from monitor.config import RetentionSettings, Settings
from monitor.privacy.removal import PLACEHOLDER_NAME

JOB = "retention"
ACTION = "privacy.retention"
OPEN_STATUSES = (CheckinStatus.PROMPTED, CheckinStatus.REQUESTED, CheckinStatus.SCHEDULED)
KINDS = (
    "sign_in_attempts",
    "ended_sessions",
    "request_notes",
    "request_changes",
    "wellbeing_answers",
    "checkins",
    "checkin_notes",
    "inbox_messages",
    "audit_events",
    "removed_names",
)


def _deleted(session: Session, statement) -> int:  # type: ignore[no-untyped-def]
    return int(session.execute(statement).rowcount or 0)


def apply(session: Session, keep: RetentionSettings, now: datetime, today: date) -> dict[str, int]:
    """Delete or anonymise everything past its period, in session; returns how many rows of each kind."""
    counts = dict.fromkeys(KINDS, 0)
    counts["sign_in_attempts"] = _deleted(
        session,
        delete(SignInAttempt).where(SignInAttempt.attempted_at < now - timedelta(days=keep.sign_in_attempts_days)),
    )
    session_cutoff = now - timedelta(days=keep.ended_sessions_days)
    # A session never signed out has expired long before it was idle for days; it counts from when it was last used.
    counts["ended_sessions"] = _deleted(
        session,
        delete(AuthSession).where(
            func.coalesce(AuthSession.ended_at, AuthSession.last_seen_at) < session_cutoff,
        ),
    )
    notes_cutoff = now - relativedelta(months=keep.request_notes_months)
    counts["request_notes"] = _deleted(
        session,
        update(HelpRequest)
        .where(HelpRequest.received_at < notes_cutoff, HelpRequest.note.is_not(None))
        .values(note=None),
    )
    counts["request_changes"] = _deleted(session, delete(RequestChange).where(RequestChange.at < notes_cutoff))
    counts["wellbeing_answers"] = _deleted(
        session,
        delete(WellbeingAnswer).where(WellbeingAnswer.answered_at < now - relativedelta(months=keep.wellbeing_months)),
    )
    checkins_cutoff = now - relativedelta(months=keep.checkins_months)
    counts["checkins"], counts["checkin_notes"] = _old_checkins(session, checkins_cutoff)
    counts["inbox_messages"] = _deleted(
        session, delete(Notification).where(Notification.created_at < now - relativedelta(months=keep.inbox_months))
    )
    counts["audit_events"] = _deleted(
        session, delete(AuditEvent).where(AuditEvent.at < now - relativedelta(years=keep.audit_years))
    )
    counts["removed_names"] = _removed_names(session, date(today.year - keep.payments_years, 1, 1))
    return counts


def _old_checkins(session: Session, cutoff: datetime) -> tuple[int, int]:
    """Every check-in and note of people whose last check-in (created, planned or closed) is older than cutoff and
    who have none open."""
    rows = session.execute(
        select(
            Checkin.person_id,
            func.max(Checkin.created_at),
            func.max(Checkin.scheduled_at),
            func.max(Checkin.closed_at),
        ).group_by(Checkin.person_id)
    ).all()
    open_people = set(session.scalars(select(Checkin.person_id).where(Checkin.status.in_(OPEN_STATUSES))))
    people = [
        row[0]
        for row in rows
        if row[0] not in open_people and max(_aware(v) for v in row[1:] if v is not None) < cutoff
    ]
    if not people:
        return 0, 0
    ids = select(Checkin.id).where(Checkin.person_id.in_(people)).scalar_subquery()
    notes = _deleted(session, delete(CheckinNote).where(CheckinNote.checkin_id.in_(ids)))
    checkins = _deleted(session, delete(Checkin).where(Checkin.person_id.in_(people)))
    return checkins, notes


def _aware(value: datetime | str) -> datetime:
    # max() over a UTCDateTime column comes back raw on SQLite: an ISO string or a naive UTC datetime.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _removed_names(session: Session, kept_from: date) -> int:
    """Removed people whose last payment or fund entry is from before kept_from lose their name."""
    named = session.scalars(
        select(Person).where(Person.removed_at.is_not(None), Person.display_name != PLACEHOLDER_NAME)
    ).all()
    count = 0
    for person in named:
        dates = [
            session.scalar(select(func.max(Payment.paid_on)).where(Payment.person_id == person.id)),
            session.scalar(select(func.max(Payment.paid_on)).where(Payment.recorded_by == person.id)),
            session.scalar(select(func.max(FundEntry.on_date)).where(FundEntry.handed_out_by == person.id)),
            session.scalar(select(func.max(FundEntry.on_date)).where(FundEntry.recorded_by == person.id)),
        ]
        last = max((d for d in dates if d is not None), default=None)
        if last is None or last < kept_from:
            person.display_name = PLACEHOLDER_NAME
            count += 1
    return count


def _claim(session: Session, period: str, worker: str, now: datetime) -> bool:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = session.execute(
        insert(JobRun)
        .values(job=JOB, period=period, claimed_by=worker, started_at=now)
        .on_conflict_do_nothing(index_elements=["job", "period"])
        .returning(JobRun.id)
    )
    return result.first() is not None


def run(engine: Engine, cfg: Settings, worker: str = "cli", now: datetime | None = None) -> dict[str, int] | None:
    """The daily job: once per local day, apply retention and write one audit line; None when already done today."""
    now = now or datetime.now(UTC)
    today = now.astimezone(cfg.tz).date()
    with unit_of_work(engine) as session:
        if not _claim(session, today.isoformat(), worker, now):
            return None
        counts = apply(session, cfg.retention, now, today)
        session.add(AuditEvent(at=now, actor_id=None, action=ACTION, detail=json.dumps(counts, sort_keys=True)))
        session.execute(
            update(JobRun).where(JobRun.job == JOB, JobRun.period == today.isoformat()).values(finished_at=now)
        )
        return counts
