"""The health check (/api/health) and the probe that tells whether the database still accepts a write.

/api/health answers anyone, so the probe writes at most once per WRITE_PROBE_SECONDS per database and process, and
the calls in between (the health check's, and the sign-in gate's for each page) answer from its last result. Reading
is checked on every call.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from monitor.errors import database_failure
from monitor.operations import db_roles, job_runs

log = logging.getLogger(__name__)

WRITE_PROBE_SECONDS = 60


class WriteProbe:
    """Whether the database accepted a write at the last probe, probing again only when the last one is older than
    every_seconds: a read-only database (a read-only SQLite file, PostgreSQL's default_transaction_read_only) is
    found within a minute, while a flood of unauthenticated GETs makes no more writes than one a minute."""

    def __init__(self, every_seconds: float = WRITE_PROBE_SECONDS) -> None:
        self.every = timedelta(seconds=every_seconds)
        self._lock = threading.Lock()
        self._probed_at: datetime | None = None
        self._reason: str | None = None

    def refusal(self, engine: Engine, now: datetime | None = None) -> str | None:
        """None when the database took the probe's write, else why not (one line); probing at most once per
        interval, the calls in between answered from the last probe."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        with self._lock:
            if self._probed_at is None or not timedelta(0) <= now - self._probed_at < self.every:
                self._probed_at = now
                try:
                    job_runs.record_success(engine, "health", "health-check", now)
                    self._reason = None
                except Exception as error:  # noqa: BLE001 - any failure to write is reported as unhealthy
                    self._reason = database_failure(error) or type(error).__name__
            return self._reason


_probes: weakref.WeakKeyDictionary[Engine, WriteProbe] = weakref.WeakKeyDictionary()
_probes_guard = threading.Lock()


def probe_for(engine: Engine) -> WriteProbe:
    """The one probe of this process for engine."""
    with _probes_guard:
        return _probes.setdefault(engine, WriteProbe())


def write_refusal(engine: Engine) -> str | None:
    """None when the database accepted the probe's write (at most WRITE_PROBE_SECONDS ago), else why not."""
    return probe_for(engine).refusal(engine)


def health_report(
    engine: Engine, started_at: datetime, now: datetime | None = None, probe: WriteProbe | None = None
) -> tuple[int, dict[str, object]]:
    """(HTTP status, body): the database must answer a read now and have accepted the probe's write (at most a
    minute ago, WriteProbe), and no job may be stale (monitor.operations.job_runs)."""
    try:
        refusal = (probe or probe_for(engine)).refusal(engine, now)
        jobs = job_runs.states(engine, started_at, now) if refusal is None else []
        warned = db_roles.warnings(engine) if refusal is None else []  # the app works, but could rewrite the ledger
    except Exception as error:  # noqa: BLE001 - the health check reports any failure as unhealthy
        refusal = database_failure(error) or type(error).__name__
    if refusal is not None:
        log.error("health check: database unavailable: %s", refusal)
        return 503, {"status": "error", "database": "unavailable", "reason": refusal}
    body: dict[str, object] = {
        "status": "error" if any(job.stale for job in jobs) else "ok",
        "database": "ok",
        "jobs": {
            job.job: {"last_success": job.last_success.isoformat() if job.last_success else None, "stale": job.stale}
            for job in jobs
        },
    }
    if warned:
        body["warnings"] = [message.format(**params) for message, params in warned]
    return (503 if body["status"] == "error" else 200), body
