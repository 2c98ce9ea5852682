"""The request store: a save writes the request, its kinds of problem, its audit entry and the rules' queue row in one
transaction, or nothing at all; many threads and processes saving at once each get their own request."""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select

from db.engine import make_engine, reading
from db.models import HelpRequest, RejudgeQueue, RequestChange, RequestTopic
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.requests import rejudge_queue, store
from monitor.requests.log import RequestInput
from tests.unit.factories import team
from tests.unit.sqlite_trace import sqlite_statements

# Wednesday 25 November 2026, 14:00 in Amsterdam.
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
# Every wait in these tests is bounded: a broken lock shows as a failure, never as a hang.
WAIT = 30.0


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The first word of each statement the database runs (on SQLite BEGIN IMMEDIATE in full, as SQLite saw it; on
    PostgreSQL as SQLAlchemy sent it, BEGIN implied by the driver)."""
    if engine.dialect.name == "sqlite":
        with sqlite_statements(engine) as ran:
            words: list[str] = []
            yield words
        words += [statement if statement == "BEGIN IMMEDIATE" else statement.split()[0] for statement in ran]
        return
    sent: list[str] = []

    def executed(_connection, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement.split()[0])

    def committed(_connection) -> None:  # type: ignore[no-untyped-def]
        sent.append("COMMIT")

    event.listen(engine, "before_cursor_execute", executed)
    event.listen(engine, "commit", committed)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", executed)
        event.remove(engine, "commit", committed)


def test_a_save_is_one_transaction_of_a_look_up_and_the_inserts(engine: Engine, settings: Settings) -> None:
    me = team(engine).coproducer
    data = RequestInput(15, "door", ("money",), NOW - timedelta(hours=1))
    with statements_sent(engine) as sent:
        row = requests.log_request(engine, settings, me, me.person_id, data, now=NOW)
    # The person's team and agreements, then the request, its topics, its audit entry and the rules' queue row.
    if engine.dialect.name == "sqlite":
        assert sent == ["BEGIN IMMEDIATE", "SELECT", *["INSERT"] * 4, "COMMIT"]
    else:  # the four INSERTs as one statement of data-modifying CTEs
        assert sent == ["SELECT", "WITH", "COMMIT"]
    assert (row.minutes, row.topics, row.outside_hours) == (15, ("money",), False)
    with reading(engine) as session:
        assert session.scalars(select(RequestTopic.topic).where(RequestTopic.request_id == row.id)).all() == ["money"]
        change = session.scalars(select(RequestChange)).one()
        assert (change.request_id, change.action, change.actor_id) == (row.id, "create", me.person_id)
        assert change.before is None and json.loads(change.after or "{}")["topics"] == ["money"]
    assert rejudge_queue.claim(engine) == [me.person_id]


def test_a_save_that_fails_after_its_inserts_stores_nothing(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = team(engine).coproducer
    write = store.write

    def written_then_broken(session, news):  # type: ignore[no-untyped-def]
        write(session, news)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(store, "write", written_then_broken)
    with pytest.raises(RuntimeError):
        requests.log_request(engine, settings, me, me.person_id, RequestInput(15, "door", ("money",), NOW), now=NOW)
    with reading(engine) as session:
        for model in (HelpRequest, RequestTopic, RequestChange, RejudgeQueue):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model


def test_a_refused_save_writes_nothing(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)

    def refuse(_team: int | None, _history: object) -> store.NewRequest:
        raise PermissionDenied("no")

    with pytest.raises(PermissionDenied):
        store.save(engine, moerwijk.coproducer.person_id, refuse)
    assert rejudge_queue.waiting(engine) == 0


def test_twenty_threads_saving_at_once_each_get_their_own_request(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    me = moerwijk.coproducer
    saved: dict[int, requests.RequestRow] = {}
    start = threading.Barrier(20)

    def save(minutes: int) -> None:
        start.wait(WAIT)
        data = RequestInput(minutes, "door", ("money",), NOW - timedelta(minutes=minutes))
        saved[minutes] = requests.log_request(engine, settings, me, me.person_id, data, now=NOW)

    threads = [threading.Thread(target=save, args=(minutes,)) for minutes in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    with reading(engine) as session:
        stored = dict(session.execute(select(HelpRequest.id, HelpRequest.minutes)).all())
    assert {row.id: row.minutes for row in saved.values()} == stored  # each caller's id is its own request
    assert sorted(stored.values()) == list(range(1, 21))


def _save_in_a_process(url: str, settings: Settings, actor: Actor, first: int, saves: int, start) -> None:  # type: ignore[no-untyped-def]
    """One of the server's processes, in effect: its own engine, saving as the page does once all have started."""
    engine = make_engine(url)
    start.wait(WAIT)
    for minutes in range(first, first + saves):
        data = RequestInput(minutes, "door", ("money", "housing"), NOW - timedelta(minutes=minutes))
        requests.log_request(engine, settings, actor, actor.person_id, data, now=NOW)
    engine.dispose()


