"""monitor.people.access and monitor.people.teams: who holds which role where, and who may see a team."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.models import Role
from monitor.errors import PermissionDenied
from monitor.people import accounts as people
from monitor.people import auth, teams
from monitor.people.access import SYSTEM, Actor, require_admin, require_role, require_self_or_admin

PASSWORD = "correct horse battery"
TEAM, OTHER = 1, 2

pytestmark = pytest.mark.usefixtures("fast_passwords")


def someone(*memberships: tuple[int, Role], person_id: int = 7) -> Actor:
    return Actor(person_id=person_id, username="someone", display_name="Someone", memberships=frozenset(memberships))


# --- Actor and the require_* checks (no database) ------------------------------------------------------


def test_an_actor_holds_a_role_only_in_the_team_it_was_given_for() -> None:
    lotte = someone((TEAM, Role.LEADER))

    assert lotte.has_role(Role.LEADER, TEAM)
    assert lotte.has_role(Role.LEADER)
    assert not lotte.has_role(Role.LEADER, OTHER)
    assert not lotte.has_role(Role.COUNSELLOR, TEAM)
    assert lotte.roles == frozenset({Role.LEADER})


def test_teams_with_lists_the_teams_where_the_actor_holds_the_role() -> None:
    lotte = someone((TEAM, Role.LEADER), (OTHER, Role.COUNSELLOR), (3, Role.LEADER))

    assert lotte.teams_with(Role.LEADER) == frozenset({TEAM, 3})
    assert lotte.teams_with(Role.COUNSELLOR) == frozenset({OTHER})
    assert lotte.teams_with(Role.ADMIN) == frozenset()


def test_only_the_admin_role_or_the_system_is_admin() -> None:
    assert someone((TEAM, Role.ADMIN)).is_admin
    assert SYSTEM.is_admin
    for role in (Role.COPRODUCER, Role.LEADER, Role.COUNSELLOR):
        assert not someone((TEAM, role)).is_admin


def test_the_system_holds_every_role_in_every_team() -> None:
    assert all(SYSTEM.has_role(role, team) for role in Role for team in (TEAM, OTHER))


@pytest.mark.parametrize("role", [Role.COPRODUCER, Role.LEADER, Role.COUNSELLOR])
def test_require_admin_refuses_everyone_but_an_administrator(role: Role) -> None:
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        require_admin(someone((TEAM, role)))

    require_admin(someone((TEAM, Role.ADMIN)))
    require_admin(SYSTEM)


def test_require_role_refuses_a_role_held_in_another_team() -> None:
    lotte = someone((TEAM, Role.LEADER))

    require_role(lotte, Role.LEADER, TEAM)
    require_role(lotte, Role.LEADER)
    with pytest.raises(PermissionDenied, match="Ask your project leader"):
        require_role(lotte, Role.LEADER, OTHER)
    with pytest.raises(PermissionDenied):
        require_role(lotte, Role.COUNSELLOR)


def test_require_self_or_admin_lets_a_person_change_only_their_own_account() -> None:
    fatima = someone((TEAM, Role.COPRODUCER), person_id=7)

    require_self_or_admin(fatima, 7)
    with pytest.raises(PermissionDenied, match="only change your own account"):
        require_self_or_admin(fatima, 8)
    require_self_or_admin(someone((TEAM, Role.ADMIN), person_id=1), 8)


def test_a_permission_denied_carries_a_message_that_can_be_translated() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require_admin(someone())

    assert caught.value.render(str.upper) == "ONLY AN ADMINISTRATOR CAN DO THIS."


# --- seeing a team -------------------------------------------------------------------------------------


class Teams:
    """Two teams: Moerwijk (leader, counsellor, two coproducers) and Transvaal (its own leader)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.moerwijk = people.create_team(engine, SYSTEM, "Moerwijk")
        self.transvaal = people.create_team(engine, SYSTEM, "Transvaal")
        self.lotte = self.add("lotte", "Lotte de Vries", self.moerwijk, Role.LEADER)
        self.samira = self.add("samira", "Samira El Idrissi", self.moerwijk, Role.COUNSELLOR)
        self.fatima = self.add("fatima", "Fatima Bakkali", self.moerwijk, Role.COPRODUCER)
        self.henk = self.add("henk", "Henk Verbeek", self.moerwijk, Role.COPRODUCER)
        self.karel = self.add("karel", "Karel Smit", self.transvaal, Role.LEADER)
        self.beheer = self.add("beheer", "Beheerder", self.transvaal, Role.ADMIN)

    def add(self, username: str, name: str, team_id: int, role: Role) -> int:
        person_id = people.create_person(self.engine, SYSTEM, username, name, PASSWORD)
        people.grant_role(self.engine, SYSTEM, person_id, team_id, role)
        return person_id

    def actor(self, person_id: int) -> Actor:
        found = auth.actor_for_person(self.engine, person_id)
        assert found is not None
        return found


