"""What a backup holds, so that a restore can prove it brought back exactly that: the migration, the rows of each
table (a count and a SHA-256 of the rows in key order), the ledger's totals and its hash chains' heads.

The digest is taken over the values as the database driver returns them, so it compares a copy with a restore on
the same kind of database (a SQLite copy restores into SQLite, a pg_dump into PostgreSQL).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text

from db import ledger_chain
from db.models import Base, FundEntry, Payment

VERSION = 2  # 1: counts and ledger totals only (before issue 32)


@dataclass(frozen=True)
class Manifest:
    heads: list[str]
    counts: dict[str, int]
    ledger: dict[str, int]  # sum of amount_cents of payments and of fund_entries
    digests: dict[str, str] = field(default_factory=dict)  # table -> SHA-256 of its rows in key order
    chain: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> {"entries": n, "head": hash}

    def to_json(self) -> str:
        body = {
            "version": VERSION,
            "heads": self.heads,
            "counts": self.counts,
            "ledger": self.ledger,
            "chain": self.chain,
            "digests": self.digests,
        }
        return json.dumps(body, indent=1)


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)  # Decimal and whatever else a driver gives


def table_digest(connection: Connection, table: Table) -> str:
    """SHA-256 over every row of table in primary-key order, each as one line of JSON of its columns."""
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(column.name) for column in table.columns)
    key = ", ".join(quote(column.name) for column in table.primary_key.columns) or columns
    digest = hashlib.sha256()
    result = connection.execution_options(stream_results=True, max_row_buffer=2000).exec_driver_sql(
        f"SELECT {columns} FROM {quote(table.name)} ORDER BY {key}"  # noqa: S608 - names from our metadata
    )
    for row in result:
        digest.update(json.dumps(list(row), default=_plain, ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def read(connection: Connection) -> Manifest:
    """What the database behind connection holds, all read in the connection's one snapshot."""
    heads = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    tables = Base.metadata.sorted_tables
    counts = {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables}
    ledger = {
        "payments": int(connection.execute(select(func.coalesce(func.sum(Payment.amount_cents), 0))).scalar_one()),
        "fund_entries": int(
            connection.execute(select(func.coalesce(func.sum(FundEntry.amount_cents), 0))).scalar_one()
        ),
    }
    chain = {}
    for name in ledger_chain.TABLES:
        entries, head = ledger_chain.head(connection, name)
        chain[name] = {"entries": entries, "head": head}
    digests = {table.name: table_digest(connection, table) for table in tables}
    return Manifest(heads, counts, ledger, digests, chain)


def of(engine: Engine) -> Manifest:
    with engine.connect() as connection:
        return read(connection)


def differences(expected: dict[str, Any], found: Manifest) -> list[str]:
    """What differs between a copy's manifest (as read from its JSON) and what a restore holds; [] when nothing."""
    said: list[str] = []
    counts = expected.get("counts", {})
    if counts != found.counts:
        tables = sorted(t for t in set(found.counts) | set(counts) if found.counts.get(t) != counts.get(t))
        said.append(f"row counts differ in {', '.join(tables)}")
    digests = expected.get("digests")
    if not digests:
        said.append("the manifest holds no checksums of the rows (a copy made before they were kept)")
    else:
        tables = sorted(t for t in set(found.digests) | set(digests) if found.digests.get(t) != digests.get(t))
        if tables:
            said.append(f"rows differ in {', '.join(tables)}")
    if expected.get("ledger") != found.ledger:
        said.append(f"ledger totals differ: {found.ledger} where the manifest says {expected.get('ledger')}")
    chain = expected.get("chain")
    if chain and chain != found.chain:
        tables = sorted(t for t in found.chain if found.chain[t] != chain.get(t))
        said.append(f"the ledger's chain head differs in {', '.join(tables)}")
    return said
