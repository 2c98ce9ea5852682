"""A leader's alerts grouped per coproducer: who needs attention most, one acknowledgement with one note for all of
a person's open alerts, and when the leader last looked (for "new since I last looked").

The person's burden comes first: their wellbeing alerts (hours, nights, outside hours, rest, beyond the role) make one
card, their administration alerts (allowances, tax-free limits, overdue payments) another, in a section after all the
wellbeing cards, so a tax matter never pushes a person at risk of burning out down the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from db.engine import reading, unit_of_work
from db.models import Alert, AlertStatus, Person, Role
from monitor.alerts.actions import AlertRow, checked_note, record_event
from monitor.alerts.rules import burden_rank, is_administration
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor

SEVERITY_ORDER = {"critical": 0, "warning": 1}


@dataclass(frozen=True)
class PersonAlerts:
    """One coproducer's alerts on the leader's page: the worst severity and since when the oldest is open."""

    person_id: int
    name: str
    alerts: tuple[AlertRow, ...]
    administration: bool = False  # the allowance alerts, in the section after the wellbeing

    @property
    def key(self) -> str:
        """Unique on the page: a person may have a wellbeing card and an administration card."""
        return f"{self.person_id}-admin" if self.administration else str(self.person_id)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.rule for a in self.alerts))

    @property
    def severity(self) -> str:
        return min((a.severity for a in self.alerts), key=lambda s: SEVERITY_ORDER.get(s, 9))

    @property
    def since(self) -> datetime:
        return min(a.opened_at or a.first_seen_at for a in self.alerts)

    @property
    def open(self) -> tuple[AlertRow, ...]:
        """The alerts nobody acknowledged yet: the ones the "I have talked with them" action is for."""
        return tuple(a for a in self.alerts if a.status == AlertStatus.OPEN)

    def new_since(self, moment: datetime | None) -> bool:
        return moment is None or any((a.opened_at or a.first_seen_at) > moment for a in self.alerts)


def group(rows: list[AlertRow]) -> list[PersonAlerts]:
    """Per person, the wellbeing cards first, then the administration cards; in each, most urgent first: someone with
    an unacknowledged critical alert, then the longest open. In a card the alerts follow the burden order."""
    by_person: dict[tuple[bool, int], list[AlertRow]] = {}
    for row in rows:
        by_person.setdefault((is_administration(row.rule), row.person_id), []).append(row)
    groups = [
        PersonAlerts(pid, alerts[0].person_name, tuple(sorted(alerts, key=lambda a: burden_rank(a.rule))), admin)
        for (admin, pid), alerts in by_person.items()
    ]
    return sorted(
        groups,
        key=lambda g: (g.administration, not g.open, SEVERITY_ORDER.get(g.severity, 9), g.since, g.name.casefold()),
    )


def acknowledge_person(
    engine: Engine,
    actor: Actor,
    team_id: int,
    person_id: int,
    note: str,
    now: datetime | None = None,
    rules: Iterable[str] | None = None,
) -> int:
    """The leader talked with the coproducer: all their open alerts in the team (of these rules: one card's) are
    acknowledged with one note.

    Returns how many. Alerts already acknowledged keep their own note.
    """
    note = checked_note(note)
    now = now or datetime.now(UTC)
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees its alerts."))
    with unit_of_work(engine) as session:
        alerts = session.scalars(
            select(Alert)
            .where(
                Alert.team_id == team_id,
                Alert.person_id == person_id,
                Alert.status == AlertStatus.OPEN,
                *([Alert.rule.in_(list(rules))] if rules is not None else []),
            )
            .order_by(Alert.id)
        ).all()
        if not alerts:
            raise ValidationError(N_("There are no open alerts for this person any more."))
        for alert in alerts:
            alert.status = AlertStatus.ACKNOWLEDGED
            alert.acknowledged_at = now
            alert.acknowledged_by = actor.person_id
            alert.note = note
            record_event(session, alert, "acknowledged", now, actor.person_id, note)
        return len(alerts)


def last_looked(engine: Engine, actor: Actor) -> datetime | None:
    """When the leader last opened the Alerts page (None: never)."""
    if actor.person_id is None:
        return None
    with reading(engine) as session:
        return session.scalar(select(Person.alerts_seen_at).where(Person.id == actor.person_id))


def record_look(engine: Engine, actor: Actor, now: datetime | None = None) -> None:
    """The leader looked at their alerts now."""
    if actor.person_id is None:
        return
    with unit_of_work(engine) as session:
        person = session.get(Person, actor.person_id)
        if person is not None:
            person.alerts_seen_at = now or datetime.now(UTC)
