"""axe-core (through axe-playwright-python, which ships it) on a page as the browser shows it now.

Shared by tests/e2e/test_accessibility.py and the quick check in scripts; imports nothing from the monitor.
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = frozenset({"critical", "serious"})
# WCAG 2.0/2.1/2.2 A and AA plus axe's best practices (heading order, landmarks).
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}

_axe = Axe()


@dataclass(frozen=True)
class Violation:
    state: str  # which page state, e.g. "marieke /my-week"
    rule: str
    impact: str
    nodes: tuple[str, ...]  # CSS selectors of the elements, the first few

    def __str__(self) -> str:
        return f"{self.impact:8} {self.rule:24} {self.state}: {', '.join(self.nodes)}"


def violations(page: Page, state: str) -> list[Violation]:
    """Every axe violation on the page as it is now (Streamlit's whole document, sidebar included)."""
    result = _axe.run(page, options=OPTIONS)
    return [
        Violation(
            state,
            item["id"],
            item.get("impact") or "minor",
            tuple(" ".join(node["target"][-1:]) if node["target"] else "?" for node in item["nodes"][:4]),
        )
        for item in result.response["violations"]
    ]


def no_blocking_violation(page: Page, state: str) -> None:
    """Assert axe finds no critical or serious violation on the page as it is now (state names it in the message)."""
    blocking = [str(v) for v in violations(page, state) if v.impact in BLOCKING]
    assert not blocking, "\n".join(blocking)
