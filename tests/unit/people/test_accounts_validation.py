"""monitor.people.accounts: usernames, details and team names that are refused or accepted, and what a person
may change of their own account."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.models import Person, Team
from monitor.errors import PermissionDenied, ValidationError
from monitor.people import accounts as people
from monitor.people.access import SYSTEM, Actor
from tests.unit.people.accounts_helpers import PASSWORD, actor, count

pytestmark = pytest.mark.usefixtures("fast_passwords")


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
