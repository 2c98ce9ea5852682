"""Saves that arrive together are committed together, and each caller still gets its own result or its own refusal."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select

from db.engine import reading
from db.models import HelpRequest, RequestChange, RequestTopic
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.requests import log as requests
from monitor.requests import rejudge_queue
from monitor.requests.group_commit import GroupCommit, _Waiting
from monitor.requests.log import RequestInput
from tests.unit.factories import team

# Wednesday 25 November 2026, 14:00 in Amsterdam.
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


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
    commits: list[object] = []

    def committed(connection) -> None:  # type: ignore[no-untyped-def]
        if not connection.get_execution_options().get("read_only", False):
            commits.append(connection)

    event.listen(engine, "commit", committed)
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
    outcomes = requests._write_saves(saves)
    event.remove(engine, "commit", committed)

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
    assert len(commits) == 1  # written together: one write transaction, one disk sync


def test_a_save_writes_in_few_statements_and_on_sqlite_holds_the_lock_for_the_inserts_alone(
    engine: Engine, settings: Settings
) -> None:
    """SQLite has one writer for all the server's processes: the look-up and the judging happen before BEGIN
    IMMEDIATE, so the lock is not held while Python works. PostgreSQL does it all in one transaction, in three round
    trips: the look-up, the request, and its topics, the rules' queue and the audit entry in one statement."""
    moerwijk = team(engine)
    me = moerwijk.coproducer
    statements: list[tuple[bool, str]] = []

    def executed(connection, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append((connection.get_execution_options().get("read_only", False), statement.split()[0]))

    event.listen(engine, "before_cursor_execute", executed)
    saves = [requests._Save(engine, settings, me, me.person_id, RequestInput(15, "door", ("money",), NOW), NOW, "app")]
    [row] = requests._write_saves(saves)
    event.remove(engine, "before_cursor_execute", executed)

    assert isinstance(row, requests.RequestRow) and row.outside_hours is False
    written = [verb for read_only, verb in statements if not read_only and verb != "BEGIN"]
    if engine.dialect.name == "sqlite":
        assert written == ["INSERT"] * 4  # request, topics, the rules' queue, the audit entry
        assert ("SELECT" in [verb for read_only, verb in statements if read_only]) is True
    else:
        assert written == ["SELECT", "INSERT", "WITH"]
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
