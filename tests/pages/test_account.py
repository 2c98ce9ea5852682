"""My account: a person changes their own language and password."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import reading
from db.models import Person, Role
from monitor.config import settings
from monitor.i18n import gettext_for
from monitor.people import auth
from monitor.people.passwords import verify_password
from tests.pages.conftest import PASSWORD, World, by_label, texts

NEW_PASSWORD = "nieuw-en-lang-genoeg"


@pytest.fixture
def person_id(world: World) -> int:
    return world.person_in(Role.COPRODUCER)


@pytest.fixture
def account_page(world: World, person_id: int) -> AppTest:
    world.sign_in(person_id)
    at = world.app().run()
    at.switch_page("pages/account.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["My account"]
    return at


def stored(world: World, person_id: int) -> Person:
    with reading(world.engine) as session:
        person = session.scalar(select(Person).where(Person.id == person_id))
        assert person is not None
        return person


def change_password(at: AppTest, current: str, new: str, again: str | None = None) -> None:
    by_label(at.text_input, "Current password").set_value(current)
    by_label(at.text_input, "New password").set_value(new)
    by_label(at.text_input, "New password again").set_value(new if again is None else again)
    by_label(at.button, "Change password").click()
    at.run()


def test_shows_who_is_signed_in(account_page: AppTest) -> None:
    assert "Signed in as Fatima Bakkali (fatima)" in texts(account_page.markdown)
    assert any('href="/auth/logout"' in html for html in texts(account_page.html))


def test_changes_the_language(world: World, account_page: AppTest, person_id: int) -> None:
    radio = by_label(account_page.radio, "Language")
    assert radio.value == "en"

    radio.set_value("nl").run()

    assert not account_page.exception, account_page.exception
    assert stored(world, person_id).language == "nl"
    _ = gettext_for("nl")
    assert texts(account_page.title) == [_("My account")]
    assert by_label(account_page.radio, _("Language")).value == "nl"


def test_changes_the_password_and_keeps_this_session(world: World, account_page: AppTest, person_id: int) -> None:
    other_phone = auth.open_session(world.engine, person_id)

    change_password(account_page, PASSWORD, NEW_PASSWORD)

    assert not account_page.exception, account_page.exception
    assert not account_page.error, texts(account_page.error)
    assert texts(account_page.success) == ["Your password is changed. You were signed out everywhere else."]
    assert verify_password(stored(world, person_id).password_hash, NEW_PASSWORD)
    assert not verify_password(stored(world, person_id).password_hash, PASSWORD)
    cfg = settings().auth
    assert auth.resume(world.engine, cfg, world.token) is not None, "this session goes on"
    assert auth.resume(world.engine, cfg, other_phone) is None, "the other session ended"


def test_a_wrong_current_password_changes_nothing(world: World, account_page: AppTest, person_id: int) -> None:
    before = stored(world, person_id).password_hash
    other_phone = auth.open_session(world.engine, person_id)

    change_password(account_page, "niet-mijn-wachtwoord", NEW_PASSWORD)

    assert not account_page.exception
    assert texts(account_page.error) == ["Your current password is not right. Nothing was changed."]
    assert not account_page.success
    assert stored(world, person_id).password_hash == before
    assert auth.resume(world.engine, settings().auth, other_phone) is not None


def test_two_different_new_passwords_change_nothing(world: World, account_page: AppTest, person_id: int) -> None:
    before = stored(world, person_id).password_hash

    change_password(account_page, PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x")

    assert texts(account_page.error) == ["The two new passwords are not the same. Nothing was changed."]
    assert stored(world, person_id).password_hash == before


def test_a_too_short_new_password_changes_nothing(world: World, account_page: AppTest, person_id: int) -> None:
    before = stored(world, person_id).password_hash

    change_password(account_page, PASSWORD, "kort")

    assert texts(account_page.error) == [
        "A password needs at least 10 characters. A short sentence is easy to remember."
    ]
    assert stored(world, person_id).password_hash == before
