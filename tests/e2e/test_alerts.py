"""A leader's and a counsellor's day on a phone: the leader sees who needs attention, acknowledges all of Fatima's
alerts in one action with a note and finds them acknowledged; the counsellor plans a check-in for tomorrow and sees
the confirmation and the check-in in the Week tab."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from monitor.i18n import gettext_for
from tests.e2e.accessibility import no_blocking_violation
from tests.e2e.browser import DESKTOP, PHONE, screenshot, sign_in, wait_for_app
from tests.e2e.layout import in_view

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")  # the demo people, and the browser, use Dutch
NOTE = "Met Fatima gepraat: minder avonden, twee zaken naar de schuldhulp."
PLACE = "de buurtkamer"
ACKNOWLEDGED = "{name}: open alerts acknowledged ({count}), with your note. You find them under Acknowledged."


def person_card(page: Page, name: str):  # type: ignore[no-untyped-def]
    """The bordered box of one coproducer's wellbeing alerts on the Alerts page (their allowance alerts, if any, are in
    a box of their own further down, keyed person-<id>-admin)."""
    box = "[data-testid='stVerticalBlock'][class*='st-key-person-']:not([class*='-admin'])"
    return page.locator(box).filter(has_text=name)


def test_a_leader_acknowledges_all_of_fatimas_alerts_with_one_note(page: Page, base_url: str, artifacts: Path) -> None:
    sign_in(page, base_url, "lotte")
    page.goto(f"{base_url}/alerts")  # where the notifications link to
    wait_for_app(page)
    expect(page.get_by_text(_("People who need your attention: {n}").split("{")[0])).to_be_visible()
    screenshot(page, artifacts / "lotte-alerts-390.png", PHONE, full_page=False)
    screenshot(page, artifacts / "lotte-alerts-1280.png", DESKTOP)
    page.set_viewport_size(PHONE)

    card = person_card(page, "Fatima Bakkali")
    card.get_by_label(_("What did you agree with {name}?").format(name="Fatima Bakkali")).fill(NOTE)
    card.get_by_role("button", name=_("I have talked with them")).click()
    wait_for_app(page)

    said = _(ACKNOWLEDGED).split("(")[0].format(name="Fatima Bakkali")
    # The confirmation stands above the cards, scrolled into view (no toast: it had no name for a screen reader).
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text(said, exact=False)).to_be_visible()
    in_view(page, "alerts")
    no_blocking_violation(page, "lotte /alerts after I have talked with them")
    # The confirmation is drawn first; on a busy machine the cards below can still be the old ones (and half-moved,
    # as Fatima's card goes to the end) until the script has finished.
    wait_for_app(page)
    card = person_card(page, "Fatima Bakkali")
    expect(card).to_contain_text(_("Acknowledged"))
    expect(card).to_contain_text(NOTE)
    expect(card.get_by_role("button", name=_("I have talked with them"))).to_have_count(0)
    screenshot(page, artifacts / "lotte-alerts-acknowledged-390.png", PHONE)


def test_a_counsellor_plans_a_check_in_for_tomorrow_and_finds_it_in_the_week_tab(
    page: Page, base_url: str, artifacts: Path
) -> None:
    # The app runs on its own clock in its own process, so this test cannot pin it: that the form proposes tomorrow at
    # 10:00 is tested on a pinned clock in tests/pages; here the day the confirmation names must be in the Week tab.
    sign_in(page, base_url, "samira")
    wait_for_app(page)  # "Check-ins" is the counsellor's first page
    expect(page.get_by_text(_("Today"), exact=True)).to_be_visible()
    page.get_by_text(_("Plan"), exact=True).first.click()
    wait_for_app(page)  # a run still on its way finishes before the form is filled in and sent
    page.get_by_label(_("Place or phone number (optional)")).first.fill(PLACE)
    page.get_by_role("button", name=_("Plan the check-in")).first.click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)  # a refusal would say why here

    planned = _("Planned: {when} with {name}, at {place}.").split("{")[0]
    confirmation = page.get_by_test_id("stAlertContentSuccess")
    pattern = re.compile(re.escape(planned) + r"(\w+ \d{1,2} \w+) 10:00")
    expect(confirmation).to_contain_text(pattern)  # the form's default time: 10:00
    day = pattern.search(confirmation.inner_text()).group(1)
    expect(confirmation).to_contain_text(PLACE)
    in_view(page, "checkin")
    no_blocking_violation(page, "samira / after Plan the check-in")
    screenshot(page, artifacts / "check-ins-planned-390.png", PHONE, full_page=False)

    page.get_by_role("tab", name=_("Week")).click()
    week = page.locator("[role='tabpanel']:visible")
    expect(week).to_contain_text(day)
    expect(week).to_contain_text(PLACE)
    expect(week).to_contain_text("10:00")
    screenshot(page, artifacts / "check-ins-week-390.png", PHONE)
    screenshot(page, artifacts / "check-ins-week-1280.png", DESKTOP)
