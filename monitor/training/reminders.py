"""Reminders that a training stops being valid: 60 and 14 days before (training.reminder_days), to the coproducer
and to their team's leaders. Each reminder has a unique notification key, so it is sent once however often the job
runs, by however many workers; a training renewed in time (a later confirmed record of it) is not reminded of."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from db.engine import unit_of_work
from db.models import Membership, Person, Role, Training, TrainingRecord
from monitor.config import Settings
from monitor.i18n import Np_
from monitor.messages import notify
from monitor.requests.log import coproducer_team

SELF_MESSAGE = Np_(
    "Your training {training} is valid until {until_date}: {days} day left. Ask your leader about a refresher.",
    "Your training {training} is valid until {until_date}: {days} days left. Ask your leader about a refresher.",
)
LEADER_MESSAGE = Np_(
    "{name}: the training {training} is valid until {until_date} ({days} day left).",
    "{name}: the training {training} is valid until {until_date} ({days} days left).",
)


def threshold(days_left: int, reminder_days: tuple[int, ...]) -> int | None:
    """The reminder due with days_left to go: the smallest of reminder_days at or above it (None: none yet)."""
    due = [d for d in reminder_days if days_left <= d]
    return min(due) if due and days_left >= 0 else None


def send_expiry_reminders(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Notify about confirmed trainings that stop being valid within the longest reminder period. Returns how many
    notifications were added."""
    now = now or datetime.now(UTC)
    today = now.astimezone(settings.tz).date()
    horizon = today + timedelta(days=max(settings.training.reminder_days))
    later = aliased(TrainingRecord)
    renewed = (
        select(later.id)
        .where(
            later.person_id == TrainingRecord.person_id,
            later.training_id == TrainingRecord.training_id,
            later.confirmed_at.is_not(None),
            (later.valid_until.is_(None)) | (later.valid_until > TrainingRecord.valid_until),
        )
        .exists()
    )
    added = 0
    with unit_of_work(engine) as session:
        rows = session.execute(
            select(TrainingRecord, Training.name, Person.display_name)
            .join(Training, Training.id == TrainingRecord.training_id)
            .join(Person, Person.id == TrainingRecord.person_id)
            .where(
                TrainingRecord.confirmed_at.is_not(None),
                TrainingRecord.valid_until >= today,
                TrainingRecord.valid_until <= horizon,
                Person.active.is_(True),
                ~renewed,
            )
        ).all()
        for record, training, name in rows:
            assert record.valid_until is not None
            days_left = (record.valid_until - today).days
            mark = threshold(days_left, settings.training.reminder_days)
            if mark is None:
                continue
            params = {
                "training": training,
                "until_date": record.valid_until.isoformat(),
                "days": days_left,
                "name": name,
            }
            key = f"training-expiry:{record.id}:{mark}"
            added += notify.add(
                session, settings, record.person_id, f"{key}:self", "training", SELF_MESSAGE, params, "my-training"
            )
            team_id = coproducer_team(session, record.person_id)
            leaders = session.scalars(
                select(Membership.person_id).where(Membership.team_id == team_id, Membership.role == Role.LEADER)
            ).all()
            for leader in leaders:
                added += notify.add(
                    session, settings, leader, f"{key}:{leader}", "training", LEADER_MESSAGE, params, "training"
                )
    return added
