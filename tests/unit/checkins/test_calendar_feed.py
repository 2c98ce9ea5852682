"""Calendars: the .ics of one check-in and the counsellor's feed, parsed back with icalendar; the feed's route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from monitor.checkins import asking, calendar_feed, counselling
from monitor.config import Settings
from monitor.web.routes import make_routes
from tests.unit.checkin_helpers import T0
from tests.unit.factories import Team, team

WHEN = datetime(2026, 3, 4, 13, 30, tzinfo=UTC)


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


@pytest.fixture
def planned(engine: Engine, settings: Settings, moerwijk: Team) -> int:
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)
    counselling.schedule(engine, settings, moerwijk.counsellor, checkin_id, WHEN, 45, "in_person", "Buurthuis", now=T0)
    return checkin_id


def events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_the_ics_of_a_check_in_parses_back(engine: Engine, moerwijk: Team, planned: int) -> None:
    [event] = events(calendar_feed.checkin_ics(engine, moerwijk.coproducer, planned, now=T0))
    assert event.decoded("dtstart") == WHEN
    assert event.decoded("dtend") == WHEN + timedelta(minutes=45)
    assert str(event["summary"]) == "Gesprek met Samira"
    assert str(event["location"]) == "Persoonlijk: Buurthuis"
    assert str(event["uid"]) == f"checkin-{planned}@coproducer-monitor"

    [counsellors] = events(calendar_feed.checkin_ics(engine, moerwijk.counsellor, planned, now=T0))
    assert str(counsellors["summary"]) == "Gesprek met Fatima"


def test_the_feed_shows_the_counsellors_check_ins_until_revoked(
    engine: Engine, settings: Settings, moerwijk: Team, planned: int
) -> None:
    token = calendar_feed.new_feed(engine, moerwijk.counsellor, now=T0)
    [event] = events(calendar_feed.feed_ics(engine, settings, token, now=T0) or b"")
    assert event.decoded("dtstart") == WHEN and "Fatima" in str(event["summary"])
    assert "Buurthuis" in str(event["location"])

    with engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM calendar_feeds")).scalars().all()
    assert token not in stored and calendar_feed.token_hash(token) in stored

    newer = calendar_feed.new_feed(engine, moerwijk.counsellor, now=T0)
    assert calendar_feed.feed_ics(engine, settings, token, now=T0) is None  # a new address revokes the old one
    assert calendar_feed.revoke_feed(engine, moerwijk.counsellor)
    assert calendar_feed.feed_ics(engine, settings, newer, now=T0) is None
    assert not calendar_feed.has_feed(engine, moerwijk.counsellor)


def test_the_feed_route_serves_text_calendar_and_404s_a_wrong_secret(
    engine: Engine, settings: Settings, moerwijk: Team, pinned_now: datetime
) -> None:
    now = pinned_now.astimezone(UTC)
    checkin_id = asking.request_talk(engine, settings, moerwijk.coproducer, now=now)
    counselling.schedule(
        engine, settings, moerwijk.counsellor, checkin_id, now + timedelta(days=1), 30, "phone", now=now
    )
    token = calendar_feed.new_feed(engine, moerwijk.counsellor)
    app = Starlette(routes=make_routes(lambda: settings, lambda: engine))
    with TestClient(app) as client:
        ok = client.get(f"/api/calendar/{token}.ics")
        wrong = client.get("/api/calendar/not-a-secret.ics")
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/calendar")
    assert len(events(ok.content)) == 1
    assert wrong.status_code == 404 and b"VCALENDAR" not in wrong.content
