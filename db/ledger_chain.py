"""The money records' hash chain: each payment and fund entry carries SHA-256(previous entry's hash, this entry's
fields), so a rewrite that the database could not refuse (a table owner, a superuser, a plain sqlite3 connection with
the triggers dropped) is still found by walking the chain again (monitor/money/integrity.py).

The canonical form below is frozen: changing it would break every hash already written. It lives in db/ because the
migration that fills the chain for existing rows (0017) uses it too. Appends are serialised, so two writers never link
to the same predecessor: on PostgreSQL by a transaction-level advisory lock (no table or grant needed; the app role
owns nothing), on SQLite by the write lock every unit of work takes up front (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from db.models import FundEntry, Payment, utcnow

GENESIS = "0" * 64
LOCK_KEY = 0x4C454447  # "LEDG": pg_advisory_xact_lock's key for appending to either chain
# Every field of an entry, in the order they are hashed; never reorder, rename or extend without a new chain version.
FIELDS: dict[str, tuple[str, ...]] = {
    "payments": (
        "id",
        "person_id",
        "team_id",
        "kind",
        "period",
        "amount_cents",
        "paid_on",
        "reference",
        "receipt_reference",
        "topic",
        "note",
        "reverses_id",
        "recorded_at",
        "recorded_by",
    ),
    "fund_entries": (
        "id",
        "team_id",
        "kind",
        "amount_cents",
        "on_date",
        "handed_out_by",
        "topic",
        "note",
        "payment_id",
        "reverses_id",
        "recorded_at",
        "recorded_by",
    ),
}
TABLES = tuple(FIELDS)
MODELS = {"payments": Payment, "fund_entries": FundEntry}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (int, str)):
        return value
    return str(value)


def canonical(table: str, values: Sequence[Any]) -> str:
    """The entry's fields (in FIELDS order) as one line of JSON: the table's name first, so the two chains differ."""
    return json.dumps([table, *(_value(v) for v in values)], ensure_ascii=False, separators=(",", ":"))


def link(previous: str, table: str, values: Sequence[Any]) -> str:
    """This entry's chain hash: SHA-256 over the previous entry's hash and this entry's canonical form."""
    return hashlib.sha256(f"{previous}\n{canonical(table, values)}".encode()).hexdigest()


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    # SQLite: the unit of work began with BEGIN IMMEDIATE, so this connection holds the write lock already.


def _next_id(session: Session, table: str) -> int:
    """The id the entry gets; known before the INSERT, because the hash covers it and the row is never updated."""
    if session.get_bind().dialect.name == "postgresql":
        return int(session.scalar(text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")))
    return int(session.scalar(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")))  # noqa: S608 - our table names


def append(session: Session, row: Payment | FundEntry) -> Payment | FundEntry:
    """Add row at the end of its table's chain, in the caller's unit of work (the hash is written with the row)."""
    table = row.__tablename__
    model = MODELS[table]
    _lock(session)
    session.flush()  # entries added before this one in the same unit of work are in the chain first
    previous = session.scalar(select(model.chain_hash).order_by(model.id.desc()).limit(1)) or GENESIS
    row.id = _next_id(session, table)
    if row.recorded_at is None:
        row.recorded_at = utcnow()
    if isinstance(row, Payment) and row.reference is None:
        row.reference = ""
    row.chain_hash = link(previous, table, [getattr(row, name) for name in FIELDS[table]])
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Entry:
    """One entry as the database holds it now, with what its hash should be."""

    table: str
    position: int  # 1 for the first entry of the chain
    id: int
    values: dict[str, Any]
    stored: str | None  # the chain_hash column
    expected: str  # link(previous stored hash, these fields)

    @property
    def intact(self) -> bool:
        return self.stored == self.expected


def walk(connection: Connection, table: str) -> Iterator[Entry]:
    """Every entry of table in id order with its stored and recomputed hash; read in batches, never all at once."""
    model = MODELS[table]
    columns = [getattr(model, name) for name in FIELDS[table]]
    result = connection.execution_options(stream_results=True, yield_per=1000).execute(
        select(*columns, model.chain_hash).order_by(model.id)
    )
    previous = GENESIS
    for position, row in enumerate(result, start=1):
        values = list(row[: len(columns)])
        stored = row[len(columns)] or None
        yield Entry(
            table,
            position,
            row[0],
            dict(zip(FIELDS[table], values, strict=True)),
            stored,
            link(previous, table, values),
        )
        previous = stored or GENESIS


def head(connection: Connection, table: str) -> tuple[int, str]:
    """(entries, stored hash of the last one) of table's chain: what a backup's manifest and the daily log keep."""
    model = MODELS[table]
    count = int(connection.execute(select(func.count()).select_from(model)).scalar_one())
    last = connection.execute(select(model.chain_hash).order_by(model.id.desc()).limit(1)).scalar()
    return count, last or GENESIS
