"""axe-core on every page of every role, on a phone and on a desktop, and on the states in between (after Save, a form
open, an error, a WHO-5 statement): no critical or serious violation, and no heading that skips a level. The rest is
written to test-artifacts/axe-report-<user>-<device>.txt."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from monitor.i18n import gettext_for
from monitor.people.access import Role
from monitor.ui.navigation import PAGES
from tests.e2e.accessibility import BLOCKING, Violation, violations
from tests.e2e.browser import DEVICES, open_sidebar, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
PEOPLE = {"marieke": Role.COPRODUCER, "lotte": Role.LEADER, "samira": Role.COUNSELLOR, "beheer": Role.ADMIN}
# Moderate, but fixed on every page, so it stays fixed: sections are h2 under the page's h1, never h1 -> h3.
ALSO_BLOCKING = frozenset({"heading-order"})


def visit_every_page(page: Page, base_url: str, role: Role, username: str) -> list[Violation]:
    found: list[Violation] = []
    mine = [spec for spec in PAGES if not spec.roles or role in spec.roles]
    for index, spec in enumerate(mine):
        page.goto(f"{base_url}/{'' if index == 0 else spec.url_path}")  # the first page is at "/"
        wait_for_app(page)
        found += violations(page, f"{username} /{spec.url_path}")
        if spec.url_path == "talk":
            page.get_by_role("button", name=_("Answer the five questions")).click()
            wait_for_app(page)
            found += violations(page, f"{username} /talk WHO-5 statement")
    open_sidebar(page)
    found += violations(page, f"{username} menu open")
    return found


def log_request_states(page: Page) -> list[Violation]:
    """Log a request, the coproducer's first page: an error (Save with nothing chosen), the details open, after Save."""
    expect(page.locator("h1").first).to_have_text(_("Log a request"))
    page.get_by_role("button", name=_("Save")).click()
    wait_for_app(page)
    found = violations(page, "marieke /log with an error")
    page.get_by_text(_("More details (you may skip this)")).click()
    found += violations(page, "marieke /log details open")
    for label in (_("At my door"), _("Money and debts"), _("{minutes} min").format(minutes=15)):
        page.locator("button", has_text=label).first.click()
        wait_for_app(page)
    page.get_by_role("button", name=_("Save")).click()
    wait_for_app(page)
    return found + violations(page, "marieke /log after Save")


def blocks(violation: Violation) -> bool:
    return violation.impact in BLOCKING or violation.rule in ALSO_BLOCKING


def report(artifacts: Path, name: str, found: list[Violation]) -> None:
    lines = [str(v) for v in sorted(found, key=lambda v: (not blocks(v), v.state))]
    (artifacts / f"axe-report-{name}.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))  # shown with pytest -rP


@pytest.mark.parametrize("device", DEVICES, indirect=True)
@pytest.mark.parametrize("username", list(PEOPLE))
def test_no_page_has_a_critical_or_serious_accessibility_violation(
    page: Page, base_url: str, artifacts: Path, username: str, device: str
) -> None:
    sign_in(page, base_url, username)
    found = log_request_states(page) if PEOPLE[username] is Role.COPRODUCER else []
    found += visit_every_page(page, base_url, PEOPLE[username], username)  # ends with the menu open
    report(artifacts, f"{username}-{device}", found)
    blocking = [str(v) for v in found if blocks(v)]
    assert not blocking, "\n".join(blocking)
