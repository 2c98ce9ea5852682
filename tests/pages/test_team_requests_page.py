"""Team requests, for project leaders: each coproducer's entries and the export; refused to coproducers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from db.models import Role
from monitor.config import settings
from monitor.people.auth import actor_for_person
from monitor.requests import exporting
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


def test_the_export_count_is_counted_and_the_rows_are_read_only_on_download(
    world: World, pinned_now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    fatima = world.person_in(Role.COPRODUCER)
    actor = actor_for_person(world.engine, fatima)
    assert actor is not None
    for hours in (2, 3, 4):
        data = RequestInput(
            minutes=15, channel="door", topics=("money",), received_at=pinned_now - timedelta(hours=hours)
        )
        requests.log_request(world.engine, settings(), actor, fatima, data)
    exports: list[tuple[object, ...]] = []
    real_export = exporting.export_rows
    monkeypatch.setattr(exporting, "export_rows", lambda *args: exports.append(args) or real_export(*args))
    downloads: list[Callable[[], bytes]] = []  # what the download button will call when the leader clicks it
    real_deferred = MediaFileManager.add_deferred

    def add_deferred(manager: MediaFileManager, make: Callable[[], bytes], *args: Any, **kwargs: Any) -> str:
        downloads.append(make)
        return real_deferred(manager, make, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    world.sign_in(world.person_in(Role.LEADER))

    at = world.app().run()
    at.switch_page("pages/team_requests.py").run()
    at.run()
    assert not at.exception, at.exception
    assert "3 requests in this period." in texts(at.markdown)
    assert exports == []  # three reruns, no export read

    at.segmented_control[0].set_value("csv").run()
    content = downloads[-1]()
    assert len(exports) == 1
    assert content.decode("utf-8-sig").count("fatima") == 3
