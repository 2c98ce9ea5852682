"""Training: each team's catalogue, who completed what (confirmed by a leader), and how long it stays valid.

A record counts once a leader has confirmed it. It is valid from the day it was completed up to and including
valid_until: the same day `valid_months` later, or the last day of that month when it is shorter (a training done on
29 February 2028 and valid 12 months counts until 28 February 2029). Trainings valid for ever have no valid_until.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Membership, Person, Role, Training, TrainingRecord
from monitor.config import TOPICS
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_, Np_
from monitor.money.amounts import add_months
from monitor.people.access import Actor
from monitor.requests.log import coproducer_team, may_see_entries

NAME_MAX = 120
NOTE_MAX = 280
MAX_VALID_MONTHS = 120


@dataclass(frozen=True)
class CatalogueEntry:
    id: int
    team_id: int
    name: str
    provider: str
    hours: float
    valid_months: int | None  # None: valid for ever
    topics: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class RecordRow:
    id: int
    person_id: int
    person_name: str
    training_id: int
    training_name: str
    topics: tuple[str, ...]
    completed_on: date
    valid_until: date | None
    note: str | None
    confirmed: bool

    def valid_on(self, day: date) -> bool:
        return self.confirmed and self.completed_on <= day and (self.valid_until is None or day <= self.valid_until)


def valid_until(completed_on: date, valid_months: int | None) -> date | None:
    """The last day a training done on completed_on counts; None when it stays valid for ever."""
    return None if valid_months is None else add_months(completed_on, valid_months)


def _entry(row: Training) -> CatalogueEntry:
    topics = tuple(t for t in row.topics.split(",") if t)
    return CatalogueEntry(row.id, row.team_id, row.name, row.provider, row.hours, row.valid_months, topics, row.active)


def _require_manager(actor: Actor, team_id: int) -> None:
    if not (actor.is_admin or actor.has_role(Role.LEADER, team_id)):
        raise PermissionDenied(N_("Only the team's project leader or an administrator can change its trainings."))


def catalogue(engine: Engine, actor: Actor, team_id: int, include_retired: bool = False) -> list[CatalogueEntry]:
    """The team's trainings by name; its leaders, coproducers and administrators may look."""
    if not (actor.is_admin or actor.has_role(Role.LEADER, team_id) or actor.has_role(Role.COPRODUCER, team_id)):
        raise PermissionDenied(N_("You can only see the trainings of your own team."))
    query = select(Training).where(Training.team_id == team_id).order_by(Training.name)
    if not include_retired:
        query = query.where(Training.active.is_(True))
    with reading(engine) as session:
        return [_entry(row) for row in session.scalars(query).all()]


def _check_entry(name: str, hours: float, valid_months: int | None, topics: tuple[str, ...]) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(N_("Give the training a name."))
    if len(name) > NAME_MAX:
        raise ValidationError(N_("Keep the name to {max} characters."), max=NAME_MAX)
    if hours < 0 or hours > 1000:
        raise ValidationError(N_("Hours must be between 0 and 1000."))
    if valid_months is not None and not 1 <= valid_months <= MAX_VALID_MONTHS:
        raise ValidationError(
            Np_(
                "A training stays valid 1 to {max} month, or for ever.",
                "A training stays valid 1 to {max} months, or for ever.",
            ),
            max=MAX_VALID_MONTHS,
        )
    if not topics:
        raise ValidationError(N_("Choose at least one kind of problem the training prepares for."))
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise ValidationError(N_("Unknown kind of problem: {topics}."), topics=", ".join(unknown))
    return name


def add_training(
    engine: Engine,
    actor: Actor,
    team_id: int,
    name: str,
    provider: str,
    hours: float,
    valid_months: int | None,
    topics: tuple[str, ...],
) -> int:
    """Add a training to the team's catalogue; its leaders and administrators may."""
    _require_manager(actor, team_id)
    name = _check_entry(name, hours, valid_months, topics)
    with unit_of_work(engine) as session:
        if session.scalar(select(Training.id).where(Training.team_id == team_id, Training.name == name)):
            raise ValidationError(N_("The catalogue already has a training called {name}."), name=name)
        row = Training(
            team_id=team_id,
            name=name,
            provider=(provider or "").strip()[:NAME_MAX],
            hours=float(hours),
            valid_months=valid_months,
            topics=",".join(t for t in TOPICS if t in topics),
            active=True,
            created_by=actor.person_id,
        )
        session.add(row)
        session.flush()
        return row.id


