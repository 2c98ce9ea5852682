"""Many rows into one table in one statement, on SQLite as on PostgreSQL, optionally skipping those whose unique key
exists (INSERT .. ON CONFLICT DO NOTHING) and returning columns of the rows inserted.

On PostgreSQL the rows go as one array per column into INSERT .. SELECT FROM unnest(..): the statement's text is the
same whatever the number of rows, so it is compiled, converted and prepared once, and each batch is one round trip and
one execution. (An executemany without RETURNING is sent a row at a time in psycopg's pipeline mode; a multi-row
VALUES with thousands of placeholders is parsed anew, on the client and on the server, for every batch.)
On SQLite, in the process, an executemany (or SQLAlchemy's multi-row VALUES when returning) is as fast as it gets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Executable, Float, Row, Table, TextClause, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

# Rows per statement on PostgreSQL: a bound on the size of one message, far above a write transaction's rows.
PG_BATCH = 5000


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
    if missing:  # SQLite's executemany would fill them in, PostgreSQL's unnest would not: the same rows on both
        raise ValueError(f"insert_rows into {table.name} needs the columns with defaults: {', '.join(missing)}")
    postgresql = connection.dialect.name == "postgresql"
    statement = _statement(table, names if postgresql else None, conflict, index_where, returning)
    if not postgresql:
        result = connection.execute(statement, list(rows))
        return list(result) if returning else []
    inserted: list[Row[Any]] = []
    floats = {name for name in names if isinstance(table.c[name].type, Float)}
    for start in range(0, len(rows), PG_BATCH):
        batch = rows[start : start + PG_BATCH]
        arrays = {name: [row[name] for row in batch] for name in names}
        for name in floats:  # psycopg dumps a list of one type only: 3 and 2.5 are both float8 here
            arrays[name] = [None if value is None else float(value) for value in arrays[name]]
        result = connection.execute(statement, arrays)
        if returning:
            inserted += result
    return inserted


@lru_cache(maxsize=64)
def _statement(
    table: Table,
    unnest: tuple[str, ...] | None,
    conflict: tuple[str, ...],
    index_where: TextClause | None,
    returning: tuple[str, ...],
) -> Executable:
    """The INSERT for these columns: from unnest(one array per column) when unnest names them (PostgreSQL), else
    with the rows as parameters. Built once per shape, so SQLAlchemy finds its compiled form in its cache at once."""
    if unnest is None:
        statement: Any = sqlite_insert(table)
    else:
        arrays = [cast(bindparam(name, type_=ARRAY(table.c[name].type)), ARRAY(table.c[name].type)) for name in unnest]
        rows = func.unnest(*arrays).table_valued(*unnest).render_derived(name="rows")
        statement = pg_insert(table).from_select(
            list(unnest), select(*(rows.c[name] for name in unnest)), include_defaults=False
        )
    if conflict:
        statement = statement.on_conflict_do_nothing(index_elements=list(conflict), index_where=index_where)
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    return statement
