"""The quick-log on a phone whose line drops for real: never lost, never twice.

Twenty requests are tapped in batches: with the offline switch, through a TCP proxy that resets and refuses every
connection, while the answers are lost on the way (the server stored them, the phone never heard), and while the app
server is stopped and started again. Exactly twenty are stored, each once, each with the moment Save was tapped as the
moment received; the outbox survives a reload and a browser restart.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import HelpRequest, Person
from tests.e2e.browser import CHROMIUM_ARGS, PHONE_CONTEXT
from tests.e2e.quicklog_phone import (
    AppServer,
    open_quicklog,
    outbox,
    sign_in,
    tap,
    until,
    wait_until_sent,
    waiting,
)
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e

CHOICES = [
    ("Aan mijn deur", "Geld en schulden", "15 min"),
    ("Straat of winkel", "Wonen", "5 min"),
    ("Telefoon", "Psychische problemen", "30 min"),
    ("Buurthuis", "Kinderen en opvoeding", "1 uur"),
]


def quick_logged(database: Engine, username: str) -> list[HelpRequest]:
    with reading(database) as session:
        person = session.scalar(select(Person.id).where(Person.username == username))
        query = select(HelpRequest).where(HelpRequest.person_id == person, HelpRequest.source == "quicklog")
        return list(session.scalars(query))


def tap_batch(page, count: int, tapped: dict[str, datetime]) -> None:  # type: ignore[no-untyped-def]
    """Tap count requests; remember the moment each was tapped, as the test saw it, by the id the phone gave it."""
    for number in range(count):
        known = {entry["id"] for entry in outbox(page)}
        # The moment as the phone's own clock has it just before the tap (the phone stamps the request with it).
        moment = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, UTC)
        tap(page, *CHOICES[number % len(CHOICES)])
        new = [entry["id"] for entry in outbox(page) if entry["id"] not in known]
        if new:  # sent before the outbox could be read only when the line is up, which no batch here has
            tapped[new[0]] = moment


def test_twenty_requests_across_drops_and_a_restart_are_stored_once_each_at_their_tapped_moment(
    browser: Browser, app: AppServer, database: Engine, line: TcpProxy
) -> None:
    context = browser.new_context(**PHONE_CONTEXT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    sign_in(page, line.url, "marieke")
    open_quicklog(page, line.url)
    tapped: dict[str, datetime] = {}

    # 1. The offline switch: five wait on the phone, and still do after a reload (the page comes from the worker).
    context.set_offline(True)
    tap_batch(page, 5, tapped)
    expect(page.locator("#outbox-count")).to_have_text("(5)")
    expect(page.locator("#outbox-text")).to_have_text("Bewaard op je telefoon, wordt verstuurd")
    page.reload()
    expect(page.locator("#outbox-count")).to_have_text("(5)")

    # 2. A real drop: the browser thinks it is online, every connection is reset or refused.
    line.down()
    context.set_offline(False)
    tap_batch(page, 5, tapped)
    assert waiting(page) == 10
    assert quick_logged(database, "marieke") == []

    # 3. The line is back, but every second answer to a save is lost: the server stored the request, the phone never
    #    heard and sends it again.
    line.lose_answers(to=b"POST /api/quicklog/requests")
    wait_until_sent(page)
    assert line.answers_lost >= 5
    assert len(quick_logged(database, "marieke")) == 10
    line.up()

    # 4. The app server stops (the proxy resets what it cannot forward), five more are tapped, it starts again.
    app.stop()
    line.up()
    tap_batch(page, 5, tapped)
    app.start()
    wait_until_sent(page)  # the retries with backoff find the server again
    assert len(quick_logged(database, "marieke")) == 15

    # 5. Five more in a second offline spell, sent on the online event.
    context.set_offline(True)
    tap_batch(page, 5, tapped)
    context.set_offline(False)
    wait_until_sent(page)
    expect(page.locator("#status .ok")).to_contain_text("Opgeslagen: ")

    rows = quick_logged(database, "marieke")
    assert len(tapped) == 20
    assert sorted(row.client_id for row in rows) == sorted(tapped)  # exactly twenty, each once
    for row in rows:
        assert abs(row.received_at - tapped[row.client_id]) <= timedelta(seconds=1)

    # A repeated POST of a stored id stores nothing new, and answers with the stored request.
    session = page.request.get(f"{line.url}/api/quicklog/session").json()
    first = rows[0]
    body = {
        "id": first.client_id,
        "person": first.person_id,
        "tapped_at": first.received_at.isoformat(),
        "channel": "phone",
        "topics": ["addiction"],
        "minutes": 5,
    }
    again = page.request.post(
        f"{line.url}/api/quicklog/requests",
        data=json.dumps(body),
        headers={"Content-Type": "application/json", "X-CSRF-Token": session["csrf"], "Origin": line.url},
    )
    assert again.status == 200 and again.json()["request_id"] == first.id
    assert len(quick_logged(database, "marieke")) == 20
    context.close()


def test_the_outbox_survives_a_browser_restart(
    browser: Browser, app: AppServer, database: Engine, line: TcpProxy, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"

    def phone():  # type: ignore[no-untyped-def]
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, **PHONE_CONTEXT
        )
        context.set_default_timeout(30_000)
        return context, context.pages[0] if context.pages else context.new_page()

    context, page = phone()
    sign_in(page, line.url, "henk")
    open_quicklog(page, line.url)
    line.down()
    tapped: dict[str, datetime] = {}
    tap_batch(page, 3, tapped)
    assert waiting(page) == 3
    context.close()  # the browser is closed with three requests unsent

    line.up()
    context, page = phone()
    context.set_offline(True)
    page.goto(f"{line.url}/snel/")  # from the home screen, with no network: the worker opens the kept page
    expect(page.locator("#outbox-count")).to_have_text("(3)")
    assert sorted(entry["id"] for entry in outbox(page)) == sorted(tapped)
    context.set_offline(False)
    wait_until_sent(page)
    assert sorted(row.client_id for row in quick_logged(database, "henk")) == sorted(tapped)
    until(page, "document.querySelector('#outbox').hidden", what="the outbox emptying on the page")
    context.close()
