"""An evaluation that opens many alerts at once: a check-in per person with a critical alert, opened in bulk and
exactly once when two evaluations race; the writes in short transactions of whole teams that read no requests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select, update

from db.engine import reading
from db.models import Alert, AlertEvent, Checkin, Notification, Person
from monitor.alerts import evaluation
from monitor.config import Settings
from monitor.messages.inbox import render
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from tests.unit.factories import Team, team

T0 = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # Friday 20:00 in Amsterdam


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    """Nights and hours over the agreement are critical: each prompts the counsellor."""
    severity = {**settings.rules.severity, "night": "critical", "hours_over": "critical"}
    return replace(settings, rules=replace(settings.rules, severity=severity))


@pytest.fixture
def teams(engine: Engine) -> list[Team]:
    return [team(engine, "Moerwijk"), team(engine, "Transvaal", "t_")]


def long_nights(engine: Engine, settings: Settings, who: Actor) -> None:
    """Two night requests of five hours: over the night limit and over the 8 agreed hours in the week."""
    for day in (17, 18):
        data = RequestInput(300, "phone", ("mental_health",), received_at=datetime(2026, 11, day, 0, 30, tzinfo=UTC))
        requests.log_request(engine, settings, who, who.person_id, data, now=T0)


def coproducers(teams: list[Team]) -> list[Actor]:
    return [who for t in teams for who in (t.coproducer, t.other_coproducer)]


def count(engine: Engine, query) -> int:  # type: ignore[no-untyped-def]
    with reading(engine) as session:
        return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def critical_alerts(engine: Engine) -> list[int]:
    with reading(engine) as session:
        return list(session.scalars(select(Alert.id).where(Alert.severity == "critical").order_by(Alert.id)).all())


def open_checkins(engine: Engine) -> dict[int, list[str]]:
    with reading(engine) as session:
        rows = session.execute(
            select(Checkin.person_id, Checkin.reasons).where(Checkin.status == "prompted").order_by(Checkin.id)
        ).all()
    return {person_id: [r["code"] for r in json.loads(reasons)] for person_id, reasons in rows}


def test_the_first_evaluation_opens_a_check_in_for_each_person_with_a_critical_alert(
    engine: Engine, cfg: Settings, teams: list[Team]
) -> None:
    for who in coproducers(teams):
        long_nights(engine, cfg, who)

    result = evaluation.evaluate(engine, cfg, at=T0)

    critical = critical_alerts(engine)
    assert len(critical) == 8  # night and hours_over, for each of the four (rising load is a warning)
    assert sorted(result.counsellor_prompts) == critical
    assert open_checkins(engine) == {who.person_id: ["alert_critical"] for who in coproducers(teams)}
    prompted = select(AlertEvent.id).where(AlertEvent.action == "counsellor_prompted")
    assert count(engine, prompted) == len(critical)
    for t in teams:  # the team's counsellor, told once per critical alert; the leader, once in all
        told = select(Notification.id).where(Notification.person_id == t.counsellor.person_id)
        assert count(engine, told) == 4
        assert count(engine, select(Notification.id).where(Notification.person_id == t.leader.person_id)) == 1

    again = evaluation.evaluate(engine, cfg, at=T0 + timedelta(minutes=15))
    assert again.opened == [] and again.counsellor_prompts == []
    assert count(engine, prompted) == len(critical)
    assert count(engine, select(Checkin.id)) == 4
    assert count(engine, select(Notification.id)) == 4 + 2 * (4 + 1)


def test_two_evaluations_at_once_open_each_alert_and_check_in_once(
    engine: Engine, cfg: Settings, teams: list[Team]
) -> None:
    for who in coproducers(teams):
        long_nights(engine, cfg, who)
    barrier = threading.Barrier(2)
    results: list[evaluation.Evaluation] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(evaluation.evaluate(engine, cfg, at=T0))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    opened = [alert_id for result in results for alert_id in result.opened]
    prompts = [alert_id for result in results for alert_id in result.counsellor_prompts]
    assert len(opened) == len(set(opened)) == 12
    assert sorted(prompts) == critical_alerts(engine)
    assert open_checkins(engine) == {who.person_id: ["alert_critical"] for who in coproducers(teams)}
    for action, n in (("opened", 12), ("counsellor_prompted", 8)):
        assert count(engine, select(AlertEvent.id).where(AlertEvent.action == action)) == n
    assert count(engine, select(Notification.id)) == 4 + 2 * (4 + 1)


@contextmanager
def write_transactions(engine: Engine) -> Iterator[list[list[str]]]:
    """The statements of each write transaction (not those of reading()) run while inside."""
    transactions: list[list[str]] = []

    def began(connection) -> None:  # type: ignore[no-untyped-def]
        if not connection.get_execution_options().get("read_only", False):
            transactions.append([])
            connection.info["watched"] = True

    def ended(connection) -> None:  # type: ignore[no-untyped-def]
        connection.info.pop("watched", None)

    def executed(connection, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if connection.info.get("watched"):
            transactions[-1].append(statement)

    listeners = [("begin", began), ("commit", ended), ("rollback", ended), ("before_cursor_execute", executed)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield transactions
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def test_the_writes_go_in_short_transactions_of_whole_teams_that_read_no_requests(
    engine: Engine, cfg: Settings, teams: list[Team], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluation, "CHUNK_WORK", 1)  # a transaction per team
    monkeypatch.setattr(evaluation, "CHUNK_WORK_POSTGRESQL", 1)
    moerwijk, transvaal = teams
    long_nights(engine, cfg, moerwijk.coproducer)  # one person in Moerwijk, two in Transvaal
    for who in (transvaal.coproducer, transvaal.other_coproducer):
        long_nights(engine, cfg, who)

    with write_transactions(engine) as transactions:
        result = evaluation.evaluate(engine, cfg, at=T0)

    assert len(result.opened) == 9 and len(transactions) == 2
    # The rules read in the read transaction before; a write transaction only moves alerts along.
    assert not any("help_requests" in statement for statements in transactions for statement in statements)
    # As many statements for two people's alerts as for one's: none is sent per alert or per person.
    assert len(transactions[0]) == len(transactions[1])
    for t, n in ((moerwijk, 3), (transvaal, 6)):
        [message] = inbox(engine, t.leader.person_id)
        assert render(message.message, json.loads(message.params), "en").startswith(f"New alerts in your team ({n})")


def inbox(engine: Engine, person_id: int) -> list[Notification]:
    with reading(engine) as session:
        return list(session.scalars(select(Notification).where(Notification.person_id == person_id)).all())


def test_a_write_transaction_of_new_alerts_writes_each_table_in_one_statement(
    engine: Engine, cfg: Settings, teams: list[Team], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluation, "CHUNK_WORK", 1)  # a transaction per team
    monkeypatch.setattr(evaluation, "CHUNK_WORK_POSTGRESQL", 1)
    for who in coproducers(teams):
        long_nights(engine, cfg, who)

    with write_transactions(engine) as transactions:
        result = evaluation.evaluate(engine, cfg, at=T0)

    assert len(result.opened) == 12 and len(result.counsellor_prompts) == 8 and len(transactions) == 2
    for statements in transactions:  # two people, six alerts, four of them critical
        verbs = [" ".join(statement.split()[:3]) for statement in statements]
        for table in ("alerts", "alert_events", "notifications", "checkins"):
            assert verbs.count(f"INSERT INTO {table}") == 1, (table, verbs)
        # A new critical alert is inserted claimed: no UPDATE claims it; the recipients' addresses were read with
        # whom to tell.
        assert not any(verb.startswith("UPDATE") for verb in verbs), verbs
        assert not any("people" in statement for statement in statements)
    # Per team: six times opened and four counsellor prompts; the counsellor told of each critical alert, the leader
    # once, each coproducer once.
    assert count(engine, select(AlertEvent.id).where(AlertEvent.action == "opened")) == 12
    assert count(engine, select(AlertEvent.id).where(AlertEvent.action == "counsellor_prompted")) == 8
    for t in teams:
        for who, n in ((t.counsellor, 4), (t.leader, 1), (t.coproducer, 1), (t.other_coproducer, 1)):
            assert count(engine, select(Notification.id).where(Notification.person_id == who.person_id)) == n
    with reading(engine) as session:
        claimed = session.scalars(select(Alert.counsellor_prompted_at).where(Alert.severity == "critical")).all()
    assert claimed == [T0] * 8


def test_the_messages_of_an_evaluation_are_mailed_to_those_with_an_address(
    engine: Engine, cfg: Settings, teams: list[Team]
) -> None:
    mail = replace(cfg, email=replace(cfg.email, enabled=True))
    moerwijk = teams[0]
    with engine.begin() as connection:  # the leader, the counsellor and one coproducer have an address
        for who in (moerwijk.leader, moerwijk.counsellor, moerwijk.coproducer):
            connection.execute(
                update(Person).where(Person.id == who.person_id).values(email=f"{who.username}@example.org")
            )
    for who in (moerwijk.coproducer, moerwijk.other_coproducer):
        long_nights(engine, mail, who)

    evaluation.evaluate(engine, mail, at=T0)

    statuses: dict[int, set[str]] = {}
    with reading(engine) as session:
        for person_id, status in session.execute(select(Notification.person_id, Notification.email_status)):
            statuses.setdefault(person_id, set()).add(status)
    assert statuses == {
        moerwijk.leader.person_id: {"pending"},
        moerwijk.counsellor.person_id: {"pending"},
        moerwijk.coproducer.person_id: {"pending"},
        moerwijk.other_coproducer.person_id: {"none"},
    }
