"""Saves that arrive together are committed together, and each caller still gets its own result or its own refusal."""

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
from db.models import HelpRequest, RequestChange, RequestTopic
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.requests import rejudge_queue
from monitor.requests.group_commit import GroupCommit, _Waiting
from monitor.requests.log import RequestInput
from tests.unit.factories import team
from tests.unit.sqlite_trace import sqlite_statements


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The first word of each statement the database runs (on SQLite BEGIN IMMEDIATE in full): on SQLite what SQLite
    itself runs, whoever sends it; on PostgreSQL what SQLAlchemy sends, marked "in a transaction" unless the driver's
    connection is in autocommit (then each statement is a transaction of its own, and no BEGIN or COMMIT is sent)."""
    if engine.dialect.name == "sqlite":
        with sqlite_statements(engine) as ran:
            words: list[str] = []
            yield words
        words += [statement if statement == "BEGIN IMMEDIATE" else statement.split()[0] for statement in ran]
        return
    sent: list[str] = []

    def executed(connection, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        alone = connection.connection.driver_connection.autocommit
        sent.append(statement.split()[0] + ("" if alone else " in a transaction"))

    event.listen(engine, "before_cursor_execute", executed)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", executed)


# Wednesday 25 November 2026, 14:00 in Amsterdam.
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
# Every wait in these tests is bounded: a broken lock shows as a failure, never as a hang.
WAIT = 30.0


def _first_call_waits(release: threading.Event, calls: list[list[int]]):  # type: ignore[no-untyped-def]
    """A write_many whose first batch waits for release, so that the next callers queue up behind it."""

    def write_many(items: list[int]) -> list[int | BaseException]:
        calls.append(list(items))
        if len(calls) == 1:
            release.wait(5)
        return [ValueError(f"no {item}") if item < 0 else item * 10 for item in items]

    return write_many


def test_callers_that_arrive_while_a_batch_is_written_go_together_in_the_next_one() -> None:
    release, calls = threading.Event(), []
    commit = GroupCommit(_first_call_waits(release, calls))
    results: dict[int, int] = {}
    first = threading.Thread(target=lambda: results.__setitem__(1, commit.submit(1)))
    first.start()
    while not calls:  # the first caller is writing
        threading.Event().wait(0.01)
    others = [threading.Thread(target=lambda i=i: results.__setitem__(i, commit.submit(i))) for i in range(2, 7)]
    for thread in others:
        thread.start()
    while len(commit._waiting) < 5:  # all five wait behind the first batch
        threading.Event().wait(0.01)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert calls[0] == [1]
    assert sorted(calls[1]) == [2, 3, 4, 5, 6] and len(calls) == 2  # one batch for the five
    assert results == {i: i * 10 for i in range(1, 7)}  # each caller has its own result


def test_a_refusal_is_raised_to_its_own_caller_only() -> None:
    commit = GroupCommit(lambda items: [ValueError(f"no {i}") if i < 0 else i for i in items])
    assert commit.submit(3) == 3
    with pytest.raises(ValueError, match="no -1"):
        commit.submit(-1)


def test_when_a_batch_fails_each_save_is_tried_on_its_own() -> None:
    tried: list[list[int]] = []

    def write_many(items: list[int]) -> list[int | BaseException]:
        tried.append(list(items))
        if 13 in items:
            raise RuntimeError("a row the database refused")
        return items

    commit = GroupCommit(write_many)
    batch = [_Waiting(i) for i in (1, 13, 2)]
    commit._write(batch)
    assert tried == [[1, 13, 2], [1], [13], [2]]
    assert [w.result for w in batch] == [1, None, 2]
    assert isinstance(batch[1].error, RuntimeError) and batch[0].error is None and batch[2].error is None


def test_saves_written_together_each_get_their_row_and_a_refusal_stays_with_its_own_save(
    engine: Engine, settings: Settings
) -> None:
    moerwijk = team(engine)
    me, henk, leader = moerwijk.coproducer, moerwijk.other_coproducer, moerwijk.leader
    saves = [
        requests._Save(engine, settings, me, me.person_id, RequestInput(15, "door", ("money",), NOW), NOW, "app"),
        requests._Save(engine, settings, me, henk.person_id, RequestInput(5, "door", ("money",), NOW), NOW, "app"),
        requests._Save(
            engine,
            settings,
            henk,
            henk.person_id,
            RequestInput(30, "street", ("housing", "money"), NOW - timedelta(hours=1)),
            NOW,
            "app",
        ),
        requests._Save(
            engine, settings, leader, leader.person_id, RequestInput(5, "door", ("money",), NOW), NOW, "app"
        ),
    ]
    with statements_sent(engine) as sent:
        outcomes = requests._write_saves(saves)

    assert [type(o).__name__ for o in outcomes] == ["RequestRow", "PermissionDenied", "RequestRow", "PermissionDenied"]
    assert isinstance(outcomes[1], PermissionDenied) and outcomes[1].message == "You can only log your own requests."
    mine, henks = outcomes[0], outcomes[2]
    assert (mine.person_id, mine.minutes, mine.topics) == (me.person_id, 15, ("money",))
    assert (henks.person_id, henks.minutes, henks.topics) == (henk.person_id, 30, ("housing", "money"))
    with reading(engine) as session:
        stored = session.execute(select(HelpRequest.id, HelpRequest.person_id, HelpRequest.minutes)).all()
        assert sorted(stored) == sorted([(mine.id, me.person_id, 15), (henks.id, henk.person_id, 30)])
        assert session.scalar(select(func.count()).select_from(RequestTopic)) == 3
        assert session.scalar(select(func.count()).select_from(RequestChange)) == 2
    assert rejudge_queue.waiting(engine) == 2
    # Written together: one write transaction, one disk sync (on PostgreSQL one statement, a transaction of its own).
    assert [verb for verb in sent if verb in ("COMMIT", "WITH")] == [
        "COMMIT" if engine.dialect.name == "sqlite" else "WITH"
    ]


def test_a_save_writes_in_few_statements_and_on_sqlite_holds_the_lock_for_the_inserts_alone(
    engine: Engine, settings: Settings
) -> None:
    """SQLite has one writer for all the server's processes: the look-up and the judging happen before BEGIN
    IMMEDIATE, so the lock is not held while Python works. PostgreSQL needs two round trips, each a transaction of its
    own: the look-up, and one statement that writes the request, its topics, the rules' queue and the audit entry."""
    moerwijk = team(engine)
    me = moerwijk.coproducer
    saves = [requests._Save(engine, settings, me, me.person_id, RequestInput(15, "door", ("money",), NOW), NOW, "app")]
    with statements_sent(engine) as sent:
        [row] = requests._write_saves(saves)
    if engine.dialect.name == "sqlite":
        # The look-up outside any transaction; then the lock for the request, its topic, the rules' queue and the
        # audit entry, and the commit.
        assert sent == ["SELECT", "BEGIN IMMEDIATE", *["INSERT"] * 4, "COMMIT"]
    else:
        assert sent == ["SELECT", "WITH"]
    assert isinstance(row, requests.RequestRow) and row.outside_hours is False
    with reading(engine) as session:
        assert session.scalars(select(RequestTopic.topic).where(RequestTopic.request_id == row.id)).all() == ["money"]
        assert session.scalar(select(func.count()).select_from(RequestChange)) == 1
    assert rejudge_queue.claim(engine) == [me.person_id]


