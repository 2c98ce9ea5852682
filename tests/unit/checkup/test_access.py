"""The check-up's access matrix and its anonymity rules: who may open, answer and read a round; answers cannot be
traced to a person; results show only for a closed round with at least [reports] min_group (5) answers; partner
links work once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from db.models import Role
from monitor.checkup import rounds
from monitor.checkup.statements import ITEMS
from monitor.config import ReportSettings, Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people.access import Actor
from tests.unit.factories import Team, person, team

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
ALL_AGREE = dict.fromkeys(ITEMS, 75)
ROLES = ("coproducer", "leader", "counsellor", "admin", "other team's leader")


def actor_of(t: Team, other: Team, role: str) -> Actor:
    return {
        "coproducer": t.coproducer,
        "leader": t.leader,
        "counsellor": t.counsellor,
        "admin": t.admin,
        "other team's leader": other.leader,
    }[role]


Call = Callable[[Engine, Team, int, Actor], Any]
MATRIX: list[tuple[str, Call, set[str]]] = [
    ("open_round", lambda e, t, r, a: rounds.open_round(e, a, t.id, now=T0), {"leader"}),
    ("rounds", lambda e, t, r, a: rounds.rounds(e, a, t.id), {"leader"}),
    ("make_invites", lambda e, t, r, a: rounds.make_invites(e, a, r, 1, "en"), {"leader"}),
    ("answer", lambda e, t, r, a: rounds.answer(e, a, r, ALL_AGREE), {"coproducer", "leader"}),
    ("results", lambda e, t, r, a: rounds.results(e, a, r), {"coproducer", "leader"}),
    ("close_round", lambda e, t, r, a: rounds.close_round(e, a, r, now=T0), {"leader"}),
]


@pytest.mark.parametrize(("name", "call", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_role_is_allowed_or_refused(engine: Engine, name: str, call: Call, allowed: set[str]) -> None:
    t, other = team(engine), team(engine, "Laak", prefix="l-")
    for role in ROLES:
        if name == "open_round":
            round_id = 0
        else:
            round_id = rounds.open_round(engine, t.leader, t.id, now=T0 + timedelta(days=len(role)))
        actor = actor_of(t, other, role)
        if role in allowed:
            call(engine, t, round_id, actor)
        else:
            with pytest.raises(PermissionDenied):
                call(engine, t, round_id, actor)
        for r in rounds.rounds(engine, t.leader, t.id):
            rounds.close_round(engine, t.leader, r.id, now=T0)


def five_more(engine: Engine, t: Team) -> list[Actor]:
    return [person(engine, f"extra{i}", t.id, Role.COPRODUCER) for i in range(5)]


def test_results_wait_for_five_answers_and_a_closed_round(engine: Engine) -> None:
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    rounds.answer(engine, t.coproducer, round_id, ALL_AGREE)
    rounds.answer(engine, t.other_coproducer, round_id, dict.fromkeys(ITEMS, 25))
    rounds.answer(engine, t.leader, round_id, dict.fromkeys(ITEMS, 50))
    for actor in five_more(engine, t)[:2]:
        rounds.answer(engine, actor, round_id, dict.fromkeys(ITEMS, 50))
    assert rounds.results(engine, t.leader, round_id).scores is None  # five answers, but the round is still open

    rounds.close_round(engine, t.leader, round_id, now=T0)
    scores = rounds.results(engine, t.leader, round_id).scores
    assert scores is not None and scores.overall == 50


def test_four_answers_never_show_the_minimum_group_is_the_reports(engine: Engine, settings: Settings) -> None:
    """Issue 27: the check-up follows [reports] min_group like every figure shown to more than one person."""
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    for actor in five_more(engine, t)[:4]:
        rounds.answer(engine, actor, round_id, ALL_AGREE)
    rounds.close_round(engine, t.leader, round_id, now=T0)
    assert rounds.results(engine, t.leader, round_id, settings).scores is None
    four = dataclasses.replace(settings, reports=ReportSettings(min_group=4))
    assert rounds.results(engine, t.leader, round_id, four).scores is not None
    two = dataclasses.replace(settings, reports=ReportSettings(min_group=2))
    assert rounds.least_answers(two) == rounds.MIN_RESPONDENTS  # never fewer than three


def test_two_answers_never_show_even_when_closed(engine: Engine) -> None:
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    rounds.answer(engine, t.coproducer, round_id, ALL_AGREE)
    rounds.answer(engine, t.leader, round_id, ALL_AGREE)
    rounds.close_round(engine, t.leader, round_id, now=T0)
    result = rounds.results(engine, t.leader, round_id)
    assert result.scores is None and result.round.respondents == 2


def test_nothing_stored_ties_an_answer_to_a_person(engine: Engine) -> None:
    tables = ("checkup_tallies", "checkup_participants")
    columns = {table: {c["name"] for c in inspect(engine).get_columns(table)} for table in tables}
    assert columns["checkup_tallies"] == {"round_id", "item", "score", "count"}  # counts: no person, no time
    assert columns["checkup_participants"] == {"round_id", "person_id"}  # who answered, not what
    assert not {"checkup_responses", "checkup_answers"} & set(inspect(engine).get_table_names())


def test_a_person_answers_a_round_once(engine: Engine) -> None:
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    rounds.answer(engine, t.coproducer, round_id, ALL_AGREE)
    assert rounds.rounds_to_answer(engine, t.coproducer) == []
    with pytest.raises(ValidationError):
        rounds.answer(engine, t.coproducer, round_id, ALL_AGREE)
    assert rounds.rounds(engine, t.leader, t.id)[0].respondents == 1


def test_a_team_has_one_open_round_and_a_closed_round_takes_no_answers(engine: Engine) -> None:
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    with pytest.raises(ValidationError):
        rounds.open_round(engine, t.leader, t.id, now=T0)
    rounds.close_round(engine, t.leader, round_id, now=T0)
    with pytest.raises(ValidationError):
        rounds.answer(engine, t.coproducer, round_id, ALL_AGREE)


def test_a_partner_link_works_once_and_not_after_the_round_closes(engine: Engine) -> None:
    t = team(engine)
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    first, second = rounds.make_invites(engine, t.leader, round_id, 2, "en")
    assert rounds.invite(engine, first) == (round_id, "en")
    assert rounds.answer_by_invite(engine, first, ALL_AGREE) is True
    assert rounds.answer_by_invite(engine, first, ALL_AGREE) is False
    assert rounds.invite(engine, first) is None
    assert rounds.invite(engine, "not-a-link") is None
    rounds.close_round(engine, t.leader, round_id, now=T0)
    assert rounds.answer_by_invite(engine, second, ALL_AGREE) is False
    assert rounds.rounds(engine, t.leader, t.id)[0].respondents == 1


def test_results_compare_with_the_previous_round_with_enough_answers(engine: Engine) -> None:
    t = team(engine)
    extra = five_more(engine, t)
    first = rounds.open_round(engine, t.leader, t.id, now=T0)
    for actor in extra:
        rounds.answer(engine, actor, first, dict.fromkeys(ITEMS, 25))
    rounds.close_round(engine, t.leader, first, now=T0)
    thin = rounds.open_round(engine, t.leader, t.id, now=T0 + timedelta(days=30))
    rounds.answer(engine, t.coproducer, thin, ALL_AGREE)  # one answer: never shown, so never compared with
    rounds.close_round(engine, t.leader, thin, now=T0 + timedelta(days=31))
    latest = rounds.open_round(engine, t.leader, t.id, now=T0 + timedelta(days=60))
    for actor in extra:
        rounds.answer(engine, actor, latest, ALL_AGREE)
    rounds.close_round(engine, t.leader, latest, now=T0 + timedelta(days=61))

    result = rounds.results(engine, t.coproducer, latest)
    assert result.scores is not None and result.scores.overall == 75
    assert result.previous is not None and result.previous.overall == 25
