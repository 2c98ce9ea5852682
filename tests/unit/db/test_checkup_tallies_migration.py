"""Migration 0019 counts the check-up answers a database holds into checkup_tallies and drops the rows of one
person's answers; the scores stay the same, on SQLite and PostgreSQL, and the downgrade gives the same scores back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, text

from db.migrate import downgrade, upgrade
from monitor.checkup import rounds
from monitor.checkup.statements import ITEMS
from tests.unit.factories import team

AT = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
ANSWERS = [{item: (25 * (item + n)) % 125 for item in ITEMS} for n in range(5)]  # five people, all different


@pytest.fixture
def before_0019(engine: Engine) -> Iterator[tuple[Engine, object]]:
    """Moerwijk with a closed round of five answers and an empty open one, stored as version 0016 stored them."""
    t = team(engine)
    downgrade(engine, "0016")
    with engine.begin() as connection:
        for round_id, closed in ((1, AT), (2, None)):
            connection.execute(
                text(
                    "INSERT INTO checkup_rounds (id, team_id, opened_at, closed_at) VALUES (:id, :team, :at, :closed)"
                ),
                {"id": round_id, "team": t.id, "at": AT, "closed": closed},
            )
        for n, answers in enumerate(ANSWERS):
            response = f"{n:032x}"
            connection.execute(text("INSERT INTO checkup_responses (id, round_id) VALUES (:id, 1)"), {"id": response})
            for item, score in answers.items():
                connection.execute(
                    text("INSERT INTO checkup_answers (response_id, item, score) VALUES (:r, :item, :score)"),
                    {"r": response, "item": item, "score": score},
                )
    yield engine, t
    upgrade(engine)


def test_the_answers_become_counts_with_the_same_scores(before_0019: tuple[Engine, object]) -> None:
    engine, t = before_0019
    upgrade(engine)

    assert not {"checkup_responses", "checkup_answers"} & set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        counts = connection.execute(text("SELECT round_id, COUNT(*), SUM(count) FROM checkup_tallies GROUP BY 1")).all()
    assert sorted(tuple(row) for row in counts) == [(1, 26 * 5, 26 * 5), (2, 26 * 5, 0)]
    result = rounds.results(engine, t.leader, 1)  # type: ignore[attr-defined]
    assert result.scores is not None and result.scores.respondents == 5
    assert result.scores.items == {item: sum(a[item] for a in ANSWERS) / 5 for item in ITEMS}
    rounds.answer(engine, t.coproducer, 2, ANSWERS[0])  # type: ignore[attr-defined]
    views = {view.id: view.respondents for view in rounds.rounds(engine, t.leader, t.id)}  # type: ignore[attr-defined]
    assert views == {1: 5, 2: 1}


def test_the_downgrade_gives_responses_with_the_same_means(before_0019: tuple[Engine, object]) -> None:
    engine, _t = before_0019
    upgrade(engine)
    downgrade(engine, "0016")

    with engine.connect() as connection:
        means = connection.execute(
            text(
                "SELECT a.item, AVG(a.score), COUNT(*) FROM checkup_answers a "
                "JOIN checkup_responses r ON r.id = a.response_id WHERE r.round_id = 1 GROUP BY a.item"
            )
        ).all()
        responses = connection.execute(text("SELECT COUNT(*) FROM checkup_responses")).scalar()
    assert responses == 5
    assert {int(item): (float(mean), count) for item, mean, count in means} == {
        item: (sum(a[item] for a in ANSWERS) / 5, 5) for item in ITEMS
    }
