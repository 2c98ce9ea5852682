"""The security log: who signed in or failed to, was slowed down, signed out or was refused, opened a note or
downloaded an export; when, from which address, and what. Never a password, never content.

Administrators read it (filtered, and as CSV); the scheduler purges it after [audit] keep_days.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import SecurityEvent, SignInAttempt, utcnow
from monitor.people.access import Actor, require_admin
from monitor.spreadsheets import formula_safe

log = logging.getLogger("monitor.security")

KINDS = (
    "signed_in",
    "sign_in_failed",
    "sign_in_throttled",
    "signed_out",
    "sessions_ended",
    "unlocked",
    "password_changed",
    "password_change_failed",
    "access_refused",
    "note_opened",
    "export_downloaded",
    "ledger_checked",  # the daily check of the money records' hash chains: intact, with the chain heads
    "ledger_broken",  # ... or the first entry that differs (monitor/money/integrity.py)
)
MAX_ROWS = 5000


@dataclass(frozen=True)
class EventRow:
    at: datetime
    kind: str
    username: str
    address: str
    detail: str


def record(
    session: Session,
    kind: str,
    person_id: int | None = None,
    username: str = "",
    address: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one event in the caller's unit of work (so it is kept exactly when the change it tells of is)."""
    session.add(
        SecurityEvent(
            at=at or utcnow(),
            kind=kind,
            person_id=person_id,
            username=(username or "")[:64],
            address=(address or "")[:64],
            detail=(detail or "")[:200],
        )
    )
    log.info("security %s user=%s address=%s %s", kind, username, address, detail)


def record_now(engine: Engine, kind: str, actor: Actor | None = None, address: str = "", detail: str = "") -> None:
    """Add one event on its own (a refused page, an opened note, a download)."""
    with unit_of_work(engine) as session:
        record(
            session,
            kind,
            actor.person_id if actor else None,
            actor.username if actor else "",
            address,
            detail,
        )


def events(
    engine: Engine,
    actor: Actor,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: str | None = None,
    username: str | None = None,
) -> list[EventRow]:
    """The log for an administrator, newest first, filtered by time, kind and (part of a) username."""
    require_admin(actor)
    query = select(SecurityEvent).order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc()).limit(MAX_ROWS)
    if since:
        query = query.where(SecurityEvent.at >= since)
    if until:
        query = query.where(SecurityEvent.at < until)
    if kind:
        query = query.where(SecurityEvent.kind == kind)
    if username:
        query = query.where(SecurityEvent.username.contains(username.strip().lower(), autoescape=True))
    with reading(engine) as session:
        return [EventRow(e.at, e.kind, e.username, e.address, e.detail) for e in session.scalars(query).all()]


def purge(engine: Engine, attempts_keep_days: int, log_keep_days: int, now: datetime | None = None) -> int:
    """Delete sign-in attempts and log events older than their keep times; returns how many rows went."""
    now = now or utcnow()
    with unit_of_work(engine) as session:
        attempts = session.execute(
            delete(SignInAttempt).where(SignInAttempt.attempted_at < now - timedelta(days=attempts_keep_days))
        )
        events_gone = session.execute(
            delete(SecurityEvent).where(SecurityEvent.at < now - timedelta(days=log_keep_days))
        )
        return (attempts.rowcount or 0) + (events_gone.rowcount or 0)


def to_csv(rows: list[EventRow]) -> bytes:
    """The log as CSV (UTF-8 with a byte-order mark, so that Excel reads it), times in UTC."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("at_utc", "kind", "username", "address", "detail"))
    for row in rows:
        at = row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow((at, row.kind, formula_safe(row.username), formula_safe(row.address), formula_safe(row.detail)))
    return out.getvalue().encode("utf-8-sig")