def set_active(engine: Engine, actor: Actor, training_id: int, active: bool) -> None:
    """Retire a training (no new records; old ones keep counting) or take it back into the catalogue."""
    with unit_of_work(engine) as session:
        row = session.get(Training, training_id)
        if row is None:
            raise NotFound(N_("This training does not exist."))
        _require_manager(actor, row.team_id)
        row.active = active


def _person_team(session: Session, person_id: int) -> int:
    team_id = coproducer_team(session, person_id)
    if team_id is None:
        raise NotFound(N_("This person is not a coproducer in a team."))
    return team_id


def record_training(
    engine: Engine,
    actor: Actor,
    person_id: int,
    training_id: int,
    completed_on: date,
    note: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> int:
    """Record that person_id completed a training. A coproducer may record their own; it counts once a leader
    confirms it. Recorded by their leader, it is confirmed at once."""
    now = now or datetime.now(UTC)
    today = today or now.date()
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(N_("Keep the note to {max} characters."), max=NOTE_MAX)
    if completed_on > today:
        raise ValidationError(N_("The date the training was completed cannot be in the future."))
    if completed_on.year < 1990:
        raise ValidationError(N_("Check the date the training was completed."))
    with unit_of_work(engine) as session:
        team_id = _person_team(session, person_id)
        is_leader = actor.is_system or actor.has_role(Role.LEADER, team_id)
        if not (is_leader or actor.person_id == person_id):
            raise PermissionDenied(N_("You can only record your own trainings."))
        training = session.get(Training, training_id)
        if training is None or training.team_id != team_id or not training.active:
            raise NotFound(N_("This training is not in your team's catalogue."))
        row = TrainingRecord(
            person_id=person_id,
            training_id=training_id,
            completed_on=completed_on,
            valid_until=valid_until(completed_on, training.valid_months),
            note=note or None,
            recorded_at=now,
            recorded_by=actor.person_id,
            confirmed_at=now if is_leader else None,
            confirmed_by=actor.person_id if is_leader else None,
        )
        session.add(row)
        session.flush()
        return row.id


def _leader_record(session: Session, actor: Actor, record_id: int) -> TrainingRecord:
    row = session.get(TrainingRecord, record_id)
    team_id = coproducer_team(session, row.person_id) if row else None
    if row is None or team_id is None or not (actor.is_system or actor.has_role(Role.LEADER, team_id)):
        raise NotFound(N_("This training record does not exist or is not of your team."))
    return row


def confirm_record(engine: Engine, actor: Actor, record_id: int, now: datetime | None = None) -> None:
    """A leader confirms a training a coproducer recorded; from then on it counts."""
    with unit_of_work(engine) as session:
        row = _leader_record(session, actor, record_id)
        if row.confirmed_at is None:
            row.confirmed_at = now or datetime.now(UTC)
            row.confirmed_by = actor.person_id


def withdraw_record(engine: Engine, actor: Actor, record_id: int) -> None:
    """Take back a record that was not confirmed (the coproducer themselves, or their leader)."""
    with unit_of_work(engine) as session:
        row = session.get(TrainingRecord, record_id)
        if row is None or not may_see_entries(session, actor, row.person_id):
            raise NotFound(N_("This training record does not exist or is not of your team."))
        if row.confirmed_at is not None:
            raise ValidationError(N_("A confirmed training cannot be taken back."))
        session.delete(row)


def _records_query():  # type: ignore[no-untyped-def]
    return (
        select(TrainingRecord, Person.display_name, Training.name, Training.topics)
        .join(Person, Person.id == TrainingRecord.person_id)
        .join(Training, Training.id == TrainingRecord.training_id)
        .order_by(Person.display_name, TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())
    )


def _record_rows(session: Session, query) -> list[RecordRow]:  # type: ignore[no-untyped-def]
    return [
        RecordRow(
            id=row.id,
            person_id=row.person_id,
            person_name=name,
            training_id=row.training_id,
            training_name=training,
            topics=tuple(t for t in topics.split(",") if t),
            completed_on=row.completed_on,
            valid_until=row.valid_until,
            note=row.note,
            confirmed=row.confirmed_at is not None,
        )
        for row, name, training, topics in session.execute(query).all()
    ]


def person_records(engine: Engine, actor: Actor, person_id: int) -> list[RecordRow]:
    """One coproducer's training records: for them and their team's leaders only."""
    with reading(engine) as session:
        if not may_see_entries(session, actor, person_id):
            raise PermissionDenied(N_("You can only see your own trainings."))
        return _record_rows(session, _records_query().where(TrainingRecord.person_id == person_id))


def team_records(engine: Engine, actor: Actor, team_id: int, unconfirmed_only: bool = False) -> list[RecordRow]:
    """The training records of a team's coproducers, for its leaders."""
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees its training records."))
    members = select(Membership.person_id).where(Membership.team_id == team_id, Membership.role == Role.COPRODUCER)
    query = _records_query().where(TrainingRecord.person_id.in_(members), Training.team_id == team_id)
    if unconfirmed_only:
        query = query.where(TrainingRecord.confirmed_at.is_(None))
    with reading(engine) as session:
        return _record_rows(session, query)


# What counts on a given day: used by the qualification overview and the outside-training rule -----------------------


def covered_topics(session: Session, person_ids: list[int], day: date) -> dict[int, set[str]]:
    """The kinds of problem each person has a confirmed training for that is valid on day."""
    rows = session.execute(
        select(TrainingRecord.person_id, Training.topics)
        .join(Training, Training.id == TrainingRecord.training_id)
        .where(
            TrainingRecord.person_id.in_(person_ids),
            TrainingRecord.confirmed_at.is_not(None),
            TrainingRecord.completed_on <= day,
            (TrainingRecord.valid_until.is_(None)) | (TrainingRecord.valid_until >= day),
        )
    ).all()
    result: dict[int, set[str]] = {pid: set() for pid in person_ids}
    for person_id, topics in rows:
        result[person_id].update(t for t in topics.split(",") if t)
    return result


@dataclass(frozen=True)
class Coverage:
    """A confirmed training's kinds of problem and the days it counts (until None: for ever)."""

    topics: frozenset[str]
    valid_from: date
    valid_until: date | None

    def covers(self, topic: str, day: date) -> bool:
        return topic in self.topics and self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def coverage(session: Session, person_ids: list[int], start: date, end: date) -> dict[int, list[Coverage]]:
    """Each person's confirmed trainings valid on at least one day of [start, end], to judge a request by its day."""
    rows = session.execute(
        select(TrainingRecord.person_id, Training.topics, TrainingRecord.completed_on, TrainingRecord.valid_until)
        .join(Training, Training.id == TrainingRecord.training_id)
        .where(
            TrainingRecord.person_id.in_(person_ids),
            TrainingRecord.confirmed_at.is_not(None),
            TrainingRecord.completed_on <= end,
            (TrainingRecord.valid_until.is_(None)) | (TrainingRecord.valid_until >= start),
        )
    ).all()
    result: dict[int, list[Coverage]] = {pid: [] for pid in person_ids}
    for person_id, topics, completed_on, until in rows:
        result[person_id].append(Coverage(frozenset(t for t in topics.split(",") if t), completed_on, until))
    return result


def trainings_for_topics(session: Session, team_ids: set[int]) -> dict[int, dict[str, list[str]]]:
    """Per team, per kind of problem, the names of the active trainings in its catalogue that cover it."""
    result: dict[int, dict[str, list[str]]] = {team_id: {} for team_id in team_ids}
    for team_id, name, topics in session.execute(
        select(Training.team_id, Training.name, Training.topics)
        .where(Training.team_id.in_(list(team_ids)), Training.active.is_(True))
        .order_by(Training.name)
    ).all():
        for topic in topics.split(","):
            if topic:
                result[team_id].setdefault(topic, []).append(name)
    return result
