"""E-mails marked failed, for administrators: who, what, when, why, and "send again".

An e-mail is sent at most once (monitor.messages.mailer): when a worker stopped while sending, the connection broke
after the whole message went out, the mail server refused it for good, or it was not accepted in any of its tries,
the notification is marked failed. The inbox copy is there, but the e-mail may be gone, so an
administrator sees the list and can put one back in the queue, knowing it may then arrive twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select, update

from db.engine import reading, unit_of_work
from db.models import Notification, Person
from monitor.errors import NotFound
from monitor.i18n import N_
from monitor.people.access import Actor, require_admin


@dataclass(frozen=True)
class FailedEmail:
    id: int
    username: str
    display_name: str
    kind: str
    created_at: datetime
    error: str


def count_failed(engine: Engine, actor: Actor) -> int:
    require_admin(actor)
    with reading(engine) as session:
        return int(
            session.scalar(select(func.count(Notification.id)).where(Notification.email_status == "failed")) or 0
        )


def failed_emails(engine: Engine, actor: Actor, limit: int = 200) -> list[FailedEmail]:
    """The newest failed e-mails first."""
    require_admin(actor)
    with reading(engine) as session:
        rows = session.execute(
            select(
                Notification.id,
                Person.username,
                Person.display_name,
                Notification.kind,
                Notification.created_at,
                Notification.email_error,
            )
            .join(Person, Person.id == Notification.person_id)
            .where(Notification.email_status == "failed")
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).all()
    return [FailedEmail(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in rows]


def send_again(engine: Engine, actor: Actor, notification_id: int) -> None:
    """Put a failed e-mail back in the queue; the next minute's mail job sends it (it may arrive twice)."""
    require_admin(actor)
    with unit_of_work(engine) as session:
        result = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.email_status == "failed")
            .values(
                email_status="pending",
                email_error=None,
                email_claimed_at=None,
                email_claimed_by=None,
                email_attempts=0,
                email_retry_at=None,
            )
        )
        if result.rowcount != 1:
            raise NotFound(N_("That e-mail is not among the failed ones (any more)."))
