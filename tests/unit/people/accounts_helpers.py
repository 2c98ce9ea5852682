"""Shared bits for the monitor.people.accounts tests: making members of a team, and reading people, roles and
the audit trail back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import AuditEvent, Membership, Person, Role
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor

PASSWORD = "correct horse battery"


def member(engine: Engine, username: str, *roles: Role, team: str = "Moerwijk") -> int:
    team_id = people.team_id_by_name(engine, team) or people.create_team(engine, SYSTEM, team)
    person_id = people.create_person(engine, SYSTEM, username, username.title(), PASSWORD)
    for role in roles:
        people.grant_role(engine, SYSTEM, person_id, team_id, role)
    return person_id


def actor(engine: Engine, person_id: int) -> Actor:
    found = auth.actor_for_person(engine, person_id)
    assert found is not None
    return found


def count(engine: Engine, model: type[Any]) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def audit_trail(engine: Engine) -> list[tuple[int | None, str, str]]:
    with reading(engine) as session:
        rows = session.execute(
            select(AuditEvent.actor_id, AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def is_active(engine: Engine, person_id: int) -> bool:
    with reading(engine) as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person.active


def roles_of(engine: Engine, person_id: int) -> set[tuple[int, str]]:
    with reading(engine) as session:
        rows = session.execute(
            select(Membership.team_id, Membership.role).where(Membership.person_id == person_id)
        ).all()
    return {(r[0], r[1]) for r in rows}
