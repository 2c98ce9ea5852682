"""A project leader, on a phone, confirms the training a coproducer recorded and records a payment to him; then the
coproducer signs in and finds both."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from monitor.i18n import gettext_for
from tests.e2e.browser import DESKTOP, PHONE, screenshot, sign_in, sign_out, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")  # the demo people, and the browser, use Dutch
TRAINING = "Omgaan met agressie"
NAME = "Youssef Amrani"


def choose(page: Page, select_box: Locator, option: str) -> None:
    """Pick an option of a Streamlit select box; the list sometimes does not open while the expander still moves."""
    for _attempt in range(3):
        select_box.click()
        page.keyboard.type(option.split()[0])
        try:
            page.get_by_role("option").filter(has_text=option).click(timeout=3_000)
            return
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {option!r}")


def test_a_leader_confirms_a_training_and_pays_and_the_coproducer_sees_both(
    page: Page, base_url: str, artifacts: Path
) -> None:
    sign_in(page, base_url, "lotte")
    page.goto(f"{base_url}/training")
    wait_for_app(page)
    screenshot(page, artifacts / "lotte-training-390.png", PHONE)
    screenshot(page, artifacts / "lotte-training-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)
    page.get_by_role("tab", name=_("Records")).click()
    card = page.locator("[class*='st-key-confirm-']").filter(has_text=f"{NAME} · {TRAINING}")
    card.get_by_role("button", name=_("Confirm")).click()
    wait_for_app(page)
    confirmed = _("Confirmed: {training} for {name}.").format(training=TRAINING, name=NAME)
    expect(page.get_by_text(confirmed)).to_be_visible(timeout=20_000)

    page.goto(f"{base_url}/allowances")
    wait_for_app(page)
    page.get_by_text(_("Record a payment")).click()
    form = page.get_by_test_id("stForm").filter(has_text=_("Save the payment"))
    choose(page, form.get_by_label(_("Coproducer")), NAME)
    form.get_by_label(_("Amount (€)")).fill("42.50")
    form.get_by_label(_("Amount (€)")).press("Tab")
    form.get_by_label(_("Reference (e.g. bank transfer)")).fill("e2e-42")
    screenshot(page, artifacts / "lotte-allowances-390.png", PHONE, full_page=False)
    form.get_by_role("button", name=_("Save the payment")).click()
    wait_for_app(page)
    saved = _("The payment to {name} was saved.").format(name=NAME)
    expect(page.get_by_text(saved)).to_be_visible(timeout=20_000)  # after the save, the page runs twice
    screenshot(page, artifacts / "lotte-allowances-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/emergency-fund")
    wait_for_app(page)
    screenshot(page, artifacts / "lotte-emergency-fund-390.png", PHONE)
    sign_out(page)

    sign_in(page, base_url, "youssef")
    collapse = page.get_by_test_id("stSidebarCollapseButton")
    if collapse.count():  # the menu stayed open from signing out; on a phone it would cover the page
        collapse.locator("button").first.click(force=True)
    page.goto(f"{base_url}/my-training")
    wait_for_app(page)
    valid = page.get_by_text(f"{TRAINING} ·", exact=False).filter(has_text=_("valid until {date}").split("{")[0])
    expect(valid.first).to_be_visible()
    screenshot(page, artifacts / "youssef-my-training-390.png", PHONE)
    page.goto(f"{base_url}/my-allowance")
    wait_for_app(page)
    expect(page.get_by_text("€ 42,50").first).to_be_visible()
    screenshot(page, artifacts / "youssef-my-allowance-390.png", PHONE)
    screenshot(page, artifacts / "youssef-my-allowance-1280.png", DESKTOP)
