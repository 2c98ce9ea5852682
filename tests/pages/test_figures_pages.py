"""Issue 28: My week's notice and bar, and My team, show one figure over one named window, for the demo team at a
pinned moment (Monday 7 December 2026: the calendar week is a day old, the last 7 days reach back a week)."""

from __future__ import annotations

import re

import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from db.models import Role
from monitor.alerts import team_load
from monitor.config import settings
from monitor.people import auth
from monitor.requests import windows, workload
from tests.pages.conftest import World, texts
from tests.pages.demo_world import AT, load_demo


@pytest.fixture
def demo_team(world: World, time_machine: time_machine.TimeMachineFixture) -> dict[str, int]:
    """The demo's people (in English, to compare with the msgids) in the world's team, their requests and alerts."""
    return load_demo(world, time_machine, "en")


def open_page(world: World, person_id: int, page: str) -> AppTest:
    world.sign_in(person_id)
    at = world.app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_my_week_names_one_window_for_the_notice_and_the_bar(world: World, demo_team: dict[str, int]) -> None:
    fatima = demo_team["fatima"]
    me = auth.actor_for_person(world.engine, fatima)
    assert me is not None
    recent = workload.totals(world.engine, me, fatima, *windows.last_7_days(AT.date()))
    at = open_page(world, fatima, "pages/my_week.py")

    [warning] = texts(at.warning)
    notice = re.search(r"(\d+) requests outside your hours in the last 7 days", warning)
    assert notice, warning
    bar = [t for t in texts(at.markdown) if t.startswith("Outside your hours in the last 7 days:")]
    assert bar == [f"Outside your hours in the last 7 days: {recent.outside_requests} of at most 3"]
    assert int(notice.group(1)) == recent.outside_requests
    assert any(t.startswith("Hours this week: ") for t in texts(at.markdown))


def test_my_team_counts_what_the_rules_and_the_digest_count(world: World, demo_team: dict[str, int]) -> None:
    lotte = demo_team["lotte"]
    leader = auth.actor_for_person(world.engine, lotte)
    assert leader is not None and leader.has_role(Role.LEADER, world.team_id)
    members = team_load.overview(world.engine, settings(), leader, world.team_id, AT.date())
    at = open_page(world, lotte, "pages/leader_home.py")

    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open alerts"] == str(sum(m.open_alerts for m in members))
    table = at.dataframe[0].value
    assert "Outside hours, 7 days" in table.columns and "Hours this week" in table.columns
    fatima = table[table["Name"] == "Fatima Bakkali"].iloc[0]
    assert fatima["Outside hours, 7 days"].split()[-3] == str(
        next(m.outside_7_days for m in members if m.username == "fatima")
    )


def test_the_alerts_page_shows_wellbeing_first_and_administration_in_its_own_section(
    world: World, demo_team: dict[str, int]
) -> None:
    at = open_page(world, demo_team["lotte"], "pages/alerts.py")

    headers = texts(at.header)
    section = headers.index("Administration: allowances")
    wellbeing, administration = headers[:section], headers[section + 1 :]
    # Daan (17, at night) and Fatima (13 of 8 hours, nights) first, whatever the tax matters; Ahmed's allowance
    # over the tax-free rate comes after everyone's wellbeing, in a card of its own.
    assert wellbeing[:2] == ["Daan Visser", "Fatima Bakkali"], headers
    assert administration[: administration.index("Export")] == ["Ahmed Yilmaz", "Fatima Bakkali", "Priya Ramdin"]
