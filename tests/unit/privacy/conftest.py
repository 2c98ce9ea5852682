"""A team of two coproducers with one of every kind of data each, for the export and removal tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.training import records
from tests.unit import factories
from tests.unit.privacy.builders import Filled, fill


@dataclass(frozen=True)
class World:
    team: factories.Team
    fatima: Filled
    henk: Filled


@pytest.fixture
def world(engine: Engine, settings: Settings, fast_passwords: object) -> World:
    team = factories.team(engine)
    training_id = records.add_training(engine, team.leader, team.id, "Schulden", "Humanitas", 4, 12, ("money",))
    args = (team.leader, team.counsellor, team.id, training_id)
    return World(
        team,
        fill(engine, settings, team.coproducer, *args),
        fill(engine, settings, team.other_coproducer, *args, paid=False),
    )
