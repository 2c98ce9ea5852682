"""How requests are written: the one place where a save, the importer, the demo and the quick-log store a request.

A save is one unit of work (db.engine.unit_of_work, on SQLite a BEGIN IMMEDIATE transaction): one query for the
person's coproducer team and agreement versions, then the caller's check of who may log and its judging of the
request, then four Core INSERTs (the request, its kinds of problem, its audit entry, the rules' queue row), committed
at once. The same statements on SQLite and PostgreSQL; README "How fast" says what this meets and what the pieces
that used to stand here bought.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from db.engine import unit_of_work
from db.models import HelpRequest, RequestChange, RequestTopic
from monitor.requests import rejudge_queue
from monitor.requests.agreements import Agreement, coproducer_teams_and_versions


@dataclass(frozen=True)
class NewRequest:
    """A checked and judged request, ready to write: the columns of its help_requests row (all but the id), its kinds
    of problem and its audit snapshot (what the "create" entry records as after)."""

    columns: dict[str, Any]
    topics: tuple[str, ...]
    snapshot: str


def save(
    engine: Engine, person_id: int, build: Callable[[int | None, list[Agreement]], NewRequest]
) -> tuple[int, NewRequest]:
    """Save one request in one unit of work; returns its id and what was written.

    build gets the person's coproducer team (None when they are not a coproducer) and agreement versions, read in the
    same transaction, and returns the request to write, or raises (a refusal) and nothing is written.
    """
    with unit_of_work(engine) as session:
        team_id, history = coproducer_teams_and_versions(session.connection(), [person_id])[person_id]
        new = build(team_id, history)
        [request_id] = write(session, [new])
    return request_id, new


def write(session: Session, news: Sequence[NewRequest]) -> list[int]:
    """Insert requests with their kinds of problem, their audit entries (a creation: by created_by, at created_at, no
    before) and the rules' queue rows, inside the open unit of work; their ids, in order."""
    connection = session.connection()
    inserted = connection.execute(
        insert(HelpRequest).returning(HelpRequest.id, sort_by_parameter_order=True), [new.columns for new in news]
    )
    ids = list(inserted.scalars())
    pairs = list(zip(ids, news, strict=True))
    connection.execute(
        insert(RequestTopic), [{"request_id": id_, "topic": t} for id_, new in pairs for t in new.topics]
    )
    creations = [
        {
            "request_id": id_,
            "at": new.columns["created_at"],
            "actor_id": new.columns["created_by"],
            "action": "create",
            "before": None,
            "after": new.snapshot,
        }
        for id_, new in pairs
    ]
    connection.execute(insert(RequestChange), creations)
    rejudge_queue.enqueue(
        session, {new.columns["person_id"] for new in news}, min(new.columns["created_at"] for new in news)
    )
    return ids


def record(
    session: Session,
    request_id: int,
    person_id: int,
    actor_id: int | None,
    action: str,
    now: datetime,
    before: str | None = None,
    after: str | None = None,
) -> None:
    """One entry of a request's audit trail (a correction, deletion or undo); the person's rules are judged again
    right after the commit."""
    rejudge_queue.enqueue(session, [person_id], now)
    entry = {
        "request_id": request_id,
        "at": now,
        "actor_id": actor_id,
        "action": action,
        "before": before,
        "after": after,
    }
    session.connection().execute(insert(RequestChange), entry)


def with_client_id(session: Session, client_id: str) -> HelpRequest | None:
    """The request stored with this idempotency key (the unique index finds it), if any."""
    return session.scalars(select(HelpRequest).where(HelpRequest.client_id == client_id)).one_or_none()
