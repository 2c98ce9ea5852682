"""Who is asking: the Actor, and the permission checks every service function makes."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.models import Role
from monitor.errors import PermissionDenied
from monitor.i18n import N_


@dataclass(frozen=True)
class Actor:
    """The signed-in person (or the command line, which acts as the system) and their roles per team."""

    person_id: int | None
    username: str
    display_name: str
    language: str = "nl"
    memberships: frozenset[tuple[int, Role]] = field(default_factory=frozenset)
    is_system: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(role for _team, role in self.memberships)

    def has_role(self, role: Role, team_id: int | None = None) -> bool:
        if self.is_system:
            return True
        if team_id is None:
            return role in self.roles
        return (team_id, role) in self.memberships

    def teams_with(self, role: Role) -> frozenset[int]:
        return frozenset(team for team, r in self.memberships if r == role)

    @property
    def is_admin(self) -> bool:
        return self.is_system or Role.ADMIN in self.roles


SYSTEM = Actor(person_id=None, username="system", display_name="System", is_system=True)


def require_role(actor: Actor, role: Role, team_id: int | None = None) -> None:
    """Refuse unless actor holds role (in team_id, when given)."""
    if not actor.has_role(role, team_id):
        raise PermissionDenied(N_("You do not have access to this. Ask your project leader if you need it."))


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(N_("Only an administrator can do this."))


def require_self_or_admin(actor: Actor, person_id: int) -> None:
    if not (actor.is_admin or actor.person_id == person_id):
        raise PermissionDenied(N_("You can only change your own account."))
