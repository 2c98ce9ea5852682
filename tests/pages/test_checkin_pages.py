"""AppTest for "Talk to someone" and the counsellor's "Check-ins": who may open them, asking to talk, planning it,
the WHO-5 pulse and its switch, and the private notes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from db.models import Role
from monitor.checkins import asking, counselling, wellbeing, who5
from monitor.checkins import notes as checkin_notes
from monitor.config import settings
from monitor.i18n import format_date
from monitor.people import auth
from tests.pages.conftest import World, by_label, texts
from tests.pages.conftest import confirmation as saved_at
from tests.unit.checkin_helpers import KEY_A

TALK = "pages/talk.py"
CHECKINS = "pages/counsellor_home.py"


@pytest.fixture
def people(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setenv("MONITOR_NOTES_KEYS", KEY_A)
    return {
        "coproducer": world.person_in(Role.COPRODUCER),
        "other coproducer": world.person("henk", "Henk Verbeek", Role.COPRODUCER),
        "leader": world.person_in(Role.LEADER),
        "counsellor": world.person_in(Role.COUNSELLOR),
        "admin": world.person_in(Role.ADMIN),
    }


def open_page(world: World, person_id: int, page: str) -> AppTest:
    world.sign_in(person_id)
    at = world.app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def run_alone(world: World, person_id: int, page: str) -> AppTest:
    """The page file run on its own: how someone without it in their menu would reach it by its address."""
    world.sign_in(person_id)
    at = world.app(page).run()
    assert not at.exception, at.exception
    return at


def actor(world: World, person_id: int):  # type: ignore[no-untyped-def]
    return auth.actor_for_person(world.engine, person_id)


@pytest.mark.parametrize(
    ("page", "allowed"),
    [(TALK, {"coproducer", "other coproducer"}), (CHECKINS, {"counsellor"})],
)
def test_each_page_opens_only_for_its_role(world: World, people: dict[str, int], page: str, allowed: set[str]) -> None:
    for role, person_id in people.items():
        at = run_alone(world, person_id, page)
        refused = "You do not have access to this page." in texts(at.error)
        assert refused == (role not in allowed), role


def test_asking_to_talk_takes_one_tap_and_reaches_only_the_counsellor(world: World, people: dict[str, int]) -> None:
    at = open_page(world, people["coproducer"], TALK)
    assert texts(at.title) == ["Talk to someone"]
    [ask] = [b for b in at.button if b.label == "I would like to talk"]
    ask.click().run()
    assert "You asked to talk. The counsellor will contact you soon." in texts(at.info)

    other = open_page(world, people["other coproducer"], TALK)
    assert "You asked to talk. The counsellor will contact you soon." not in texts(other.info)

    counsellor = open_page(world, people["counsellor"], CHECKINS)
    shown = " ".join(texts(counsellor.markdown))
    assert "Fatima Bakkali" in shown and "Asked to talk" in shown


def test_a_coproducer_can_take_back_their_request(world: World, people: dict[str, int]) -> None:
    at = open_page(world, people["coproducer"], TALK)
    by_label(at.button, "I would like to talk").click().run()
    by_label(at.button, "I no longer need to talk").click().run()
    assert not at.exception, at.exception
    assert "You asked to talk. The counsellor will contact you soon." not in texts(at.info)
    assert [b.label for b in at.button if b.label == "I would like to talk"] == ["I would like to talk"]
    assert counselling.queue(world.engine, actor(world, people["counsellor"])) == []


def test_the_plan_form_proposes_tomorrow_at_ten(world: World, people: dict[str, int], pinned_now: datetime) -> None:
    asking.request_talk(world.engine, settings(), actor(world, people["coproducer"]))
    at = open_page(world, people["counsellor"], CHECKINS)
    assert by_label(at.date_input, "Date").value == pinned_now.astimezone(settings().tz).date() + timedelta(days=1)
    assert by_label(at.time_input, "Time").value == datetime(2026, 1, 1, 10, 0).time()


def test_the_counsellor_plans_it_and_the_coproducer_sees_the_time(
    world: World, people: dict[str, int], pinned_now: datetime
) -> None:
    asking.request_talk(world.engine, settings(), actor(world, people["coproducer"]))
    at = open_page(world, people["counsellor"], CHECKINS)
    tomorrow = pinned_now.astimezone(settings().tz).date() + timedelta(days=1)
    by_label(at.date_input, "Date").set_value(tomorrow)
    by_label(at.time_input, "Time").set_value(datetime(2026, 1, 1, 14, 30).time())
    by_label(at.text_input, "Place or phone number (optional)").set_value("de buurtkamer")
    [plan] = [b for b in at.button if b.label == "Plan the check-in"]
    plan.click().run()
    assert not at.exception, at.exception
    assert counselling.queue(world.engine, actor(world, people["counsellor"])) == []
    [confirmation] = texts(at.success)
    assert saved_at(at, "checkin") == (None, [confirmation])  # at the top, scrolled into view; no toast
    assert not at.toast
    day = format_date(tomorrow, "en", "EEEE d MMMM")
    assert confirmation.startswith(f"Planned: {day} 14:30 with ") and ", at de buurtkamer." in confirmation
    assert "You find it in the Week tab" in confirmation
    assert any(text.startswith("**14:30**") and "de buurtkamer" in text for text in texts(at.markdown))  # Week tab

    mine = open_page(world, people["coproducer"], TALK)
    [success] = texts(mine.success)
    assert success.startswith("Your check-in with Samira El Idrissi:") and "14:30" in success
    assert [b.label for b in mine.get("download_button")] == ["Add to my calendar"]


def test_the_who5_pulse_scores_and_the_switch_shares(world: World, people: dict[str, int]) -> None:
    at = open_page(world, people["coproducer"], TALK)
    assert not at.radio  # the answers are large buttons, one statement at a time
    by_label(at.button, "Answer the five questions").click().run()
    for number, answer in enumerate(
        [
            "Most of the time",
            "At no time",
            "More than half of the time",
            "All of the time",
            "More than half of the time",
        ],
        start=1,
    ):
        assert f"Question {number} of 5" in texts(at.caption)
        labels = [b.label for b in at.button]
        assert all(label in labels for _value, label in who5.SCALE)
        by_label(at.button, answer).click().run()
    by_label(at.button, "Previous question").click().run()  # back to the fifth to change it
    assert "Question 5 of 5" in texts(at.caption)
    by_label(at.button, "Less than half of the time").click().run()
    by_label(at.button, "Save my answers").click().run()
    assert not at.exception, at.exception
    assert saved_at(at, "who5") == (None, ["Thank you. Your score: 56 of 100."])  # (4 + 0 + 3 + 5 + 2) * 4
    assert not [b for b in at.button if b.label == "Answer the five questions"]  # answered: not due again
    me = actor(world, people["coproducer"])
    assert [s.score for s in wellbeing.my_scores(world.engine, me)] == [56]

    at.toggle[0].set_value(True).run()
    assert wellbeing.sharing(world.engine, me)
    counsellor = open_page(world, people["counsellor"], CHECKINS)
    assert all("56" not in caption for caption in texts(counsellor.caption))  # no open check-in: no row to show


def test_notes_are_written_and_opened_on_the_week_tab(
    world: World, people: dict[str, int], pinned_now: datetime
) -> None:
    checkin_id = asking.request_talk(world.engine, settings(), actor(world, people["coproducer"]))
    counsellor = actor(world, people["counsellor"])
    soon = pinned_now + timedelta(minutes=30)
    counselling.schedule(world.engine, settings(), counsellor, checkin_id, soon, 30, "phone")
    at = open_page(world, people["counsellor"], CHECKINS)
    by_label(at.text_area, "New note").input("Zorgen om de buurvrouw")
    [save] = [b for b in at.button if b.label == "Save note"]
    save.click().run()
    assert "Note saved." in texts(at.success)
    [opener] = [b for b in at.button if b.label == "Open my notes (1)"]
    opener.click().run()
    assert "Zorgen om de buurvrouw" in [t.value for t in at.text]
    assert [n.text for n in checkin_notes.open_notes(world.engine, counsellor, checkin_id)] == [
        "Zorgen om de buurvrouw"
    ]
