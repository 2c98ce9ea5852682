"""Every way a request is written keeps help_requests.topic_mask (the kinds of problem as bits, which the rules and
the contribution report count) equal to its request_topics rows, on SQLite and PostgreSQL; migration 0014 fills it in
for the requests a database already holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, inspect, text

from db.migrate import downgrade, upgrade
from monitor.config import Settings
from monitor.demo import load as demo
from monitor.requests import log as requests
from monitor.requests.importing import import_requests
from monitor.requests.log import RequestInput
from monitor.requests.vocab import TOPIC_BITS, TOPICS, topic_mask
from tests.unit.factories import team

NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)


def masks(engine: Engine) -> dict[int, tuple[int, int]]:
    """Per request: (its topic_mask, the bits of its request_topics rows worked out here)."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, topic_mask FROM help_requests"))
        stored = {row.id: row.topic_mask for row in rows}
        topics: dict[int, list[str]] = {}
        for request_id, topic in connection.execute(text("SELECT request_id, topic FROM request_topics")):
            topics.setdefault(request_id, []).append(topic)
    return {request_id: (mask, topic_mask(topics.get(request_id, []))) for request_id, mask in stored.items()}


def assert_masks_match(engine: Engine, expected_requests: int) -> None:
    found = masks(engine)
    assert len(found) == expected_requests
    assert {request_id: pair for request_id, pair in found.items() if pair[0] != pair[1]} == {}
    assert all(mask for mask, _worked_out in found.values())  # every request is about at least one kind


def test_each_kind_of_problem_has_its_own_bit() -> None:
    assert sorted(TOPIC_BITS.values()) == [1 << position for position in range(len(TOPICS))]
    assert topic_mask(("money", "housing")) == TOPIC_BITS["money"] | TOPIC_BITS["housing"]
    assert topic_mask(()) == 0
    assert topic_mask(("money", "retired")) == TOPIC_BITS["money"] | TOPIC_BITS["other"]


def test_a_save_and_a_batch_of_saves_write_the_bits(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    me = moerwijk.coproducer
    requests.log_request(engine, settings, me, me.person_id, RequestInput(15, "street", ("money",)), now=NOW)
    requests.log_request(
        engine, settings, me, me.person_id, RequestInput(30, "door", ("violence", "addiction", "other")), now=NOW
    )
    assert_masks_match(engine, 2)


def test_an_import_and_the_demo_write_the_bits(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    csv = (
        "username,received_at,channel,topics,minutes\n"
        "fatima,2026-11-02 21:30,door,money;housing,30\n"
        "fatima,2026-11-03 10:15,centre,mental_health,60\n"
    )
    report = import_requests(engine, settings, moerwijk.leader, "old.csv", csv.encode(), now=NOW)
    assert report.imported == 2, report.problems
    demo.load_demo(engine)
    added = demo.load_demo_requests(engine, settings, now=NOW)
    assert added > 20
    assert_masks_match(engine, 2 + added)


def test_a_correction_changes_the_bits_with_the_kinds_of_problem(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    me = moerwijk.coproducer
    first = RequestInput(15, "street", ("money", "housing"))
    saved = requests.log_request(engine, settings, me, me.person_id, first, now=NOW)
    requests.correct_request(
        engine, settings, me, saved.id, replace(first, topics=("children",)), now=NOW + timedelta(hours=1)
    )
    assert masks(engine) == {saved.id: (TOPIC_BITS["children"], TOPIC_BITS["children"])}


def test_the_migration_fills_in_the_bits_of_the_requests_already_there(engine: Engine, settings: Settings) -> None:
    moerwijk = team(engine)
    me = moerwijk.coproducer
    saved = [
        requests.log_request(engine, settings, me, me.person_id, RequestInput(15, "street", topics), now=NOW).id
        for topics in (("money",), ("violence", "housing"), ("other",))
    ]
    downgrade(engine, "0013")
    try:
        assert "topic_mask" not in {column["name"] for column in inspect(engine).get_columns("help_requests")}
        with engine.begin() as connection:  # a code no vocabulary has: counted as something else
            connection.execute(
                text("INSERT INTO request_topics (request_id, topic) VALUES (:id, 'retired')"), {"id": saved[0]}
            )
    finally:
        upgrade(engine)
    found = masks(engine)
    assert found[saved[0]][0] == TOPIC_BITS["money"] | TOPIC_BITS["other"]
    assert found[saved[1]][0] == TOPIC_BITS["violence"] | TOPIC_BITS["housing"]
    assert found[saved[2]][0] == TOPIC_BITS["other"]
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("help_requests")}
    assert indexes["ix_help_requests_report"][-2:] == ["topic_mask", "id"]
    # received_at joined the rules' index after the bits (migration 0016, the rest between two days)
    assert indexes["ix_help_requests_person_date_cover"][-3:] == ["topic_mask", "received_at", "id"]
