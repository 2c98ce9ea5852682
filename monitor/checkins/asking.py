"""The coproducer's side of check-ins: asking to talk in one tap, taking the request back, and seeing their own."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from db.engine import reading, unit_of_work
from db.models import Checkin, CheckinStatus, Person, Role
from monitor.checkins import views
from monitor.checkins.opening import ASKED, OPEN, OUTCOMES, REASONS, counsellors_of, open_checkin
from monitor.checkins.views import CheckinView
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.messages import notify
from monitor.people.access import Actor
from monitor.requests.log import coproducer_team


def request_talk(engine: Engine, settings: Settings, actor: Actor, now: datetime | None = None) -> int:
    """The coproducer's one tap, "I would like to talk": opens a request (or turns a prompt into one)."""
    now = now or datetime.now(UTC)
    if actor.person_id is None or not actor.has_role(Role.COPRODUCER) or actor.is_system:
        raise PermissionDenied(N_("Only a coproducer can ask for a check-in for themselves."))
    with unit_of_work(engine) as session:
        team_id = coproducer_team(session, actor.person_id)
        if team_id is None:
            raise PermissionDenied(N_("Only a coproducer can ask for a check-in for themselves."))
        checkin_id, _created = open_checkin(session, settings, actor.person_id, team_id, ASKED, {}, now)
        return checkin_id


def withdraw_request(engine: Engine, settings: Settings, actor: Actor, now: datetime | None = None) -> None:
    """The coproducer no longer needs the talk they asked for, before it is planned.

    Their request is taken back: a check-in they alone asked for is closed as cancelled; one that a rule had prompted
    goes back to a prompt, so the counsellor still knows why to reach out. The counsellors are told in their inbox.
    A planned check-in is moved or cancelled with the counsellor, not here.
    """
    now = now or datetime.now(UTC)
    if actor.person_id is None or not actor.has_role(Role.COPRODUCER) or actor.is_system:
        raise PermissionDenied(N_("Only a coproducer can take back their own request."))
    with unit_of_work(engine) as session:
        row = session.scalars(
            select(Checkin).where(Checkin.person_id == actor.person_id, Checkin.status.in_(OPEN)).with_for_update()
        ).one_or_none()
        if row is None or row.status != CheckinStatus.REQUESTED:
            raise ValidationError(
                N_("There is no request to take back. A planned check-in you can move or cancel with the counsellor.")
            )
        reasons = [r for r in json.loads(row.reasons) if r["code"] != ASKED]
        if reasons:
            row.status = CheckinStatus.PROMPTED
            row.reasons = json.dumps(reasons)
            row.urgency = max(REASONS[r["code"]][1] for r in reasons if r["code"] in REASONS)
        else:
            row.status = CheckinStatus.CANCELLED
            row.closed_at = now
        name = session.scalar(select(Person.display_name).where(Person.id == actor.person_id)) or "?"
        for counsellor in counsellors_of(session, row.team_id):
            key = f"checkin:{row.id}:withdrawn:{now.isoformat()}:{counsellor}"
            notify.add(
                session,
                settings,
                counsellor,
                key,
                "checkin_prompt",
                N_("{name} no longer needs to talk for now."),
                {"name": name},
                "check-ins",
                now=now,
            )


def my_checkins(engine: Engine, actor: Actor, closed: int = 3) -> list[CheckinView]:
    """The coproducer's own open check-in and their last few closed ones, without the rules' reasons."""
    if actor.person_id is None or not actor.has_role(Role.COPRODUCER) or actor.is_system:
        raise PermissionDenied(N_("Only a coproducer has check-ins of their own."))
    with reading(engine) as session:
        mine = select(Checkin).where(Checkin.person_id == actor.person_id)
        open_rows = views.read(session, mine.where(Checkin.status.in_(OPEN)), with_reasons=False)
        done = views.read(
            session,
            mine.where(Checkin.status.in_(OUTCOMES))
            .order_by(Checkin.closed_at.desc(), Checkin.id.desc())
            .limit(closed),
            with_reasons=False,
        )
    return open_rows + done
