"""Finding 7: user text is text. Names, notes, training and team names holding Markdown or HTML are shown as written
on every page that shows them, so that a note cannot make a leader's browser fetch an address."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from db.models import Role
from monitor.config import Settings
from monitor.people.access import SYSTEM
from monitor.training import records as training
from monitor.ui.checkins import checkin_forms
from monitor.ui.text import inline, plain
from tests.pages.conftest import World

TRACKER = "![x](http://host/track)"
HOSTILE = f"**Bold** {TRACKER} <img src=x onerror=alert(1)> [link](http://host) :red[red]"
LEADER_PAGES = (
    "pages/leader_home.py",
    "pages/alerts.py",
    "pages/agreements.py",
    "pages/training.py",
    "pages/allowances.py",
    "pages/team_requests.py",
)


def test_plain_escapes_every_markdown_and_html_character() -> None:
    shown = plain(HOSTILE)

    assert not live(shown)
    assert shown.replace("\\", "") == HOSTILE
    assert plain("line one\nline two") == "line one  \nline two"


def live(value: str) -> bool:
    """Whether value still holds Markdown or HTML that would act: the tracker image, or a tag not escaped."""
    return TRACKER in value or re.search(r"(?<!\\)<img", value) is not None or "**Bold**" in value


def markdown_values(at: AppTest) -> list[str]:
    """Every element Streamlit renders as Markdown."""
    groups = (at.markdown, at.caption, at.title, at.subheader, at.header, at.error, at.warning, at.info, at.success)
    return [str(element.value) for group in groups for element in group]


@pytest.fixture
def hostile_team(world: World) -> World:
    """A coproducer whose name, training and training note are Markdown and HTML; the leader is signed in."""
    leader = world.person_in(Role.LEADER)
    coproducer = world.person("evil", HOSTILE, Role.COPRODUCER)
    training_id = training.add_training(world.engine, SYSTEM, world.team_id, HOSTILE, "", 4, None, ("money",))
    training.record_training(
        world.engine, SYSTEM, coproducer, training_id, date(2026, 1, 5), HOSTILE, today=date(2026, 3, 2)
    )
    world.sign_in(leader)
    return world


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_no_leader_page_renders_a_hostile_name_or_note_as_markdown(hostile_team: World, page: str) -> None:
    at = hostile_team.app().run()
    at.switch_page(page).run()

    assert not at.exception, at.exception
    assert not [value for value in markdown_values(at) if live(value)]


def test_the_counsellors_confirmation_quotes_a_name_and_a_place_as_text(settings: Settings) -> None:
    when = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

    for moved in (False, True):
        shown = checkin_forms.planned_text(when, HOSTILE, HOSTILE, moved, settings, "en", lambda msgid: msgid)
        assert not live(shown)
        assert inline(HOSTILE) in shown
