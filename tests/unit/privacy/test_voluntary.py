"""Voluntary means voluntary: declining the WHO-5 pulse or never asking to talk leaves nothing anyone else can see."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import AuditEvent, Checkin, Notification, WellbeingAnswer, WellbeingPreference
from monitor.checkins import asking, counselling, wellbeing
from monitor.config import Settings
from tests.unit import factories
from tests.unit.privacy.builders import T0


def _rows(engine: Engine, model: type) -> int:
    with reading(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_not_now_on_the_wellbeing_questions_leaves_only_its_own_date(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    before = {model: _rows(engine, model) for model in (AuditEvent, Notification)}

    wellbeing.skip_pulse(engine, team.coproducer, now=T0)

    for model in (WellbeingAnswer, Checkin):
        assert _rows(engine, model) == 0
    assert {model: _rows(engine, model) for model in (AuditEvent, Notification)} == before
    with reading(engine) as session:
        preference = session.get(WellbeingPreference, team.coproducer.person_id)
        assert preference is not None
        assert (preference.pulse_skipped_at, preference.share_with_counsellor) == (T0, False)
    # The counsellor sees no scores and no sign of the skip; the leader has no way to ask at all.
    assert not wellbeing.shared_scores(engine, team.counsellor, team.coproducer.person_id or 0)
    assert counselling.queue(engine, team.counsellor) == []


def test_someone_who_never_asks_to_talk_has_no_checkin(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    assert wellbeing.pulse_due(engine, settings, team.coproducer, now=T0)
    assert asking.my_checkins(engine, team.coproducer) == []
    assert _rows(engine, Checkin) == 0
