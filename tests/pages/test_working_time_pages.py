"""The Working Hours Act's rules on the pages (issue 30): the leader sees each alert in plain words on Alerts, the
coproducer her own text in My week, and the leader records a month of birth under Agreements."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import reading
from db.models import Alert, Person, Role
from monitor.alerts import evaluation as alerts
from monitor.config import settings
from monitor.people import age
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.pages.conftest import World, by_label, texts

RULES = ("short_rest", "long_average", "minor_at_night")
LEADER_SEES = {
    "Short rest between two days": "1 night with less than 11 hours of rest in the last 7 days. "
    "The shortest rest was 7:00 hours, after 23 November 2026.",
    "Too many hours for too long": "12.1 hours on 24 November 2026. "
    "That is more than 12 hours, the limit in the Working Hours Act.",
    "Under 18 at night": "1 request between 23:00 and 06:00 in the last 7 days, by someone under 18. "
    "The law does not allow this: talk with them today.",
}
SHE_READS = (
    "1 night with less than 11 hours of rest in the last 7 days. "
    "The shortest rest was 7:00 hours, after 23 November 2026.",
    "12.1 hours on 24 November 2026. That is more than 12 hours, the limit in the Working Hours Act.",
    "1 request between 23:00 and 06:00 in the last 7 days. Under 18 you may not help at night. "
    "Say no, and tell your project leader.",
)


@pytest.fixture
def team(world: World, pinned_now: datetime) -> dict[str, int]:
    """Fatima (17) helped on Monday 23 November until midnight and was at a door at 07:00 on Tuesday, for 12.1 hours
    that day; the rules ran on Wednesday afternoon."""
    ids = {"lotte": world.person_in(Role.LEADER), "fatima": world.person_in(Role.COPRODUCER)}
    cfg = settings()
    today = pinned_now.date()
    age.set_birth_month(world.engine, SYSTEM, ids["fatima"], date(2009, 5, 1), today)
    for when, minutes in (("2026-11-23 23:30", 30), ("2026-11-24 07:00", 15), ("2026-11-24 08:00", 711)):
        came = datetime.fromisoformat(when).replace(tzinfo=cfg.tz)
        data = RequestInput(minutes, "door", ("money",), received_at=came)
        requests.log_request(world.engine, cfg, SYSTEM, ids["fatima"], data, now=came + timedelta(minutes=minutes))
    alerts.evaluate(world.engine, cfg, at=pinned_now)
    with reading(world.engine) as session:
        fired = set(session.scalars(select(Alert.rule)))
    assert fired >= set(RULES)
    return ids


def open_page(world: World, page: str) -> AppTest:
    at = world.app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_leader_sees_each_alert_in_plain_words(world: World, team: dict[str, int]) -> None:
    world.sign_in(team["lotte"])
    at = open_page(world, "pages/alerts.py")
    shown = [text.replace("\\", "") for text in texts(at.markdown)]  # Markdown's "7\\:00" reads 7:00
    for title, message in LEADER_SEES.items():
        assert f"- **{title}**: {message}" in shown, title
    assert "**Under 18 at night** :red-badge[Critical] :gray-badge[Open]" in shown


def test_the_coproducer_reads_her_own_text_in_my_week(world: World, team: dict[str, int]) -> None:
    world.sign_in(team["fatima"])
    at = open_page(world, "pages/my_week.py")
    [warning] = [text.replace("\\", "") for text in texts(at.warning)]
    for text in SHE_READS:
        assert text in warning


def test_the_leader_records_a_month_of_birth_under_agreements(world: World, team: dict[str, int]) -> None:
    world.sign_in(team["lotte"])
    at = open_page(world, "pages/agreements.py")
    assert "Fatima Bakkali was born in May 2009: 17 years old." in texts(at.markdown)
    by_label(at.selectbox, "Month of birth").set_value(3)
    by_label(at.number_input, "Year of birth").set_value(2008)
    by_label(at.button, "Save the month of birth").click().run()
    assert not at.exception, at.exception
    assert "The month of birth of Fatima Bakkali was saved." in texts(at.success)
    assert "Fatima Bakkali was born in March 2008: 18 years old." in texts(at.markdown)
    with reading(world.engine) as session:
        assert session.scalar(select(Person.birth_month).where(Person.id == team["fatima"])) == date(2008, 3, 1)
