"""Classification of a request against the agreed hours, in Amsterdam time, across clock changes and holidays."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from monitor.requests.hours import classify, public_holiday

AMS = ZoneInfo("Europe/Amsterdam")
WEEKDAYS_9_TO_17 = {day: ((time(9), time(17)),) for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_request_on_a_weekday_afternoon_is_inside_hours() -> None:
    # Wednesday 2026-11-18 14:00 in Amsterdam (winter time, UTC+1)
    judged = classify(at("2026-11-18 13:00"), AMS, WEEKDAYS_9_TO_17)
    assert (judged.outside, judged.reason, judged.is_night) == (False, None, False)
    assert judged.local.hour == 14


def test_a_request_after_the_window_is_an_evening_request() -> None:
    judged = classify(at("2026-11-18 20:00"), AMS, WEEKDAYS_9_TO_17)  # 21:00 local
    assert (judged.outside, judged.reason) == (True, "evening")


def test_a_request_before_the_window_counts_as_early() -> None:
    judged = classify(at("2026-11-18 06:30"), AMS, WEEKDAYS_9_TO_17)  # 07:30 local
    assert (judged.outside, judged.reason) == (True, "early")


def test_a_request_between_two_windows_is_outside() -> None:
    split = {"monday": ((time(9), time(12)), (time(14), time(17)))}
    judged = classify(at("2026-11-16 12:30"), AMS, split)  # Monday 13:30 local
    assert (judged.outside, judged.reason) == (True, "between")


def test_a_night_request_is_a_night_request_even_inside_a_window() -> None:
    always = {"wednesday": ((time(0), time(23, 59, 59)),)}
    judged = classify(at("2026-11-18 02:00"), AMS, always)  # 03:00 local
    assert (judged.outside, judged.reason, judged.is_night) == (True, "night", True)


def test_saturday_without_windows_is_weekend_and_a_weekday_without_windows_is_a_day_off() -> None:
    assert classify(at("2026-11-21 12:00"), AMS, WEEKDAYS_9_TO_17).reason == "weekend"
    no_wednesday = {k: v for k, v in WEEKDAYS_9_TO_17.items() if k != "wednesday"}
    assert classify(at("2026-11-18 12:00"), AMS, no_wednesday).reason == "day_off"


def test_a_saturday_window_makes_saturday_inside_hours() -> None:
    with_saturday = {**WEEKDAYS_9_TO_17, "saturday": ((time(10), time(14)),)}
    assert classify(at("2026-11-21 11:00"), AMS, with_saturday).outside is False


def test_kings_day_counts_as_a_public_holiday_outside_hours() -> None:
    assert public_holiday(datetime(2026, 4, 27).date()) is not None
    # Monday 2026-04-27 11:00 local (summer time, UTC+2) would be inside the window on any other Monday.
    judged = classify(at("2026-04-27 09:00"), AMS, WEEKDAYS_9_TO_17)
    assert (judged.outside, judged.reason) == (True, "holiday")
    assert judged.local.hour == 11


@pytest.mark.parametrize(
    ("utc_text", "local_hour", "outside"),
    [
        # Spring forward: Sunday 2026-03-29, 02:00 becomes 03:00. The next day, Monday, is in summer time (UTC+2).
        ("2026-03-30 06:30", 8, True),  # 08:30 local: before the window
        ("2026-03-30 07:30", 9, False),  # 09:30 local: inside; in winter time this would have been 08:30
        ("2026-03-30 15:30", 17, True),  # 17:30 local: evening
        # Fall back: Sunday 2026-10-25, 03:00 becomes 02:00. Monday 2026-10-26 is in winter time (UTC+1).
        ("2026-10-26 07:30", 8, True),  # 08:30 local
        ("2026-10-26 08:30", 9, False),  # 09:30 local
        ("2026-10-26 15:30", 16, False),  # 16:30 local; in summer time this would have been 17:30
    ],
)
def test_the_window_follows_local_time_across_daylight_saving_changes(
    utc_text: str, local_hour: int, outside: bool
) -> None:
    judged = classify(at(utc_text), AMS, WEEKDAYS_9_TO_17)
    assert judged.local.hour == local_hour
    assert judged.outside is outside


def test_the_night_of_the_clock_change_is_judged_in_local_time() -> None:
    # 2026-03-29 01:30 UTC is 03:30 summer time (02:00-03:00 local never happened): still the night.
    spring = classify(at("2026-03-29 01:30"), AMS, WEEKDAYS_9_TO_17)
    assert (spring.local.hour, spring.reason) == (3, "night")
    # 2026-10-25 00:30 UTC and 01:30 UTC are both 02:30 local (the hour happens twice): both night.
    first, second = classify(at("2026-10-25 00:30"), AMS, {}), classify(at("2026-10-25 01:30"), AMS, {})
    assert first.local.hour == second.local.hour == 2
    assert first.is_night and second.is_night
    # Sunday 2026-10-25 06:30 UTC is 07:30 local (winter time): a weekend request, no longer night.
    assert classify(at("2026-10-25 06:30"), AMS, WEEKDAYS_9_TO_17).reason == "weekend"


def test_a_time_without_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        classify(datetime(2026, 11, 18, 12), AMS, WEEKDAYS_9_TO_17)
