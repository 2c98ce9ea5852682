"""Someone leaves: an administrator removes them (the right to erasure), within the duty to keep payment records.

Deleted: sign-in (password, sessions, sign-in attempts), contact details, their agreements, alerts, inbox, check-ins
and the counsellor's notes, WHO-5 answers, trainings. Their requests move to one shared, nameless placeholder person
without their note and change history, so the team's counts stay true but nobody can be recognised. Payments must be
kept for seven years (append-only ledger): while any payment or fund entry refers to the person, their row stays with
only the name (no username, e-mail or password) until the retention job anonymises it (monitor/privacy/retention.py).
Anything else that names them (audit details, other people's inbox messages) is scrubbed or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import (
    Alert,
    AlertEvent,
    AuditEvent,
    Base,
    Checkin,
    CheckinNote,
    FundEntry,
    HelpRequest,
    Membership,
    Notification,
    Payment,
    Person,
    RequestChange,
    Role,
    SecurityEvent,
    SignInAttempt,
)
from monitor.errors import NotFound, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor, require_admin

PLACEHOLDER_USERNAME = "_removed"  # starts with "_", which no real username may (accounts.USERNAME)
PLACEHOLDER_NAME = "—"
REMOVED = "person.remove"
# Tables whose rows are kept with the person (bookkeeping), and that refuse UPDATE and DELETE.
APPEND_ONLY = ("payments", "fund_entries")
# Tables whose rows belong to the person (person_id) and go with them; help_requests move to the placeholder instead.
OWNED_ELSEWHERE = {"people", "help_requests", *APPEND_ONLY}


@dataclass(frozen=True)
class RemovalPlan:
    """What removing a person will do, counted, for the confirmation an administrator reads first."""

    person_id: int
    username: str
    display_name: str
    requests: int  # kept as anonymous counts
    checkins: int
    wellbeing_answers: int
    payments: int  # kept with the name until the retention period ends

    @property
    def keeps_name(self) -> bool:
        return self.payments > 0


def placeholder_id(session: Session) -> int:
    """The shared anonymous person that holds removed people's requests; made on first use."""
    found = session.scalar(select(Person.id).where(Person.is_placeholder.is_(True)).order_by(Person.id).limit(1))
    if found is not None:
        return found
    person = Person(
        username=PLACEHOLDER_USERNAME,
        display_name=PLACEHOLDER_NAME,
        email=None,
        password_hash=None,
        active=False,
        is_placeholder=True,
    )
    session.add(person)
    session.flush()
    return person.id


def _count(session: Session, column, person_id: int) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).where(column == person_id)) or 0)


def _payment_refs(session: Session, person_id: int) -> int:
    return sum(
        _count(session, column, person_id)
        for column in (Payment.person_id, Payment.recorded_by, FundEntry.handed_out_by, FundEntry.recorded_by)
    )


def _target(session: Session, actor: Actor, person_id: int) -> Person:
    require_admin(actor)
    person = session.get(Person, person_id)
    if person is None or person.is_placeholder or person.removed_at is not None:
        raise NotFound(N_("This person does not exist (any more)."))
    if person.id == actor.person_id:
        raise ValidationError(N_("You cannot remove yourself. Ask another administrator."))
    is_admin = session.scalar(
        select(func.count()).where(Membership.person_id == person_id, Membership.role == Role.ADMIN)
    )
    if is_admin:
        others = session.scalar(
            select(func.count(func.distinct(Membership.person_id))).where(
                Membership.role == Role.ADMIN, Membership.person_id != person_id
            )
        )
        if not others:
            raise ValidationError(N_("This is the last administrator. Make someone else administrator first."))
    return person


def plan(engine: Engine, actor: Actor, person_id: int) -> RemovalPlan:
    """Count what removal will delete, anonymise and keep, without changing anything."""
    with reading(engine) as session:
        person = _target(session, actor, person_id)
        return RemovalPlan(
            person_id=person.id,
            username=person.username,
            display_name=person.display_name,
            requests=_count(session, HelpRequest.person_id, person_id),
            checkins=_count(session, Checkin.person_id, person_id),
            wellbeing_answers=_count(session, Base.metadata.tables["wellbeing_answers"].c.person_id, person_id),
            payments=_payment_refs(session, person_id),
        )


def _person_columns() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to people, read from the models so a new one is not forgotten."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "people":
                found.append((table.name, fk.parent.name))
    return found


