"""Telling people about alerts: the coproducer and their team's leaders hear of new alerts in their inbox (and by
e-mail), and the team's counsellors are asked to check in when an alert is critical or open for long.

Whom to tell (the Directory) is read with the rules' findings, outside the write transactions; what to tell is decided
by monitor.alerts.evaluation, which calls announce and prompt_counsellors in each of its write transactions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Alert, Membership, Person, Role
from monitor.alerts import store
from monitor.alerts.rules import BY_NAME, LEADER_ONLY
from monitor.alerts.rules.base import message_params
from monitor.alerts.store import AlertState
from monitor.checkins import opening
from monitor.config import Settings
from monitor.i18n import N_
from monitor.messages import notify

CRITICAL_WHY = N_("{name} may need a check-in: {title}.")
LONG_WHY = N_("{name} may need a check-in: {title}, for two weeks or more.")
LEADER_BATCH = N_("New alerts in your team ({n}):\n{lines}")
SELF_BATCH = N_("New alerts about your own load ({n}):\n{lines}")
PERSON_LINE = N_("{name}:")
ALERT_LINE = N_("- {title}")


@dataclass(frozen=True)
class Directory:
    """Whom to tell, read with the findings rather than under the write lock: names, the teams' leaders and
    counsellors, and everyone's e-mail address (whether a message is to be mailed, notify.batched)."""

    names: dict[int, str]
    roles: dict[tuple[int, str], list[int]]
    emails: dict[int, str | None] = field(default_factory=dict)

    def name(self, person_id: int) -> str:
        return self.names.get(person_id) or "?"

    def of(self, team_id: int, role: Role) -> list[int]:
        return self.roles.get((team_id, role), [])


def directory(session: Session, person_ids: Iterable[int], team_ids: Iterable[int]) -> Directory:
    """The names of these people and the active leaders and counsellors of these teams, with the e-mail addresses of
    all of them, in two queries."""
    names: dict[int, str] = {}
    emails: dict[int, str | None] = {}
    for person_id, name, email in session.execute(
        select(Person.id, Person.display_name, Person.email).where(Person.id.in_(list(person_ids)))
    ):
        names[person_id], emails[person_id] = name, email
    roles: dict[tuple[int, str], list[int]] = {}
    for team_id, role, person_id, email in session.execute(
        select(Membership.team_id, Membership.role, Membership.person_id, Person.email)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.team_id.in_(sorted(set(team_ids))),
            Membership.role.in_((Role.LEADER, Role.COUNSELLOR)),
            Person.active.is_(True),
        )
        .order_by(Membership.team_id, Membership.person_id)
    ):
        roles.setdefault((team_id, role), []).append(person_id)
        emails[person_id] = email
    return Directory(names, roles, emails)


def _params_of(alert: AlertState) -> dict:
    return message_params(json.loads(alert.detail), alert.value, alert.threshold)


def announce(session: Session, settings: Settings, people: Directory, opened: list[AlertState], at: datetime) -> None:
    """Tell the coproducers and their team's leaders about the alerts this evaluation opened: one message each.

    A leader gets one message listing the new alerts per person; a coproducer one about their own. Each message's key
    is that of the first alert (and opening) in it, as when every alert had its own message: every opening is
    announced by the one evaluation that opened it, so the unique key still makes the message exactly-once. An
    evaluation announces in each of its write transactions what that transaction opened (whole teams at a time).
    """
    if not opened:
        return
    in_order = sorted(opened, key=lambda a: (a.person_id, a.id))
    _tell_coproducers(session, settings, in_order, at)
    _tell_leaders(session, settings, people, in_order, at)


def _tell_coproducers(session: Session, settings: Settings, opened: list[AlertState], at: datetime) -> None:
    """Each coproducer hears of their own new alerts (not those for the leader only) in one message."""
    by_person: dict[int, list[AlertState]] = {}
    for alert in opened:
        by_person.setdefault(alert.person_id, []).append(alert)
    for person_id, own in by_person.items():
        told = [a for a in own if a.rule not in LEADER_ONLY]
        if not told:
            continue
        first = told[0]
        if len(told) == 1:
            message, params = BY_NAME[first.rule].message, _params_of(first)
        else:
            lines = [{"msgid": BY_NAME[a.rule].message, "params": _params_of(a)} for a in told]
            message, params = SELF_BATCH, {"n": len(told), "lines": lines}
        key = f"alert:{first.id}:{first.times_opened}:self"
        notify.add(session, settings, person_id, key, "alert", message, params, "my-week", first.id, at)


