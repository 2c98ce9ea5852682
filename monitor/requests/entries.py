"""Reading logged requests: who may see a person's entries, the entries of a period and one entry's audit trail.

Only the coproducer themselves and the leaders of their team may see individual entries (and the command line).
monitor.requests.log says what a request is and saves, corrects and deletes it; it offers these functions too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading
from db.models import HelpRequest, Membership, RequestChange, Role
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor


@dataclass(frozen=True)
class RequestRow:
    """One stored request as the pages show it; can_correct: the actor logged it and may still change it."""

    id: int
    person_id: int
    received_at: datetime
    local: datetime
    minutes: int
    channel: str
    topics: tuple[str, ...]
    level: str | None
    beyond_role: bool
    referred_to: str | None
    note: str | None
    outside_hours: bool
    outside_reason: str | None
    is_night: bool
    source: str
    created_at: datetime
    can_correct: bool = False
    changes: tuple[str, ...] = field(default_factory=tuple)


def row_of(row: HelpRequest, settings: Settings, now: datetime, actor: Actor) -> RequestRow:
    """The stored request as the actor sees it at now (whether they may still correct it)."""
    return RequestRow(
        id=row.id,
        person_id=row.person_id,
        received_at=row.received_at,
        local=row.received_at.astimezone(settings.tz),
        minutes=row.minutes,
        channel=row.channel,
        topics=row.topic_codes,
        level=row.level,
        beyond_role=row.beyond_role,
        referred_to=row.referred_to,
        note=row.note,
        outside_hours=row.outside_hours,
        outside_reason=row.outside_reason,
        is_night=row.is_night,
        source=row.source,
        created_at=row.created_at,
        can_correct=actor.person_id == row.person_id
        and now - row.created_at <= timedelta(days=settings.requests.correct_days),
    )


def coproducer_team(session: Session, person_id: int) -> int | None:
    """The team in which the person works as a coproducer (the first, if they are in several)."""
    return session.connection().scalar(
        select(Membership.team_id)
        .where(Membership.person_id == person_id, Membership.role == Role.COPRODUCER)
        .order_by(Membership.team_id)
        .limit(1)
    )


def may_see_entries(session: Session, actor: Actor, person_id: int) -> bool:
    """The person themselves, the leaders of their team, and the command line."""
    if actor.is_system or actor.person_id == person_id:
        return True
    teams = session.scalars(
        select(Membership.team_id).where(Membership.person_id == person_id, Membership.role == Role.COPRODUCER)
    ).all()
    return any(actor.has_role(Role.LEADER, team) for team in teams)


def list_requests(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    person_id: int,
    start: date,
    end: date,
    now: datetime | None = None,
) -> list[RequestRow]:
    """A person's requests with local date from start to end (inclusive), newest first, without deleted ones."""
    now = now or datetime.now(UTC)
    with reading(engine) as session:
        if not may_see_entries(session, actor, person_id):
            raise PermissionDenied(N_("Only the coproducer and their project leader can see these requests."))
        rows = session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.person_id == person_id,
                HelpRequest.local_date >= start,
                HelpRequest.local_date <= end,
                HelpRequest.deleted_at.is_(None),
            )
            .order_by(HelpRequest.received_at.desc())
        ).all()
        return [row_of(row, settings, now, actor) for row in rows]


def history(engine: Engine, actor: Actor, request_id: int) -> list[tuple[datetime, str, str | None, str | None]]:
    """The audit trail of one request: (when, action, before, after), oldest first."""
    with reading(engine) as session:
        row = session.get(HelpRequest, request_id)
        if row is None or not may_see_entries(session, actor, row.person_id):
            raise NotFound(N_("This request does not exist or has been deleted."))
        changes = session.scalars(
            select(RequestChange)
            .where(RequestChange.request_id == request_id)
            .order_by(RequestChange.at, RequestChange.id)
        ).all()
        return [(c.at, c.action, c.before, c.after) for c in changes]


def local_now(settings: Settings, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(settings.tz)


def week_start(day: date) -> date:
    """The Monday of day's week."""
    return day - timedelta(days=day.weekday())
