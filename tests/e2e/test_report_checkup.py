"""A project leader, on a phone, reads the contribution report and downloads its PDF; then runs a check-up round that
five partner professionals answer through their one-time links, and sees the results next to the demo's round."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from monitor.checkup.statements import ITEMS
from monitor.i18n import gettext_for
from tests.e2e.browser import DESKTOP, PHONE, screenshot, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")  # the demo people, and the browser, use Dutch


def test_a_leader_reads_the_contribution_report_and_downloads_the_pdf(
    page: Page, base_url: str, artifacts: Path
) -> None:
    sign_in(page, base_url, "lotte")
    page.goto(f"{base_url}/contribution")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=_("Contribution report"))).to_be_visible()
    expect(page.get_by_text(_("By kind of problem"))).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    screenshot(page, artifacts / "lotte-contribution-390.png", PHONE)
    screenshot(page, artifacts / "lotte-contribution-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)
    with page.expect_download() as download:
        page.get_by_role("button", name=_("PDF for funders")).click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(path).read_bytes()[:5] == b"%PDF-"


def test_partners_answer_a_round_through_their_links_and_the_leader_sees_the_results(
    page: Page, context: BrowserContext, base_url: str, artifacts: Path
) -> None:
    sign_in(page, base_url, "lotte")
    page.goto(f"{base_url}/check-up")
    wait_for_app(page)
    page.get_by_role("tab", name=_("Results")).click()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("69")  # the demo's round: Table A1
    screenshot(page, artifacts / "lotte-checkup-390.png", PHONE)
    screenshot(page, artifacts / "lotte-checkup-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)

    page.get_by_role("tab", name=_("Rounds")).click()
    wait_for_app(page)  # the open tab is kept across runs (monitor.ui.saved.tabs): choosing one runs the page
    page.get_by_role("button", name=_("Open a new round")).click()
    wait_for_app(page)
    expect(page.get_by_role("tab", name=_("Rounds"))).to_have_attribute("aria-selected", "true")
    page.get_by_text(_("Links for partner professionals")).click()
    page.get_by_label(_("How many links")).fill("5")  # results show from [reports] min_group (5) answers on
    page.get_by_role("button", name=_("Make links")).click()
    wait_for_app(page)
    links = page.get_by_test_id("stCode").inner_text().split()
    assert len(links) == 5

    partner = context.new_page()
    for number, link in enumerate(links):
        partner.goto(base_url + urlsplit(link).path)
        expect(partner.get_by_role("heading", name=_("Collaboration check-up"))).to_be_visible()
        for item in ITEMS:
            partner.check(f"input[name=s{item}][value='75']")
        if number == 0:
            partner.set_viewport_size(PHONE)
            partner.screenshot(path=str(artifacts / "partner-checkup-390.png"), full_page=True)
        partner.get_by_role("button", name=_("Send my answers")).click()
        expect(partner.get_by_text(_("Your answers are saved. This link now no longer works."))).to_be_visible()
    partner.goto(base_url + urlsplit(links[0]).path)
    expect(partner.get_by_text("Not found")).to_be_visible()

    page.reload()
    wait_for_app(page)
    page.get_by_role("tab", name=_("Rounds")).click()
    page.get_by_role("button", name=_("Close the round")).click()
    wait_for_app(page)
    page.get_by_role("tab", name=_("Results")).click()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("75")
    expect(page.get_by_test_id("stMetricDelta").first).to_contain_text("6")
