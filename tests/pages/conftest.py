"""Helpers for the AppTest tests of the pages: a migrated database, people in roles, and a signed-in session.

AppTest runs the Streamlit script in this process; monitor.ui.harness points the app at a temporary SQLite file and
signs a person in (the benchmark does the same).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import streamlit
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db.engine import engine_for
from db.models import Role
from monitor.config import settings
from monitor.errors import database_failure
from monitor.i18n import gettext_for
from monitor.people import accounts as people
from monitor.people.access import SYSTEM
from monitor.ui import failure
from monitor.ui.harness import Harness

PASSWORD = "een-lang-wachtwoord"
TEAM = "Moerwijk"

# One person per role, all in English so that the tests can compare with the msgids.
ROLE_USERS = {
    Role.COPRODUCER: ("fatima", "Fatima Bakkali"),
    Role.LEADER: ("lotte", "Lotte de Vries"),
    Role.COUNSELLOR: ("samira", "Samira El Idrissi"),
    Role.ADMIN: ("beheer", "Beheerder"),
}


@dataclass
class World:
    """The database behind the app under test, and the person the app sees as signed in."""

    engine: Engine
    team_id: int
    monkeypatch: pytest.MonkeyPatch
    harness: Harness
    navigations: list[list[Any]] = field(default_factory=list)

    @property
    def token(self) -> str | None:
        return self.harness.token

    def person(self, username: str, name: str, *roles: Role, language: str = "en") -> int:
        person_id = people.create_person(self.engine, SYSTEM, username, name, PASSWORD, language, must_change=False)
        for role in roles:
            people.grant_role(self.engine, SYSTEM, person_id, self.team_id, role)
        return person_id

    def person_in(self, role: Role, language: str = "en") -> int:
        username, name = ROLE_USERS[role]
        return self.person(username, name, role, language=language)

    def sign_in(self, person_id: int) -> str:
        """Open a server-side session for person_id and make the app read its token as the cookie."""
        return self.harness.sign_in(person_id)

    def sign_out(self) -> None:
        self.harness.sign_out()

    def app(self, script: str = "home.py") -> AppTest:
        """An AppTest of a script in the project root (home.py, or a page file run on its own)."""
        return self.harness.app(script)

    def default_gettext(self) -> Callable[[str], str]:
        """The translator for someone not signed in: the configured default language."""
        return gettext_for(settings().default_language)

    def last_menu(self) -> list[str]:
        """Titles of the pages home.py gave st.navigation in its last run."""
        assert self.navigations, "st.navigation was not called"
        return [page.title for page in self.navigations[-1]]


@pytest.fixture
def world(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_passwords: object
) -> Iterator[World]:
    path = tmp_path / "app.db"
    shutil.copy(sqlite_template, path)
    with Harness(f"sqlite:///{path}") as harness:
        yield from _world(harness, monkeypatch)


def _world(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    engine = engine_for(settings().database_url)
    team_id = people.create_team(engine, SYSTEM, TEAM)
    state = World(engine=engine, team_id=team_id, monkeypatch=monkeypatch, harness=harness)

    # Record which pages home.py puts in the menu (AppTest has no public view of st.navigation's pages).
    original: Callable[..., Any] = streamlit.navigation

    def recording_navigation(pages: Any, *args: Any, **kwargs: Any) -> Any:
        state.navigations.append(list(pages))
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recording_navigation)

    # home.py turns an error no page expected into a reference for the person (monitor.ui.failure), so AppTest's
    # at.exception stays empty: a page that broke would pass. In the page tests such an error is raised instead (a
    # merge left My week calling a list, and every page test passed). Database trouble keeps its own message.
    shown = failure.show_unexpected

    def raise_unexpected(error: BaseException, gettext: Callable[[str], str]) -> str:
        if database_failure(error) is not None:
            return shown(error, gettext)
        raise error

    monkeypatch.setattr(failure, "show_unexpected", raise_unexpected)
    yield state


def texts(elements: Any) -> list[str]:
    """The values of a list of AppTest elements (titles, errors, ...)."""
    return [element.value for element in elements]


def by_label(widgets: Any, label: str) -> Any:
    """The one widget with this label among widgets (e.g. at.text_input or a tab's text_input)."""
    found = [widget for widget in widgets if widget.label == label]
    assert len(found) == 1, f"expected one widget labelled {label!r}, found {len(found)}"
    return found[0]


def confirmation(at: Any, where: str) -> tuple[str | None, list[str]]:
    """What monitor.ui.saved drew at the place where: (the label of the tab it is in, or None; the texts of its
    confirmations). ([], None) when there is none: the confirmation stands beside the form that saved, not elsewhere."""

    def walk(node: Any, tab: str | None) -> tuple[str | None, list[str]] | None:
        for child in getattr(node, "children", {}).values():
            label = getattr(child, "label", None) if type(child).__name__ == "Tab" else tab
            proto_id = getattr(getattr(child, "proto", None), "id", "") or ""
            if proto_id.endswith(f"-saved-{where}"):
                return label, [element.value for element in child.children.values() if element.type == "success"]
            found = walk(child, label)
            if found is not None:
                return found
        return None

    return walk(at._tree, None) or (None, [])
