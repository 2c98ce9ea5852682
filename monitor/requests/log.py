"""What a request is, its checks and its judging (inside or outside the agreed hours), and saving, correcting and
deleting one. Read this first to follow a save: log_request checks, judges and hands the request to
monitor.requests.store, which writes it.

Only the coproducer themselves and the leaders of their team may see individual entries (monitor.requests.entries);
only the coproducer may correct or delete them, within a few days of logging; every change is kept in
request_changes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import HelpRequest, RequestTopic, Role
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_, Np_
from monitor.people.access import Actor
from monitor.requests import store
from monitor.requests.agreements import Agreement, in_force, versions
from monitor.requests.entries import (
    RequestRow,
    coproducer_team,
    history,
    list_requests,
    local_now,
    may_see_entries,
    row_of,
    week_start,
)
from monitor.requests.hours import classify
from monitor.requests.vocab import CHANNELS, LEVELS, NOTE_MAX, REFERRALS, TOPICS, topic_mask

# What other modules and the pages use from here, reading included (monitor.requests.entries).
__all__ = [
    "Problem",
    "RequestInput",
    "RequestRow",
    "add_in_session",
    "coproducer_team",
    "correct_request",
    "delete_request",
    "history",
    "list_requests",
    "local_now",
    "log_request",
    "may_see_entries",
    "problems",
    "undo_request",
    "week_start",
]


@dataclass(frozen=True)
class RequestInput:
    """What a coproducer tells about one request. received_at None means now; otherwise an aware datetime."""

    minutes: int
    channel: str
    topics: tuple[str, ...]
    received_at: datetime | None = None
    level: str | None = None
    beyond_role: bool = False
    referred_to: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which field, and a message (an untranslated msgid with parameters)."""

    field: str
    error: ValidationError


def problems(data: RequestInput, now: datetime, settings: Settings, max_days_back: int) -> list[Problem]:
    """Everything wrong with data, in the order of the form; empty when it can be saved."""
    found: list[Problem] = []

    def bad(name: str, message: str, **params: Any) -> None:
        found.append(Problem(name, ValidationError(message, **params)))

    when = data.received_at or now
    if when.tzinfo is None:
        bad("received_at", N_("The time has no time zone."))
    elif when > now + timedelta(minutes=5):
        bad("received_at", N_("The time is in the future. Choose a time that has passed."))
    elif when < now - timedelta(days=max_days_back):
        bad(
            "received_at",
            Np_(
                "The time is more than {days} day ago. Choose a later time.",
                "The time is more than {days} days ago. Choose a later time.",
            ),
            days=max_days_back,
        )
    if data.channel not in CHANNELS:
        bad("channel", N_("Choose how you were approached."))
    if not data.topics:
        bad("topics", N_("Choose at least one kind of problem."))
    unknown = [t for t in data.topics if t not in TOPICS]
    if unknown:
        bad(
            "topics",
            N_("Unknown kind of problem: {topics}. Use one of: {choices}."),
            topics=", ".join(unknown),
            choices=", ".join(TOPICS),
        )
    if isinstance(data.minutes, bool) or not isinstance(data.minutes, int):
        bad("minutes", N_("Give the time it took as a whole number of minutes."))
    elif data.minutes <= 0:
        bad("minutes", N_("The time it took must be at least 1 minute."))
    elif data.minutes > settings.requests.max_minutes:
        bad(
            "minutes",
            Np_(
                "{minutes} minute is more than one request can take (at most {max}). Split it up or check the number.",
                "{minutes} minutes is more than one request can take (at most {max}). Split it up or check the number.",
            ),
            minutes=data.minutes,
            max=settings.requests.max_minutes,
        )
    if data.level is not None and data.level not in LEVELS:
        bad("level", N_("Unknown level: {value}. Use one of: {choices}."), value=data.level, choices=", ".join(LEVELS))
    if data.referred_to is not None and data.referred_to not in REFERRALS:
        bad(
            "referred_to",
            N_("Unknown referral: {value}. Use one of: {choices}."),
            value=data.referred_to,
            choices=", ".join(REFERRALS),
        )
    if data.note is not None and len(data.note) > NOTE_MAX:
        bad("note", N_("The note is {length} characters long; keep it to {max}."), length=len(data.note), max=NOTE_MAX)
    return found


def _check(data: RequestInput, now: datetime, settings: Settings, max_days_back: int) -> RequestInput:
    found = problems(data, now, settings, max_days_back)
    if found:
        raise found[0].error
    note = (data.note or "").strip() or None
    return replace(data, received_at=data.received_at or now, note=note, topics=tuple(sorted(set(data.topics))))


