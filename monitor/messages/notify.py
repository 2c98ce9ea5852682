"""Notifications: a message in someone's inbox, created once per key, and queued for e-mail when that is configured."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.bulk import insert_rows
from db.models import Notification, Person
from monitor.config import Settings


def add(
    session: Session,
    settings: Settings,
    person_id: int,
    key: str,
    kind: str,
    message: str,
    params: dict[str, Any] | None = None,
    link: str | None = None,
    alert_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Put a notification in person_id's inbox unless one with this key exists. True when it was added.

    message is an untranslated msgid with {placeholders}; it is translated into the recipient's language when shown
    or mailed. INSERT .. ON CONFLICT DO NOTHING on the unique key makes this safe when two workers race.
    Inside notify.batched(session) the notification is kept and written with the others at the end of the batch, and
    add() returns True: it is added unless its key exists by then.
    """
    batch = session.info.get(_BATCH)
    if batch is not None:
        batch.append(_values(person_id, key, kind, message, params, link, alert_id, now or datetime.now(UTC)))
        return True
    email = session.scalar(select(Person.email).where(Person.id == person_id))
    values = {
        "key": key[:120],
        "person_id": person_id,
        "kind": kind,
        "message": message,
        "params": json.dumps(params or {}),
        "link": link,
        "alert_id": alert_id,
        "email_status": "pending" if settings.email.enabled and email else "none",
    }
    if now is not None:
        values["created_at"] = now
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = session.execute(
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Notification.id)  # rowcount is -1 for this statement on psycopg 3; a returned id means added
    )
    return result.first() is not None


_BATCH = "notify_batch"
_NOTIFICATIONS = Notification.__table__


def _values(
    person_id: int,
    key: str,
    kind: str,
    message: str,
    params: dict[str, Any] | None,
    link: str | None,
    alert_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "key": key[:120],
        "person_id": person_id,
        "kind": kind,
        "message": message,
        "params": json.dumps(params or {}),
        "link": link,
        "alert_id": alert_id,
        "created_at": now,
    }


@contextmanager
def batched(session: Session, settings: Settings, emails: Mapping[int, str | None] | None = None) -> Iterator[None]:
    """Collect the notifications add() makes in this block and write them in one statement at its end.

    An evaluation that opens two thousand alerts then asks for the recipients' e-mail addresses once and inserts
    every notification in one INSERT .. ON CONFLICT DO NOTHING (db.bulk), instead of two statements per notification.
    emails: the addresses the caller read already (the evaluation, with whom to tell); the others are read here.
    """
    if session.info.get(_BATCH) is not None:
        yield  # already batching: the outer block writes them
        return
    batch: list[dict[str, Any]] = []
    session.info[_BATCH] = batch
    try:
        yield
    finally:
        session.info.pop(_BATCH, None)
    if not batch:
        return
    rows = list({row["key"]: row for row in reversed(batch)}.values())[::-1]  # the first of each key, in order
    known = dict(emails or {})
    unknown = sorted({row["person_id"] for row in rows} - known.keys())
    if unknown:
        known.update(session.execute(select(Person.id, Person.email).where(Person.id.in_(unknown))).all())
    for row in rows:
        row["email_status"] = "pending" if settings.email.enabled and known.get(row["person_id"]) else "none"
    session.flush()  # what the ORM holds first (a notification may be of an alert added there)
    insert_rows(session.connection(), _NOTIFICATIONS, rows, conflict=("key",))
