"""Each coproducer's demarcation, versioned by valid-from date: a request is judged by the agreement then in force."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Integer, Row, Select, any_, bindparam, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import DemarcationVersion, Membership, Person, Role
from monitor.config import TOPICS, WEEKDAYS, Demarcation
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests.hours import Availability


@dataclass(frozen=True)
class Agreement:
    """A demarcation in force from valid_from (None: the defaults from config.toml)."""

    valid_from: date | None
    hours_per_week: float
    max_outside_requests_per_week: int
    max_night_requests_per_week: int
    topics: tuple[str, ...]
    availability: Availability

    @classmethod
    def from_defaults(cls, defaults: Demarcation) -> Agreement:
        return cls(
            valid_from=None,
            hours_per_week=defaults.hours_per_week,
            max_outside_requests_per_week=defaults.max_outside_requests_per_week,
            max_night_requests_per_week=defaults.max_night_requests_per_week,
            topics=defaults.topics,
            availability=dict(defaults.availability),
        )


def _dump_availability(availability: Availability) -> str:
    return json.dumps(
        {day: [f"{a:%H:%M}-{b:%H:%M}" for a, b in availability.get(day, ())] for day in WEEKDAYS if day in availability}
    )


def _load_availability(text: str) -> Availability:
    result: Availability = {}
    for day, windows in json.loads(text).items():
        parsed = []
        for window in windows:
            start, end = window.split("-")
            end_time = time(23, 59, 59) if end == "23:59" else time.fromisoformat(end)
            parsed.append((time.fromisoformat(start), end_time))
        result[day] = tuple(parsed)
    return result


def _from_row(row: DemarcationVersion | Row) -> Agreement:
    return Agreement(
        valid_from=row.valid_from,
        hours_per_week=row.hours_per_week,
        max_outside_requests_per_week=row.max_outside_requests_per_week,
        max_night_requests_per_week=row.max_night_requests_per_week,
        topics=tuple(t for t in row.topics.split(",") if t),
        availability=_load_availability(row.availability),
    )


def versions(session: Session, person_id: int) -> list[Agreement]:
    """All recorded versions for a person, oldest first."""
    return versions_of(session, [person_id])[person_id]


def versions_of(session: Session, person_ids: Iterable[int]) -> dict[int, list[Agreement]]:
    """The recorded versions of many people in one query, oldest first; an empty list for someone without any."""
    ids = list(person_ids)
    result: dict[int, list[Agreement]] = {person_id: [] for person_id in ids}
    # Plain rows, not ORM objects: this runs inside every save and every evaluation.
    session.flush()  # what the unit of work added so far (the ORM's query would have flushed it too)
    table = DemarcationVersion.__table__
    rows = (
        session.connection()
        .execute(select(table).where(table.c.person_id.in_(ids)).order_by(table.c.person_id, table.c.valid_from))
        .all()
    )
    for row in rows:
        result[row.person_id].append(_from_row(row))
    return result


def _teams_and_versions_statement(people: ColumnElement[bool]) -> Select:
    versions_table = DemarcationVersion.__table__
    return (
        select(Membership.person_id.label("member"), Membership.team_id, versions_table)
        .outerjoin(versions_table, versions_table.c.person_id == Membership.person_id)
        .where(people, Membership.role == Role.COPRODUCER)
        .order_by(Membership.person_id, Membership.team_id, versions_table.c.valid_from)
    )


# Built once: every save runs it, and building a select() anew cost about a fifth of a save's CPU.
_TEAMS_AND_VERSIONS = _teams_and_versions_statement(Membership.person_id.in_(bindparam("ids", expanding=True)))
# On PostgreSQL the people as one array: the statement's text stays the same (an expanding IN is rewritten for every
# number of people), so the server prepares it once.
_TEAMS_AND_VERSIONS_PG = _teams_and_versions_statement(
    Membership.person_id == any_(bindparam("ids", type_=postgresql.ARRAY(Integer)))
)


def coproducer_teams_and_versions(
    connection: Connection, person_ids: Iterable[int]
) -> dict[int, tuple[int | None, list[Agreement]]]:
    """For each person: the team in which they work as a coproducer (the first, if several; None if none) and their
    agreement versions, oldest first. One query: a save needs both, and saving is the app's most frequent write."""
    ids = sorted(set(person_ids))
    statement = _TEAMS_AND_VERSIONS_PG if connection.dialect.name == "postgresql" else _TEAMS_AND_VERSIONS
    return _teams_and_versions(ids, connection.execute(statement, {"ids": ids}).all())


