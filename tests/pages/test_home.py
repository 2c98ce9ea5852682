"""home.py: the frame around every page. Who is signed in decides the menu; nobody signed in sees the way to sign in."""

from __future__ import annotations

import pytest

from db.models import Role
from monitor.i18n import gettext_for
from monitor.people import auth
from monitor.ui.navigation import PAGES, pages_for
from tests.pages.conftest import ROLE_USERS, World, texts

# Fixed points of each role's menu; pages that later join a menu do not change these.
MUST = {
    Role.COPRODUCER: {"My account"},
    Role.LEADER: {"My team", "My account"},
    Role.COUNSELLOR: {"Check-ins", "My account"},
    Role.ADMIN: {"Teams and people", "My account"},
}
MUST_NOT = {
    Role.COPRODUCER: {"Teams and people", "My team", "Check-ins"},
    Role.LEADER: {"Teams and people", "Check-ins"},
    Role.COUNSELLOR: {"Teams and people", "My team"},
    Role.ADMIN: {"My team", "Check-ins"},
}


def titles_for(*roles: Role) -> list[str]:
    """What navigation.PAGES says a person with these roles may open, in menu order."""
    return [spec.title for spec in PAGES if not spec.roles or spec.roles & set(roles)]


def test_not_signed_in_shows_a_warning_and_the_sign_in_link(world: World) -> None:
    _ = world.default_gettext()

    at = world.app().run()

    assert not at.exception
    assert texts(at.title) == [_("Coproducer monitor")]
    assert texts(at.warning) == [_("You are not signed in, or your session has ended.")]
    links = [html for html in texts(at.html) if 'href="/auth/login"' in html]
    assert len(links) == 1 and _("Go to sign in") in links[0]
    assert not world.navigations, "no menu without a session"


def test_an_ended_session_counts_as_not_signed_in(world: World) -> None:
    token = world.sign_in(world.person_in(Role.COPRODUCER))
    auth.sign_out(world.engine, token)

    at = world.app().run()

    assert texts(at.warning) == [world.default_gettext()("You are not signed in, or your session has ended.")]
    assert not world.navigations


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_its_menu_and_first_page(world: World, role: Role) -> None:
    person_id = world.person_in(role)
    world.sign_in(person_id)

    at = world.app().run()

    assert not at.exception, at.exception
    menu = world.last_menu()
    assert MUST[role] <= set(menu), menu
    assert not MUST_NOT[role] & set(menu), menu
    assert menu == titles_for(role)
    actor = auth.actor_for_person(world.engine, person_id)
    assert actor is not None
    assert menu == [spec.title for spec in pages_for(actor)]
    # The first page of the menu is what home.py shows.
    first = world.app(pages_for(actor)[0].path).run()
    assert at.title and texts(at.title) == texts(first.title)
    sidebar = [str(element.value) for element in at.sidebar if hasattr(element, "value")]
    assert f"Signed in as {ROLE_USERS[role][1]}" in sidebar
    assert any('href="/auth/logout"' in value and "Sign out" in value for value in sidebar)


def test_a_coproducer_does_not_get_the_admin_page(world: World) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))

    world.app().run()

    assert "My account" in world.last_menu()
    assert "Teams and people" not in world.last_menu()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_page_in_the_menu_renders(world: World, role: Role) -> None:
    world.sign_in(world.person_in(role))
    at = world.app().run()
    assert not at.exception

    shown = [spec for spec in PAGES if spec.title in world.last_menu()]
    assert len(shown) == len(world.last_menu())
    for spec in shown:
        at.switch_page(spec.path).run()
        assert not at.exception, f"{spec.path}: {at.exception}"
        assert not at.error, f"{spec.path}: {texts(at.error)}"
        assert at.title, f"{spec.path} shows no title"


def test_a_person_with_several_roles_sees_all_their_pages(world: World) -> None:
    roles = (Role.LEADER, Role.COUNSELLOR, Role.ADMIN)
    world.sign_in(world.person("lotte", "Lotte de Vries", *roles))

    at = world.app().run()

    assert not at.exception
    menu = world.last_menu()
    assert menu == titles_for(*roles)
    fixed = ["My team", "Check-ins", "Teams and people", "My account"]
    assert [title for title in menu if title in fixed] == fixed


def test_a_dutch_person_gets_a_dutch_frame(world: World) -> None:
    _ = gettext_for("nl")
    world.sign_in(world.person_in(Role.LEADER, language="nl"))

    at = world.app().run()

    assert not at.exception
    assert world.last_menu() == [_(title) for title in titles_for(Role.LEADER)]
    assert texts(at.title) == [_("My team")]
    sidebar = [str(element.value) for element in at.sidebar if hasattr(element, "value")]
    assert _("Signed in as {name}").format(name="Lotte de Vries") in sidebar