def test_twenty_threads_saving_at_once_each_get_their_own_request(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    me = moerwijk.coproducer
    saved: dict[int, requests.RequestRow] = {}
    start = threading.Barrier(20)

    def save(minutes: int) -> None:
        start.wait()
        data = RequestInput(minutes, "door", ("money",), NOW - timedelta(minutes=minutes))
        saved[minutes] = requests.log_request(engine, settings, me, me.person_id, data, now=NOW)

    threads = [threading.Thread(target=save, args=(minutes,)) for minutes in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
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


def test_four_processes_saving_at_once_on_sqlite_lose_nothing(sqlite_engine: Engine, settings: Settings) -> None:
    """Each process writes on SQLite's own connection in its turn (db.direct): every request, its topics, its audit
    entry and the rules' queue row arrive, whoever had the lock."""
    moerwijk = team(sqlite_engine)
    people = [moerwijk.coproducer, moerwijk.other_coproducer] * 2
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(len(people))
    url = sqlite_engine.url.render_as_string(hide_password=False)
    processes = [
        spawn.Process(target=_save_in_a_process, args=(url, settings, actor, 1 + 25 * index, 25, start))
        for index, actor in enumerate(people)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
    with reading(sqlite_engine) as session:
        stored = session.execute(select(HelpRequest.minutes, HelpRequest.person_id)).all()
        assert sorted(minutes for minutes, _ in stored) == list(range(1, 101))
        assert {person for _, person in stored} == {moerwijk.coproducer.person_id, moerwijk.other_coproducer.person_id}
        assert session.scalar(select(func.count()).select_from(RequestTopic)) == 200
        changes = session.scalars(select(RequestChange.after).where(RequestChange.action == "create")).all()
        assert sorted(json.loads(after)["minutes"] for after in changes) == list(range(1, 101))
    assert rejudge_queue.claim(sqlite_engine) == sorted(
        [moerwijk.coproducer.person_id, moerwijk.other_coproducer.person_id]
    )
