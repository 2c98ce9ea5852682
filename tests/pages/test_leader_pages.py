"""The project leader's pages: the team overview, the alerts (acknowledge, resolve, snooze) and the agreements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import reading
from db.models import Alert, AlertStatus, DemarcationVersion, Role, Snooze
from monitor.alerts import evaluation
from monitor.config import settings
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.pages.conftest import World, by_label, confirmation, texts

ALERT_PAGES = ("pages/leader_home.py", "pages/alerts.py", "pages/agreements.py")


@pytest.fixture
def team(world: World, pinned_now: datetime) -> dict[str, int]:
    """Lotte leads the team; Fatima worked 9 hours this week (over her 8; 8 a week before), Henk one; rules ran."""
    ids = {
        "lotte": world.person_in(Role.LEADER),
        "fatima": world.person_in(Role.COPRODUCER),
        "henk": world.person("henk", "Henk Verbeek", Role.COPRODUCER),
    }
    cfg = settings()
    now = pinned_now.astimezone(UTC)
    for days in (8, 15, 22, 29):  # a steady 8 hours a week before, so that the load is not "rising fast"
        then = now - timedelta(days=days)
        requests.log_request(world.engine, cfg, SYSTEM, ids["fatima"], RequestInput(480, "door", ("money",)), now=then)
    for username, minutes in (("fatima", 540), ("henk", 60)):
        requests.log_request(
            world.engine, cfg, SYSTEM, ids[username], RequestInput(minutes, "door", ("money",)), now=now
        )
    evaluation.evaluate(world.engine, cfg, at=now)
    world.sign_in(ids["lotte"])
    return ids


def open_page(world: World, page: str) -> AppTest:
    at = world.app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def the_alert(world: World, person_id: int) -> Alert:
    with reading(world.engine) as session:
        return session.scalars(select(Alert).where(Alert.person_id == person_id, Alert.rule == "hours_over")).one()


def test_the_overview_shows_each_coproducer_against_their_agreement(world: World, team: dict[str, int]) -> None:
    at = world.app().run()  # My team is the leader's first page
    assert not at.exception, at.exception
    assert texts(at.title) == ["My team"]
    assert world.last_menu()[:3] == ["My team", "Alerts", "Agreements"]
    [table] = at.dataframe
    rows = table.value.to_dict("records")
    assert [(r["Name"], r["Hours this week"], r["Alerts"]) for r in rows] == [
        ("Fatima Bakkali", "⚠ 9 / 8", 1),
        ("Henk Verbeek", "1 / 8", 0),
    ]
    assert len(rows[0]["8 weeks"]) == 8 and rows[0]["8 weeks"][-1] == 9
    # The same on a phone, as cards: the one over her agreement marked.
    [cards] = [e.proto.body for e in at.get("html") if e.proto.body.startswith('<ul class="monitor-cards"')]
    assert '<li class="over"><p class="monitor-card-title">Fatima Bakkali</p>' in cards
    assert "<dt>Hours this week</dt><dd>⚠ 9 / 8</dd>" in cards and "<dt>Alerts</dt><dd>1</dd>" in cards
    assert '<li><p class="monitor-card-title">Henk Verbeek</p>' in cards
    assert "Beyond what they agreed: Fatima Bakkali." in texts(at.warning)
    assert len(at.get("plotly_chart")) == 3


def test_an_alert_is_shown_in_plain_words(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/alerts.py")
    assert "Fatima Bakkali" in texts(at.header)
    assert "- **More hours than agreed**: 9 hours of requests this week, more than the 8 hours agreed." in texts(
        at.markdown
    )
    assert "People who need your attention: 1" in texts(at.markdown)


def test_i_have_talked_with_them_acknowledges_all_their_alerts_with_one_note(
    world: World, team: dict[str, int]
) -> None:
    at = open_page(world, "pages/alerts.py")
    by_label(at.button, "I have talked with them").click().run()
    assert texts(at.error) == ["Write what you did, for example: handed the case to the social worker."]
    by_label(at.text_area, "What did you agree with Fatima Bakkali?").set_value("Fewer evenings from next week.")
    by_label(at.button, "I have talked with them").click().run()
    assert not at.exception, at.exception
    alert = the_alert(world, team["fatima"])
    assert (alert.status, alert.note) == (AlertStatus.ACKNOWLEDGED, "Fewer evenings from next week.")
    done = "Fatima Bakkali: open alerts acknowledged (1), with your note. You find them under Acknowledged."
    assert confirmation(at, "alerts") == (None, [done])  # above the cards, scrolled into view; no toast
    assert not at.toast
    assert "Everyone is seen to." in texts(at.markdown)
    assert not [b for b in at.button if b.label in ("Acknowledge", "I have talked with them")]


def test_acknowledging_with_a_note_records_what_the_leader_did(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/alerts.py")
    by_label(at.button, "Acknowledge").click().run()
    by_label(at.text_area, "What did you do?").set_value("Talked with Fatima; a case went to the social worker.")
    by_label(at.button, "Acknowledge").click().run()
    assert not at.exception, at.exception

    alert = the_alert(world, team["fatima"])
    assert (alert.status, alert.note, alert.acknowledged_by) == (
        AlertStatus.ACKNOWLEDGED,
        "Talked with Fatima; a case went to the social worker.",
        team["lotte"],
    )
    assert "The alert was acknowledged." in texts(at.success)
    by_label(at.button, "History").click().run()
    assert any("Acknowledged · Lotte de Vries: Talked with Fatima" in text for text in texts(at.markdown))


def test_acknowledging_without_a_note_is_refused_and_changes_nothing(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/alerts.py")
    by_label(at.button, "Acknowledge").click().run()
    by_label(at.button, "Acknowledge").click().run()
    assert texts(at.error) == ["Write what you did, for example: handed the case to the social worker."]
    assert the_alert(world, team["fatima"]).status == AlertStatus.OPEN


def test_resolving_closes_the_alert(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/alerts.py")
    by_label(at.button, "Resolve").click().run()
    by_label(at.text_area, "Why is it resolved?").set_value("Her week was planned like this.")
    by_label(at.button, "Resolve").click().run()
    assert not at.exception, at.exception
    alert = the_alert(world, team["fatima"])
    assert (alert.status, alert.resolved_by) == (AlertStatus.RESOLVED, team["lotte"])
    assert "No alerts with these filters." in texts(at.info)


def test_snoozing_silences_the_rule_for_the_person_until_a_date(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/alerts.py")
    by_label(at.button, "Snooze").click().run()
    by_label(at.text_area, "Reason").set_value("Extra hours agreed for the food bank week.")
    by_label(at.button, "Snooze").click().run()
    assert not at.exception, at.exception
    with reading(world.engine) as session:
        [snooze] = session.scalars(select(Snooze)).all()
    today = requests.local_now(settings()).date()
    assert (snooze.person_id, snooze.rule, snooze.until) == (team["fatima"], "hours_over", today + timedelta(days=14))
    assert the_alert(world, team["fatima"]).status == AlertStatus.RESOLVED


def test_the_filters_show_resolved_alerts_and_the_exports_are_offered(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/alerts.py")
    by_label(at.pills, "Status").set_value(["resolved"]).run()
    assert "No alerts with these filters." in texts(at.info)
    assert [button.label for button in at.get("download_button")] == ["Alerts", "Weekly load, 12 weeks"]


def test_a_new_version_of_the_agreement_is_saved(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/agreements.py")
    assert by_label(at.selectbox, "Coproducer").value.display_name == "Fatima Bakkali"
    by_label(at.number_input, "Hours per week").set_value(12.0)
    by_label(at.pills, "Kinds of problem they take on").set_value(["money", "housing"])
    by_label(at.toggle, "Saturday").set_value(True).run()
    by_label(at.button, "Save the new version").click().run()
    assert not at.exception, at.exception

    with reading(world.engine) as session:
        [version] = session.scalars(select(DemarcationVersion)).all()
    assert (version.person_id, version.hours_per_week, version.topics) == (team["fatima"], 12.0, "money,housing")
    assert '"saturday": ["09:00-17:00"]' in version.availability
    assert confirmation(at, "agreement") == (None, ["The agreement with Fatima Bakkali was saved."])
    order = [e.label if e.type == "button" else e.value for e in at.main if e.type in ("button", "success")]
    assert order[order.index("The agreement with Fatima Bakkali was saved.") - 1] == "Save the new version"
    assert any(text.startswith("Hours a week: 12.") for text in texts(at.markdown))


def test_a_bad_value_is_refused_and_nothing_is_saved(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/agreements.py")
    by_label(at.number_input, "Hours per week").set_value(0.0)
    by_label(at.button, "Save the new version").click().run()
    assert texts(at.error) == ["Hours per week must be between 0 and 60."]
    with reading(world.engine) as session:
        assert session.scalars(select(DemarcationVersion)).all() == []


def test_a_window_that_ends_before_it_starts_is_refused(world: World, team: dict[str, int]) -> None:
    at = open_page(world, "pages/agreements.py")
    by_label(at.toggle, "Sunday").set_value(True).run()
    [sunday_to] = [w for w in at.time_input if w.key.endswith("sunday-to")]
    sunday_to.set_value(datetime(2026, 1, 1, 8, 0).time())
    by_label(at.button, "Save the new version").click().run()
    assert texts(at.error) == [
        "Each time window must end after it starts, and the windows of one day must not overlap."
    ]


@pytest.mark.parametrize("role", [Role.COPRODUCER, Role.COUNSELLOR])
def test_the_leader_pages_refuse_others(world: World, role: Role) -> None:
    world.sign_in(world.person_in(role))
    for page in ALERT_PAGES:
        at = world.app(page).run()
        assert texts(at.error) == ["You do not have access to this page."], page
        assert not at.button


def test_the_coproducer_sees_their_own_alert_kindly_on_my_week(world: World, team: dict[str, int]) -> None:
    world.sign_in(team["fatima"])
    at = open_page(world, "pages/my_week.py")
    assert any("9 hours of requests this week" in text for text in texts(at.warning))
    assert world.last_menu()[0] == "Log a request"
