"""What every burden rule shares: the evaluation context, a finding, and the rule's shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func, literal
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.config import Settings
from monitor.i18n import Np_
from monitor.requests import windows
from monitor.requests.agreements import Agreement

DAYS = (Np_("{n} day", "{n} days"), "{n} days")
UNIX_EPOCH_JULIAN_DAY = 2440587.5


def epoch_seconds(session: Session, column: ColumnElement[datetime]) -> ColumnElement[float]:
    """A UTC timestamp column as seconds since 1970 in SQL, so that a rule can add a request's minutes to when it came
    and compare moments within a GROUP BY (SQLite keeps the moment as text, PostgreSQL as a timestamp)."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(column) - literal(UNIX_EPOCH_JULIAN_DAY)) * 86400.0
    return func.extract("epoch", column)


def days_param(n: int) -> dict[str, Any]:
    """A number of days as a message param, rendered with its own plural form ("1 day", "14 dagen")."""
    return {"msgid": DAYS[0], "plural": DAYS[1], "n": n, "params": {"n": n}}


def shown(value: float) -> int | float:
    """A value or threshold as a message shows it: a whole number without ".0", else to one decimal."""
    return int(value) if float(value).is_integer() else round(value, 1)


def message_params(params: dict[str, Any], value: float, threshold: float) -> dict[str, Any]:
    """The params of a rule's message: the finding's own, with its value and threshold as shown."""
    return {**params, "value": shown(value), "threshold": shown(threshold)}


@dataclass(frozen=True)
class Coproducer:
    person_id: int
    team_id: int
    agreement: Agreement


@dataclass(frozen=True)
class Context:
    """One evaluation: the moment, the local day and week, and the coproducers with the agreement in force."""

    at: datetime
    today: date
    settings: Settings
    people: dict[int, Coproducer]
    # What more than one rule reads, kept for the evaluation (e.g. the allowance rules' minutes per month).
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def week_start(self) -> date:
        return windows.this_week(self.today)[0]

    @property
    def last_7_days(self) -> tuple[date, date]:
        return windows.last_7_days(self.today)

    def live(self, start: date, end: date) -> list[ColumnElement[bool]]:
        """The WHERE clause of every rule's query: these people's requests with local date in [start, end]."""
        return [
            HelpRequest.person_id.in_(list(self.people)),
            HelpRequest.local_date >= start,
            HelpRequest.local_date <= end,
            HelpRequest.deleted_at.is_(None),
        ]

    def severity(self, rule: str) -> str:
        return self.settings.rules.severity.get(rule, "warning")


@dataclass(frozen=True)
class Finding:
    """A rule's condition holds for one person: how far (value) against what limit (threshold)."""

    rule: str
    person_id: int
    severity: str
    value: float
    threshold: float
    params: dict[str, Any] = field(default_factory=dict)


class Rule(Protocol):
    name: str
    title: str  # msgid: a short name for lists
    description: str  # msgid: what the rule checks, in plain words
    message: str  # msgid: what the coproducer and leader read, with {value} and {threshold} and the params

    def find(self, session: Session, ctx: Context) -> Iterable[Finding]: ...
