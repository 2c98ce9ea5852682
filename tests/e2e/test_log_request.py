"""A coproducer, phone in one hand (or at a desktop): sign in, log a request with three taps and Save, and find it in
"My week"."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from monitor.i18n import gettext_for
from tests.e2e.browser import DEVICES, screenshot, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
HOURS_PREFIX = _("Hours this week: {hours} of {agreed}").split("{")[0]  # "Uren deze week: "


def tap(page: Page, label: str) -> None:
    """Tap a pill by its visible words and wait for the rerun."""
    page.locator("button", has_text=label).first.click()
    wait_for_app(page)


# Two people: the same request twice within minutes would (rightly) ask "Save it again?".
@pytest.mark.parametrize(("device", "username"), [("phone", "marieke"), ("desktop", "henk")], indirect=["device"])
def test_a_coproducer_logs_a_request_in_three_taps_and_sees_it_in_my_week(
    page: Page, base_url: str, artifacts: Path, device: str, username: str
) -> None:
    sign_in(page, base_url, username)
    expect(page.locator("h1").first).to_have_text(_("Log a request"))
    page.goto(f"{base_url}/my-week")
    wait_for_app(page)
    before = page.get_by_text(HOURS_PREFIX, exact=False).first.inner_text()

    page.goto(f"{base_url}/")
    wait_for_app(page)
    tap(page, _("At my door"))
    tap(page, _("Violence and safety"))
    tap(page, _("{hours} hours or more").format(hours=2))
    screenshot(page, artifacts / f"log-request-{device}.png", DEVICES[device]["viewport"])
    page.get_by_role("button", name=_("Save")).click()
    wait_for_app(page)
    expect(page.get_by_text(_("Saved: {what}").split("{")[0], exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name=_("Undo"))).to_be_visible()

    page.goto(f"{base_url}/my-week")
    wait_for_app(page)
    after = page.get_by_text(HOURS_PREFIX, exact=False).first.inner_text()
    assert after != before, (before, after)  # two more hours this week
    screenshot(page, artifacts / f"my-week-{device}.png", DEVICES[device]["viewport"])

    page.goto(f"{base_url}/my-requests")
    wait_for_app(page)
    expect(page.get_by_text(_("Violence and safety"), exact=False).first).to_be_visible()
