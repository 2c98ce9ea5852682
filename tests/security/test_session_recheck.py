"""Finding 3: a session that has ended stops receiving data, also in a fragment that refreshes itself.

A fragment reruns without the page around it; every fragment in pages/ goes through guarded_fragment, which reads
the session again on each run and stops with "session ended" when it is over.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from db.models import Role
from monitor.config import PROJECT_ROOT
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from tests.pages.conftest import World, texts

SCRIPT = """
import streamlit as st
from db.models import Role
from monitor.ui.guard import guarded_fragment

@guarded_fragment(Role.LEADER, run_every=60)
def overview(actor):
    st.write("team data for " + actor.username)

overview()
"""
ENDED = "Your session has ended. Sign in again to go on."


def test_every_fragment_in_the_pages_rechecks_the_session() -> None:
    for page in sorted((PROJECT_ROOT / "pages").glob("*.py")):
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"@st\.fragment|st\.fragment\(", source), f"{page.name}: use guarded_fragment"


def test_a_guarded_fragment_shows_data_while_the_session_lasts(world: World) -> None:
    world.sign_in(world.person_in(Role.LEADER))

    at = AppTest.from_string(SCRIPT).run()

    assert "team data for lotte" in [m.value for m in at.markdown]


def test_a_guarded_fragment_stops_when_the_person_is_disabled(world: World) -> None:
    lotte = world.person_in(Role.LEADER)
    world.person_in(Role.ADMIN)
    world.sign_in(lotte)
    people.set_active(world.engine, SYSTEM, lotte, False)

    at = AppTest.from_string(SCRIPT).run()

    assert not [m.value for m in at.markdown if "team data" in m.value]
    assert texts(at.error) == [world.default_gettext()(ENDED)]


def test_a_guarded_fragment_stops_when_the_session_was_signed_out(world: World) -> None:
    world.sign_in(world.person_in(Role.LEADER))
    auth.sign_out(world.engine, world.token)

    at = AppTest.from_string(SCRIPT).run()

    assert texts(at.error) == [world.default_gettext()(ENDED)]


def test_a_guarded_fragment_stops_when_the_role_was_taken_away(world: World) -> None:
    lotte = world.person_in(Role.LEADER)
    world.sign_in(lotte)
    people.grant_role(world.engine, SYSTEM, lotte, world.team_id, Role.COPRODUCER)
    people.revoke_role(world.engine, SYSTEM, lotte, world.team_id, Role.LEADER)

    at = AppTest.from_string(SCRIPT).run()

    assert not [m.value for m in at.markdown if "team data" in m.value]
    assert texts(at.error) == ["You do not have access to this page."]
