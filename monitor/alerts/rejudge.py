"""Judge the burden rules again for the people whose requests changed, right after their save and off its path.

The save puts the person on a queue (monitor.requests.rejudge_queue) in its own short transaction. drain() takes them
off it and evaluates only them; the scheduler drains every few seconds, and the app's background Rejudger drains at
once when a page says a save happened, so an alert shows on the person's next rerun.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from db.engine import unit_of_work
from monitor.alerts import evaluation
from monitor.config import Settings
from monitor.requests import rejudge_queue

logger = logging.getLogger(__name__)

IDLE_SECONDS = 5.0
# After a wake, wait this long for more saves before draining: twenty people saving at once are judged in one
# evaluation of twenty, not twenty evaluations that each take the write lock from the next saves.
SETTLE_SECONDS = 0.25


def drain(engine: Engine, settings: Settings, at: datetime | None = None) -> list[int]:
    """Evaluate everyone on the queue (in batches) and return who was judged; on failure they go back on the queue."""
    judged: list[int] = []
    while people := rejudge_queue.claim(engine):
        try:
            evaluation.evaluate(engine, settings, at=at, person_ids=people)
        except Exception:
            with unit_of_work(engine) as session:
                rejudge_queue.enqueue(session, people, datetime.now(UTC))
            raise
        judged.extend(people)
    return judged


class Rejudger(threading.Thread):
    """A daemon thread that drains the queue when woken (settle_seconds later, to take the saves that follow with
    it), and every idle_seconds (None: only when woken)."""

    def __init__(
        self,
        engine_of: Callable[[], Engine],
        settings_of: Callable[[], Settings],
        clock: Callable[[], datetime] | None = None,
        idle_seconds: float | None = IDLE_SECONDS,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        super().__init__(name="rejudge", daemon=True)
        self._engine_of = engine_of
        self._settings_of = settings_of
        self._clock = clock
        self._idle_seconds = idle_seconds
        self._settle = settle_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._state = threading.Lock()

    def wake(self) -> None:
        with self._state:
            self._idle.clear()
            self._wake.set()

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until every wake so far has been followed by a finished drain; False if timeout passed first.

        For callers that must not measure or assert while the worker still judges (the benchmark, the tests)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._idle_seconds)
            if self._stopping.wait(self._settle):
                return
            self._wake.clear()
            try:
                drain(self._engine_of(), self._settings_of(), at=self._clock() if self._clock else None)
            except Exception:
                logger.exception("judging the rules after a save failed; the people stay queued and are tried again")
            with self._state:
                if not self._wake.is_set():  # no wake came in while draining
                    self._idle.set()
