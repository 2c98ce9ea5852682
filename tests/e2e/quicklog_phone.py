"""Driving the quick-log (/snel/) as a phone does, for tests/e2e/test_quicklog*.py and scripts/slow_line_quicklog.py:
an app server that can be stopped and started again, signing in, tapping a request, reading the outbox.

The page's strict CSP (script-src 'self') forbids the eval that Playwright's wait_for_function uses, so waiting for
a state in the page polls page.evaluate (which the CSP does not govern) until a deadline, and otherwise uses expect.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser import (  # noqa: F401 (until and until_true are used from here by the quick-log tests)
    DEMO_PASSWORD,
    PROJECT_ROOT,
    free_port,
    streamlit_command,
    until,
    until_true,
    wait_for_health,
)


class AppServer:
    """`streamlit run app.py` on a demo database of its own, on one port, stopped and started again at will."""

    def __init__(self, workdir: Path) -> None:
        self.database = workdir / "demo.db"
        self.log_path = workdir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, MONITOR_DATABASE_URL=f"sqlite:///{self.database}", MONITOR_SCHEDULER="off")
        self._process: subprocess.Popen[bytes] | None = None
        monitor = Path(sys.executable).parent / "monitor"
        subprocess.run([str(monitor), "demo"], env=self.env, cwd=PROJECT_ROOT, check=True, capture_output=True)

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                streamlit_command(self.port), env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_health(self.url, self._process)

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign in through the form; stays on whatever the form redirects to (the app), without waiting for Streamlit."""
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/auth/login" not in page.url, f"{username} could not sign in"
    page.wait_for_load_state("load")


def open_quicklog(page: Page, base_url: str) -> None:
    """Open /snel/ and wait until its service worker controls the page and the page knows who is signed in."""
    page.goto(f"{base_url}/snel/")
    expect(page).to_have_url(f"{base_url}/snel/")
    until(page, "navigator.serviceWorker.controller !== null", what="the service worker taking control")
    until(page, "localStorage.getItem('quicklog-person') !== null", what="the page learning who is signed in")


def tap(page: Page, channel: str, topic: str, minutes: str) -> None:
    """Choose how, what and how long (by their visible names) and tap Save."""
    for name in (channel, topic, minutes):
        page.get_by_label(name, exact=True).click()
    page.locator("#save").click()
    expect(page.locator("form#log input:checked")).to_have_count(0)  # the form starts fresh once it is kept


def waiting(page: Page) -> int:
    """How many of the signed-in person's requests the page says wait on the phone."""
    return int(page.locator("#outbox").get_attribute("data-waiting") or 0)


def outbox(page: Page) -> list[dict[str, Any]]:
    """Every entry in the phone's outbox (IndexedDB), whoever's."""
    return page.evaluate("QuickLog.entries()")


def wait_until_sent(page: Page, timeout_s: float = 60) -> None:
    until(page, "QuickLog.entries().then(all => all.filter(e => e.state === 'waiting').length === 0)", timeout_s)
