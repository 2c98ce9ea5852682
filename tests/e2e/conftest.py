"""Browser tests: one demo server for the whole run, one Chromium, a fresh browser context per test: a phone, or a
desktop for the tests that run on both."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import Engine

from db.engine import make_engine
from tests.e2e.browser import CHROMIUM, DEVICES, PROJECT_ROOT, TIMEOUT_MS, demo_server, free_port, launch
from tests.e2e.quicklog_phone import AppServer
from tests.e2e.tcp_proxy import TcpProxy

# Assertions wait for the app's state as long as actions do: Playwright's own 5 s passed before a busy machine had
# finished a rerun (the counsellor's Plan, seen in CI beside other work), and a test failed that waited too briefly.
expect.set_options(timeout=TIMEOUT_MS)

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
_server_log: list[Path] = []


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but Chromium is not installed at {CHROMIUM}: the browser tests must run in CI")
    pytest.skip("Chromium not installed: run `make test` as root or apt-get install chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url(browser: Browser) -> Iterator[str]:
    """The app on a free port in 8600-8699, on a temporary SQLite database holding the demo team."""
    with demo_server() as (url, log_path):
        _server_log.append(log_path)
        yield url
        _server_log.clear()


@pytest.fixture
def device(request: pytest.FixtureRequest) -> str:
    """ "phone" unless a test asks for both: @pytest.mark.parametrize("device", DEVICES, indirect=True)."""
    return getattr(request, "param", "phone")


@pytest.fixture
def context(browser: Browser, device: str) -> Iterator[BrowserContext]:
    """A phone (390 x 844, Android Chrome) or a desktop (1280 x 800) whose browser asks for Dutch, like the demo
    people."""
    ctx = browser.new_context(**DEVICES[device])
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, base_url: str) -> Page:
    return context.new_page()


# --- the quick-log's tests (test_quicklog_*.py): a server per module that can be stopped, behind a slow line --------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[AppServer]:
    """An app server of the test module's own, on its own demo database, that the test may stop and start."""
    server = AppServer(tmp_path_factory.mktemp("quicklog-app"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def database(app: AppServer) -> Iterator[Engine]:
    """That server's database, to read what arrived."""
    engine = make_engine(f"sqlite:///{app.database}")
    yield engine
    engine.dispose()


@pytest.fixture
def line(app: AppServer) -> Iterator[TcpProxy]:
    """A line to that server that the test can cut, slow down and restore (tests/e2e/tcp_proxy.py)."""
    proxy = TcpProxy(app.port, free_port()).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Attach the end of the server's log to a failing browser test's report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _server_log and _server_log[0].exists():
        text = _server_log[0].read_text(errors="replace")
        report.sections.append(("streamlit server log (last 6000 characters)", text[-6000:]))
