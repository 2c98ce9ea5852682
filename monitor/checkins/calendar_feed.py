"""Check-ins in a calendar: one .ics file per check-in, and each counsellor's private, revocable iCal feed.

The feed's address holds a random secret; only its SHA-256 is stored, so a database dump opens no feed. A new
address revokes the old one. Events say who and when (the coproducer's first name only) and never why.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import Engine, select, update

from db.engine import reading, unit_of_work
from db.models import CalendarFeed, Checkin, CheckinStatus, Membership, Person, Role
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_, gettext_for
from monitor.people.access import Actor

FEED_PATH = "/api/calendar/{token}.ics"
FEED_DAYS_BACK = 30
MODE_LABELS = {"in_person": N_("In person"), "phone": N_("By phone"), "video": N_("By video")}
PRODID = "-//Coproducer monitor//check-ins//EN"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(row: Checkin, summary: str, language: str, now: datetime) -> Event:
    _ = gettext_for(language)
    assert row.scheduled_at is not None
    event = Event()
    event.add("uid", f"checkin-{row.id}@coproducer-monitor")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", row.scheduled_at.astimezone(UTC))
    event.add("dtend", row.scheduled_at.astimezone(UTC) + timedelta(minutes=row.minutes or 45))
    event.add("summary", summary)
    where = _(MODE_LABELS.get(row.mode or "", row.mode or ""))
    event.add("location", f"{where}: {row.place}" if row.place else where)
    event.add("status", "CONFIRMED")
    return event


def checkin_ics(engine: Engine, actor: Actor, checkin_id: int, now: datetime | None = None) -> bytes:
    """One planned check-in as an .ics file, for its coproducer or a counsellor of their team."""
    now = now or datetime.now(UTC)
    with reading(engine) as session:
        row = session.get(Checkin, checkin_id)
        if row is None:
            raise NotFound(N_("This check-in does not exist."))
        own = actor.person_id == row.person_id and not actor.is_system
        if not own and (actor.is_system or not actor.has_role(Role.COUNSELLOR, row.team_id)):
            raise PermissionDenied(N_("Only the coproducer and their counsellor can add this check-in to a calendar."))
        if row.status != CheckinStatus.SCHEDULED or row.scheduled_at is None:
            raise ValidationError(N_("This check-in has no planned time."))
        _ = gettext_for(actor.language)
        if own:
            counsellor = session.get(Person, row.counsellor_id) if row.counsellor_id else None
            summary = _("Check-in with {name}").format(name=counsellor.display_name if counsellor else "?")
        else:
            person = session.get(Person, row.person_id)
            summary = _("Check-in with {name}").format(name=_first_name(person))
        cal = _calendar(_("Check-ins"))
        cal.add_component(_event(row, summary, actor.language, now))
    return cal.to_ical()


def _first_name(person: Person | None) -> str:
    return person.display_name.split()[0] if person and person.display_name.strip() else "?"


def _counsellor(actor: Actor) -> int:
    if actor.person_id is None or actor.is_system or not actor.has_role(Role.COUNSELLOR):
        raise PermissionDenied(N_("Only a counsellor has a calendar feed of check-ins."))
    return actor.person_id


def new_feed(engine: Engine, actor: Actor, now: datetime | None = None) -> str:
    """Make a new secret feed address for the counsellor (revoking any earlier one); returns the token, once."""
    person_id = _counsellor(actor)
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    with unit_of_work(engine) as session:
        session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        session.add(CalendarFeed(person_id=person_id, token_hash=token_hash(token), created_at=now))
    return token


def revoke_feed(engine: Engine, actor: Actor, now: datetime | None = None) -> bool:
    """Stop the counsellor's feed address from working; True when there was one."""
    person_id = _counsellor(actor)
    with unit_of_work(engine) as session:
        result = session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
            .values(revoked_at=now or datetime.now(UTC))
        )
    return bool(result.rowcount)


def has_feed(engine: Engine, actor: Actor) -> bool:
    person_id = _counsellor(actor)
    with reading(engine) as session:
        return (
            session.scalar(
                select(CalendarFeed.id).where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
            )
            is not None
        )


def feed_ics(engine: Engine, settings: Settings, token: str, now: datetime | None = None) -> bytes | None:
    """The feed behind a secret address: the counsellor's planned and recent check-ins; None for an unknown address."""
    now = now or datetime.now(UTC)
    if not token or len(token) > 200:
        return None
    with reading(engine) as session:
        person = session.scalar(
            select(Person)
            .join(CalendarFeed, CalendarFeed.person_id == Person.id)
            .where(CalendarFeed.token_hash == token_hash(token), CalendarFeed.revoked_at.is_(None))
            .where(Person.active.is_(True))
        )
        if person is None:
            return None
        _ = gettext_for(person.language)
        teams = session.scalars(
            select(Membership.team_id).where(Membership.person_id == person.id, Membership.role == Role.COUNSELLOR)
        ).all()
        rows = session.execute(
            select(Checkin, Person)
            .join(Person, Person.id == Checkin.person_id)
            .where(
                Checkin.counsellor_id == person.id,
                Checkin.team_id.in_(list(teams)),
                Checkin.status.in_((CheckinStatus.SCHEDULED, CheckinStatus.DONE)),
                Checkin.scheduled_at >= now - timedelta(days=FEED_DAYS_BACK),
            )
            .order_by(Checkin.scheduled_at)
        ).all()
        cal = _calendar(_("Check-ins"))
        for row, coproducer in rows:
            summary = _("Check-in with {name}").format(name=_first_name(coproducer))
            cal.add_component(_event(row, summary, person.language, now))
    return cal.to_ical()