def test_four_processes_saving_at_once_lose_nothing(engine: Engine, settings: Settings) -> None:
    """Every request, its topics, its audit entry and the rules' queue row arrive, whoever had the lock."""
    moerwijk = team(engine)
    people = [moerwijk.coproducer, moerwijk.other_coproducer] * 2
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(len(people))
    url = engine.url.render_as_string(hide_password=False)
    processes = [
        spawn.Process(target=_save_in_a_process, args=(url, settings, actor, 1 + 25 * index, 25, start))
        for index, actor in enumerate(people)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
    with reading(engine) as session:
        stored = session.execute(select(HelpRequest.minutes, HelpRequest.person_id)).all()
        assert sorted(minutes for minutes, _ in stored) == list(range(1, 101))
        assert {person for _, person in stored} == {moerwijk.coproducer.person_id, moerwijk.other_coproducer.person_id}
        assert session.scalar(select(func.count()).select_from(RequestTopic)) == 200
        changes = session.scalars(select(RequestChange.after).where(RequestChange.action == "create")).all()
        assert sorted(json.loads(after)["minutes"] for after in changes) == list(range(1, 101))
    assert rejudge_queue.claim(engine) == sorted([moerwijk.coproducer.person_id, moerwijk.other_coproducer.person_id])


def _waiting(engine: Engine, settings: Settings, actor: Actor, person_id: int, minutes: int) -> store._Waiting:
    """A save as log_request hands it to the store (its check of who may log and its judging in build)."""
    data = RequestInput(minutes, "door", ("money",), NOW - timedelta(minutes=minutes))

    def build(team_id: int | None, history: list) -> store.NewRequest:  # type: ignore[type-arg]
        if team_id is None or actor.person_id != person_id:
            raise PermissionDenied("You can only log your own requests.")
        return requests._new(settings, actor, person_id, team_id, data, history, "app", NOW)

    return store._Waiting(person_id, build)


def test_saves_written_together_share_one_transaction_and_each_keeps_its_own_outcome(
    engine: Engine, settings: Settings
) -> None:
    moerwijk = team(engine)
    me, henk, leader = moerwijk.coproducer, moerwijk.other_coproducer, moerwijk.leader
    batch = [
        _waiting(engine, settings, me, me.person_id, 15),
        _waiting(engine, settings, me, henk.person_id, 5),  # not hers to log
        _waiting(engine, settings, henk, henk.person_id, 30),
        _waiting(engine, settings, leader, leader.person_id, 5),  # not a coproducer
    ]
    with statements_sent(engine) as sent:
        store._write_batch(engine, batch)
    assert [w.done for w in batch] == [True] * 4
    assert [type(w.error).__name__ for w in batch] == ["NoneType", "PermissionDenied", "NoneType", "PermissionDenied"]
    assert sent.count("COMMIT") == 1 and sent.count("SELECT") == 1  # one look-up and one commit for them all
    mine, henks = batch[0].result, batch[2].result
    assert mine is not None and henks is not None
    with reading(engine) as session:
        stored = dict(session.execute(select(HelpRequest.id, HelpRequest.minutes)).all())
        assert stored == {mine[0]: 15, henks[0]: 30}
        assert session.scalar(select(func.count()).select_from(RequestChange)) == 2
    assert rejudge_queue.claim(engine) == sorted([me.person_id, henk.person_id])


def test_when_a_batch_fails_each_save_in_it_is_tried_alone(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[list[int]] = []

    def write_batch(_engine: Engine, batch: list[store._Waiting]) -> None:
        tried.append([w.person_id for w in batch])
        if 13 in tried[-1]:
            raise RuntimeError("a row the database refused")
        for w in batch:
            w.result, w.done = (w.person_id * 10, None), True  # type: ignore[assignment]

    monkeypatch.setattr(store, "_write_batch", write_batch)
    batch = [store._Waiting(person_id, lambda *_: None) for person_id in (1, 13, 2)]  # type: ignore[arg-type, misc]
    store._batches_for(engine)._write(batch)
    assert tried == [[1, 13, 2], [1], [13], [2]]
    assert [w.result and w.result[0] for w in batch] == [10, None, 20]
    assert isinstance(batch[1].error, RuntimeError) and batch[0].error is None and batch[2].error is None
