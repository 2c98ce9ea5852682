"""A check-in's states and reasons, and how one opens: prompted by a rule (a burden alert, a WHO-5 score, no
check-in for weeks, a follow-up date) or asked for by the coproducer (monitor.checkins.asking).

A person has at most one open check-in (prompted, requested or scheduled): the partial unique index
uq_checkins_one_open_per_person makes a second one impossible, and a new reason for an open one is added to it.
Read this module first to understand a check-in; the counsellor plans and closes it (monitor.checkins.counselling),
monitor.checkins.rules prompts and reminds on a schedule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.bulk import insert_rows
from db.models import OPEN_CHECKIN, Checkin, CheckinStatus, Membership, Person, Role
from monitor.config import Settings
from monitor.i18n import N_, Np_, format_date
from monitor.messages import notify
from monitor.messages.inbox import render

OPEN = (CheckinStatus.PROMPTED, CheckinStatus.REQUESTED, CheckinStatus.SCHEDULED)
WAITING = (CheckinStatus.PROMPTED, CheckinStatus.REQUESTED)
OUTCOMES = (CheckinStatus.DONE, CheckinStatus.CANCELLED, CheckinStatus.NO_SHOW)

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
