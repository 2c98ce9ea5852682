"""Another of the server's processes holding the writers' turn on a SQLite file, in effect (db.engine's file lock)."""

from __future__ import annotations

import fcntl
import threading

from sqlalchemy import Engine


def held_by_another_process(engine: Engine, seconds: float = 0.3) -> threading.Event:
    """Take the turn's file lock beside engine's database as another process would, and let go after seconds; the
    event is set just before it lets go, so a writer that waited for the turn finds it set."""
    other = open(f"{engine.url.database}-writer.lock", "a+b")  # noqa: SIM115 - held until the timer lets go
    fcntl.flock(other.fileno(), fcntl.LOCK_EX)
    released = threading.Event()

    def release() -> None:
        released.set()
        other.close()

    threading.Timer(seconds, release).start()
    return released
