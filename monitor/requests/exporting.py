"""Writing requests out for reports to funders: the import columns plus whether each came outside hours and why."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, Select, func, select

from db.engine import reading
from db.models import HelpRequest, Person, Role
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests.tables import to_csv, to_xlsx
from monitor.spreadsheets import formula_safe as _safe


def _requests(actor: Actor, team_id: int | None, start: date | None, end: date | None) -> Select:  # type: ignore[type-arg]
    """The live requests an export holds, with their person's username, after checking who asks and the dates."""
    if start and end and end < start:
        raise ValidationError(N_("The end date is before the start date."))
    if not actor.is_system and (team_id is None or not actor.has_role(Role.LEADER, team_id)):
        raise PermissionDenied(N_("Only the project leader of a team can export its requests."))
    query = (
        select(HelpRequest, Person.username)
        .join(Person, Person.id == HelpRequest.person_id)
        .where(HelpRequest.deleted_at.is_(None))
    )
    if team_id is not None:
        query = query.where(HelpRequest.team_id == team_id)
    if start:
        query = query.where(HelpRequest.local_date >= start)
    if end:
        query = query.where(HelpRequest.local_date <= end)
    return query


def count_rows(
    engine: Engine, actor: Actor, team_id: int | None = None, start: date | None = None, end: date | None = None
) -> int:
    """How many rows export_rows would give, counted in SQL (the page shows it on every rerun; the file is made only
    when someone downloads it)."""
    query = _requests(actor, team_id, start, end)
    with reading(engine) as session:
        return int(session.scalar(query.with_only_columns(func.count(HelpRequest.id))) or 0)


def export_rows(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    team_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    """Requests of a team (or, for the command line, of all teams) with local date from start to end."""
    query = _requests(actor, team_id, start, end).order_by(HelpRequest.received_at, HelpRequest.id)
    with reading(engine) as session:
        result = session.execute(query).all()
        return [
            {
                "username": username,
                "received_at": row.received_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M"),
                "channel": row.channel,
                "topics": ";".join(row.topic_codes),
                "minutes": row.minutes,
                "level": row.level or "",
                "beyond_role": "yes" if row.beyond_role else "no",
                "referred_to": row.referred_to or "",
                "note": _safe(row.note),
                "outside_hours": "yes" if row.outside_hours else "no",
                "outside_reason": row.outside_reason or "",
            }
            for row, username in result
        ]


def export_file(rows: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows)
    raise ValidationError(N_("Choose the format csv or xlsx."))
