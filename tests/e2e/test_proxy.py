"""The city set-up, for real: two app processes and a worker behind deploy/nginx/monitor.conf, on PostgreSQL.

A coproducer signs in through the proxy and logs a request; a leader in another browser, served by the other app
process, sees it. The coproducer's app process is stopped: her next page load goes to the other process and she is
still signed in. The worker's alerts show in both processes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine, func, select, text

from db.models import Alert, HelpRequest
from monitor.i18n import gettext_for, ngettext_for
from tests.conftest import _truncate_all
from tests.e2e.browser import PHONE_CONTEXT, sign_in, wait_for_app
from tests.e2e.cluster import Cluster, city, load_demo, nginx_available

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

_ = gettext_for("nl")
ngettext = ngettext_for("nl")
PERIOD_ONE, PERIOD_MANY = "{count} request in this period.", "{count} requests in this period."


@pytest.fixture(scope="module")
def cluster(postgres_engine: Engine) -> Iterator[Cluster]:
    if not nginx_available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but nginx is not installed: `make test` installs it (scripts/ensure_nginx.sh)")
        pytest.skip("nginx not installed: run `make test` as root or apt-get install nginx-light")
    _truncate_all(postgres_engine)
    url = postgres_engine.url.render_as_string(hide_password=False)
    load_demo(url)
    with city(url, app_count=2) as running:
        yield running
    _truncate_all(postgres_engine)


def phone(browser: Browser) -> BrowserContext:
    context = browser.new_context(**PHONE_CONTEXT, ignore_https_errors=True)
    context.set_default_timeout(30_000)
    return context


def session_key(context: BrowserContext) -> str:
    """The routing key nginx hashes on: the value of the session cookie."""
    cookies = [c["value"] for c in context.cookies() if c["name"].endswith("monitor_session")]
    assert cookies, "not signed in: no session cookie"
    return cookies[0]


def process_of(cluster: Cluster, context: BrowserContext) -> int:
    ports = cluster.upstreams_of(session_key(context))
    assert ports, f"nginx logged no request for this session\n{cluster.logs()}"
    return ports[-1]


def _count_pattern() -> re.Pattern[str]:
    """Either plural form of "{count} requests in this period." in Dutch, with the count captured."""
    forms = [ngettext(PERIOD_ONE, PERIOD_MANY, n) for n in (1, 2)]
    return re.compile("|".join(re.escape(form).replace(re.escape("{count}"), r"(\d+)") for form in forms))


def requests_this_period(page: Page, url: str) -> int:
    """The count the leader reads on Team requests, tab Export."""
    page.goto(f"{url}/team-requests")
    wait_for_app(page)
    page.get_by_role("tab", name=_("Export")).click()
    pattern = _count_pattern()
    sentence = page.get_by_text(pattern).first
    expect(sentence).to_be_visible()
    match = pattern.search(sentence.inner_text())
    assert match, sentence.inner_text()
    return int(next(group for group in match.groups() if group))


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_two_app_processes_behind_nginx_share_people_requests_and_alerts(
    cluster: Cluster, browser: Browser, postgres_engine: Engine
) -> None:
    fatima_context = phone(browser)
    fatima = fatima_context.new_page()
    sign_in(fatima, cluster.url, "fatima")
    fatima_process = process_of(cluster, fatima_context)

    # The leader signs in until she is served by the other process (each sign-in is a new routing key).
    for _attempt in range(12):
        lotte_context = phone(browser)
        lotte = lotte_context.new_page()
        sign_in(lotte, cluster.url, "lotte")
        if process_of(cluster, lotte_context) != fatima_process:
            break
        lotte_context.close()
    else:
        pytest.fail("twelve sign-ins all landed on one app process: nginx does not spread sessions")
    before = requests_this_period(lotte, cluster.url)

    # Fatima logs a request through the proxy.
    stored = count(postgres_engine, HelpRequest)
    for choice in (_("At my door"), _("Money and debts"), _("{minutes} min").format(minutes=15)):
        fatima.locator("button", has_text=choice).first.click()
        wait_for_app(fatima)
    fatima.get_by_role("button", name=_("Save")).click()
    wait_for_app(fatima)
    expect(fatima.get_by_role("button", name=_("Undo"))).to_be_visible()
    assert count(postgres_engine, HelpRequest) == stored + 1

    # The leader, on the other process, sees one more request, and downloads the export: Streamlit keeps the file in
    # the memory of the process that drew the page, so this works only when every request of hers goes there.
    assert requests_this_period(lotte, cluster.url) == before + 1
    for _try in range(3):
        with lotte.expect_download() as download:
            lotte.get_by_role("button", name=_("Download")).click()
        assert download.value.failure() is None
        assert Path(download.value.path()).read_bytes()[:2] == b"PK", "not an Excel file: another process answered"

    # Fatima's process stops; her next page load is drawn by the other one, and she is still signed in.
    cluster.stop_app(fatima_process)
    fatima.goto(f"{cluster.url}/my-week")
    wait_for_app(fatima)
    assert "/auth/login" not in fatima.url
    expect(fatima.locator("h1").first).to_have_text(_("My week"))
    assert process_of(cluster, fatima_context) != fatima_process
    cluster.start_app(fatima_process)

    # The worker evaluates the rules once for all processes; its alerts show in both.
    with postgres_engine.begin() as connection:
        connection.execute(text("DELETE FROM alerts"))  # those Fatima's save raised: the worker makes them again
    cluster.start_worker()
    for _tick in range(120):  # the worker evaluates right after it starts; allow it a minute
        if count(postgres_engine, Alert) > 0:
            break
        lotte.wait_for_timeout(500)
    assert count(postgres_engine, Alert) > 0, cluster.logs()
    for port in sorted(cluster.apps):
        direct = phone(browser).new_page()
        sign_in(direct, f"http://127.0.0.1:{port}", "lotte")
        direct.goto(f"http://127.0.0.1:{port}/alerts")
        wait_for_app(direct)
        expect(direct.get_by_text("Fatima").first).to_be_visible()
        direct.context.close()
    fatima_context.close()
    lotte_context.close()


def test_over_https_through_nginx_the_cookie_is_host_prefixed_and_the_log_has_the_person_s_own_address(
    cluster: Cluster, browser: Browser, postgres_engine: Engine
) -> None:
    """Issue 27: the apps listen on every interface (nginx on 127.0.0.1 arrives as ::ffff:127.0.0.1) with
    trusted_proxies = ["127.0.0.1"]. The browser comes from [::1], another address than the proxy's."""
    url = cluster.url.replace("127.0.0.1", "[::1]")
    context = phone(browser)
    page = context.new_page()
    response = page.goto(f"{url}/auth/login")
    assert response is not None
    headers = response.headers
    sign_in(page, url, "fatima")

    cookies = {c["name"]: c for c in context.cookies()}
    assert "monitor_session" not in cookies
    assert cookies["__Host-monitor_session"]["secure"] and cookies["__Host-monitor_session"]["path"] == "/"
    assert headers["strict-transport-security"] == "max-age=31536000"  # once: nginx hides the app's copy
    assert "default-src 'self'" in headers["content-security-policy"]  # the app's policy, not nginx's fallback
    with postgres_engine.connect() as connection:
        address = connection.execute(
            text(
                "SELECT address FROM security_events WHERE kind = 'signed_in' AND username = 'fatima' "
                "ORDER BY id DESC LIMIT 1"
            )
        ).scalar_one()
    assert address == "::1", cluster.logs()
    context.close()
