"""On a phone (390 x 844, Android Chrome) every control on every coproducer page is at least 44 x 44 px: measured in
the browser, on each page and on the states in between (the details of a request open, a WHO-5 statement)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from monitor.i18n import gettext_for
from monitor.people.access import Role
from monitor.ui.navigation import PAGES
from tests.e2e.browser import sign_in, wait_for_app
from tests.e2e.layout import controls, too_small

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
MIN_TARGET = 44
# The coproducer's pages; the first is where signing in lands, at "/".
COPRODUCER_PAGES = [spec.url_path for spec in PAGES if not spec.roles or Role.COPRODUCER in spec.roles]


def test_every_control_on_every_coproducer_page_is_at_least_44_px(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "marieke")
    small: list[str] = []
    measured = 0
    for index, path in enumerate(COPRODUCER_PAGES):
        page.goto(f"{base_url}/{'' if index == 0 else path}")
        wait_for_app(page)
        measured += len(controls(page))
        small += [f"/{path} {found}" for found in too_small(page, MIN_TARGET)]
        if path == "log":
            page.get_by_text(_("More details (you may skip this)")).click()
            wait_for_app(page)
            small += [f"/log details open {found}" for found in too_small(page, MIN_TARGET)]
        if path == "talk":
            page.get_by_role("button", name=_("Answer the five questions")).click()
            wait_for_app(page)
            small += [f"/talk WHO-5 {found}" for found in too_small(page, MIN_TARGET)]
    assert measured > 50, "the pages hold controls to measure"
    assert not small, "\n".join(small)
