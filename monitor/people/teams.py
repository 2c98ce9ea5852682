"""What a leader or counsellor may see of their own team: who is in it and in which roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Membership, Person, Role, Team
from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor


@dataclass(frozen=True)
class Member:
    person_id: int
    display_name: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    members: tuple[Member, ...]


def _may_view(actor: Actor, team_id: int) -> bool:
    return actor.is_admin or any(actor.has_role(r, team_id) for r in (Role.LEADER, Role.COUNSELLOR))


def my_teams(engine: Engine, actor: Actor) -> list[TeamView]:
    """The teams in which actor is a leader or counsellor, with their active members."""
    team_ids = actor.teams_with(Role.LEADER) | actor.teams_with(Role.COUNSELLOR)
    if not team_ids:
        raise PermissionDenied(N_("Only leaders and counsellors can see a team."))
    return [team_view(engine, actor, team_id) for team_id in sorted(team_ids)]


def team_view(engine: Engine, actor: Actor, team_id: int) -> TeamView:
    if not _may_view(actor, team_id):
        raise PermissionDenied(N_("You can only see your own team."))
    with reading(engine) as session:
        team = session.get(Team, team_id)
        rows = session.execute(
            select(Person.id, Person.display_name, Membership.role)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.team_id == team_id, Person.active.is_(True))
            .order_by(Person.display_name)
        ).all()
    members: dict[int, tuple[str, list[Role]]] = {}
    for person_id, name, role in rows:
        members.setdefault(person_id, (name, []))[1].append(Role(role))
    return TeamView(
        id=team_id,
        name=team.name if team else "?",
        members=tuple(Member(pid, name, tuple(sorted(roles))) for pid, (name, roles) in members.items()),
    )
