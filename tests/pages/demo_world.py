"""The demo team in the AppTest world, at a pinned moment: Monday 7 December 2026, 10:00 in The Hague."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from monitor.config import settings
from monitor.demo import load as demo
from monitor.people import accounts as people
from monitor.people.access import SYSTEM
from tests.pages.conftest import PASSWORD, World

AT = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def load_demo(world: World, clock: time_machine.TimeMachineFixture, language: str) -> dict[str, int]:
    """The demo's people, all reading language, in the world's team; their requests, alerts and money; the clock
    stopped at AT. Returns their ids by username."""
    ids = {}
    for person in demo.DEMO_PEOPLE:
        person_id = people.create_person(
            world.engine, SYSTEM, person.username, person.name, PASSWORD, language, must_change=False
        )
        for role in person.roles:
            people.grant_role(world.engine, SYSTEM, person_id, world.team_id, role)
        ids[person.username] = person_id
    demo.load_demo_requests(world.engine, settings(), now=AT)
    clock.move_to(AT, tick=False)
    return ids
