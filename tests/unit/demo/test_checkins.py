"""The demo holds prompted, requested, planned and held check-ins and a few WHO-5 answers, and loads them once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import Checkin, WellbeingAnswer
from monitor.config import Settings
from monitor.demo import load as demo
from monitor.demo.checkins import load_demo_checkins

NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


def test_the_demo_has_check_ins_in_every_state_and_some_scores(engine: Engine, settings: Settings) -> None:
    demo.load_demo(engine)
    demo.load_demo_requests(engine, settings, now=NOW)

    with reading(engine) as session:
        statuses = set(session.scalars(select(Checkin.status)).all())
        answers = session.scalar(select(func.count()).select_from(WellbeingAnswer))
    assert {"prompted", "requested", "scheduled", "done"} <= statuses
    assert answers and answers >= 3
    assert load_demo_checkins(engine, settings, NOW) == 0  # a second run adds nothing
