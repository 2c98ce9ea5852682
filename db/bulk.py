"""Many rows into one table in one statement, on SQLite as on PostgreSQL, optionally skipping those whose unique key
exists (INSERT .. ON CONFLICT DO NOTHING) and returning columns of the rows inserted.

On PostgreSQL the rows go as one JSON parameter into INSERT .. SELECT FROM json_to_recordset(..), typed by the
table's columns: the statement's text is the same whatever the number of rows, so it is compiled, converted and
prepared once, each batch is one round trip and one execution, and the rows are serialized by the json module's C
encoder. (An executemany without RETURNING is sent a row at a time in psycopg's pipeline mode; a multi-row VALUES with
thousands of placeholders is parsed anew, on the client and on the server, for every batch; arrays per column
(unnest) are escaped element by element in Python.)
On SQLite, in the process, an executemany (or SQLAlchemy's multi-row VALUES when returning) is as fast as it gets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Dialect,
    Executable,
    Float,
    Row,
    String,
    Table,
    TextClause,
    bindparam,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

# Rows per statement on PostgreSQL: a bound on the size of one message, far above a write transaction's rows.
PG_BATCH = 5000
# JSON has no such numbers; as strings, PostgreSQL reads them into a float8 column all the same.
_NOT_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def insert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    conflict: tuple[str, ...] = (),
    index_where: TextClause | None = None,
    returning: tuple[str, ...] = (),
) -> list[Row[Any]]:
    """Insert rows (dicts with the same keys, among them every column with a default) into table; unless conflict is
    empty, skip those whose values of the conflict columns (a unique index, partial with index_where) exist, as ON
    CONFLICT DO NOTHING. The returning columns of the rows inserted, in no particular order; [] without returning."""
    if not rows:
        return []
    names = tuple(rows[0])
    missing = [c.name for c in table.c if c.default is not None and c.name not in names]
    if missing:  # SQLite's executemany would fill them in, PostgreSQL's json_to_recordset would not: the same rows
        raise ValueError(f"insert_rows into {table.name} needs the columns with defaults: {', '.join(missing)}")
    postgresql = connection.dialect.name == "postgresql"
    statement = _statement(table, names if postgresql else None, conflict, index_where, returning)
    if not postgresql:
        result = connection.execute(statement, list(rows))
        return list(result) if returning else []
    processors = _processors(table, names, connection.dialect)
    inserted: list[Row[Any]] = []
    for start in range(0, len(rows), PG_BATCH):
        batch: Sequence[Mapping[str, Any]] = rows[start : start + PG_BATCH]
        if processors:  # what SQLAlchemy does to each parameter (UTCDateTime: to UTC), done here for the JSON
            batch = [{**row, **{name: process(row[name]) for name, process in processors.items()}} for row in batch]
        result = connection.execute(statement, {"rows": json_rows(batch)})
        if returning:
            inserted += result
    return inserted


def json_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """rows as one JSON array for PostgreSQL's json_to_recordset: dates and datetimes in ISO 8601 (with their
    offset), which PostgreSQL reads into date and timestamptz columns."""
    return json.dumps(rows, default=_json_value)


def _json_value(value: Any) -> str:
    if isinstance(value, date):  # and datetime: ISO 8601 with its offset, as PostgreSQL reads it
        return value.isoformat()
    raise TypeError(f"no JSON for {type(value).__name__} in insert_rows")


def _processors(table: Table, names: tuple[str, ...], dialect: Dialect) -> dict[str, Callable[[Any], Any]]:
    """The columns' bind processors, and for floats one that writes infinities as strings."""
    processors: dict[str, Callable[[Any], Any]] = {}
    for name in names:
        type_ = table.c[name].type
        if isinstance(type_, Float):
            processors[name] = _finite
        elif (process := type_.bind_processor(dialect)) is not None:
            processors[name] = process
    return processors


def _finite(value: float | None) -> float | str | None:
    if value is None or math.isfinite(value):
        return value
    return _NOT_FINITE.get(value, "NaN")


@lru_cache(maxsize=64)
def _statement(
    table: Table,
    recordset: tuple[str, ...] | None,
    conflict: tuple[str, ...],
    index_where: TextClause | None,
    returning: tuple[str, ...],
) -> Executable:
    """The INSERT for these columns: from json_to_recordset(the rows) when recordset names them (PostgreSQL), else
    with the rows as parameters. Built once per shape, so SQLAlchemy finds its compiled form in its cache at once."""
    if recordset is None:
        statement: Any = sqlite_insert(table)
    else:
        rows = (
            func.json_to_recordset(cast(bindparam("rows", type_=String), JSON))
            .table_valued(*(column(name, table.c[name].type) for name in recordset))
            .render_derived(name="rows", with_types=True)
        )
        statement = pg_insert(table).from_select(
            list(recordset), select(*(rows.c[name] for name in recordset)), include_defaults=False
        )
    if conflict:
        statement = statement.on_conflict_do_nothing(index_elements=list(conflict), index_where=index_where)
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    return statement
