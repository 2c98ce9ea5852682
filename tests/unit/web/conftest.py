"""The app's settings, the person who signs in and the test client that the monitor.web.routes tests use."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from db.models import Role
from monitor.config import AuthSettings, Settings
from monitor.people import accounts as people
from monitor.people.access import SYSTEM
from tests.unit.web.route_helpers import PASSWORD, build_app


@pytest.fixture
def app_settings(settings: Settings, auth_settings: AuthSettings) -> Settings:
    return dataclasses.replace(settings, auth=auth_settings)


@pytest.fixture
def person_id(engine: Engine) -> int:
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    person_id = people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD, "en")
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.COPRODUCER)
    return person_id


@pytest.fixture
def client(app_settings: Settings, engine: Engine, person_id: int) -> Iterator[TestClient]:
    with TestClient(build_app(app_settings, engine), follow_redirects=False) as test_client:
        yield test_client
