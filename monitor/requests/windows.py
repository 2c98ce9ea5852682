"""The windows the figures are counted over, one per figure, shared by the burden rules, the pages and the digest.

Hours are counted per calendar week (Monday to Sunday, "this week"); requests outside hours and at night over the
last 7 days, today included ("in the last 7 days"). A page that shows a figure uses the same window as the rule that
raises its alert, and names it, so that a notice and a bar beside it never count over different days.
"""

from __future__ import annotations

from datetime import date, timedelta

RECENT_DAYS = 7


def this_week(today: date) -> tuple[date, date]:
    """Monday of today's week up to today: the window of the hours."""
    return today - timedelta(days=today.weekday()), today


def last_7_days(today: date) -> tuple[date, date]:
    """The last 7 days, today included: the window of the counts outside hours and at night."""
    return today - timedelta(days=RECENT_DAYS - 1), today
