"""Confidential check-ins: prompted by a rule or asked for by the coproducer, planned, then done, cancelled or no-show.

A person has at most one open check-in (prompted, requested or scheduled): the partial unique index
uq_checkins_one_open_per_person makes a second one impossible, and a new reason for an open one is added to it.
Only the counsellors of the coproducer's team see and act on a check-in; the coproducer sees their own; leaders see
at most a team's count of check-ins held, and only for large teams (see team_checkins_held).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.bulk import insert_rows
from db.engine import reading, unit_of_work
from db.models import OPEN_CHECKIN, Checkin, CheckinStatus, Membership, Person, Role
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_, Np_, format_date, format_datetime
from monitor.messages import notify
from monitor.messages.inbox import render
from monitor.people.access import Actor
from monitor.requests.log import coproducer_team

OPEN = (CheckinStatus.PROMPTED, CheckinStatus.REQUESTED, CheckinStatus.SCHEDULED)
WAITING = (CheckinStatus.PROMPTED, CheckinStatus.REQUESTED)
OUTCOMES = (CheckinStatus.DONE, CheckinStatus.CANCELLED, CheckinStatus.NO_SHOW)
MODES = ("in_person", "phone", "video")
MIN_MINUTES, MAX_MINUTES = 10, 240
PLACE_MAX = 200
WHEN_FORMAT = "EEEE d MMMM, HH:mm"

ASKED = "asked"
# Why a check-in was opened: the words the counsellor reads (with params), and how urgent it is (higher first).
REASONS: dict[str, tuple[str, int]] = {
    ASKED: (N_("Asked to talk"), 4),
    "alert_critical": (N_("Burden alert: {title}"), 3),
    "who5_low": (N_("A low score on the wellbeing questions"), 3),
    "alert_long": (N_("Burden alert open for two weeks or more: {title}"), 2),
    "who5_drop": (N_("A clear drop on the wellbeing questions"), 2),
    "follow_up": (N_("Follow-up agreed for {day}"), 2),
    "no_checkin": (Np_("No check-in for {weeks} week", "No check-in for {weeks} weeks"), 1),
}


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any]

    def text(self, language: str) -> str:
        message = REASONS[self.code][0] if self.code in REASONS else self.code
        params = dict(self.params)
        if isinstance(params.get("day"), str):
            params["day"] = format_date(date.fromisoformat(params["day"]), language, "d MMMM")
        return render(message, params, language)


@dataclass(frozen=True)
class CheckinView:
    id: int
    person_id: int
    person_name: str
    team_id: int
    status: str
    urgency: int
    reasons: tuple[Reason, ...]
    created_at: datetime
    scheduled_at: datetime | None
    minutes: int | None
    mode: str | None
    place: str | None
    counsellor_name: str | None
    follow_up_on: date | None

    @property
    def ends_at(self) -> datetime | None:
        return self.scheduled_at + timedelta(minutes=self.minutes or 0) if self.scheduled_at else None


# Opening a check-in --------------------------------------------------------------------------------------------


def counsellors_of(session: Session, team_id: int) -> list[int]:
    return counsellors_of_teams(session, {team_id}).get(team_id, [])


def counsellors_of_teams(session: Session, team_ids: set[int]) -> dict[int, list[int]]:
    """The active counsellors of each of these teams, in one query."""
    rows = session.execute(
        select(Membership.team_id, Membership.person_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.team_id.in_(sorted(team_ids)), Membership.role == Role.COUNSELLOR, Person.active.is_(True))
        .order_by(Membership.team_id, Membership.person_id)
    ).all()
    result: dict[int, list[int]] = {}
    for team_id, person_id in rows:
        result.setdefault(team_id, []).append(person_id)
    return result


@dataclass(frozen=True)
class Prompt:
    """A rule's reason to check in with a coproducer: opens a check-in, or is added to their open one."""

    person_id: int
    team_id: int
    code: str
    params: dict[str, Any]


