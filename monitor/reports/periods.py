"""Report periods: a month, a quarter or a year, and the period just before it for the trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))


def period_containing(kind: str, day: date) -> Period:
    if kind == "month":
        start = day.replace(day=1)
        months = 1
    elif kind == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    elif kind == "year":
        start = date(day.year, 1, 1)
        months = 12
    else:
        raise ValueError(f"unknown period kind {kind!r}")
    month_index = start.month - 1 + months
    following = date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return Period(kind, start, following - timedelta(days=1))


def recent(kind: str, today: date, count: int) -> list[Period]:
    """The period holding today and the count - 1 before it, newest first."""
    periods = [period_containing(kind, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def months(period: Period) -> list[Period]:
    """The calendar months of period, in order: the cells every report is built from (monitor/reports/disclosure)."""
    found = [period_containing("month", period.start)]
    while found[-1].end < period.end:
        found.append(period_containing("month", found[-1].end + timedelta(days=1)))
    return found
