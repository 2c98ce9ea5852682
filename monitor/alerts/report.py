"""A flat list of alerts across teams, for `monitor alerts` (as table, CSV or JSON) and for administrators."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Alert, AlertStatus, Person, Team
from monitor.errors import ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor, require_admin
from monitor.spreadsheets import formula_safe as _safe

FORMATS = ("table", "csv", "json")
STATUSES = tuple(status.value for status in AlertStatus)


@dataclass(frozen=True)
class ReportRow:
    id: int
    username: str
    team: str
    rule: str
    severity: str
    status: str
    window_start: date
    value: float
    threshold: float
    opened_at: datetime | None
    note: str | None  # what the leader noted when acknowledging or resolving


def list_alerts(
    engine: Engine, actor: Actor, status: str | None = None, team_id: int | None = None, limit: int = 1000
) -> list[ReportRow]:
    """Alerts of every team (or team_id), newest window first; for the command line and administrators."""
    require_admin(actor)
    if status is not None and status not in STATUSES:
        raise ValidationError(N_("Unknown status {status}; use one of {choices}."), status=status, choices=STATUSES)
    query = (
        select(Alert, Person.username, Team.name)
        .join(Person, Person.id == Alert.person_id)
        .join(Team, Team.id == Alert.team_id)
        .order_by(Alert.window_start.desc(), Alert.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(Alert.status == status)
    if team_id is not None:
        query = query.where(Alert.team_id == team_id)
    with reading(engine) as session:
        return [
            ReportRow(
                id=alert.id,
                username=username,
                team=team,
                rule=alert.rule,
                severity=alert.severity,
                status=alert.status,
                window_start=alert.window_start,
                value=alert.value,
                threshold=alert.threshold,
                opened_at=alert.opened_at,
                note=alert.note,
            )
            for alert, username, team in session.execute(query).all()
        ]


def _plain(row: ReportRow) -> dict[str, object]:
    values = asdict(row)
    values["window_start"] = row.window_start.isoformat()
    values["opened_at"] = row.opened_at.isoformat() if row.opened_at else None
    return values


def as_json(rows: list[ReportRow]) -> str:
    return json.dumps([_plain(row) for row in rows], indent=2, ensure_ascii=False) + "\n"


def as_csv(rows: list[ReportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ReportRow.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        values = {key: "" if value is None else value for key, value in _plain(row).items()}
        values["note"] = _safe(row.note)  # a spreadsheet must not run a leader's note as a formula
        writer.writerow(values)
    return buffer.getvalue()


def as_table(rows: list[ReportRow]) -> str:
    header = ("id", "username", "team", "rule", "severity", "status", "window", "value", "threshold", "opened", "note")
    lines = [
        (
            str(row.id),
            row.username,
            row.team,
            row.rule,
            row.severity,
            row.status,
            row.window_start.isoformat(),
            f"{row.value:g}",
            f"{row.threshold:g}",
            row.opened_at.strftime("%Y-%m-%d %H:%M UTC") if row.opened_at else "-",
            (row.note or "-").replace("\n", " ")[:60],
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    return "".join(
        " ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip() + "\n"
        for cells in [header, *lines]
    )


def render(rows: list[ReportRow], fmt: str) -> str:
    if fmt == "json":
        return as_json(rows)
    if fmt == "csv":
        return as_csv(rows)
    return as_table(rows)
