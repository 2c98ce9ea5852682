"""Driving the monitor in Chromium through Playwright: start a server, sign in, wait for Streamlit, take screenshots.

Shared by the browser tests (tests/e2e) and scripts/screenshots.py. Imports nothing from the monitor itself, so
that it works against any running server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, expect

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
# Chrome on an Android phone, as its user agent reads: Streamlit folds the menu only for mobile user agents, so without
# it the tests would see a different app than a phone does.
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
# A phone as the browser reports it: its user agent, touch and a mobile viewport, so Streamlit behaves as on a real
# phone (for example, the menu folds away after choosing a page).
PHONE_CONTEXT = {
    "viewport": PHONE,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": ANDROID_CHROME,
    "locale": "nl-NL",
}
DESKTOP = {"width": 1280, "height": 800}
# Chrome on a Linux desktop, as its user agent reads (Chromium's own says "HeadlessChrome").
DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
DESKTOP_CONTEXT = {"viewport": DESKTOP, "user_agent": DESKTOP_CHROME, "locale": "nl-NL"}
# The browser tests that matter on both run once per device (tests/e2e/conftest.py, the `device` fixture).
DEVICES = {"phone": PHONE_CONTEXT, "desktop": DESKTOP_CONTEXT}
DEMO_PASSWORD = "demo-wachtwoord"  # monitor/demo/load.py
TIMEOUT_MS = 25_000

APP = "[data-testid='stApp']"


# --- the server ---------------------------------------------------------------------------------------------------


def free_port(low: int = 8600, high: int = 8699) -> int:
    """A port in [low, high] nobody listens on (the tests keep to 8600-8699)."""
    for port in range(low, high + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high}")


def wait_for_health(base_url: str, process: subprocess.Popen | None = None, timeout_s: float = 60) -> None:  # type: ignore[type-arg]
    """Poll Streamlit's health endpoint until it answers "ok"."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:  # noqa: S310 - local URL
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{base_url} did not become healthy within {timeout_s:.0f} s")


def streamlit_command(port: int, address: str | None = "127.0.0.1") -> list[str]:
    """`streamlit run app.py` on address:port, headless, as the tests and the city set-up start it. address None:
    Streamlit's default, every interface on one dual-stack socket, as an operator behind nginx runs it."""
    return [
        str(Path(sys.executable).parent / "streamlit"),
        *("run", "app.py", "--server.port", str(port)),
        *(("--server.address", address) if address else ()),
        *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
    ]


@contextmanager
def demo_server(port: int | None = None, workdir: Path | None = None) -> Iterator[tuple[str, Path]]:
    """Load the demo into a fresh SQLite file, serve `streamlit run app.py` on it; yields (base URL, log file).

    The log is printed when the block raises, so that a failing test shows what the server said.
    """
    venv_bin = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="monitor-e2e-", dir=workdir) as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ, MONITOR_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
        subprocess.run([str(venv_bin / "monitor"), "demo"], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True)
        port = port or free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = tmp_path / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                streamlit_command(port),
                env=env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for_health(base_url, process)
                yield base_url, log_path
            except BaseException:
                print(f"--- server log ({log_path}) ---\n{log_path.read_text(errors='replace')}", file=sys.stderr)
                raise
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


# --- the browser --------------------------------------------------------------------------------------------------


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


SETTLED = """(() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') {
        return false;
    }
    const start = document.querySelector(".monitor-run[data-edge='start']");
    const ends = [...document.querySelectorAll(".monitor-run[data-edge='end']")];
    return Boolean(start) && ends.some(end => end.dataset.run === start.dataset.run);
})()"""
RUN = """Number(document.querySelector(".monitor-run[data-edge='start']")?.dataset.run ?? 0)"""
# How long a click may take to start its run. A click on a button sends its rerun to the server a little later,
# sometimes after more than a second on a busy machine (seen with a counter on WebSocket.send), and nothing in the
# page says that one is on its way. The wait ends as soon as the run has begun; it is used in full only after an
# action that runs nothing (opening an expander, say).
RUN_START_S = 2.0