def _with_reason(reasons: list[dict], urgency: int, code: str, params: dict[str, Any]) -> tuple[list[dict], int, bool]:
    """The reasons with this one added unless one of its code is there, the urgency raised to match; and whether."""
    if any(r["code"] == code for r in reasons):
        return reasons, urgency, False
    return [*reasons, {"code": code, "params": params}], max(urgency, REASONS[code][1]), True


_ONE_OPEN = text(OPEN_CHECKIN)  # the partial unique index's WHERE: one open check-in per person


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _insert_open(
    session: Session, person_id: int, team_id: int, status: str, reason: Reason, at: datetime
) -> int | None:
    """Insert an open check-in unless the person has one (race-safe on both databases); the new id or None."""
    return session.execute(
        _insert(session)(Checkin)
        .values(
            person_id=person_id,
            team_id=team_id,
            status=status,
            urgency=REASONS[reason.code][1],
            reasons=json.dumps([{"code": reason.code, "params": reason.params}]),
            created_at=at,
            requested_at=at if status == CheckinStatus.REQUESTED else None,
        )
        .on_conflict_do_nothing(index_elements=["person_id"], index_where=text(OPEN_CHECKIN))
        .returning(Checkin.id)
    ).scalar()


def open_checkins(
    session: Session, settings: Settings, prompts: list[Prompt], at: datetime, tell_counsellors: bool = True
) -> dict[int, tuple[int, bool]]:
    """open_checkin for many prompts at once, in a few statements: per person, (check-in id, created).

    The same as prompting one after the other: a person's first prompt opens the check-in (or finds their open one),
    the others add their reasons to it; the counsellors are told once, of the first reason of a new check-in. The
    partial unique index keeps it to one open check-in per person when two workers race (INSERT .. ON CONFLICT DO
    NOTHING, then the open ones locked and added to). A request to talk goes through open_checkin.
    """
    if any(prompt.code == ASKED for prompt in prompts):
        raise ValueError("a request to talk is opened with open_checkin")
    wanted: dict[int, tuple[int, list[dict], int]] = {}  # person: (team, reasons, urgency), in the prompts' order
    for prompt in prompts:
        team_id, reasons, urgency = wanted.get(prompt.person_id, (prompt.team_id, [], 0))
        reasons, urgency, _added = _with_reason(reasons, urgency, prompt.code, prompt.params)
        wanted[prompt.person_id] = (team_id, reasons, urgency)
    result: dict[int, tuple[int, bool]] = {}
    connection = session.connection()
    table = Checkin.__table__
    todo = list(wanted)
    for _attempt in range(3):  # an open check-in closed between the INSERT and the SELECT: insert again
        rows = [
            {
                "person_id": person_id,
                "team_id": wanted[person_id][0],
                "status": CheckinStatus.PROMPTED,
                "urgency": wanted[person_id][2],
                "reasons": json.dumps(wanted[person_id][1]),
                "created_at": at,
                "requested_at": None,
            }
            for person_id in todo
        ]
        if not rows:
            break
        for checkin_id, person_id in insert_rows(
            connection, table, rows, ("person_id",), _ONE_OPEN, returning=("id", "person_id")
        ):
            result[person_id] = (checkin_id, True)
        existing = [person_id for person_id in todo if person_id not in result]
        if not existing:
            break
        changed = []
        for checkin_id, person_id, reasons_json, urgency in connection.execute(
            select(table.c.id, table.c.person_id, table.c.reasons, table.c.urgency)
            .where(table.c.person_id.in_(existing), table.c.status.in_(OPEN))
            .with_for_update()
        ):
            reasons, added = json.loads(reasons_json), False
            for reason in wanted[person_id][1]:
                reasons, urgency, one = _with_reason(reasons, urgency, reason["code"], reason["params"])
                added = added or one
            if added:
                changed.append({"b_id": checkin_id, "b_reasons": json.dumps(reasons), "b_urgency": urgency})
            result[person_id] = (checkin_id, False)
        if changed:
            connection.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(reasons=bindparam("b_reasons"), urgency=bindparam("b_urgency")),
                changed,
            )
        todo = [person_id for person_id in existing if person_id not in result]
    created = {person_id: checkin_id for person_id, (checkin_id, new) in result.items() if new}
    if tell_counsellors and created:
        first = {person_id: Reason(**wanted[person_id][1][0]) for person_id in created}
        teams = {person_id: wanted[person_id][0] for person_id in created}
        _tell_counsellors(session, settings, created, teams, first, at)
    return result


