"""Saves never wait for the rules: twenty people saving at once lose nothing, and each person's alerts follow within
seconds, judged by the background worker from the queue the save fills (claimed once, put back on failure)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from time import monotonic, sleep

import pytest
from sqlalchemy import Engine, func, select

from db.engine import reading, unit_of_work
from db.models import Alert, HelpRequest, Role
from monitor.alerts import evaluation, rejudge
from monitor.config import Settings
from monitor.requests import log as requests
from monitor.requests import rejudge_queue
from monitor.requests.log import RequestInput
from tests.unit.factories import person, team

# Wednesday 25 November 2026, 14:00 in Amsterdam: inside the default agreed hours.
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
WRITERS = 20
SAVES_EACH = 10


@pytest.fixture
def worker(engine: Engine, settings: Settings) -> Iterator[rejudge.Rejudger]:
    thread = rejudge.Rejudger(lambda: engine, lambda: settings, clock=lambda: NOW, idle_seconds=None)
    thread.start()
    yield thread
    thread.stop()
    thread.join(timeout=10)


def _alerts(engine: Engine) -> list[tuple[str, int]]:
    with reading(engine) as session:
        rows = session.execute(select(Alert.rule, Alert.person_id).order_by(Alert.person_id)).all()
    return [(rule, person_id) for rule, person_id in rows]


def _wait_for(check, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = monotonic() + seconds
    while monotonic() < deadline:
        if check():
            return True
        sleep(0.05)
    return check()


def test_twenty_people_saving_at_once_lose_nothing(
    engine: Engine, settings: Settings, worker: rejudge.Rejudger
) -> None:
    moerwijk = team(engine)
    writers = [person(engine, f"writer{i}", moerwijk.id, Role.COPRODUCER) for i in range(WRITERS)]
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def save_all(actor) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        for i in range(SAVES_EACH):
            data = RequestInput(15, "door", ("money",), received_at=NOW - timedelta(minutes=i), beyond_role=True)
            try:
                requests.log_request(engine, settings, actor, actor.person_id, data, now=NOW)
                worker.wake()  # as the page does after a save
            except BaseException as error:  # noqa: BLE001 - every failure counts as a lost save
                errors.append(error)

    threads = [threading.Thread(target=save_all, args=(actor,)) for actor in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with reading(engine) as session:
        stored = session.scalar(select(func.count()).select_from(HelpRequest))
    assert stored == WRITERS * SAVES_EACH
    # Every writer ticked "beyond my role" ten times today: each gets the alert once the queue is drained.
    assert _wait_for(lambda: len(_alerts(engine)) == WRITERS)
    assert sorted(person_id for _, person_id in _alerts(engine)) == sorted(a.person_id for a in writers)
    assert _wait_for(lambda: rejudge_queue.waiting(engine) == 0)


def test_a_persons_alerts_appear_within_seconds_of_a_save(
    engine: Engine, settings: Settings, worker: rejudge.Rejudger
) -> None:
    me = team(engine).coproducer
    beyond = RequestInput(15, "door", ("money",), received_at=NOW - timedelta(hours=1), beyond_role=True)
    for _ in range(3):
        requests.log_request(engine, settings, me, me.person_id, beyond, now=NOW)
    assert rejudge_queue.waiting(engine) == 1  # one row per person, however many saves
    saved = monotonic()
    worker.wake()
    assert _wait_for(lambda: _alerts(engine) == [("beyond_role", me.person_id)], seconds=5)
    assert monotonic() - saved < 5
    assert rejudge_queue.waiting(engine) == 0


def test_the_scheduler_drain_judges_the_queued_people_once(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    beyond = RequestInput(15, "door", ("money",), received_at=NOW - timedelta(hours=1), beyond_role=True)
    for _ in range(3):
        requests.log_request(engine, settings, moerwijk.coproducer, moerwijk.coproducer.person_id, beyond, now=NOW)
    assert rejudge.drain(engine, settings, at=NOW) == [moerwijk.coproducer.person_id]
    assert rejudge.drain(engine, settings, at=NOW) == []  # taken off the queue: nobody judges it twice
    assert _alerts(engine) == [("beyond_role", moerwijk.coproducer.person_id)]


def test_two_workers_claiming_at_once_never_take_the_same_person(engine: Engine) -> None:
    moerwijk = team(engine)
    people = [person(engine, f"queued{i}", moerwijk.id, Role.COPRODUCER).person_id for i in range(30)]
    with unit_of_work(engine) as session:
        rejudge_queue.enqueue(session, people, NOW)
    taken: list[list[int]] = [[], []]

    def take(slot: int) -> None:
        while batch := rejudge_queue.claim(engine, at_most=3):
            taken[slot].extend(batch)

    threads = [threading.Thread(target=take, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(taken[0] + taken[1]) == sorted(people)
    assert not set(taken[0]) & set(taken[1])


def test_a_failed_judgement_puts_the_people_back_on_the_queue(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = team(engine).coproducer
    requests.log_request(engine, settings, me, me.person_id, RequestInput(15, "door", ("money",)), now=NOW)

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(evaluation, "evaluate", broken)
    with pytest.raises(RuntimeError):
        rejudge.drain(engine, settings, at=NOW)
    assert rejudge_queue.waiting(engine) == 1


def test_saves_that_follow_a_wake_within_the_settling_time_are_judged_in_one_evaluation(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    drains: list[int] = []
    real_drain = rejudge.drain

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        drains.append(rejudge_queue.waiting(engine))
        return real_drain(*args, **kwargs)

    monkeypatch.setattr(rejudge, "drain", counted)
    moerwijk = team(engine)
    writers = [person(engine, f"writer{i}", moerwijk.id, Role.COPRODUCER) for i in range(5)]
    thread = rejudge.Rejudger(lambda: engine, lambda: settings, clock=lambda: NOW, idle_seconds=None, settle_seconds=1)
    thread.start()
    beyond = RequestInput(15, "door", ("money",), received_at=NOW - timedelta(hours=1), beyond_role=True)
    try:
        for actor in writers:
            requests.log_request(engine, settings, actor, actor.person_id, beyond, now=NOW)
            thread.wake()
        assert _wait_for(lambda: rejudge_queue.waiting(engine) == 0)
    finally:
        thread.stop()
        thread.join(timeout=10)
    assert drains == [5]  # one evaluation of the five, not five evaluations


def test_waiting_for_the_worker_returns_once_its_evaluation_has_finished(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark times a save click only when the worker is not still judging the previous save beside it."""
    judging, finish = threading.Event(), threading.Event()
    real_drain = rejudge.drain

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        judging.set()
        assert finish.wait(10)
        return real_drain(*args, **kwargs)

    monkeypatch.setattr(rejudge, "drain", slow)
    me = team(engine).coproducer
    thread = rejudge.Rejudger(lambda: engine, lambda: settings, clock=lambda: NOW, idle_seconds=None, settle_seconds=0)
    thread.start()
    try:
        assert thread.wait_until_idle(0) is True  # nothing to judge yet
        requests.log_request(engine, settings, me, me.person_id, RequestInput(15, "door", ("money",), NOW), now=NOW)
        thread.wake()
        assert thread.wait_until_idle(0) is False  # woken: not idle, even before it starts
        assert judging.wait(10)
        assert thread.wait_until_idle(0.05) is False  # still judging
        finish.set()
        assert thread.wait_until_idle(10) is True
        assert rejudge_queue.waiting(engine) == 0
    finally:
        finish.set()
        thread.stop()
        thread.join(timeout=10)
