"""WHO-5: scoring on known answer sets, the prompt rule at its boundaries, the pulse rhythm, and the sharing switch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from monitor.checkins import counselling, wellbeing, who5
from monitor.config import Settings
from monitor.errors import ValidationError
from monitor.i18n import gettext_for
from tests.unit.checkin_helpers import T0, checkins_of
from tests.unit.factories import Team, team


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((5, 5, 5, 5, 5), 100),
        ((0, 0, 0, 0, 0), 0),
        ((3, 3, 3, 3, 3), 60),
        ((5, 4, 3, 2, 1), 60),
        ((2, 3, 2, 3, 2), 48),
        ((1, 0, 2, 0, 1), 16),
    ],
)
def test_the_score_is_the_raw_total_times_four(answers: tuple[int, ...], expected: int) -> None:
    assert who5.score(answers) == expected


@pytest.mark.parametrize("answers", [(5, 5, 5, 5), (5, 5, 5, 5, 6), (5, 5, 5, 5, -1), (5, 5, 5, 5, True)])
def test_an_incomplete_or_impossible_answer_set_is_refused(answers: tuple[int, ...]) -> None:
    with pytest.raises(ValidationError):
        who5.score(answers)


@pytest.mark.parametrize(
    ("new", "previous", "reason"),
    [
        (50, None, who5.LOW),
        (51, None, None),
        (40, 80, who5.LOW),  # low wins over a drop
        (60, 70, who5.DROP),
        (61, 70, None),
        (80, 70, None),
    ],
)
def test_a_low_score_or_a_drop_prompts_at_the_boundary(new: int, previous: int | None, reason: str | None) -> None:
    assert who5.prompt_reason(new, previous, low=50, drop=10) == reason


def test_the_dutch_items_are_the_standard_translation() -> None:
    nl = gettext_for("nl")
    assert nl(who5.ITEMS[0]) == "Ik voelde me vrolijk en in een goede stemming"
    assert nl(who5.SCALE[0][1]) == "De hele tijd"


def test_a_low_score_opens_a_check_in_without_the_number(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    me = moerwijk.coproducer
    first = wellbeing.submit(engine, settings, me, (4, 4, 4, 4, 4), now=T0)  # 80
    assert first == wellbeing.Submitted(80, False)
    second = wellbeing.submit(engine, settings, me, (3, 4, 4, 4, 3), now=T0 + timedelta(days=14))  # 72: a drop of 8
    assert second.prompted is False
    third = wellbeing.submit(engine, settings, me, (3, 3, 3, 3, 3), now=T0 + timedelta(days=28))  # 60: a drop of 12
    assert third.prompted is True

    [row] = checkins_of(engine, me.person_id)
    assert "60" not in row.reasons and "who5_drop" in row.reasons
    [view] = counselling.queue(engine, moerwijk.counsellor)
    assert view.reasons[0].text("en") == "A clear drop on the wellbeing questions"
    assert [s.score for s in wellbeing.my_scores(engine, me)] == [80, 72, 60]


def test_the_pulse_comes_every_two_weeks_and_skipping_changes_nothing_else(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me = moerwijk.coproducer
    assert wellbeing.pulse_due(engine, settings, me, now=T0)
    wellbeing.skip_pulse(engine, me, now=T0)
    assert not wellbeing.pulse_due(engine, settings, me, now=T0 + timedelta(days=13, hours=23))
    assert wellbeing.pulse_due(engine, settings, me, now=T0 + timedelta(days=14))
    assert checkins_of(engine, me.person_id) == []
    wellbeing.submit(engine, settings, me, (5, 5, 5, 5, 5), now=T0 + timedelta(days=14))
    assert not wellbeing.pulse_due(engine, settings, me, now=T0 + timedelta(days=20))


def test_the_counsellor_sees_scores_only_while_the_switch_is_on(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    me, counsellor = moerwijk.coproducer, moerwijk.counsellor
    wellbeing.submit(engine, settings, me, (4, 4, 4, 4, 4), now=T0)
    assert not wellbeing.sharing(engine, me)
    assert wellbeing.shared_scores(engine, counsellor, me.person_id) is None

    wellbeing.set_sharing(engine, me, True)
    assert [s.score for s in wellbeing.shared_scores(engine, counsellor, me.person_id) or []] == [80]

    wellbeing.set_sharing(engine, me, False)
    assert wellbeing.shared_scores(engine, counsellor, me.person_id) is None
