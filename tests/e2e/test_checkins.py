"""A coproducer asks to talk, the counsellor plans the check-in from her queue, and the coproducer sees the time; a
coproducer answers the WHO-5, a statement at a time with large buttons, on a phone and on a desktop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from monitor.checkins import who5
from monitor.i18n import gettext_for
from tests.e2e.browser import DESKTOP, DEVICES, PHONE, PHONE_CONTEXT, screenshot, sign_in, sign_out, wait_for_app
from tests.e2e.layout import box

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
MIN_TARGET = 44


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
        # Let any run still on its way finish first (the screenshots resized the page; the tabs keep their choice
        # with a run of their own), so that the form is sent to a page at rest.
        wait_for_app(counsellor)
        card.get_by_role("button", name=_("Plan the check-in")).click()
        wait_for_app(counsellor)
        expect(counsellor.get_by_test_id("stAlertContentError")).to_have_count(0)  # a refusal would say why here
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


@pytest.mark.parametrize(("device", "username"), [("phone", "youssef"), ("desktop", "fatima")], indirect=["device"])
def test_a_coproducer_answers_the_who5_with_large_buttons_one_statement_at_a_time(
    page: Page, base_url: str, artifacts: Path, device: str, username: str
) -> None:
    sign_in(page, base_url, username)
    page.goto(f"{base_url}/talk")
    wait_for_app(page)
    page.get_by_role("button", name=_("Answer the five questions")).click()
    wait_for_app(page)
    screenshot(page, artifacts / f"who5-{device}.png", DEVICES[device]["viewport"], full_page=False)
    scale = [_(label) for _value, label in who5.SCALE]
    answers = [
        _("Most of the time"),
        _("Some of the time"),
        _("At no time"),
        _("Most of the time"),
        _("All of the time"),
    ]
    for number, answer in enumerate(answers, start=1):
        expect(page.get_by_text(_("Question {number} of {count}").format(number=number, count=5))).to_be_visible()
        expect(page.get_by_text(_(who5.ITEMS[number - 1]))).to_be_visible()
        for label in scale:
            button = page.get_by_role("button", name=label, exact=True)
            assert box(button)["height"] >= MIN_TARGET and box(button)["width"] >= MIN_TARGET, (label, box(button))
        page.get_by_role("button", name=answer, exact=True).click()
        wait_for_app(page)
    page.get_by_role("button", name=_("Save my answers")).click()
    wait_for_app(page)
    # (4 + 1 + 0 + 4 + 5) * 4
    expect(page.get_by_text(_("Thank you. Your score: {score} of 100.").format(score=56))).to_be_visible()
    expect(page.get_by_role("button", name=_("Answer the five questions"))).to_have_count(0)
