"""Cached workload totals for the pages, so Streamlit reruns do not repeat the same queries.

The cache is keyed by who asks, so one person's cached totals are never served to another; the pages that change
requests call clear() so a new request shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from monitor import workload
from monitor.access import Actor
from monitor.ui.context import current_settings, engine


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
