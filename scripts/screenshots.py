"""Sign in as someone and save PNG screenshots of pages at phone and desktop width.

    .venv/bin/python scripts/screenshots.py --base-url http://localhost:8501 --user lotte --page / --page /account
    .venv/bin/python scripts/screenshots.py --demo --user lotte --width 1280 --file docs/screenshot.png
    .venv/bin/python scripts/screenshots.py --demo --readme

--base-url points at a running monitor; --demo starts one on a fresh demo database (port 8600-8699) and stops it
afterwards. Files are written as OUT/<user>-<page>-<width>.png, or to --file for exactly one page and width.
--readme retakes the README's pictures: docs/screenshot.png (the leader's team at 1280 x 800 beside a coproducer's
phone just after Save and at a WHO-5 statement, 390 x 844, Android Chrome), docs/phone-week-alerts.png (a
coproducer's My week beside the leader's Alerts, both on a phone) and docs/report-checkup.png (the contribution report
on a phone beside the check-up results on a desktop).
Needs Chromium at /usr/bin/chromium (scripts/ensure_chromium.sh installs it).
"""

from __future__ import annotations

import argparse
import base64
import sys
from contextlib import nullcontext
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests.e2e.browser import (  # noqa: E402
    CHROMIUM,
    DEMO_PASSWORD,
    DESKTOP,
    DESKTOP_CONTEXT,
    PHONE,
    PHONE_CONTEXT,
    demo_server,
    launch,
    screenshot,
    sign_in,
    wait_for_app,
)

README_PICTURE = PROJECT_ROOT / "docs" / "screenshot.png"
REPORT_PICTURE = PROJECT_ROOT / "docs" / "report-checkup.png"
PHONES_PICTURE = PROJECT_ROOT / "docs" / "phone-week-alerts.png"
# The Dutch words the README picture taps (monitor/locale/nl): a request at the door about money, 15 minutes.
TAPS = ("Aan mijn deur", "Geld en schulden", "15 min")
SAVE, WHO5_START, RESULTS_TAB = "Opslaan", "Beantwoord de vijf vragen", "Uitslag"


def slug(page: str) -> str:
    return page.strip("/").replace("/", "-") or "home"


def viewport(width: int) -> dict[str, int]:
    return {"width": width, "height": PHONE["height"] if width < 700 else DESKTOP["height"]}


def take(
    base_url: str,
    user: str,
    password: str,
    pages: list[str],
    widths: list[int],
    out: Path,
    file: Path | None = None,
    locale: str = "nl-NL",
) -> list[Path]:
    """Sign in as user at base_url, then screenshot each page at each width; returns the files written."""
    written = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport=viewport(widths[0]), locale=locale)
            page = context.new_page()
            sign_in(page, base_url, user, password)
            if "/auth/login" in page.url:
                raise SystemExit(f"Signing in as {user} did not work: still on {page.url}")
            for path in pages:
                page.goto(base_url.rstrip("/") + "/" + path.lstrip("/"))
                wait_for_app(page)
                for width in widths:
                    target = file or out / f"{user}-{slug(path)}-{width}.png"
                    written.append(screenshot(page, target, viewport(width)))
        finally:
            browser.close()
    return written


def side_by_side(browser: Browser, parts: list[Path], target: Path) -> Path:
    """The PNGs in one row on a grey board, composed by the browser itself (no image library needed)."""
    board = browser.new_page(viewport={"width": 400, "height": 400})
    # data: URLs, since a page made with set_content may not load file: URLs
    images = "".join(f'<img src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">' for p in parts)
    board.set_content(
        '<body style="margin:0"><div id="board" style="display:inline-flex;gap:20px;padding:20px;'
        f'background:#e8eae8;align-items:flex-start">{images}</div></body>'
    )
    board.wait_for_load_state("load")
    target.parent.mkdir(parents=True, exist_ok=True)
    board.locator("#board").screenshot(path=str(target))
    board.close()
    return target


