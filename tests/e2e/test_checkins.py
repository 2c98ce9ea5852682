"""A coproducer asks to talk, the counsellor plans the check-in from her queue, and the coproducer sees the time."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from monitor.i18n import gettext_for
from tests.e2e.browser import DESKTOP, PHONE, PHONE_CONTEXT, screenshot, sign_in, sign_out, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")


def test_a_coproducer_asks_to_talk_and_sees_the_time_the_counsellor_planned(
    page: Page, browser: Browser, base_url: str, artifacts: Path
) -> None:
    sign_in(page, base_url, "marieke")
    page.goto(f"{base_url}/talk")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(_("Talk to someone"))
    page.get_by_role("button", name=_("I would like to talk")).click()
    wait_for_app(page)
    expect(page.get_by_text(_("You asked to talk. The counsellor will contact you soon."))).to_be_visible()
    sign_out(page)

    counsellor = browser.new_context(**PHONE_CONTEXT).new_page()
    try:
        sign_in(counsellor, base_url, "samira")
        wait_for_app(counsellor)  # "Check-ins" is the counsellor's first page
        screenshot(counsellor, artifacts / "check-ins-390.png", PHONE)
        screenshot(counsellor, artifacts / "check-ins-1280.png", DESKTOP)
        # The innermost block holding her name is her card (ancestors come first in document order).
        card = counsellor.get_by_test_id("stVerticalBlock").filter(has_text="Marieke Jansen").last
        expect(card).to_contain_text(_("Asked to talk"))
        waiting = counsellor.get_by_text(f"Marieke Jansen · {_('Asked to talk')}", exact=True)
        expect(waiting).to_have_count(1)
        card.get_by_text(_("Plan"), exact=True).click()
        card.get_by_role("button", name=_("Plan the check-in")).click()
        wait_for_app(counsellor)
        expect(waiting).to_have_count(0)  # planned: no longer in the queue
    finally:
        counsellor.context.close()

    page = browser.new_context(**PHONE_CONTEXT).new_page()  # fresh, so the menu starts folded
    sign_in(page, base_url, "marieke")
    page.goto(f"{base_url}/talk")
    wait_for_app(page)
    planned = page.get_by_text(_("Your check-in with {name}: {when}").split("{")[0], exact=False).first
    expect(planned).to_contain_text("Samira El Idrissi")
    expect(planned).to_contain_text("10:00")
    expect(page.get_by_role("button", name=_("Add to my calendar"))).to_be_visible()
    screenshot(page, artifacts / "talk-390.png", PHONE)
    screenshot(page, artifacts / "talk-1280.png", DESKTOP)