def _tell_leaders(
    session: Session, settings: Settings, people: Directory, opened: list[AlertState], at: datetime
) -> None:
    """Each leader hears of their team's new alerts in one message, listed per person."""
    by_leader: dict[int, list[AlertState]] = {}
    for alert in opened:
        for leader in people.of(alert.team_id, Role.LEADER):
            by_leader.setdefault(leader, []).append(alert)
    for leader, theirs in by_leader.items():
        first = theirs[0]
        if len(theirs) == 1:
            message = N_("{name}: {title}.")
            params = {"name": people.name(first.person_id), "title": BY_NAME[first.rule].title, **_params_of(first)}
        else:
            lines: list[dict] = []
            for person_id in dict.fromkeys(a.person_id for a in theirs):
                lines.append({"msgid": PERSON_LINE, "params": {"name": people.name(person_id)}})
                lines += [
                    {"msgid": ALERT_LINE, "params": {"title": BY_NAME[a.rule].title}}
                    for a in theirs
                    if a.person_id == person_id
                ]
            message, params = LEADER_BATCH, {"n": len(theirs), "lines": lines}
        key = f"alert:{first.id}:{first.times_opened}:{leader}"
        notify.add(session, settings, leader, key, "alert", message, params, "alerts", first.id, at)


def prompt_counsellors(
    session: Session,
    settings: Settings,
    people: Directory,
    prompts: list[tuple[AlertState, str, str]],
    at: datetime,
    events: list[dict[str, Any]],
    claimed: frozenset[int] = frozenset(),
) -> list[int]:
    """Ask the teams' counsellors to check in with the coproducers of these (alert, why, reason), once per alert;
    the ids of the alerts prompted now. Says why, not the logs.

    Each alert is claimed with one conditional UPDATE of counsellor_prompted_at (from unset), so two evaluations never
    both prompt for it, unless claimed holds it: inserted by this transaction with counsellor_prompted_at set (see
    store.claims_at_once), no other could claim it. A check-in is opened for the reason
    (monitor.checkins.opening.open_checkins, in bulk), or the reason added to the person's open one; the counsellors
    are told here, so the check-in does not tell them again.
    """
    if not prompts:
        return []
    claimed |= store.claim(session, [alert.id for alert, _, _ in prompts if alert.id not in claimed], at)
    prompts = [(alert, why, reason) for alert, why, reason in prompts if alert.id in claimed]
    opening.open_checkins(
        session,
        settings,
        [
            opening.Prompt(alert.person_id, alert.team_id, reason, {"title": BY_NAME[alert.rule].title})
            for alert, _, reason in prompts
        ],
        at,
        tell_counsellors=False,
    )
    for alert, why, _ in prompts:
        alert.counsellor_prompted_at = at
        params = {"name": people.name(alert.person_id), "title": BY_NAME[alert.rule].title}
        for counsellor in people.of(alert.team_id, Role.COUNSELLOR):
            key = f"alert:{alert.id}:counsellor:{counsellor}"
            notify.add(session, settings, counsellor, key, "checkin_prompt", why, params, "check-ins", alert.id, at)
        events.append(store.event_row(alert.id, "counsellor_prompted", at))
    return [alert.id for alert, _, _ in prompts]


def prompt_counsellor(
    session: Session, settings: Settings, alert: Alert, at: datetime, why: str, reason: str = "alert_critical"
) -> bool:
    """Ask the team's counsellors to check in with the coproducer of this one alert, once (see prompt_counsellors)."""
    session.flush()
    state = store.state_of(alert)
    events: list[dict[str, Any]] = []
    people = directory(session, [alert.person_id], [alert.team_id])
    with notify.batched(session, settings, people.emails):
        prompted = prompt_counsellors(session, settings, people, [(state, why, reason)], at, events)
    store.write_events(session, events)
    if prompted:
        alert.counsellor_prompted_at = at
    return bool(prompted)