@pytest.fixture
def world(engine: Engine) -> Teams:
    return Teams(engine)


def names(view: teams.TeamView) -> list[str]:
    return [m.display_name for m in view.members]


@pytest.mark.parametrize("who", ["lotte", "samira", "beheer"])
def test_the_teams_leader_counsellor_or_an_administrator_may_view_it(engine: Engine, world: Teams, who: str) -> None:
    view = teams.team_view(engine, world.actor(getattr(world, who)), world.moerwijk)

    assert view.id == world.moerwijk
    assert view.name == "Moerwijk"
    assert names(view) == ["Fatima Bakkali", "Henk Verbeek", "Lotte de Vries", "Samira El Idrissi"]
    roles = {m.person_id: m.roles for m in view.members}
    assert roles[world.lotte] == (Role.LEADER,)
    assert roles[world.fatima] == (Role.COPRODUCER,)


def test_a_coproducer_may_not_view_their_own_team(engine: Engine, world: Teams) -> None:
    with pytest.raises(PermissionDenied, match="only see your own team"):
        teams.team_view(engine, world.actor(world.fatima), world.moerwijk)


def test_a_leader_of_another_team_may_not_view_it(engine: Engine, world: Teams) -> None:
    karel = world.actor(world.karel)

    with pytest.raises(PermissionDenied, match="only see your own team"):
        teams.team_view(engine, karel, world.moerwijk)
    assert names(teams.team_view(engine, karel, world.transvaal)) == ["Beheerder", "Karel Smit"]


def test_a_person_with_several_roles_in_a_team_is_listed_once_with_all_of_them(engine: Engine, world: Teams) -> None:
    people.grant_role(engine, SYSTEM, world.samira, world.moerwijk, Role.COPRODUCER)

    view = teams.team_view(engine, world.actor(world.lotte), world.moerwijk)

    assert names(view).count("Samira El Idrissi") == 1
    [samira] = [m for m in view.members if m.person_id == world.samira]
    assert set(samira.roles) == {Role.COUNSELLOR, Role.COPRODUCER}


def test_a_disabled_member_is_not_shown(engine: Engine, world: Teams) -> None:
    people.set_active(engine, SYSTEM, world.henk, False)

    view = teams.team_view(engine, world.actor(world.lotte), world.moerwijk)

    assert "Henk Verbeek" not in names(view)
    assert "Fatima Bakkali" in names(view)


def test_a_role_taken_away_takes_the_view_away(engine: Engine, world: Teams) -> None:
    people.revoke_role(engine, SYSTEM, world.lotte, world.moerwijk, Role.LEADER)

    with pytest.raises(PermissionDenied):
        teams.team_view(engine, world.actor(world.lotte), world.moerwijk)


def test_my_teams_gives_a_leader_or_counsellor_exactly_their_own_teams(engine: Engine, world: Teams) -> None:
    people.grant_role(engine, SYSTEM, world.samira, world.transvaal, Role.COUNSELLOR)

    lotte_sees = [v.name for v in teams.my_teams(engine, world.actor(world.lotte))]
    samira_sees = [v.name for v in teams.my_teams(engine, world.actor(world.samira))]

    assert lotte_sees == ["Moerwijk"]
    assert sorted(samira_sees) == ["Moerwijk", "Transvaal"]


@pytest.mark.parametrize("who", ["fatima", "beheer"])
def test_my_teams_is_refused_to_someone_who_leads_or_counsels_no_team(engine: Engine, world: Teams, who: str) -> None:
    with pytest.raises(PermissionDenied, match="Only leaders and counsellors"):
        teams.my_teams(engine, world.actor(getattr(world, who)))
