"""Errors that pages catch themselves: a refusal is written to the security log like one that reaches home.py, and a
value someone typed that the message quotes is shown as text, never rendered as Markdown or HTML."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Role, SecurityEvent
from monitor.config import PROJECT_ROOT, settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from monitor.ui.failure import error_text
from monitor.ui.text import plain
from tests.pages.conftest import World, by_label, texts
from tests.security.test_user_text import HOSTILE, live

REFUSAL = "Only the person who logged a request can correct or delete it."


def refusals(engine: Engine) -> list[tuple[str, str]]:
    with reading(engine) as session:
        rows = session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "access_refused")).all()
        return [(row.username, row.detail) for row in rows]


def test_a_refusal_the_page_catches_itself_is_shown_and_logged(world: World, pinned_now: datetime) -> None:
    fatima = world.person_in(Role.COPRODUCER)
    actor = auth.actor_for_person(world.engine, fatima)
    assert actor is not None
    data = RequestInput(15, "door", ("housing",), received_at=pinned_now - timedelta(hours=1))
    requests.log_request(world.engine, settings(), actor, fatima, data)
    world.sign_in(fatima)
    at = world.app().run()
    at.switch_page("pages/my_requests.py").run()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionDenied(REFUSAL)

    world.monkeypatch.setattr("monitor.requests.log.delete_request", refuse)
    by_label(at.button, "Delete").click().run()
    by_label(at.button, "Yes, delete").click().run()

    assert not at.exception, at.exception
    assert REFUSAL in texts(at.error)
    assert refusals(world.engine) == [("fatima", REFUSAL)]


def test_an_error_that_quotes_a_typed_name_shows_it_as_text(world: World) -> None:
    people.create_team(world.engine, SYSTEM, HOSTILE)
    world.sign_in(world.person_in(Role.ADMIN))
    at = world.app().run()
    at.switch_page("pages/admin.py").run()
    teams = next(t for t in at.tabs if t.label == "Teams")

    by_label(teams.text_input, "Name of the new team").set_value(HOSTILE)
    by_label(teams.button, "Add team").click()
    at.run()

    assert not at.exception, at.exception
    assert texts(at.error) == [f"There is already a team called {plain(HOSTILE, one_line=True)}."]
    assert not any(live(message) for message in texts(at.error))
    assert refusals(world.engine) == []  # a mistake, not a refusal


def test_error_text_escapes_the_quoted_values_and_keeps_the_message_and_numbers() -> None:
    message = "'{value}' is not a number of minutes; at most {max:,}."
    error = ValidationError(message, value=HOSTILE, max=1440)

    shown = error_text(error, lambda msgid: msgid)

    assert shown == message.format(value=plain(HOSTILE, one_line=True), max=1440)
    assert "1,440" in shown
    assert not live(shown)


PAGE_FILES = sorted(
    [*PROJECT_ROOT.glob("pages/*.py"), *PROJECT_ROOT.glob("monitor/ui/**/*.py"), PROJECT_ROOT / "home.py"]
)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.name)
def test_no_page_shows_an_error_without_the_helper(path: Path) -> None:
    """st.error(error.render(_)) would neither escape the quoted values nor log a refusal: show_error does both."""
    source = path.read_text(encoding="utf-8")
    shown_raw = re.findall(r"st\.\w+\([^()]*\.render\(", source)
    assert shown_raw == [], f"{path.name}: use monitor.ui.failure.show_error (or error_text) instead"
