"""Messages: everyone's inbox, newest first and unread in bold, and the unread count beside it in the menu."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import unit_of_work
from db.models import Role
from monitor.config import settings
from monitor.messages import inbox, notify
from monitor.people import auth
from monitor.people.access import Actor
from monitor.ui.navigation import INBOX, PAGES
from tests.pages.conftest import World, by_label, texts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def message(world: World, person_id: int, key: str, text: str, minutes: int = 0) -> None:
    """A notification whose msgid is not in the catalogs, so it reads the same in every language."""
    with unit_of_work(world.engine) as session:
        notify.add(
            session, settings(), person_id, key, "alert", text, {}, link="account", now=T0 + timedelta(minutes=minutes)
        )


def inbox_title(world: World) -> str:
    (title,) = [title for title in world.last_menu() if title.startswith("Messages")]
    return title


def open_inbox(world: World) -> AppTest:
    at = world.app().run()
    at.switch_page("pages/inbox.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["Messages"]
    return at


def shown(at: AppTest) -> list[str]:
    return [text for text in texts(at.markdown) if "older" in text or "newer" in text or "read" in text]


@pytest.fixture
def fatima(world: World) -> int:
    person_id = world.person_in(Role.COPRODUCER)
    world.sign_in(person_id)
    return person_id


def test_the_inbox_is_in_everyones_menu(world: World) -> None:
    (spec,) = [spec for spec in PAGES if spec.url_path == INBOX]
    assert spec.path == "pages/inbox.py" and not spec.roles
    for role in Role:
        world.navigations.clear()
        world.sign_in(world.person(f"someone-{role.value}", "Someone", role))
        world.app().run()
        assert inbox_title(world) == "Messages"


def test_the_menu_shows_the_unread_count(world: World, fatima: int) -> None:
    message(world, fatima, "a", "older")
    message(world, fatima, "b", "newer", 1)
    message(world, world.person_in(Role.LEADER), "c", "not hers")

    world.app().run()

    assert inbox_title(world) == "Messages (2)"


def test_lists_newest_first_with_unread_in_bold(world: World, fatima: int) -> None:
    message(world, fatima, "a", "older", 0)
    message(world, fatima, "b", "newer", 1)
    leader = world.person_in(Role.LEADER)
    message(world, leader, "c", "not hers")
    inbox.mark_read(world.engine, _actor(world, fatima), _ids(world, fatima)["older"])

    at = open_inbox(world)

    assert shown(at) == ["**newer**", "older"]
    assert "not hers" not in " ".join(texts(at.markdown))
    assert [button.label for button in at.button] == ["Mark all as read", "Mark as read"]


def test_mark_all_as_read_clears_the_bold_and_the_count(world: World, fatima: int) -> None:
    message(world, fatima, "a", "older")
    message(world, fatima, "b", "newer", 1)
    at = open_inbox(world)
    assert inbox_title(world) == "Messages (2)"

    by_label(at.button, "Mark all as read").click().run()

    assert not at.exception, at.exception
    assert shown(at) == ["newer", "older"]
    assert not at.button, "nothing left to mark"
    world.app().run()  # AppTest runs a switched-to page on its own; the menu is home.py's
    assert inbox_title(world) == "Messages"
    assert inbox.unread_count(world.engine, _actor(world, fatima)) == 0


def test_mark_one_as_read(world: World, fatima: int) -> None:
    message(world, fatima, "a", "older")
    message(world, fatima, "b", "newer", 1)
    at = open_inbox(world)

    at.button(key=f"read-{_ids(world, fatima)['newer']}").click().run()

    assert not at.exception, at.exception
    assert shown(at) == ["newer", "**older**"]
    world.app().run()
    assert inbox_title(world) == "Messages (1)"


def test_an_empty_inbox_says_so(world: World, fatima: int) -> None:
    at = open_inbox(world)

    assert texts(at.info) == ["No messages yet."]
    assert not at.button


def _actor(world: World, person_id: int) -> Actor:
    actor = auth.actor_for_person(world.engine, person_id)
    assert actor is not None
    return actor


def _ids(world: World, person_id: int) -> dict[str, int]:
    return {item.text: item.id for item in inbox.list_notifications(world.engine, _actor(world, person_id))}