def open_checkin(
    session: Session,
    settings: Settings,
    person_id: int,
    team_id: int,
    code: str,
    params: dict[str, Any],
    at: datetime,
    tell_counsellors: bool = True,
) -> tuple[int, bool]:
    """Open a check-in for the person for this reason, or add the reason to their open one: (id, created).

    Called by the rules (a burden alert, a WHO-5 score, no check-in for weeks, a follow-up date), through
    open_checkins, and by request_talk. The counsellors of the team are told about a new check-in, and about a request
    to talk, in their inbox.
    """
    if code != ASKED:
        return open_checkins(session, settings, [Prompt(person_id, team_id, code, params)], at, tell_counsellors)[
            person_id
        ]
    reason = Reason(code, params)
    new_id = _insert_open(session, person_id, team_id, CheckinStatus.REQUESTED, reason, at)
    if new_id is None:
        row = session.scalars(
            select(Checkin).where(Checkin.person_id == person_id, Checkin.status.in_(OPEN)).with_for_update()
        ).one()
        reasons, urgency, added = _with_reason(json.loads(row.reasons), row.urgency, code, params)
        if added:
            row.reasons = json.dumps(reasons)
            row.urgency = urgency
        if row.status != CheckinStatus.PROMPTED:
            return row.id, False  # the counsellors already know of this open check-in
        row.status = CheckinStatus.REQUESTED  # a prompt the coproducer now asks for themselves
        row.requested_at = at
        checkin_id = row.id
    else:
        checkin_id = new_id
    if tell_counsellors:
        _tell_counsellors(session, settings, {person_id: checkin_id}, {person_id: team_id}, {person_id: reason}, at)
    return checkin_id, new_id is not None


def _tell_counsellors(
    session: Session,
    settings: Settings,
    checkins: dict[int, int],
    teams: dict[int, int],
    reasons: dict[int, Reason],
    at: datetime,
) -> None:
    """Tell the counsellors of each person's team about their check-in (person: check-in id) and its reason, with
    everyone's names and counsellors read in two queries."""
    names = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(list(checkins)))).all())
    counsellors = counsellors_of_teams(session, set(teams.values()))
    with notify.batched(session, settings):
        for person_id, checkin_id in checkins.items():
            reason, name = reasons[person_id], names.get(person_id) or "?"
            if reason.code == ASKED:
                message, params = N_("{name} would like to talk."), {"name": name}
            else:
                why = {"msgid": REASONS[reason.code][0], "params": reason.params}
                message, params = N_("{name} may need a check-in: {why}."), {"name": name, "why": why}
            for counsellor in counsellors.get(teams[person_id], []):
                key = f"checkin:{checkin_id}:{reason.code}:{counsellor}"
                notify.add(session, settings, counsellor, key, "checkin_prompt", message, params, "check-ins", now=at)


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


# Reading ---------------------------------------------------------------------------------------------------------


def _views(session: Session, query: Any, with_reasons: bool = True) -> list[CheckinView]:
    counsellor = Person.__table__.alias("counsellor")
    rows = session.execute(
        query.add_columns(Person.display_name, counsellor.c.display_name)
        .join(Person, Person.id == Checkin.person_id)
        .outerjoin(counsellor, counsellor.c.id == Checkin.counsellor_id)
    ).all()
    return [
        CheckinView(
            id=row.id,
            person_id=row.person_id,
            person_name=name,
            team_id=row.team_id,
            status=row.status,
            urgency=row.urgency,
            reasons=tuple(Reason(r["code"], r["params"]) for r in json.loads(row.reasons)) if with_reasons else (),
            created_at=row.created_at,
            scheduled_at=row.scheduled_at,
            minutes=row.minutes,
            mode=row.mode,
            place=row.place,
            counsellor_name=counsellor_name,
            follow_up_on=row.follow_up_on,
        )
        for row, name, counsellor_name in rows
    ]


