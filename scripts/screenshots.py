"""Sign in as someone and save PNG screenshots of pages at phone and desktop width.

    .venv/bin/python scripts/screenshots.py --base-url http://localhost:8501 --user lotte --page / --page /account
    .venv/bin/python scripts/screenshots.py --demo --user lotte --width 1280 --file docs/screenshot.png

--base-url points at a running monitor; --demo starts one on a fresh demo database (port 8600-8699) and stops it
afterwards. Files are written as OUT/<user>-<page>-<width>.png, or to --file for exactly one page and width.
Needs Chromium at /usr/bin/chromium (scripts/ensure_chromium.sh installs it).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.browser import (  # noqa: E402
    CHROMIUM,
    DEMO_PASSWORD,
    DESKTOP,
    PHONE,
    demo_server,
    launch,
    screenshot,
    sign_in,
    wait_for_app,
)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", help="a running monitor, e.g. http://localhost:8501")
    where.add_argument("--demo", action="store_true", help="start a monitor on a fresh demo database")
    parser.add_argument("--user", required=True, help="username to sign in with, e.g. lotte")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="default: the demo password")
    parser.add_argument("--page", action="append", dest="pages", help="path to capture (repeatable); default /")
    parser.add_argument("--width", action="append", type=int, dest="widths", help="default: 390 and 1280")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "test-artifacts", help="folder for the PNGs")
    parser.add_argument("--file", type=Path, help="write the one screenshot here (one page, one width)")
    parser.add_argument("--locale", default="nl-NL", help="the browser's language (the sign-in form follows it)")
    args = parser.parse_args(argv)
    pages = args.pages or ["/"]
    widths = args.widths or [PHONE["width"], DESKTOP["width"]]
    if args.file and (len(pages) != 1 or len(widths) != 1):
        parser.error("--file takes exactly one --page and one --width")
    if not CHROMIUM.exists():
        parser.error(f"Chromium is not installed at {CHROMIUM}: run scripts/ensure_chromium.sh as root")
    server = demo_server() if args.demo else nullcontext((args.base_url, None))
    with server as (base_url, _log):
        for path in take(base_url, args.user, args.password, pages, widths, args.out, args.file, args.locale):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
