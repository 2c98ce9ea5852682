"""The administrator's page: add a team, add a person with a role, and refuse what cannot be used."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.engine import reading
from db.models import Membership, Person, Role, Team
from monitor.people import accounts as people
from monitor.people.passwords import verify_password
from tests.pages.conftest import PASSWORD, TEAM, World, by_label, confirmation, texts

USERNAME_RULE = "A username needs 3 to 64 characters"


@pytest.fixture
def admin_page(world: World) -> AppTest:
    world.sign_in(world.person_in(Role.ADMIN))
    at = world.app().run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["Teams and people"]
    return at


def tab(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(t for t in at.tabs if t.label == label)


def counts(world: World) -> tuple[int, int, int]:
    with reading(world.engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Team)) or 0,
            session.scalar(select(func.count()).select_from(Person)) or 0,
            session.scalar(select(func.count()).select_from(Membership)) or 0,
        )


def fill_person(
    world: World, at: AppTest, username: str, name: str, password: str = PASSWORD, role: str | None = None
) -> None:
    """Fill in and submit the "Add a person" form (a role is given in the one team)."""
    people_tab = tab(at, "People")
    by_label(people_tab.text_input, "Username").set_value(username)
    by_label(people_tab.text_input, "Name to show").set_value(name)
    by_label(people_tab.text_input, "First password").set_value(password)
    if role is not None:
        by_label(people_tab.selectbox, "Team").set_value(world.team_id)
        by_label(people_tab.selectbox, "Role").set_value(role)
    by_label(people_tab.button, "Add person").click()


def test_the_page_lists_people_and_teams(world: World, admin_page: AppTest) -> None:
    assert [t.label for t in admin_page.tabs] == ["People", "Roles", "Teams"]
    people_table = admin_page.dataframe[0].value
    assert list(people_table["Username"]) == ["beheer"]
    [cards] = [e.proto.body for e in admin_page.get("html") if e.proto.body.startswith('<ul class="monitor-cards"')]
    assert "<dt>Username</dt><dd>beheer</dd>" in cards and "<dt>Active</dt><dd>Yes</dd>" in cards
    teams_table = admin_page.dataframe[1].value
    assert list(teams_table["Team"]) == [TEAM]


def test_adds_a_team(world: World, admin_page: AppTest) -> None:
    by_label(tab(admin_page, "Teams").text_input, "Name of the new team").set_value("Transvaal")
    by_label(tab(admin_page, "Teams").button, "Add team").click()
    admin_page.run()

    assert not admin_page.exception, admin_page.exception
    assert not admin_page.error, texts(admin_page.error)
    assert people.team_id_by_name(world.engine, "Transvaal") is not None
    assert list(admin_page.dataframe[1].value["Team"]) == [TEAM, "Transvaal"]


def test_refuses_a_team_name_that_is_taken(world: World, admin_page: AppTest) -> None:
    before = counts(world)
    by_label(tab(admin_page, "Teams").text_input, "Name of the new team").set_value(TEAM.lower())
    by_label(tab(admin_page, "Teams").button, "Add team").click()
    admin_page.run()

    assert not admin_page.exception
    assert texts(admin_page.error) == [f"There is already a team called {TEAM.lower()}."]
    assert counts(world) == before


def test_adds_a_person_with_a_role(world: World, admin_page: AppTest) -> None:
    fill_person(world, admin_page, "Henk.V", "Henk Verbeek", role="coproducer")
    admin_page.run()

    assert not admin_page.exception, admin_page.exception
    assert not admin_page.error, texts(admin_page.error)
    with reading(world.engine) as session:
        person = session.scalar(select(Person).where(Person.username == "henk.v"))
        assert person is not None
        assert person.display_name == "Henk Verbeek"
        assert person.language == "nl"
        assert verify_password(person.password_hash, PASSWORD)
        assert [(m.team.name, m.role) for m in person.memberships] == [(TEAM, "coproducer")]
    assert "henk.v" in list(admin_page.dataframe[0].value["Username"])
    assert confirmation(admin_page, "add-person") == ("People", ["Henk Verbeek can now sign in."])


def test_adds_a_person_without_a_role(world: World, admin_page: AppTest) -> None:
    fill_person(world, admin_page, "priya", "Priya Ramdin")
    admin_page.run()

    assert not admin_page.error, texts(admin_page.error)
    person_id = people.person_id_by_username(world.engine, "priya")
    assert person_id is not None
    with reading(world.engine) as session:
        assert session.scalar(select(func.count()).where(Membership.person_id == person_id)) == 0


@pytest.mark.parametrize("username", ["Fatima B", "ab", "-fatima", "fätima"])
def test_refuses_a_bad_username_and_changes_nothing(world: World, admin_page: AppTest, username: str) -> None:
    before = counts(world)
    fill_person(world, admin_page, username, "Fatima Bakkali", role="coproducer")
    admin_page.run()

    assert not admin_page.exception
    errors = texts(admin_page.error)
    assert len(errors) == 1 and errors[0].startswith(USERNAME_RULE), errors
    assert "For example: fatima.b" in errors[0]
    assert not admin_page.success
    assert counts(world) == before


def test_refuses_a_taken_username(world: World, admin_page: AppTest) -> None:
    before = counts(world)
    fill_person(world, admin_page, "beheer", "Someone Else")
    admin_page.run()

    assert texts(admin_page.error) == ["The username beheer is taken. Choose another."]
    assert counts(world) == before


def test_refuses_a_short_first_password(world: World, admin_page: AppTest) -> None:
    before = counts(world)
    fill_person(world, admin_page, "youssef", "Youssef Amrani", password="kort")
    admin_page.run()

    assert texts(admin_page.error) == ["A password needs at least 10 characters. A short sentence is easy to remember."]
    assert counts(world) == before


def test_the_administrator_records_a_coproducers_month_of_birth(world: World) -> None:
    """Issue 30: an administrator, not only the team's leader, sets the month a coproducer was born."""
    fatima = world.person_in(Role.COPRODUCER)
    with time_machine.travel(datetime(2026, 12, 8, 10, tzinfo=UTC), tick=False):
        world.sign_in(world.person_in(Role.ADMIN))
        at = world.app().run()
        at.switch_page("pages/admin.py").run()
        at.selectbox(key="chosen").set_value(fatima).run()
        assert "The age of Fatima Bakkali is not known." in texts(at.markdown)
        by_label(at.selectbox, "Month of birth").set_value(5)
        by_label(at.number_input, "Year of birth").set_value(2009)
        by_label(at.button, "Save the month of birth").click().run()
    assert not at.exception, at.exception
    assert "The month of birth of Fatima Bakkali was saved." in texts(at.success)
    assert "Fatima Bakkali was born in May 2009: 17 years old." in texts(at.markdown)
    with reading(world.engine) as session:
        assert session.scalar(select(Person.birth_month).where(Person.id == fatima)) == date(2009, 5, 1)


def test_the_month_of_birth_is_offered_only_for_coproducers(world: World, admin_page: AppTest) -> None:
    with reading(world.engine) as session:
        beheer = session.scalar(select(Person.id).where(Person.username == "beheer"))
    admin_page.selectbox(key="chosen").set_value(beheer).run()
    assert not admin_page.exception, admin_page.exception
    assert "Month of birth" not in [s.label for s in admin_page.selectbox]
