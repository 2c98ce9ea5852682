"""A believable demo: one neighbourhood team with a leader, a counsellor and six coproducers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from db.models import Role
from monitor import people
from monitor.access import SYSTEM

DEMO_TEAM = "Moerwijk"
DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    roles: tuple[Role, ...]
    language: str = "nl"


DEMO_PEOPLE = (
    DemoPerson("beheer", "Beheerder", (Role.ADMIN,)),
    DemoPerson("lotte", "Lotte de Vries", (Role.LEADER,)),
    DemoPerson("samira", "Samira El Idrissi", (Role.COUNSELLOR,)),
    DemoPerson("fatima", "Fatima Bakkali", (Role.COPRODUCER,)),
    DemoPerson("henk", "Henk Verbeek", (Role.COPRODUCER,)),
    DemoPerson("priya", "Priya Ramdin", (Role.COPRODUCER,), "en"),
    DemoPerson("youssef", "Youssef Amrani", (Role.COPRODUCER,)),
    DemoPerson("marieke", "Marieke Jansen", (Role.COPRODUCER,)),
    DemoPerson("ahmed", "Ahmed Yilmaz", (Role.COPRODUCER,), "en"),
)


def load_demo(engine: Engine) -> bool:
    """Add the demo team and people; False (and nothing changed) if the demo team is already there."""
    if people.team_id_by_name(engine, DEMO_TEAM) is not None:
        return False
    team_id = people.create_team(engine, SYSTEM, DEMO_TEAM)
    for person in DEMO_PEOPLE:
        person_id = people.create_person(engine, SYSTEM, person.username, person.name, DEMO_PASSWORD, person.language)
        for role in person.roles:
            people.grant_role(engine, SYSTEM, person_id, team_id, role)
    return True


def sign_in_lines() -> list[str]:
    return [f"  {p.username:<10} {', '.join(r.value for r in p.roles):<12} {p.name}" for p in DEMO_PEOPLE]
