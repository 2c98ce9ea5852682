"""Measuring what the browser lays out: the size of every control a person can tap, sideways scrolling, overlaps.

Shared by the browser tests; imports nothing from the monitor.
"""

from __future__ import annotations

import json

from playwright.sync_api import Locator, Page, expect

from tests.e2e.browser import until

# Every element a person can tap or type in, measured by the area that answers a tap: a button or link itself; for a
# field (a select, a date's day, month and year, a hidden checkbox) the field or the label around it. Left out: what
# is not laid out or lies outside the screen (the folded menu, the skip link that shows on keyboard focus), and what
# sits under a dialog (inert) or is hidden from everyone (aria-hidden).
_CONTROLS = """() => {
  const selector = 'button, a[href], input, select, textarea, summary, [role=button], [role=checkbox], [role=radio], '
    + '[role=switch], [role=tab], [role=combobox], [role=spinbutton], [role=slider], [role=option]';
  const seen = new Set();
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[inert], [aria-hidden=true]')) continue;
    const own = (el.tagName === 'BUTTON' || el.tagName === 'A') && el.tabIndex !== -1;
    const target = own ? el : (el.closest("[data-testid='stDateInputField']")
      || el.closest('[role=group], [data-baseweb=input], [data-baseweb=textarea], label') || el);
    if (seen.has(target)) continue;
    seen.add(target);
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= innerWidth) continue;
    if (getComputedStyle(target).visibility === 'hidden') continue;
    const name = (el.getAttribute('aria-label') || el.innerText || el.value || '').replace(/\\s+/g, ' ').trim();
    const where = el.closest('[data-testid]')?.getAttribute('data-testid') || el.tagName.toLowerCase();
    found.push([`${where} "${name.slice(0, 40)}"`, Math.round(box.width), Math.round(box.height)]);
  }
  return found;
}"""


def controls(page: Page) -> list[tuple[str, int, int]]:
    """(what, width, height) of every control on the screen as it is now."""
    return [tuple(found) for found in page.evaluate(_CONTROLS)]


def too_small(page: Page, minimum: int) -> list[str]:
    """The controls less than minimum px high or wide, described for an assertion message."""
    return [f"{what}: {width} x {height}" for what, width, height in controls(page) if min(width, height) < minimum]


def scroll_widths(page: Page) -> list[int]:
    """How wide the document and Streamlit's scrolling main element are: wider than the viewport scrolls sideways."""
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.querySelector(\"[data-testid='stMain']\").scrollWidth]"
    )


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not laid out"
    return found


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


# True once the element is laid out inside the viewport, below Streamlit's fixed header.
IN_VIEW = """selector => {
  const box = document.querySelector(selector)?.getBoundingClientRect();
  const header = document.querySelector("[data-testid='stHeader']")?.getBoundingClientRect().bottom || 0;
  return !!box && box.height > 0 && box.top >= header - 1 && box.bottom <= innerHeight + 1;
}"""


def wait_in_view(page: Page, selector: str) -> None:
    """Wait until the element is inside the viewport. Polled with page.evaluate, not wait_for_function: the app's
    Content-Security-Policy forbids the eval that wait_for_function uses."""
    until(page, f"({IN_VIEW})({json.dumps(selector)})", what=f"{selector} in view")


def in_view(page: Page, where: str) -> dict[str, float]:
    """Wait until the confirmation monitor.ui.saved drew for where is inside the viewport (it scrolls itself there);
    returns its box, y within the viewport."""
    selector = f".st-key-saved-{where}"
    expect(page.locator(selector).get_by_test_id("stAlertContentSuccess")).to_be_visible()
    wait_in_view(page, selector)
    found = box(page.locator(selector))
    height = page.viewport_size["height"] if page.viewport_size else 0
    assert found["y"] >= 0 and found["y"] + found["height"] <= height, (where, found)
    return found
