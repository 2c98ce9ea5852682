"""Every page checks the role itself: run a page file on its own, as someone without the role, and it refuses."""

from __future__ import annotations

import pytest

from db.models import Role
from monitor.ui.navigation import PAGES
from tests.pages.conftest import World, texts

ROLE_PAGES = [spec for spec in PAGES if spec.roles]
EVERYONE_PAGES = [spec for spec in PAGES if not spec.roles]


def test_admin_page_refuses_a_coproducer(world: World) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))

    at = world.app("pages/admin.py").run()

    assert not at.exception
    assert texts(at.error) == ["You do not have access to this page."]
    assert not at.title
    assert not at.tabs
    assert not at.text_input
    assert not at.dataframe
    assert not at.button


@pytest.mark.parametrize("spec", ROLE_PAGES, ids=lambda spec: spec.url_path)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_role_pages_open_only_for_their_roles(world: World, spec, role: Role) -> None:  # type: ignore[no-untyped-def]
    world.sign_in(world.person_in(role))

    at = world.app(spec.path).run()

    assert not at.exception, at.exception
    if role in spec.roles:
        assert not at.error, texts(at.error)
        assert at.title
    else:
        assert texts(at.error) == ["You do not have access to this page."]
        assert not at.title
        assert len(at.main) == 1, "nothing but the refusal is shown"


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_every_page_refuses_without_a_session(world: World, spec) -> None:  # type: ignore[no-untyped-def]
    at = world.app(spec.path).run()

    assert not at.exception
    assert texts(at.error) == [world.default_gettext()("Your session has ended. Sign in again to go on.")]
    assert not at.title


def test_a_disabled_person_is_signed_out_of_every_page(world: World) -> None:
    from monitor.people import accounts as people
    from monitor.people.access import SYSTEM

    world.person_in(Role.ADMIN)
    person_id = world.person_in(Role.COPRODUCER)
    world.sign_in(person_id)
    people.set_active(world.engine, SYSTEM, person_id, False)

    for spec in PAGES:
        at = world.app(spec.path).run()
        ended = world.default_gettext()("Your session has ended. Sign in again to go on.")
        assert texts(at.error) == [ended], spec.path


@pytest.mark.parametrize("spec", EVERYONE_PAGES, ids=lambda spec: spec.url_path)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_pages_for_everyone_open_for_every_role(world: World, spec, role: Role) -> None:  # type: ignore[no-untyped-def]
    world.sign_in(world.person_in(role))

    at = world.app(spec.path).run()

    assert not at.exception
    assert not at.error
    assert at.title
