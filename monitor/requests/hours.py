"""Judges when a request came: inside the agreed hours or outside them, and why, in the team's local time.

Times are stored in UTC; the agreement speaks in local wall-clock time (Europe/Amsterdam by default), so every
request is converted with zoneinfo, which handles the daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from monitor.config import WEEKDAYS

NIGHT_END = time(6, 0)
Availability = dict[str, tuple[tuple[time, time], ...]]


@dataclass(frozen=True)
class Classification:
    local: datetime
    outside: bool
    reason: str | None  # one of vocab.OUTSIDE_REASONS, None when inside hours
    is_night: bool

    @property
    def local_date(self) -> date:
        return self.local.date()


@lru_cache(maxsize=64)
def _holidays(year: int, country: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def public_holiday(day: date, country: str = "NL") -> str | None:
    """The name of the public holiday on day (from the holidays package), or None."""
    return _holidays(day.year, country).get(day)


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone; store and pass them in UTC")
    return moment.astimezone(tz)


def classify(moment: datetime, tz: ZoneInfo, availability: Availability, country: str = "NL") -> Classification:
    """Inside or outside the agreed windows, with the reason.

    Order matters: a night request is a night request even on a holiday; a holiday counts as outside even on a
    working weekday; a weekend day or a day off without windows counts as such; otherwise the time of day decides.
    """
    local = to_local(moment, tz)
    clock = local.time()
    is_night = clock < NIGHT_END
    if is_night:
        return Classification(local, True, "night", True)
    if public_holiday(local.date(), country):
        return Classification(local, True, "holiday", False)
    windows = availability.get(WEEKDAYS[local.weekday()], ())
    if not windows:
        reason = "weekend" if local.weekday() >= 5 else "day_off"
        return Classification(local, True, reason, False)
    if any(start <= clock < end or (end == time(23, 59, 59) and clock >= start) for start, end in windows):
        return Classification(local, False, None, False)
    if clock < min(start for start, _end in windows):
        reason = "early"
    elif clock >= max(end for _start, end in windows):
        reason = "evening"
    else:
        reason = "between"
    return Classification(local, True, reason, False)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
