"""Cached workload figures for the pages, so Streamlit reruns do not repeat the same queries.

The cache is keyed by who asks, so one person's cached figures are never served to another; the pages that change
requests call changed(person_id, teams), which forgets only that person's figures and the weekly history of their
teams' overview (a generation per person and per team in the cache keys), and wakes the background worker that judges
their burden rules again, off the save's path. What else changes the history (the scheduler's retention, another
process) shows within the cache's minute.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import streamlit as st

from db.engine import engine_for
from monitor.alerts import rejudge, team_load
from monitor.people.access import Actor
from monitor.requests import windows, workload
from monitor.ui.context import current_settings, engine

logger = logging.getLogger(__name__)

# person_id -> how many times their requests changed in this process; part of the cache key, so a change makes only
# that person's cached figures stale (the everyone-generation covers imports for a whole team).
_generations: defaultdict[int | None, int] = defaultdict(int)
_team_generations: defaultdict[int, int] = defaultdict(int)
_lock = threading.Lock()


@dataclass(frozen=True)
class WorkloadView:
    week: workload.Totals  # this calendar week (the hours' window)
    recent: workload.Totals  # the last 7 days (the window of the counts outside hours and at night)
    days: list[workload.DayLoad]
    arrivals: dict[tuple[int, int], int]
    topics: dict[str, int]


@st.cache_data(ttl=60, show_spinner=False, max_entries=500)
def _load(
    database_url: str,
    actor: Actor,
    person_id: int,
    week_start: date,
    week_end: date,
    history_start: date,
    today: date,
    generation: tuple[int, int],
) -> WorkloadView:
    eng = engine()
    return WorkloadView(
        week=workload.totals(eng, actor, person_id, week_start, week_end),
        recent=workload.totals(eng, actor, person_id, *windows.last_7_days(today)),
        days=workload.by_day(eng, actor, person_id, history_start, week_end),
        arrivals=workload.arrivals(eng, actor, person_id, history_start, week_end),
        topics=workload.topics(eng, actor, person_id, history_start, week_end),
    )


def load(
    actor: Actor, person_id: int, week_start: date, week_end: date, history_start: date, today: date | None = None
) -> WorkloadView:
    """The workload view, cached per database, per person asking and per period (today: the last day of the last 7
    days, week_end when not given)."""
    generation = (_generations[None], _generations[person_id])
    url = current_settings().database_url
    return _load(url, actor, person_id, week_start, week_end, history_start, today or week_end, generation)


@dataclass(frozen=True)
class TeamHistory:
    """A team's requests per coproducer and week, and when they arrive: the charts under the team overview."""

    weekly: list[team_load.WeekLoad]
    arrivals: dict[tuple[int, int], int]


@st.cache_data(ttl=60, show_spinner=False, max_entries=200)
def _team_history(
    database_url: str, actor: Actor, team_id: int, first_week: date, last_day: date, generation: tuple[int, int]
) -> TeamHistory:
    eng = engine()
    return TeamHistory(
        weekly=team_load.weekly(eng, actor, team_id, first_week, last_day),
        arrivals=team_load.arrivals(eng, actor, team_id, first_week, last_day),
    )


def team_history(actor: Actor, team_id: int, first_week: date, last_day: date) -> TeamHistory:
    """The team's history, cached per database, per leader asking, per team and period (only the leaders of the team
    may ask: team_load checks it when the figures are read)."""
    generation = (_generations[None], _team_generations[team_id])
    return _team_history(current_settings().database_url, actor, team_id, first_week, last_day, generation)


def clear() -> None:
    _load.clear()
    _team_history.clear()


@st.cache_resource(show_spinner=False)
def _rejudger(database_url: str) -> rejudge.Rejudger:
    """One background thread per database in this server process, judging the rules of people who just saved.

    It runs when a page wakes it; the scheduler's frequent rejudge job is the catch-up for anything missed.
    """
    worker = rejudge.Rejudger(lambda: engine_for(database_url), current_settings, idle_seconds=None)
    worker.start()
    return worker


def wait_for_rules(timeout: float) -> bool:
    """Wait until the rules' worker has judged every save it was woken for; False if timeout passed first."""
    return _rejudger(current_settings().database_url).wait_until_idle(timeout)


def changed(person_id: int | None, teams: Iterable[int] = ()) -> None:
    """Requests changed for person_id (None: for several people, e.g. an import) in teams: forget their cached figures
    and those teams' history, and wake the worker that judges their burden rules again.

    The save has already committed and put the person on the rules' queue; judging happens in the background within
    a second or so, and the page shows the alert on its next rerun. If waking fails, the scheduler drains the queue.
    """
    with _lock:
        _generations[person_id] += 1
        for team_id in teams:
            _team_generations[team_id] += 1
    try:
        _rejudger(current_settings().database_url).wake()
    except Exception:
        logger.exception("waking the rules' worker failed; the scheduler judges the queued people instead")
