"""Each November the administrators are asked, once, to add next year's tax-free allowance limits to config.toml.

The tax office publishes the new maxima in the autumn; without them the monitor falls back to the latest year's
figures. The month is claimed once through a JobRun row (unique job and period), in the same transaction that
creates the messages, so two workers never both send it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.engine import unit_of_work
from db.models import JobRun
from monitor.config import Settings
from monitor.i18n import N_
from monitor.messages import notify
from monitor.people import accounts

JOB = "tax_limits_reminder"
MONTH = 11
MESSAGE = N_(
    "Please add the tax-free allowance limits for {year} to config.toml, under "
    '[allowances.limits."{year}"], when the tax office has published them.'
)


def due_year(settings: Settings, now: datetime) -> int | None:
    """The year whose figures to ask for at now: next year, in November, when config.toml lacks it."""
    local = now.astimezone(settings.tz)
    year = local.year + 1
    if local.month != MONTH or year in settings.allowances.limits:
        return None
    return year


def claim(session: Session, period: str, worker: str, now: datetime, job: str = JOB) -> bool:
    """Claim job for period (a year, a day) through a JobRun row; False when another run has it already."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = session.execute(
        insert(JobRun)
        .values(job=job, period=period, claimed_by=worker, started_at=now, finished_at=now)
        .on_conflict_do_nothing(index_elements=["job", "period"])
        .returning(JobRun.id)  # a returned row means this insert won the claim
    )
    return result.first() is not None


def run(engine: Engine, settings: Settings, worker: str, now: datetime | None = None) -> int:
    """Tell every active administrator, once per November; returns how many were told."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    year = due_year(settings, now)
    if year is None:
        return 0
    told = 0
    with unit_of_work(engine) as session:
        if not claim(session, str(year), worker, now):
            return 0
        for admin_id in accounts.active_admin_ids(session):
            key = f"{JOB}:{year}:{admin_id}"
            if notify.add(session, settings, admin_id, key, "tax_limits", MESSAGE, {"year": year}, now=now):
                told += 1
    return told
