"""The demo makes every burden rule fire, on any day of the week, and shows an acknowledged alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import Alert, AlertStatus, HelpRequest
from monitor.alerts import evaluation
from monitor.alerts.rules import ALL
from monitor.config import Settings
from monitor.demo import load as demo

# A Monday just after midnight (the hardest moment: almost nothing of the week has passed), a Wednesday, a Sunday
# evening, and the day the clocks go back.
MOMENTS = [
    datetime(2026, 11, 23, 0, 5, tzinfo=UTC),
    datetime(2026, 11, 25, 13, 0, tzinfo=UTC),
    datetime(2026, 11, 29, 20, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 9, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("now", MOMENTS, ids=lambda moment: moment.strftime("%a-%H%M"))
def test_after_the_demo_every_rule_has_an_alert(engine: Engine, settings: Settings, now: datetime) -> None:
    demo.load_demo(engine)
    demo.load_demo_requests(engine, settings, now=now)
    evaluation.evaluate(engine, settings, at=now + timedelta(minutes=1))

    with reading(engine) as session:
        fired = set(session.scalars(select(Alert.rule)).all())
        critical = session.scalar(select(func.count()).where(Alert.rule == "hours_over", Alert.severity == "critical"))
    assert fired == {rule.name for rule in ALL}
    assert critical == 1


def test_the_leader_has_acknowledged_one_alert_with_a_note(engine: Engine, settings: Settings) -> None:
    demo.load_demo(engine)
    demo.load_demo_requests(engine, settings, now=MOMENTS[1])

    with reading(engine) as session:
        acknowledged = session.scalars(select(Alert).where(Alert.status == AlertStatus.ACKNOWLEDGED)).all()
    assert [(a.rule, bool(a.note)) for a in acknowledged] == [("hours_over", True)]


def test_loading_the_demo_twice_adds_nothing_the_second_time(engine: Engine, settings: Settings) -> None:
    demo.load_demo(engine)
    assert demo.load_demo_requests(engine, settings, now=MOMENTS[1]) > 0
    with reading(engine) as session:
        counts = (session.scalar(select(func.count(HelpRequest.id))), session.scalar(select(func.count(Alert.id))))

    assert demo.load_demo_requests(engine, settings, now=MOMENTS[1]) == 0
    with reading(engine) as session:
        again = (session.scalar(select(func.count(HelpRequest.id))), session.scalar(select(func.count(Alert.id))))
    assert again == counts
