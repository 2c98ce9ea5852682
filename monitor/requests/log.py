"""Logging, correcting and listing help requests: validation, classification and the audit trail.

Only the coproducer themselves and the leaders of their team may see individual entries; only the coproducer may
correct or delete them, within a few days of logging; every change is kept in request_changes.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, TextClause, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.bulk import json_rows
from db.direct import Direct
from db.engine import connect, driver_reading, driver_writing, reading, unit_of_work
from db.models import HelpRequest, Membership, RequestChange, RequestTopic, Role
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests import group_commit, rejudge_queue
from monitor.requests.agreements import (
    Agreement,
    coproducer_teams_and_versions,
    coproducer_teams_and_versions_direct,
    in_force,
    versions,
)
from monitor.requests.hours import classify
from monitor.requests.vocab import CHANNELS, LEVELS, NOTE_MAX, REFERRALS, TOPICS, topic_mask


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


@dataclass(frozen=True)
class RequestRow:
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
        bad("received_at", N_("The time is more than {days} days ago. Choose a later time."), days=max_days_back)
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
            N_("{minutes} minutes is more than one request can take (at most {max}). Split it up or check the number."),
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


@dataclass(frozen=True)
class _New:
    """A checked request to insert, with everything its row needs."""

    settings: Settings
    actor: Actor
    person_id: int
    team_id: int
    data: RequestInput
    history: list[Agreement]
    source: str
    now: datetime
    client_id: str | None = None


_REQUEST_COLUMNS = (*_JUDGED, "person_id", "team_id", "source", "created_at", "created_by", "client_id")


def _save_statement_pg() -> TextClause:
    """On PostgreSQL, saving is one statement: the requests, their topics, the rules' queue rows and the audit entries
    in data-modifying CTEs over one JSON parameter, a row per request with its topics and its audit snapshot. Its text
    is the same for any number of saves, so the server prepares it once, and the rows are written by the json
    module's C encoder (psycopg dumps arrays element by element in Python). One statement is a transaction of its
    own, so a save is one round trip after the look-up, with no BEGIN and COMMIT. Each request's id is drawn from the
    sequence first, so its topics and audit entry find it. The audit entry is the one a creation gets (at the
    creation, by its creator, no before); the queue's row is the one rejudge_queue.enqueue writes."""
    table = HelpRequest.__table__
    dialect = postgresql.dialect()
    recordset = ", ".join(f"{name} {table.c[name].type.compile(dialect)}" for name in _REQUEST_COLUMNS)
    columns = ", ".join(_REQUEST_COLUMNS)
    return text(
        f"""
        WITH new AS MATERIALIZED (
            SELECT nextval(pg_get_serial_sequence('help_requests', 'id')) AS id, *
            FROM json_to_recordset(CAST(:requests AS JSON))
                AS saved(position INTEGER, {recordset}, topics JSON, snapshot TEXT)
        ), requests AS (
            INSERT INTO help_requests (id, {columns}) SELECT id, {columns} FROM new
        ), topics AS (
            INSERT INTO request_topics (request_id, topic)
            SELECT new.id, topic FROM new, json_array_elements_text(new.topics) AS topic
        ), queued AS (
            INSERT INTO rejudge_queue (person_id, queued_at)
            SELECT DISTINCT person_id, CAST(:queued_at AS TIMESTAMPTZ) FROM new
            ON CONFLICT (person_id) DO NOTHING
        ), changes AS (
            INSERT INTO request_changes (request_id, at, actor_id, action, before, after)
            SELECT id, created_at, created_by, 'create', NULL, snapshot FROM new
        )
        SELECT id FROM new ORDER BY position
        """
    )


_SAVE_PG = _save_statement_pg()


