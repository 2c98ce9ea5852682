"""Tables on a phone and on a desktop: at 390 px the team overview, a coproducer's requests and the people list are
cards that show what matters without sideways scrolling; at 1280 px they are tables, and no table's toolbar covers the
control above it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from monitor.i18n import gettext_for
from tests.e2e.browser import DEVICES, laid_out, sign_in, wait_for_app
from tests.e2e.layout import box, overlap, scroll_widths

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")


def fits(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert max(scroll_widths(page)) <= width, scroll_widths(page)


def cards_or_table(page: Page, device: str, key: str, must_show: list[str]) -> None:
    """On a phone: the cards, each inside the screen and holding must_show; on a desktop: the table, no cards."""
    cards = page.locator(f".st-key-narrow-{key} ul.monitor-cards > li")
    table = page.locator(f".st-key-wide-{key}").get_by_test_id("stDataFrame")
    fits(page)
    if device == "desktop":
        expect(table).to_be_visible()
        expect(cards.first).to_be_hidden()
        return
    expect(table).to_be_hidden()
    expect(cards.first).to_be_visible()
    width = page.viewport_size["width"] if page.viewport_size else 0
    for index in range(cards.count()):
        card = cards.nth(index)
        assert box(card)["x"] >= 0 and box(card)["x"] + box(card)["width"] <= width, box(card)
    first = cards.first.inner_text()
    assert all(text in first for text in must_show), (must_show, first)


def toolbar_clear_of(page: Page, control: str) -> None:
    """Point at the table (its toolbar shows), then the toolbar must not cover the control above the table."""
    table = page.get_by_test_id("stDataFrame").first
    table.hover()
    toolbar = page.get_by_test_id("stElementToolbar").first
    expect(toolbar).to_be_visible()
    # The toolbar slides into place (two reads in one failure: y 312.8, then 324.7): measure where it comes to rest.
    where, previous = box(toolbar), None
    for _frame in range(120):
        if where == previous:
            break
        laid_out(page)
        previous, where = where, box(toolbar)
    assert where == previous, f"the toolbar did not come to rest: {previous} then {where}"
    assert not overlap(where, box(page.locator(control).first)), (where, box(page.locator(control).first))


@pytest.mark.parametrize("device", DEVICES, indirect=True)
def test_the_leaders_tables_fit_the_screen(page: Page, base_url: str, device: str) -> None:
    sign_in(page, base_url, "lotte")  # lands on My team
    cards_or_table(
        page, device, "team", ["Ahmed Yilmaz", _("Hours this week"), _("Outside hours, 7 days"), _("Alerts"), "/ 8"]
    )
    if device == "desktop":
        toolbar_clear_of(page, "[data-testid='stPageLink-NavLink']")  # "Go to the alerts", just above the table

    page.goto(f"{base_url}/team-requests")
    wait_for_app(page)
    cards_or_table(page, device, "team-requests", [_("How"), _("About"), " min"])
    if device == "desktop":
        toolbar_clear_of(page, "[data-testid='stSelectbox']")


@pytest.mark.parametrize("device", DEVICES, indirect=True)
def test_the_people_list_fits_the_screen(page: Page, base_url: str, device: str) -> None:
    sign_in(page, base_url, "beheer")  # lands on Teams and people
    cards_or_table(page, device, "people", ["Ahmed Yilmaz", "ahmed", _("Coproducer"), _("Active")])
    if device == "desktop":
        toolbar_clear_of(page, "[data-testid='stTabs'] [role='tablist']")
