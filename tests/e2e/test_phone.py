"""On a phone (390 x 844, Android Chrome): Save in the first screen, the confirmation in view after Save, a second save
of the same request asks first, a menu a newcomer finds with entries of at least 44 px, and no sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from monitor.i18n import gettext_for, ngettext_for
from tests.e2e.browser import DESKTOP, PHONE, open_sidebar, screenshot, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
MIN_TARGET = 44


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not laid out"
    return found


def in_first_screen(locator: Locator) -> bool:
    found = box(locator)
    return found["y"] >= 0 and found["y"] + found["height"] <= PHONE["height"]


def tap(page: Page, label: str) -> None:
    page.locator("button", has_text=label).first.click()
    wait_for_app(page)


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.querySelector(\"[data-testid='stMain']\").scrollWidth]"
    )
    assert max(widths) <= PHONE["width"], widths


def test_save_is_in_the_first_screen_and_the_confirmation_in_view_after_saving(
    page: Page, base_url: str, artifacts: Path
) -> None:
    sign_in(page, base_url, "youssef")
    title = page.locator("h1").first
    expect(title).to_have_text(_("Log a request"))
    assert box(title)["height"] < 50, "the title takes one line"
    save = page.get_by_role("button", name=_("Save"))
    assert in_first_screen(save), box(save)
    no_sideways_scroll(page)

    tap(page, _("At my door"))
    tap(page, _("Money and debts"))
    tap(page, _("{minutes} min").format(minutes=15))
    assert in_first_screen(save), box(save)
    save.click()
    wait_for_app(page)
    what = ", ".join(w[:1].lower() + w[1:] for w in (_("At my door"), _("Money and debts"), _("{minutes} min")))
    confirmation = page.get_by_text(_("Saved: {what}").format(what=what.format(minutes=15)))
    expect(confirmation).to_be_visible()
    assert in_first_screen(confirmation), box(confirmation)
    undo = page.get_by_role("button", name=_("Undo"))
    assert in_first_screen(undo), box(undo)
    assert box(undo)["height"] >= MIN_TARGET
    assert in_first_screen(save), box(save)  # Save for the next request too (issue 28: it was at y 908)
    screenshot(page, artifacts / "log-request-saved-390.png", PHONE, full_page=False)

    # The same request again, a moment later: the app asks before saving it twice.
    tap(page, _("At my door"))
    tap(page, _("Money and debts"))
    tap(page, _("{minutes} min").format(minutes=15))
    page.get_by_role("button", name=_("Save")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(_("You saved this a moment ago. Save it again?"))
    dialog.get_by_role("button", name=_("No, it is saved once")).click()
    wait_for_app(page)
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_newcomer_finds_the_menu_and_every_entry_is_easy_to_tap(page: Page, base_url: str, artifacts: Path) -> None:
    sign_in(page, base_url, "marieke")
    button = page.get_by_test_id("stExpandSidebarButton")
    expect(button).to_be_visible()
    label = button.evaluate("b => getComputedStyle(b, '::after').content")
    assert _("Menu") in label, label
    assert box(button)["height"] >= MIN_TARGET and box(button)["width"] >= MIN_TARGET
    open_sidebar(page)
    links = page.get_by_test_id("stSidebarNavLink")
    titles = links.all_inner_texts()
    assert any(_("My week") in title for title in titles) and any(_("Talk to someone") in title for title in titles)
    for index in range(links.count()):
        assert box(links.nth(index))["height"] >= MIN_TARGET, titles[index]
    sign_out = page.locator("[data-testid='stSidebar'] a[href='/auth/logout']")
    assert box(sign_out)["height"] >= MIN_TARGET
    screenshot(page, artifacts / "menu-390.png", PHONE, full_page=False)


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("marieke", ["my-week", "my-requests", "my-training", "my-allowance", "talk", "inbox", "account"]),
        ("lotte", ["", "alerts", "agreements", "team-requests", "training", "allowances", "emergency-fund"]),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(page: Page, base_url: str, username: str, paths: list[str]) -> None:
    sign_in(page, base_url, username)
    for path in paths:
        page.goto(f"{base_url}/{path}")
        wait_for_app(page)
        no_sideways_scroll(page)


def test_my_week_starts_with_one_plain_sentence(page: Page, base_url: str, artifacts: Path) -> None:
    sign_in(page, base_url, "marieke")
    page.goto(f"{base_url}/my-week")
    wait_for_app(page)
    agreed = ngettext_for("nl")("You agreed to {agreed} hour a week.", "You agreed to {agreed} hours a week.", 8)
    sentence = page.get_by_text(agreed.split("{")[0], exact=False).first
    expect(sentence).to_be_visible()
    boxes = page.get_by_test_id("stAlert")
    assert boxes.count() <= 1
    assert box(sentence)["y"] < box(boxes.first)["y"], "the sentence comes before the box"
    assert box(page.locator(".js-plotly-plot").first)["y"] > box(boxes.first)["y"], "charts come after"
    screenshot(page, artifacts / "my-week-390.png", PHONE)
    screenshot(page, artifacts / "my-week-1280.png", DESKTOP)
