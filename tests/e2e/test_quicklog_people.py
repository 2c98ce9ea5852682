"""The quick-log on a shared phone: what waits belongs to the person who tapped it and is never sent under another
person's session; signing out with unsent requests asks first; a session that ended keeps them waiting until that
person signs in again; a request the server refuses (older than [requests] earlier_days) is shown as such and not
sent again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import HelpRequest, Person
from monitor.people import auth
from tests.e2e.browser import PHONE_CONTEXT
from tests.e2e.quicklog_phone import open_quicklog, outbox, sign_in, tap, until, waiting
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**PHONE_CONTEXT)
    context.set_default_timeout(30_000)
    yield context
    context.close()


def person_id(database: Engine, username: str) -> int:
    with reading(database) as session:
        return int(session.scalar(select(Person.id).where(Person.username == username)) or 0)


def quick_logged(database: Engine, username: str) -> int:
    with reading(database) as session:
        query = select(func.count()).select_from(HelpRequest).where(HelpRequest.source == "quicklog")
        return int(session.scalar(query.where(HelpRequest.person_id == person_id(database, username))) or 0)


def test_waiting_requests_go_only_under_their_own_persons_session(
    phone: BrowserContext, line: TcpProxy, database: Engine
) -> None:
    page = phone.new_page()
    sign_in(page, line.url, "fatima")
    open_quicklog(page, line.url)
    line.down()
    tap(page, "Aan mijn deur", "Geld en schulden", "15 min")
    tap(page, "Telefoon", "Wonen", "5 min")
    assert waiting(page) == 2

    # Signing out with unsent requests asks first; she stays.
    page.locator("#sign-out").click()
    dialog = page.locator("#confirm-sign-out")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Hulpvragen die nog op deze telefoon wachten: 2.")
    dialog.get_by_role("button", name="Ingelogd blijven").click()
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/snel/")

    # Her session ends meanwhile (idle, or an administrator): when the line is back, her requests wait.
    auth.end_sessions_of(database, person_id(database, "fatima"), "idle")
    line.up()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#outbox-note")).to_contain_text("Log opnieuw in.")
    assert quick_logged(database, "fatima") == 0
    page.goto(f"{line.url}/auth/logout")  # the app's own sign-out page says what waits, too
    expect(page.locator("#quicklog-waiting")).to_contain_text("Hulpvragen die nog op deze telefoon wachten: 2.")

    # Henk signs in on the same phone: Fatima's requests are not sent under his session, his own are.
    sign_in(page, line.url, "henk")
    open_quicklog(page, line.url)
    expect(page.locator("#outbox-note")).to_contain_text("Hulpvragen van iemand anders wachten op deze telefoon: 2.")
    tap(page, "Buurthuis", "Verslaving", "30 min")
    expect(page.locator("#status .ok")).to_have_text("Opgeslagen: buurthuis, verslaving, 30 min")
    assert (quick_logged(database, "henk"), quick_logged(database, "fatima")) == (1, 0)
    assert sorted(entry["person"] for entry in outbox(page)) == [person_id(database, "fatima")] * 2

    # Nothing of his waits, so signing out does not ask.
    with page.expect_navigation():
        page.locator("#sign-out").click()
    assert "/auth/login" in page.url

    # Fatima signs in again: hers are sent.
    sign_in(page, line.url, "fatima")
    open_quicklog(page, line.url)
    until(page, "QuickLog.entries().then(all => all.length === 0)", what="Fatima's requests being sent")
    assert (quick_logged(database, "henk"), quick_logged(database, "fatima")) == (1, 2)


# A fixed moment far beyond requests.earlier_days for any run of this suite (the app runs on its own clock).
LONG_AGO = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def old_entry(page: Page, database: Engine, username: str) -> str:
    """Put a request tapped long ago (LONG_AGO) into the phone's outbox, as if it had waited there since."""
    entry_id = str(uuid.uuid4())
    tapped = LONG_AGO.isoformat().replace("+00:00", "Z")
    person = person_id(database, username)
    body = {"id": entry_id, "person": person, "tapped_at": tapped, "channel": "door", "topics": ["money"], "minutes": 5}
    page.evaluate(
        "entry => QuickLog.keep(entry)",
        {"id": entry_id, "person": person, "tapped_at": tapped, "state": "waiting", "body": body},
    )
    return entry_id


def test_a_request_older_than_earlier_days_is_refused_shown_and_not_sent_again(
    phone: BrowserContext, line: TcpProxy, database: Engine
) -> None:
    page = phone.new_page()
    saves: list[str] = []
    page.on("request", lambda request: saves.append(request.url) if request.method == "POST" else None)
    sign_in(page, line.url, "priya")
    open_quicklog(page, line.url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    entry_id = old_entry(page, database, "priya")

    page.evaluate("window.dispatchEvent(new Event('online'))")
    until(page, f"QuickLog.entries().then(all => all.some(e => e.id === '{entry_id}' && e.state === 'refused'))")
    page.get_by_role("button", name="Show what waits").click()
    expect(page.locator("#outbox-list .why")).to_have_text(
        "Not sent: The time is more than 14 days ago. Choose a later time."
    )
    sent = len(saves)
    with page.expect_response(lambda response: response.url.endswith("/api/quicklog/session")):
        page.evaluate("window.dispatchEvent(new Event('online'))")  # another round: the refused one stays put
    assert len(saves) == sent
    assert quick_logged(database, "priya") == 0

    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#outbox")).to_be_hidden()
    assert outbox(page) == []
