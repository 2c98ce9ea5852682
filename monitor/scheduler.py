"""The scheduled jobs (evaluate the rules, send e-mails, make the digest) on APScheduler 3, in the app or a worker;
also the check-in prompts and reminders (monitor.checkins.rules).

The jobs are defined here in code and keep no APScheduler job store: their state is in our tables (alerts, the
notifications' e-mail status, job_runs), so a restarted worker simply runs them again and catches up, and two
workers cannot send the same thing twice.

The leaders' daily summary runs inside the evaluation job, right after the evaluation has committed, so that it
sees the alerts opened in the same beat (as a separate job on the same beat it could run first and tell nobody).
A failed job logs one line (the traceback only at debug level) and is tried again after 1, 2, 4 ... minutes, never
later than its next regular run; each success is recorded for the health check (monitor.operations.job_runs).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from db.engine import engine_for
from monitor.alerts import digest, rejudge
from monitor.alerts import evaluation as alerts
from monitor.checkins import rules as checkin_rules
from monitor.config import Settings, settings
from monitor.errors import describe_failure
from monitor.messages import mailer
from monitor.money import integrity, limits_reminder
from monitor.operations import backup, job_runs
from monitor.people import security_log
from monitor.privacy import retention
from monitor.training import reminders as training_reminders

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
REJUDGE_INTERVAL = timedelta(seconds=5)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 5 * 60}


def worker_name() -> str:
    """Names this process in claims (email_claimed_by, job_runs.claimed_by)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def enabled_in_app(cfg: Settings, env: Mapping[str, str] | None = None) -> bool:
    """Whether the app runs the scheduler itself: [scheduler] run_in_app, unless MONITOR_SCHEDULER=off."""
    env = os.environ if env is None else env
    return cfg.scheduler_in_app and env.get("MONITOR_SCHEDULER", "").strip().lower() != "off"


class _Job:
    """One job: runs it, records its success, or logs one line and schedules a retry with backoff."""

    def __init__(
        self,
        name: str,
        job: Callable[[], object],
        interval: timedelta,
        record: Callable[[], None] | None = None,
        scheduler: BackgroundScheduler | None = None,
    ) -> None:
        self.name, self.job, self.interval, self.record, self.scheduler = name, job, interval, record, scheduler
        self.failures = 0

    def retry_delay(self) -> timedelta:
        """1, 2, 4 ... minutes after the failures so far, never beyond the regular interval."""
        return min(FIRST_RETRY * 2 ** max(self.failures - 1, 0), self.interval)

    def __call__(self) -> bool:
        try:
            result = self.job()
            if self.record is not None:
                self.record()
        except Exception as error:  # noqa: BLE001 - a failing job must not stop the scheduler
            self.failures += 1
            delay = self.retry_delay()
            log.error(
                "job %s failed: %s; trying again in %d min", self.name, describe_failure(error), delay.seconds // 60
            )
            log.debug("job %s failed", self.name, exc_info=True)
            if self.scheduler is not None and self.scheduler.running:
                if delay < self.interval:
                    self.scheduler.add_job(
                        self,
                        DateTrigger(datetime.now(UTC) + delay),
                        id=f"{self.name}-retry",
                        name=f"{self.name} (retry)",
                        replace_existing=True,
                    )
                elif self.scheduler.get_job(f"{self.name}-retry") is not None:
                    self.scheduler.remove_job(f"{self.name}-retry")  # the regular run is as soon
            return False
        self.failures = 0
        log.debug("job %s: %s", self.name, result)
        return True


def _logged(name: str, job: Callable[[], object]) -> Callable[[], bool]:
    return _Job(name, job, timedelta(minutes=15))


def purge_security_records(engine: Engine, cfg: Settings) -> int:
    """Delete sign-in attempts after [auth] attempts_keep_days and the security log after [audit] keep_days."""
    return security_log.purge(engine, cfg.auth.attempts_keep_days, cfg.audit_keep_days)


def _evaluate_then_digest(engine: Engine, cfg: Settings, worker: str) -> tuple[object, int]:
    evaluation = alerts.evaluate(engine, cfg)  # committed before the digest reads the open alerts
    return evaluation, digest.run_digest(engine, cfg, worker)


def build(
    settings_of: Callable[[], Settings] = settings,
    engine_of: Callable[[Settings], Engine] | None = None,
    worker: str | None = None,
) -> BackgroundScheduler:
    """A scheduler (not started) with the jobs; each first runs right after start, to catch up."""
    cfg = settings_of()
    worker = worker or worker_name()

    def engine() -> Engine:
        return engine_of(cfg) if engine_of else engine_for(cfg.database_url)

    # APScheduler would log "executed successfully" for a job we caught failing; our own lines say how each went.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    scheduler = BackgroundScheduler(timezone=cfg.tz, job_defaults=dict(JOB_DEFAULTS))
    now = datetime.now(cfg.tz)
    jobs: dict[str, Callable[[], object]] = {
        "evaluate": lambda: _evaluate_then_digest(engine(), cfg, worker),
        "send_email": lambda: mailer.send_pending(engine(), cfg, worker),
        "checkins": lambda: checkin_rules.run(engine(), cfg),
        "training_reminders": lambda: training_reminders.send_expiry_reminders(engine(), cfg),
        "backup": lambda: backup.nightly(cfg, engine()),
        "security_purge": lambda: purge_security_records(engine(), cfg),
        "tax_limits_reminder": lambda: limits_reminder.run(engine(), cfg, worker),
        # Looks every hour; the job_runs claim makes it work once per local day (monitor/privacy/retention.py).
        "retention": lambda: retention.run(engine(), cfg, worker),
        # Walks the money records' hash chains and notes their heads in the security log, once per local day.
        "ledger_check": lambda: integrity.daily(engine(), cfg, worker),
    }
    for job_id, job in jobs.items():
        interval = job_runs.INTERVALS[job_id]

        def record(job_id: str = job_id) -> None:
            job_runs.record_success(engine(), job_id, worker)

        runner = _Job(job_id, job, interval, record, scheduler)
        scheduler.add_job(
            runner, IntervalTrigger(seconds=interval.total_seconds()), id=job_id, name=job_id, next_run_time=now
        )
    # People whose requests changed are judged within seconds, off the save's path. Not in the health check's list:
    # it runs every few seconds, and the evaluate job every 15 minutes judges everyone anyway.
    scheduler.add_job(
        _Job("rejudge", lambda: rejudge.drain(engine(), cfg), REJUDGE_INTERVAL, None, scheduler),
        IntervalTrigger(seconds=REJUDGE_INTERVAL.total_seconds()),
        id="rejudge",
        name="rejudge",
        next_run_time=now,
    )
    return scheduler


def start_in_app(cfg: Settings) -> BackgroundScheduler | None:
    """Start the scheduler inside the app process, unless a separate worker runs (see enabled_in_app)."""
    if not enabled_in_app(cfg):
        log.info("the scheduler does not run in the app: [scheduler] run_in_app = false or MONITOR_SCHEDULER=off")
        return None
    scheduler = build(lambda: cfg)
    scheduler.start()
    log.info("the scheduler runs in the app process")
    return scheduler


def run_worker(cfg: Settings, worker: str | None = None, stop: threading.Event | None = None) -> None:
    """Run the jobs in the foreground until SIGTERM or SIGINT (or stop is set), then shut down cleanly."""
    stop = stop or threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s; stopping after the running jobs", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler = build(lambda: cfg, worker=worker)
    scheduler.start()
    try:
        while not stop.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
