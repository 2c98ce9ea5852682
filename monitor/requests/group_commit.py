"""Group commit: saves that arrive together are written in one transaction, each caller still waiting for its own.

Streamlit runs every person's page in a thread of one server process. When twenty people press Save at once, each
save on its own would take the write lock, sync the disk and let the next one in; here the first caller writes every
save waiting at that moment in one transaction (multi-row INSERTs, one disk sync), and the others wake with their
own result. A caller returns only after its save is committed, so nothing is acknowledged that could be lost. If the
batch fails, each save in it is tried again on its own, so one bad save never takes the others with it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Engine

Item = TypeVar("Item")
Result = TypeVar("Result")

# Enough to empty the queue of a busy server in one go, small enough that one transaction stays short.
BATCH_AT_MOST = 100


@dataclass
class _Waiting(Generic[Item, Result]):
    item: Item
    done: bool = False
    result: Result | None = None
    error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """Writes items with write_many (all in one transaction, results in order); callers wait for their own."""

    def __init__(self, write_many: Callable[[list[Item]], list[Result | BaseException]]) -> None:
        self._write_many = write_many
        self._turn = threading.Condition()
        self._waiting: list[_Waiting[Item, Result]] = []
        self._writing = False

    def submit(self, item: Item) -> Result:
        """Write item (with whatever else is waiting) and return its result, or raise its error."""
        mine: _Waiting[Item, Result] = _Waiting(item)
        with self._turn:
            self._waiting.append(mine)
            while self._writing and not mine.done:
                self._turn.wait()
            if not mine.done:  # nobody is writing and mine is still waiting: this caller writes the batch
                self._writing = True
                batch, self._waiting = self._waiting[:BATCH_AT_MOST], self._waiting[BATCH_AT_MOST:]
        if not mine.done:
            try:
                self._write(batch)
            finally:
                with self._turn:
                    self._writing = False
                    self._turn.notify_all()
        if mine.error is not None:
            raise mine.error
        return mine.result  # type: ignore[return-value]

    def _write(self, batch: list[_Waiting[Item, Result]]) -> None:
        try:
            outcomes = self._write_many([waiting.item for waiting in batch])
        except BaseException as error:  # noqa: BLE001 - each save is tried alone below, or gets this error
            if len(batch) == 1 or not isinstance(error, Exception):
                for waiting in batch:
                    waiting.error, waiting.done = error, True
                return
            for waiting in batch:
                self._write([waiting])
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                waiting.error = outcome
            else:
                waiting.result = outcome
            waiting.done = True


_per_engine: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_per_engine_guard = threading.Lock()


def for_engine(engine: Engine, write_many: Callable[[list[Item]], list[Result | BaseException]]) -> GroupCommit:
    """The one group commit of this process for engine, made with write_many the first time (which must not hold on
    to the engine: the items carry what it needs, so a dropped engine's group commit goes with it)."""
    with _per_engine_guard:
        found = _per_engine.get(engine)
        if found is None:
            found = _per_engine[engine] = GroupCommit(write_many)
        return found
