"""monitor.people.accounts: what an administrator manages (teams, people, roles), keeping one admin, and the audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import AuditEvent, Membership, Person, Role, Team
from monitor.config import AuthSettings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- helpers -------------------------------------------------------------------------------------------


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


@pytest.fixture
def team(engine: Engine) -> int:
    return people.create_team(engine, SYSTEM, "Moerwijk")


@pytest.fixture
def admin(engine: Engine, team: int) -> Actor:
    return actor(engine, member(engine, "beheer", Role.ADMIN))


@pytest.fixture
def leader(engine: Engine, team: int) -> Actor:
    return actor(engine, member(engine, "lotte", Role.LEADER))


@pytest.fixture
def coproducer(engine: Engine, team: int) -> Actor:
    return actor(engine, member(engine, "fatima", Role.COPRODUCER))


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


# --- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    ["fa", "fatima b", "-fatima", ".fatima", "fátima", "fatima@home", "a" * 65, "", "   "],
    ids=["too-short", "space", "leading-dash", "leading-dot", "accent", "at-sign", "too-long", "empty", "blank"],
)
def test_a_username_that_breaks_the_rule_is_refused_with_an_example(
    engine: Engine, admin: Actor, username: str
) -> None:
    before = count(engine, Person)

    with pytest.raises(ValidationError) as caught:
        people.create_person(engine, admin, username, "Someone", PASSWORD)

    message = str(caught.value)
    assert "3 to 64 characters" in message
    assert "For example: fatima.b" in message
    assert count(engine, Person) == before


@pytest.mark.parametrize("username", ["abc", "fatima.b", "henk_2", "y-amrani", "0lotte", "a" * 64])
def test_a_username_that_follows_the_rule_is_accepted(username: str) -> None:
    assert people.check_username(username) == username


def test_a_username_is_stored_in_small_letters_without_spaces() -> None:
    assert people.check_username("  Fatima.B ") == "fatima.b"


def test_a_username_that_is_taken_is_refused_whatever_its_case(engine: Engine, admin: Actor) -> None:
    people.create_person(engine, admin, "fatima", "Fatima", PASSWORD)

    with pytest.raises(ValidationError, match="The username fatima is taken"):
        people.create_person(engine, admin, "FATIMA", "Another Fatima", PASSWORD)

    assert len([p for p in people.list_people(engine, admin) if p.username == "fatima"]) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"display_name": "   "}, "Give a name to show"),
        ({"display_name": "x" * 101}, "Give a name to show"),
        ({"language": "de"}, "Choose a language: nl, en"),
        ({"email": "not-an-address"}, "does not look like an e-mail address"),
        ({"password": "short"}, "at least 10 characters"),
    ],
    ids=["blank-name", "long-name", "language", "email", "short-password"],
)
def test_a_person_with_an_unusable_detail_is_refused(
    engine: Engine, admin: Actor, kwargs: dict[str, str], message: str
) -> None:
    details = {"username": "henk", "display_name": "Henk", "password": PASSWORD, **kwargs}
    before = count(engine, Person)

    with pytest.raises(ValidationError, match=message):
        people.create_person(engine, admin, **details)

    assert count(engine, Person) == before


def test_two_people_cannot_share_an_email_address(engine: Engine, admin: Actor) -> None:
    people.create_person(engine, admin, "henk", "Henk", None, email="henk@example.org")

    with pytest.raises(ValidationError, match="already has the e-mail address henk@example.org"):
        people.create_person(engine, admin, "henk2", "Henk Two", None, email="Henk@Example.org")


@pytest.mark.parametrize("name", ["x", "", "   ", "x" * 101], ids=["one-letter", "empty", "blank", "too-long"])
def test_a_team_name_needs_two_to_a_hundred_characters(engine: Engine, admin: Actor, name: str) -> None:
    with pytest.raises(ValidationError, match="2 to 100 characters"):
        people.create_team(engine, admin, name)

    assert count(engine, Team) == 1  # only the fixture's team


def test_a_team_name_is_unique_whatever_its_case(engine: Engine, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="already a team called moerwijk"):
        people.create_team(engine, admin, "moerwijk")

    assert count(engine, Team) == 1


# --- one's own account ---------------------------------------------------------------------------------


def test_a_person_changes_their_own_language_but_not_someone_elses(
    engine: Engine, coproducer: Actor, leader: Actor
) -> None:
    assert coproducer.person_id is not None and leader.person_id is not None

    people.set_language(engine, coproducer, coproducer.person_id, "en")
    with pytest.raises(PermissionDenied, match="only change your own account"):
        people.set_language(engine, coproducer, leader.person_id, "en")

    assert actor(engine, coproducer.person_id).language == "en"
    assert actor(engine, leader.person_id).language == "nl"


def test_an_administrator_may_change_someone_elses_language(engine: Engine, admin: Actor, coproducer: Actor) -> None:
    assert coproducer.person_id is not None

    people.set_language(engine, admin, coproducer.person_id, "en")

    assert actor(engine, coproducer.person_id).language == "en"


def test_a_language_that_is_not_offered_is_refused(engine: Engine, coproducer: Actor) -> None:
    assert coproducer.person_id is not None

    with pytest.raises(ValidationError, match="Choose a language"):
        people.set_language(engine, coproducer, coproducer.person_id, "fr")

    assert actor(engine, coproducer.person_id).language == "nl"


def test_the_system_cannot_change_its_own_password(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="Only a person"):
        people.change_own_password(engine, SYSTEM, PASSWORD, "another good password", keep_token=None)


# --- audit ---------------------------------------------------------------------------------------------


def test_every_change_by_an_administrator_is_audited_with_who_did_it(engine: Engine, admin: Actor) -> None:
    start = len(audit_trail(engine))
    team_id = people.create_team(engine, admin, "Transvaal")
    person_id = people.create_person(engine, admin, "henk", "Henk", PASSWORD)
    people.grant_role(engine, admin, person_id, team_id, Role.LEADER)
    people.revoke_role(engine, admin, person_id, team_id, Role.LEADER)
    people.set_password(engine, admin, person_id, "a fresh new password")
    people.set_active(engine, admin, person_id, False)
    people.set_active(engine, admin, person_id, True)

    assert audit_trail(engine)[start:] == [
        (admin.person_id, "team.create", "Transvaal"),
        (admin.person_id, "person.create", "henk"),
        (admin.person_id, "role.grant", f"henk leader team={team_id}"),
        (admin.person_id, "role.revoke", f"henk leader team={team_id}"),
        (admin.person_id, "person.password_set", "henk"),
        (admin.person_id, "person.disable", "henk"),
        (admin.person_id, "person.enable", "henk"),
    ]


def test_changing_ones_own_password_is_audited(engine: Engine, coproducer: Actor) -> None:
    start = len(audit_trail(engine))

    people.change_own_password(engine, coproducer, PASSWORD, "a fresh new password", keep_token=None)

    assert audit_trail(engine)[start:] == [(coproducer.person_id, "person.password_change", "fatima")]


def test_the_command_line_is_audited_as_the_system(engine: Engine) -> None:
    people.create_team(engine, SYSTEM, "Transvaal")

    assert audit_trail(engine) == [(None, "team.create", "Transvaal")]


def test_a_refused_or_unchanged_request_writes_no_audit_event(engine: Engine, admin: Actor, team: int) -> None:
    assert admin.person_id is not None
    henk = member(engine, "henk", Role.LEADER)
    start = len(audit_trail(engine))

    people.grant_role(engine, admin, henk, team, Role.LEADER)  # already held
    people.revoke_role(engine, admin, henk, team, Role.COUNSELLOR)  # never held
    with pytest.raises(ValidationError):
        people.revoke_role(engine, admin, admin.person_id, team, Role.ADMIN)
    with pytest.raises(ValidationError):
        people.create_team(engine, admin, "Moerwijk")

    assert audit_trail(engine)[start:] == []
