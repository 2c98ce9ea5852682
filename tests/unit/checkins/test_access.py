"""The access matrix: every check-in, note, calendar and wellbeing service against each role, every forbidden pair
refused with PermissionDenied; and what another coproducer's own calls return holds nothing of the coproducer's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from monitor.checkins import asking, calendar_feed, counselling, views, wellbeing
from monitor.checkins import notes as checkin_notes
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.people.access import Actor
from tests.unit.checkin_helpers import KEY_A, T0
from tests.unit.factories import Team, team

ROLES = ("coproducer", "other coproducer", "leader", "counsellor", "admin")
SELF = {"coproducer"}
COPRODUCERS = {"coproducer", "other coproducer"}
COUNSELLOR = {"counsellor"}


@dataclass
class Scene:
    engine: Engine
    settings: Settings
    team: Team
    checkin_id: int

    def actor(self, role: str) -> Actor:
        t = self.team
        return {
            "coproducer": t.coproducer,
            "other coproducer": t.other_coproducer,
            "leader": t.leader,
            "counsellor": t.counsellor,
            "admin": t.admin,
        }[role]


Call = Callable[[Scene, Actor], Any]
LATER = T0 + timedelta(days=2)

MATRIX: list[tuple[str, Call, set[str]]] = [
    ("asking.request_talk", lambda s, a: asking.request_talk(s.engine, s.settings, a, now=T0), COPRODUCERS),
    ("asking.my_checkins", lambda s, a: asking.my_checkins(s.engine, a), COPRODUCERS),
    ("counselling.queue", lambda s, a: counselling.queue(s.engine, a), COUNSELLOR),
    ("counselling.calendar", lambda s, a: counselling.calendar(s.engine, a, T0, LATER), COUNSELLOR),
    ("counselling.checkin", lambda s, a: counselling.checkin(s.engine, a, s.checkin_id), COUNSELLOR),
    (
        "counselling.schedule",
        lambda s, a: counselling.schedule(s.engine, s.settings, a, s.checkin_id, LATER, 30, "phone", now=T0),
        COUNSELLOR,
    ),
    (
        "counselling.record_outcome",
        lambda s, a: counselling.record_outcome(s.engine, s.settings, a, s.checkin_id, "done", now=LATER),
        COUNSELLOR,
    ),
    (
        "views.team_checkins_held",
        lambda s, a: views.team_checkins_held(s.engine, s.settings, a, s.team.id),
        {"leader"},
    ),
    ("checkin_notes.add_note", lambda s, a: checkin_notes.add_note(s.engine, a, s.checkin_id, "n"), COUNSELLOR),
    ("checkin_notes.note_count", lambda s, a: checkin_notes.note_count(s.engine, a, s.checkin_id), COUNSELLOR),
    ("checkin_notes.open_notes", lambda s, a: checkin_notes.open_notes(s.engine, a, s.checkin_id), COUNSELLOR),
    (
        "calendar_feed.checkin_ics",
        lambda s, a: calendar_feed.checkin_ics(s.engine, a, s.checkin_id),
        SELF | COUNSELLOR,
    ),
    ("calendar_feed.new_feed", lambda s, a: calendar_feed.new_feed(s.engine, a), COUNSELLOR),
    ("calendar_feed.revoke_feed", lambda s, a: calendar_feed.revoke_feed(s.engine, a), COUNSELLOR),
    ("calendar_feed.has_feed", lambda s, a: calendar_feed.has_feed(s.engine, a), COUNSELLOR),
    (
        "wellbeing.submit",
        lambda s, a: wellbeing.submit(s.engine, s.settings, a, (3, 3, 3, 3, 3), now=T0),
        COPRODUCERS,
    ),
    ("wellbeing.my_scores", lambda s, a: wellbeing.my_scores(s.engine, a), COPRODUCERS),
    ("wellbeing.pulse_due", lambda s, a: wellbeing.pulse_due(s.engine, s.settings, a), COPRODUCERS),
    ("wellbeing.skip_pulse", lambda s, a: wellbeing.skip_pulse(s.engine, a), COPRODUCERS),
    ("wellbeing.sharing", lambda s, a: wellbeing.sharing(s.engine, a), COPRODUCERS),
    ("wellbeing.set_sharing", lambda s, a: wellbeing.set_sharing(s.engine, a, True), COPRODUCERS),
    (
        "wellbeing.shared_scores",
        lambda s, a: wellbeing.shared_scores(s.engine, a, s.team.coproducer.person_id),
        COUNSELLOR,
    ),
]


@pytest.fixture
def scene(engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Scene:
    monkeypatch.setenv("MONITOR_NOTES_KEYS", KEY_A)
    t = team(engine)
    checkin_id = asking.request_talk(engine, settings, t.coproducer, now=T0)
    counselling.schedule(engine, settings, t.counsellor, checkin_id, T0 + timedelta(days=1), 30, "phone", now=T0)
    checkin_notes.add_note(engine, t.counsellor, checkin_id, "vertrouwelijk")
    wellbeing.submit(engine, settings, t.coproducer, (4, 4, 4, 4, 4), now=T0)
    wellbeing.set_sharing(engine, t.coproducer, True)
    return Scene(engine, settings, t, checkin_id)


@pytest.mark.parametrize(("name", "call", "allowed"), MATRIX, ids=[name for name, _c, _a in MATRIX])
def test_each_role_is_allowed_or_refused(scene: Scene, name: str, call: Call, allowed: set[str]) -> None:
    for role in ROLES:
        actor = scene.actor(role)
        if role in allowed:
            call(scene, actor)
        else:
            with pytest.raises(PermissionDenied):
                call(scene, actor)


def test_another_coproducer_sees_nothing_of_the_coproducers(scene: Scene) -> None:
    other = scene.actor("other coproducer")
    me = scene.team.coproducer.person_id
    assert all(view.person_id != me for view in asking.my_checkins(scene.engine, other))
    assert wellbeing.my_scores(scene.engine, other) == []
    assert wellbeing.sharing(scene.engine, other) is False  # the coproducer's switch is on; not the other's


def test_no_service_hands_a_score_to_a_leader_or_an_admin(scene: Scene) -> None:
    for role in ("leader", "admin"):
        actor = scene.actor(role)
        for call in (
            lambda a: wellbeing.my_scores(scene.engine, a),
            lambda a: wellbeing.shared_scores(scene.engine, a, scene.team.coproducer.person_id),
        ):
            with pytest.raises(PermissionDenied):
                call(actor)
