"""A first visit on a slow line, with the slow parts held back in the browser: the loading note shows while Streamlit's
scripts are on their way, and the icons never print as words while their font is (monitor/web/static_files.py).

scripts/slow_line.py measures the times themselves at 400 ms / 400 kbit/s; this checks what a person sees meanwhile.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.browser import DEMO_PASSWORD, PHONE, screenshot, until_true, wait_for_app

pytestmark = pytest.mark.e2e

NOTE = "De monitor wordt geladen. Even geduld."
ICONS = "[data-testid='stMain'] span[translate='no'][aria-hidden='true']"
ICON_COLOURS = f"""() => [...document.querySelectorAll("{ICONS}")].map(icon => getComputedStyle(icon).color)"""


def hold(page: Page, pattern: str) -> list[Route]:
    """Requests matching pattern wait (as on a slow line) until let_go."""
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route))
    return held


def snapshot(page: Page, path: Path) -> None:
    """A screenshot that does not wait for fonts (Playwright's own does, and one is held back here)."""
    data = page.context.new_cdp_session(page).send("Page.captureScreenshot")["data"]
    path.write_bytes(base64.b64decode(data))


def let_go(page: Page, pattern: str, held: list[Route]) -> None:
    for route in held:
        route.continue_()
    page.unroute(pattern)


def test_the_page_says_it_is_loading_and_hides_the_icon_names_until_their_font_is_there(
    page: Page, base_url: str, artifacts: Path
) -> None:
    scripts, font = "**/static/js/index.*.js", "**/static/media/MaterialSymbols-*.woff2"
    held_scripts, held_font = hold(page, scripts), hold(page, font)
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "fatima")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation(wait_until="commit"):
        page.click("button[type=submit]")

    # Streamlit's scripts are still on their way: the note is there, in words.
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.get_by_text("The monitor is loading. Please wait.")).to_be_visible()
    page.screenshot(path=str(artifacts / "slow-line-loading-390.png"))

    let_go(page, scripts, held_scripts)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Opslaan")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_hidden()
    # The icon font is still on its way: the icons take their place but show no words.
    colours = page.evaluate(ICON_COLOURS)
    assert colours and set(colours) == {"rgba(0, 0, 0, 0)"}, colours
    snapshot(page, artifacts / "slow-line-no-font-390.png")

    # The page is drawn, so the font is asked for; once it is there, the icons show.
    until_true(lambda: bool(held_font), page, what="asking for the icon font once the page was drawn")
    let_go(page, font, held_font)
    expect(page.locator("html.monitor-icons")).to_have_count(1)
    assert "rgba(0, 0, 0, 0)" not in page.evaluate(ICON_COLOURS)
    screenshot(page, artifacts / "slow-line-loaded-390.png", PHONE, full_page=False)


def test_the_icon_font_waits_for_the_page(page: Page, base_url: str) -> None:
    """Streamlit asks for the font (375 KB) as it starts; the page's own files come first."""
    asked_at: list[str] = []
    page.on("request", lambda request: asked_at.append(request.url.rsplit("/", 1)[-1]))
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", "henk")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    wait_for_app(page)
    expect(page.locator("html.monitor-icons")).to_have_count(1)

    font = next(i for i, name in enumerate(asked_at) if name.startswith("MaterialSymbols-"))
    scripts = [i for i, name in enumerate(asked_at) if name.endswith(".js")]
    assert font > max(scripts), [asked_at[i] for i in scripts if i > font]