def _counsellor_teams(actor: Actor) -> list[int]:
    teams = sorted(actor.teams_with(Role.COUNSELLOR))
    if not teams or actor.is_system:
        raise PermissionDenied(N_("Only the confidential counsellor sees check-ins."))
    return teams


def queue(engine: Engine, actor: Actor) -> list[CheckinView]:
    """Prompts and requests waiting to be scheduled, for the actor's teams: most urgent first, then oldest first."""
    teams = _counsellor_teams(actor)
    query = (
        select(Checkin)
        .where(Checkin.team_id.in_(teams), Checkin.status.in_(WAITING))
        .order_by(Checkin.urgency.desc(), Checkin.created_at, Checkin.id)
    )
    with reading(engine) as session:
        return _views(session, query)


def calendar(engine: Engine, actor: Actor, start: datetime, end: datetime) -> list[CheckinView]:
    """The scheduled and held check-ins of the actor's teams from start up to end, in time order."""
    teams = _counsellor_teams(actor)
    query = (
        select(Checkin)
        .where(
            Checkin.team_id.in_(teams),
            Checkin.status.in_((CheckinStatus.SCHEDULED, CheckinStatus.DONE, CheckinStatus.NO_SHOW)),
            Checkin.scheduled_at >= start,
            Checkin.scheduled_at < end,
        )
        .order_by(Checkin.scheduled_at, Checkin.id)
    )
    with reading(engine) as session:
        return _views(session, query)


def checkin(engine: Engine, actor: Actor, checkin_id: int) -> CheckinView:
    """One check-in for a counsellor of its team."""
    with reading(engine) as session:
        _counsellors_checkin(session, actor, checkin_id)
        return _views(session, select(Checkin).where(Checkin.id == checkin_id))[0]


def my_checkins(engine: Engine, actor: Actor, closed: int = 3) -> list[CheckinView]:
    """The coproducer's own open check-in and their last few closed ones, without the rules' reasons."""
    if actor.person_id is None or not actor.has_role(Role.COPRODUCER) or actor.is_system:
        raise PermissionDenied(N_("Only a coproducer has check-ins of their own."))
    with reading(engine) as session:
        mine = select(Checkin).where(Checkin.person_id == actor.person_id)
        open_rows = _views(session, mine.where(Checkin.status.in_(OPEN)), with_reasons=False)
        done = _views(
            session,
            mine.where(Checkin.status.in_(OUTCOMES))
            .order_by(Checkin.closed_at.desc(), Checkin.id.desc())
            .limit(closed),
            with_reasons=False,
        )
    return open_rows + done


# Acting on a check-in -------------------------------------------------------------------------------------------


def _counsellors_checkin(session: Session, actor: Actor, checkin_id: int, lock: bool = False) -> Checkin:
    query = select(Checkin).where(Checkin.id == checkin_id)
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise NotFound(N_("This check-in does not exist."))
    if actor.is_system or not actor.has_role(Role.COUNSELLOR, row.team_id):
        raise PermissionDenied(N_("Only the confidential counsellor of this team can see this check-in."))
    return row


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("This person does not exist."))
    return person


