"""Marks at the start and the end of every complete run of the app's script, for the browser tests.

Streamlit reports a run's state on its root element, but a page that acts and then calls st.rerun() runs twice, and
between the two runs it reports "notRunning" while the confirmation is not drawn yet. So "not running" alone cannot
tell a test that what a click started has finished. Each run draws a start mark with its number first and, when it
ends (also through st.stop), an end mark with the same number last; a run that is cut short for another run draws
no end mark. The page has settled when both marks carry the same number (tests/e2e/browser.py, wait_for_app).

The marks are hidden (monitor/ui/style.py) and take no room; they say nothing about the person or the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

RUNS = "monitor_runs"  # session state: how many runs this session has started


def _mark(edge: str, number: int) -> None:
    st.html(f'<div class="monitor-run" data-edge="{edge}" data-run="{number}"></div>')


@contextmanager
def marked_run() -> Iterator[None]:
    """Mark the start of this run now, and its end when the block is left, unless it is left for a rerun."""
    number = int(st.session_state.get(RUNS, 0)) + 1
    st.session_state[RUNS] = number
    _mark("start", number)
    try:
        yield
    except RerunException:
        raise  # another run follows at once: this one did not finish
    except BaseException:
        _mark("end", number)  # st.stop(), or an error the page shows: the run is over
        raise
    _mark("end", number)
