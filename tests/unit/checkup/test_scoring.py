"""The check-up reproduces the Moerwijk study: five respondents whose answers give Table A1's item scores get the
dimension scores the paper reports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from db.models import Role
from monitor.checkup import rounds, scoring
from monitor.checkup.statements import DIMENSIONS, ITEMS, SCALE, STATEMENTS
from tests.unit.factories import person, team

# Table A1 of the Moerwijk study (CAC, September 2023): item -> score.
TABLE_A1 = {
    1: 95, 2: 50, 3: 95, 4: 30, 5: 100, 6: 90, 7: 100, 8: 100, 9: 55, 10: 90, 11: 50, 12: 55, 13: 30,
    14: 65, 15: 50, 16: 70, 17: 50, 18: 50, 19: 90, 20: 80, 21: 85, 22: 70, 23: 45, 24: 50, 25: 70, 26: 70,
}  # fmt: skip
PAPER = {"general": 95, "suitability": 81, "task": 56, "relation": 57, "growth": 81, "visibility": 59}
PAPER_ALL = 69
T0 = datetime(2023, 9, 4, 10, 0, tzinfo=UTC)


def five_respondents(table: dict[int, int]) -> list[dict[int, int]]:  # the demo has its own; the test builds its own
    """Five sets of answers on the 0/25/50/75/100 scale whose mean per item is table's score."""
    people: list[dict[int, int]] = [{} for _ in range(5)]
    for item, target in table.items():
        steps = target * 5 // 25  # the five answers add up to target * 5, in steps of 25
        assert steps * 25 == target * 5, f"item {item}: {target} cannot be a mean of five answers"
        for answers in people:
            given = min(4, steps)
            answers[item] = SCALE[given]
            steps -= given
    return people


def test_the_statements_are_the_26_of_the_checklist_in_six_dimensions() -> None:
    assert list(ITEMS) == list(range(1, 27))
    assert [item for d in DIMENSIONS for item in d.items] == list(range(1, 27))
    assert [len(d.items) for d in DIMENSIONS] == [1, 7, 5, 5, 4, 4]
    assert all(STATEMENTS[i].strip() for i in ITEMS)


def test_five_answers_per_item_reproduce_table_a1_and_its_dimension_scores() -> None:
    scores = scoring.score(five_respondents(TABLE_A1))
    assert scores.respondents == 5
    assert {i: scoring.shown(v) for i, v in scores.items.items()} == TABLE_A1
    assert {d: scoring.shown(v) for d, v in scores.dimensions.items()} == PAPER
    assert scoring.shown(scores.overall) == PAPER_ALL
    assert scoring.lowest(scores, 2) == [4, 13]  # "everyone's full satisfaction" and "conditions": 30 each


def test_shown_rounds_half_up_like_the_paper() -> None:
    assert scoring.shown(80.5) == 81
    assert scoring.shown(58.75) == 59
    assert scoring.shown(68.65) == 69
    assert scoring.shown(None) is None


def test_the_app_reports_the_papers_scores_for_a_round_answered_in_it(engine: Engine) -> None:
    t = team(engine)
    others = [person(engine, name, t.id, Role.COPRODUCER) for name in ("youssef", "marieke")]
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    answerers = [t.leader, t.coproducer, t.other_coproducer, *others]
    for actor, answers in zip(answerers, five_respondents(TABLE_A1), strict=True):
        rounds.answer(engine, actor, round_id, answers)
    rounds.close_round(engine, t.leader, round_id, now=T0)

    result = rounds.results(engine, t.coproducer, round_id)

    assert result.scores is not None
    assert {d: scoring.shown(v) for d, v in result.scores.dimensions.items()} == PAPER
    assert scoring.shown(result.scores.overall) == PAPER_ALL
    assert result.previous is None


@pytest.mark.parametrize("bad", [{i: 50 for i in ITEMS if i != 7}, {**{i: 50 for i in ITEMS}, 3: 60}])
def test_incomplete_or_off_scale_answers_are_refused_and_nothing_is_saved(engine: Engine, bad: dict[int, int]) -> None:
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    with pytest.raises(rounds.ValidationError):
        rounds.answer(engine, t.coproducer, round_id, bad)
    assert rounds.rounds(engine, t.leader, t.id)[0].respondents == 0
    assert [r.id for r in rounds.rounds_to_answer(engine, t.coproducer)] == [round_id]
