"""Team requests, for project leaders: each coproducer's entries and the export; refused to coproducers."""

from __future__ import annotations

from datetime import datetime, timedelta

from db.models import Role
from monitor.config import settings
from monitor.people.auth import actor_for_person
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.pages.conftest import World, by_label, texts


def test_a_leader_sees_a_coproducers_entries_and_can_download_them(world: World, pinned_now: datetime) -> None:
    fatima = world.person_in(Role.COPRODUCER)
    actor = actor_for_person(world.engine, fatima)
    assert actor is not None
    when = pinned_now - timedelta(hours=2)
    data = RequestInput(minutes=45, channel="door", topics=("housing",), received_at=when, beyond_role=True)
    requests.log_request(world.engine, settings(), actor, fatima, data)
    world.sign_in(world.person_in(Role.LEADER))

    at = world.app().run()
    at.switch_page("pages/team_requests.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["Team requests"]
    assert by_label(at.selectbox, "Coproducer").value.display_name == "Fatima Bakkali"
    [table] = at.dataframe
    assert list(table.value["Minutes"]) == [45]
    assert list(table.value["About"]) == ["Housing"]
    [cards] = [e.proto.body for e in at.get("html") if e.proto.body.startswith('<ul class="monitor-cards"')]
    assert 'aria-label="Requests of Fatima Bakkali"' in cards and " · 45 min</p>" in cards
    assert "<dt>About</dt><dd>Housing</dd>" in cards and "<dt>Beyond role</dt><dd>✓</dd>" in cards
    assert "1 request in this period." in texts(at.markdown)


def test_a_coproducer_is_refused(world: World) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))
    at = world.app("pages/team_requests.py").run()
    assert texts(at.error) == ["You do not have access to this page."]
    assert not at.dataframe
