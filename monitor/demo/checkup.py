"""A demo check-up round: five people of the Moerwijk team answered in September, with the item scores of Table A1 of
the Moerwijk study, so the Results tab shows what the team found then (visibility 59, "everyone's contribution" 30)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from monitor.checkup import rounds
from monitor.checkup.statements import SCALE
from monitor.people import accounts as people
from monitor.people.auth import actor_for_person

TABLE_A1 = {
    1: 95, 2: 50, 3: 95, 4: 30, 5: 100, 6: 90, 7: 100, 8: 100, 9: 55, 10: 90, 11: 50, 12: 55, 13: 30,
    14: 65, 15: 50, 16: 70, 17: 50, 18: 50, 19: 90, 20: 80, 21: 85, 22: 70, 23: 45, 24: 50, 25: 70, 26: 70,
}  # fmt: skip
RESPONDENTS = ("lotte", "fatima", "henk", "youssef", "marieke")


def five_answers(table: dict[int, int]) -> list[dict[int, int]]:
    """Five sets of answers on the scale whose mean per statement is the table's score (a multiple of 5)."""
    answers: list[dict[int, int]] = [{} for _ in range(5)]
    for item, target in table.items():
        steps = target * 5 // 25
        for person in answers:
            given = min(len(SCALE) - 1, steps)
            person[item] = SCALE[given]
            steps -= given
    return answers


def load_demo_checkup(engine: Engine, team_id: int, now: datetime | None = None) -> bool:
    """Add the closed September round unless the team has rounds already."""
    now = now or datetime.now(UTC)
    ids = [people.person_id_by_username(engine, name) for name in RESPONDENTS]
    actors = [actor_for_person(engine, person_id) for person_id in ids if person_id is not None]
    leader = actors[0] if actors else None
    if leader is None or len(actors) != len(RESPONDENTS) or rounds.rounds(engine, leader, team_id):
        return False
    opened = now - timedelta(weeks=10)
    round_id = rounds.open_round(engine, leader, team_id, now=opened)
    for actor, answers in zip(actors, five_answers(TABLE_A1), strict=True):
        if actor is not None:
            rounds.answer(engine, actor, round_id, answers)
    rounds.close_round(engine, leader, round_id, now=opened + timedelta(days=14))
    return True
