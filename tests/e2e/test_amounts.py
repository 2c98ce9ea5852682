"""A Dutch project leader types amounts the Dutch way ("12,50") on a phone and finds € 12,50, not € 1.250,00."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from monitor.i18n import gettext_for
from tests.e2e.browser import sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")  # the demo leader reads Dutch


def test_a_dutch_amount_is_read_as_euros_and_cents(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "lotte")

    page.goto(f"{base_url}/emergency-fund")
    wait_for_app(page)
    form = page.get_by_test_id("stForm").filter(has_text=_("Save the payout"))
    form.get_by_label(_("Amount (€)")).fill("12,50")
    form.get_by_label(_("Amount (€)")).press("Tab")
    form.get_by_role("button", name=_("Save the payout")).click()
    wait_for_app(page)
    expect(page.get_by_text(_("The payout was saved."))).to_be_visible(timeout=20_000)
    entry = page.locator("[class*='st-key-fund-']").filter(has_text=re.compile(r"€\s-?12,50"))  # a payout is -
    expect(entry.first).to_be_visible()
    expect(page.get_by_text(re.compile(r"1\.250,00"))).to_have_count(0)

    page.goto(f"{base_url}/allowances")
    wait_for_app(page)
    page.get_by_text(_("Record a payment")).click()
    form = page.get_by_test_id("stForm").filter(has_text=_("Save the payment"))
    form.get_by_label(_("Amount (€)")).fill("12,50")
    form.get_by_label(_("Amount (€)")).press("Tab")
    form.get_by_label(_("Reference (e.g. bank transfer)")).fill("e2e-1250")
    form.get_by_role("button", name=_("Save the payment")).click()
    wait_for_app(page)
    payment = page.locator("[class*='st-key-payment-']").filter(has_text="e2e-1250")
    expect(payment.first).to_contain_text(re.compile(r"€\s12,50"), timeout=20_000)
