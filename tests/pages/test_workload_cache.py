"""The pages' workload cache: a save forgets only that person's figures and the history of their team's overview."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from db.models import Role
from monitor.alerts import team_load
from monitor.people import accounts as people
from monitor.people.access import SYSTEM, Actor
from monitor.people.auth import actor_for_person
from monitor.requests import workload
from monitor.ui import workload_cache
from tests.pages.conftest import World

DAY = date(2026, 11, 25)
WEEK = (DAY - timedelta(days=2), DAY + timedelta(days=4), DAY - timedelta(weeks=7))


@pytest.fixture
def reads(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[object]]:
    """How often each person's totals and each team's weekly history were read from the database (not the cache)."""
    counted: Counter[object] = Counter()
    totals, weekly = workload.totals, team_load.weekly

    def counting_totals(engine: object, actor: Actor, person_id: int, *args: object) -> object:
        counted[person_id] += 1
        return totals(engine, actor, person_id, *args)

    def counting_weekly(engine: object, actor: Actor, team_id: int, *args: object) -> object:
        counted[f"team {team_id}"] += 1
        return weekly(engine, actor, team_id, *args)

    monkeypatch.setattr(workload, "totals", counting_totals)
    monkeypatch.setattr(team_load, "weekly", counting_weekly)
    workload_cache.clear()
    yield counted
    workload_cache.clear()


def actor(world: World, person_id: int) -> Actor:
    found = actor_for_person(world.engine, person_id)
    assert found is not None
    return found


def test_a_save_forgets_only_that_persons_figures_and_their_teams_history(world: World, reads: Counter[object]) -> None:
    other_team = people.create_team(world.engine, SYSTEM, "Transvaal")
    fatima = actor(world, world.person_in(Role.COPRODUCER))
    henk = actor(world, world.person("henk", "Henk Verbeek", Role.COPRODUCER))
    lotte = actor(world, world.person_in(Role.LEADER))
    people.grant_role(world.engine, SYSTEM, lotte.person_id, other_team, Role.LEADER)
    lotte = actor(world, lotte.person_id)

    def look() -> None:
        """My week for Fatima and Henk, and Lotte's overview of both her teams, as the pages ask for them."""
        for person in (fatima, henk):
            workload_cache.load(person, person.person_id, *WEEK)
        for team_id in (world.team_id, other_team):
            workload_cache.team_history(lotte, team_id, WEEK[2], DAY)

    look()
    look()
    # My week reads a person's totals twice: this week (hours) and the last 7 days (outside hours, nights).
    first = {fatima.person_id: 2, henk.person_id: 2, f"team {world.team_id}": 1, f"team {other_team}": 1}
    assert reads == first  # the second look came from the cache

    workload_cache.changed(fatima.person_id, fatima.teams_with(Role.COPRODUCER))  # what Log a request does
    look()
    assert reads == {**first, fatima.person_id: 4, f"team {world.team_id}": 2}
