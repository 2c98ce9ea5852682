"""Issue 27 in a real browser: a download's file at /media/ answers only the browser session that made it. A
coproducer signed in elsewhere gets nothing from the leader's export address, and the leader's own cookie, copied
after she signed out, gets nothing either."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from monitor.i18n import gettext_for
from tests.e2e.browser import DEVICES, sign_in, sign_out, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")


def signed_in(browser: Browser, base_url: str, username: str) -> BrowserContext:
    context = browser.new_context(**DEVICES["phone"])
    sign_in(context.new_page(), base_url, username)
    return context


def test_the_leader_s_export_answers_only_her_session(browser: Browser, base_url: str) -> None:
    lotte = signed_in(browser, base_url, "lotte")
    page = lotte.pages[0]
    page.goto(f"{base_url}/team-requests")
    wait_for_app(page)
    page.get_by_role("tab", name=_("Export")).click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=_("Download")).click()
    assert download.value.failure() is None
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    address = download.value.url
    assert "/media/" in address
    cookie = next(c for c in lotte.cookies() if c["name"].endswith("monitor_session"))

    marieke = signed_in(browser, base_url, "marieke")
    assert marieke.request.get(address).status == 404  # a coproducer's session did not make it
    assert lotte.request.get(address).status == 200  # hers did

    sign_out(page)
    copied = browser.new_context(**DEVICES["phone"])
    copied.add_cookies([cookie])
    assert copied.request.get(address).status == 404  # her cookie after she signed out
    for context in (lotte, marieke, copied):
        context.close()
