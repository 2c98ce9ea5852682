"""Statements run on SQLite's own connection (the sqlite3 module), for the app's most frequent write: a save.

SQLite has one writer at a time for all the server's processes, so whatever a writer does while it holds the lock,
every other process waits for. SQLAlchemy spends about 0.15 ms of Python on each statement it runs (the cache key,
the compiled parameters, the events, setting up the result), and a save runs four in the lock, then the commit
through the Session. A Direct statement is compiled by SQLAlchemy once, for the dialect, and its values are converted
by the same column types (their bind and result processors), so what it stores and reads is what SQLAlchemy would;
only the per-statement machinery is left out. They run in db.engine's driver_writing (unit_of_work on the driver's
connection) and driver_reading.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Dialect
from sqlalchemy.sql.expression import Executable


class Direct:
    """One statement compiled once for a dialect with positional parameters (SQLite's ?), run on a DBAPI cursor."""

    def __init__(self, statement: Executable, dialect: Dialect, column_keys: Sequence[str] | None = None) -> None:
        if dialect.paramstyle != "qmark":
            raise ValueError(f"Direct statements are for SQLite's ? parameters, not {dialect.paramstyle}")
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        self.sql = compiled.string
        names = compiled.positiontup or []
        self._binds: list[tuple[str, Callable[[Any], Any] | None]] = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
        ]
        # The values written into the statement (say Role.COPRODUCER in a WHERE): given when the caller's are not;
        # and an INSERT's columns with a default in Python (created_at=utcnow), computed when the caller gives none.
        self._fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        self._defaults = {column.key: _default_of(column) for column in getattr(compiled, "insert_prefetch", ())}
        selected = list(getattr(statement, "exported_columns", ()))  # a SELECT's columns, or what DML returns
        self.Row = namedtuple("Row", [column.key for column in selected], rename=True)  # type: ignore[misc]
        self._results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in selected]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """values in the order of the statement's ? marks, converted as SQLAlchemy would."""
        fixed, defaults = self._fixed, self._defaults
        given = [
            values[name] if name in values else defaults[name]() if name in defaults else fixed[name]
            for name, _ in self._binds
        ]
        return tuple(
            value if convert is None else convert(value) for (_, convert), value in zip(self._binds, given, strict=True)
        )

    def rows(self, cursor: sqlite3.Cursor, values: Mapping[str, Any]) -> list[Any]:
        """Run the statement with values and return its rows (named tuples, by column key), their values converted
        as SQLAlchemy would."""
        fetched = cursor.execute(self.sql, self.parameters(values)).fetchall()
        results = self._results
        return [
            self.Row._make(
                value if convert is None else convert(value) for convert, value in zip(results, row, strict=True)
            )
            for row in fetched
        ]

    def run_many(self, cursor: sqlite3.Cursor, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per row of values (one executemany); for statements that return nothing."""
        cursor.executemany(self.sql, [self.parameters(values) for values in rows])


def _default_of(column: Column[Any]) -> Callable[[], Any]:
    default = column.default
    if default is not None and default.is_scalar:
        return lambda: default.arg  # type: ignore[union-attr]
    if default is not None and default.is_callable:
        return lambda: default.arg(None)  # type: ignore[union-attr, operator] - SQLAlchemy's wrapper takes a context
    raise ValueError(f"column {column.key}: a Direct statement computes scalar and callable defaults only")
