"""The page speaks the person's own language to the browser and the screen reader: <html lang> is the language they
chose, whatever the phone is set to, and signing out asks in that language too (issue 28)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from monitor.i18n import gettext_for
from tests.e2e.browser import DEVICES, TIMEOUT_MS, open_sidebar, sign_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("username", "chosen", "phone"),
    [("fatima", "nl", "en-GB"), ("priya", "en", "nl-NL")],
    ids=["dutch-person-english-phone", "english-person-dutch-phone"],
)
def test_the_page_and_sign_out_speak_the_persons_own_language(
    browser: Browser, base_url: str, username: str, chosen: str, phone: str
) -> None:
    context = browser.new_context(**(DEVICES["phone"] | {"locale": phone}))
    try:
        page = context.new_page()
        page.goto(f"{base_url}/auth/login")
        sign_in(page, base_url, username)

        # Streamlit's page says lang="en"; the app sets the person's language as the page loads.
        expect(page.locator("html")).to_have_attribute("lang", chosen, timeout=TIMEOUT_MS)

        open_sidebar(page)
        with page.expect_navigation():
            page.locator("[data-testid='stSidebar'] a[href='/auth/logout']").click()
        expect(page.locator("html")).to_have_attribute("lang", chosen)
        _ = gettext_for(chosen)
        expect(page.locator("h1")).to_have_text(_("Sign out?"))
        with page.expect_navigation():
            page.locator("form[action='/auth/logout'] button").click()
        expect(page.locator("html")).to_have_attribute("lang", chosen)
        expect(page.get_by_text(_("You are signed out. See you soon."))).to_be_visible()
    finally:
        context.close()
