"""Findings 4 and 10: common passwords are refused, a password someone else chose must be changed at the next
sign-in, and wrong "current password" tries count like failed sign-ins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from db.models import Role
from monitor.config import AuthSettings
from monitor.errors import ValidationError
from monitor.i18n import gettext_for
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.people.passwords import check_new_password
from tests.pages.conftest import World

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.mark.parametrize("password", ["1234567890", "passwordpassword", "qwertyuiop", "wachtwoord123"])
def test_a_common_or_easily_guessed_password_is_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="too common or too easy to guess"):
        check_new_password(password)


def test_a_password_with_the_username_name_or_app_name_is_refused(engine: Engine) -> None:
    for password, personal in (
        ("henkhenkhenk", ("henk", "Henk Verbeek")),
        ("verbeek-op-zondag", ("henk", "Henk Verbeek")),
        ("mijn monitor wachtwoord", ("henk", "Henk Verbeek")),
    ):
        with pytest.raises(ValidationError, match="may not contain your username"):
            check_new_password(password, personal)
    with pytest.raises(ValidationError, match="may not contain your username"):
        people.create_person(engine, SYSTEM, "henk", "Henk", "henkhenkhenk")


def test_a_password_set_by_an_administrator_must_be_changed_at_the_next_sign_in(engine: Engine) -> None:
    person_id = people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    assert auth.must_change_password(engine, person_id)
    actor = auth.actor_for_person(engine, person_id)
    assert actor is not None

    people.change_own_password(engine, actor, PASSWORD, "a sentence she chose herself", keep_token=None)
    assert not auth.must_change_password(engine, person_id)

    people.set_password(engine, SYSTEM, person_id, "another chosen sentence")
    assert auth.must_change_password(engine, person_id)


def test_until_then_only_the_account_page_opens(world: World) -> None:
    from monitor.people import accounts

    team_person = accounts.create_person(world.engine, SYSTEM, "fatima", "Fatima", PASSWORD, "en")
    accounts.grant_role(world.engine, SYSTEM, team_person, world.team_id, Role.COPRODUCER)
    world.sign_in(team_person)

    world.app().run()

    assert world.last_menu() == ["My account"]


def test_wrong_current_passwords_are_counted_and_slowed_down_like_sign_ins(
    engine: Engine, auth_settings: AuthSettings
) -> None:
    person_id = people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    actor = auth.actor_for_person(engine, person_id)
    assert actor is not None
    messages = []
    for i in range(auth_settings.slow_after_failures + 2):
        with pytest.raises(ValidationError) as caught:
            people.change_own_password(
                engine,
                actor,
                "is it this one?",
                "a sentence she chose herself",
                keep_token=None,
                cfg=auth_settings,
                address="192.0.2.10",
                now=T0 + timedelta(milliseconds=i),
            )
        messages.append(caught.value.message)

    assert "current password is not right" in messages[0]
    assert "Wait" in messages[-1]
    assert auth.account_wait(engine, auth_settings, "fatima", now=T0 + timedelta(seconds=1)) > 0


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("Welkom01!!", "welkom"),
        ("Zomer2026!", "zomer"),
        ("Amsterdam2026", "amsterdam"),
        ("2026-Rotterdam!", "rotterdam"),
        ("Fatima1990!!", "fatima"),
        ("Feyenoord010", "feyenoord"),
    ],
)
def test_a_common_dutch_word_name_or_place_with_digits_or_signs_is_refused_saying_why(password: str, word: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_new_password(password)

    message = refused.value.render(gettext_for("nl"))
    assert f'"{word}"' in message and "zin" in message  # says which word, and that a sentence works instead


@pytest.mark.parametrize("password", ["fiets in de regen 7", "Zomer aan zee 2026!", "correct horse battery"])
def test_a_sentence_of_common_words_is_still_welcome(password: str) -> None:
    check_new_password(password)
