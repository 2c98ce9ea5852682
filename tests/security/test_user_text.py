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
from monitor.ui.text import plain
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
        assert plain(HOSTILE, one_line=True) in shown


# --- issue 27: every page of every role, hostile text in every field ---------------------------------------------

# What made a leader's browser fetch an address: an image, raw HTML, and a link that runs script when followed.
IMAGE = "![i](http://127.0.0.1:9/x)"
TAG = "<img src=http://127.0.0.1:9/y>"
SCRIPT_LINK = "[a](javascript:alert(1))"
NAMED = f"Eve {IMAGE} {TAG} {SCRIPT_LINK}"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def acts(value: object) -> bool:
    """Whether Markdown or HTML in value would act: one of the payloads unescaped (an escaped one holds a backslash
    before its [ or <, so the raw text is not in it)."""
    text = str(value)
    return any(payload in text for payload in (IMAGE, TAG, SCRIPT_LINK, "](http", "](javascript")) or (
        re.search(r"(?<!\\)<img", text) is not None
    )


def markdown_and_labels(at: AppTest) -> list[str]:
    """Every text Streamlit reads as Markdown: Markdown elements, alerts, and the labels of widgets, tabs and
    expanders (which take Markdown, images included)."""
    values = markdown_values(at) + [str(t.value) for t in at.toast]
    widgets = (
        at.button, at.checkbox, at.toggle, at.radio, at.selectbox, at.multiselect, at.text_input, at.text_area,
        at.number_input, at.date_input, at.time_input, at.expander, at.tabs,
    )  # fmt: skip
    return values + [str(getattr(w, "label", "")) for group in widgets for w in group]


@pytest.fixture
def hostile_everywhere(world: World) -> World:
    """A team, its people, a training about to expire with its note, a request's note and a check-in's place, all
    named with the payloads; the check-in is planned and the request logged at NOW."""
    from sqlalchemy import text as sql

    from monitor.checkins import asking, counselling
    from monitor.config import settings as app_settings
    from monitor.people.auth import actor_for_person
    from monitor.requests import log as requests

    settings = app_settings()
    ids = {
        role: world.person(username, f"{NAMED} {username}", role)
        for role, (username, _name) in {
            Role.COPRODUCER: ("fatima", ""),
            Role.LEADER: ("lotte", ""),
            Role.COUNSELLOR: ("samira", ""),
            Role.ADMIN: ("beheer", ""),
        }.items()
    }
    with world.engine.begin() as connection:
        connection.execute(sql("UPDATE teams SET name = :name WHERE id = :id"), {"name": NAMED, "id": world.team_id})
    # Valid three months from 5 January: on 2 March it expires within the 60 days of "expires soon".
    training_id = training.add_training(world.engine, SYSTEM, world.team_id, NAMED, NAMED, 4, 3, ("money",))
    training.record_training(
        world.engine, SYSTEM, ids[Role.COPRODUCER], training_id, date(2026, 1, 5), NAMED, today=NOW.date()
    )
    fatima = actor_for_person(world.engine, ids[Role.COPRODUCER])
    samira = actor_for_person(world.engine, ids[Role.COUNSELLOR])
    assert fatima and samira
    data = requests.RequestInput(minutes=30, channel="door", topics=("money",), note=NAMED, beyond_role=True)
    requests.log_request(world.engine, settings, fatima, fatima.person_id, data, now=NOW)  # type: ignore[arg-type]
    checkin = asking.request_talk(world.engine, settings, fatima, now=NOW)
    counselling.schedule(
        world.engine, settings, samira, checkin, NOW.replace(day=4), 45, "in_person", place=NAMED, now=NOW
    )
    world.ids = ids  # type: ignore[attr-defined]
    return world


@pytest.mark.parametrize("role", [Role.COPRODUCER, Role.LEADER, Role.COUNSELLOR, Role.ADMIN])
def test_no_page_of_any_role_renders_hostile_names_notes_or_training_names_as_markdown(
    hostile_everywhere: World, role: Role
) -> None:
    import time_machine

    from monitor.people.auth import actor_for_person
    from monitor.ui.navigation import pages_for

    world = hostile_everywhere
    person_id = world.ids[role]  # type: ignore[attr-defined]
    actor = actor_for_person(world.engine, person_id)
    assert actor is not None
    world.sign_in(person_id)
    found: dict[str, list[str]] = {}
    named_on: list[str] = []  # the pages that showed a hostile text (escaped): proof the data reached them
    warnings: list[str] = []
    with time_machine.travel(NOW, tick=False):
        at = world.app().run()
        for spec in pages_for(actor):
            at.switch_page(spec.path).run()
            assert not at.exception, (spec.path, at.exception)
            shown = markdown_and_labels(at)
            named_on += [spec.path] if any("Eve" in value for value in shown) else []
            found[spec.path] = [value for value in shown if acts(value)]
            warnings += [str(w.value) for w in at.warning] if spec.path == "pages/training.py" else []

    assert not {page: values for page, values in found.items() if values}
    assert named_on
    if role == Role.LEADER:
        # The Training page's "expires soon" warning names the person and the training, escaped.
        assert [w for w in warnings if "Eve" in w and "valid until" in w], warnings
