"""The scheduled side of check-ins: prompts for "no check-in for weeks" and for follow-up dates, and the reminders
sent to both people the day before a check-in.

Each reminder is claimed with one conditional UPDATE of checkins.reminder_sent_for (from "not reminded of this time"
to the time) in the transaction that creates the two notifications, so two workers never both send it, and a
check-in that is moved gets a reminder for its new time. The scheduler runs run() every 15 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Checkin, CheckinStatus, Membership, Person, Role
from monitor.checkins import counselling, opening
from monitor.config import Settings
from monitor.i18n import N_, format_datetime
from monitor.messages import notify


@dataclass
class RuleRun:
    no_checkin: list[int]
    follow_up: list[int]
    reminders: list[int]


def _due_no_checkin(session: Session, settings: Settings, now: datetime) -> list[tuple[int, int, int]]:
    """(person, team, whole weeks since their last check-in or joining) of active coproducers without an open
    check-in and none closed for no_checkin_weeks."""
    cutoff = now - timedelta(weeks=settings.checkins.no_checkin_weeks)
    last_closed = (
        select(Checkin.person_id, func.max(Checkin.closed_at).label("last"))
        .where(Checkin.status.in_(opening.OUTCOMES))
        .group_by(Checkin.person_id)
        .subquery()
    )
    has_open = select(Checkin.id).where(Checkin.person_id == Membership.person_id, Checkin.status.in_(opening.OPEN))
    since = func.coalesce(last_closed.c.last, Person.created_at, type_=Person.created_at.type)
    rows = session.execute(
        select(Membership.person_id, func.min(Membership.team_id), func.min(since))
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(last_closed, last_closed.c.person_id == Membership.person_id)
        .where(
            Membership.role == Role.COPRODUCER,
            Person.active.is_(True),
            ~has_open.exists(),
            since <= cutoff,
        )
        .group_by(Membership.person_id)
        .order_by(Membership.person_id)
    ).all()
    return [(person_id, team_id, _weeks_since(last, now)) for person_id, team_id, last in rows]


def _weeks_since(moment: datetime | str, now: datetime) -> int:
    """Whole weeks from moment to now (SQLite may hand an aggregate back as text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (now - moment).days // 7


def prompt_no_checkin(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Open a check-in for everyone who had none for checkins.no_checkin_weeks (counted from joining); the message
    says how many weeks it has really been, not the setting."""
    with unit_of_work(engine) as session:
        due = _due_no_checkin(session, settings, now)
        prompts = [
            opening.Prompt(person_id, team_id, "no_checkin", {"weeks": weeks}) for person_id, team_id, weeks in due
        ]
        result = opening.open_checkins(session, settings, prompts, now)  # a few statements for the whole city
    return [result[person_id][0] for person_id, _, _ in due if result.get(person_id, (0, False))[1]]


def prompt_follow_ups(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Open (or add to) a check-in for each follow-up date that has come; each follow-up prompts once."""
    today = now.astimezone(settings.tz).date()
    prompted = []
    with unit_of_work(engine) as session:
        due = session.scalars(
            select(Checkin)
            .where(Checkin.follow_up_on <= today, Checkin.follow_up_prompted_at.is_(None))
            .order_by(Checkin.follow_up_on, Checkin.id)
            .with_for_update()
        ).all()
        for row in due:
            assert row.follow_up_on is not None
            params = {"day": row.follow_up_on.isoformat()}
            checkin_id, _created = opening.open_checkin(
                session, settings, row.person_id, row.team_id, "follow_up", params, now
            )
            row.follow_up_prompted_at = now
            prompted.append(checkin_id)
    return prompted


def _reminder_candidates(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    local = now.astimezone(settings.tz)
    if local.hour < settings.checkins.reminder_hour:
        return []
    tomorrow = local.date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=settings.tz).astimezone(UTC)
    end = start + timedelta(days=1)
    with reading(engine) as session:
        return list(
            session.scalars(
                select(Checkin.id).where(
                    Checkin.status == CheckinStatus.SCHEDULED,
                    Checkin.scheduled_at >= start,
                    Checkin.scheduled_at < end,
                    or_(Checkin.reminder_sent_for.is_(None), Checkin.reminder_sent_for != Checkin.scheduled_at),
                )
            ).all()
        )


def send_reminders(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Remind both people of tomorrow's check-ins (from checkins.reminder_hour); each time claimed once."""
    sent = []
    for checkin_id in _reminder_candidates(engine, settings, now):
        with unit_of_work(engine) as session:
            claimed = session.execute(
                update(Checkin)
                .where(
                    Checkin.id == checkin_id,
                    Checkin.status == CheckinStatus.SCHEDULED,
                    or_(Checkin.reminder_sent_for.is_(None), Checkin.reminder_sent_for != Checkin.scheduled_at),
                )
                .values(reminder_sent_for=Checkin.scheduled_at)
                .returning(Checkin.id)  # rowcount is unreliable across drivers; a returned row means this worker won
            ).first()
            if claimed is None:
                continue  # another worker reminded, or it was moved or closed meanwhile
            _remind(session, settings, checkin_id, now)
            sent.append(checkin_id)
    return sent


def _remind(session: Session, settings: Settings, checkin_id: int, now: datetime) -> None:
    row = session.get(Checkin, checkin_id)
    assert row is not None and row.scheduled_at is not None
    coproducer = session.get(Person, row.person_id)
    counsellor = session.get(Person, row.counsellor_id) if row.counsellor_id else None
    stamp = row.scheduled_at.isoformat()
    if coproducer is not None:
        params = {
            "name": counsellor.display_name if counsellor else "?",
            "when": format_datetime(row.scheduled_at, coproducer.language, settings.tz, counselling.WHEN_FORMAT),
        }
        message = N_("Reminder: tomorrow you have a check-in with {name}: {when}.")
        key = f"checkin:{row.id}:reminder:{stamp}:{coproducer.id}"
        notify.add(session, settings, coproducer.id, key, "checkin", message, params, "talk", now=now)
    if counsellor is not None and coproducer is not None:
        params = {
            "name": coproducer.display_name,
            "when": format_datetime(row.scheduled_at, counsellor.language, settings.tz, counselling.WHEN_FORMAT),
        }
        message = N_("Reminder: tomorrow you have a check-in with {name}: {when}.")
        key = f"checkin:{row.id}:reminder:{stamp}:{counsellor.id}"
        notify.add(session, settings, counsellor.id, key, "checkin", message, params, "check-ins", now=now)


def run(engine: Engine, settings: Settings, now: datetime | None = None) -> RuleRun:
    """The scheduler's check-in job: the two prompt rules, then the reminders."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return RuleRun(
        no_checkin=prompt_no_checkin(engine, settings, now),
        follow_up=prompt_follow_ups(engine, settings, now),
        reminders=send_reminders(engine, settings, now),
    )
