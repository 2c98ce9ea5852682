"""How requests are written: the one place where a save, the importer, the demo and the quick-log store a request.

A save is one unit of work (db.engine.unit_of_work, on SQLite a BEGIN IMMEDIATE transaction): one query for the
person's coproducer team and agreement versions, then the caller's check of who may log and its judging of the
request, then four Core INSERTs (the request, its kinds of problem, its audit entry, the rules' queue row), committed
at once; saves that arrive together in one process share that transaction. On PostgreSQL the four INSERTs are one
statement (_SAVE_PG), the one strategy of one database that the benchmark showed was needed; README "How fast" says
what each piece buys and what the pieces that used to stand here bought.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from db.bulk import json_rows
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


Build = Callable[[int | None, list[Agreement]], NewRequest]
# Enough to empty the queue of a busy server in one go, small enough that one transaction stays short.
BATCH_AT_MOST = 100


def save(engine: Engine, person_id: int, build: Build) -> tuple[int, NewRequest]:
    """Save one request; returns its id and what was written, once it is committed.

    build gets the person's coproducer team (None when they are not a coproducer) and agreement versions, read in the
    transaction that writes, and returns the request to write, or raises a refusal, which is this save's alone.
    Saves that arrive while another is written wait and are written together in the next transaction: one commit,
    one disk sync, and one look-up for them all (README "How fast": what this buys).
    """
    return _batches_for(engine).submit(_Waiting(person_id, build))


@dataclass
class _Waiting:
    """One save waiting for its turn, and then its outcome."""

    person_id: int
    build: Build
    done: bool = False
    result: tuple[int, NewRequest] | None = None
    error: BaseException | None = None


class _Batches:
    """The saves of one engine in this process: the first caller writes every save waiting at that moment, the others
    wake with their own outcome. If a batch fails, each of its saves is tried alone, so one bad save (say a repeated
    idempotency key) never takes the others with it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = weakref.ref(engine)
        self._turn = threading.Condition()
        self._waiting: list[_Waiting] = []
        self._writing = False

    def submit(self, mine: _Waiting) -> tuple[int, NewRequest]:
        with self._turn:
            self._waiting.append(mine)
            while self._writing and not mine.done:
                self._turn.wait()
            if not mine.done:  # nobody is writing and mine still waits: this caller writes the batch
                self._writing = True
                batch, self._waiting = self._waiting[:BATCH_AT_MOST], self._waiting[BATCH_AT_MOST:]
        if not mine.done:
            try:
                self._write(batch)
            finally:
                with self._turn:
                    self._writing = False
                    self._turn.notify_all()
        if mine.error is not None:
            raise mine.error
        assert mine.result is not None
        return mine.result

    def _write(self, batch: list[_Waiting]) -> None:
        engine = self._engine()
        assert engine is not None  # a caller holds it
        try:
            _write_batch(engine, batch)
        except Exception as error:
            if len(batch) == 1:
                batch[0].error, batch[0].done = error, True
                return
            for waiting in batch:
                self._write([waiting])
        except BaseException as error:
            for waiting in batch:
                waiting.error, waiting.done = error, True
            raise


def _write_batch(engine: Engine, batch: list[_Waiting]) -> None:
    """The saves of batch in one unit of work; a refusal is kept with its own save."""
    with unit_of_work(engine) as session:
        found = coproducer_teams_and_versions(session.connection(), {waiting.person_id for waiting in batch})
        accepted: list[tuple[_Waiting, NewRequest]] = []
        for waiting in batch:
            try:
                accepted.append((waiting, waiting.build(*found[waiting.person_id])))
            except Exception as refusal:  # noqa: BLE001 - this save's own outcome, raised to its caller
                waiting.error = refusal
        ids = write(session, [new for _, new in accepted]) if accepted else []
    for (waiting, new), request_id in zip(accepted, ids, strict=True):
        waiting.result = (request_id, new)
    for waiting in batch:
        waiting.done = True


_per_engine: weakref.WeakKeyDictionary[Engine, _Batches] = weakref.WeakKeyDictionary()
_per_engine_guard = threading.Lock()


def _batches_for(engine: Engine) -> _Batches:
    with _per_engine_guard:
        found = _per_engine.get(engine)
        if found is None:
            found = _per_engine[engine] = _Batches(engine)
        return found


def write(session: Session, news: Sequence[NewRequest]) -> list[int]:
    """Insert requests with their kinds of problem, their audit entries (a creation: by created_by, at created_at, no
    before) and the rules' queue rows, inside the open unit of work; their ids, in order. Four Core INSERTs; on
    PostgreSQL one statement (_save_pg)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _save_pg(connection, news)
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


def _save_pg(connection: Connection, news: Sequence[NewRequest]) -> list[int]:
    """On PostgreSQL the same rows in one statement (_SAVE_PG), whose text never changes, so the server prepares it
    once: 20 processes saving reached about 680 saves/s with it and about 420/s without it (README "How fast")."""
    saved = [
        new.columns | {"position": position, "topics": list(new.topics), "snapshot": new.snapshot}
        for position, new in enumerate(news)
    ]
    queued_at = min(new.columns["created_at"] for new in news)
    return list(connection.execute(_SAVE_PG, {"requests": json_rows(saved), "queued_at": queued_at}).scalars())


def _save_statement_pg() -> TextClause:
    """The requests, their topics, the rules' queue rows and the audit entries in data-modifying CTEs over one JSON
    parameter, a row per request (json_to_recordset; the json module's C encoder writes it, where psycopg would dump
    arrays element by element in Python). Each request's id is drawn from the sequence first, so that its topics and
    audit entry find it; the queue's row is the one rejudge_queue.enqueue writes."""
    table = HelpRequest.__table__
    names = [column.name for column in table.columns if column.name not in _SET_LATER]
    recordset = ", ".join(f"{name} {table.c[name].type.compile(postgresql.dialect())}" for name in names)
    columns = ", ".join(names)
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


# The columns a new request does not set: the id (drawn in the statement) and those of a later correction or deletion.
_SET_LATER = ("id", "updated_at", "deleted_at")
_SAVE_PG = _save_statement_pg()


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
