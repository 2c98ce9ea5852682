"""Each scheduled job's last success, kept in job_runs (period "last-success"), for the health check.

A job that has not succeeded for twice its interval is stale: the health check then answers 503, so that an operator
(or a monitoring service) notices a worker that runs but fails, not only one that has stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.engine import reading, unit_of_work
from db.models import JobRun

LAST_SUCCESS = "last-success"

# The jobs and how often they run; the scheduler and the health check both read this.
INTERVALS: dict[str, timedelta] = {
    "evaluate": timedelta(minutes=15),  # the rules, then the leaders' daily summary of the same beat
    "send_email": timedelta(minutes=1),
    "checkins": timedelta(minutes=15),
    "training_reminders": timedelta(minutes=60),
    "backup": timedelta(minutes=60),  # looks hourly whether tonight's copy is due (operations.backup.nightly)
    "security_purge": timedelta(days=1),  # sign-in attempts and the security log past their keep days
    "tax_limits_reminder": timedelta(minutes=60),  # in November, once: add next year's tax-free limits
    "retention": timedelta(minutes=60),  # works once per local day (monitor/privacy/retention.py)
    "ledger_check": timedelta(minutes=60),  # the money records' hash chains, once per local day (money/integrity.py)
}


@dataclass(frozen=True)
class JobState:
    job: str
    last_success: datetime | None
    stale: bool


def record_success(engine: Engine, job: str, worker: str, now: datetime | None = None) -> None:
    """Note that job succeeded at now (one row per job, updated in place)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with unit_of_work(engine) as session:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(
            insert(JobRun)
            .values(job=job, period=LAST_SUCCESS, claimed_by=worker, started_at=now, finished_at=now)
            .on_conflict_do_nothing(index_elements=["job", "period"])
        )
        session.execute(
            update(JobRun)
            .where(JobRun.job == job, JobRun.period == LAST_SUCCESS)
            .values(claimed_by=worker, finished_at=now)
        )


def states(engine: Engine, started_at: datetime, now: datetime | None = None) -> list[JobState]:
    """Every job's last success; stale when it is older than twice the interval (counted from started_at at most,
    so that a freshly started installation is not stale before its jobs had a chance to run)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with reading(engine) as session:
        rows = dict(session.execute(select(JobRun.job, JobRun.finished_at).where(JobRun.period == LAST_SUCCESS)).all())
    result = []
    for job, interval in INTERVALS.items():
        last = rows.get(job)
        since = max(last, started_at) if last is not None else started_at
        result.append(JobState(job, last, now - since > 2 * interval))
    return result
