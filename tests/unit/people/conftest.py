"""The team and the people in it that the monitor.people.accounts tests act as."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.models import Role
from monitor.people import accounts as people
from monitor.people.access import SYSTEM, Actor
from tests.unit.people.accounts_helpers import actor, member


@pytest.fixture
def team(engine: Engine) -> int:
    return people.create_team(engine, SYSTEM, "Moerwijk")


@pytest.fixture
def admin(engine: Engine, team: int) -> Actor:
    return actor(engine, member(engine, "beheer", Role.ADMIN))


@pytest.fixture
def leader(engine: Engine, team: int) -> Actor:
    return actor(engine, member(engine, "lotte", Role.LEADER))


@pytest.fixture
def coproducer(engine: Engine, team: int) -> Actor:
    return actor(engine, member(engine, "fatima", Role.COPRODUCER))
