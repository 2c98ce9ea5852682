"""The minutes per person and month of months that have ended, kept between evaluations.

The allowance checks read up to 13 months and a half of minutes for everyone on an hourly allowance at every
evaluation (monitor.money.checks.monthly_minutes), although only the current month's change from one evaluation to
the next. This keeps the ended months' sums per database, with a data version: the highest request id and the highest
request_changes id (a new request raises the first; a correction, deletion or undo writes a change and raises the
second), and on PostgreSQL the table's file (TRUNCATE gives it a new one). An evaluation reads the version in its own
read transaction: when it is the kept one, the kept sums are used; when requests or changes were added since, only the
people they belong to are read again; when it went down (a restore, a truncated table) or the range of months moved,
everything is read again. A sum is kept at most KEEP_SECONDS, which bounds what a PostgreSQL transaction that commits
a lower id after a higher one (sequences are not committed in order) could leave out.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db.models import HelpRequest, RequestChange
from monitor.money.allowances import minutes_by_month

KEEP_SECONDS = 3600.0


@dataclass(frozen=True)
class Version:
    requests: int  # the highest help_requests id
    changes: int  # the highest request_changes id
    table: int | None  # PostgreSQL: the table's file node (a TRUNCATE changes it); None on SQLite


@dataclass
class _Kept:
    first: date
    last: date
    version: Version
    kept_at: float
    minutes: dict[int, dict[date, int]] = field(default_factory=dict)  # person -> first day of month -> minutes


_KEPT: dict[str, _Kept] = {}
_LOCK = threading.Lock()


def version(session: Session) -> Version:
    requests = session.scalar(select(func.max(HelpRequest.id))) or 0
    changes = session.scalar(select(func.max(RequestChange.id))) or 0
    table = None
    if session.get_bind().dialect.name == "postgresql":
        table = session.scalar(text("SELECT pg_relation_filenode('help_requests')"))
    return Version(int(requests), int(changes), table)


def _changed_people(session: Session, since: Version) -> set[int]:
    """The people whose requests were added or changed after `since` (both by primary key: a short range)."""
    added = session.scalars(select(HelpRequest.person_id).where(HelpRequest.id > since.requests).distinct()).all()
    changed = session.scalars(
        select(HelpRequest.person_id)
        .join(RequestChange, RequestChange.request_id == HelpRequest.id)
        .where(RequestChange.id > since.changes)
        .distinct()
    ).all()
    return set(added) | set(changed)


def minutes_of_ended_months(
    session: Session, person_ids: list[int], first: date, last: date
) -> dict[tuple[int, date], int]:
    """minutes_by_month(session, person_ids, first, last) for months that have ended (last before this month),
    from what was kept where the data did not change since."""
    if not person_ids:
        return {}
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    now = version(session)
    with _LOCK:
        kept = _KEPT.get(key)
        usable = (
            kept is not None
            and (kept.first, kept.last, kept.version.table) == (first, last, now.table)
            and kept.version.requests <= now.requests
            and kept.version.changes <= now.changes
            and time.monotonic() - kept.kept_at < KEEP_SECONDS
        )
        known = dict(kept.minutes) if kept is not None and usable else {}
        since = kept.version if kept is not None and usable else None
        kept_at = kept.kept_at if kept is not None and usable else time.monotonic()
    stale = {pid for pid in person_ids if pid not in known}
    if since is not None and since != now:
        changed = _changed_people(session, since)
        stale |= changed & set(person_ids)
        for pid in changed - set(person_ids):  # not read now: forgotten, so that no later call uses them stale
            known.pop(pid, None)
    if stale:
        fresh: dict[int, dict[date, int]] = {pid: {} for pid in stale}
        for (pid, month), minutes in minutes_by_month(session, sorted(stale), first, last).items():
            fresh[pid][month] = minutes
        known.update(fresh)
    with _LOCK:
        current = _KEPT.get(key)
        if current is None or since is None or current.version.requests <= now.requests:
            _KEPT[key] = _Kept(first, last, now, kept_at, known)
    return {(pid, month): minutes for pid in person_ids for month, minutes in known[pid].items()}


def forget() -> None:
    """Drop every kept sum (tests that rebuild a database under the same URL)."""
    with _LOCK:
        _KEPT.clear()
