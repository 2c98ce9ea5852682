"""Issue 27 in a real browser: with the app's Content-Security-Policy every role's pages still draw, with no CSP
violation; and with names, notes, team and training names full of Markdown and HTML that point at a listener on this
machine, the listener receives nothing (the text is escaped, and the policy would refuse the address anyway)."""

from __future__ import annotations

import http.server
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from monitor.i18n import gettext_for
from monitor.people.access import Role
from monitor.ui.navigation import PAGES
from tests.e2e.browser import DEVICES, demo_server, free_port, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
PEOPLE = {"marieke": Role.COPRODUCER, "lotte": Role.LEADER, "samira": Role.COUNSELLOR, "beheer": Role.ADMIN}
# Each role's first page and, for the leader, the pages that show other people's names, notes and trainings.
ALSO = {Role.LEADER: ("alerts", "training", "team-requests", "agreements"), Role.COPRODUCER: ("my-requests",)}
# Recorded in the page before any of its scripts run: every violation the browser reports, also those it does not log.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


class Listener:
    """An HTTP server on this machine that counts what asks it for anything."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                seen.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port(8900, 8999)), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.server.shutdown()


def hostile(port: int) -> str:
    at = f"127.0.0.1:{port}"
    return f"![i](http://{at}/img) <img src=http://{at}/tag> [a](javascript:fetch('//{at}/js'))"


@pytest.fixture(scope="module")
def hostile_url(listener: Listener, browser: Browser) -> Iterator[str]:
    """The demo, on its own server, with every name, note, team and training name carrying the payloads."""
    with demo_server() as (url, log_path):
        payload = hostile(listener.port)
        database = sqlite3.connect(Path(log_path).parent / "demo.db")
        with database:
            database.execute("UPDATE people SET display_name = display_name || ' ' || ?", (payload,))
            database.execute("UPDATE teams SET name = name || ' ' || ?", (payload,))
            database.execute("UPDATE trainings SET name = name || ' ' || ?, provider = ?", (payload, payload))
            database.execute(
                "UPDATE help_requests SET note = ? WHERE id IN (SELECT id FROM help_requests LIMIT 50)", (payload,)
            )
        database.close()
        yield url


def visit(page: Page, url: str, role: Role) -> list[str]:
    """Each role's first page and its pages that show others' text; returns the CSP violations seen."""
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            console.append(message.text)

    page.on("console", on_console)
    paths = ["", *ALSO.get(role, ())]
    for path in paths:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        expect(page.locator("h1").first).to_be_visible()
    recorded = page.evaluate("window.__csp")
    return console + list(recorded)


@pytest.mark.parametrize(("username", "role"), PEOPLE.items())
def test_every_role_s_pages_draw_under_the_policy_and_no_hostile_text_reaches_the_listener(
    browser: Browser, hostile_url: str, listener: Listener, username: str, role: Role
) -> None:
    context = browser.new_context(**DEVICES["phone"])
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        response = page.goto(f"{hostile_url}/auth/login")
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        sign_in(page, hostile_url, username)
        first = [spec.title for spec in PAGES if role in spec.roles][0]
        expect(page.locator("h1").first).to_have_text(_(first))

        violations = visit(page, hostile_url, role)
    finally:
        context.close()

    assert [v[:300] for v in violations] == []
    assert listener.requests == []