def _snapshot(values: Mapping[str, Any], topics: Iterable[str]) -> str:
    return json.dumps(
        {
            "received_at": values["received_at"].astimezone(UTC).isoformat(),
            "minutes": values["minutes"],
            "channel": values["channel"],
            "topics": sorted(topics),
            "level": values["level"],
            "beyond_role": values["beyond_role"],
            "referred_to": values["referred_to"],
            "note": values["note"],
            "outside_reason": values["outside_reason"],
        }
    )


def _snapshot_of(row: HelpRequest) -> str:
    return _snapshot({name: getattr(row, name) for name in _JUDGED}, row.topic_codes)


_JUDGED = (
    "received_at",
    "local_date",
    "local_weekday",
    "local_hour",
    "minutes",
    "channel",
    "level",
    "beyond_role",
    "referred_to",
    "note",
    "outside_hours",
    "outside_reason",
    "is_night",
    "topic_mask",
)


def _judged(data: RequestInput, settings: Settings, history: list[Agreement]) -> dict[str, Any]:
    """The columns of a request from data, judged against the agreement in force on its local date."""
    assert data.received_at is not None
    local_day = data.received_at.astimezone(settings.tz).date()
    agreement = in_force(history, local_day, settings.demarcation)
    judged = classify(data.received_at, settings.tz, agreement.availability)
    return {
        "received_at": data.received_at.astimezone(UTC),
        "local_date": judged.local.date(),
        "local_weekday": judged.local.weekday(),
        "local_hour": judged.local.hour,
        "minutes": data.minutes,
        "channel": data.channel,
        "level": data.level,
        "beyond_role": data.beyond_role,
        "referred_to": data.referred_to,
        "note": data.note,
        "outside_hours": judged.outside,
        "outside_reason": judged.reason,
        "is_night": judged.is_night,
        "topic_mask": topic_mask(data.topics),
    }


def _apply(session: Session, row: HelpRequest, data: RequestInput, settings: Settings) -> None:
    """Write data into an existing row (a correction), judged against the agreement in force on its local date."""
    for name, value in _judged(data, settings, versions(session, row.person_id)).items():
        setattr(row, name, value)
    row.topics = [RequestTopic(topic=t) for t in data.topics]


def log_request(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    person_id: int,
    data: RequestInput,
    now: datetime | None = None,
    source: str = "app",
    client_id: str | None = None,
) -> RequestRow:
    """Save one request for person_id: the coproducer themselves, or their team's leader on their behalf.

    client_id is the idempotency key a phone gives a request (a UUID): at most one request is stored per key, and a
    repeat, also at the same moment or from another process, stores nothing and returns the request stored first.
    """
    now = now or datetime.now(UTC)
    if client_id is not None:  # a repeat gets the first answer, whatever it sends and however late it comes
        client_id = _client_id(client_id)
        stored = _stored_for(engine, settings, actor, person_id, client_id, now)
        if stored is not None:
            return stored
    data = _check(data, now, settings, settings.requests.earlier_days)

    def judged(team_id: int | None, history: list[Agreement]) -> store.NewRequest:
        if team_id is None:
            raise PermissionDenied(N_("Only coproducers log requests. Ask your project leader to add you to a team."))
        if not (actor.person_id == person_id or actor.has_role(Role.LEADER, team_id)):
            raise PermissionDenied(N_("You can only log your own requests."))
        return _new(settings, actor, person_id, team_id, data, history, source, now, client_id)

    try:
        request_id, new = store.save(engine, person_id, judged)
    except IntegrityError:
        # Another save with the same key committed between the look-up and this one's INSERT (the unique index
        # refused this one): answer with that one.
        stored = _stored_for(engine, settings, actor, person_id, client_id, now) if client_id else None
        if stored is None:
            raise
        return stored
    return _saved(request_id, new, settings, actor)


def _client_id(client_id: str) -> str:
    """The key in one spelling (a UUID in lower case with hyphens), so that a repeat finds the first."""
    try:
        return str(uuid.UUID(client_id))
    except (ValueError, TypeError, AttributeError):
        raise ValidationError(
            N_("The code of this request from your phone is not right. Log the request again.")
        ) from None


def _stored_for(
    engine: Engine, settings: Settings, actor: Actor, person_id: int, client_id: str, now: datetime
) -> RequestRow | None:
    """The request stored with client_id, if any, as its save returned it; refused when it is someone else's."""
    with reading(engine) as session:
        row = store.with_client_id(session, client_id)
        if row is None:
            return None
        if row.person_id != person_id or not may_see_entries(session, actor, row.person_id):
            raise PermissionDenied(N_("You can only log your own requests."))
        return row_of(row, settings, now, actor)


