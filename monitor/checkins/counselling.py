"""What the confidential counsellor does with check-ins: sees the queue of prompts and requests and the calendar,
plans (or moves) a check-in, and records how it went, with a follow-up date if agreed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Checkin, CheckinStatus, Person, Role
from monitor.checkins import views
from monitor.checkins.opening import OPEN, OUTCOMES, WAITING
from monitor.checkins.views import CheckinView
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_, Np_, format_datetime
from monitor.messages import notify
from monitor.people.access import Actor

MODES = ("in_person", "phone", "video")
MIN_MINUTES, MAX_MINUTES = 10, 240
PLACE_MAX = 200
WHEN_FORMAT = "EEEE d MMMM, HH:mm"


def _counsellor_teams(actor: Actor) -> list[int]:
    teams = sorted(actor.teams_with(Role.COUNSELLOR))
    if not teams or actor.is_system:
        raise PermissionDenied(N_("Only the confidential counsellor sees check-ins."))
    return teams


def queue(engine: Engine, actor: Actor) -> list[CheckinView]:
    """Prompts and requests waiting to be scheduled, for the actor's teams: most urgent first, then oldest first."""
    teams = _counsellor_teams(actor)
    query = (
        select(Checkin)
        .where(Checkin.team_id.in_(teams), Checkin.status.in_(WAITING))
        .order_by(Checkin.urgency.desc(), Checkin.created_at, Checkin.id)
    )
    with reading(engine) as session:
        return views.read(session, query)


def calendar(engine: Engine, actor: Actor, start: datetime, end: datetime) -> list[CheckinView]:
    """The scheduled and held check-ins of the actor's teams from start up to end, in time order."""
    teams = _counsellor_teams(actor)
    query = (
        select(Checkin)
        .where(
            Checkin.team_id.in_(teams),
            Checkin.status.in_((CheckinStatus.SCHEDULED, CheckinStatus.DONE, CheckinStatus.NO_SHOW)),
            Checkin.scheduled_at >= start,
            Checkin.scheduled_at < end,
        )
        .order_by(Checkin.scheduled_at, Checkin.id)
    )
    with reading(engine) as session:
        return views.read(session, query)


def checkin(engine: Engine, actor: Actor, checkin_id: int) -> CheckinView:
    """One check-in for a counsellor of its team."""
    with reading(engine) as session:
        counsellors_checkin(session, actor, checkin_id)
        return views.read(session, select(Checkin).where(Checkin.id == checkin_id))[0]


def counsellors_checkin(session: Session, actor: Actor, checkin_id: int, lock: bool = False) -> Checkin:
    """The check-in, if the actor is a counsellor of its team (locked for a change when lock)."""
    query = select(Checkin).where(Checkin.id == checkin_id)
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise NotFound(N_("This check-in does not exist."))
    if actor.is_system or not actor.has_role(Role.COUNSELLOR, row.team_id):
        raise PermissionDenied(N_("Only the confidential counsellor of this team can see this check-in."))
    return row


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("This person does not exist."))
    return person


def schedule(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    checkin_id: int,
    when: datetime,
    minutes: int,
    mode: str,
    place: str = "",
    now: datetime | None = None,
) -> None:
    """Plan (or move) a check-in; the coproducer is told the time in their inbox, and gets a reminder the day before."""
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValidationError(N_("Choose a date and a time."))
    if when < now - timedelta(minutes=5):
        raise ValidationError(N_("Choose a time that has not passed yet."))
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(
            Np_("A check-in takes {low} to {high} minute.", "A check-in takes {low} to {high} minutes."),
            low=MIN_MINUTES,
            high=MAX_MINUTES,
        )
    if mode not in MODES:
        raise ValidationError(N_("Choose how you will talk: in person, by phone or by video."))
    place = (place or "").strip()
    if len(place) > PLACE_MAX:
        raise ValidationError(N_("Keep the place to {max} characters."), max=PLACE_MAX)
    with unit_of_work(engine) as session:
        row = counsellors_checkin(session, actor, checkin_id, lock=True)
        if row.status not in OPEN:
            raise ValidationError(N_("This check-in is closed; it cannot be planned again."))
        moved = row.status == CheckinStatus.SCHEDULED
        row.status = CheckinStatus.SCHEDULED
        row.counsellor_id = actor.person_id
        row.scheduled_at = when.astimezone(UTC)
        row.minutes = minutes
        row.mode = mode
        row.place = place or None
        coproducer = _person(session, row.person_id)
        message = (
            N_("Your check-in with {counsellor} has moved to {when}.")
            if moved
            else N_("Your check-in with {counsellor} is planned: {when}.")
        )
        params = {
            "counsellor": actor.display_name,
            "when": format_datetime(when, coproducer.language, settings.tz, WHEN_FORMAT),
        }
        key = f"checkin:{row.id}:planned:{row.scheduled_at.isoformat()}"
        notify.add(session, settings, row.person_id, key, "checkin", message, params, "talk", now=now)


def record_outcome(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    checkin_id: int,
    outcome: str,
    follow_up_on: date | None = None,
    now: datetime | None = None,
) -> None:
    """Close a check-in: done or no-show (after it was planned), or cancelled; a follow-up date may be set."""
    now = now or datetime.now(UTC)
    if outcome not in OUTCOMES:
        raise ValidationError(N_("Choose what happened: held, cancelled or did not come."))
    today = now.astimezone(settings.tz).date()
    if follow_up_on is not None and follow_up_on <= today:
        raise ValidationError(N_("Choose a follow-up date after today."))
    with unit_of_work(engine) as session:
        row = counsellors_checkin(session, actor, checkin_id, lock=True)
        if row.status not in OPEN:
            raise ValidationError(N_("This check-in is already closed."))
        if outcome != CheckinStatus.CANCELLED and row.status != CheckinStatus.SCHEDULED:
            raise ValidationError(N_("Plan the check-in first; then you can record how it went."))
        was_scheduled = row.status == CheckinStatus.SCHEDULED
        row.status = outcome
        row.closed_at = now
        row.follow_up_on = follow_up_on
        if row.counsellor_id is None:
            row.counsellor_id = actor.person_id
        if outcome == CheckinStatus.CANCELLED and was_scheduled and row.scheduled_at and row.scheduled_at > now:
            coproducer = _person(session, row.person_id)
            params = {
                "counsellor": actor.display_name,
                "when": format_datetime(row.scheduled_at, coproducer.language, settings.tz, WHEN_FORMAT),
            }
            message = N_("Your check-in with {counsellor} on {when} is cancelled. You can always ask to talk again.")
            notify.add(
                session, settings, row.person_id, f"checkin:{row.id}:cancelled", "checkin", message, params, "talk"
            )
