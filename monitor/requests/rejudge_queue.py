"""The queue of people whose requests changed: a save adds them, the rules' worker takes them (monitor.alerts.rejudge).

A save writes its request and this one row in one short transaction and returns; judging the burden rules, which
costs far more than the save, happens right after, off the save's path. Taking people off the queue deletes their
rows and returns them in one statement, so two workers never judge the same change twice and none is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import RejudgeQueue

CLAIM_AT_MOST = 500
# Built once, with the rows as parameters (a VALUES list would compile anew for every save).
_ENQUEUE_SQLITE = sqlite_insert(RejudgeQueue).on_conflict_do_nothing(index_elements=["person_id"])
_ENQUEUE_PG = pg_insert(RejudgeQueue).on_conflict_do_nothing(index_elements=["person_id"])


def enqueue(session: Session, person_ids: Iterable[int], now: datetime) -> None:
    """Ask for these people's rules to be judged again, inside the open unit of work that changed their requests."""
    rows = [{"person_id": person_id, "queued_at": now} for person_id in sorted(set(person_ids))]
    if not rows:
        return
    statement = _ENQUEUE_PG if session.get_bind().dialect.name == "postgresql" else _ENQUEUE_SQLITE
    session.connection().execute(statement, rows)


def claim(engine: Engine, at_most: int = CLAIM_AT_MOST) -> list[int]:
    """Take up to at_most people off the queue (oldest first) and return them; each row is taken by one caller only."""
    with unit_of_work(engine) as session:
        oldest = select(RejudgeQueue.person_id).order_by(RejudgeQueue.queued_at).limit(at_most)
        taken = session.scalars(
            delete(RejudgeQueue).where(RejudgeQueue.person_id.in_(oldest)).returning(RejudgeQueue.person_id)
        ).all()
    return sorted(taken)


def waiting(engine: Engine) -> int:
    """How many people wait to be judged (for the health check and the tests)."""
    with reading(engine) as session:
        return int(session.scalar(select(func.count()).select_from(RejudgeQueue)) or 0)