def _new(
    settings: Settings,
    actor: Actor,
    person_id: int,
    team_id: int,
    data: RequestInput,
    history: list[Agreement],
    source: str,
    now: datetime,
    client_id: str | None = None,
) -> store.NewRequest:
    """A checked request, judged against the person's agreements, as the store writes it."""
    columns = _judged(data, settings, history) | {
        "person_id": person_id,
        "team_id": team_id,
        "source": source,
        "created_at": now,
        "created_by": actor.person_id,
        "client_id": client_id,
    }
    return store.NewRequest(columns, data.topics, _snapshot(columns, data.topics))


def _saved(request_id: int, new: store.NewRequest, settings: Settings, actor: Actor) -> RequestRow:
    """The saved request as the page shows it, from what was written (not read back)."""
    columns = new.columns
    return RequestRow(
        id=request_id,
        person_id=columns["person_id"],
        received_at=columns["received_at"],
        local=columns["received_at"].astimezone(settings.tz),
        minutes=columns["minutes"],
        channel=columns["channel"],
        topics=new.topics,
        level=columns["level"],
        beyond_role=columns["beyond_role"],
        referred_to=columns["referred_to"],
        note=columns["note"],
        outside_hours=columns["outside_hours"],
        outside_reason=columns["outside_reason"],
        is_night=columns["is_night"],
        source=columns["source"],
        created_at=columns["created_at"],
        can_correct=actor.person_id == columns["person_id"],
    )


def add_in_session(
    session: Session,
    settings: Settings,
    actor: Actor,
    person_id: int,
    team_id: int,
    data: RequestInput,
    source: str,
    now: datetime,
    history: list[Agreement] | None = None,
) -> int:
    """Insert an already checked request inside an open unit of work (the importer and the demo); returns its id.
    history: the person's agreement versions when the caller already has them."""
    history = versions(session, person_id) if history is None else history
    [request_id] = store.write(session, [_new(settings, actor, person_id, team_id, data, history, source, now)])
    return request_id


def _own_recent(session: Session, settings: Settings, actor: Actor, request_id: int, now: datetime) -> HelpRequest:
    row = session.get(HelpRequest, request_id)
    if row is None or row.deleted_at is not None or not may_see_entries(session, actor, row.person_id):
        raise NotFound(N_("This request does not exist or has been deleted."))
    if row.person_id != actor.person_id:
        raise PermissionDenied(N_("Only the person who logged a request can correct or delete it."))
    if now - row.created_at > timedelta(days=settings.requests.correct_days):
        raise ValidationError(
            Np_(
                "This request was logged more than {days} day ago and can no longer be changed. Ask your project "
                "leader if it is wrong.",
                "This request was logged more than {days} days ago and can no longer be changed. Ask your project "
                "leader if it is wrong.",
            ),
            days=settings.requests.correct_days,
        )
    return row


def correct_request(
    engine: Engine, settings: Settings, actor: Actor, request_id: int, data: RequestInput, now: datetime | None = None
) -> RequestRow:
    """Change a request the actor logged, within the correction window; it is judged again."""
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        row = _own_recent(session, settings, actor, request_id, now)
        days_back = max(settings.requests.earlier_days, (now - row.received_at).days + 1)
        data = _check(replace(data, received_at=data.received_at or row.received_at), now, settings, days_back)
        before = _snapshot_of(row)
        _apply(session, row, data, settings)
        row.updated_at = now
        session.flush()
        store.record(
            session, row.id, row.person_id, actor.person_id, "correct", now, before=before, after=_snapshot_of(row)
        )
        return row_of(row, settings, now, actor)


def delete_request(
    engine: Engine, settings: Settings, actor: Actor, request_id: int, now: datetime | None = None
) -> None:
    """Delete a request the actor logged, within the correction window. The audit trail keeps what it was."""
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        row = _own_recent(session, settings, actor, request_id, now)
        row.deleted_at = now
        session.flush()
        store.record(session, row.id, row.person_id, actor.person_id, "delete", now, before=_snapshot_of(row))


def undo_request(
    engine: Engine, settings: Settings, actor: Actor, request_id: int, now: datetime | None = None
) -> None:
    """Take back a request just saved, within the undo time shown after saving."""
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        row = session.get(HelpRequest, request_id)
        if row is None or row.deleted_at is not None or row.created_by != actor.person_id:
            raise NotFound(N_("This request does not exist or has been deleted."))
        if now - row.created_at > timedelta(seconds=settings.requests.undo_seconds):
            raise ValidationError(N_("It is too late to undo. You can still delete the request under My requests."))
        row.deleted_at = now
        session.flush()
        store.record(session, row.id, row.person_id, actor.person_id, "undo", now, before=_snapshot_of(row))
