"""The scheduled jobs (evaluate the rules, send e-mails, make the digest) on APScheduler 3, in the app or a worker;
also the check-in prompts and reminders (monitor.checkins.rules).

The jobs are defined here in code and keep no APScheduler job store: their state is in our tables (alerts, the
notifications' e-mail status, job_runs), so a restarted worker simply runs them again and catches up, and two
workers cannot send the same thing twice.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from db.engine import engine_for
from monitor.alerts import digest, rejudge
from monitor.alerts import lifecycle as alerts
from monitor.checkins import rules as checkin_rules
from monitor.config import Settings, settings
from monitor.messages import mailer
from monitor.training import reminders as training_reminders

log = logging.getLogger(__name__)

EVALUATE_MINUTES = 15
MAIL_MINUTES = 1
DIGEST_MINUTES = 15
CHECKIN_MINUTES = 15
TRAINING_MINUTES = 60
REJUDGE_SECONDS = 5  # people whose requests changed are judged within seconds, off the save's path
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 5 * 60}


def worker_name() -> str:
    """Names this process in claims (email_claimed_by, job_runs.claimed_by)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def enabled_in_app(cfg: Settings, env: Mapping[str, str] | None = None) -> bool:
    """Whether the app runs the scheduler itself: [scheduler] run_in_app, unless MONITOR_SCHEDULER=off."""
    env = os.environ if env is None else env
    return cfg.scheduler_in_app and env.get("MONITOR_SCHEDULER", "").strip().lower() != "off"


def _logged(name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            result = job()
            log.debug("job %s: %s", name, result)
        except Exception:
            log.exception("job %s failed; it runs again at its next time", name)

    return run


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

    scheduler = BackgroundScheduler(timezone=cfg.tz, job_defaults=dict(JOB_DEFAULTS))
    now = datetime.now(cfg.tz)
    jobs: tuple[tuple[str, int, Callable[[], object]], ...] = (
        ("evaluate", EVALUATE_MINUTES, lambda: alerts.evaluate(engine(), cfg)),
        ("send_email", MAIL_MINUTES, lambda: mailer.send_pending(engine(), cfg, worker)),
        ("digest", DIGEST_MINUTES, lambda: digest.run_digest(engine(), cfg, worker)),
        ("checkins", CHECKIN_MINUTES, lambda: checkin_rules.run(engine(), cfg)),
        ("training_reminders", TRAINING_MINUTES, lambda: training_reminders.send_expiry_reminders(engine(), cfg)),
    )
    for job_id, minutes, job in jobs:
        scheduler.add_job(
            _logged(job_id, job), IntervalTrigger(minutes=minutes), id=job_id, name=job_id, next_run_time=now
        )
    scheduler.add_job(
        _logged("rejudge", lambda: rejudge.drain(engine(), cfg)),
        IntervalTrigger(seconds=REJUDGE_SECONDS),
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
