"""Notifications: a message in someone's inbox, created once per key, and queued for e-mail when that is configured."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

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
    """
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
