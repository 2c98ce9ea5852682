"""The quick-log's states (empty, filled, waiting, sent, refused, asking before signing out) on a phone and a desktop:
axe-core finds no serious or critical violation, every control is at least 44 x 44 px, Save is in the first screen,
and the page speaks the person's language. Screenshots of each state go to test-artifacts/quicklog/."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.accessibility import BLOCKING, violations
from tests.e2e.browser import DEVICES
from tests.e2e.layout import too_small
from tests.e2e.quicklog_phone import open_quicklog, sign_in, tap, until

pytestmark = pytest.mark.e2e

MIN_TARGET = 44


def check(page: Page, state: str, device: str, artifacts: Path) -> list[str]:
    """What is wrong with the page in this state; saves its screenshot."""
    folder = artifacts / "quicklog"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{state}-{device}.png"), full_page=True)
    found = [str(v) for v in violations(page, f"quick-log {state} {device}") if v.impact in BLOCKING]
    found += [f"{state}: too small: {small}" for small in too_small(page, MIN_TARGET)]
    save = page.locator("#save").bounding_box()
    viewport = page.viewport_size
    if not (save and viewport and save["y"] >= 0 and save["y"] + save["height"] <= viewport["height"]):
        found.append(f"{state}: Save is not in the first screen: {save}")
    return found


def refused_entry(page: Page) -> None:
    """A request that waited on the phone since a fixed moment long ago: the server refuses it as too old."""
    person = page.evaluate("JSON.parse(localStorage.getItem('quicklog-person')).person")
    tapped = datetime(2026, 1, 5, 12, 0, tzinfo=UTC).isoformat().replace("+00:00", "Z")
    entry_id = str(uuid.uuid4())
    body = {"id": entry_id, "person": person, "tapped_at": tapped, "channel": "door", "topics": ["money"], "minutes": 5}
    entry = {"id": entry_id, "person": person, "tapped_at": tapped, "state": "waiting", "body": body}
    page.evaluate("entry => QuickLog.keep(entry)", entry)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    until(page, "QuickLog.entries().then(all => all.some(e => e.state === 'refused'))", what="the refusal")


@pytest.mark.parametrize("device", list(DEVICES), indirect=True)
def test_every_state_of_the_quick_log_is_accessible_with_large_controls_and_save_in_view(
    context: BrowserContext, page: Page, base_url: str, device: str, artifacts: Path
) -> None:
    sign_in(page, base_url, "youssef")
    open_quicklog(page, base_url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    problems = check(page, "empty", device, artifacts)

    for name in ("Straat of winkel", "Verslaving", "Geweld en veiligheid", "Anders…", "Eerder"):
        page.get_by_label(name, exact=True).click()
    page.fill("#exact", "45")
    page.get_by_label("Dit hoort niet bij mijn taak").click()
    problems += check(page, "filled", device, artifacts)

    context.set_offline(True)
    page.locator("#save").click()
    expect(page.locator("#outbox-count")).to_have_text("(1)")
    page.get_by_role("button", name="Laat zien wat wacht").click()
    problems += check(page, "waiting", device, artifacts)

    page.locator("#sign-out").click()
    expect(page.locator("#confirm-sign-out")).to_be_visible()
    problems += [p for p in check(page, "asking", device, artifacts) if "Save is not" not in p]  # under the dialog
    page.get_by_role("button", name="Ingelogd blijven").click()

    context.set_offline(False)
    saved = "Opgeslagen: straat of winkel, verslaving, geweld en veiligheid, 45 min"
    expect(page.locator("#status .ok")).to_have_text(saved)
    expect(page.locator("#outbox")).to_be_hidden()
    problems += check(page, "sent", device, artifacts)
    page.get_by_role("button", name="Ongedaan maken").click()  # leaves the shared demo data as it was
    expect(page.locator("#status")).to_have_text("De hulpvraag is teruggenomen.")

    refused_entry(page)  # the list is still open from before
    expect(page.locator("#outbox-list .why")).to_contain_text("Niet verstuurd: ")
    problems += check(page, "refused", device, artifacts)
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.locator("#outbox")).to_be_hidden()

    assert not problems, "\n".join(problems)


def test_the_quick_log_speaks_english_to_an_english_coproducer(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "ahmed")
    open_quicklog(page, base_url)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Quick log")
    expect(page.get_by_role("link", name="My week")).to_have_attribute("href", "/my-week")
    page.locator("#save").click()  # nothing chosen: nothing kept, the first thing missing is named
    expect(page.locator("#problem")).to_have_text("Choose how you were approached.")
    for name in ("At my door", "Housing", "Other…"):
        page.get_by_label(name, exact=True).click()
    page.fill("#exact", "9999")
    page.locator("#save").click()
    expect(page.locator("#problem")).to_have_text("Choose how long it took.")
    assert page.evaluate("QuickLog.entries()") == []
    page.reload()
    context = page.context
    context.set_offline(True)
    tap(page, "At my door", "Housing", "5 min")
    expect(page.locator("#outbox-text")).to_have_text("Saved on your phone, will be sent")
    context.set_offline(False)
    expect(page.locator("#status .ok")).to_have_text("Saved: at my door, housing, 5 min")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#status")).to_have_text("The request was taken back.")
