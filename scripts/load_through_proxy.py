"""A bounded load test of the city set-up: phones sign in through nginx and log requests, and we time the Save.

    .venv/bin/python scripts/load_through_proxy.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Starts what tests/e2e/cluster.py starts (N app processes, nginx with deploy/nginx/monitor.conf; no worker), loads the
demo into the database (it EMPTIES that database first: point it at a database for tests only), adds --phones
coproducers, and lets each of them, in its own phone-sized Chromium context, sign in and log --requests requests
spread over --seconds. Reports errors, requests stored (each must be stored exactly once) and the time from tapping
Save to seeing the confirmation (median, 95th percentile, max). Exit code 1 when a request was lost or doubled, or an
error happened. Only 127.0.0.1 is ever contacted, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from playwright.async_api import Page, async_playwright, expect  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import Base, HelpRequest, Person, Role, Team  # noqa: E402
from monitor.demo.load import DEMO_TEAM  # noqa: E402
from monitor.i18n import gettext_for  # noqa: E402
from monitor.people import accounts  # noqa: E402
from monitor.people.access import SYSTEM  # noqa: E402
from monitor.ui.labels import CHANNEL_LABELS, TOPIC_LABELS  # noqa: E402
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, PHONE_CONTEXT  # noqa: E402
from tests.e2e.cluster import city, load_demo, nginx_available  # noqa: E402

_ = gettext_for("nl")
PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105 - test accounts on a test database
# "Other" asks for more words, so the phones keep to the named ways and kinds of problem.
CHANNELS = tuple(label for code, label in CHANNEL_LABELS.items() if code != "other")
TOPICS = tuple(TOPIC_LABELS.values())
APP = "[data-testid='stApp']"
SETTLED = f"{APP}[data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"


def prepare(database_url: str, phones: int) -> list[str]:
    """An empty database with the demo team and `phones` extra coproducers in it; returns their usernames."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    load_demo(database_url)
    with engine.connect() as connection:
        team_id = connection.execute(select(Team.id).where(Team.name == DEMO_TEAM)).scalar_one()
    names = []
    for number in range(1, phones + 1):
        username = f"telefoon{number:02d}"
        # Test accounts with a known password: no change of password first (as the demo people).
        person_id = accounts.create_person(
            engine, SYSTEM, username, f"Telefoon {number}", PASSWORD, "nl", must_change=False
        )
        accounts.grant_role(engine, SYSTEM, person_id, team_id, Role.COPRODUCER)
        names.append(username)
    engine.dispose()
    assert Base.metadata.tables  # the models are loaded: the tables above exist
    return names


async def settle(page: Page) -> None:
    await page.wait_for_timeout(150)
    await page.locator(SETTLED).wait_for(state="attached", timeout=30_000)


async def one_phone(browser, url: str, username: str, requests: int, seconds: float, timings: list, errors: list):  # type: ignore[no-untyped-def]
    context = await browser.new_context(**PHONE_CONTEXT, ignore_https_errors=True)
    context.set_default_timeout(60_000)
    page = await context.new_page()
    try:
        # People do not all sign in within the same second (a sign-in hashes the password: about a core-second).
        await asyncio.sleep(int(username[-2:]) * 2.0)
        await page.goto(f"{url}/auth/login")
        await page.fill("#username", username)
        await page.fill("#password", PASSWORD)
        async with page.expect_navigation(wait_until="commit"):
            await page.click("button[type=submit]")
        await page.locator(SETTLED).wait_for(state="attached", timeout=180_000)  # the first load parses the app
        start = time.monotonic()
        for number in range(requests):
            # Each request differs from the one before, so none is taken for a double tap.
            channel = CHANNELS[number % len(CHANNELS)]
            topic = TOPICS[(number // len(CHANNELS)) % len(TOPICS)]
            duration = _("{minutes} min").format(minutes=15)
            for choice in (_(channel), _(topic), duration):
                await page.locator("button", has_text=choice).first.click()
                await settle(page)
            chosen = page.get_by_role("radio", name=duration, checked=True)
            await expect(chosen).to_have_count(1)
            tapped = time.monotonic()
            await page.get_by_role("button", name=_("Save")).click()
            # Saved: the form is empty again and Undo is offered (an Undo of the save before does not count).
            await expect(chosen).to_have_count(0, timeout=30_000)
            await page.get_by_role("button", name=_("Undo")).wait_for(state="visible", timeout=30_000)
            timings.append(time.monotonic() - tapped)
            await settle(page)
            pause = start + seconds * (number + 1) / requests - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
    except Exception as error:  # noqa: BLE001 - every failure is counted and reported, the run goes on
        errors.append(f"{username}: {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()


async def run(url: str, usernames: list[str], requests: int, seconds: float) -> tuple[list[float], list[str]]:
    timings: list[float] = []
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        await asyncio.gather(*(one_phone(browser, url, u, requests, seconds, timings, errors) for u in usernames))
        await browser.close()
    return timings, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database for tests only (it is emptied)")
    parser.add_argument("--apps", type=int, default=2, help="app processes behind nginx (default 2)")
    parser.add_argument("--phones", type=int, default=10, help="phones at the same time (default 10)")
    parser.add_argument("--requests", type=int, default=20, help="requests per phone (default 20)")
    parser.add_argument("--seconds", type=float, default=120, help="over how many seconds (default 120)")
    args = parser.parse_args()
    if not CHROMIUM.exists() or not nginx_available():
        print("Needs /usr/bin/chromium and nginx: run `make chromium nginx` first.", file=sys.stderr)
        return 2
    if not args.database_url.startswith("postgresql"):
        print("--database-url must be a PostgreSQL database (several processes share it).", file=sys.stderr)
        return 2
    usernames = prepare(args.database_url, args.phones)
    with city(args.database_url, app_count=args.apps) as cluster:
        began = time.monotonic()
        timings, errors = asyncio.run(run(cluster.url, usernames, args.requests, args.seconds))
        took = time.monotonic() - began
    engine = make_engine(args.database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            select(func.count())
            .select_from(HelpRequest)
            .join(Person, Person.id == HelpRequest.person_id)
            .where(Person.username.in_(usernames))
        ).scalar_one()
    engine.dispose()
    expected = args.phones * args.requests
    print(
        f"{args.phones} phones x {args.requests} requests over {args.seconds:.0f} s, {args.apps} app processes "
        f"behind nginx, PostgreSQL; took {took:.0f} s"
    )
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    print(f"requests stored: {stored} of {expected}")
    if timings:
        print(
            f"Save -> confirmation: median {statistics.median(timings):.2f} s, "
            f"95th percentile {percentile(timings, 0.95):.2f} s, max {max(timings):.2f} s ({len(timings)} saves)"
        )
    return 0 if not errors and stored == expected else 1


if __name__ == "__main__":
    sys.exit(main())
