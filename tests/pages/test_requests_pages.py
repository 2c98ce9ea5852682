"""The coproducer's pages: log a request with three choices and Save, see it in My week, correct or delete it."""

from __future__ import annotations

from datetime import datetime, timedelta
from time import monotonic, sleep
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import reading
from db.models import HelpRequest, RequestChange, Role
from monitor.config import settings
from monitor.people import auth
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.pages.conftest import World, by_label, confirmation, texts


@pytest.fixture
def fatima(world: World) -> int:
    person_id = world.person_in(Role.COPRODUCER)
    world.sign_in(person_id)
    return person_id


def live_requests(world: World) -> list[HelpRequest]:
    with reading(world.engine) as session:
        return list(session.scalars(select(HelpRequest).where(HelpRequest.deleted_at.is_(None))).all())


def open_page(world: World, page: str) -> AppTest:
    at = world.app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_log_page_is_the_coproducers_first_page(world: World, fatima: int) -> None:
    at = world.app().run()
    assert not at.exception, at.exception
    assert texts(at.title) == ["Log a request"]
    assert world.last_menu()[:3] == ["Log a request", "My week", "My requests"]


def test_three_choices_and_save_log_a_request_and_empty_the_form(world: World, fatima: int) -> None:
    at = open_page(world, "pages/log_request.py")
    by_label(at.pills, "How were you approached?").set_value("door").run()
    by_label(at.pills, "What was it about?").set_value(["money", "housing"]).run()
    by_label(at.pills, "How long did it take?").set_value(30).run()
    by_label(at.button, "Save").click().run()
    assert not at.exception, at.exception

    saved = live_requests(world)
    assert [(r.person_id, r.channel, r.minutes, r.source) for r in saved] == [(fatima, "door", 30, "app")]
    assert any(s.startswith("Saved: at my door, money and debts, housing, 30 min") for s in texts(at.success))
    assert by_label(at.pills, "How were you approached?").value is None  # the form is empty again
    assert by_label(at.pills, "What was it about?").value == []
    assert by_label(at.button, "Undo")


def test_saving_the_same_request_again_at_once_asks_first(world: World, fatima: int) -> None:
    at = open_page(world, "pages/log_request.py")
    for _round in range(2):
        by_label(at.pills, "How were you approached?").set_value("door").run()
        by_label(at.pills, "What was it about?").set_value(["money"]).run()
        by_label(at.pills, "How long did it take?").set_value(15).run()
        by_label(at.button, "Save").click().run()
    assert not at.exception, at.exception
    assert len(live_requests(world)) == 1  # not saved twice without asking
    assert "You saved this a moment ago. Save it again?" in [m.value for m in at.markdown]

    by_label(at.button, "Yes, save it again").click().run()
    assert not at.exception, at.exception
    assert len(live_requests(world)) == 2


def test_undo_takes_the_request_back(world: World, fatima: int) -> None:
    at = open_page(world, "pages/log_request.py")
    by_label(at.pills, "How were you approached?").set_value("phone")
    by_label(at.pills, "What was it about?").set_value(["children"])
    by_label(at.pills, "How long did it take?").set_value(5)
    by_label(at.button, "Save").click().run()
    by_label(at.button, "Undo").click().run()
    assert not at.exception, at.exception
    assert live_requests(world) == []
    assert "The request was taken back." in texts(at.info)
    with reading(world.engine) as session:
        assert session.scalars(select(RequestChange.action).order_by(RequestChange.id)).all() == ["create", "undo"]


def test_save_without_choices_says_what_is_missing_and_saves_nothing(world: World, fatima: int) -> None:
    at = open_page(world, "pages/log_request.py")
    by_label(at.pills, "How were you approached?").set_value("street").run()
    by_label(at.button, "Save").click().run()
    assert texts(at.error) == ["Choose what it was about.", "Choose how long it took."]  # all at once
    assert live_requests(world) == []


