"""A request sent with a client_id (the phone's idempotency key) is stored once, however often it is sent."""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from db.engine import make_engine, reading
from db.models import HelpRequest, RequestChange, RequestTopic
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.requests import rejudge_queue
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

# Wednesday 25 November 2026, 14:00 in Amsterdam; the request was tapped an hour earlier, offline.
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
TAPPED = RequestInput(15, "street", ("money", "housing"), received_at=NOW - timedelta(hours=1))
WAIT = 30.0


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def counts(engine: Engine) -> tuple[int, ...]:
    with reading(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (HelpRequest, RequestTopic, RequestChange)
        )


def test_a_repeat_of_a_client_id_stores_nothing_and_returns_the_first_request(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me, key = moerwijk.coproducer, str(uuid.uuid4())
    first = requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key)
    assert first.received_at == TAPPED.received_at  # the tapped moment, not the moment it arrived
    assert counts(engine) == (1, 2, 1)
    assert rejudge_queue.claim(engine) == [me.person_id]

    later = NOW + timedelta(minutes=3)
    again = requests.log_request(engine, settings, me, me.person_id, TAPPED, now=later, client_id=key.upper())
    assert (again.id, again.topics, again.received_at, again.minutes) == (
        first.id,
        ("housing", "money"),
        first.received_at,
        15,
    )
    assert counts(engine) == (1, 2, 1)
    assert rejudge_queue.claim(engine) == []  # nothing changed, nothing to judge again
    with reading(engine) as session:
        assert session.scalar(select(HelpRequest.client_id)) == key


def test_requests_without_a_client_id_or_with_different_ones_are_each_stored(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    for key in (None, None, str(uuid.uuid4()), str(uuid.uuid4())):
        requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key)
    assert counts(engine) == (4, 8, 4)


def test_a_malformed_client_id_is_refused_with_a_plain_message(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    with pytest.raises(ValidationError, match="code of this request"):
        requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id="not-a-uuid")
    assert counts(engine) == (0, 0, 0)


def test_a_client_id_of_someone_elses_request_is_refused_and_stores_nothing(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me, henk, key = moerwijk.coproducer, moerwijk.other_coproducer, str(uuid.uuid4())
    requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key)
    with pytest.raises(PermissionDenied):
        requests.log_request(engine, settings, henk, henk.person_id, TAPPED, now=NOW, client_id=key)
    assert counts(engine) == (1, 2, 1)


def test_a_leader_repeating_a_save_on_behalf_gets_the_same_request(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    leader, me, key = moerwijk.leader, moerwijk.coproducer, str(uuid.uuid4())
    first = requests.log_request(engine, settings, leader, me.person_id, TAPPED, now=NOW, client_id=key)
    again = requests.log_request(engine, settings, leader, me.person_id, TAPPED, now=NOW, client_id=key)
    assert again.id == first.id
    assert counts(engine) == (1, 2, 1)


def test_two_threads_sending_the_same_client_id_at_once_store_one_request(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me, key = moerwijk.coproducer, str(uuid.uuid4())
    start = threading.Barrier(2)
    saved: list[int] = []

    def send() -> None:
        start.wait(WAIT)
        saved.append(requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key).id)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert len(saved) == 2 and saved[0] == saved[1]
    assert counts(engine) == (1, 2, 1)


def _send_in_a_process(url: str, settings: Settings, actor: Actor, key: str, start, results) -> None:  # type: ignore[no-untyped-def]
    """One of the server's processes, in effect: its own engine, sending the same request as the others."""
    engine = make_engine(url)
    start.wait(WAIT)
    results.put(requests.log_request(engine, settings, actor, actor.person_id, TAPPED, now=NOW, client_id=key).id)
    engine.dispose()


def test_processes_sending_the_same_client_id_at_once_store_one_request(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me, key = moerwijk.coproducer, str(uuid.uuid4())
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(3), spawn.Queue()
    url = engine.url.render_as_string(hide_password=False)
    processes = [
        spawn.Process(target=_send_in_a_process, args=(url, settings, me, key, start, results)) for _ in range(3)
    ]
    for process in processes:
        process.start()
    ids = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(WAIT)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert len(set(ids)) == 1
    assert counts(engine) == (1, 2, 1)


def test_a_repeat_that_the_look_up_missed_is_refused_by_the_unique_key_and_answered_with_the_first(
    engine: Engine, settings: Settings, moerwijk: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the look-up cannot see: the other save commits between this one's look-up and its INSERT."""
    me, key = moerwijk.coproducer, str(uuid.uuid4())
    first = requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key)
    look_up, calls = requests._stored_for, []

    def late(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return None if len(calls) == 1 else look_up(*args)

    monkeypatch.setattr(requests, "_stored_for", late)
    again = requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key)
    assert again.id == first.id and len(calls) == 2
    assert counts(engine) == (1, 2, 1)


def test_a_repeat_that_arrives_after_the_days_for_logging_earlier_still_gets_the_first_request(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me, key = moerwijk.coproducer, str(uuid.uuid4())
    first = requests.log_request(engine, settings, me, me.person_id, TAPPED, now=NOW, client_id=key)
    much_later = NOW + timedelta(days=settings.requests.earlier_days + 1)
    again = requests.log_request(engine, settings, me, me.person_id, TAPPED, now=much_later, client_id=key)
    assert again.id == first.id
    assert counts(engine) == (1, 2, 1)
