"""Exports for project leaders: a team's alerts and its weekly load per coproducer, as CSV or Excel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from db.engine import reading
from monitor.alerts.actions import AlertRow
from monitor.alerts.team_load import _weekly, coproducers, require_leader
from monitor.config import Settings
from monitor.errors import ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests.tables import to_csv, to_xlsx
from monitor.spreadsheets import formula_safe

ALERT_COLUMNS = (
    "id",
    "coproducer",
    "rule",
    "severity",
    "status",
    "week",
    "value",
    "threshold",
    "first_seen",
    "acknowledged",
    "resolved",
    "note",
)
LOAD_COLUMNS = ("username", "coproducer", "week", "hours", "requests", "outside_requests")


def _local(moment: Any, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def alert_rows(rows: list[AlertRow], settings: Settings) -> list[dict[str, Any]]:
    """The alerts as flat rows; names and notes are free text, so guarded against spreadsheet formulas."""
    return [
        {
            "id": row.id,
            "coproducer": formula_safe(row.person_name),
            "rule": row.rule,
            "severity": row.severity,
            "status": row.status,
            "week": row.window_start.isoformat(),
            "value": row.value,
            "threshold": row.threshold,
            "first_seen": _local(row.first_seen_at, settings),
            "acknowledged": _local(row.acknowledged_at, settings),
            "resolved": _local(row.resolved_at, settings),
            "note": formula_safe(row.note),
        }
        for row in rows
    ]


def load_rows(engine: Engine, actor: Actor, team_id: int, today: date, weeks: int = 12) -> list[dict[str, Any]]:
    """Hours, requests and requests outside hours per coproducer and week, weeks without requests included."""
    require_leader(actor, team_id)
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    with reading(engine) as session:
        people = coproducers(session, team_id)
        loads = {(w.person_id, w.week): w for w in _weekly(session, team_id, first, today)}
    result = []
    for person_id, name, username in people:
        for i in range(weeks):
            week = first + timedelta(weeks=i)
            load = loads.get((person_id, week))
            result.append(
                {
                    "username": username,
                    "coproducer": formula_safe(name),
                    "week": week.isoformat(),
                    "hours": round(load.hours, 2) if load else 0,
                    "requests": load.requests if load else 0,
                    "outside_requests": load.outside_requests if load else 0,
                }
            )
    return result


def to_file(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str, title: str) -> bytes:
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "xlsx":
        return to_xlsx(rows, columns, title)
    raise ValidationError(N_("Choose the format csv or xlsx."))
