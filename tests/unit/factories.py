"""Small builders for test data, made through the services so that tests start from states the app can reach."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from db.models import Role
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor


@dataclass(frozen=True)
class Team:
    id: int
    leader: Actor
    counsellor: Actor
    coproducer: Actor
    other_coproducer: Actor
    admin: Actor


def person(engine: Engine, username: str, team_id: int, *roles: Role) -> Actor:
    person_id = people.create_person(engine, SYSTEM, username, username.title(), None)
    for role in roles:
        people.grant_role(engine, SYSTEM, person_id, team_id, role)
    actor = auth.actor_for_person(engine, person_id)
    assert actor is not None
    return actor


def team(engine: Engine, name: str = "Moerwijk", prefix: str = "") -> Team:
    team_id = people.create_team(engine, SYSTEM, name)
    return Team(
        id=team_id,
        leader=person(engine, f"{prefix}lotte", team_id, Role.LEADER),
        counsellor=person(engine, f"{prefix}samira", team_id, Role.COUNSELLOR),
        coproducer=person(engine, f"{prefix}fatima", team_id, Role.COPRODUCER),
        other_coproducer=person(engine, f"{prefix}henk", team_id, Role.COPRODUCER),
        admin=person(engine, f"{prefix}beheer", team_id, Role.ADMIN),
    )
