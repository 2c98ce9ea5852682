"""How the Streamlit app loads on a slow line: a coproducer signs in on a phone at 400 ms round trip, 400 kbit/s.

    .venv/bin/python scripts/slow_line.py --demo             # a fresh demo database, the app started here
    .venv/bin/python scripts/slow_line.py --demo --check     # exit 1 when the first visit takes more than 20 s
    .venv/bin/python scripts/slow_line.py --demo --nginx     # through deploy/nginx/monitor.conf (HTTPS, HTTP/2)
    .venv/bin/python scripts/slow_line.py --base-url http://localhost:8501 --user fatima   # a running monitor

Chromium (Android Chrome's user agent, 390 x 844) throttles its network through the DevTools protocol
(Network.emulateNetworkConditions: 400 ms latency, 400 kbit/s down and up, as the issue's slow 3G). Measured:

- the sign-in form: from opening /auth/login until its fields are visible;
- the first visit (an empty cache): from tapping Inloggen until the page shows text ("first text": the loading
  note, or Streamlit's own), until the last of Streamlit's files that came before Save arrived (what the line
  decides; the rest is the server starting the session and running the page, and the phone drawing it), until the
  first radio of Log a request is visible, and until Save is;
- the bytes on the wire and the number of HTTP responses of the first visit (the websocket apart);
- a second visit (the cache warm, still signed in): from opening / until Save is visible.

Each figure is the median of --runs runs (a fresh browser context each). The app runs on this machine, so the
line's limits, not the server, decide the times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from playwright.sync_api import BrowserContext, CDPSession, Page, sync_playwright  # noqa: E402

from tests.e2e.browser import CHROMIUM, DEMO_PASSWORD, PHONE_CONTEXT, demo_server, launch  # noqa: E402
from tests.e2e.cluster import city, load_demo, nginx_available  # noqa: E402

LATENCY_MS = 400
KBIT_S = 400
TARGET_S = 20.0
TIMEOUT_MS = 180_000
SIGN_IN = "Inloggen"  # the Dutch sign-in button (monitor/locale/nl); the demo people read Dutch
SAVE = "Opslaan"
FIRST_RADIO = "[data-testid='stMain'] [role='radio']"
SAVE_BUTTON = f"[data-testid='stMain'] button:has-text('{SAVE}')"
# Text on screen that a person can read: the body's visible text, once it holds more than whitespace.
SHOWS_TEXT = "() => (document.body && document.body.innerText.trim().length > 0)"


@dataclass
class Traffic:
    """HTTP responses and their bytes on the wire (headers included), counted from the DevTools events."""

    responses: int = 0
    bytes: int = 0
    websocket_bytes: int = 0
    last_file_at: float = 0.0  # when the last of Streamlit's files (/static/) so far arrived (time.perf_counter)
    seen: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)

    def listen(self, cdp: CDPSession) -> None:
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _response(self, event: dict) -> None:  # type: ignore[type-arg]
        if event.get("type") != "WebSocket":
            self.seen.add(event["requestId"])
            self.responses += 1
            if "/static/" in event["response"]["url"]:
                self.files.add(event["requestId"])

    def _finished(self, event: dict) -> None:  # type: ignore[type-arg]
        if event["requestId"] in self.seen:
            self.bytes += int(event.get("encodedDataLength", 0))
        if event["requestId"] in self.files:
            self.last_file_at = time.perf_counter()

    def _frame(self, event: dict) -> None:  # type: ignore[type-arg]
        self.websocket_bytes += len(event["response"].get("payloadData", ""))

    def reset(self) -> None:
        self.responses, self.bytes, self.websocket_bytes, self.last_file_at = 0, 0, 0, 0.0
        self.seen.clear()
        self.files.clear()


@dataclass
class Run:
    form_s: float
    first_text_s: float
    files_s: float
    radio_s: float
    save_s: float
    responses: int
    kilobytes: float
    websocket_kilobytes: float
    warm_s: float


def throttle(page: Page, traffic: Traffic) -> CDPSession:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = KBIT_S * 1000 / 8  # bytes per second
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": rate, "uploadThroughput": rate},
    )
    traffic.listen(cdp)
    return cdp


def since(start: float) -> float:
    return time.perf_counter() - start


def one_run(context: BrowserContext, base_url: str, user: str, password: str) -> Run:
    traffic = Traffic()
    page = context.new_page()
    throttle(page, traffic)
    start = time.perf_counter()
    page.goto(f"{base_url}/auth/login", wait_until="commit", timeout=TIMEOUT_MS)
    page.locator("#password").wait_for(state="visible", timeout=TIMEOUT_MS)
    form_s = since(start)
    page.fill("#username", user)
    page.fill("#password", password)
    page.wait_for_load_state("load", timeout=TIMEOUT_MS)
    traffic.reset()

    start = time.perf_counter()
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_url(lambda url: "/auth/login" not in url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(SHOWS_TEXT, polling="raf", timeout=TIMEOUT_MS)
    first_text_s = since(start)
    page.locator(FIRST_RADIO).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    radio_s = since(start)
    page.locator(SAVE_BUTTON).wait_for(state="visible", timeout=TIMEOUT_MS)
    save_s = since(start)
    files_s = traffic.last_file_at - start  # those that arrived before Save: not the icon font, which follows it
    responses, kilobytes, websocket_kilobytes = traffic.responses, traffic.bytes / 1000, traffic.websocket_bytes / 1000
    page.close()

    # The second visit: same browser (its cache and cookies), a new tab, still signed in.
    page = context.new_page()
    throttle(page, Traffic())
    start = time.perf_counter()
    page.goto(f"{base_url}/", wait_until="commit", timeout=TIMEOUT_MS)
    page.locator(SAVE_BUTTON).wait_for(state="visible", timeout=TIMEOUT_MS)
    warm_s = since(start)
    page.close()
    return Run(form_s, first_text_s, files_s, radio_s, save_s, responses, kilobytes, websocket_kilobytes, warm_s)


def measure(base_url: str, user: str, password: str, runs: int) -> list[Run]:
    results = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for _ in range(runs):
                context = browser.new_context(**PHONE_CONTEXT, ignore_https_errors=True)
                try:
                    results.append(one_run(context, base_url.rstrip("/"), user, password))
                finally:
                    context.close()
        finally:
            browser.close()
    return results


def table(results: list[Run]) -> str:
    def median(name: str) -> float:
        return statistics.median(getattr(run, name) for run in results)

    rows = [
        ("sign-in form usable", f"{median('form_s'):.1f} s"),
        ("first visit: first text on screen", f"{median('first_text_s'):.1f} s"),
        ("first visit: Streamlit's files arrived", f"{median('files_s'):.1f} s"),
        ("first visit: first radio visible", f"{median('radio_s'):.1f} s"),
        ("first visit: Save visible", f"{median('save_s'):.1f} s"),
        ("first visit: HTTP responses", f"{median('responses'):.0f}"),
        ("first visit: bytes on the wire", f"{median('kilobytes'):.0f} KB"),
        ("first visit: websocket messages", f"{median('websocket_kilobytes'):.0f} KB"),
        ("second visit (cache warm): Save visible", f"{median('warm_s'):.1f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    header = f"{LATENCY_MS} ms round trip, {KBIT_S} kbit/s down and up; median of {len(results)} run(s)"
    return "\n".join([header, *(f"{name:<{width}}  {value:>9}" for name, value in rows)])


@contextmanager
def behind_nginx() -> Iterator[tuple[str, None]]:
    """One app process on a fresh demo database (SQLite) behind deploy/nginx/monitor.conf, as tests/e2e/cluster.py
    runs it: HTTPS with a self-signed certificate, HTTP/2."""
    with tempfile.TemporaryDirectory(prefix="monitor-slow-line-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        load_demo(url)
        with city(url, app_count=1) as cluster:
            yield cluster.url, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", help="a running monitor, e.g. http://localhost:8501")
    where.add_argument("--demo", action="store_true", help="start a monitor on a fresh demo database")
    parser.add_argument("--nginx", action="store_true", help="with --demo: behind deploy/nginx/monitor.conf")
    parser.add_argument("--user", default="fatima", help="a coproducer whose first page is Log a request")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="default: the demo password")
    parser.add_argument("--runs", type=int, default=3, help="runs, each with an empty cache (default 3)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 when Save shows after more than {TARGET_S:.0f} s")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        parser.error(f"Chromium is not installed at {CHROMIUM}: run scripts/ensure_chromium.sh as root")
    if args.nginx and not (args.demo and nginx_available()):
        parser.error("--nginx needs --demo and nginx (scripts/ensure_nginx.sh)")
    server = (behind_nginx() if args.nginx else demo_server()) if args.demo else nullcontext((args.base_url, None))
    with server as (base_url, _log):
        results = measure(base_url, args.user, args.password, args.runs)
    print(table(results))
    slowest = statistics.median(run.save_s for run in results)
    if args.check and slowest > TARGET_S:
        print(f"Too slow: Save showed after {slowest:.1f} s on the first visit (target {TARGET_S:.0f} s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
