"""Many people saving at once: N threads sharing the app's engine and its rules' worker, then N processes with an
engine each, saving through the same service as the page (log_request); saves per second, errors, rows stored."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from bench.city import City, config
from bench.report import TARGETS, Report
from db.engine import make_engine, reading
from db.models import HelpRequest
from monitor.alerts import rejudge
from monitor.config import Settings
from monitor.people import auth
from monitor.people.access import Actor
from monitor.requests import log as requests


def _save_many(
    engine: Engine, settings: Settings, actor: Actor, saves: int, now: datetime, wake: Callable[[], None]
) -> int:
    """Save `saves` requests for the actor as the page does (log_request, then wake the rules' worker); the errors."""
    errors = 0
    for i in range(saves):
        data = requests.RequestInput(15, "door", ("money",), received_at=now - timedelta(minutes=1 + i % 600))
        try:
            requests.log_request(engine, settings, actor, actor.person_id, data, now=now)
            wake()
        except Exception as error:  # noqa: BLE001 - every failure is a lost save, counted
            errors += 1
            print(f"    lost save: {type(error).__name__}: {str(error)[:120]}", file=sys.stderr)
    return errors


def _process(url: str, person_id: int, saves: int, now: datetime, start, results) -> None:  # type: ignore[no-untyped-def]
    """One process saving for one coproducer, started together with the others; puts (errors, began, ended, CPU)."""
    engine = make_engine(url)
    settings = config(url)
    actor = auth.actor_for_person(engine, person_id)
    assert actor is not None
    start.wait()
    began, cpu = time.time(), time.process_time()
    errors = _save_many(engine, settings, actor, saves, now, lambda: None)
    results.put((errors, began, time.time(), time.process_time() - cpu))
    engine.dispose()


def _stored(engine: Engine) -> int:
    with reading(engine) as session:
        return int(session.scalar(select(func.count()).select_from(HelpRequest)) or 0)


def concurrency(engine: Engine, settings: Settings, city: City, writers: int, saves: int, now: datetime) -> dict:
    """N threads sharing the app's engine and background rules worker, then N processes with an engine each; for each,
    (saves per second, errors, rows stored, CPU seconds per save: the threads' process with its rules' worker, the
    processes' own)."""
    chosen = city.coproducers[:writers]
    results = {}
    worker = rejudge.Rejudger(lambda: engine, lambda: settings, clock=lambda: now, idle_seconds=None)
    worker.start()
    actors = [auth.actor_for_person(engine, person_id) for person_id in chosen]
    before = _stored(engine)
    errors: list[int] = []
    start = threading.Barrier(writers + 1)

    def thread_saves(actor: Actor) -> None:
        start.wait()
        errors.append(_save_many(engine, settings, actor, saves, now, worker.wake))

    threads = [threading.Thread(target=thread_saves, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    start.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    worker.stop()
    worker.join()
    rejudge.drain(engine, settings, at=now)
    results["threads"] = (writers * saves / took, sum(errors), _stored(engine) - before, cpu / (writers * saves))

    before = _stored(engine)
    spawn = multiprocessing.get_context("spawn")
    barrier, queue = spawn.Barrier(writers), spawn.Queue()
    processes = [
        spawn.Process(
            target=_process, args=(str(engine.url.render_as_string(hide_password=False)), p, saves, now, barrier, queue)
        )
        for p in chosen
    ]
    for process in processes:
        process.start()
    done = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    took = max(ended for _, _, ended, _ in done) - min(began for _, began, _, _ in done)
    rejudge.drain(engine, settings, at=now)
    cpu = sum(used for _, _, _, used in done) / (writers * saves)
    results["processes"] = (writers * saves / took, sum(e for e, _, _, _ in done), _stored(engine) - before, cpu)
    return results


def saves(
    engine: Engine,
    settings: Settings,
    city: City,
    writers: int,
    per_writer: int,
    now: datetime,
    check: bool,
    report: Report,
) -> None:
    """The concurrency section of the report: threads, then processes; each must store every save without an error
    (but the processes on SQLite, which serves one app process: they are reported, not checked)."""
    print(f"  concurrency: {writers} writers x {per_writer} saves")
    for kind, (rate, errors, stored, cpu) in concurrency(engine, settings, city, writers, per_writer, now).items():
        expected = writers * per_writer
        ok = errors == 0 and stored == expected
        target = "saves/s" if kind == "threads" else "saves/s processes"
        checked = TARGETS[target].limit(engine.dialect.name) is not None
        report.missed += check and checked and not ok
        mark = ("ok  " if ok else "LOST") if checked else "    "
        note = "" if checked else " (not checked: SQLite serves one app process)"
        print(f"  {mark} {kind:9}: {stored:,} of {expected:,} stored, {errors} errors{note}")
        report.line(target, rate, f"{kind}: saves per second", unit="/s", higher_is_better=True)
        whose = "this process, its rules' worker too" if kind == "threads" else "the processes' own"
        report.line(None, cpu, f"  CPU time per save ({whose})")
