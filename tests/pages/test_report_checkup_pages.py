"""AppTest for the contribution report (leaders and administrators) and the collaboration check-up (coproducers and
leaders), in English and Dutch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from db.models import Role
from monitor.checkup import rounds
from monitor.checkup.statements import ITEMS
from monitor.config import settings
from monitor.i18n import gettext_for
from monitor.people.auth import actor_for_person
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.pages.conftest import World, texts

NOW = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def log_for(world: World, count: int) -> list[int]:
    people = []
    for i in range(count):
        person_id = world.person(f"coproducer{i}", f"Coproducer {i}", Role.COPRODUCER)
        actor = actor_for_person(world.engine, person_id)
        assert actor is not None
        data = RequestInput(minutes=30, channel="door", topics=("housing",), received_at=NOW - timedelta(hours=2 + i))
        requests.log_request(world.engine, settings(), actor, person_id, data)
        people.append(person_id)
    return people


def test_a_leader_sees_the_report_with_charts_and_downloads(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        log_for(world, 5)
        world.sign_in(world.person_in(Role.LEADER))
        at = world.app("pages/contribution_report.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["Contribution report"]
    assert [m.value for m in at.metric][:3] == ["5", "2.5", "5"]
    assert "Quarter 4 2026: requests 5, hours 2.5, coproducers 5." in texts(at.markdown)
    assert len(at.get("plotly_chart")) == 3  # kind of problem, level, channel (nobody was referred)
    assert len(at.get("download_button")) == 2


def test_a_dutch_leader_of_a_small_team_is_told_why_there_is_no_report(world: World) -> None:
    _ = gettext_for("nl")
    with time_machine.travel(NOW, tick=False):
        log_for(world, 4)
        world.sign_in(world.person_in(Role.LEADER, language="nl"))
        at = world.app("pages/contribution_report.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == [_("Contribution report")]
    assert at.info and "5" in at.info[0].value
    assert not at.get("plotly_chart")


def test_a_coproducer_may_not_open_the_report(world: World) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))
    at = world.app("pages/contribution_report.py").run()
    assert texts(at.error) == ["You do not have access to this page."]


def test_a_coproducer_answers_an_open_round_anonymously(world: World) -> None:
    leader = actor_for_person(world.engine, world.person_in(Role.LEADER))
    assert leader is not None
    round_id = rounds.open_round(world.engine, leader, world.team_id)
    world.sign_in(world.person_in(Role.COPRODUCER))
    at = world.app("pages/checkup.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["Collaboration check-up"]
    assert len(at.radio) == 26
    at.button[0].click().run()  # nothing chosen: told which are still open, nothing saved
    assert at.error and "1, 2, 3" in at.error[0].value
    for radio in at.radio:
        radio.set_value(75)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "Thank you! Your answers are saved without your name." in texts(at.success)
    assert not at.radio
    assert rounds.rounds(world.engine, leader, world.team_id)[0].respondents == 1
    assert rounds.results(world.engine, leader, round_id).scores is None


def test_a_dutch_leader_sees_results_with_the_lowest_statements(world: World) -> None:
    _ = gettext_for("nl")
    leader_id = world.person_in(Role.LEADER, language="nl")
    leader = actor_for_person(world.engine, leader_id)
    assert leader is not None
    round_id = rounds.open_round(world.engine, leader, world.team_id)
    for i in range(5):
        person_id = world.person(f"coproducer{i}", f"Coproducer {i}", Role.COPRODUCER)
        actor = actor_for_person(world.engine, person_id)
        assert actor is not None
        rounds.answer(world.engine, actor, round_id, {item: 25 if item == 4 else 75 for item in ITEMS})
    rounds.close_round(world.engine, leader, round_id)
    world.sign_in(leader_id)
    at = world.app("pages/checkup.py").run()
    assert not at.exception, at.exception
    assert texts(at.title) == [_("Collaboration check-up")]
    assert at.metric[0].value == "73"
    assert any("**25** · 4." in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 2
    assert at.get("download_button")


def test_a_leader_opens_a_round_and_makes_partner_links(world: World) -> None:
    world.sign_in(world.person_in(Role.LEADER))
    at = world.app("pages/checkup.py").run()
    [open_button] = [b for b in at.button if b.label == "Open a new round"]
    open_button.click().run()
    assert not at.exception, at.exception
    assert "Round opened on" in " ".join(texts(at.markdown))
    [make] = [b for b in at.button if b.label == "Make links"]
    make.click().run()
    assert not at.exception, at.exception
    links = at.code[0].value.splitlines()
    assert len(links) == 3 and all("/api/checkup/" in link for link in links)


def test_a_counsellor_may_not_open_the_checkup(world: World) -> None:
    world.sign_in(world.person_in(Role.COUNSELLOR))
    at = world.app("pages/checkup.py").run()
    assert texts(at.error) == ["You do not have access to this page."]
