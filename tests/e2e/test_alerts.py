"""A project leader, on a phone, finds an alert the demo raised and acknowledges it with a note."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from monitor.alerts.rules import night
from monitor.i18n import gettext_for
from tests.e2e.browser import DESKTOP, PHONE, menu, screenshot, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")  # the demo people, and the browser, use Dutch
NOTE = "Met Youssef gebeld; nachtelijke meldingen gaan voortaan naar de wijkagent."


def alert_card(page: Page, name: str, title: str):  # type: ignore[no-untyped-def]
    """The bordered box of one alert, found by the coproducer's name and the rule's title."""
    return page.locator("[class*='st-key-alert-']").filter(has_text=f"{name} · {title}")


def test_a_leader_acknowledges_an_alert_the_demo_raised(page: Page, base_url: str, artifacts: Path) -> None:
    sign_in(page, base_url, "lotte")
    page.goto(f"{base_url}/alerts")  # where the notifications link to
    wait_for_app(page)
    assert page.url == f"{base_url}/alerts"

    card = alert_card(page, "Youssef Amrani", _(night.title))
    expect(card).to_contain_text(_("Open"))
    card.get_by_role("button", name=_("Acknowledge")).click()
    wait_for_app(page)
    card = alert_card(page, "Youssef Amrani", _(night.title))
    card.get_by_label(_("What did you do?")).fill(NOTE)
    screenshot(page, artifacts / "lotte-alert-acknowledge-390.png", PHONE, full_page=False)
    card.get_by_role("button", name=_("Acknowledge")).click()
    wait_for_app(page)

    expect(page.get_by_text(_("The alert was acknowledged."))).to_be_visible()
    card = alert_card(page, "Youssef Amrani", _(night.title))
    expect(card).to_contain_text(_("Note: {note}").format(note=NOTE))
    expect(card.get_by_text(_("Acknowledged"), exact=True)).to_be_visible()
    screenshot(page, artifacts / "lotte-alerts-390.png", PHONE)
    screenshot(page, artifacts / "lotte-alerts-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)
    assert _("Alerts") in menu(page)