def _scrub(text: str, words: list[str], replacement: str) -> str:
    lowered = text.lower()
    for word in words:
        start = lowered.find(word.lower())
        while start >= 0:
            text = text[:start] + replacement + text[start + len(word) :]
            lowered = text.lower()
            start = lowered.find(word.lower(), start + len(replacement))
    return text


def _identifying(person: Person) -> list[str]:
    words = [person.username, person.display_name, person.email or ""]
    return sorted({w for w in words if w and w.strip() and w != PLACEHOLDER_NAME}, key=len, reverse=True)


def remove_person(engine: Engine, actor: Actor, person_id: int, now: datetime | None = None) -> RemovalPlan:
    """Remove the person as RemovalPlan describes, in one transaction; writes one audit line without their name."""
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        person = _target(session, actor, person_id)
        summary = RemovalPlan(
            person_id=person.id,
            username=person.username,
            display_name=person.display_name,
            requests=_count(session, HelpRequest.person_id, person_id),
            checkins=_count(session, Checkin.person_id, person_id),
            wellbeing_answers=_count(session, Base.metadata.tables["wellbeing_answers"].c.person_id, person_id),
            payments=_payment_refs(session, person_id),
        )
        words = _identifying(person)
        _anonymise_requests(session, person_id)
        _delete_owned(session, person_id, person.username)
        _scrub_mentions(session, words, f"#{person_id}")
        for table_name, column_name in _person_columns():
            if table_name in OWNED_ELSEWHERE or column_name == "person_id":
                continue
            table = Base.metadata.tables[table_name]
            session.execute(update(table).where(table.c[column_name] == person_id).values({column_name: None}))
        session.expire_all()
        person = session.get(Person, person_id)
        assert person is not None
        if summary.keeps_name:
            person.username = f"removed-{person_id}"
            person.email = None
            person.birth_month = None
            person.password_hash = None
            person.active = False
            person.removed_at = now
        else:
            session.delete(person)
        session.add(AuditEvent(at=now, actor_id=actor.person_id, action=REMOVED, detail=f"person #{person_id}"))
        return summary


def _anonymise_requests(session: Session, person_id: int) -> None:
    """Move the requests to the placeholder, without their note, who logged them, or their change history."""
    ids = select(HelpRequest.id).where(HelpRequest.person_id == person_id).scalar_subquery()
    session.execute(delete(RequestChange).where(RequestChange.request_id.in_(ids)))
    anonymous = placeholder_id(session)
    session.execute(
        update(HelpRequest)
        .where(HelpRequest.person_id == person_id)
        .values(person_id=anonymous, note=None, created_by=None)
    )


def _delete_owned(session: Session, person_id: int, username: str) -> None:
    """Delete every row that belongs to the person (person_id), children first so both databases agree."""
    alert_ids = select(Alert.id).where(Alert.person_id == person_id).scalar_subquery()
    session.execute(delete(Notification).where(Notification.alert_id.in_(alert_ids)))
    session.execute(delete(AlertEvent).where(AlertEvent.alert_id.in_(alert_ids)))
    checkin_ids = select(Checkin.id).where(Checkin.person_id == person_id).scalar_subquery()
    session.execute(delete(CheckinNote).where(CheckinNote.checkin_id.in_(checkin_ids)))
    session.execute(delete(SignInAttempt).where(func.lower(SignInAttempt.username) == username.lower()))
    # Security events name the person by id or by the name typed at sign-in (failures before anyone is known).
    session.execute(delete(SecurityEvent).where(func.lower(SecurityEvent.username) == username.lower()))
    for table_name, column_name in _person_columns():
        if column_name == "person_id" and table_name not in OWNED_ELSEWHERE:
            table = Base.metadata.tables[table_name]
            session.execute(delete(table).where(table.c.person_id == person_id))


def _scrub_mentions(session: Session, words: list[str], replacement: str) -> None:
    """Audit details lose the name (replaced by #id); other people's inbox messages that name them are deleted."""
    if not words:
        return
    # lower() on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
    mentions = [func.lower(AuditEvent.detail).contains(word.lower(), autoescape=True) for word in words]
    for event in session.scalars(select(AuditEvent).where(or_(*mentions))):
        event.detail = _scrub(event.detail, words, replacement)
    naming = [func.lower(Notification.params).contains(word.lower(), autoescape=True) for word in words]
    naming += [func.lower(Notification.key).contains(word.lower(), autoescape=True) for word in words]
    session.execute(delete(Notification).where(or_(*naming)))
