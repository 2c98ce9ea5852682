"""axe-core on every page of every role, on a phone, and on the states in between (after Save, a form open, an error):
no critical or serious violation. Moderate and minor ones are written to test-artifacts/axe-report.txt."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from monitor.i18n import gettext_for
from monitor.people.access import Role
from monitor.ui.navigation import PAGES
from tests.e2e.accessibility import BLOCKING, Violation, violations
from tests.e2e.browser import open_sidebar, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

_ = gettext_for("nl")
PEOPLE = {"marieke": Role.COPRODUCER, "lotte": Role.LEADER, "samira": Role.COUNSELLOR, "beheer": Role.ADMIN}


def visit_every_page(page: Page, base_url: str, role: Role, username: str) -> list[Violation]:
    found: list[Violation] = []
    for spec in PAGES:
        if spec.roles and role not in spec.roles:
            continue
        page.goto(f"{base_url}/{spec.url_path}")
        wait_for_app(page)
        found += violations(page, f"{username} /{spec.url_path}")
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


def report(artifacts: Path, username: str, found: list[Violation]) -> None:
    lines = [str(v) for v in sorted(found, key=lambda v: (v.impact not in BLOCKING, v.state))]
    (artifacts / f"axe-report-{username}.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))  # shown with pytest -rP


@pytest.mark.parametrize("username", list(PEOPLE))
def test_no_page_has_a_critical_or_serious_accessibility_violation(
    page: Page, base_url: str, artifacts: Path, username: str
) -> None:
    sign_in(page, base_url, username)
    found = log_request_states(page) if PEOPLE[username] is Role.COPRODUCER else []
    found += visit_every_page(page, base_url, PEOPLE[username], username)  # ends with the menu open
    report(artifacts, username, found)
    blocking = [str(v) for v in found if v.impact in BLOCKING]
    assert not blocking, "\n".join(blocking)