def _rows_for(news: list[_New]) -> list[dict[str, Any]]:
    """The columns of each checked request, judged, with its audit snapshot: everything but the id, built before the
    write begins so that the write transaction holds only the INSERTs."""
    rows = [
        _judged(new.data, new.settings, new.history)
        | {
            "person_id": new.person_id,
            "team_id": new.team_id,
            "source": new.source,
            "created_at": new.now,
            "created_by": new.actor.person_id,
            "client_id": new.client_id,
        }
        for new in news
    ]
    for row, new in zip(rows, news, strict=True):
        row["snapshot"] = _snapshot(row, new.data.topics)
    return rows


def _insert_many(session: Session, news: list[_New]) -> list[dict[str, Any]]:
    """Insert checked requests with their topics, audit entries and rules' queue rows in plain statements rather than
    the ORM's unit of work, inside the session's transaction: on PostgreSQL _SAVE_PG, on SQLite one multi-row INSERT
    each (a save there writes the same rows on the driver's connection: _insert_direct). Returns each request's
    stored columns with its id, in order."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _insert_pg(connection, news)
    rows = _rows_for(news)
    ids = connection.execute(
        insert(HelpRequest).returning(HelpRequest.id, sort_by_parameter_order=True),
        [{name: value for name, value in row.items() if name != "snapshot"} for row in rows],
    )
    for row, request_id in zip(rows, ids.scalars().all(), strict=True):
        row["id"] = request_id
    after = _after_the_requests(news, rows)
    connection.execute(insert(RequestTopic), after.topics)
    connection.execute(rejudge_queue.ENQUEUE_SQLITE, after.queued)
    connection.execute(insert(RequestChange), after.changes)
    return _stored(news, rows)


def _insert_pg(connection: Connection, news: list[_New]) -> list[dict[str, Any]]:
    """The checked requests and all that goes with them in one statement, _SAVE_PG; each request's stored columns
    with its id, in order."""
    rows = _rows_for(news)
    saved = [
        {name: row[name] for name in _REQUEST_COLUMNS}
        | {"position": position, "topics": list(new.data.topics), "snapshot": row.pop("snapshot")}
        for position, (row, new) in enumerate(zip(rows, news, strict=True))
    ]
    parameters = {"requests": json_rows(saved), "queued_at": min(new.now for new in news)}
    for row, request_id in zip(rows, connection.execute(_SAVE_PG, parameters).scalars(), strict=True):
        row["id"] = request_id
    return _stored(news, rows)


@dataclass(frozen=True)
class _AfterTheRequests:
    """The rows that go with requests once their ids are known: their topics, the people to judge again (one row
    each, rejudge_queue's) and an audit entry per request."""

    topics: list[dict[str, Any]]
    queued: list[dict[str, Any]]
    changes: list[dict[str, Any]]


def _after_the_requests(news: list[_New], rows: list[dict[str, Any]]) -> _AfterTheRequests:
    """What follows the requests' INSERT; takes each row's audit snapshot out of it."""
    pairs = list(zip(rows, news, strict=True))
    queued_at = min(new.now for new in news)
    return _AfterTheRequests(
        topics=[{"request_id": row["id"], "topic": topic} for row, new in pairs for topic in new.data.topics],
        queued=[{"person_id": person, "queued_at": queued_at} for person in sorted({new.person_id for new in news})],
        changes=[_change(row["id"], new.actor, "create", new.now, after=row.pop("snapshot")) for row, new in pairs],
    )


def _stored(news: list[_New], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row | {"topics": tuple(sorted(new.data.topics))} for row, new in zip(rows, news, strict=True)]


@dataclass(frozen=True)
class _DirectSaves:
    """A save's four INSERTs compiled once for SQLite, run on the driver's own connection (db.direct)."""

    request: Direct
    topic: Direct
    queue: Direct
    change: Direct


@lru_cache(maxsize=8)
def _direct_saves(dialect: Dialect) -> _DirectSaves:
    return _DirectSaves(
        request=Direct(insert(HelpRequest).returning(HelpRequest.id), dialect, _REQUEST_COLUMNS),
        topic=Direct(insert(RequestTopic), dialect, ("request_id", "topic")),
        queue=Direct(rejudge_queue.ENQUEUE_SQLITE, dialect, ("person_id", "queued_at")),
        change=Direct(insert(RequestChange), dialect, ("request_id", "at", "actor_id", "action", "before", "after")),
    )


def _insert_direct(
    cursor: sqlite3.Cursor, dialect: Dialect, news: list[_New], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """_insert_many on SQLite's own connection, inside driver_writing: the same rows with the same values, without
    SQLAlchemy's work per statement while every process waits for the lock."""
    statements = _direct_saves(dialect)
    for row in rows:
        [(row["id"],)] = statements.request.rows(cursor, row)
    after = _after_the_requests(news, rows)
    statements.topic.run_many(cursor, after.topics)
    statements.queue.run_many(cursor, after.queued)
    statements.change.run_many(cursor, after.changes)
    return _stored(news, rows)


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
) -> dict[str, Any]:
    """Insert an already checked request inside an open unit of work (the importer and the demo); returns its
    columns with its id. history: the person's agreement versions when the caller already has them."""
    history = versions(session, person_id) if history is None else history
    return _insert_many(session, [_New(settings, actor, person_id, team_id, data, history, source, now)])[0]


def _change(
    request_id: int, actor: Actor, action: str, now: datetime, before: str | None = None, after: str | None = None
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "at": now,
        "actor_id": actor.person_id,
        "action": action,
        "before": before,
        "after": after,
    }


def _record(
    session: Session,
    request_id: int,
    person_id: int,
    actor: Actor,
    action: str,
    now: datetime,
    before: str | None = None,
    after: str | None = None,
) -> None:
    """One entry of the request's audit trail; the person's rules are judged again right after the commit."""
    rejudge_queue.enqueue(session, [person_id], now)
    session.connection().execute(insert(RequestChange), _change(request_id, actor, action, now, before, after))


@dataclass(frozen=True)
class _Save:
    """One press of Save, waiting for its turn in the group commit."""

    engine: Engine
    settings: Settings
    actor: Actor
    person_id: int
    data: RequestInput
    now: datetime
    source: str
    client_id: str | None = None


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
    Saves made at the same moment by others in this server process are committed together with it
    (monitor.requests.group_commit); it returns once its own request is stored.
    """
    now = now or datetime.now(UTC)
    data = _check(data, now, settings, settings.requests.earlier_days)
    if client_id is not None:
        client_id = _client_id(client_id)
        stored = _stored_for(engine, settings, actor, person_id, client_id, now)
        if stored is not None:
            return stored
    saving = _Save(engine, settings, actor, person_id, data, now, source, client_id)
    try:
        return group_commit.for_engine(engine, _write_saves).submit(saving)
    except IntegrityError:
        # Another save with the same key committed between the look-up and this one's INSERT (the unique index
        # refused it): answer with that one.
        stored = _stored_for(engine, settings, actor, person_id, client_id, now) if client_id else None
        if stored is None:
            raise
        return stored


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
        row = session.scalars(select(HelpRequest).where(HelpRequest.client_id == client_id)).one_or_none()
        if row is None:
            return None
        if row.person_id != person_id or not may_see_entries(session, actor, row.person_id):
            raise PermissionDenied(N_("You can only log your own requests."))
        return _row(row, settings, now, actor)


def _write_saves(saves: list[_Save]) -> list[RequestRow | BaseException]:
    """Write the saves in one transaction; each gets its row, or the refusal that is its own.

    The people are looked up and the rows built before the write, so a change of agreement committed in between
    judges the save as if it had come a moment earlier, which is how the two crossed anyway. On SQLite, which has one
    writer at a time for all the server's processes, the INSERTs run on the driver's own connection (db.direct), so
    that the lock is held for them alone and as briefly as SQLite allows. On PostgreSQL the write is one statement
    (_SAVE_PG), a transaction of its own.
    """
    engine = saves[0].engine
    people = {save.person_id for save in saves}
    if engine.dialect.name != "sqlite":
        # Two round trips, each its own transaction: the look-up, and the one statement that writes (_SAVE_PG).
        with connect(engine) as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            refusals, news = _sort_out(saves, coproducer_teams_and_versions(connection, people))
            stored = iter(_insert_pg(connection, news) if news else [])
    else:
        dialect = engine.dialect
        found = driver_reading(engine, lambda cursor: coproducer_teams_and_versions_direct(cursor, dialect, people))
        refusals, news = _sort_out(saves, found)
        rows = _rows_for(news)
        stored = iter([])
        if news:
            with driver_writing(engine) as cursor:
                stored = iter(_insert_direct(cursor, dialect, news, rows))
    return [refusals[index] if index in refusals else _saved(next(stored), save) for index, save in enumerate(saves)]


def _sort_out(
    saves: list[_Save], found: dict[int, tuple[int | None, list[Agreement]]]
) -> tuple[dict[int, BaseException], list[_New]]:
    """The saves that may be made, ready to insert, and a refusal for each of the others (by position)."""
    refusals: dict[int, BaseException] = {}
    news: list[_New] = []
    for index, save in enumerate(saves):
        team_id, history = found[save.person_id]
        if team_id is None:
            refusals[index] = PermissionDenied(
                N_("Only coproducers log requests. Ask your project leader to add you to a team.")
            )
        elif not (save.actor.person_id == save.person_id or save.actor.has_role(Role.LEADER, team_id)):
            refusals[index] = PermissionDenied(N_("You can only log your own requests."))
        else:
            news.append(
                _New(
                    save.settings,
                    save.actor,
                    save.person_id,
                    team_id,
                    save.data,
                    history,
                    save.source,
                    save.now,
                    save.client_id,
                )
            )
    return refusals, news


def _saved(values: dict[str, Any], save: _Save) -> RequestRow:
    return RequestRow(
        id=values["id"],
        person_id=save.person_id,
        received_at=values["received_at"],
        local=values["received_at"].astimezone(save.settings.tz),
        minutes=values["minutes"],
        channel=values["channel"],
        topics=values["topics"],
        level=values["level"],
        beyond_role=values["beyond_role"],
        referred_to=values["referred_to"],
        note=values["note"],
        outside_hours=values["outside_hours"],
        outside_reason=values["outside_reason"],
        is_night=values["is_night"],
        source=save.source,
        created_at=save.now,
        can_correct=save.actor.person_id == save.person_id,
    )


def _row(row: HelpRequest, settings: Settings, now: datetime, actor: Actor) -> RequestRow:
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


def _own_recent(session: Session, settings: Settings, actor: Actor, request_id: int, now: datetime) -> HelpRequest:
    row = session.get(HelpRequest, request_id)
    if row is None or row.deleted_at is not None or not may_see_entries(session, actor, row.person_id):
        raise NotFound(N_("This request does not exist or has been deleted."))
    if row.person_id != actor.person_id:
        raise PermissionDenied(N_("Only the person who logged a request can correct or delete it."))
    if now - row.created_at > timedelta(days=settings.requests.correct_days):
        raise ValidationError(
            N_(
                "This request was logged more than {days} days ago and can no longer be changed. Ask your project "
                "leader if it is wrong."
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
        _record(session, row.id, row.person_id, actor, "correct", now, before=before, after=_snapshot_of(row))
        return _row(row, settings, now, actor)


def delete_request(
    engine: Engine, settings: Settings, actor: Actor, request_id: int, now: datetime | None = None
) -> None:
    """Delete a request the actor logged, within the correction window. The audit trail keeps what it was."""
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        row = _own_recent(session, settings, actor, request_id, now)
        row.deleted_at = now
        session.flush()
        _record(session, row.id, row.person_id, actor, "delete", now, before=_snapshot_of(row))


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
        _record(session, row.id, row.person_id, actor, "undo", now, before=_snapshot_of(row))


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
        return [_row(row, settings, now, actor) for row in rows]


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
