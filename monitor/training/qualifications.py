"""Who is trained for what: per coproducer and kind of problem, trained, expiring soon, expired or not trained."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Membership, Person, Role
from monitor.config import TOPICS
from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.training.records import CatalogueEntry, RecordRow, person_records, team_records

TRAINED = "trained"
EXPIRING = "expiring"
EXPIRED = "expired"
NOT_TRAINED = "none"
STATUSES = (TRAINED, EXPIRING, EXPIRED, NOT_TRAINED)


@dataclass(frozen=True)
class Cell:
    status: str
    valid_until: date | None = None  # of the training that decides the status
    training: str | None = None


@dataclass(frozen=True)
class Row:
    person_id: int
    name: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Opening:
    """What one training would give a coproducer: kinds of problem it opens up, and ones it renews."""

    training: CatalogueEntry
    opens: tuple[str, ...]
    renews: tuple[str, ...]


def _latest(records: list[RecordRow]) -> RecordRow:
    return max(records, key=lambda r: r.valid_until or date.max)


def cell(records: Iterable[RecordRow], topic: str, today: date, expiring_days: int) -> Cell:
    """The status of one kind of problem from a person's records: the longest-valid confirmed training decides."""
    done = [r for r in records if r.confirmed and topic in r.topics and r.completed_on <= today]
    valid = [r for r in done if r.valid_until is None or r.valid_until >= today]
    if valid:
        best = _latest(valid)
        soon = best.valid_until is not None and best.valid_until <= today + timedelta(days=expiring_days)
        return Cell(EXPIRING if soon else TRAINED, best.valid_until, best.training_name)
    if done:
        best = _latest(done)
        return Cell(EXPIRED, best.valid_until, best.training_name)
    return Cell(NOT_TRAINED)


def row(person_id: int, name: str, records: list[RecordRow], today: date, expiring_days: int) -> Row:
    return Row(person_id, name, {topic: cell(records, topic, today, expiring_days) for topic in TOPICS})


def team_overview(engine: Engine, actor: Actor, team_id: int, today: date, expiring_days: int) -> list[Row]:
    """One row per active coproducer of the team, for its leaders."""
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees who is trained for what."))
    with reading(engine) as session:
        people = session.execute(
            select(Person.id, Person.display_name)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.team_id == team_id, Membership.role == Role.COPRODUCER, Person.active.is_(True))
            .order_by(Person.display_name)
        ).all()
    records = team_records(engine, actor, team_id)
    return [row(pid, name, [r for r in records if r.person_id == pid], today, expiring_days) for pid, name in people]


def person_overview(engine: Engine, actor: Actor, person_id: int, name: str, today: date, expiring_days: int) -> Row:
    """One coproducer's row: for them and their leaders (person_records checks)."""
    return row(person_id, name, person_records(engine, actor, person_id), today, expiring_days)


def openings(catalogue: list[CatalogueEntry], current: Row) -> list[Opening]:
    """For each training in the catalogue, what it would open up (not or no longer trained) or renew (expiring)."""
    result = []
    for entry in catalogue:
        opens = tuple(t for t in entry.topics if current.cells[t].status in (EXPIRED, NOT_TRAINED))
        renews = tuple(t for t in entry.topics if current.cells[t].status == EXPIRING)
        result.append(Opening(entry, opens, renews))
    return sorted(result, key=lambda o: (-len(o.opens), -len(o.renews), o.training.name))
