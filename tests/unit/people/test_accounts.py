"""monitor.people.accounts: what an administrator manages (teams, people, roles), and keeping one admin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from db.models import AuditEvent, Membership, Person, Role, Team
from monitor.config import AuthSettings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor
from tests.unit.people.accounts_helpers import PASSWORD, actor, count, is_active, member, roles_of

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- who may manage ------------------------------------------------------------------------------------

ADMIN_ONLY: dict[str, Callable[[Engine, Actor, int, int], object]] = {
    "create_team": lambda e, a, team, person: people.create_team(e, a, "Transvaal"),
    "create_person": lambda e, a, team, person: people.create_person(e, a, "newcomer", "Newcomer", PASSWORD),
    "grant_role": lambda e, a, team, person: people.grant_role(e, a, person, team, Role.ADMIN),
    "revoke_role": lambda e, a, team, person: people.revoke_role(e, a, person, team, Role.COPRODUCER),
    "disable": lambda e, a, team, person: people.set_active(e, a, person, False),
    "set_password": lambda e, a, team, person: people.set_password(e, a, person, "someone else's password"),
    "list_people": lambda e, a, team, person: people.list_people(e, a),
    "list_teams": lambda e, a, team, person: people.list_teams(e, a),
}


@pytest.mark.parametrize("role", [Role.COPRODUCER, Role.LEADER, Role.COUNSELLOR])
@pytest.mark.parametrize("action", sorted(ADMIN_ONLY))
def test_only_an_administrator_may_manage_teams_people_and_roles(
    engine: Engine, team: int, role: Role, action: str
) -> None:
    someone = actor(engine, member(engine, "asker", role))
    target = member(engine, "henk", Role.COPRODUCER)
    before = (count(engine, Team), count(engine, Person), count(engine, Membership), count(engine, AuditEvent))

    with pytest.raises(PermissionDenied, match="Only an administrator"):
        ADMIN_ONLY[action](engine, someone, team, target)

    after = (count(engine, Team), count(engine, Person), count(engine, Membership), count(engine, AuditEvent))
    assert after == before
    assert is_active(engine, target)
    assert auth.sign_in(engine, AuthSettings(), "henk", PASSWORD, "x").outcome == auth.Outcome.SIGNED_IN


def test_a_leader_of_another_team_is_no_administrator_there_either(engine: Engine, leader: Actor) -> None:
    other_team = people.create_team(engine, SYSTEM, "Transvaal")
    target = member(engine, "henk", Role.COPRODUCER, team="Transvaal")

    with pytest.raises(PermissionDenied):
        people.grant_role(engine, leader, target, other_team, Role.LEADER)

    assert roles_of(engine, target) == {(other_team, Role.COPRODUCER.value)}


def test_an_administrator_creates_a_team(engine: Engine, admin: Actor) -> None:
    team_id = people.create_team(engine, admin, "  Transvaal ")

    assert people.team_id_by_name(engine, "transvaal") == team_id
    assert ("Transvaal", 0) in [(t.name, t.members) for t in people.list_teams(engine, admin)]


def test_an_administrator_creates_a_person_who_can_sign_in(engine: Engine, admin: Actor) -> None:
    person_id = people.create_person(engine, admin, "Fatima.B", "Fatima B.", PASSWORD, "en", " Fatima@Example.org ")

    [row] = [p for p in people.list_people(engine, admin) if p.id == person_id]
    assert (row.username, row.display_name, row.language, row.email, row.active) == (
        "fatima.b",
        "Fatima B.",
        "en",
        "fatima@example.org",
        True,
    )
    result = auth.sign_in(engine, AuthSettings(), "fatima.b", PASSWORD, "x")
    assert result.outcome == auth.Outcome.SIGNED_IN
    assert result.person_id == person_id


def test_an_administrator_grants_and_revokes_a_role(engine: Engine, admin: Actor, team: int) -> None:
    person_id = people.create_person(engine, admin, "henk", "Henk", PASSWORD)

    people.grant_role(engine, admin, person_id, team, Role.LEADER)
    people.grant_role(engine, admin, person_id, team, Role.LEADER)  # granting twice is harmless
    assert roles_of(engine, person_id) == {(team, "leader")}
    assert actor(engine, person_id).has_role(Role.LEADER, team)

    people.revoke_role(engine, admin, person_id, team, Role.LEADER)
    assert roles_of(engine, person_id) == set()
    assert not actor(engine, person_id).has_role(Role.LEADER)


def test_list_people_shows_each_persons_roles_by_team_name(engine: Engine, admin: Actor, team: int) -> None:
    person_id = member(engine, "lotte", Role.LEADER, Role.COUNSELLOR)

    [row] = [p for p in people.list_people(engine, admin) if p.id == person_id]

    assert row.roles == (("Moerwijk", Role.COUNSELLOR), ("Moerwijk", Role.LEADER))


def test_granting_a_role_in_a_team_that_does_not_exist_is_not_found(engine: Engine, admin: Actor) -> None:
    person_id = people.create_person(engine, admin, "henk", "Henk", PASSWORD)

    with pytest.raises(NotFound):
        people.grant_role(engine, admin, person_id, 9999, Role.LEADER)
    with pytest.raises(NotFound):
        people.grant_role(engine, admin, 9999, people.team_id_by_name(engine, "Moerwijk") or 0, Role.LEADER)


# --- keeping an administrator --------------------------------------------------------------------------


def test_the_last_administrator_cannot_be_revoked(engine: Engine, admin: Actor, team: int) -> None:
    assert admin.person_id is not None

    with pytest.raises(ValidationError, match="last administrator"):
        people.revoke_role(engine, SYSTEM, admin.person_id, team, Role.ADMIN)

    assert actor(engine, admin.person_id).is_admin


def test_an_administrator_can_be_revoked_while_another_remains(engine: Engine, admin: Actor, team: int) -> None:
    assert admin.person_id is not None
    second = member(engine, "tweede", Role.ADMIN)

    people.revoke_role(engine, admin, second, team, Role.ADMIN)

    assert not actor(engine, second).is_admin
    with pytest.raises(ValidationError, match="last administrator"):
        people.revoke_role(engine, SYSTEM, admin.person_id, team, Role.ADMIN)


def test_a_disabled_persons_admin_role_can_be_revoked_while_one_active_administrator_remains(
    engine: Engine, admin: Actor, team: int
) -> None:
    former = member(engine, "vroeger", Role.ADMIN)
    people.set_active(engine, admin, former, False)

    people.revoke_role(engine, admin, former, team, Role.ADMIN)

    assert roles_of(engine, former) == set()
    assert admin.person_id is not None and actor(engine, admin.person_id).is_admin


def test_the_last_administrator_may_give_up_a_second_admin_membership(engine: Engine, admin: Actor, team: int) -> None:
    assert admin.person_id is not None
    other_team = people.create_team(engine, SYSTEM, "Transvaal")
    people.grant_role(engine, admin, admin.person_id, other_team, Role.ADMIN)

    people.revoke_role(engine, admin, admin.person_id, other_team, Role.ADMIN)

    assert roles_of(engine, admin.person_id) == {(team, "admin")}
    with pytest.raises(ValidationError, match="last administrator"):
        people.revoke_role(engine, admin, admin.person_id, team, Role.ADMIN)


def test_the_last_administrator_cannot_be_disabled(engine: Engine, admin: Actor) -> None:
    assert admin.person_id is not None

    with pytest.raises(ValidationError, match="last administrator"):
        people.set_active(engine, SYSTEM, admin.person_id, False)

    assert is_active(engine, admin.person_id)


def test_a_disabled_administrator_does_not_count_as_the_remaining_one(engine: Engine, admin: Actor) -> None:
    assert admin.person_id is not None
    second = member(engine, "tweede", Role.ADMIN)
    people.set_active(engine, admin, second, False)

    with pytest.raises(ValidationError, match="last administrator"):
        people.set_active(engine, SYSTEM, admin.person_id, False)

    assert is_active(engine, admin.person_id)


def test_a_person_cannot_disable_themselves(engine: Engine, admin: Actor) -> None:
    assert admin.person_id is not None
    member(engine, "tweede", Role.ADMIN)  # so that the last-administrator rule is not what stops it

    with pytest.raises(ValidationError, match="cannot disable your own account"):
        people.set_active(engine, admin, admin.person_id, False)

    assert is_active(engine, admin.person_id)


def test_disabling_a_person_ends_their_sessions_and_enabling_lets_them_back(
    engine: Engine, admin: Actor, coproducer: Actor
) -> None:
    assert coproducer.person_id is not None
    cfg = AuthSettings()
    token = auth.open_session(engine, coproducer.person_id)

    people.set_active(engine, admin, coproducer.person_id, False)
    assert not is_active(engine, coproducer.person_id)
    assert auth.resume(engine, cfg, token) is None

    people.set_active(engine, admin, coproducer.person_id, True)
    assert is_active(engine, coproducer.person_id)
    assert auth.resume(engine, cfg, token) is None  # the old session stays ended
    assert auth.sign_in(engine, cfg, "fatima", PASSWORD, "x").outcome == auth.Outcome.SIGNED_IN
