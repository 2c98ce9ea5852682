"""Signing in and out in a real browser at phone width, for each role of the demo team."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from db.models import Role
from monitor.i18n import gettext_for
from monitor.ui.navigation import PAGES
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    menu,
    menu_entries,
    screenshot,
    sign_in,
    sign_out,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")  # the demo people, and the browser, use Dutch
UNREAD = re.compile(r" \(\d+\)$")


@dataclass(frozen=True)
class Case:
    username: str
    role: Role
    heading: str | None  # the first page's heading, where it is fixed

    @property
    def menu(self) -> list[str]:
        return [_(spec.title) for spec in PAGES if not spec.roles or self.role in spec.roles]


CASES = [
    Case("fatima", Role.COPRODUCER, None),
    Case("lotte", Role.LEADER, _("My team")),
    Case("samira", Role.COUNSELLOR, _("Check-ins")),
    Case("beheer", Role.ADMIN, _("Teams and people")),
]


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


def on_login_page(page: Page, base_url: str) -> bool:
    return page.url.startswith(f"{base_url}/auth/login")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.username)
def test_sign_in_reload_and_sign_out(
    page: Page, context: BrowserContext, base_url: str, artifacts: Path, case: Case
) -> None:
    page.goto(f"{base_url}/")
    assert on_login_page(page, base_url), page.url
    expect(page.locator("#username")).to_be_visible()

    sign_in(page, base_url, case.username)

    assert page.url == f"{base_url}/", page.url
    first = heading(page)
    assert first and first == (case.heading or first)
    session = [c for c in context.cookies() if c["name"] == "monitor_session"]
    assert len(session) == 1 and session[0]["httpOnly"] and session[0]["sameSite"] == "Lax"
    screenshot(page, artifacts / f"{case.username}-home-390.png", PHONE)
    screenshot(page, artifacts / f"{case.username}-home-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)

    entries = menu_entries(page)
    # The inbox entry carries the unread count, e.g. "Berichten (4)": compare the titles without it.
    assert [UNREAD.sub("", title) for title, _current in entries] == case.menu
    assert [current for _title, current in entries] == [True] + [False] * (len(entries) - 1), "on the first page"
    if case.role == Role.COPRODUCER:
        assert _("Teams and people") not in case.menu
    expect(page.get_by_test_id("stSidebar")).to_contain_text(_("Sign out"))

    page.reload()
    wait_for_app(page)
    assert page.url == f"{base_url}/"
    assert heading(page) == first, "still signed in after a reload"

    sign_out(page)
    # The sign-in page after signing out speaks the language the person chose (issue 28), not the phone's.
    assert page.url == f"{base_url}/auth/login?notice=signed_out&lang=nl"
    expect(page.get_by_role("alert")).to_have_text(_("You are signed out. See you soon."))
    assert not [c for c in context.cookies() if c["name"] == "monitor_session"]

    page.goto(f"{base_url}/")
    assert page.url == f"{base_url}/auth/login", "signed out means signed out"


def test_a_wrong_password_shows_an_error_on_the_form(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")

    sign_in(page, base_url, "henk", "niet-het-goede-wachtwoord")

    assert on_login_page(page, base_url)
    expect(page.get_by_role("alert")).to_have_text(_("That username and password do not match. Try again."))
    expect(page.locator("#username")).to_have_value("henk")
    expect(page.locator("#password")).to_have_value("")

    page.goto(f"{base_url}/")
    assert page.url == f"{base_url}/auth/login", "a wrong password signs nobody in"


def test_a_coproducer_cannot_open_the_admin_page_by_its_address(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "youssef")

    page.goto(f"{base_url}/admin")
    wait_for_app(page)

    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Page not found")  # Streamlit's own notice, then the first page runs
    assert heading(page) != _("Teams and people")
    expect(page.get_by_text(_("Add a person"))).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert _("Teams and people") not in menu(page)


def test_the_account_page_opens_from_the_menu(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "marieke")

    menu(page)
    page.get_by_test_id("stSidebarNavLink").filter(has_text=_("My account")).click()
    # The page changes in the browser (no navigation to wait for): wait for its address, then for its script.
    expect(page).to_have_url(f"{base_url}/account", timeout=TIMEOUT_MS)
    wait_for_app(page)

    assert heading(page) == _("My account")
    signed_in = _("Signed in as {name} ({username})").format(name="Marieke Jansen", username="marieke")
    expect(page.get_by_text(signed_in)).to_be_visible()
