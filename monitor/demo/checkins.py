"""Demo check-ins and WHO-5 answers: one requested, one planned for tomorrow, two held (one with a note and a
follow-up date), and the prompts the burden alerts raised; a few WHO-5 scores, shared by one coproducer."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import Checkin, WellbeingAnswer
from monitor.checkins import asking, counselling, opening, wellbeing
from monitor.checkins import notes as checkin_notes
from monitor.checkins.crypto import NotesKeyMissing
from monitor.config import Settings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import Actor


def _actor(engine: Engine, username: str) -> Actor | None:
    person_id = people.person_id_by_username(engine, username)
    return auth.actor_for_person(engine, person_id) if person_id else None


def _local(settings: Settings, day_offset: int, clock: time, now: datetime) -> datetime:
    day = now.astimezone(settings.tz).date() + timedelta(days=day_offset)
    return datetime.combine(day, clock, tzinfo=settings.tz).astimezone(UTC)


def load_demo_checkins(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Add the demo's check-ins and scores unless there are already WHO-5 answers; returns the check-ins added."""
    now = now or datetime.now(UTC)
    with reading(engine) as session:
        if session.scalar(select(func.count()).select_from(WellbeingAnswer)):
            return 0
    samira = _actor(engine, "samira")
    cast = {name: _actor(engine, name) for name in ("henk", "priya", "ahmed")}
    if samira is None or any(actor is None for actor in cast.values()):
        return 0
    henk, priya, ahmed = cast["henk"], cast["priya"], cast["ahmed"]
    assert henk and priya and ahmed
    added = 0

    # Priya: held three weeks ago, with a note and a follow-up; her scores fell, and she shares them.
    for weeks, answers in ((6, (4, 4, 3, 4, 3)), (4, (3, 3, 3, 4, 3))):  # 72, then 64
        wellbeing.submit(engine, settings, priya, answers, now=now - timedelta(weeks=weeks))
    first = _held(engine, settings, samira, priya, now - timedelta(weeks=3), now)
    added += 1
    wellbeing.submit(engine, settings, priya, (3, 3, 2, 3, 2), now=now - timedelta(weeks=2))  # 52: a drop of 12
    wellbeing.set_sharing(engine, priya, True, now=now)
    with suppress(NotesKeyMissing):  # no key configured: the demo runs without a note
        checkin_notes.add_note(
            engine, samira, first, "Veel zorgen om de kinderen van de buren. Afgesproken: minder avonden.", now=now
        )
    # Her low score two weeks ago opened a check-in; Samira plans it for tomorrow.
    with reading(engine) as session:
        priya_open = session.scalar(
            select(Checkin.id).where(Checkin.person_id == priya.person_id, Checkin.status.in_(opening.OPEN))
        )
    if priya_open is not None:
        counselling.schedule(
            engine,
            settings,
            samira,
            priya_open,
            _local(settings, 1, time(10, 0), now),
            45,
            "in_person",
            "Buurthuis Moerwijk",
            now=now,
        )

    # Henk: held five weeks ago (unless a burden alert has just prompted one, which then stays open).
    wellbeing.submit(engine, settings, henk, (4, 4, 4, 3, 4), now=now - timedelta(days=3))
    if not asking.my_checkins(engine, henk):
        _held(engine, settings, samira, henk, now - timedelta(weeks=5), now)
        added += 1

    # Ahmed asked to talk yesterday; his scores are his own.
    wellbeing.submit(engine, settings, ahmed, (4, 4, 4, 4, 3), now=now - timedelta(days=10))
    asking.request_talk(engine, settings, ahmed, now=now - timedelta(days=1))
    return added + 2


def _held(engine: Engine, settings: Settings, counsellor: Actor, who: Actor, at: datetime, now: datetime) -> int:
    assert who.person_id is not None
    checkin_id = asking.request_talk(engine, settings, who, now=at - timedelta(days=2))
    counselling.schedule(engine, settings, counsellor, checkin_id, at, 45, "phone", now=at - timedelta(days=1))
    follow_up = (now + timedelta(weeks=2)).astimezone(settings.tz).date()
    counselling.record_outcome(engine, settings, counsellor, checkin_id, "done", follow_up, now=at + timedelta(hours=1))
    return checkin_id