def readme_pictures(base_url: str, out: Path) -> list[Path]:
    """The README's pictures: the leader's team on a desktop beside a coproducer's phone after Save and at the first
    WHO-5 statement; the contribution report on a phone beside the check-up results on a desktop."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            leader = browser.new_context(**DESKTOP_CONTEXT).new_page()
            sign_in(leader, base_url, "lotte")
            parts = [screenshot(leader, out / "readme-team-1280.png", DESKTOP, full_page=False)]
            phone = browser.new_context(**PHONE_CONTEXT).new_page()
            sign_in(phone, base_url, "marieke")
            for label in TAPS:
                phone.locator("button", has_text=label).first.click()
                wait_for_app(phone)
            phone.get_by_role("button", name=SAVE).click()
            wait_for_app(phone)
            parts.append(screenshot(phone, out / "readme-saved-390.png", PHONE, full_page=False))
            phone.goto(base_url.rstrip("/") + "/talk")
            wait_for_app(phone)
            phone.get_by_role("button", name=WHO5_START).click()
            wait_for_app(phone)
            parts.append(screenshot(phone, out / "readme-who5-390.png", PHONE, full_page=False))
            written = [side_by_side(browser, parts, README_PICTURE)]

            phone.goto(base_url.rstrip("/") + "/my-week")
            wait_for_app(phone)
            parts = [screenshot(phone, out / "readme-my-week-390.png", PHONE, full_page=False)]
            leaders_phone = browser.new_context(**PHONE_CONTEXT).new_page()
            sign_in(leaders_phone, base_url, "lotte")
            leaders_phone.goto(base_url.rstrip("/") + "/alerts")
            wait_for_app(leaders_phone)
            parts.append(screenshot(leaders_phone, out / "readme-alerts-390.png", PHONE, full_page=False))
            written.append(side_by_side(browser, parts, PHONES_PICTURE))

            leaders_phone.goto(base_url.rstrip("/") + "/contribution")
            wait_for_app(leaders_phone)
            parts = [screenshot(leaders_phone, out / "readme-contribution-390.png", PHONE, full_page=False)]
            leader.goto(base_url.rstrip("/") + "/check-up")
            wait_for_app(leader)
            leader.get_by_role("tab", name=RESULTS_TAB).click()
            wait_for_app(leader)
            parts.append(screenshot(leader, out / "readme-checkup-1280.png", DESKTOP, full_page=False))
            written.append(side_by_side(browser, parts, REPORT_PICTURE))
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", help="a running monitor, e.g. http://localhost:8501")
    where.add_argument("--demo", action="store_true", help="start a monitor on a fresh demo database")
    parser.add_argument("--user", help="username to sign in with, e.g. lotte")
    parser.add_argument("--readme", action="store_true", help="retake the README's pictures in docs/")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="default: the demo password")
    parser.add_argument("--page", action="append", dest="pages", help="path to capture (repeatable); default /")
    parser.add_argument("--width", action="append", type=int, dest="widths", help="default: 390 and 1280")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "test-artifacts", help="folder for the PNGs")
    parser.add_argument("--file", type=Path, help="write the one screenshot here (one page, one width)")
    parser.add_argument("--locale", default="nl-NL", help="the browser's language (the sign-in form follows it)")
    args = parser.parse_args(argv)
    pages = args.pages or ["/"]
    widths = args.widths or [PHONE["width"], DESKTOP["width"]]
    if not args.readme and not args.user:
        parser.error("--user is needed (or --readme)")
    if args.file and (len(pages) != 1 or len(widths) != 1):
        parser.error("--file takes exactly one --page and one --width")
    if not CHROMIUM.exists():
        parser.error(f"Chromium is not installed at {CHROMIUM}: run scripts/ensure_chromium.sh as root")
    server = demo_server() if args.demo else nullcontext((args.base_url, None))
    with server as (base_url, _log):
        if args.readme:
            for path in readme_pictures(base_url, args.out):
                print(path)
            return 0
        for path in take(base_url, args.user, args.password, pages, widths, args.out, args.file, args.locale):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