def test_every_missing_choice_is_named_beside_its_field_until_it_is_chosen(world: World, fatima: int) -> None:
    at = open_page(world, "pages/log_request.py")
    by_label(at.button, "Save").click().run()
    fields = ["How were you approached?", "What was it about?", "How long did it take?"]
    messages = ["Choose how you were approached.", "Choose what it was about.", "Choose how long it took."]
    assert texts(at.error) == messages
    order = [e.label if e.type == "button_group" else e.value for e in at.main if e.type in ("button_group", "error")]
    for field, message in zip(fields, messages, strict=True):
        assert order[order.index(field) + 1] == message  # right below its field
    by_label(at.pills, "How were you approached?").set_value("street").run()
    assert texts(at.error) == messages[1:]  # chosen: its message is gone, the others stay
    assert live_requests(world) == []


def test_an_exact_number_of_minutes_and_details_are_saved(world: World, fatima: int) -> None:
    at = open_page(world, "pages/log_request.py")
    by_label(at.pills, "How were you approached?").set_value("centre")
    by_label(at.pills, "What was it about?").set_value(["violence"])
    by_label(at.pills, "How long did it take?").set_value("exact").run()
    by_label(at.number_input, "Minutes").set_value(75)
    by_label(at.pills, "Who was it for?").set_value("group")
    by_label(at.toggle, "This was beyond my role").set_value(True)
    by_label(at.pills, "I referred them to").set_value("police")
    by_label(at.text_area, "Short note").set_value("Fight on the square")
    by_label(at.button, "Save").click().run()
    assert not at.exception, at.exception
    [row] = live_requests(world)
    assert (row.minutes, row.level, row.beyond_role, row.referred_to, row.note) == (
        75,
        "group",
        True,
        "police",
        "Fight on the square",
    )


def test_my_week_shows_the_request_against_the_agreement(moment: datetime, world: World, fatima: int) -> None:
    cfg = settings()
    data = RequestInput(minutes=90, channel="street", topics=("money",), received_at=moment)
    requests.log_request(world.engine, cfg, requests_actor(world, fatima), fatima, data)
    at = open_page(world, "pages/my_week.py")
    assert texts(at.title) == ["My week"]
    assert any("you helped once, for 1.5 hours" in text for text in texts(at.markdown))
    assert len(at.get("plotly_chart")) == 3


def test_my_week_over_the_agreement_says_so_in_one_box_and_the_bar_turns_red(
    world: World, fatima: int, time_machine: time_machine.TimeMachineFixture
) -> None:
    # A Wednesday afternoon: the five requests of the morning fall in this week at any hour the test runs.
    wednesday = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    time_machine.move_to(wednesday, tick=True)
    cfg = settings()
    actor = requests_actor(world, fatima)
    for hours_ago in (1, 2, 3, 4, 5):  # 5 x 2 hours, 8 agreed
        when = wednesday - timedelta(hours=hours_ago)
        requests.log_request(world.engine, cfg, actor, fatima, RequestInput(120, "door", ("money",), received_at=when))
    at = open_page(world, "pages/my_week.py")
    assert texts(at.markdown)[0].startswith("This week you helped 5 times, for 10 hours.")
    assert len(at.warning) == 1 and not at.info
    assert "say no" in at.warning[0].value
    bars = [
        element.proto.body for element in at.get("html") if element.proto.body.startswith('<div class="monitor-bar')
    ]
    assert len(bars) == 2 and "monitor-bar over" in bars[0]


def test_my_week_without_requests_says_so(world: World, fatima: int) -> None:
    at = open_page(world, "pages/my_week.py")
    assert texts(at.markdown)[0] == "You have not logged any requests this week yet. You agreed to 8 hours a week."
    assert "No requests in the last 8 weeks." in texts(at.markdown)


def test_my_requests_lists_own_entries_and_deletes_after_confirmation(
    world: World, fatima: int, pinned_now: datetime
) -> None:
    cfg = settings()
    actor = requests_actor(world, fatima)
    when = pinned_now - timedelta(hours=1)
    requests.log_request(world.engine, cfg, actor, fatima, RequestInput(15, "door", ("housing",), received_at=when))
    at = open_page(world, "pages/my_requests.py")
    assert any("Housing" in text for text in texts(at.markdown))
    by_label(at.button, "Delete").click().run()
    assert live_requests(world) != []  # nothing happens before the confirmation
    by_label(at.button, "Yes, delete").click().run()
    assert not at.exception, at.exception
    assert live_requests(world) == []
    assert "The request was deleted." in texts(at.success)


