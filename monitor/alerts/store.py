"""The alerts' rows as an evaluation writes them: read locked, inserted new, changed, claimed for the counsellor, and
their events; a few statements per write transaction whatever the number of alerts (monitor.alerts.evaluation decides
what changes, this module how it is written).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select, update
from sqlalchemy.orm import Session

from db.bulk import insert_rows
from db.models import Alert, AlertEvent, AlertStatus
from monitor.alerts.rules import LEADER_ONLY
from monitor.alerts.rules.base import Context, Finding


@dataclass(eq=False)
class AlertState:
    """An alert as an evaluation reads it and changes it; `changes` holds the columns to write back."""

    id: int
    rule: str
    person_id: int
    team_id: int
    status: str
    severity: str
    value: float
    threshold: float
    detail: str
    first_seen_at: datetime
    cleared_at: datetime | None
    opened_at: datetime | None
    times_opened: int
    counsellor_prompted_at: datetime | None
    changes: dict[str, Any] = field(default_factory=dict, repr=False)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            if name in STATE_COLUMNS and getattr(self, name) == value:
                continue
            setattr(self, name, value)
            self.changes[name] = value


# The statuses of an alert that is still alive: it may open, clear or be resolved; a snooze resolves these.
ACTIVE = (AlertStatus.PENDING, AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
STATE_COLUMNS = tuple(name for name in AlertState.__dataclass_fields__ if name != "changes")
ALERTS = Alert.__table__


def event_row(alert_id: int, action: str, at: datetime, note: str | None = None) -> dict[str, Any]:
    return {"alert_id": alert_id, "at": at, "action": action, "actor_id": None, "note": note}


def write_events(session: Session, events: list[dict[str, Any]]) -> None:
    """Every event of a write transaction in one INSERT (db.bulk)."""
    insert_rows(session.connection(), AlertEvent.__table__, events)


def claim(session: Session, alert_ids: list[int], at: datetime) -> set[int]:
    """Set counsellor_prompted_at of those of these alerts that have none, in one UPDATE; the ids it set."""
    if not alert_ids:
        return set()
    return set(
        session.connection()
        .execute(
            update(ALERTS)
            .where(ALERTS.c.id.in_(alert_ids), ALERTS.c.counsellor_prompted_at.is_(None))
            .values(counsellor_prompted_at=at)
            .returning(ALERTS.c.id)
        )
        .scalars()
    )


def claims_at_once(finding: Finding, status: str) -> bool:
    """Whether a new alert for this finding, inserted with this status, prompts the counsellor as it opens (the
    evaluation's rule: open, critical, about the coproducer's wellbeing): then it is inserted claimed."""
    return status != AlertStatus.PENDING and finding.severity == "critical" and finding.rule not in LEADER_ONLY


def state_of(alert: Alert) -> AlertState:
    return AlertState(**{name: getattr(alert, name) for name in STATE_COLUMNS})


def insert_new(
    session: Session, findings: list[Finding], ctx: Context, at: datetime, status: str
) -> dict[tuple[str, int], AlertState]:
    """Insert the alerts for these findings in this window unless they exist, in one statement (race-safe on both
    databases); returns those this call inserted (not those another worker inserted a moment ago, nor those resolved
    earlier in the window). Those that prompt the counsellor at once are inserted with counsellor_prompted_at set:
    claimed by this transaction without an UPDATE of their own."""
    if not findings:
        return {}
    rows = {
        (finding.rule, finding.person_id): {
            "rule": finding.rule,
            "person_id": finding.person_id,
            "team_id": ctx.people[finding.person_id].team_id,
            "window_start": ctx.week_start,
            "severity": finding.severity,
            "status": status,
            "value": finding.value,
            "threshold": finding.threshold,
            "detail": json.dumps(finding.params),
            "first_seen_at": at,
            "last_seen_at": at,
            "opened_at": at if status == AlertStatus.OPEN else None,
            "times_opened": 1 if status == AlertStatus.OPEN else 0,
            "counsellor_prompted_at": at if claims_at_once(finding, status) else None,
        }
        for finding in findings
    }
    inserted = {}
    for alert_id, rule, person_id in insert_rows(
        session.connection(),
        ALERTS,
        list(rows.values()),
        conflict=("rule", "person_id", "window_start"),
        returning=("id", "rule", "person_id"),
    ):
        row = rows[rule, person_id]
        inserted[rule, person_id] = AlertState(
            id=alert_id,
            cleared_at=None,
            **{name: row[name] for name in STATE_COLUMNS if name in row},
        )
    return inserted


def locked(session: Session, *where: ColumnElement[bool]) -> list[AlertState]:
    """The alerts matching where, locked for this write transaction (FOR UPDATE on PostgreSQL; on SQLite the write
    transaction holds the database), oldest window first."""
    rows = session.connection().execute(
        select(*(ALERTS.c[name] for name in STATE_COLUMNS))
        .where(*where)
        .order_by(ALERTS.c.window_start, ALERTS.c.id)
        .with_for_update()
    )
    return [AlertState(*row) for row in rows]


def write_changes(session: Session, alerts: Iterable[AlertState]) -> None:
    """Write the alerts' changes in as few UPDATEs as there are different changes: alerts only seen again (the most,
    in a steady state) share one UPDATE .. WHERE id IN; each alert with changes of its own is one row of an
    executemany per set of columns."""
    same: dict[tuple, list[int]] = {}
    for alert in alerts:
        if alert.changes:
            same.setdefault(tuple(sorted(alert.changes.items())), []).append(alert.id)
            alert.changes = {}
    alone: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    connection = session.connection()
    for items, ids in same.items():
        if len(ids) > 1:
            connection.execute(update(ALERTS).where(ALERTS.c.id.in_(ids)).values(dict(items)))
        else:
            names = tuple(name for name, _ in items)
            alone.setdefault(names, []).append({"b_id": ids[0], **{f"b_{name}": value for name, value in items}})
    for names, params in alone.items():
        statement = (
            update(ALERTS)
            .where(ALERTS.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}", type_=ALERTS.c[name].type) for name in names})
        )
        connection.execute(statement, params)