def _teams_and_versions(ids: list[int], rows: Iterable[Any]) -> dict[int, tuple[int | None, list[Agreement]]]:
    """Each person's first coproducer team and its agreement versions, from rows of _teams_and_versions_statement."""
    found: dict[int, tuple[int | None, list[Agreement]]] = {person_id: (None, []) for person_id in ids}
    for row in rows:
        team_id, history = found[row.member]
        if team_id is None:
            team_id = row.team_id
            found[row.member] = (team_id, history)
        if row.team_id == team_id and row.id is not None:
            history.append(_from_row(row))
    return found


def in_force(history: list[Agreement], day: date, defaults: Demarcation) -> Agreement:
    """The version whose valid_from is the latest on or before day; the config defaults before the first one."""
    current = None
    for version in history:
        if version.valid_from is not None and version.valid_from <= day:
            current = version
    return current or Agreement.from_defaults(defaults)


def _leader_of(session: Session, actor: Actor, person_id: int) -> bool:
    teams = session.scalars(
        select(Membership.team_id).where(Membership.person_id == person_id, Membership.role == Role.COPRODUCER)
    ).all()
    return any(actor.has_role(Role.LEADER, team) for team in teams)


def current_agreement(engine: Engine, actor: Actor, person_id: int, today: date, defaults: Demarcation) -> Agreement:
    """What a coproducer has agreed to today; they themselves, their leaders and admins may ask."""
    with reading(engine) as session:
        if not (actor.is_admin or actor.person_id == person_id or _leader_of(session, actor, person_id)):
            raise PermissionDenied(N_("You can only see the agreements of your own team."))
        return in_force(versions(session, person_id), today, defaults)


@dataclass(frozen=True)
class VersionRow:
    """One recorded version, with when and by whom it was recorded (None: by the system, e.g. the demo)."""

    agreement: Agreement
    recorded_at: datetime
    recorded_by: str | None


def agreement_history(engine: Engine, actor: Actor, person_id: int) -> list[VersionRow]:
    """Every recorded version of a coproducer's agreement, newest first; for them, their leaders and admins."""
    with reading(engine) as session:
        if not (actor.is_admin or actor.person_id == person_id or _leader_of(session, actor, person_id)):
            raise PermissionDenied(N_("You can only see the agreements of your own team."))
        rows = session.execute(
            select(DemarcationVersion, Person.display_name)
            .outerjoin(Person, Person.id == DemarcationVersion.created_by)
            .where(DemarcationVersion.person_id == person_id)
            .order_by(DemarcationVersion.valid_from.desc())
        ).all()
        return [VersionRow(_from_row(row), row.created_at, name) for row, name in rows]


def check_availability(availability: Availability) -> None:
    """Each window ends after it starts, and the windows of one day do not overlap."""
    for day, windows in availability.items():
        if day not in WEEKDAYS:
            raise ValidationError(N_("Unknown weekday: {day}."), day=day)
        ordered = sorted(windows)
        if any(end <= start for start, end in ordered) or any(
            later[0] < earlier[1] for earlier, later in zip(ordered, ordered[1:], strict=False)
        ):
            raise ValidationError(
                N_("Each time window must end after it starts, and the windows of one day must not overlap.")
            )


def record_agreement(engine: Engine, actor: Actor, person_id: int, agreement: Agreement) -> None:
    """Store a new version (or replace the one with the same valid_from). Only their leader or an admin may."""
    if agreement.valid_from is None:
        raise ValidationError(N_("Choose the date from which the agreement applies."))
    if agreement.hours_per_week <= 0 or agreement.hours_per_week > 60:
        raise ValidationError(N_("Hours per week must be between 0 and 60."))
    if agreement.max_outside_requests_per_week < 0 or agreement.max_night_requests_per_week < 0:
        raise ValidationError(N_("Limits cannot be negative."))
    unknown = [t for t in agreement.topics if t not in TOPICS]
    if unknown:
        raise ValidationError(N_("Unknown kind of problem: {topics}."), topics=", ".join(unknown))
    check_availability(agreement.availability)
    with unit_of_work(engine) as session:
        if not (actor.is_admin or _leader_of(session, actor, person_id)):
            raise PermissionDenied(N_("Only the person's project leader can change their agreement."))
        existing = session.scalar(
            select(DemarcationVersion).where(
                DemarcationVersion.person_id == person_id, DemarcationVersion.valid_from == agreement.valid_from
            )
        )
        row = existing or DemarcationVersion(person_id=person_id, valid_from=agreement.valid_from)
        row.hours_per_week = agreement.hours_per_week
        row.max_outside_requests_per_week = agreement.max_outside_requests_per_week
        row.max_night_requests_per_week = agreement.max_night_requests_per_week
        row.topics = ",".join(agreement.topics)
        row.availability = _dump_availability(agreement.availability)
        row.created_by = actor.person_id
        session.add(row)