def test_the_pages_refuse_a_leader(world: World) -> None:
    world.sign_in(world.person_in(Role.LEADER))
    for page in ("pages/log_request.py", "pages/my_week.py", "pages/my_requests.py"):
        at = world.app(page).run()
        assert texts(at.error) == ["You do not have access to this page."]
        assert not at.button


def requests_actor(world: World, person_id: int):  # type: ignore[no-untyped-def]
    from monitor.people.auth import actor_for_person

    actor = actor_for_person(world.engine, person_id)
    assert actor is not None
    return actor


def test_a_correction_changes_the_entry_and_is_judged_again(world: World, fatima: int, pinned_now: datetime) -> None:
    cfg = settings()
    actor = requests_actor(world, fatima)
    when = pinned_now - timedelta(hours=1)
    requests.log_request(world.engine, cfg, actor, fatima, RequestInput(15, "door", ("housing",), received_at=when))
    at = open_page(world, "pages/my_requests.py")
    by_label(at.button, "Correct").click().run()
    by_label(at.pills, "How long did it take?").set_value(60)
    by_label(at.pills, "What was it about?").set_value(["housing", "money"])
    by_label(at.button, "Save the correction").click().run()
    assert not at.exception, at.exception
    [row] = live_requests(world)
    assert row.minutes == 60
    assert confirmation(at, f"request-{row.id}") == (None, ["The request was corrected."])  # in the entry itself
    with reading(world.engine) as session:
        assert session.scalars(select(RequestChange.action).order_by(RequestChange.id)).all() == ["create", "correct"]


def test_logging_a_request_judges_the_burden_rules_within_seconds(
    world: World, fatima: int, time_machine: time_machine.TimeMachineFixture
) -> None:
    from db.models import Alert

    # A Wednesday afternoon: all three requests fall inside the default agreed hours, so only beyond_role fires.
    wednesday = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    time_machine.move_to(wednesday, tick=True)
    cfg = settings()
    actor = requests_actor(world, fatima)
    for hours_ago in (3, 2):  # two requests beyond her role; the third, from the page, makes the rule fire
        when = wednesday - timedelta(hours=hours_ago)
        requests.log_request(
            world.engine, cfg, actor, fatima, RequestInput(15, "door", ("money",), received_at=when, beyond_role=True)
        )
    at = open_page(world, "pages/log_request.py")
    by_label(at.pills, "How were you approached?").set_value("door")
    by_label(at.pills, "What was it about?").set_value(["money"])
    by_label(at.pills, "How long did it take?").set_value(15)
    by_label(at.toggle, "This was beyond my role").set_value(True)
    by_label(at.button, "Save").click().run()
    assert not at.exception, at.exception
    # The save returns at once; the page's background worker judges her rules right after (off the save's path).
    rules: list[str] = []
    deadline = monotonic() + 10
    while monotonic() < deadline and rules != ["beyond_role"]:
        sleep(0.05)
        with reading(world.engine) as session:
            rules = list(session.scalars(select(Alert.rule)).all())
    assert rules == ["beyond_role"]


def test_save_after_the_session_ended_saves_nothing(world: World, fatima: int) -> None:
    # Save runs in the button's callback, before home.py checks the session: the callback checks it itself.
    at = open_page(world, "pages/log_request.py")
    by_label(at.pills, "How were you approached?").set_value("door")
    by_label(at.pills, "What was it about?").set_value(["money"])
    by_label(at.pills, "How long did it take?").set_value(15)
    auth.sign_out(world.engine, world.token)
    by_label(at.button, "Save").click().run()
    assert live_requests(world) == []
    assert world.default_gettext()("You are not signed in, or your session has ended.") in texts(at.warning)