def wait_for_app(page: Page) -> None:
    """Wait until the app is connected and has finished what the last navigation or click started.

    The root element carries the connection and script state (as in Streamlit's own e2e_playwright/conftest.py), but
    a page that acts and then calls st.rerun() runs twice, and reports "notRunning" between the two runs (seen:
    running, notRunning, running, notRunning after the counsellor's "Plan the check-in"). So the app also marks the
    start and the end of each complete run with its number (monitor/ui/run_marks.py): it has settled when it is not
    running and the end mark carries the start mark's number. After an action on a page already seen settled, the
    run it started is awaited first (RUN_START_S at most), so that the old run's marks do not count.
    """
    seen = page.evaluate("window.__monitorSeenRun ?? null")
    if seen is not None:
        deadline = time.monotonic() + RUN_START_S
        while page.evaluate(RUN) == seen and time.monotonic() < deadline:
            page.wait_for_timeout(50)
    until(page, SETTLED, what="the app finishing its run")
    page.evaluate(f"window.__monitorSeenRun = {RUN}")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)


def sign_in(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Open the sign-in form and submit it; waits for the app when signing in worked."""
    if "/auth/login" not in page.url:
        page.goto(f"{base_url}/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/auth/login" not in page.url:
        wait_for_app(page)


def until(page: Page, expression: str, timeout_s: float = TIMEOUT_MS / 1000, what: str = "") -> Any:
    """Poll a JavaScript expression in the page until it is truthy; its value."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what or expression} did not happen within {timeout_s:.0f} s")
        page.wait_for_timeout(100)


def until_true(check: Callable[[], bool], page: Page, timeout_s: float = TIMEOUT_MS / 1000, what: str = "") -> None:
    """Poll a check made from the test (the database, say) until it holds, letting the page run meanwhile."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what or 'the check'} did not hold within {timeout_s:.0f} s")
        page.wait_for_timeout(200)


def open_sidebar(page: Page) -> None:
    """On a phone the sidebar starts collapsed: open it (does nothing when it is open)."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "false":
        return
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    # The sidebar slides in from the left: wait until it has arrived, not for a fixed time.
    until(page, "document.querySelector(\"[data-testid='stSidebar']\").getBoundingClientRect().left >= 0")


_MENU_SCRIPT = """links => links.map(link => {
    const copy = link.cloneNode(true);
    copy.querySelectorAll("[data-testid='stIconMaterial']").forEach(icon => icon.remove());
    return [copy.textContent.trim(), link.getAttribute('aria-current') === 'page'];
})"""


def menu(page: Page) -> list[str]:
    """The page titles in the sidebar menu (without the icons' ligature names)."""
    return [title for title, _current in menu_entries(page)]


def menu_entries(page: Page) -> list[tuple[str, bool]]:
    """(title, is the current page) for each entry of the sidebar menu; opens the sidebar first."""
    open_sidebar(page)
    return [tuple(entry) for entry in page.get_by_test_id("stSidebarNavLink").evaluate_all(_MENU_SCRIPT)]


def sign_out(page: Page) -> None:
    """Follow the sidebar's sign-out link and press the button there (signing out is a POST)."""
    open_sidebar(page)
    with page.expect_navigation():
        page.locator("[data-testid='stSidebar'] a[href='/auth/logout']").click()
    with page.expect_navigation():
        page.locator("form[action='/auth/logout'] button").click()


def laid_out(page: Page) -> None:
    """Wait until the browser has laid out and painted the page again (two animation frames), e.g. after a resize."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def screenshot(page: Page, path: Path, viewport: dict[str, int], full_page: bool = True) -> Path:
    """Resize to viewport, let Streamlit lay out again, and save a PNG.

    Streamlit scrolls inside its main element, not the document, so for the whole page the viewport is made as
    tall as that element's content for the moment of the screenshot.
    """
    page.set_viewport_size(viewport)
    laid_out(page)
    wait_for_app(page)
    height = viewport["height"]
    if full_page:
        content = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\")?.scrollHeight ?? 0")
        if content > height:
            page.set_viewport_size({"width": viewport["width"], "height": int(content)})
            laid_out(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    return path
