"""monitor.alerts.digest and monitor.scheduler: the leaders' digest is made once a day across workers and caught up
when a worker starts late; the scheduler has its jobs; `monitor worker` stops cleanly on SIGTERM."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, create_engine, select

from db.engine import make_engine, reading, unit_of_work
from db.models import Alert, JobRun, Notification
from monitor import scheduler
from monitor.alerts import digest
from monitor.config import PROJECT_ROOT, Settings
from monitor.i18n import gettext_for
from monitor.messages import inbox
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit import factories

pytestmark = pytest.mark.usefixtures("fast_passwords")

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 3, 2)


def local(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def open_alert(engine: Engine, person_id: int, team_id: int, rule: str, status: str = "open") -> None:
    at = local(7)
    with unit_of_work(engine) as session:
        session.add(
            Alert(
                rule=rule,
                person_id=person_id,
                team_id=team_id,
                window_start=MONDAY,
                severity="warning",
                status=status,
                value=10,
                threshold=8,
                first_seen_at=at,
                last_seen_at=at,
                opened_at=at,
                times_opened=1,
            )
        )


def digests(engine: Engine) -> list[Notification]:
    with reading(engine) as session:
        return list(session.scalars(select(Notification).where(Notification.kind == "digest")).all())


@pytest.fixture
def team(engine: Engine) -> factories.Team:
    team = factories.team(engine)
    open_alert(engine, team.coproducer.person_id, team.id, "hours_over")
    open_alert(engine, team.other_coproducer.person_id, team.id, "hours_over")
    open_alert(engine, team.coproducer.person_id, team.id, "night")
    open_alert(engine, team.coproducer.person_id, team.id, "no_rest_day", status="resolved")
    return team


def test_the_digest_is_made_once_across_two_workers(engine: Engine, settings: Settings, team: factories.Team) -> None:
    assert settings.email.digest_hour == 8

    assert digest.run_digest(engine, settings, "worker-a", local(8, 5)) == 1
    assert digest.run_digest(engine, settings, "worker-b", local(8, 6)) == 0
    assert digest.run_digest(engine, settings, "worker-a", local(20)) == 0

    (only,) = digests(engine)
    assert only.person_id == team.leader.person_id
    assert only.key == f"digest:2026-03-02:{team.leader.person_id}"
    with reading(engine) as session:
        runs = session.execute(select(JobRun.job, JobRun.period, JobRun.claimed_by)).all()
    assert [tuple(run) for run in runs] == [("digest", "2026-03-02", "worker-a")]


def test_the_digest_counts_open_alerts_by_rule_in_the_leaders_language(
    engine: Engine, settings: Settings, team: factories.Team
) -> None:
    digest.run_digest(engine, settings, "worker-a", local(9))

    (item,) = inbox.list_notifications(engine, team.leader)
    nl = gettext_for("nl")
    assert team.leader.language == "nl"
    assert item.text.splitlines() == [
        nl(digest.MESSAGE).splitlines()[0],
        nl("Open alerts: {n}.").format(n=3),
        nl("{title_label}: {count}").format(title_label=nl("More hours than agreed"), count=2),
        nl("{title_label}: {count}").format(title_label=nl("Requests at night"), count=1),
    ]
    assert item.text.splitlines()[0] != "Daily summary of your team.", "in Dutch"
    assert item.link == "alerts"


def test_two_workers_at_the_same_moment_make_one_digest(
    engine: Engine, settings: Settings, team: factories.Team
) -> None:
    start = threading.Barrier(2)
    made: list[int] = []

    def work(name: str) -> None:
        start.wait()
        made.append(digest.run_digest(engine, settings, name, local(8)))

    threads = [threading.Thread(target=work, args=(name,)) for name in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(made) == [0, 1]
    assert len(digests(engine)) == 1


def test_nothing_before_the_digest_hour_and_a_late_worker_catches_up(
    engine: Engine, settings: Settings, team: factories.Team
) -> None:
    assert digest.run_digest(engine, settings, "worker-a", local(7, 59)) == 0
    with reading(engine) as session:
        assert session.scalar(select(JobRun.id)) is None, "the day is not claimed before its hour"

    # The worker was down at 08:00 and starts at 15:30: it still sends today's digest.
    assert digest.run_digest(engine, settings, "worker-late", local(15, 30)) == 1
    # The next day has its own digest.
    assert digest.run_digest(engine, settings, "worker-late", local(8, 0, MONDAY + timedelta(days=1))) == 1
    assert len(digests(engine)) == 2


def test_a_digest_that_ran_before_the_evaluation_does_not_lose_the_day(engine: Engine, settings: Settings) -> None:
    # The PostgreSQL race of issue 14: the digest ran while the evaluation had not yet committed the new alerts. It
    # told nobody; it must not mark the day done, so that the next run tells the leader.
    quiet = factories.team(engine, "Laak", prefix="l_")
    assert digest.run_digest(engine, settings, "worker-a", local(8, 0)) == 0
    open_alert(engine, quiet.coproducer.person_id, quiet.id, "night")  # the evaluation commits

    assert digest.run_digest(engine, settings, "worker-b", local(8, 15)) == 1
    (told,) = digests(engine)
    assert told.person_id == quiet.leader.person_id


def test_each_leader_is_told_once_a_day_even_when_their_alert_comes_later(
    engine: Engine, settings: Settings, team: factories.Team
) -> None:
    assert digest.run_digest(engine, settings, "worker-a", local(8)) == 1
    later = factories.team(engine, "Laak", prefix="l_")
    open_alert(engine, later.coproducer.person_id, later.id, "night")

    assert digest.run_digest(engine, settings, "worker-a", local(8, 15)) == 1  # only the new leader
    assert digest.run_digest(engine, settings, "worker-b", local(8, 30)) == 0
    assert sorted(n.person_id for n in digests(engine)) == sorted([team.leader.person_id, later.leader.person_id])


def test_the_evaluation_job_tells_the_leaders_about_the_alerts_it_opened(
    engine: Engine, settings: Settings, time_machine: time_machine.TimeMachineFixture
) -> None:
    crew = factories.team(engine)
    nine = local(9)
    for hour in (1, 2, 3):  # three requests at night today; the agreement allows one a week
        data = RequestInput(15, "door", ("money",), received_at=local(hour))
        requests.log_request(engine, settings, SYSTEM, crew.coproducer.person_id, data, now=local(hour, 20))
    time_machine.move_to(nine, tick=False)
    sched = scheduler.build(lambda: settings, engine_of=lambda _cfg: engine, worker="worker-a")
    sched.start(paused=True)
    try:
        evaluate_job = sched.get_job("evaluate")
        assert evaluate_job.func() is True
    finally:
        sched.shutdown(wait=False)

    (told,) = digests(engine)
    assert told.person_id == crew.leader.person_id
    assert json.loads(told.params)["summary"]["params"] == {"n": 1}
    with reading(engine) as session:
        last = session.scalar(select(JobRun.finished_at).where(JobRun.job == "evaluate"))
    assert last == nine


def test_no_digest_without_open_alerts(engine: Engine, settings: Settings) -> None:
    quiet = factories.team(engine, "Laak", prefix="l_")
    open_alert(engine, quiet.coproducer.person_id, quiet.id, "hours_over", status="acknowledged")

    assert digest.run_digest(engine, settings, "worker-a", local(8)) == 0
    assert digests(engine) == []


def test_a_leader_hears_only_about_their_own_team(engine: Engine, settings: Settings, team: factories.Team) -> None:
    other = factories.team(engine, "Laak", prefix="l_")
    open_alert(engine, other.coproducer.person_id, other.id, "night")

    assert digest.run_digest(engine, settings, "worker-a", local(8)) == 2

    (theirs,) = inbox.list_notifications(engine, other.leader)
    assert gettext_for("nl")("Open alerts: {n}.").format(n=1) in theirs.text.splitlines()


def test_the_digest_hour_is_local_time(settings: Settings) -> None:
    winter = dataclasses.replace(settings, email=dataclasses.replace(settings.email, digest_hour=8))
    assert digest.due_day(winter, local(7, 59)) is None
    assert digest.due_day(winter, local(8, 0)) == MONDAY
    assert digest.due_day(winter, local(23, 59)) == MONDAY
    # Summer time: 08:00 in Amsterdam is 06:00 UTC.
    summer = datetime(2026, 7, 1, 6, 0, tzinfo=ZoneInfo("UTC"))
    assert digest.due_day(winter, summer) == date(2026, 7, 1)


def test_the_scheduler_has_its_jobs_with_their_intervals(settings: Settings) -> None:
    sched = scheduler.build(lambda: settings, worker="test")
    sched.start(paused=True)  # the job defaults are applied when the jobs are added to the running scheduler
    try:
        jobs = {job.id: job for job in sched.get_jobs()}
    finally:
        sched.shutdown(wait=False)

    assert set(jobs) == {  # the digest runs inside evaluate
        "evaluate",
        "send_email",
        "checkins",
        "training_reminders",
        "backup",
        "retention",
        "security_purge",
        "tax_limits_reminder",
        "ledger_check",
        "rejudge",
    }
    intervals = {}
    for job_id, job in jobs.items():
        assert isinstance(job.trigger, IntervalTrigger)
        intervals[job_id] = job.trigger.interval
    assert intervals == {
        "evaluate": timedelta(minutes=15),
        "send_email": timedelta(minutes=1),
        "checkins": timedelta(minutes=15),
        "training_reminders": timedelta(minutes=60),
        "retention": timedelta(minutes=60),  # works once a day (monitor/privacy/retention.py)
        "security_purge": timedelta(days=1),
        "tax_limits_reminder": timedelta(minutes=60),
        "backup": timedelta(minutes=60),
        "ledger_check": timedelta(minutes=60),  # works once a day (monitor/money/integrity.py)
        "rejudge": timedelta(seconds=5),
    }
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time and job.misfire_grace_time > 0


def test_the_app_runs_the_scheduler_unless_told_not_to(settings: Settings) -> None:
    assert settings.scheduler_in_app
    assert scheduler.enabled_in_app(settings, env={})
    assert not scheduler.enabled_in_app(settings, env={"MONITOR_SCHEDULER": "off"})
    assert not scheduler.enabled_in_app(dataclasses.replace(settings, scheduler_in_app=False), env={})


def test_a_failing_job_is_logged_and_does_not_stop_the_scheduler(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise RuntimeError("database went away")

    caplog.set_level(logging.INFO)
    assert scheduler._logged("evaluate", broken)() is False

    assert "job evaluate failed: RuntimeError: database went away" in caplog.text
    assert "Traceback" not in caplog.text, "the traceback only at debug level"


def test_a_failed_job_logs_one_line_and_is_retried_with_backoff(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    away = create_engine(f"sqlite:///{tmp_path}/a-file/monitor.db")
    recorded: list[str] = []
    sched = BackgroundScheduler(timezone=AMS)
    sched.start(paused=True)
    try:

        def evaluate() -> None:
            with away.connect():
                pass

        job = scheduler._Job("evaluate", evaluate, timedelta(minutes=15), lambda: recorded.append("ok"), sched)
        caplog.set_level(logging.INFO)
        outcomes = [job() for _ in range(5)]
        retry = sched.get_job("evaluate-retry")
    finally:
        sched.shutdown(wait=False)

    assert outcomes == [False] * 5 and recorded == [], "a failed job is not reported or recorded as a success"
    failures = [r for r in caplog.records if r.name == "monitor.scheduler" and r.levelno >= logging.ERROR]
    assert len(failures) == 5 and all(r.exc_info is None for r in failures)
    assert "database unavailable: unable to open database file; trying again in 1 min" in failures[0].getMessage()
    assert [r.getMessage().rsplit(" ", 2)[-2] for r in failures] == ["1", "2", "4", "8", "15"]
    assert retry is None, "after backing off to the regular interval, the regular run takes over"


def test_the_first_retry_comes_after_a_minute(tmp_path: Path, pinned_now: datetime) -> None:
    sched = BackgroundScheduler(timezone=AMS)
    sched.start(paused=True)
    try:
        job = scheduler._Job("send_email", lambda: 1 / 0, timedelta(minutes=15), None, sched)
        before = pinned_now  # the retry is scheduled from the pinned clock
        job()
        retry = sched.get_job("send_email-retry")
        assert retry is not None
        assert timedelta(seconds=55) < retry.trigger.run_date - before < timedelta(seconds=65)
    finally:
        sched.shutdown(wait=False)


def test_monitor_worker_runs_the_jobs_and_stops_on_sigterm(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "worker.db"
    shutil.copy(sqlite_template, database)
    config_file = tmp_path / "config.toml"
    # digest_hour = 0: the digest is due whenever the test runs, so the worker's digest job leaves a job_runs row.
    config_file.write_text("[email]\ndigest_hour = 0\n[scheduler]\nrun_in_app = false\n", encoding="utf-8")
    env = {
        **os.environ,
        "MONITOR_DATABASE_URL": f"sqlite:///{database}",
        "MONITOR_CONFIG": str(config_file),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "worker", "--name", "test-worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    engine = make_engine(f"sqlite:///{database}")
    try:
        deadline = time.monotonic() + 20
        claimed = None
        while claimed is None and time.monotonic() < deadline and process.poll() is None:
            with reading(engine) as session:
                claimed = session.scalar(
                    select(JobRun.claimed_by).where(JobRun.job == "evaluate", JobRun.period == "last-success")
                )
            time.sleep(0.1)
        assert process.poll() is None, process.communicate()[0]
        assert claimed == "test-worker", "the worker ran its evaluation (and digest) job at start and recorded it"

        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        engine.dispose()
    output = process.stdout.read() if process.stdout else ""
    assert code == 0, output
    assert "Worker stopped." in output
