"""What SQLite itself runs: every statement on the engine's connections, as SQLite saw it (its trace callback)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def sqlite_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL of each statement SQLite runs on engine's connections while the block runs, in order (sqlite3's trace
    callback, set on each connection as the pool hands it out)."""
    assert engine.dialect.name == "sqlite"
    ran: list[str] = []
    traced: list[sqlite3.Connection] = []

    def handed_out(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.set_trace_callback(ran.append)
        traced.append(dbapi_connection)

    event.listen(engine, "checkout", handed_out)
    try:
        yield ran
    finally:
        event.remove(engine, "checkout", handed_out)
        for connection in traced:
            connection.set_trace_callback(None)
