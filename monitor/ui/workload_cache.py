"""Cached workload totals for the pages, so Streamlit reruns do not repeat the same queries.

The cache is keyed by who asks, so one person's cached totals are never served to another; the pages that change
requests call clear() so a new request shows at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import streamlit as st

from monitor.alerts import lifecycle as alerts
from monitor.people.access import Actor
from monitor.requests import workload
from monitor.ui.context import current_settings, engine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkloadView:
    week: workload.Totals
    days: list[workload.DayLoad]
    arrivals: dict[tuple[int, int], int]
    topics: dict[str, int]


@st.cache_data(ttl=60, show_spinner=False, max_entries=500)
def _load(
    database_url: str, actor: Actor, person_id: int, week_start: date, week_end: date, history_start: date
) -> WorkloadView:
    eng = engine()
    return WorkloadView(
        week=workload.totals(eng, actor, person_id, week_start, week_end),
        days=workload.by_day(eng, actor, person_id, history_start, week_end),
        arrivals=workload.arrivals(eng, actor, person_id, history_start, week_end),
        topics=workload.topics(eng, actor, person_id, history_start, week_end),
    )


def load(actor: Actor, person_id: int, week_start: date, week_end: date, history_start: date) -> WorkloadView:
    """The workload view, cached per database, per person asking and per period."""
    return _load(current_settings().database_url, actor, person_id, week_start, week_end, history_start)


def clear() -> None:
    _load.clear()


def changed(person_id: int | None) -> None:
    """Requests changed: forget cached totals and judge the burden rules again for that person (None: everyone).

    Evaluating one person is a handful of indexed queries, so an alert shows at once instead of at the next
    scheduled run; if it fails, the scheduler's next run catches up, so the person's save is never lost over it.
    """
    _load.clear()
    try:
        alerts.evaluate(engine(), current_settings(), person_ids=None if person_id is None else [person_id])
    except Exception:
        logger.exception("evaluating the rules after a change failed; the next scheduled run will catch up")