def schedule(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    checkin_id: int,
    when: datetime,
    minutes: int,
    mode: str,
    place: str = "",
    now: datetime | None = None,
) -> None:
    """Plan (or move) a check-in; the coproducer is told the time in their inbox, and gets a reminder the day before."""
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValidationError(N_("Choose a date and a time."))
    if when < now - timedelta(minutes=5):
        raise ValidationError(N_("Choose a time that has not passed yet."))
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(N_("A check-in takes {low} to {high} minutes."), low=MIN_MINUTES, high=MAX_MINUTES)
    if mode not in MODES:
        raise ValidationError(N_("Choose how you will talk: in person, by phone or by video."))
    place = (place or "").strip()
    if len(place) > PLACE_MAX:
        raise ValidationError(N_("Keep the place to {max} characters."), max=PLACE_MAX)
    with unit_of_work(engine) as session:
        row = _counsellors_checkin(session, actor, checkin_id, lock=True)
        if row.status not in OPEN:
            raise ValidationError(N_("This check-in is closed; it cannot be planned again."))
        moved = row.status == CheckinStatus.SCHEDULED
        row.status = CheckinStatus.SCHEDULED
        row.counsellor_id = actor.person_id
        row.scheduled_at = when.astimezone(UTC)
        row.minutes = minutes
        row.mode = mode
        row.place = place or None
        coproducer = _person(session, row.person_id)
        message = (
            N_("Your check-in with {counsellor} has moved to {when}.")
            if moved
            else N_("Your check-in with {counsellor} is planned: {when}.")
        )
        params = {
            "counsellor": actor.display_name,
            "when": format_datetime(when, coproducer.language, settings.tz, WHEN_FORMAT),
        }
        key = f"checkin:{row.id}:planned:{row.scheduled_at.isoformat()}"
        notify.add(session, settings, row.person_id, key, "checkin", message, params, "talk", now=now)


def record_outcome(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    checkin_id: int,
    outcome: str,
    follow_up_on: date | None = None,
    now: datetime | None = None,
) -> None:
    """Close a check-in: done or no-show (after it was planned), or cancelled; a follow-up date may be set."""
    now = now or datetime.now(UTC)
    if outcome not in OUTCOMES:
        raise ValidationError(N_("Choose what happened: held, cancelled or did not come."))
    today = now.astimezone(settings.tz).date()
    if follow_up_on is not None and follow_up_on <= today:
        raise ValidationError(N_("Choose a follow-up date after today."))
    with unit_of_work(engine) as session:
        row = _counsellors_checkin(session, actor, checkin_id, lock=True)
        if row.status not in OPEN:
            raise ValidationError(N_("This check-in is already closed."))
        if outcome != CheckinStatus.CANCELLED and row.status != CheckinStatus.SCHEDULED:
            raise ValidationError(N_("Plan the check-in first; then you can record how it went."))
        was_scheduled = row.status == CheckinStatus.SCHEDULED
        row.status = outcome
        row.closed_at = now
        row.follow_up_on = follow_up_on
        if row.counsellor_id is None:
            row.counsellor_id = actor.person_id
        if outcome == CheckinStatus.CANCELLED and was_scheduled and row.scheduled_at and row.scheduled_at > now:
            coproducer = _person(session, row.person_id)
            params = {
                "counsellor": actor.display_name,
                "when": format_datetime(row.scheduled_at, coproducer.language, settings.tz, WHEN_FORMAT),
            }
            message = N_("Your check-in with {counsellor} on {when} is cancelled. You can always ask to talk again.")
            notify.add(
                session, settings, row.person_id, f"checkin:{row.id}:cancelled", "checkin", message, params, "talk"
            )


# What a leader may see ------------------------------------------------------------------------------------------


def team_checkins_held(
    engine: Engine, settings: Settings, actor: Actor, team_id: int, today: date | None = None
) -> int | None:
    """Check-ins held this month in the team, for its leaders; None when the team is too small to stay anonymous."""
    if actor.is_system or not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees its count of check-ins."))
    today = today or datetime.now(settings.tz).date()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, time(0), tzinfo=settings.tz)
    end = datetime.combine(following, time(0), tzinfo=settings.tz)
    with reading(engine) as session:
        coproducers = session.scalar(
            select(func.count(func.distinct(Membership.person_id)))
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.team_id == team_id, Membership.role == Role.COPRODUCER, Person.active.is_(True))
        )
        if int(coproducers or 0) < settings.checkins.team_count_min_coproducers:
            return None
        held = session.scalar(
            select(func.count())
            .select_from(Checkin)
            .where(
                Checkin.team_id == team_id,
                Checkin.status == CheckinStatus.DONE,
                Checkin.scheduled_at >= start,
                Checkin.scheduled_at < end,
            )
        )
    return int(held or 0)
